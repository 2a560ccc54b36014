// SPDX-License-Identifier: Apache-2.0
#include "policy/compile.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "decode/syscalls.hpp"
#include "policy/bpf.hpp"
#include "policy/libseccomp.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"
#include "util/kernel_compat.hpp"
#include "util/unique_fd.hpp"

namespace policy {
namespace {

using libseccomp::to_scmp;

constexpr std::size_t kMaxInstructions = 4096; // BPF_MAXINSNS

[[noreturn]] void fail(const Policy& p, const std::string& key, const std::string& what,
                       const std::string& hint = {}) {
    throw util::Error(util::exit_code::policy, fmt::format("{}: {}: {}", p.source, key, what),
                      hint);
}

std::uint32_t to_ret(const ActionSpec& a) {
    switch (a.action) {
    case Action::Allow:
        return SCMP_ACT_ALLOW;
    case Action::Errno:
        return SCMP_ACT_ERRNO(a.data.value_or(EPERM));
    case Action::KillThread:
        return SCMP_ACT_KILL_THREAD;
    case Action::KillProcess:
        return SCMP_ACT_KILL_PROCESS;
    case Action::Trap:
        return SCMP_ACT_TRAP;
    case Action::Trace:
        return SCMP_ACT_TRACE(a.data.value_or(EPERM));
    case Action::Log:
        return SCMP_ACT_LOG;
    case Action::Notify:
        return SCMP_ACT_NOTIFY;
    }
    return SCMP_ACT_KILL_PROCESS;
}

bool kernel_at_least(const CompileContext& c, const std::string& version) {
    unsigned major = 0, minor = 0;
    std::sscanf(version.c_str(), "%u.%u", &major, &minor);
    return c.kernel_major > major || (c.kernel_major == major && c.kernel_minor >= minor);
}

bool has_cap(const CompileContext& c, const std::string& cap) {
    std::string want = cap.rfind("CAP_", 0) == 0 ? cap : "CAP_" + cap;
    return std::find(c.capabilities.begin(), c.capabilities.end(), want) != c.capabilities.end();
}

// Docker's includes/excludes (moby profiles/seccomp): excludes.caps skips the rule if ANY cap is
// present; includes.caps needs ALL; arches compare with the native arch's Go name.
bool rule_applies(const Rule& r, const CompileContext& c, const std::string& go_arch) {
    const auto in = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    if (!r.excludes.arches.empty() && in(r.excludes.arches, go_arch)) return false;
    for (const auto& cap : r.excludes.caps)
        if (has_cap(c, cap)) return false;
    if (r.excludes.min_kernel && kernel_at_least(c, *r.excludes.min_kernel)) return false;
    if (!r.includes.arches.empty() && !in(r.includes.arches, go_arch)) return false;
    for (const auto& cap : r.includes.caps)
        if (!has_cap(c, cap)) return false;
    if (r.includes.min_kernel && !kernel_at_least(c, *r.includes.min_kernel)) return false;
    return true;
}

// --strict-args: compare arguments at the width the kernel uses (decode::argument_bits): for an
// int argument, "== V" becomes "& 0xffffffff == V" and a mask loses its high bits, so a value with
// high bits set cannot slip past (the kernel ignores them). libseccomp has no masked form of the
// other comparisons (!=, <, <=, >, >=): they stay at 64 bits, and each is returned for a warning.
// Not the node's behaviour: runc compares all 64 bits.
std::vector<ArgCondition> at_kernel_width(const std::string& syscall,
                                          std::vector<ArgCondition>& conds) {
    std::vector<ArgCondition> unchanged;
    for (auto& c : conds) {
        const unsigned bits = decode::argument_bits(syscall, c.index);
        if (bits == 0 || bits >= 64) continue;
        const std::uint64_t low = (std::uint64_t{1} << bits) - 1;
        if (c.op == Op::Equal && c.value <= low) {
            c.op = Op::MaskedEqual;
            c.value_two = c.value;
            c.value = low;
        } else if (c.op == Op::MaskedEqual) {
            c.value &= low;
            c.value_two &= low;
        } else if (c.op != Op::Equal) {
            unchanged.push_back(c);
        }
    }
    return unchanged;
}

// The size of the program libseccomp would build, estimated before it is asked to build it: its
// BPF generation grows steeply with the program (a 6 KB profile, 800 rules with 6 conditions
// each, took 90 s to be refused), so a profile far over the kernel's limit is refused first.
// Modelled on libseccomp's database (db.c): each syscall is one check; its rules form a tree of
// 32-bit comparisons (a 64-bit condition is split into a high and a low half, an ordered one
// compares the high half twice, a mask can leave a half out), in argument order, with common
// prefixes merged; a load precedes each group of comparisons on another half; a syscall with an
// unconditional rule has no tree; identical trees are built once.
class SizeEstimate {
public:
    void add(std::uint32_t arch, int nr, const std::vector<ArgCondition>& conds,
             std::uint32_t ret) {
        Syscall& s = syscalls_[{arch, nr}];
        if (s.unconditional) return;
        if (conds.empty()) {
            s.unconditional = true;
            s.chains.clear();
            return;
        }
        Chain chain;
        for (const auto& c : conds) append_halves(c, chain);
        s.chains.emplace(std::move(chain), ret);
    }

