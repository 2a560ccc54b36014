// SPDX-License-Identifier: Apache-2.0
#include "launch/spawn.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "launch/cgroup.hpp"
#include "launch/child.hpp"
#include "launch/report.hpp"
#include "util/error.hpp"
#include "util/kernel_compat.hpp"
#include "util/unique_fd.hpp"

namespace launch {
namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

std::string hint_for(const std::string& step, const std::string& object, int err,
                     const Plan& plan) {
    if (step == "clone3" && plan.user_ns && (err == EPERM || err == ENOSPC || err == EACCES))
        return "this kernel does not let this user create user namespaces: check sysctl "
               "user.max_user_namespaces, "
               "kernel.unprivileged_userns_clone (Debian) and "
               "kernel.apparmor_restrict_unprivileged_userns "
               "(Ubuntu); `sandbox doctor` tells which. sandbox never runs the command with less "
               "isolation "
               "than asked: use --no-ns to run without namespaces";
    if (step == "clone" && err == EPERM)
        return "clone3 answered ENOSYS and clone refused the namespace flags: sandbox runs under a "
               "container runtime's seccomp profile (Docker's default allows namespaces only with "
               "CAP_SYS_ADMIN). Start the container with --security-opt seccomp=unconfined (or a "
               "profile that allows clone with namespace flags, unshare and setns), or run "
               "sandbox run --no-ns (no isolation, the filter and the trace still apply)";
    if (step == "clone3" && err == EPERM)
        return "creating namespaces needs root or a user namespace (try --userns); inside a "
               "container the "
               "runtime's seccomp profile may forbid it (see `sandbox doctor`)";
    if (step == "mount" && object == "proc on /proc")
        return "a fresh /proc needs a fully visible /proc in the current mount namespace; "
               "container runtimes "
               "mask parts of it. Run on the host, or leave out the pid namespace (--ns without "
               "pid)";
    if (step.rfind("mount", 0) == 0 && err == EPERM)
        return "the kernel refused a mount in the sandbox's namespaces; inside a container or with "
               "AppArmor "
               "restrictions this is expected (see `sandbox doctor`)";
    if (step == "stat" && err == ENOENT)
        return "the path given to --rw/--ro does not exist on the host";
    if (step.rfind("mkdir", 0) == 0 && (err == EROFS || err == EACCES))
        return "a --tmpfs or bind target must exist in the (read-only) root, or lie inside a tmpfs "
               "such as /tmp";
    if (step == "chdir" && plan.cwd_explicit)
        return "--cwd must name a directory that exists inside the sandbox";
    if (step == "execve" && (err == ENOENT || err == ENOTDIR))
        return "the command exists on the host but not inside the sandbox: /tmp is a private tmpfs "
               "there; "
               "bring the file in with --ro PATH or --rw PATH";
    if (step == "execve" && (err == EPERM || err == EACCES))
        return "the policy may deny execve (check `sandbox policy explain`), or the file is not "
               "executable";
    if (step == "execve" && err == ENOMEM && plan.limits.rlimit_as != 0)
        return "--memory is held by RLIMIT_AS here, which counts address space, not memory used: "
               "the program needs more to start; give a larger --memory";
    if (step == "clone3" && !plan.limits.v2_path.empty())
        return fmt::format("init is cloned into the sandbox's cgroup {} (CLONE_INTO_CGROUP, Linux "
                           "5.7), which the kernel may have refused; `sandbox doctor` shows what "
                           "this machine offers, --pids-limit 0 runs without the default limit",
                           plan.limits.v2_path);
    if (step.rfind("seccomp", 0) == 0 && err == ENOMEM)
        return "the filters of this process and those it inherited exceed the kernel's 32768 BPF "
               "instructions (is sandbox itself running under a seccomp profile?)";
    if (step.rfind("seccomp", 0) == 0 && err == EBUSY)
        return "a filter with a listener is already in place (is sandbox itself running under a "
               "seccomp supervisor?)";
    if (step.rfind("seccomp", 0) == 0)
        return "the kernel rejected the compiled filter; please report this as a bug";
    if (step.rfind("uid_map", 0) == 0 || step.rfind("gid_map", 0) == 0 ||
        step.rfind("setgroups", 0) == 0)
        return "the kernel refused the id mapping; see `sandbox doctor`";
    return {};
}

[[noreturn]] void throw_step(const std::string& step, const std::string& object, int err, int code,
                             const Plan& plan) {
    std::string msg = util::syscall_error(step, object, err);
    throw util::Error(code, msg, hint_for(step, object, err, plan));
}

void write_proc_file(pid_t pid, const char* name, const std::string& text, const Plan& plan) {
    std::string path = fmt::format("/proc/{}/{}", pid, name);
    util::unique_fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw_step(name, path, errno, util::exit_code::setup, plan);
}

class BlockedSignals {
public:
    BlockedSignals() {
        sigset_t set;
        sigemptyset(&set);
        for (int s : kForwarded) sigaddset(&set, s);
        sigaddset(&set, SIGCHLD);
        ::signal(SIGCHLD, SIG_DFL); // an inherited SIG_IGN would auto-reap and lose the status
        ::sigprocmask(SIG_BLOCK, &set, &saved_);
        fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!fd_)
            util::throw_setup(
                util::syscall_error("signalfd", "SIGINT, SIGTERM, SIGHUP, ...", errno));
    }
    ~BlockedSignals() { ::sigprocmask(SIG_SETMASK, &saved_, nullptr); }
    BlockedSignals(const BlockedSignals&) = delete;
    BlockedSignals& operator=(const BlockedSignals&) = delete;
    [[nodiscard]] const sigset_t& saved() const { return saved_; }
    [[nodiscard]] int fd() const { return fd_.get(); }

private:
    sigset_t saved_{};
    util::unique_fd fd_;
};

