// SPDX-License-Identifier: Apache-2.0
#include "policy/lint.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <seccomp.h>

#include "decode/syscalls.hpp"
#include "policy/compile.hpp"
#include "policy/load.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"

namespace policy {
namespace {

// The calls a runtime makes between installing the filter and exec'ing the command, to hand the
// notify listener over (sendmsg with SCM_RIGHTS) and to synchronise with its parent (write, read,
// close). runc refuses SCMP_ACT_NOTIFY on write for this reason.
constexpr std::array kHandoverSyscalls = {"sendmsg", "sendto", "write",  "writev",
                                          "read",    "close",  "execve", "execveat"};

constexpr std::array kIoUring = {"io_uring_setup", "io_uring_enter", "io_uring_register"};

bool is_kill(Action a) {
    return a == Action::KillThread || a == Action::KillProcess;
}

bool allows(Action a) {
    return a == Action::Allow || a == Action::Log;
}

std::uint32_t errno_of(const ActionSpec& a) {
    return a.data.value_or(EPERM);
}

bool same_action(const ActionSpec& a, const ActionSpec& b) {
    if (a.action != b.action) return false;
    if (a.action == Action::Errno || a.action == Action::Trace) return errno_of(a) == errno_of(b);
    return true;
}

bool real_errno(std::uint32_t v) {
    return v > 0 && strerrorname_np(static_cast<int>(v)) != nullptr;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

// The ABIs a kernel of the native architecture runs besides its own (Docker's archMap).
std::vector<std::string> companion_arches(const std::string& native) {
    if (native == "SCMP_ARCH_X86_64") return {"SCMP_ARCH_X86", "SCMP_ARCH_X32"};
    if (native == "SCMP_ARCH_AARCH64") return {"SCMP_ARCH_ARM"};
    if (native == "SCMP_ARCH_S390X") return {"SCMP_ARCH_S390"};
    if (native == "SCMP_ARCH_PPC64") return {"SCMP_ARCH_PPC"};
    if (native == "SCMP_ARCH_MIPS64") return {"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"};
    if (native == "SCMP_ARCH_MIPSEL64") return {"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"};
    return {};
}

// "source: key: message" (how load and compile word their messages) -> key, message.
std::pair<std::string, std::string> split_message(const std::string& text,
                                                  const std::string& source) {
    std::string rest = text;
    if (!source.empty() && rest.rfind(source + ": ", 0) == 0) rest = rest.substr(source.size() + 2);
    const auto colon = rest.find(": ");
    if (colon == std::string::npos) return {"", rest};
    std::string key = rest.substr(0, colon);
    // A key is a JSON path or "line N column M"; anything with spaces otherwise is prose.
    const bool looks_like_key = key.rfind("line ", 0) == 0 || key.find(' ') == std::string::npos;
    if (!looks_like_key) return {"", rest};
    return {key, rest.substr(colon + 2)};
}

class Linter {
public:
    explicit Linter(const Policy& p) : p_(p) { report_.source = p.source; }

    LintReport run() {
        load_warnings();
        default_action();
        architectures();
        flags();
        for (std::size_t i = 0; i < p_.rules.size(); ++i) rule(p_.rules[i]);
        across_rules();
        clone3_below_newest();
        // File order: the top-level keys, then each rule's findings together.
        std::stable_sort(report_.findings.begin(), report_.findings.end(),
                         [](const LintFinding& a, const LintFinding& b) {
                             return rule_position(a.key) < rule_position(b.key);
                         });
        return std::move(report_);
    }

private:
    // -1 for keys outside "syscalls", else the rule's index.
    static long rule_position(const std::string& key) {
        if (key.rfind("syscalls[", 0) != 0) return -1;
        return std::strtol(key.c_str() + 9, nullptr, 10);
    }

    void add(Severity s, std::string key, const char* check, std::string message) {
        report_.findings.push_back({s, std::move(key), check, std::move(message)});
    }

    // What load noticed (unknown keys, empty names, listenerPath): warnings with their key.
    void load_warnings() {
        for (const auto& w : p_.warnings) {
            auto [key, message] = split_message(w, p_.source);
            add(Severity::Warning, key, "load", message);
        }
    }

    void default_action() {
        const ActionSpec& d = p_.default_action;
        if (is_kill(d.action))
            add(Severity::Warning, "defaultAction", "kill-default",
                fmt::format("{}: a process killed by the filter leaves only \"killed by SIGSYS\" "
                            "(exit 159), never which call; use SCMP_ACT_ERRNO, or find the call "
                            "with `sandbox run --results`, which reads it as the process dies",
                            action_name(d.action)));
        if (d.data && d.action == Action::Errno && !real_errno(*d.data))
            add(Severity::Warning, "defaultErrnoRet", "errno-value", not_an_errno(*d.data));
        if (allows(d.action)) {
            std::vector<std::string> open;
            for (const char* n : kIoUring)
                if (!denied_unconditionally(n)) open.emplace_back(n);
            if (!open.empty())
                add(Severity::Warning, "defaultAction", "io-uring",
                    fmt::format("{} lets {} through: io_uring operations (reads, writes, opens, "
                                "connects) are not syscalls, so no seccomp filter sees them; deny "
                                "io_uring_setup, io_uring_enter and io_uring_register",
                                action_name(d.action), join(open)));
        }
    }

    static std::string not_an_errno(std::uint32_t v) {
        if (v == 0)
            return "0 is not an errno: the call is skipped and returns 0, as if it had succeeded";
        return fmt::format("{} is not an errno this system knows: the caller gets errno {} and "
                           "strerror \"Unknown error {}\"",
                           v, v, v);
    }

    bool denied_unconditionally(const std::string& name) const {
        for (const auto& r : p_.rules)
            if (r.args.empty() && r.includes.empty() && r.excludes.empty() &&
                !allows(r.action.action) && r.action.action != Action::Notify &&
                std::find(r.names.begin(), r.names.end(), name) != r.names.end())
                return true;
        return false;
    }

    void architectures() {
        const util::arch::Info native = util::arch::native();
        const std::string native_name = native.profile_name;
        const auto companions = companion_arches(native_name);
        if (!p_.arch_map.empty())
            add(Severity::Warning, "archMap", "docker-only",
                fmt::format("archMap is Docker's: containerd reads the file as the OCI runtime "
                            "spec and ignores it, so there the filter knows only the native ABI "
                            "and 32-bit calls hit the bad-architecture action; list the ABIs in "
                            "\"architectures\" ([\"{}\"{}])",
                            native_name,
                            companions.empty() ? "" : ", \"" + join(companions, "\", \"") + "\""));
        if (p_.architectures.empty() && p_.arch_map.empty()) {
            add(Severity::Warning, "architectures", "architectures",
                companions.empty()
                    ? fmt::format("no architectures: only native {} calls are filtered",
                                  native_name)
                    : fmt::format("no architectures: only native {} calls reach the rules; "
                                  "calls through {} (32-bit int 0x80, x32) hit the "
                                  "bad-architecture action instead (the thread is killed, as "
                                  "under runc, even for calls the rules allow), and runc 1.1 "
                                  "builds no ENOSYS stub (1.2 and sandbox do, for the native "
                                  "ABI); list them as Docker's default profile does",
                                  native_name, join(companions)));
            return;
        }
        bool native_listed = false;
        for (std::size_t i = 0; i < p_.architectures.size(); ++i) {
            const std::string& a = p_.architectures[i];
            if (a == native_name) {
                native_listed = true;
                continue;
            }
            if (std::find(companions.begin(), companions.end(), a) != companions.end()) continue;
            const auto info = util::arch::from_profile_name(a);
            // runc's own list: a name outside it is refused before libseccomp is asked.
            const bool runc_knows = !info || info->runc_knows;
            if (!runc_knows || (info && !info->libseccomp_knows)) {
                const auto* v = seccomp_version();
                const std::string why =
                    !runc_knows
                        ? fmt::format("runc does not know {} (\"string {} is not a valid arch "
                                      "for seccomp\")",
                                      a, a)
                        : fmt::format("libseccomp {}.{}.{}, which runc links here, does not know "
                                      "{} (runc 1.1 does not know the name either)",
                                      v->major, v->minor, v->micro, a);
                add(Severity::Warning, fmt::format("architectures[{}]", i), "unknown-arch",
                    fmt::format("{}: runc refuses the profile and the container does not start; "
                                "sandbox leaves it out, as its calls cannot happen on this {} "
                                "machine. Docker's archMap may name it (only the native entry "
                                "reaches runc)",
                                why, native_name));
                continue;
            }
            add(Severity::Info, fmt::format("architectures[{}]", i), "foreign-arch",
                fmt::format("{} is not an ABI of this {} machine: its rules are compiled but "
                            "never used here",
                            a, native_name));
        }
        if (!p_.architectures.empty() && !native_listed)
            add(Severity::Info, "architectures", "foreign-arch",
                fmt::format("the native {} is not listed: libseccomp (sandbox, runc) adds it "
                            "anyway",
                            native_name));
    }

    void docker_only(const Rule& r) {
        const std::string action = describe(r.action);
        const auto filter = [&](const RuleFilter& f, const char* which, bool include) {
            const std::string base = r.key + "." + which;
            if (!f.caps.empty())
                add(Severity::Warning, base + ".caps", "docker-only",
                    fmt::format("containerd ignores {} (the OCI runtime spec has no such key): "
                                "this {} rule applies there to every container, {} {}",
                                which, action, include ? "with or without" : "even with",
                                join(f.caps)));
            if (!f.arches.empty())
                add(Severity::Warning, base + ".arches", "docker-only",
                    fmt::format("containerd ignores {}: this {} rule applies there on every "
                                "architecture{}",
                                which, action,
                                include ? "" : fmt::format(", {} too", join(f.arches))));
            if (f.min_kernel)
                add(Severity::Warning, base + ".minKernel", "docker-only",
                    fmt::format("containerd ignores {}.minKernel: this {} rule applies there on "
                                "every kernel, {} {} too",
                                which, action, include ? "older than" : "", *f.min_kernel));
        };
        filter(r.includes, "includes", true);
        filter(r.excludes, "excludes", false);
    }

    void rule(const Rule& r) {
        if (!r.includes.empty() || !r.excludes.empty()) docker_only(r);
        if (r.action.data && r.action.action == Action::Errno && !real_errno(*r.action.data))
            add(Severity::Warning, r.key + ".errnoRet", "errno-value",
                not_an_errno(*r.action.data));
        if (same_action(r.action, p_.default_action)) {
            if (ret_denies_action(p_.default_action.action))
                add(Severity::Info, r.key + ".action", "same-as-default",
                    fmt::format("{} is also the default action: the rule is left out of the "
                                "filter (libseccomp refuses it); its names only count for which "
                                "syscalls are newer than the profile (those get ENOSYS)",
                                describe(r.action)));
            else
                add(Severity::Warning, r.key + ".action", "same-as-default",
                    fmt::format("{} is also the default action: the rule changes nothing "
                                "(libseccomp refuses it; sandbox and runc leave it out)",
                                describe(r.action)));
        }
        if (r.action.action == Action::Notify && !p_.listener_path)
            add(Severity::Warning, r.key + ".action", "notify",
                "SCMP_ACT_NOTIFY without listenerPath: runc refuses to start the container, so a "
                "Pod with this profile does not start (a Pod cannot set listenerPath); `sandbox "
                "run` is its own agent");
        else if (r.action.action == Action::Notify)
            add(Severity::Info, r.key + ".action", "notify",
                "SCMP_ACT_NOTIFY: runc hands the listener to the agent at listenerPath; `sandbox "
                "run` ignores it and is its own agent");
        if (r.uses_name_key)
            add(Severity::Warning, r.key + ".name", "docker-name",
                fmt::format("\"name\" is Docker's: containerd and runc read only \"names\" "
                            "(the OCI runtime spec has no \"name\"), so on a Kubernetes node this "
                            "rule names no syscall and does nothing; write \"names\": [\"{}\"]",
                            r.names.empty() ? "" : r.names[0]));
        if (repeats_an_index(r.args)) repeated_index(r);

        std::set<std::string> seen;
        for (std::size_t j = 0; j < r.names.size(); ++j) {
            const std::string& name = r.names[j];
            const std::string key = fmt::format("{}.names[{}]", r.key, j);
            if (!seen.insert(name).second) {
                add(Severity::Info, key, "duplicate",
                    fmt::format("\"{}\" is listed twice in this rule", name));
                continue;
            }
            if (seccomp_syscall_resolve_name(name.c_str()) == __NR_SCMP_ERROR) {
                const auto* v = seccomp_version();
                add(Severity::Warning, key, "unknown-syscall",
                    fmt::format("unknown syscall \"{}\" (libseccomp {}.{}.{}): runc and sandbox "
                                "skip it, `sandbox run --strict` refuses it; a typo?",
                                name, v->major, v->minor, v->micro));
                continue;
            }
            names_.push_back({&r, j, name});
            syscall_checks(r, name, key);
        }
        // The argument table is this machine's: a rule for other arches (Docker's s390 clone
        // rule, whose flags are arg1) reads its arguments in another order.
        if (applies_to_native_abi(r)) {
            pointer_conditions(r);
            high_bits(r);
        }
    }

    static bool applies_to_native_abi(const Rule& r) {
        const std::string go = util::arch::native().go_name;
        const auto in = [&go](const std::vector<std::string>& v) {
            return std::find(v.begin(), v.end(), go) != v.end();
        };
        if (in(r.excludes.arches)) return false;
        return r.includes.arches.empty() || in(r.includes.arches);
    }

    void flags() {
        for (std::size_t i = 0; i < p_.flags.size(); ++i) {
            const std::string& f = p_.flags[i];
            const bool runc12 = f == "SECCOMP_FILTER_FLAG_LOG" ||
                                f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW" ||
                                f == "SECCOMP_FILTER_FLAG_TSYNC";
            add(Severity::Warning, fmt::format("flags[{}]", i), "flags",
                runc12 ? fmt::format("runc before 1.2 (Debian 12's 1.1.5) refuses a profile with "
                                     "\"flags\": the container does not start; runc 1.2 and "
                                     "sandbox take {}",
                                     f)
                       : fmt::format("runc (1.2 too) does not know {} and refuses the profile: "
                                     "the container does not start",
                                     f));
        }
    }

    // runc: when any argument index repeats, every condition of the rule is a rule of its own.
    void repeated_index(const Rule& r) {
        std::map<unsigned, std::vector<const ArgCondition*>> per_index;
        for (const auto& c : r.args) per_index[c.index].push_back(&c);
        if (per_index.size() < 2) {
            // Alternatives on one argument are ORed, as meant, unless together they hold for
            // every value: a range written as two bounds (>= 10, <= 20), or two NEs.
            if (r.args.size() < 2 || !covers_every_value(r.args)) return;
            std::vector<std::string> conds;
            for (const auto& c : r.args) conds.push_back(describe(c));
            add(Severity::Warning, r.key + ".args", "repeated-index",
                fmt::format("arg{} is compared more than once, so runc (and sandbox) OR the "
                            "conditions, and {} holds for every value: {} gets {} whatever "
                            "arg{} is. For a range, write one rule per bound with the opposite "
                            "action, or list the values",
                            r.args[0].index, join(conds, " or "),
                            r.names.empty() ? "the call" : join(r.names), describe(r.action),
                            r.args[0].index));
            return;
        }
        std::vector<std::string> alone;
        for (const auto& c : r.args) alone.push_back(describe(c));
        std::vector<std::string> meant;
        std::vector<std::string> repeated;
        for (const auto& [index, conds] : per_index) {
            if (conds.size() == 1) {
                meant.push_back(describe(*conds[0]));
                continue;
            }
            repeated.push_back(fmt::format("arg{}", index));
            std::vector<std::string> any;
            for (const auto* c : conds) any.push_back(describe(*c));
            meant.push_back("(" + join(any, " or ") + ")");
        }
        add(Severity::Warning, r.key + ".args", "repeated-index",
            fmt::format("{} compared more than once, so runc (and sandbox) make each of the {} "
                        "conditions a rule of its own: {} gets {} if {}, each alone, not only if "
                        "{}. Split the rule: one per value of {}, each with the conditions on the "
                        "other arguments",
                        join(repeated, " and ") + (repeated.size() == 1 ? " is" : " are"),
                        r.args.size(), r.names.empty() ? "the call" : join(r.names),
                        describe(r.action), join(alone, ", or "), join(meant, " and "),
                        join(repeated, " and ")));
    }

    // Whether at least one of the conditions (all on one argument) holds for every 64-bit value:
    // each condition's truth changes only at its own value (or, for a mask, anywhere), so the
    // values next to every boundary, and 0 and the maximum, decide.
    static bool covers_every_value(const std::vector<ArgCondition>& conds) {
        for (const auto& c : conds)
            if (c.op == Op::MaskedEqual && c.value != 0) return false; // holes a sample can miss
        std::vector<std::uint64_t> samples{0, ~0ULL};
        for (const auto& c : conds)
            for (const std::uint64_t d : {0ULL, 1ULL, ~0ULL}) samples.push_back(c.value + d);
        for (const std::uint64_t x : samples) {
            bool any = false;
            for (const auto& c : conds) any = any || condition_holds(c, x);
            if (!any) return false;
        }
        return true;
    }

    // A condition on an argument the kernel reads as 32 bits (decode::argument_bits), whose truth
    // the high 32 bits of the register can change: runc compares all 64, the kernel runs the call
    // as the low 32 say. Reported when that changes the verdict: a Warning when such a call gets
    // past a rule meant to stop it, a note when it is denied though the rule meant it allowed.
    void high_bits(const Rule& r) {
        const auto denies = [](const ActionSpec& a) {
            return ret_denies_action(a.action) || a.action == Action::Trace;
        };
        const bool rule_denies = denies(r.action);
        const bool default_denies = denies(p_.default_action);
        for (std::size_t k = 0; k < r.args.size(); ++k) {
            const ArgCondition& c = r.args[k];
            std::vector<std::string> on;
            unsigned bits = 0; // the widest the kernel reads among them
            for (const auto& name : r.names)
                if (decode::argument_is_32bit(name, c.index) &&
                    std::find(on.begin(), on.end(), name) == on.end()) {
                    on.push_back(name);
                    bits = std::max(bits, decode::argument_bits(name, c.index));
                }
            if (on.empty()) continue;
            const std::uint64_t low = (std::uint64_t{1} << bits) - 1;
            const std::string width = bits == 32 ? "a 32-bit int" : fmt::format("{} bits", bits);
            const std::string key = fmt::format("{}.args[{}]", r.key, k);
            if (c.op == Op::MaskedEqual && (c.value & ~low) == 0) continue; // the mask drops them
            if (c.op != Op::MaskedEqual && (c.value & ~low) != 0) {
                add(Severity::Info, key, "high-bits",
                    fmt::format("arg{} of {} is {}: the kernel never sees the high bits of {:#x}",
                                c.index, join(on), width, c.value));
                continue;
            }
            // With high bits set: EQ, LT, LE and a MASKED_EQ whose mask has high bits become
            // false (the rule no longer applies), NE, GT and GE true (it applies).
            const bool becomes_true =
                c.op == Op::NotEqual || c.op == Op::GreaterThan || c.op == Op::GreaterEqual;
            const bool verdict_was = becomes_true ? default_denies : rule_denies;
            const bool verdict_is = becomes_true ? rule_denies : default_denies;
            if (verdict_was == verdict_is) continue; // the rule and the default agree
            const bool bypass = verdict_was && !verdict_is;
            std::string fix;
            if (c.op == Op::Equal)
                fix = fmt::format("; compare the low {} bits only: {{\"index\": {}, \"value\": "
                                  "{}, \"valueTwo\": {}, \"op\": \"SCMP_CMP_MASKED_EQ\"}}",
                                  bits, c.index, low, c.value);
            else if (c.op == Op::MaskedEqual)
                fix = fmt::format("; leave the high bits out of the mask: \"value\": {:#x}",
                                  c.value & low);
            else if (bypass && becomes_true)
                fix = "; allow the permitted values instead, with conditions high bits make "
                      "false (LT, LE, EQ), as the bundled runtime-default does for socket";
            else if (bypass)
                fix = fmt::format("; deny each value with its own rule, SCMP_CMP_MASKED_EQ with "
                                  "mask {:#x}",
                                  low);
            add(bypass ? Severity::Warning : Severity::Info, key, "high-bits",
                fmt::format("arg{} of {} is {}, but runc compares all 64 bits: with high bits "
                            "set, \"{}\" is {} while the kernel runs the call as the low bits "
                            "say, so such a call {}{}",
                            c.index, join(on), width, describe(c), becomes_true ? "true" : "false",
                            bypass
                                ? fmt::format("gets past the rule (a bypass): {} instead of "
                                              "{}",
                                              describe(becomes_true ? r.action : p_.default_action),
                                              describe(becomes_true ? p_.default_action : r.action))
                                : "is denied though the rule meant it allowed",
                            fix));
        }
    }

    // runc's ENOSYS stub covers only numbers above the highest one named: a deny-by-default
    // profile naming syscalls newer than clone3 but not clone3 gives clone3 the default errno.
    void clone3_below_newest() {
        if (!wants_enosys_stub(p_.default_action)) return;
        const auto context = CompileContext::for_this_kernel({}, false);
        const std::uint32_t native = util::arch::native().token;
        const int clone3 = seccomp_syscall_resolve_name_arch(native, "clone3");
        if (clone3 < 0) return;
        std::set<std::string> newer;
        for (const auto& r : p_.rules) {
            if (!rule_applies(r, context)) continue;
            for (const auto& n : r.names) {
                if (n == "clone3") return;
                if (seccomp_syscall_resolve_name_arch(native, n.c_str()) > clone3) newer.insert(n);
            }
        }
        if (newer.empty()) return;
        add(Severity::Warning, "syscalls", "clone3-eperm",
            fmt::format("clone3 is not named, but newer syscalls are ({}): runc's ENOSYS stub "
                        "covers only numbers above the newest one named, so clone3 gets the "
                        "default, {}, and glibc's pthread_create and posix_spawn fail (they fall "
                        "back to clone only on ENOSYS); add {{\"names\": [\"clone3\"], "
                        "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}}, as Docker's "
                        "profile does",
                        join(std::vector<std::string>(newer.begin(), newer.end())),
                        describe(p_.default_action)));
    }

    void syscall_checks(const Rule& r, const std::string& name, const std::string& key) {
        const Action a = r.action.action;
        if (name == "clone3" &&
            (ret_denies_action(a) && !(a == Action::Errno && errno_of(r.action) == ENOSYS)))
            add(Severity::Warning, key, "clone3-errno",
                fmt::format("clone3 gets {}: glibc 2.34+ creates threads (and posix_spawn "
                            "children) with clone3 and falls back to clone only on ENOSYS, so "
                            "pthread_create fails; give clone3 \"errnoRet\": 38 (ENOSYS)",
                            describe(r.action)));
        if (allows(a) && std::find(kIoUring.begin(), kIoUring.end(), name) != kIoUring.end())
            add(Severity::Warning, key, "io-uring",
                fmt::format("allows {}: io_uring operations (reads, writes, opens, connects) are "
                            "not syscalls, so no seccomp filter sees them",
                            name));
        if (a == Action::Notify && std::find(kHandoverSyscalls.begin(), kHandoverSyscalls.end(),
                                             name) != kHandoverSyscalls.end())
            add(Severity::Warning, key, "notify-handover",
                fmt::format("SCMP_ACT_NOTIFY on {}: the runtime itself makes this call after "
                            "installing the filter, before the agent has the listener, and "
                            "waits forever (runc refuses NOTIFY on write)",
                            name));
    }

    static bool ret_denies_action(Action a) {
        return a == Action::Errno || is_kill(a) || a == Action::Trap;
    }

    void pointer_conditions(const Rule& r) {
        for (std::size_t k = 0; k < r.args.size(); ++k) {
            const ArgCondition& c = r.args[k];
            std::vector<std::string> on;
            for (const auto& name : r.names)
                if (argument_is_pointer(name, c.index) &&
                    std::find(on.begin(), on.end(), name) == on.end())
                    on.push_back(name);
            if (on.empty()) continue;
            add(Severity::Warning, fmt::format("{}.args[{}]", r.key, k), "pointer-argument",
                fmt::format("arg{} of {} is a pointer: the filter compares the address, never "
                            "the string or struct behind it, so \"{}\" does not do what it seems",
                            c.index, join(on), describe(c)));
        }
    }

    // Duplicates, conflicts and unreachable rules, judged by the compiled filter's own verdicts
    // (libseccomp decides: the first of two unconditional rules wins, an unconditional rule wins
    // over conditional ones). Rules with includes/excludes are left out: they apply per run.
    void across_rules() {
        std::optional<CompiledFilter> filter;
        try {
            filter = compile(p_, CompileContext::for_this_kernel({}, false));
        } catch (const util::Error& e) {
            auto [key, message] = split_message(e.what(), p_.source);
            add(Severity::Error, key, "compile", message);
            return;
        }
        std::map<std::string, std::vector<const NameRef*>> by_name;
        for (const auto& n : names_)
            if (n.rule->includes.empty() && n.rule->excludes.empty()) by_name[n.name].push_back(&n);
        const std::uint32_t native = util::arch::native().token;
        for (const auto& n : names_) {
            const auto& all = by_name[n.name];
            if (all.size() < 2 || std::find(all.begin(), all.end(), &n) == all.end()) continue;
            const int nr = seccomp_syscall_resolve_name_arch(native, n.name.c_str());
            if (nr < 0) continue; // not a syscall of this architecture: nothing to evaluate
            const Rule& r = *n.rule;
            const std::string key = fmt::format("{}.names[{}]", r.key, n.index);
            seccomp_data d{};
            d.nr = nr;
            d.arch = native;
            if (!r.args.empty()) {
                for (const auto& c : r.args) d.args[c.index] = witness(c);
                const Verdict v = filter->decide(d);
                if (v.rule != r.key && !same_action(r.action, p_.default_action))
                    add(Severity::Warning, key, "unreachable",
                        fmt::format("the condition on {} never decides: {} does ({}); "
                                    "libseccomp lets an unconditional rule win over conditional "
                                    "ones, and the first of two alike",
                                    n.name, v.rule, describe_ret(v.ret)));
                continue;
            }
            // Unconditional: which of the unconditional rules for this name the filter uses.
            const Verdict v = filter->decide(d);
            if (v.rule == r.key) continue;
            const NameRef* winner = nullptr;
            for (const auto* o : all)
                if (o->rule->args.empty() && o->rule->key == v.rule) winner = o;
            if (winner == nullptr) continue; // the default decides: same-as-default says why
            if (same_action(winner->rule->action, r.action))
                add(Severity::Info, key, "duplicate",
                    fmt::format("\"{}\" is already in {} with the same action", n.name,
                                winner->rule->key));
            else
                add(Severity::Warning, key, "conflict",
                    fmt::format("\"{}\" is also in {}, both unconditional: the compiled filter "
                                "gives {} from {}, and this rule's {} never applies",
                                n.name, winner->rule->key, describe_ret(v.ret), v.rule,
                                describe(r.action)));
        }
    }

    // Argument values that make one condition true (as policy::explain picks them).
    static std::uint64_t witness(const ArgCondition& c) {
        switch (c.op) {
        case Op::NotEqual:
        case Op::GreaterThan:
            return c.value + 1;
        case Op::LessThan:
            return c.value == 0 ? 0 : c.value - 1;
        case Op::MaskedEqual:
            return c.value_two;
        default:
            return c.value;
        }
    }

    struct NameRef {
        const Rule* rule;
        std::size_t index; // in rule->names
        std::string name;
    };

    const Policy& p_;
    LintReport report_;
    std::vector<NameRef> names_; // every known syscall name, in file order
};

} // namespace

std::size_t LintReport::count(Severity s) const {
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [s](const LintFinding& f) { return f.severity == s; }));
}