    // Checks and comparisons (with their loads) of the whole program.
    [[nodiscard]] std::uint64_t instructions() const {
        std::set<const Chains*, Less> trees; // each distinct tree once
        for (const auto& [id, s] : syscalls_)
            if (!s.unconditional) trees.insert(&s.chains);
        std::uint64_t n = syscalls_.size();
        for (const Chains* t : trees) n += tree_size(*t);
        return n;
    }

private:
    // One 32-bit comparison: argument, which half, the operation, mask, datum.
    using Half = std::tuple<unsigned, bool, int, std::uint32_t, std::uint32_t>;
    using Chain = std::vector<Half>;
    using Chains = std::set<std::pair<Chain, std::uint32_t>>; // (comparisons, action)
    struct Less {
        bool operator()(const Chains* a, const Chains* b) const { return *a < *b; }
    };
    struct Syscall {
        bool unconditional = false;
        Chains chains;
    };

    static void append_halves(const ArgCondition& c, Chain& out) {
        const auto hi = static_cast<std::uint32_t>(c.value >> 32);
        const auto lo = static_cast<std::uint32_t>(c.value);
        const int op = static_cast<int>(c.op);
        if (c.op == Op::MaskedEqual) {
            const auto dhi = static_cast<std::uint32_t>(c.value_two >> 32) & hi;
            const auto dlo = static_cast<std::uint32_t>(c.value_two) & lo;
            if (hi != 0) out.emplace_back(c.index, true, op, hi, dhi);
            if (lo != 0) out.emplace_back(c.index, false, op, lo, dlo);
            return;
        }
        if (c.op != Op::Equal && c.op != Op::NotEqual)
            out.emplace_back(c.index, true, op + 100, ~0U, hi); // high half: greater?
        out.emplace_back(c.index, true, op, ~0U, hi);           // high half: equal?
        out.emplace_back(c.index, false, op, ~0U, lo);
    }

    // Comparisons of the merged tree, plus a load per group of children on another half.
    static std::uint64_t tree_size(const Chains& chains) {
        struct Node {
            std::map<Half, std::size_t> children;
        };
        std::vector<Node> nodes(1);
        std::vector<std::pair<unsigned, bool>> half_of(1, {~0U, false}); // the root has none
        for (const auto& [chain, ret] : chains) {
            std::size_t at = 0;
            for (const Half& h : chain) {
                auto it = nodes[at].children.find(h);
                if (it == nodes[at].children.end()) {
                    it = nodes[at].children.emplace(h, nodes.size()).first;
                    nodes.emplace_back();
                    half_of.emplace_back(std::get<0>(h), std::get<1>(h));
                }
                at = it->second;
            }
        }
        std::uint64_t n = nodes.size() - 1;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            std::set<std::pair<unsigned, bool>> loads;
            for (const auto& [h, child] : nodes[i].children)
                if (half_of[child] != half_of[i]) loads.insert(half_of[child]);
            n += loads.size();
        }
        return n;
    }

