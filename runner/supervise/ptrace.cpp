// SPDX-License-Identifier: Apache-2.0
#include "supervise/ptrace.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include "supervise/memory.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace supervise {
namespace {

double monotonic() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool syscall_info(pid_t tid, __ptrace_syscall_info& info) {
    std::memset(&info, 0, sizeof info);
    return ::ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0;
}

// Skip the call at its entry and make it return `result` (x86-64: orig_rax = -1, rax = result).
bool skip_call(pid_t tid, long result) {
#if defined(__x86_64__)
    user_regs_struct regs{};
    if (::ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0) return false;
    regs.orig_rax = static_cast<unsigned long long>(-1LL);
    regs.rax = static_cast<unsigned long long>(result);
    return ::ptrace(PTRACE_SETREGS, tid, nullptr, &regs) == 0;
#else
    (void)tid;
    (void)result;
    return false;
#endif
}

// The call a thread was in at its PTRACE_EVENT_EXIT stop, when its registers show it was killed
// at that call's entry by seccomp (x86-64, with its i386 ABI): a KILL_PROCESS (or the last thread's
// KILL_THREAD) rolls the registers back to the entry (syscall_rollback: rax == orig_rax); a
// KILL_THREAD of one thread among others exits at once, rax still the entry's -ENOSYS. Threads
// that die with it, in other calls or none, show neither, or a call the policy lets through.
bool killed_call(pid_t tid, seccomp_data& d) {
#if defined(__x86_64__)
    __ptrace_syscall_info info{};
    user_regs_struct regs{};
    if (!syscall_info(tid, info) || ::ptrace(PTRACE_GETREGS, tid, nullptr, &regs) != 0)
        return false;
    const auto nr = static_cast<long long>(regs.orig_rax);
    const auto ax = static_cast<long long>(regs.rax);
    if (nr < 0 || (ax != nr && ax != -ENOSYS)) return false;
    d.nr = static_cast<int>(nr);
    d.arch = info.arch;
    d.instruction_pointer = regs.rip;
    const bool i386 = info.arch == AUDIT_ARCH_I386;
    const unsigned long long args[6] = {
        i386 ? regs.rbx : regs.rdi, i386 ? regs.rcx : regs.rsi, regs.rdx,
        i386 ? regs.rsi : regs.r10, i386 ? regs.rdi : regs.r8,  i386 ? regs.rbp : regs.r9};
    for (int i = 0; i < 6; ++i) d.args[i] = i386 ? static_cast<std::uint32_t>(args[i]) : args[i];
    return true;
#else
    (void)tid;
    (void)d;
    return false; // the trace then names the policy's KILL rules instead
#endif
}

// SIGKILL to TID's process, through a pidfd. Only for a tracee in a ptrace-stop, not yet reaped:
// until we reap it its tid, and its process's pid, cannot be reused.
void kill_process_of(pid_t tid) {
    const pid_t tgid = read_tgid(tid);
    util::unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, tgid, 0)));
    if (pidfd) ::syscall(SYS_pidfd_send_signal, pidfd.get(), SIGKILL, nullptr, 0);
}

[[noreturn]] void seize_failed(pid_t pid, int err) {
    std::string hint;
    if (err == EPERM) {
        FILE* f = std::fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
        int scope = -1;
        if (f != nullptr) {
            if (std::fscanf(f, "%d", &scope) != 1) scope = -1;
            std::fclose(f);
        }
        if (scope >= 1 && ::geteuid() != 0)
            hint = fmt::format(
                "Yama ptrace_scope is {}: only a parent may trace its children; run as root (or "
                "with "
                "CAP_SYS_PTRACE), or `sysctl -w kernel.yama.ptrace_scope=0` on a lab machine",
                scope);
        else
            hint = "the process belongs to another user or is more privileged than you (setuid, "
                   "capabilities): "
                   "run as root or with CAP_SYS_PTRACE";
    } else if (err == ESRCH) {
        hint = "no such process: check the PID (ps -e)";
    }
    FILE* f = std::fopen(fmt::format("/proc/{}/status", pid).c_str(), "re");
    if (f != nullptr) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr) {
            int tracer = 0;
            if (std::sscanf(line, "TracerPid: %d", &tracer) == 1 && tracer != 0) {
                hint = fmt::format("process {} is already traced by process {} (a debugger or "
                                   "strace): detach it first",
                                   pid, tracer);
                err = EBUSY;
            }
        }
        std::fclose(f);
    }
    throw util::Error(util::exit_code::setup,
                      util::syscall_error("ptrace(PTRACE_SEIZE)", fmt::format("pid {}", pid), err),
                      hint);
}

} // namespace

