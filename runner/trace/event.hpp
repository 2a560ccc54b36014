// SPDX-License-Identifier: Apache-2.0
#pragma once
// One observed syscall: what every engine (the notify supervisor now, ptrace later) produces and
// every consumer (strace-style printer, JSON-lines writer, -c summary, lesson checker, policy
// recorder) reads. Plain data.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "decode/value.hpp"

namespace trace {

enum class Verdict {
    Allowed,   // the policy allows it; the kernel ran it
    Denied,    // the policy denied it: errno returned (result/err are set)
    Killed,    // the policy's KILL action: the process was killed at this call
    WouldDeny, // --audit: the policy would deny it; it ran
    Injected,  // --inject failed it on purpose (result/err set)
    Emulated,  // --emulate: the supervisor answered it itself; the kernel never ran it (result set)
};

// How a line stands among the others (the ptrace engine; the notify supervisor prints Whole only):
// an entry held back until its exit becomes Unfinished when another thread's event comes first,
// and its exit is then printed as Resumed (strace's `<unfinished ...>` / `<... resumed>`).
enum class Phase { Whole, Unfinished, Resumed };

struct Event {
    double time = 0;        // CLOCK_REALTIME seconds, for -t/-tt/-ttt and JSON
    pid_t pid = 0;          // thread group id (process), as seen from sandbox
    pid_t tid = 0;          // the thread that made the call, as seen from sandbox
    int nr = 0;             // syscall number on `arch`
    std::uint32_t arch = 0; // AUDIT_ARCH_* token
    std::string name;       // "openat"; "syscall_1234" when unknown
    std::array<std::uint64_t, 6> args{};
    std::vector<decode::Value> decoded; // one per argument the table knows; empty: print raw hex
    Verdict verdict = Verdict::Allowed;
    std::string rule;           // "syscalls[3]", "defaultAction", ... (denials, audit, inject)
    std::string action;         // the policy's action for denials: "ERRNO(EPERM)", "KILL_PROCESS"
    std::optional<long> result; // known only for calls the supervisor answered itself
    int err = 0;                // errno when result == -1
    bool restarted = false;     // the same call notified again after a signal interrupted it
    Phase phase = Phase::Whole;
    std::optional<double> duration; // seconds between entry and exit (ptrace engine, -T)
    bool unknown_result = false;    // the call never returned (exit_group): strace's "= ?"
};

// What sandbox knows of a seccomp kill that ended a process with SIGSYS, for its exit line and the
// diagnostics: the call, when an engine saw it die (the ptrace engine's exit stop, or the
// command's own execve), else the policy's rules that could have done it. Plain data.
struct SeccompKill {
    std::string syscall; // "ptrace"; empty when the call is not known
    std::string call;    // it in strace syntax: `ptrace(PTRACE_TRACEME, 0, NULL, NULL)`
    std::string rule;    // the rule that killed it ("syscalls[0]", "defaultAction")
    std::string action;  // "KILL_PROCESS", "KILL_THREAD"
    struct Candidate {
        std::string rule;   // "syscalls[2]", "defaultAction"
        std::string action; // "KILL_PROCESS", "KILL_THREAD", "TRAP"
        std::vector<std::string> syscalls;
    };
    std::vector<Candidate> candidates; // the policy's rules that kill (when the call is not known)
};

} // namespace trace