    std::map<std::pair<std::uint32_t, int>, Syscall> syscalls_;
};

std::string libseccomp_version() {
    const scmp_version* v = seccomp_version();
    return fmt::format("{}.{}.{}", v->major, v->minor, v->micro);
}

// The architectures the filter lists, as runc adds them (the native one always, libseccomp's
// default): a profile's "architectures", or Docker's reading of "archMap" (the native entry and its
// sub-architectures). An architecture libseccomp does not know is left out when this machine
// cannot make its calls (a LOONGARCH64 entry on x86-64), and refused when it can.
std::vector<std::uint32_t> resolve_arches(const Policy& p) {
    const util::arch::Info native = util::arch::native();
    std::vector<std::string> names = p.architectures;
    for (const auto& e : p.arch_map) {
        if (e.architecture != native.profile_name) continue;
        names.push_back(e.architecture);
        names.insert(names.end(), e.sub_architectures.begin(), e.sub_architectures.end());
    }
    std::vector<std::uint32_t> out{native.token};
    for (const auto& n : names) {
        const auto info = util::arch::from_profile_name(n);
        if (!info) continue; // load refuses names that are not the runtime-spec's
        if (!info->libseccomp_knows) {
            if (util::arch::applies_here(info->token))
                fail(p, "architectures",
                     fmt::format("libseccomp {} does not know {}, whose calls this machine makes",
                                 libseccomp_version(), n),
                     "install a libseccomp that knows it (2.6 or later)");
            continue;
        }
        if (std::find(out.begin(), out.end(), info->token) == out.end()) out.push_back(info->token);
    }
    return out;
}

constexpr std::uint32_t kX32Bit = 0x40000000U;

// The stub as BPF, in front of libseccomp's program (which starts right after it):
//   ld arch; (jeq ABI -> its section)...; ja program
//   section: ld nr; [x86-64: jset bit 30 -> x32's part]; jgt above -> enosys; ja program
//   enosys: ret ERRNO(ENOSYS)
std::vector<sock_filter> enosys_stub(const std::vector<CompiledFilter::EnosysBound>& bounds) {
    // Instructions with symbolic targets, resolved once the layout is known.
    struct Ins {
        sock_filter f;
        int jt = -1, jf = -1; // label of a conditional jump's targets (-1: the next instruction)
        int ja = -1;          // label of an unconditional jump
    };
    std::vector<Ins> code;
    std::vector<long> label_at;
    const auto label = [&] {
        label_at.push_back(-1);
        return static_cast<int>(label_at.size() - 1);
    };
    const auto place = [&](int l) { label_at[static_cast<std::size_t>(l)] = long(code.size()); };
    const int program = label(), enosys = label();
    std::map<std::uint32_t, std::vector<const CompiledFilter::EnosysBound*>> by_arch;
    for (const auto& b : bounds) by_arch[b.arch].push_back(&b);

    code.push_back({BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch))});
    std::vector<std::pair<std::uint32_t, int>> sections;
    for (const auto& [a, list] : by_arch) {
        sections.emplace_back(a, label());
        code.push_back({BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a, 0, 0), sections.back().second});
    }
    code.push_back({BPF_STMT(BPF_JMP | BPF_JA, 0), -1, -1, program});
    for (const auto& [a, l] : sections) {
        place(l);
        const auto& list = by_arch[a];
        code.push_back({BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr))});
        const CompiledFilter::EnosysBound *plain = nullptr, *x32 = nullptr;
        for (const auto* b : list) (b->x32 ? x32 : plain) = b;
        if (a == SCMP_ARCH_X86_64) {
            const int x32_part = label();
            code.push_back({BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, kX32Bit, 0, 0), x32_part});
            if (plain)
                code.push_back({BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, plain->above, 0, 0), enosys});
            code.push_back({BPF_STMT(BPF_JMP | BPF_JA, 0), -1, -1, program});
            place(x32_part);
            if (x32)
                code.push_back({BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, x32->above, 0, 0), enosys});
        } else if (plain) {
            code.push_back({BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, plain->above, 0, 0), enosys});
        }
        code.push_back({BPF_STMT(BPF_JMP | BPF_JA, 0), -1, -1, program});
    }
    place(enosys);
    code.push_back({BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS)});
    place(program);

    std::vector<sock_filter> out;
    for (std::size_t i = 0; i < code.size(); ++i) {
        sock_filter f = code[i].f;
        const auto offset = [&](int l) {
            return label_at[static_cast<std::size_t>(l)] - static_cast<long>(i) - 1;
        };
        if (code[i].jt >= 0) f.jt = static_cast<std::uint8_t>(offset(code[i].jt));
        if (code[i].jf >= 0) f.jf = static_cast<std::uint8_t>(offset(code[i].jf));
        if (code[i].ja >= 0) f.k = static_cast<std::uint32_t>(offset(code[i].ja));
        out.push_back(f);
    }
    return out;
}

} // namespace

