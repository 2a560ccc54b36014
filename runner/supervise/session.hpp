// SPDX-License-Identifier: Apache-2.0
#pragma once
// One supervised run, as `sandbox run`, `sandbox check` and `sandbox policy record` share it:
// compile the policy for the run's capabilities, build the filters (the kill filter, for the
// policy's KILLs, and the routed one: what reaches sandbox), plan the launch, run the command
// under the notify supervisor (or the ptrace engine for --results), and report the outcome as the
// kernel gives it, with what is known of a seccomp kill.
// Every event goes to the given sink; what is printed is the caller's business.
#include <optional>
#include <string>
#include <sys/types.h>

#include "launch/spawn.hpp"
#include "options.hpp"
#include "policy/model.hpp"
#include "supervise/notify.hpp"
#include "trace/event.hpp"
#include "trace/sink.hpp"

namespace supervise {

struct SessionResult {
    launch::Outcome outcome; // exit_code is 128+SIGSYS when the policy's KILL ended the command
    pid_t pid = 0;           // the command's pid (as sandbox sees it), for strace's exit line
    int wait_status = 0;     // a wait(2)-style status built from the outcome
    bool traced = false;     // the ptrace engine ran (--results)
    // The command died by SIGSYS and the policy kills (not under --audit): the call, when an
    // engine saw it, else the policy's rules that could have done it.
    std::optional<trace::SeccompKill> seccomp_kill;
};

// Throws util::Error as run_command does (invalid policy, setup failures, not found, ...).
// `note` gets the one line that says which mechanism holds each resource limit asked for.
SessionResult run_session(const options::Run& o, const policy::Policy& pol, Settings settings,
                          trace::EventSink& sink, const launch::WarningSink& warn,
                          const launch::WarningSink& note = {});

// "COMMAND was killed by SIGSYS (seccomp KILL) at ptrace(...): KILL_PROCESS by syscalls[0]; exit
// status 159", or with the policy's KILL rules when the call is not known; "COMMAND exceeded
// --time-limit 5s and was killed (SIGKILL); exit status 137" when the time limit ran out; for an
// outcome with signaled set.
std::string describe_signal_exit(const std::string& command, const SessionResult& r);

} // namespace supervise
