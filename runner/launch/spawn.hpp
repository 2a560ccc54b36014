// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "launch/plan.hpp"
#include "util/unique_fd.hpp"

namespace launch {

struct Outcome {
    bool signaled = false;
    int exit_code = 0; // the command's code, or 128+signal
    int signal = 0;
    int pid_inside = 0;
    pid_t command_pid = 0; // the command's pid as sandbox sees it (0 when unknown)
    // --time-limit ran out: sandbox killed the whole run (signaled, SIGKILL, exit_code 137)
    bool timed_out = false;
    int time_limit_seconds = 0;
    bool oom_killed = false; // SIGKILL, and the OOM killer acted in the sandbox's memory cgroup
};

using WarningSink = std::function<void(const std::string& message)>;

// The notify supervisor, as the launch sees it: it gets the listener once fetched from the
// command, is called when the listener is readable, and flushes when the loop goes idle.
class ListenerHandler {
public:
    virtual ~ListenerHandler() = default;
    virtual void attach(util::unique_fd listener) = 0;
    [[nodiscard]] virtual int fd() const = 0;
    virtual bool handle_ready() = 0; // false: the listener hung up
    virtual void idle() = 0;
    // Whether idle() has anything to do (buffered output): saves a poll per notification.
    [[nodiscard]] virtual bool wants_idle() const = 0;
};

// Clone into the planned namespaces, let init finish the isolation and exec the command, forward
// signals, and wait. Setup failures throw util::Error (exit_code::setup, not_found, cannot_exec)
// with the failed step, its object, errno and a hint; the command has not run then.
// The ptrace engine, as the launch sees it (--results).
class TraceHandler {
public:
    virtual ~TraceHandler() = default;
    virtual void seize(pid_t command) = 0;
    // Handle pending ptrace stops; returns init's wait status once init (not a tracee) has exited.
    virtual std::optional<int> reap(pid_t init) = 0;
    virtual void idle() = 0;
};

Outcome run(const Plan& plan, const WarningSink& warn, ListenerHandler* handler = nullptr,
            TraceHandler* tracer = nullptr);

} // namespace launch