// runc's ENOSYS stub (libcontainer/seccomp/patchbpf): unless the default action is ALLOW, LOG or
// TRACE, each ABI the filter lists gets "syscall numbers above the highest one the profile names
// for this ABI return ENOSYS", so libc's fallbacks for syscalls newer than the profile work. x32
// shares x86-64's audit value; its numbers have bit 30. runc means to skip the stub for a default
// errno of ENOSYS but compares the errno with SCMP_ACT_ERRNO(ENOSYS), so it builds one; it
// changes no verdict there (the default is ENOSYS too), and sandbox leaves it out.
bool wants_enosys_stub(const ActionSpec& default_action) {
    switch (default_action.action) {
    case Action::Allow:
    case Action::Log:
    case Action::Trace:
        return false;
    case Action::Errno:
        return default_action.data.value_or(EPERM) != ENOSYS;
    default:
        return true;
    }
}

bool condition_holds(const ArgCondition& c, std::uint64_t v) {
    switch (c.op) {
    case Op::NotEqual:
        return v != c.value;
    case Op::LessThan:
        return v < c.value;
    case Op::LessEqual:
        return v <= c.value;
    case Op::Equal:
        return v == c.value;
    case Op::GreaterEqual:
        return v >= c.value;
    case Op::GreaterThan:
        return v > c.value;
    case Op::MaskedEqual:
        return (v & c.value) == c.value_two;
    }
    return false;
}

CompileContext CompileContext::for_this_kernel(std::vector<std::string> capabilities, bool strict) {
    CompileContext c;
    c.capabilities = std::move(capabilities);
    c.strict = strict;
    utsname u{};
    if (::uname(&u) == 0) std::sscanf(u.release, "%u.%u", &c.kernel_major, &c.kernel_minor);
    return c;
}

std::string describe_ret(std::uint32_t ret) {
    const std::uint32_t data = ret & SECCOMP_RET_DATA;
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_KILL_PROCESS:
        return "KILL_PROCESS";
    case SECCOMP_RET_KILL_THREAD:
        return "KILL_THREAD";
    case SECCOMP_RET_TRAP:
        return "TRAP";
    case SECCOMP_RET_ERRNO:
        return "ERRNO(" + util::errno_name(int(data)) + ")";
    case SECCOMP_RET_USER_NOTIF:
        return "NOTIFY";
    case SECCOMP_RET_TRACE:
        return fmt::format("TRACE({})", data);
    case SECCOMP_RET_LOG:
        return "LOG";
    case SECCOMP_RET_ALLOW:
        return "ALLOW";
    }
    return fmt::format("{:#x}", ret);
}

bool rule_applies(const Rule& rule, const CompileContext& context) {
    return rule_applies(rule, context, util::arch::native().go_name);
}

bool ret_denies(std::uint32_t ret) {
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_KILL_PROCESS:
    case SECCOMP_RET_KILL_THREAD:
    case SECCOMP_RET_TRAP:
    case SECCOMP_RET_ERRNO:
    case SECCOMP_RET_TRACE:
        return true;
    default:
        return false;
    }
}