int LintReport::exit_code() const {
    if (count(Severity::Error) > 0) return 2;
    if (count(Severity::Warning) > 0) return 1;
    return 0;
}

std::string severity_name(Severity s) {
    switch (s) {
    case Severity::Info:
        return "info";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "?";
}

bool argument_is_pointer(std::string_view syscall, unsigned index) {
    const decode::SyscallInfo* info = decode::find(syscall);
    return info != nullptr && index < info->nargs &&
           decode::kind_is_pointer(info->args[index].kind);
}

LintReport lint(const Policy& p) {
    return Linter(p).run();
}

LintReport lint_text(std::string_view text, const std::string& source) {
    Policy p;
    try {
        p = parse(text, source);
    } catch (const util::Error& e) {
        LintReport r;
        r.source = source;
        auto [key, message] = split_message(e.what(), source);
        r.findings.push_back({Severity::Error, key, "structure", message});
        return r;
    }
    return lint(p);
}

LintReport lint_file(const std::string& path) {
    std::string text;
    try {
        text = read_profile(path); // a regular file of at most 4 MiB, read without blocking
    } catch (const util::Error& e) {
        LintReport r;
        r.source = path;
        r.findings.push_back({Severity::Error, "", "read", e.what()});
        return r;
    }
    return lint_text(text, path);
}

} // namespace policy