// Receive one record and the sender's pid (SCM_CREDENTIALS, translated by the kernel into our PID
// namespace: how we learn the command's pid without a syscall of its own).
ssize_t receive(int fd, report::Message& m, pid_t& sender) {
    iovec iov{&m, sizeof m};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t got = ::recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); got > 0 && c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            ucred cred{};
            std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
            sender = cred.pid;
        }
    }
    return got;
}

bool is_seccomp_listener(int fd) {
    char link[64], target[64] = {};
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = ::readlink(link, target, sizeof target - 1);
    return n > 0 && std::string_view(target, static_cast<std::size_t>(n)).find("seccomp") !=
                        std::string_view::npos;
}

// PPid from /proc/PID/status (0 when it cannot be read).
pid_t parent_of(pid_t pid) {
    char path[64], buf[512];
    std::snprintf(path, sizeof path, "/proc/%d/status", pid);
    util::unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return 0;
    const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
    if (n <= 0) return 0;
    buf[n] = '\0';
    const char* line = std::strstr(buf, "\nPPid:");
    int ppid = 0;
    if (line == nullptr || std::sscanf(line + 1, "PPid: %d", &ppid) != 1) return 0;
    return ppid;
}

// The command is installing its filter; once it has, its listener is fd `number` in it. Copy it
// with pidfd_getfd (the command is our descendant: ptrace access holds under every Yama mode).
// No fd when the command died first (the kill filter may kill its execve at once): its exit, or
// the error it reported, is the run's outcome.
util::unique_fd fetch_listener(pid_t command, int number, pid_t init, int init_pidfd,
                               const Plan& plan) {
    if (command <= 0)
        throw_step("SCM_CREDENTIALS", "the command's pid", ESRCH, util::exit_code::internal, plan);
    util::unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, command, 0)));
    if (!pidfd && errno == ESRCH) return {}; // dead and reaped already
    if (!pidfd)
        throw_step("pidfd_open", fmt::format("command pid {}", command), errno,
                   util::exit_code::setup, plan);
    // Still init's child after the pidfd exists: then the pidfd is the command's, not that of
    // whatever took its pid after init reaped it. (Unknown, /proc unreadable: carry on; without
    // the listener a live command would wait at its execve for good.)
    if (const pid_t parent = parent_of(command); parent != 0 && parent != init) return {};
    for (int attempt = 0; attempt < 200000; ++attempt) { // ~10 s at most
        int fd = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd.get(), number, 0));
        if (fd >= 0) {
            util::unique_fd got(fd);
            if (is_seccomp_listener(fd)) return got;
        } else if (errno == ESRCH) {
            return {}; // the command is gone
        } else if (errno != EBADF) {
            throw_step("pidfd_getfd", fmt::format("listener (fd {} of pid {})", number, command),
                       errno, util::exit_code::setup, plan);
        }
        pollfd p[2] = {{pidfd.get(), POLLIN, 0}, {init_pidfd, POLLIN, 0}};
        if (::poll(p, 2, 0) > 0) {
            if (p[0].revents != 0) return {}; // the command died before (or while) installing
            break;                            // init died
        }
        ::usleep(50);
    }
    throw_step("pidfd_getfd", fmt::format("listener (fd {} of pid {})", number, command), ETIMEDOUT,
               util::exit_code::setup, plan);
}

