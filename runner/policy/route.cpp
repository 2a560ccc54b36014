// SPDX-License-Identifier: Apache-2.0
#include "policy/route.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <map>

#include <fmt/format.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "policy/libseccomp.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"
#include "util/kernel_compat.hpp"
#include "util/unique_fd.hpp"

namespace policy {
namespace {

using libseccomp::to_scmp;

constexpr std::size_t kMaxInstructions = 4096; // BPF_MAXINSNS, per filter

// What the kernel does itself and no supervisor can: kill, or trap. An action value the kernel
// does not know kills too (seccomp.c: the default case of __seccomp_filter).
bool kernel_only(std::uint32_t ret) {
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_ALLOW:
    case SECCOMP_RET_LOG:
    case SECCOMP_RET_TRACE:
    case SECCOMP_RET_USER_NOTIF:
    case SECCOMP_RET_ERRNO:
        return false;
    default:
        return true;
    }
}

// The 32-bit half of seccomp_data.args[index] that holds bits 0..31 (low) or 32..63 (high).
std::uint32_t arg_word(unsigned index, bool high) {
    const auto base = static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * index);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return base + (high ? 4 : 0);
#else
    return base + (high ? 0 : 4);
#endif
}

} // namespace

std::uint32_t route_ret(std::uint32_t ret, bool selected, std::uint32_t stop, bool trace_log) {
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_ALLOW:
        return selected ? stop : ret;
    case SECCOMP_RET_LOG:
        return selected && trace_log ? stop : ret;
    case SECCOMP_RET_ERRNO:
    case SECCOMP_RET_KILL_PROCESS:
    case SECCOMP_RET_KILL_THREAD:
    case SECCOMP_RET_USER_NOTIF:
    case SECCOMP_RET_TRACE: // no tracer on a node: ENOSYS; sandbox answers so, and logs it
        return stop;
    default:
        return ret; // TRAP
    }
}

