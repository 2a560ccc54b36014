// SPDX-License-Identifier: Apache-2.0
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

#include "decode/decoder.hpp"
#include "trace/event.hpp"

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

// Answer the call of `e` (verdict Emulated) for thread `tid`: write the answer into its memory
// and set e.result (or -1 and e.err: EFAULT when the buffer is not writable); with `decode`, also
// decode what the call "wrote" into e.decoded. Returns the call's return value, or -errno. Only
// after the engine made sure the call is still pending (the target cannot be a recycled pid).
long answer(const Emulation& emulation, trace::Event& e, pid_t tid, const decode::Options* decode);

} // namespace supervise