// A root caller's binds (MountStep::from_parent): opened here, where the path is the host's and
// root may traverse it, as detached mount trees (open_tree), made nosuid/nodev/read-only, and
// id-mapped to the sandbox's user namespace where the filesystem allows it, so that a file of the
// host's uid 0 is uid 0's inside too and what the command creates belongs to host uid 0 again.
// In plan order; an optional bind whose source is absent is an invalid fd (sent as "none").
std::vector<util::unique_fd> open_parent_binds(const Plan& plan, pid_t init,
                                               const WarningSink& warn) {
    std::vector<util::unique_fd> out;
    util::unique_fd userns;
    for (const auto& m : plan.mounts) {
        if (!m.from_parent) continue;
        const bool device = m.kind == MountStep::Kind::BindDevice;
        // The source was resolved (realpath) in make_plan: any component that is a symlink now
        // was swapped in since by someone who controls that path, and is refused, not followed.
        open_how how{};
        how.flags = O_PATH | O_CLOEXEC;
        how.resolve = RESOLVE_NO_SYMLINKS;
        util::unique_fd path(
            static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, m.source.c_str(), &how, sizeof how)));
        if (!path && m.optional && errno == ENOENT) {
            out.emplace_back();
            continue;
        }
        if (!path)
            throw_step("openat2(RESOLVE_NO_SYMLINKS)", m.source, errno, util::exit_code::setup,
                       plan);
        util::unique_fd tree(static_cast<int>(
            ::syscall(SYS_open_tree, path.get(), "",
                      OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH)));
        if (!tree) throw_step("open_tree", m.source, errno, util::exit_code::setup, plan);
        // nosuid and nodev all the way down (devices work in --dev-bind only), private: nothing
        // mounted under it inside propagates to the host's mount (a shared one, under systemd).
        util::compat::mount_attr_v0 attr{MOUNT_ATTR_NOSUID, 0, MS_PRIVATE, 0};
        if (!device) attr.attr_set |= MOUNT_ATTR_NODEV;
        if (m.kind == MountStep::Kind::BindReadOnly) attr.attr_set |= MOUNT_ATTR_RDONLY;
        if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                      sizeof attr) != 0)
            throw_step("mount_setattr", m.source, errno, util::exit_code::setup, plan);
        // --rw makes the bind itself writable, not what is mounted read-only below it.
        util::compat::mount_attr_v0 writable{0, MOUNT_ATTR_RDONLY, 0, 0};
        if (m.kind != MountStep::Kind::BindReadOnly &&
            ::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &writable,
                      sizeof writable) != 0)
            throw_step("mount_setattr(read-write)", m.source, errno, util::exit_code::setup, plan);
        // What the user binds keeps its owners inside (host uid 0 is the command's uid 0). Not
        // the working directory sandbox binds by itself: that stays as readable as the rest of
        // the host's files, to an unprivileged uid.
        if (plan.id_mapped_binds && !device && !m.implicit) {
            if (!userns) {
                userns.reset(
                    ::open(fmt::format("/proc/{}/ns/user", init).c_str(), O_RDONLY | O_CLOEXEC));
                if (!userns)
                    throw_step("open", fmt::format("/proc/{}/ns/user", init), errno,
                               util::exit_code::setup, plan);
            }
            util::compat::mount_attr_v0 idmap{MOUNT_ATTR_IDMAP, 0, 0,
                                              static_cast<unsigned long long>(userns.get())};
            if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &idmap,
                          sizeof idmap) != 0) {
                const int err = errno;
                // Some filesystems (and tmpfs before Linux 6.3) cannot be id-mapped: the bind
                // still holds, with the host's owners shown as nobody inside.
                warn(fmt::format(
                    "{}: inside, its files keep no owner (they show as nobody) and the command "
                    "may change only what every user may",
                    util::syscall_error("mount_setattr(MOUNT_ATTR_IDMAP)", m.source, err)));
            }
        }
        out.push_back(std::move(tree));
    }
    return out;
}

