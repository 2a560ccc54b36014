// SPDX-License-Identifier: Apache-2.0
#pragma once
// strace-shaped text for events: `[pid  N] 12:00:01.123456 openat(AT_FDCWD, "/etc/passwd",
// O_RDONLY|O_CLOEXEC) = -1 EPERM (Operation not permitted) <denied by syscalls[3]>`.
// The printer owns all of the syntax: quoting, escapes, `...`, `[a, b]`, `{k=v}`, `A|B|0x10`,
// NULL, `/* comments */`, `3</path>` (see decode/decoder.hpp for what the Values mean).
#include <string>
#include <sys/types.h>

#include "decode/value.hpp"
#include "trace/event.hpp"

namespace trace {

struct PrintOptions {
    int timestamps = 0; // 0 none, 1 -t HH:MM:SS, 2 -tt HH:MM:SS.micro, 3 -ttt epoch.micro
    bool colour = false;
    bool durations = false; // -T: ` <0.000012>` after calls whose duration is known
    int hex_strings = 0;    // -x 1: non-ASCII strings as \xHH; -xx 2: every string
};

// One line, ending in "\n". Line endings by verdict:
//   Allowed, no result      `name(args)`               (the notify supervisor never learns results)
//   Allowed with a result   `name(args) = 3`, `= -1 ENOENT (No such file or directory)`, hex for
//                           calls returning addresses (mmap)
//   Denied                  `name(args) = -1 EPERM (Operation not permitted) <denied by RULE>`
//   WouldDeny               `name(args) <would deny: ERRNO(EPERM) by RULE>`
//   Injected                `name(args) = -1 ENOENT (No such file or directory) (INJECTED)`
//   Killed                  `name(args) = ? <killed by seccomp: KILL_PROCESS by RULE>`
// The " = " is padded to column 40 as strace does. A restarted call (the same call notified again
// after a signal) gets ` <restarted>` at the very end. With colour, denied and killed lines are
// red and would-deny lines yellow (the whole line; the newline stays outside the colour).
std::string format_line(const Event& e, bool show_pid, const PrintOptions& o);

// strace's last line for a process: `+++ exited with 0 +++`, `+++ killed by SIGSYS +++`,
// `+++ killed by SIGSEGV (core dumped) +++`; `[pid  N] ` before it when show_pid. Ends in "\n".
// With `kill` (a death by SIGSYS the policy's KILL explains), what is known of it:
// `+++ killed by SIGSYS (seccomp KILL_PROCESS at ptrace by syscalls[0]) +++`, or the rules that
// could have done it: `+++ killed by SIGSYS (seccomp KILL: syscalls[0] or defaultAction) +++`.
std::string format_exit(pid_t pid, int status, bool show_pid, const SeccompKill* kill = nullptr);

// One decoded value in strace syntax (used by format_line; exposed for tests and lessons).
// `hex_strings` as in PrintOptions.
std::string format_value(const decode::Value& v, int hex_strings = 0);
// Bytes as strace quotes them: "a\tb\0330" (no `...`).
std::string quote_string(const std::string& bytes);

} // namespace trace