RoutedFilter route(const Policy& p, const CompiledFilter& compiled, const Routing& routing,
                   std::uint32_t stop) {
    RoutedFilter out;
    const std::uint32_t installed_default =
        route_ret(compiled.default_ret, routing.all, stop, !routing.log_in_kernel);
    // Built by libseccomp in a child with a CPU-time limit, as compile does: the policy's own
    // conditions come back here under other return values (libseccomp::build).
    libseccomp::BuildSpec spec;
    spec.default_action = installed_default;
    spec.tolerate_duplicates = true;
    const std::uint32_t native = util::arch::native().token;
    for (std::uint32_t a : compiled.arches)
        if (a != native) spec.extra_arches.push_back(a);
    std::vector<std::string> rule_names; // per spec rule, for messages

    // Group the policy's compiled rules by syscall, in order.
    std::map<std::string, std::vector<const CompiledRule*>> by_name;
    for (const auto& r : compiled.rules) by_name[r.name].push_back(&r);
    for (const auto& n : routing.names) by_name.try_emplace(n);
    for (const auto& n : routing.always_notify) by_name.try_emplace(n);
    // execve is always the supervisor's: the command's own execve, right after the filter, is
    // where it waits until the supervisor has copied the listener (before that, an exec would
    // close the listener and every notified call would fail with ENOSYS). Logged only if selected.
    by_name.try_emplace("execve");

    const auto add = [&](const std::string& name, std::uint32_t ret,
                         const std::vector<ArgCondition>& conds) {
        if (ret == installed_default) return;
        int nr = seccomp_syscall_resolve_name(name.c_str());
        if (nr == __NR_SCMP_ERROR) return;
        std::vector<scmp_arg_cmp> cmps;
        for (const auto& c : conds)
            cmps.push_back(scmp_arg_cmp{c.index, to_scmp(c.op), c.value, c.value_two});
        spec.rules.push_back({ret, nr, std::move(cmps)});
        rule_names.push_back(name);
    };

    for (const auto& [name, rules] : by_name) {
        const bool sel =
            routing.selected(name) || routing.always_notify.count(name) != 0 || name == "execve";
        // libseccomp: an unconditional rule for a syscall overrides its conditional ones.
        const bool conditional =
            !rules.empty() && std::none_of(rules.begin(), rules.end(), [](const CompiledRule* r) {
                return r->conditions.empty();
            });
        // The policy's verdict when no condition applies: its first unconditional rule (libseccomp
        // keeps the first), else the default.
        std::uint32_t fallback = compiled.default_ret;
        for (const auto* r : rules) {
            if (r->conditions.empty()) {
                fallback = r->ret;
                break;
            }
        }
        const bool trace_log = routing.traces_log(name) || name == "execve"; // the hand-off
        // What the kernel must do itself: TRAP, and LOG (its audit record) unless traced.
        const auto kernel_keeps = [&](std::uint32_t ret) {
            const std::uint32_t a = ret & SECCOMP_RET_ACTION_FULL;
            return a == SECCOMP_RET_TRAP || (a == SECCOMP_RET_LOG && !trace_log);
        };
        const bool keeps = kernel_keeps(fallback) ||
                           std::any_of(rules.begin(), rules.end(),
                                       [&](const CompiledRule* r) { return kernel_keeps(r->ret); });
        // Whether a LOG verdict of this syscall reaches the supervisor (no audit record then).
        const auto is_log = [](std::uint32_t ret) {
            return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG;
        };
        const auto log_stops = [&](std::uint32_t ret) {
            return is_log(ret) && route_ret(ret, sel, stop, trace_log) == stop;
        };
        const bool may_log =
            is_log(fallback) || std::any_of(rules.begin(), rules.end(),
                                            [&](const CompiledRule* r) { return is_log(r->ret); });
        bool log_supervised = false;
        if (!conditional) {
            add(name, route_ret(fallback, sel, stop, trace_log), {});
            log_supervised = log_stops(fallback);
        } else if (sel && !keeps) {
            add(name, stop, {});
            log_supervised = may_log;
        } else if (route_ret(fallback, sel, stop, trace_log) == installed_default) {
            for (const auto* r : rules)
                add(name, route_ret(r->ret, sel, stop, trace_log), r->conditions);
            log_supervised = log_stops(fallback) ||
                             std::any_of(rules.begin(), rules.end(),
                                         [&](const CompiledRule* r) { return log_stops(r->ret); });
        } else {
            // libseccomp has no "else" for one syscall: an unconditional rule would override the
            // conditional ones. The supervisor decides this syscall (and logs only what it must).
            add(name, stop, {});
            log_supervised = may_log;
        }
        if (log_supervised) out.log_supervised.push_back(name);
    }

    using Failure = libseccomp::BuildResult::Failure;
    libseccomp::BuildResult built = libseccomp::build(spec);
    if (built.failure == Failure::Rule || built.failure == Failure::Timeout) {
        const std::string name =
            built.index < rule_names.size() ? rule_names[built.index] : std::string("?");
        throw util::Error(
            util::exit_code::policy,
            built.failure == Failure::Timeout
                ? fmt::format("{}: routing \"{}\" to the supervisor: libseccomp did not finish "
                              "in {} s of CPU time",
                              p.source, name, spec.cpu_seconds)
                : fmt::format("{}: routing \"{}\" to the supervisor: libseccomp: {}", p.source,
                              name, util::describe_errno(built.error)),
            "trace fewer syscalls (-e trace=...), or simplify the profile's conditions");
    }
    const std::vector<sock_filter>& lib = built.program;
    if (built.failure != Failure::None || lib.empty())
        throw util::Error(util::exit_code::internal, "could not build the routed filter: " +
                                                         util::describe_errno(built.error));
    // The policy's ENOSYS prologue stays in front: newer syscalls fail in the kernel.
    out.program.assign(compiled.program.begin(),
                       compiled.program.begin() + static_cast<long>(compiled.prologue_length));
    out.program.insert(out.program.end(), lib.begin(), lib.end());
    if (out.program.size() > 4096)
        throw util::Error(
            util::exit_code::policy,
            fmt::format(
                "{}: the filter with tracing has {} BPF instructions; the kernel accepts 4096",
                p.source, out.program.size()),
            "trace fewer syscalls (-e trace=...), or simplify the profile");
    for (const auto& ins : out.program)
        if ((ins.code == (BPF_RET | BPF_K)) && (ins.k & SECCOMP_RET_ACTION_FULL) == stop)
            out.notifies = true;
    out.pseudo_code = std::move(built.pseudo_code);
    return out;
}