Tracer::Tracer(const policy::CompiledFilter& policy, Settings settings, trace::EventSink& sink,
               Mode mode)
    : policy_(policy), settings_(std::move(settings)),
      judge_(policy, settings_.injections, settings_.audit, settings_.emulation), sink_(sink),
      mode_(mode) {
    options_ = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
               PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;
    // --results: the sandboxed tree dies with sandbox; attach: never (the process is not ours).
    // The exit stop is where a thread the kernel killed for the policy still shows its call.
    if (mode_ == Mode::Seccomp)
        options_ |= PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT;
}

Tracer::~Tracer() {
    if (mode_ == Mode::Attach) detach_all();
}

void Tracer::seize(pid_t pid) {
    if (::ptrace(PTRACE_SEIZE, pid, nullptr, options_) != 0) seize_failed(pid, errno);
    threads_[pid];
    if (command_ == 0) command_ = pid;
    // attach: stop it once so that the next syscall stops too (PTRACE_SYSCALL needs a stopped
    // tracee).
    if (mode_ == Mode::Attach) {
        threads_[pid].new_child = true;
        ::ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr);
    }
}

void Tracer::seize_process(pid_t pid) {
    // Seize threads until a pass finds no new one (threads may start while we attach).
    for (bool found = true; found;) {
        found = false;
        DIR* d = ::opendir(fmt::format("/proc/{}/task", pid).c_str());
        if (d == nullptr) seize_failed(pid, errno == ENOENT ? ESRCH : errno);
        while (dirent* e = ::readdir(d)) {
            pid_t tid = std::atoi(e->d_name);
            if (tid <= 0 || threads_.count(tid) != 0) continue;
            try {
                seize(tid);
            } catch (...) {
                ::closedir(d);
                throw;
            }
            found = true;
        }
        ::closedir(d);
    }
}

pid_t Tracer::thread_group(pid_t tid) {
    if (auto it = tgids_.find(tid); it != tgids_.end()) return it->second;
    return tgids_[tid] = read_tgid(tid);
}

void Tracer::resume(pid_t tid, int signal) {
    auto it = threads_.find(tid);
    const bool step = mode_ == Mode::Attach || (it != threads_.end() && it->second.in_syscall);
    ::ptrace(step ? PTRACE_SYSCALL : PTRACE_CONT, tid, nullptr,
             reinterpret_cast<void*>(static_cast<long>(signal)));
}

void Tracer::emit(const trace::Event& e, pid_t tid) {
    close_open_line(tid);
    sink_.event(e);
}

// strace's partially printed line: an entry is held until its exit; any other event first turns it
// into `name(args <unfinished ...>`, and the exit later prints `<... name resumed>) = result`.
void Tracer::close_open_line(pid_t except) {
    if (open_line_ == 0 || open_line_ == except) return;
    auto it = threads_.find(open_line_);
    open_line_ = 0;
    if (it == threads_.end()) return;
    trace::Event u = it->second.pending;
    u.phase = trace::Phase::Unfinished;
    sink_.event(u);
    it->second.pending.phase = trace::Phase::Resumed;
}

