// SPDX-License-Identifier: Apache-2.0
#pragma once
// The ptrace engine: return values, durations and attach. For `run --results` the filter returns
// SECCOMP_RET_TRACE for the selected (and the denied) syscalls: the tracer gets a seccomp-stop at
// entry, decides (the same Judge as the notify supervisor), and for allowed calls resumes with
// PTRACE_SYSCALL to catch the exit-stop and its result; every other call runs without a stop (the
// strace --seccomp-bpf technique). For `attach PID` there is no filter to install into a running
// process: every syscall stops at entry and exit (PTRACE_SYSCALL), as `strace -p`.
#include <optional>
#include <unordered_map>

#include <linux/seccomp.h>

#include "decode/decoder.hpp"
#include "supervise/judge.hpp"
#include "supervise/notify.hpp"
#include "trace/sink.hpp"

namespace supervise {

class Tracer final : public launch::TraceHandler {
public:
    enum class Mode { Seccomp, Attach };

    Tracer(const policy::CompiledFilter& policy, Settings settings, trace::EventSink& sink,
           Mode mode);
    ~Tracer();
    Tracer(const Tracer&) = delete;
    Tracer& operator=(const Tracer&) = delete;

    // Start tracing `pid` (the command, before its filter and execve; or a running process's
    // thread). Throws util::Error with the reason the kernel gave (Yama, capabilities, another
    // tracer) and what to do.
    void seize(pid_t pid) override;
    // Every thread of a running process (attach).
    void seize_process(pid_t pid);

    // Handle every pending stop and exit (after SIGCHLD). A child of ours that is not a tracee
    // (sandbox's init) is reaped too: its wait status is returned when it exits.
    std::optional<int> reap(pid_t init) override;

    // Detach from every tracee, leaving it running as before (attach: Ctrl-C or --seconds).
    void detach_all();
    [[nodiscard]] bool tracing() const { return !threads_.empty(); }

    void idle() override { sink_.flush(); }
    // The call at which the kernel killed the command's process for the policy, as logged (the
    // latest, if several of its threads died so).
    [[nodiscard]] const std::optional<trace::Event>& command_kill() const { return command_kill_; }

private:
    struct Thread {
        bool in_syscall = false; // between entry and exit
        bool logged = false;     // the pending call is to be printed
        bool new_child = false;  // expecting its first (attach) stop
        trace::Event pending;
        double entry = 0;
    };
    void on_stop(pid_t tid, int status);
    void on_entry(pid_t tid, Thread& t);
    void on_exit(pid_t tid, Thread& t);
    void on_exit_event(pid_t tid);
    void on_gone(pid_t tid);
    void resume(pid_t tid, int signal);
    void emit(const trace::Event& e, pid_t tid);
    void close_open_line(pid_t except);
    pid_t thread_group(pid_t tid);

    const policy::CompiledFilter& policy_;
    Settings settings_;
    Judge judge_;
    trace::EventSink& sink_;
    Mode mode_;
    unsigned long options_ = 0;
    std::unordered_map<pid_t, Thread> threads_;
    std::unordered_map<pid_t, pid_t> tgids_; // per traced thread, dropped when it is reaped
    pid_t command_ = 0;                      // the first tracee: the command's process
    std::optional<trace::Event> command_kill_;
    pid_t open_line_ = 0; // the tid whose entry is held back, waiting for its exit (strace's
                          // partially printed line); another event first makes it <unfinished ...>
};

} // namespace supervise
