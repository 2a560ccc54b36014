// SPDX-License-Identifier: Apache-2.0
#pragma once
// The child -> parent channel (a SOCK_SEQPACKET socketpair): setup errors with errno, warnings,
// and finally the command's wait status from the sandbox's init. Fixed-size records so the child
// never allocates to report.
#include <cstdint>

namespace launch::report {

// Listener: the command is about to install its filter; the listener will be fd `status` in it.
// The parent learns the command's pid (in its own PID namespace) from SCM_CREDENTIALS.
// TraceMe: the command waits to be seized by the ptrace engine (--results); it reads one byte
// from the socket before it installs its filter.
enum class Kind : std::uint32_t { Error = 1, Warning = 2, Exit = 3, Listener = 4, TraceMe = 5 };

struct Message {
    Kind kind;
    std::int32_t err;    // errno (Error/Warning)
    std::int32_t status; // wait status (Exit), or the exit code to use (Error)
    std::int32_t pid;    // the command's pid inside the sandbox (Exit)
    char step[48];       // "mount", "pivot_root", "execve", ...
    char object[256];    // what it was applied to
};

} // namespace launch::report