CompiledFilter compile(const Policy& p, const CompileContext& c) {
    CompiledFilter out;
    out.default_ret = to_ret(p.default_action);
    out.arches = resolve_arches(p);
    const util::arch::Info native = util::arch::native();
    out.native_arch = native.token;

    // What libseccomp is asked to build, as data: it builds it in a child with a time limit.
    libseccomp::BuildSpec spec;
    spec.default_action = out.default_ret;
    spec.cpu_seconds = c.libseccomp_cpu_seconds;
    for (std::uint32_t a : out.arches)
        if (a != native.token) spec.extra_arches.push_back(a);
    std::vector<std::pair<std::string, std::string>> spec_rules; // (key, name) of each spec rule

    // Counted before anything is expanded (load refuses the same; this holds for a Policy made in
    // code too): the cartesian product of argument conditions can be huge.
    std::uint64_t filter_rules = 0;
    for (const Rule& r : p.rules) {
        const std::uint64_t n = expanded_rule_count(r);
        filter_rules = n > kMaxFilterRules ? n : filter_rules + n;
        if (filter_rules > kMaxFilterRules)
            fail(p, r.key,
                 fmt::format("{} filter rules after expanding argument conditions (a rule per name "
                             "or per name and condition where an index repeats); at most {}",
                             filter_rules, kMaxFilterRules),
                 "merge rules with the same action into one \"names\" list, or drop argument "
                 "conditions");
    }

    std::set<std::string> named; // syscalls the profile names (in rules that apply to this run)
    SizeEstimate estimate;
    // Per ABI the filter lists, the highest number of a syscall the profile names (runc counts
    // every name of every rule that applies, whatever its action).
    std::map<std::uint32_t, int> highest;
    const auto add = [&](const std::string& key, const std::string& name, int nr,
                         const std::vector<ArgCondition>& conds, std::uint32_t ret) {
        CompiledRule cr{key, name, {}, conds, ret, ret == out.default_ret};
        for (std::uint32_t a : out.arches) {
            int n = seccomp_syscall_resolve_name_arch(a, name.c_str());
            if (n >= 0) cr.numbers.emplace_back(a, n);
        }
        // A rule with the default's own action changes nothing; libseccomp refuses it, runc skips
        // it.
        if (cr.same_as_default) {
            out.rules.push_back(std::move(cr));
            return;
        }
        for (const auto& [arch, n] : cr.numbers) estimate.add(arch, n, conds, ret);
        libseccomp::RuleSpec rule{ret, nr, {}};
        for (const auto& cnd : conds)
            rule.cmps.push_back(scmp_arg_cmp{cnd.index, to_scmp(cnd.op), cnd.value, cnd.value_two});
        spec.rules.push_back(std::move(rule));
        spec_rules.emplace_back(key, name);
        out.rules.push_back(std::move(cr));
    };

    if (c.strict && !p.unknown_keys.empty())
        fail(p, p.unknown_keys.front(), "unknown key (runc ignores it: a typo?)",
             "fix the spelling, or drop --strict to ignore it with a warning");
    for (const Rule& r : p.rules) {
        if (!rule_applies(r, c, native.go_name)) continue;
        const std::uint32_t ret = to_ret(r.action);
        for (std::size_t i = 0; i < r.names.size(); ++i) {
            const std::string& name = r.names[i];
            int nr = seccomp_syscall_resolve_name(name.c_str());
            if (nr == __NR_SCMP_ERROR) {
                std::string what =
                    fmt::format("unknown syscall \"{}\"{}", name, decode::did_you_mean(name));
                if (c.strict)
                    fail(p, fmt::format("{}.names[{}]", r.key, i), what,
                         "check the spelling, or drop --strict to skip it");
                out.warnings.push_back(fmt::format(
                    "{}: {}.names[{}]: {} (libseccomp {}.{}.{} does not know it); skipped",
                    p.source, r.key, i, what, seccomp_version()->major, seccomp_version()->minor,
                    seccomp_version()->micro));
                continue;
            }
            named.insert(name);
            for (std::uint32_t a : out.arches) {
                const int n = seccomp_syscall_resolve_name_arch(a, name.c_str());
                if (n > 0) highest[a] = std::max(highest[a], n);
            }
            if (r.action.action == Action::Allow &&
                (name == "io_uring_setup" || name == "io_uring_enter" ||
                 name == "io_uring_register"))
                out.warnings.push_back(
                    fmt::format("{}: {}: allows {}: io_uring operations bypass syscall filtering",
                                p.source, r.key, name));
            for (auto conds : filter_rule_conditions(r.args)) {
                if (c.strict_args)
                    for (const auto& kept : at_kernel_width(name, conds))
                        out.warnings.push_back(fmt::format(
                            "{}: {}: --strict-args cannot narrow \"{}\" on {} (libseccomp "
                            "compares != < <= > >= at 64 bits only): it stays as on the node; "
                            "list the values with SCMP_CMP_EQ instead",
                            p.source, r.key, describe(kept), name));
                add(r.key, name, nr, conds, ret);
            }
        }
    }

    if (!ret_denies(out.default_ret) && named.count("io_uring_setup") == 0)
        out.warnings.push_back(
            fmt::format("{}: defaultAction {} allows io_uring_setup: io_uring operations bypass "
                        "syscall filtering; "
                        "deny io_uring_setup, io_uring_enter and io_uring_register explicitly",
                        p.source, describe(p.default_action)));
    for (std::uint32_t flag_i = 0; flag_i < p.flags.size(); ++flag_i) {
        const std::string& f = p.flags[flag_i];
        if (f == "SECCOMP_FILTER_FLAG_LOG")
            out.install_flags |= SECCOMP_FILTER_FLAG_LOG;
        else if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
            out.install_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        // TSYNC: the filter is installed before execve, in a single-threaded process: nothing to
        // sync. WAIT_KILLABLE_RECV: applied by the supervisor when it has a listener.
    }

    // libseccomp's BPF generation grows steeply with the program's size: a profile far over the
    // kernel's limit is refused before it is asked.
    if (const std::uint64_t n = estimate.instructions(); n > kMaxInstructions)
        fail(p, "syscalls",
             fmt::format("the compiled filter would have about {} BPF instructions (a check per "
                         "syscall and architecture, and the comparisons of the argument "
                         "conditions); the kernel accepts at most {}",
                         n, kMaxInstructions),
             "merge rules with the same action into one \"names\" list, or drop argument "
             "conditions");

    const libseccomp::BuildResult built = libseccomp::build(spec);
    using Failure = libseccomp::BuildResult::Failure;
    const auto rule_key = [&](std::size_t i) {
        return i < spec_rules.size() ? spec_rules[i] : std::pair<std::string, std::string>{};
    };
    switch (built.failure) {
    case Failure::None:
        break;
    case Failure::Init:
        throw util::Error(util::exit_code::internal, "seccomp_init failed");
    case Failure::Arch: {
        const std::uint32_t a = spec.extra_arches.at(built.index);
        fail(p, "architectures",
             fmt::format("libseccomp cannot add {}: {}",
                         util::arch::from_token(a) ? util::arch::from_token(a)->profile_name : "?",
                         util::describe_errno(built.error)));
    }
    case Failure::Rule:
        fail(p, rule_key(built.index).first,
             fmt::format("libseccomp refused the rule for \"{}\": {}", rule_key(built.index).second,
                         util::describe_errno(built.error)));
    case Failure::Export:
        fail(p, "syscalls",
             "libseccomp could not generate the filter: " + util::describe_errno(built.error));
    case Failure::Timeout:
        if (built.index < spec_rules.size())
            fail(p, rule_key(built.index).first,
                 fmt::format("libseccomp did not finish adding the rule for \"{}\" within {} s "
                             "of CPU time (libseccomp {}.{}.{} loops forever on some "
                             "combinations of argument conditions on one syscall)",
                             rule_key(built.index).second, spec.cpu_seconds,
                             seccomp_version()->major, seccomp_version()->minor,
                             seccomp_version()->micro),
                 "write the conditions differently (e.g. SCMP_CMP_MASKED_EQ or SCMP_CMP_EQ "
                 "instead of an ordering), or split the syscall's rules");
        fail(p, "syscalls",
             fmt::format("libseccomp did not finish generating the filter within {} s of CPU "
                         "time",
                         spec.cpu_seconds),
             "merge rules with the same action into one \"names\" list, or drop argument "
             "conditions");
    case Failure::Crashed:
        throw util::Error(util::exit_code::internal,
                          "libseccomp's child process ended without a filter");
    }
    const std::vector<sock_filter>& lib = built.program;

    // runc's ENOSYS stub in front of libseccomp's program.
    if (wants_enosys_stub(p.default_action)) {
        for (const auto& [a, n] : highest) {
            CompiledFilter::EnosysBound b;
            b.x32 = a == SCMP_ARCH_X32;
            b.arch = b.x32 ? SCMP_ARCH_X86_64 : a;
            b.above = static_cast<std::uint32_t>(n);
            b.abi = util::arch::from_token(a) ? util::arch::from_token(a)->profile_name : "?";
            if (a == native.token) out.enosys_above = n;
            out.enosys.push_back(std::move(b));
        }
        if (!out.enosys.empty()) {
            out.program = enosys_stub(out.enosys);
            out.prologue_length = out.program.size();
        }
    }
    out.program.insert(out.program.end(), lib.begin(), lib.end());
    if (out.program.size() > kMaxInstructions)
        fail(p, "syscalls",
             fmt::format(
                 "the compiled filter has {} BPF instructions; the kernel accepts at most {}",
                 out.program.size(), kMaxInstructions),
             "merge rules with the same action into one \"names\" list, or drop argument "
             "conditions");

    out.pseudo_code = built.pseudo_code;
    if (!out.enosys.empty()) {
        std::string stub = "# runc's ENOSYS stub, before the filter:\n";
        for (const auto& e : out.enosys) {
            const std::uint32_t token = e.x32 ? SCMP_ARCH_X32 : e.arch;
            std::unique_ptr<char, decltype(&::free)> name(
                seccomp_syscall_resolve_num_arch(token, static_cast<int>(e.above)), &::free);
            stub += fmt::format("#   {}: syscall numbers above {} ({}) return ERRNO(ENOSYS)\n",
                                e.abi, e.above & ~kX32Bit, name ? name.get() : "?");
        }
        out.pseudo_code = stub + out.pseudo_code;
    }
    // The loader's warnings first, in the file's order (one insert: a profile can have many).
    out.warnings.insert(out.warnings.begin(), p.warnings.begin(), p.warnings.end());
    return out;
}

