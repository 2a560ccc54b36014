#pragma once
// One supervised run, as `sandbox run`, `sandbox check` and `sandbox policy record` share it:
// compile the policy for the run's capabilities, route it (what reaches sandbox), plan the launch,
// run the command under the notify supervisor (or the ptrace engine for --results), and report the
// outcome as the kernel would have (a KILL the supervisor carried out is reported as SIGSYS).
// Every event goes to the given sink; what is printed is the caller's business.
#include <string>
#include <sys/types.h>

#include "launch/spawn.hpp"
#include "options.hpp"
#include "output/sink.hpp"
#include "policy/model.hpp"
#include "supervise/notify.hpp"

namespace supervise {

struct SessionResult {
    launch::Outcome outcome; // exit_code is 128+SIGSYS when the policy's KILL ended the command
    pid_t pid = 0;           // the command's pid (as sandbox sees it), for strace's exit line
    int wait_status = 0;     // a wait(2)-style status built from the outcome
};

// Throws util::Error as run_command does (invalid policy, setup failures, not found, ...).
// `note` gets the one line that says which mechanism holds each resource limit asked for.
SessionResult run_session(const options::Run& o, const policy::Policy& pol, Settings settings,
                          output::EventSink& sink, const launch::WarningSink& warn,
                          const launch::WarningSink& note = {});

// "COMMAND was killed by SIGSYS (the seccomp policy's KILL action); exit status 159", for an
// outcome with signaled set; "COMMAND exceeded --time-limit 5s and was killed (SIGKILL); exit
// status 137" when the time limit ran out.
std::string describe_signal_exit(const std::string& command, const launch::Outcome& out);

} // namespace supervise
