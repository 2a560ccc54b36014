#pragma once
// Calls the supervisor answers itself, as gVisor's Sentry answers every call of its sandboxed
// application: the kernel never runs them. `--emulate uname` reports what gVisor reports (Linux
// 4.19.0-gvisor) instead of the host kernel: a learner sees the answer came from user space.
// Decide (parse_emulation, Emulation::handles) is separate from do (answer: writes the target).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <sys/utsname.h>
#include <vector>

namespace supervise {

struct Emulation {
    bool uname = false;
    struct utsname uts {}; // the answer uname gets

    [[nodiscard]] bool any() const { return uname; }
    [[nodiscard]] bool handles(std::string_view syscall) const {
        return uname && syscall == "uname";
    }
};

// "--emulate uname" or "uname:release=R[:version=V]"; `nodename` is the hostname the command
// sees. Throws a usage error for anything else.
Emulation parse_emulation(const std::vector<std::string>& specs, const std::string& nodename);

// Answer the call for thread `tid`: write the result into its memory. Returns the call's return
// value: 0, or -errno (-EFAULT when the buffer is not writable). Only for handles(name) calls,
// and only after the engine made sure the call is still pending (the target cannot be a
// recycled pid).
long answer(const Emulation& emulation, std::string_view name,
            const std::array<std::uint64_t, 6>& args, pid_t tid);

} // namespace supervise