void Tracer::on_entry(pid_t tid, Thread& t) {
    __ptrace_syscall_info info{};
    if (!syscall_info(tid, info)) return resume(tid, 0);
    seccomp_data d{};
    if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
        d.nr = static_cast<int>(info.seccomp.nr);
        for (int i = 0; i < 6; ++i) d.args[i] = info.seccomp.args[i];
    } else if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
        d.nr = static_cast<int>(info.entry.nr);
        for (int i = 0; i < 6; ++i) d.args[i] = info.entry.args[i];
    } else {
        return resume(tid, 0);
    }
    d.arch = info.arch;
    d.instruction_pointer = info.instruction_pointer;

    trace::Event e;
    e.time = wall_clock();
    e.tid = tid;
    e.nr = d.nr;
    e.arch = d.arch;
    e.name = judge_.syscall_name(d.arch, d.nr);
    for (int i = 0; i < 6; ++i) e.args[static_cast<std::size_t>(i)] = d.args[i];
    if (mode_ == Mode::Seccomp) judge_.judge(d, e);
    const bool log = e.verdict != trace::Verdict::Allowed || settings_.routing.selected(e.name);
    if (log && settings_.decode) {
        RemoteMemory memory(tid);
        decode::FdPath paths;
        if (settings_.fd_paths)
            paths = [tid, d = settings_.fd_details](int fd) { return fd_path(tid, fd, d); };
        e.decoded =
            decode::decode_arguments(e.name, e.args, memory, settings_.decode_options, paths);
    }
    if (log) e.pid = settings_.thread_groups ? thread_group(tid) : tid;

    if (e.verdict == trace::Verdict::Emulated) // sandbox answers; the kernel skips the call
        answer(settings_.emulation, e, tid,
               log && settings_.decode ? &settings_.decode_options : nullptr);
    if (e.result) { // denied, injected or emulated: skip the call, it returns that result
        const long result = *e.result < 0 ? -static_cast<long>(e.err) : *e.result;
        if (!skip_call(tid, result)) kill_process_of(tid); // cannot skip here: fail closed
        if (log) emit(e, tid);
        t.in_syscall = false;
        return resume(tid, 0);
    }
    t.in_syscall = true;
    t.logged = log;
    t.entry = monotonic();
    if (log) {
        close_open_line(tid);
        t.pending = std::move(e);
        open_line_ = tid;
    }
    resume(tid, 0);
}

void Tracer::on_exit(pid_t tid, Thread& t) {
    __ptrace_syscall_info info{};
    const bool have = syscall_info(tid, info) && info.op == PTRACE_SYSCALL_INFO_EXIT;
    t.in_syscall = false;
    if (t.logged && have) {
        trace::Event& e = t.pending;
        e.duration = monotonic() - t.entry;
        if (info.exit.is_error) {
            e.result = -1;
            e.err = static_cast<int>(-info.exit.rval);
        } else {
            e.result = static_cast<long>(info.exit.rval);
            if (settings_.decode &&
                !e.decoded.empty()) { // what the call wrote: read's buffer, stat
                RemoteMemory memory(tid);
                decode::decode_results(e.name, e.args, *e.result, memory, settings_.decode_options,
                                       e.decoded);
            }
        }
        if (open_line_ == tid)
            open_line_ = 0; // the whole line at once
        else
            close_open_line(tid);
        sink_.event(e);
    }
    t.logged = false;
    resume(tid, 0);
}

// A thread about to exit (PTRACE_EVENT_EXIT): if seccomp killed it at a call, log that call as
// the policy's kill, with its rule. The kernel gives no seccomp-stop for a KILL (it outranks
// TRACE), so this is the only place the call can still be seen.
void Tracer::on_exit_event(pid_t tid) {
    unsigned long status = 0;
    seccomp_data d{};
    // (--audit kills nothing: a SIGSYS then is no verdict of the policy's.)
    if (!settings_.audit && ::ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &status) == 0 &&
        WIFSIGNALED(static_cast<int>(status)) && WTERMSIG(static_cast<int>(status)) == SIGSYS &&
        killed_call(tid, d)) {
        trace::Event e;
        e.time = wall_clock();
        e.tid = tid;
        e.nr = d.nr;
        e.arch = d.arch;
        e.name = judge_.syscall_name(d.arch, d.nr);
        for (int i = 0; i < 6; ++i) e.args[static_cast<std::size_t>(i)] = d.args[i];
        const policy::Verdict v = policy_.decide(d);
        const std::uint32_t action = v.ret & SECCOMP_RET_ACTION_FULL;
        if (action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD) {
            e.verdict = trace::Verdict::Killed;
            e.rule = v.rule;
            e.action = policy::describe_ret(v.ret);
            if (settings_.decode) { // the memory is still there until the thread is gone
                RemoteMemory memory(tid);
                decode::FdPath paths;
                if (settings_.fd_paths)
                    paths = [tid, d = settings_.fd_details](int fd) { return fd_path(tid, fd, d); };
                e.decoded = decode::decode_arguments(e.name, e.args, memory,
                                                     settings_.decode_options, paths);
            }
            e.pid = thread_group(tid);
            if (e.pid == command_) command_kill_ = e;
            if (!settings_.thread_groups) e.pid = tid;
            emit(e, tid);
        }
    }
    resume(tid, 0);
}

