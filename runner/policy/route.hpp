#pragma once
// The filter installed in the kernel when the notify supervisor runs. The policy's own program
// (CompiledFilter from policy::compile) stays the judge of every verdict; this one only decides
// where each syscall goes:
//   - selected by -e trace= (or --inject): USER_NOTIF, the supervisor logs it and answers;
//   - denied by the policy (ERRNO, KILL, the policy's own NOTIFY): USER_NOTIF, so every denial
//     is logged; the supervisor answers with the policy's errno or kills;
//   - allowed and not selected: ALLOW (or LOG) in the kernel; it never reaches the supervisor;
//   - TRAP and TRACE: kept in the kernel (a supervisor cannot reproduce them);
//   - execve: always the supervisor's (the launch's hand-off waits there).
#include <set>
#include <string>

#include "policy/compile.hpp"
#include "util/kernel_compat.hpp"

namespace policy {

struct Routing {
    bool all = true;                     // every syscall is selected ...
    std::set<std::string> names;         // ... except these (all) / only these (!all)
    std::set<std::string> always_notify; // e.g. --inject targets

    [[nodiscard]] bool selected(const std::string& name) const {
        return all ? names.count(name) == 0 : names.count(name) != 0;
    }
};

struct RoutedFilter {
    std::vector<sock_filter> program;
    bool notifies = false; // some path returns the stop action: a supervisor (or tracer) is needed
    std::string pseudo_code;
};

// `stop` is how a call reaches sandbox: SECCOMP_RET_USER_NOTIF (the notify supervisor) or
// SECCOMP_RET_TRACE (the ptrace engine, --results).
RoutedFilter route(const Policy& policy, const CompiledFilter& compiled, const Routing& routing,
                   std::uint32_t stop = SECCOMP_RET_USER_NOTIF);

// Where one filter return value goes under routing (exposed for the tests).
std::uint32_t route_ret(std::uint32_t policy_ret, bool selected,
                        std::uint32_t stop = SECCOMP_RET_USER_NOTIF);

} // namespace policy