void send_parent_binds(int socket, const std::vector<util::unique_fd>& fds, const Plan& plan) {
    for (const auto& fd : fds) {
        char byte = fd ? 'f' : '-';
        iovec iov{&byte, 1};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (fd) {
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            const int raw = fd.get();
            std::memcpy(CMSG_DATA(c), &raw, sizeof raw);
        }
        if (::sendmsg(socket, &msg, MSG_NOSIGNAL) != 1)
            throw_step("sendmsg", "a bind's mount fd to the sandbox's init", errno,
                       util::exit_code::internal, plan);
    }
}

} // namespace

Outcome run(const Plan& plan, const WarningSink& warn, ListenerHandler* handler,
            TraceHandler* tracer) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        util::throw_setup(util::syscall_error("socketpair", "AF_UNIX", errno));
    util::unique_fd parent_end(sv[0]), child_end(sv[1]);
    const int on = 1;
    if (::setsockopt(parent_end.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0)
        util::throw_setup(util::syscall_error("setsockopt", "SO_PASSCRED", errno));
    BlockedSignals signals;
    // The sandbox's cgroup(s), with their limits, before init exists (removed when this returns
    // or throws, after init and everything in them are gone: declared before the init guard).
    cgroup::Guard cgroups(plan.limits, warn);

    int pidfd_raw = -1;
    clone_args args{};
    args.flags = static_cast<std::uint64_t>(plan.clone_flags) | CLONE_PIDFD;
    args.pidfd = reinterpret_cast<std::uint64_t>(&pidfd_raw);
    args.exit_signal = SIGCHLD;
    if (cgroups.clone_fd() >= 0) { // cgroup v2: init starts in it, limited from its first fork
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<std::uint64_t>(cgroups.clone_fd());
    }
    fflush(nullptr); // no buffered output may be written twice
    long pid = ::syscall(SYS_clone3, &args, sizeof args);
    // clone3 (Linux 5.3) answers ENOSYS under a container runtime's older seccomp profile
    // (Docker's default before 20.10.10, runc's ENOSYS stub for calls newer than the profile):
    // clone(2) takes the same namespace flags and CLONE_PIDFD (5.2). Without CLONE_INTO_CGROUP,
    // init joins its v2 cgroup by cgroup.procs below, before "go": it runs nothing before that.
    const char* clone_call = "clone3";
    if (pid < 0 && errno == ENOSYS) {
        clone_call = "clone";
        pidfd_raw = -1;
        const auto flags = static_cast<unsigned long>(plan.clone_flags | CLONE_PIDFD | SIGCHLD);
#if defined(__s390__) || defined(__s390x__)
        pid = ::syscall(SYS_clone, nullptr, flags, &pidfd_raw, nullptr, 0UL); // stack first
#else
        pid = ::syscall(SYS_clone, flags, nullptr, &pidfd_raw, nullptr, 0UL);
#endif
    }
    const bool via_clone = std::string_view(clone_call) == "clone";
    if (pid < 0) {
        int err = errno;
        std::string flags;
        for (auto [f, n] : {std::pair{CLONE_NEWUSER, "user"},
                            {CLONE_NEWPID, "pid"},
                            {CLONE_NEWNS, "mount"},
                            {CLONE_NEWUTS, "uts"},
                            {CLONE_NEWIPC, "ipc"},
                            {CLONE_NEWNET, "net"},
                            {CLONE_NEWCGROUP, "cgroup"}})
            if (plan.clone_flags & f) flags += (flags.empty() ? "" : ",") + std::string(n);
        throw_step(clone_call, "namespaces: " + (flags.empty() ? std::string("none") : flags), err,
                   util::exit_code::setup, plan);
    }
    if (pid == 0) {
        parent_end.reset();
        init_main(plan, child_end.get(), signals.saved());
    }
    util::unique_fd pidfd(pidfd_raw);
    child_end.reset();
    // Leaving by an exception (a failed id map, listener, ...) must not leave init behind.
    // Without a PID namespace, init's SIGKILL would leave the command behind (nothing kills it
    // with init): init gets its tree-kill signal first, and SIGKILL if it has not gone in 2 s
    // (before it forks the command it does not take that signal yet).
    struct KillOnUnwind {
        pid_t pid;
        int tree_signal;
        bool armed = true;
        ~KillOnUnwind() {
            if (!armed) return;
            if (tree_signal != SIGKILL && ::kill(pid, tree_signal) == 0) {
                for (int i = 0; i < 200; ++i) {
                    if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
                    ::usleep(10000);
                }
            }
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    } guard{static_cast<pid_t>(pid), tree_kill_signal(plan)};

    if (plan.user_ns) { // a failure throws; the guard kills init
        // setgroups must be denied before an unprivileged gid_map write (user_namespaces(7)).
        if (::getuid() != 0) write_proc_file(static_cast<pid_t>(pid), "setgroups", "deny", plan);
        write_proc_file(static_cast<pid_t>(pid), "uid_map", plan.uid_map, plan);
        write_proc_file(static_cast<pid_t>(pid), "gid_map", plan.gid_map, plan);
    }
    // cgroup v1 (and v2 when clone3 was not there): before "go", so nothing runs unlimited.
    cgroups.attach(static_cast<pid_t>(pid), via_clone);
    const auto binds = open_parent_binds(plan, static_cast<pid_t>(pid), warn);
    const char go = 'g';
    if (::send(parent_end.get(), &go, 1, MSG_NOSIGNAL) != 1) {
        int err = errno;
        throw_step("send", "start signal to the sandbox's init", err, util::exit_code::internal,
                   plan);
    }
    send_parent_binds(parent_end.get(), binds, plan);

    std::optional<report::Message> error;
    std::optional<report::Message> exit_record;
    pid_t command_pid = 0;
    bool socket_open = true;
    bool child_done = false;
    bool listener_open = false;
    int init_status = 0;
    // --time-limit: sandbox's own clock, from "go". At the deadline init gets the signal that
    // ends the whole run, and whatever is in the sandbox's cgroup is killed too. Kept by the
    // parent: nothing in the sandbox can stop or delay it.
    using Clock = std::chrono::steady_clock;
    // A plain time point and a flag, not an optional: g++ 12 at -O2 sees the optional's value
    // read before it is set (-Wmaybe-uninitialized) where the flag guards it.
    bool has_deadline = plan.limits.time_limit_seconds > 0;
    Clock::time_point deadline =
        Clock::now() + std::chrono::seconds(has_deadline ? plan.limits.time_limit_seconds : 0);
    bool timed_out = false;
    const auto ms_until = [](Clock::time_point t) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count() + 1;
        return static_cast<int>(std::clamp<long long>(ms, 0, INT_MAX));
    };
    while (!child_done || socket_open) {
        pollfd fds[4] = {{socket_open ? parent_end.get() : -1, POLLIN, 0},
                         {signals.fd(), POLLIN, 0},
                         // with a tracer, init's exit comes through its waitpid(-1)
                         {child_done || tracer != nullptr ? -1 : pidfd.get(), POLLIN, 0},
                         {listener_open ? handler->fd() : -1, POLLIN, 0}};
        int n = 0;
        if (handler != nullptr && handler->wants_idle()) {
            n = ::poll(fds, 4, 0);
            if (n == 0) handler->idle(); // about to block: write out buffered output
        }
        if (n == 0) n = ::poll(fds, 4, child_done ? 0 : has_deadline ? ms_until(deadline) : -1);
        if (n < 0 && errno == EINTR) continue;
        if (has_deadline && !child_done && Clock::now() >= deadline) {
            if (exit_record) {
                has_deadline = false; // the command is done in time; init is exiting
            } else if (!timed_out) {
                timed_out = true;
                ::kill(static_cast<pid_t>(pid), tree_kill_signal(plan));
                cgroups.kill_all();
                deadline = Clock::now() + std::chrono::seconds(2); // then init itself
            } else {
                ::kill(static_cast<pid_t>(pid), SIGKILL);
                has_deadline = false;
            }
        }
        if (listener_open && (fds[3].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (fds[3].revents & POLLIN)
                listener_open = handler->handle_ready();
            else
                listener_open = false;
        }
        if (socket_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            report::Message m{};
            pid_t sender = 0;
            ssize_t got = receive(parent_end.get(), m, sender);
            if (got == static_cast<ssize_t>(sizeof m)) {
                std::string step(m.step, strnlen(m.step, sizeof m.step));
                std::string object(m.object, strnlen(m.object, sizeof m.object));
                if (m.kind == report::Kind::Error && !error) {
                    error = m;
                } else if (m.kind == report::Kind::Exit) {
                    exit_record = m;
                } else if (m.kind == report::Kind::TraceMe && tracer != nullptr) {
                    command_pid = sender;
                    tracer->seize(sender); // throws with the kernel's reason: the guard kills init
                    const char go_ahead = 'g';
                    if (::send(parent_end.get(), &go_ahead, 1, MSG_NOSIGNAL) != 1)
                        throw_step("send", "go-ahead to the traced command", errno,
                                   util::exit_code::internal, plan);
                } else if (m.kind == report::Kind::Listener && handler != nullptr) {
                    command_pid = sender;
                    if (util::unique_fd l = fetch_listener(
                            sender, m.status, static_cast<pid_t>(pid), pidfd.get(), plan)) {
                        handler->attach(std::move(l));
                        listener_open = true;
                    }
                } else if (m.kind == report::Kind::Warning && step == "chdir") {
                    warn(fmt::format(
                        "{}: {}; using /", util::syscall_error(step, object, m.err),
                        m.err == EACCES
                            ? (plan.unprivileged_root
                                   ? "the command's uid may not enter the working directory (as "
                                     "root, it is an unprivileged uid: bind it with --ro or "
                                     "--rw, which keep its owners, or give --cwd)"
                                   : "the command's uid may not enter the working directory")
                            : "the working directory does not exist inside the sandbox"));
                } else if (m.kind == report::Kind::Warning) {
                    warn(util::syscall_error(step, object, m.err));
                }
                continue;
            }
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) socket_open = false;
        }
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo si{};
            bool sigchld = false;
            while (::read(signals.fd(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
                if (si.ssi_signo == SIGCHLD)
                    sigchld = true;
                else if (!child_done)
                    ::kill(static_cast<pid_t>(pid), static_cast<int>(si.ssi_signo));
            }
            if (sigchld && tracer != nullptr && !child_done) {
                if (auto st = tracer->reap(static_cast<pid_t>(pid))) {
                    child_done = true;
                    init_status = WIFEXITED(*st) ? WEXITSTATUS(*st) : 128 + WTERMSIG(*st);
                }
                tracer->idle();
            }
        }
        if (!child_done && (fds[2].revents & POLLIN)) {
            siginfo_t si{};
            if (::waitid(P_PID, static_cast<id_t>(pid), &si, WEXITED) == 0) {
                child_done = true;
                init_status = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
            }
        }
        if (child_done && n == 0) break; // nothing left to read
    }
    guard.armed = false; // init has been reaped
    if (handler != nullptr) handler->idle();

    if (error) {
        std::string step(error->step, strnlen(error->step, sizeof error->step));
        std::string object(error->object, strnlen(error->object, sizeof error->object));
        throw_step(step, object, error->err, error->status, plan);
    }
    Outcome out;
    if (timed_out) {
        out.timed_out = true;
        out.time_limit_seconds = plan.limits.time_limit_seconds;
        out.signaled = true;
        out.signal = SIGKILL;
        out.exit_code = 128 + SIGKILL;
        out.command_pid = command_pid;
        return out;
    }
    if (!exit_record && init_status == 128 + SIGKILL && cgroups.oom_kills() > 0) {
        // The OOM killer took init itself (the whole PID namespace went with it).
        out.signaled = true;
        out.signal = SIGKILL;
        out.exit_code = 128 + SIGKILL;
        out.oom_killed = true;
        out.command_pid = command_pid;
        return out;
    }
    if (!exit_record) {
        throw util::Error(
            util::exit_code::internal,
            fmt::format("the sandbox's init ended (status {}) without reporting the command's exit",
                        init_status),
            "please report this as a bug, with `sandbox doctor` output");
    }
    out.pid_inside = exit_record->pid;
    out.command_pid = command_pid;
    const int st = exit_record->status;
    if (WIFSIGNALED(st)) {
        out.signaled = true;
        out.signal = WTERMSIG(st);
        out.exit_code = 128 + out.signal;
        out.oom_killed = out.signal == SIGKILL && cgroups.oom_kills() > 0;
    } else {
        out.exit_code = WEXITSTATUS(st);
    }
    return out;
}

} // namespace launch