Verdict CompiledFilter::decide(const seccomp_data& d) const {
    Verdict v;
    v.ret = bpf::run(program, d);
    if (v.ret == (SECCOMP_RET_ERRNO | ENOSYS))
        for (const auto& e : enosys) {
            const auto nr = static_cast<std::uint32_t>(d.nr);
            if (e.arch == d.arch && e.x32 == (e.arch == SCMP_ARCH_X86_64 && (nr & kX32Bit)) &&
                nr > e.above) {
                v.rule = "implicit: syscalls newer than the profile names get ENOSYS (runc)";
                return v;
            }
        }
    for (const auto& r : rules) {
        if (r.ret != v.ret) continue;
        bool nr_matches = std::any_of(r.numbers.begin(), r.numbers.end(), [&](const auto& an) {
            return an.first == d.arch && an.second == d.nr;
        });
        if (!nr_matches) continue;
        bool all =
            std::all_of(r.conditions.begin(), r.conditions.end(),
                        [&](const ArgCondition& c) { return condition_holds(c, d.args[c.index]); });
        if (all) {
            v.rule = r.key;
            return v;
        }
    }
    if (v.ret == default_ret)
        v.rule = "defaultAction";
    else if (std::find(arches.begin(), arches.end(), d.arch) == arches.end())
        v.rule = "architectures";
    else
        v.rule = "filter";
    return v;
}

} // namespace policy
