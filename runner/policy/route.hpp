// SPDX-License-Identifier: Apache-2.0
#pragma once
// The filters installed in the kernel when a supervisor (or the ptrace engine) runs. The policy's
// own program (CompiledFilter from policy::compile) stays the judge of every verdict; these only
// decide where each syscall goes.
//
// The kill filter, installed first: the policy's own program where it kills or traps, ALLOW
// everywhere else. The kernel runs every filter and the strongest action wins (KILL_PROCESS >
// KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE > ALLOW), so a call dies exactly where the
// policy's program says, and no filter the command installs later can turn that into an errno.
//
// The routed filter, installed second (with the listener):
//   - selected by -e trace= (or --inject): USER_NOTIF, the supervisor logs it and answers;
//   - denied by the policy (ERRNO, the policy's own NOTIFY): USER_NOTIF, so every denial is
//     logged; the supervisor answers with the policy's errno;
//   - KILL: USER_NOTIF too. With the kill filter in place the kernel kills first and never asks;
//     without it (--audit) the supervisor logs "would deny". Routing rather than copying the KILL
//     keeps every merge libseccomp makes in this program on the safe side: at worst a call reaches
//     the supervisor, which asks the policy's own program;
//   - allowed and not selected: ALLOW in the kernel; it never reaches the supervisor;
//   - LOG: in the kernel, which writes the audit record a node would, unless -e trace= names the
//     call (Routing::traces_log);
//   - TRACE: USER_NOTIF; without a tracer the kernel fails such a call with ENOSYS, as on a node,
//     and the supervisor answers so (the ptrace engine, which is a tracer, does the same);
//   - TRAP: kept in the kernel (a supervisor cannot reproduce it);
//   - execve: always the supervisor's (the launch's hand-off waits there).
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "policy/compile.hpp"
#include "util/kernel_compat.hpp"

namespace policy {

struct Routing {
    bool all = true;                     // every syscall is selected ...
    std::set<std::string> names;         // ... except these (all) / only these (!all)
    std::set<std::string> always_notify; // e.g. --inject targets
    // SCMP_ACT_LOG calls stay in the kernel, which writes their audit record (type=1326) as on a
    // node, unless -e trace= names them (or --inject): a trace line instead of the record. Off
    // for `policy record`, which must see every call.
    bool log_in_kernel = true;

    [[nodiscard]] bool selected(const std::string& name) const {
        return all ? names.count(name) == 0 : names.count(name) != 0;
    }
    [[nodiscard]] bool traces_log(const std::string& name) const {
        return !log_in_kernel || (!all && names.count(name) != 0) || always_notify.count(name) != 0;
    }
};

struct RoutedFilter {
    std::vector<sock_filter> program;
    bool notifies = false; // some path returns the stop action: a supervisor (or tracer) is needed
    // Syscalls a LOG verdict of which goes to sandbox, not the kernel (no audit record): named
    // in -e trace= or --inject, execve (the hand-off), or decided by the supervisor because
    // their conditional rules cannot be routed in the kernel. For run's warning.
    std::vector<std::string> log_supervised;
    std::string pseudo_code;
};

// `stop` is how a call reaches sandbox: SECCOMP_RET_USER_NOTIF (the notify supervisor) or
// SECCOMP_RET_TRACE (the ptrace engine, --results).
RoutedFilter route(const Policy& policy, const CompiledFilter& compiled, const Routing& routing,
                   std::uint32_t stop = SECCOMP_RET_USER_NOTIF);

// Where one filter return value goes under routing (exposed for the tests).
std::uint32_t route_ret(std::uint32_t policy_ret, bool selected,
                        std::uint32_t stop = SECCOMP_RET_USER_NOTIF, bool trace_log = false);

// The syscalls with a LOG rule, and whether the default is LOG (every syscall without a rule of its
// own): for run's note (RoutedFilter::log_supervised says which of them the kernel does not log).
struct LogRouting {
    bool log_default = false;
    std::vector<std::string> logged; // syscalls with a LOG rule
};
LogRouting log_routing(const CompiledFilter& compiled);

// ---- the kill filter ----

// Whether the policy's program returns, for a call of an architecture it lists, an action only the
// kernel can carry out (KILL_PROCESS, KILL_THREAD, TRAP): then the kill filter is installed. (Calls
// of other architectures are killed by the routed filter's own bad-architecture action.)
bool kills_in_kernel(const CompiledFilter& compiled);

// The launch installs the routed filter with a second seccomp() call, after the kill filter, which
// would kill that call under a policy that kills seccomp. The call carries this key in its
// arguments 3 and 4 (the kernel ignores them), and the kill filter lets exactly that call through;
// the routed filter is not in place yet, and the key, random per run, is gone with execve. Should
// a command learn it all the same (it would have to read sandbox's memory or its own filter), the
// routed filter still sends that seccomp() to sandbox, which denies it: it never runs.
struct InstallKey {
    std::uint64_t first = 0;
    std::uint64_t second = 0;
};

// The program the kill filter runs: the exemption for `key`, then keep_kernel_kills(the policy's
// program). Throws util::Error (exit_code::policy) when it is longer than the kernel's 4096.
std::vector<sock_filter> kill_filter(const Policy& policy, const CompiledFilter& compiled,
                                     const InstallKey& key);

// `program` with every BPF_RET|BPF_K whose action the kernel neither kills nor traps for turned
// into SECCOMP_RET_ALLOW; jumps and loads are unchanged, so it kills exactly where `program` does.
// Throws util::Error (internal) for a return of the accumulator, which libseccomp never emits.
std::vector<sock_filter> keep_kernel_kills(std::span<const sock_filter> program);

// The policy's rules that end a process with SIGSYS (KILL_PROCESS, KILL_THREAD, TRAP), one per
// key in profile order, then the defaultAction if it is one: what to name when a process died by
// SIGSYS and nothing saw the call.
struct KillRule {
    std::string key;                   // "syscalls[2]", "defaultAction"
    std::string action;                // "KILL_PROCESS", "KILL_THREAD", "TRAP"
    std::vector<std::string> syscalls; // the names it covers (empty for defaultAction)
};
std::vector<KillRule> kill_rules(const CompiledFilter& compiled);

} // namespace policy