LogRouting log_routing(const CompiledFilter& compiled) {
    LogRouting out;
    out.log_default = compiled.default_ret == SECCOMP_RET_LOG;
    std::set<std::string> logged;
    for (const auto& r : compiled.rules)
        if (!r.same_as_default && r.ret == SECCOMP_RET_LOG) logged.insert(r.name);
    out.logged.assign(logged.begin(), logged.end());
    return out;
}

bool kills_in_kernel(const CompiledFilter& compiled) {
    if (kernel_only(compiled.default_ret)) return true;
    return std::any_of(compiled.rules.begin(), compiled.rules.end(), [](const CompiledRule& r) {
        return !r.same_as_default && kernel_only(r.ret);
    });
}

std::vector<sock_filter> keep_kernel_kills(std::span<const sock_filter> program) {
    std::vector<sock_filter> out(program.begin(), program.end());
    for (auto& ins : out) {
        if (BPF_CLASS(ins.code) != BPF_RET) continue;
        if (BPF_RVAL(ins.code) != BPF_K)
            throw util::Error(util::exit_code::internal,
                              "the compiled filter returns a computed value; the kill filter "
                              "cannot be derived from it",
                              "please report this as a bug, with the profile");
        if (!kernel_only(ins.k)) ins.k = SECCOMP_RET_ALLOW;
    }
    return out;
}

std::vector<sock_filter> kill_filter(const Policy& p, const CompiledFilter& compiled,
                                     const InstallKey& key) {
    // The exemption, on the native ABI only (the launch's own call):
    //   ld arch; jne native -> policy; ld nr; jne seccomp -> policy;
    //   args[3] and args[4], word by word: jne key -> policy; ret ALLOW; policy...
    const auto word = [](std::uint64_t v, bool high) {
        return static_cast<std::uint32_t>(high ? v >> 32 : v);
    };
    const std::pair<unsigned, std::uint64_t> checks[] = {{3, key.first}, {4, key.second}};
    std::vector<sock_filter> out;
    out.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
    out.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, compiled.native_arch, 0, 0));
    out.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
    out.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 0));
    for (const auto& [index, value] : checks)
        for (bool high : {false, true}) {
            out.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_word(index, high)));
            out.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, word(value, high), 0, 0));
        }
    out.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    // Every conditional jump's false branch goes to the policy's program, right after the ALLOW.
    const std::size_t policy_start = out.size();
    for (std::size_t i = 0; i < out.size(); ++i)
        if (BPF_CLASS(out[i].code) == BPF_JMP)
            out[i].jf = static_cast<std::uint8_t>(policy_start - i - 1);
    const std::vector<sock_filter> kills = keep_kernel_kills(compiled.program);
    out.insert(out.end(), kills.begin(), kills.end());
    if (out.size() > kMaxInstructions)
        throw util::Error(
            util::exit_code::policy,
            fmt::format(
                "{}: the kill filter (the policy's program, {} BPF instructions, plus {} of "
                "sandbox's) has {}; the kernel accepts {} per filter",
                p.source, compiled.program.size(), policy_start, out.size(), kMaxInstructions),
            "merge rules with the same action into one \"names\" list, or drop argument "
            "conditions");
    return out;
}

std::vector<KillRule> kill_rules(const CompiledFilter& compiled) {
    std::vector<KillRule> out;
    for (const auto& r : compiled.rules) {
        if (r.same_as_default || !kernel_only(r.ret)) continue;
        auto it =
            std::find_if(out.begin(), out.end(), [&](const KillRule& k) { return k.key == r.key; });
        if (it == out.end()) it = out.insert(out.end(), KillRule{r.key, describe_ret(r.ret), {}});
        if (std::find(it->syscalls.begin(), it->syscalls.end(), r.name) == it->syscalls.end())
            it->syscalls.push_back(r.name);
    }
    if (kernel_only(compiled.default_ret))
        out.push_back(KillRule{"defaultAction", describe_ret(compiled.default_ret), {}});
    return out;
}

} // namespace policy