void Tracer::on_gone(pid_t tid) {
    auto it = threads_.find(tid);
    if (it == threads_.end()) return;
    if (it->second.logged && it->second.in_syscall) { // exit_group, or a call the process died in
        trace::Event e = it->second.pending;
        e.result.reset();
        e.err = 0;
        if (open_line_ == tid)
            open_line_ = 0;
        else
            close_open_line(tid);
        e.unknown_result = true;
        sink_.event(e);
    }
    if (open_line_ == tid) open_line_ = 0;
    threads_.erase(it);
    tgids_.erase(tid);
}

void Tracer::on_stop(pid_t tid, int status) {
    Thread& t = threads_[tid];
    const int sig = WSTOPSIG(status);
    const int event = status >> 16;
    if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) return on_entry(tid, t);
    if (sig == SIGTRAP && event == PTRACE_EVENT_EXIT) return on_exit_event(tid);
    if (sig == (SIGTRAP | 0x80)) {
        if (mode_ == Mode::Seccomp) return on_exit(tid, t);
        __ptrace_syscall_info info{};
        if (syscall_info(tid, info) && info.op == PTRACE_SYSCALL_INFO_ENTRY) {
            t.in_syscall = true;
            return on_entry(tid, t);
        }
        return on_exit(tid, t);
    }
    if (sig == SIGTRAP && (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
                           event == PTRACE_EVENT_CLONE)) {
        unsigned long child = 0;
        ::ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &child);
        if (child != 0)
            threads_[static_cast<pid_t>(child)].new_child = true; // it starts with a stop
        return resume(tid, 0);
    }
    if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
        unsigned long former = 0; // a thread that exec'ed takes over the leader's tid
        ::ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &former);
        if (static_cast<pid_t>(former) != tid) {
            auto old = threads_.find(static_cast<pid_t>(former));
            if (old != threads_.end()) {
                t = std::move(old->second);
                if (open_line_ == old->first) open_line_ = tid;
                threads_.erase(old);
            }
        }
        tgids_.erase(tid);
        return resume(tid, 0);
    }
    if (event == PTRACE_EVENT_STOP) {
        if (t.new_child) { // the stop every new tracee starts with (or our PTRACE_INTERRUPT)
            t.new_child = false;
            return resume(tid, 0);
        }
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
            ::ptrace(PTRACE_LISTEN, tid, nullptr,
                     nullptr); // a group-stop: stay stopped, as without us
            return;
        }
        return resume(tid, 0);
    }
    resume(tid, sig); // a signal for the tracee: deliver it
}

std::optional<int> Tracer::reap(pid_t init) {
    std::optional<int> init_status;
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG | __WALL);
        if (pid <= 0) break;
        if (pid == init && threads_.count(pid) == 0) {
            if (WIFEXITED(status) || WIFSIGNALED(status)) init_status = status;
            continue;
        }
        if (WIFSTOPPED(status))
            on_stop(pid, status);
        else if (WIFEXITED(status) || WIFSIGNALED(status))
            on_gone(pid);
    }
    return init_status;
}

void Tracer::detach_all() {
    for (auto& [tid, t] : threads_) {
        (void)t;
        // A tracee must be in a ptrace-stop to be detached: interrupt it, wait for that stop.
        if (::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) != 0) continue;
        for (int i = 0; i < 100; ++i) {
            int status = 0;
            pid_t got = ::waitpid(tid, &status, __WALL);
            if (got != tid || !WIFSTOPPED(status)) break;
            const int sig = WSTOPSIG(status);
            if ((status >> 16) == PTRACE_EVENT_STOP || sig == (SIGTRAP | 0x80) ||
                (sig == SIGTRAP && (status >> 16) != 0)) {
                ::ptrace(PTRACE_DETACH, tid, nullptr, nullptr);
                break;
            }
            // a signal was about to be delivered: detach and hand it over
            ::ptrace(PTRACE_DETACH, tid, nullptr, reinterpret_cast<void*>(static_cast<long>(sig)));
            break;
        }
    }
    threads_.clear();
    sink_.flush();
}

} // namespace supervise
