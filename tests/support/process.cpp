// SPDX-License-Identifier: Apache-2.0
#include "support/process.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdexcept>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace testsupport {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("testsupport::run: " + what + ": " + std::strerror(errno));
}

struct Pipe {
    int r = -1;
    int w = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2");
        r = fds[0];
        w = fds[1];
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    ~Pipe() {
        close_r();
        close_w();
    }
    void close_r() {
        if (r >= 0) ::close(r);
        r = -1;
    }
    void close_w() {
        if (w >= 0) ::close(w);
        w = -1;
    }
};

std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    out.reserve(v.size() + 1);
    for (auto& s : v) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// In the forked child: only async-signal-safe calls from here to execve.
[[noreturn]] void child_exec(int out_w, int err_w, const RunOptions& opts, char** argv,
                             char** envp) {
    ::setpgid(0, 0); // own process group: the timeout kills the whole group
    int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(out_w, 1) < 0 || ::dup2(err_w, 2) < 0)
        ::_exit(127);
    // Everything above 2 goes (close_range, Linux 5.9), except the fd we were asked to pass on.
    const long nr_close_range = 436;
    if (opts.inherit_fd > 2) {
        auto keep = static_cast<unsigned>(opts.inherit_fd);
        if (keep > 3) ::syscall(nr_close_range, 3U, keep - 1, 0U);
        ::syscall(nr_close_range, keep + 1, ~0U, 0U);
        ::fcntl(opts.inherit_fd, F_SETFD, 0);
    } else {
        ::syscall(nr_close_range, 3U, ~0U, 0U);
    }
    for (int fd : opts.closed_fds)
        if (fd >= 0 && fd <= 2) ::close(fd);
    // Default to /: the test's own directory (the build tree) may be under /tmp, which is a
    // private, empty tmpfs inside the sandbox.
    const std::string cwd = opts.cwd.empty() ? std::string("/") : opts.cwd;
    if (::chdir(cwd.c_str()) != 0) {
        const char msg[] = "testsupport: chdir failed\n";
        (void)!::write(2, msg, sizeof msg - 1);
        ::_exit(127);
    }
    ::execvpe(argv[0], argv, envp);
    const char msg[] = "testsupport: execvpe failed: ";
    (void)!::write(2, msg, sizeof msg - 1);
    const char* why = ::strerror(errno);
    (void)!::write(2, why, std::strlen(why));
    (void)!::write(2, "\n", 1);
    ::_exit(127);
}

int shell_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

} // namespace

std::string RunResult::describe() const {
    std::string s = "command: " + command + "\nexit code: " + std::to_string(exit_code);
    if (timed_out) s += " (TIMED OUT, process group killed)";
    if (signal_sent) s += " (signal sent after marker)";
    if (pipes_held_open) s += " (stdout/stderr still held open after exit)";
    s += "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err + "\n---";
    return s;
}

RunOptions timeout(int seconds) {
    RunOptions o;
    o.timeout_seconds = seconds;
    return o;
}

std::vector<std::string> current_environment() {
    std::vector<std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
    return env;
}

std::vector<std::string> command_for(const std::vector<std::string>& argv, const RunOptions& opts) {
    std::vector<std::string> args;
    if (opts.as_nobody && ::getuid() == 0) {
        const std::string id = std::to_string(nobody_uid);
        args = {"setpriv", "--reuid", id, "--regid", id, "--clear-groups", "--"};
    }
    args.insert(args.end(), argv.begin(), argv.end());
    return args;
}

RunResult run(const std::vector<std::string>& argv_in, const RunOptions& opts) {
    if (argv_in.empty()) throw std::invalid_argument("testsupport::run: empty argv");
    std::vector<std::string> args = command_for(argv_in, opts);
    std::vector<std::string> env = opts.env ? *opts.env : current_environment();

    RunResult res;
    for (const auto& a : args) res.command += (res.command.empty() ? "" : " ") + a;

    // Everything the child needs is prepared before fork.
    auto argv = c_strings(args);
    auto envp = c_strings(env);
    Pipe out, err;

    pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) child_exec(out.w, err.w, opts, argv.data(), envp.data());
    ::setpgid(pid, pid); // also from our side, so a kill(-pid) right away cannot miss
    res.pid = pid;
    out.close_w();
    err.close_w();

    const auto start = Clock::now();
    const auto deadline = start + std::chrono::seconds(opts.timeout_seconds);
    std::optional<Clock::time_point> drain_until; // set once the child is reaped
    bool reaped = false;
    int status = 0;

    auto reap = [&](bool block) {
        if (reaped) return;
        pid_t r;
        do {
            r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r == pid) {
            reaped = true;
            drain_until = Clock::now() + std::chrono::seconds(2);
        }
    };

    char buf[65536];
    while (out.r >= 0 || err.r >= 0) {
        reap(false);
        auto now = Clock::now();
        if (!reaped && now >= deadline) {
            res.timed_out = true;
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            reap(true);
            drain_until = Clock::now() + std::chrono::milliseconds(500);
        }
        if (drain_until && Clock::now() >= *drain_until) {
            res.pipes_held_open = true;
            break;
        }
        pollfd fds[2];
        nfds_t n = 0;
        for (int fd : {out.r, err.r})
            if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
        // Wake up regularly: to notice the child's exit and the deadlines.
        int pr = ::poll(fds, n, 50);
        if (pr < 0 && errno != EINTR) fail("poll");
        for (nfds_t i = 0; i < n; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const bool is_out = fds[i].fd == out.r;
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                (is_out ? res.out : res.err).append(buf, static_cast<size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                (is_out ? out : err).close_r();
            }
        }
        if (!opts.signal_after.empty() && !res.signal_sent && !reaped &&
            res.out.find(opts.signal_after) != std::string::npos) {
            if (::kill(pid, opts.signal_to_send) == 0) res.signal_sent = true;
        }
    }
    // Both pipes closed (or given up on): the child may still be running.
    while (!reaped) {
        reap(false);
        if (reaped) break;
        if (Clock::now() >= deadline) {
            res.timed_out = true;
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            reap(true);
            break;
        }
        ::usleep(10000);
    }
    res.exit_code = shell_status(status);
    return res;
}

bool userns_available_for(uid_t uid) {
    if (uid != ::getuid() && ::getuid() != 0) return false;
    pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
        if (uid != ::getuid()) {
            gid_t gid = static_cast<gid_t>(uid);
            if (::setgroups(0, nullptr) != 0 || ::setresgid(gid, gid, gid) != 0 ||
                ::setresuid(uid, uid, uid) != 0)
                ::_exit(2);
            // Changing identity made us non-dumpable, which leaves /proc/self/uid_map owned by
            // root; a process started as `uid` would be dumpable.
            if (::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) ::_exit(2);
        }
        const uid_t outer_uid = ::getuid();
        const gid_t outer_gid = ::getgid();
        if (::unshare(CLONE_NEWUSER) != 0) ::_exit(3);
        auto write_file = [](const char* path, const char* text) {
            int fd = ::open(path, O_WRONLY | O_CLOEXEC);
            if (fd < 0) return false;
            auto len = static_cast<ssize_t>(std::strlen(text));
            bool ok = ::write(fd, text, static_cast<size_t>(len)) == len;
            ::close(fd);
            return ok;
        };
        char map[64];
        std::snprintf(map, sizeof map, "0 %u 1\n", outer_uid);
        if (!write_file("/proc/self/uid_map", map)) ::_exit(4);
        if (!write_file("/proc/self/setgroups", "deny")) ::_exit(5);
        std::snprintf(map, sizeof map, "0 %u 1\n", outer_gid);
        if (!write_file("/proc/self/gid_map", map)) ::_exit(6);
        // What sandbox needs next: a mount namespace it can mount in (AppArmor's userns
        // restriction lets the unshare through but takes the capabilities away).
        if (::unshare(CLONE_NEWNS) != 0) ::_exit(7);
        if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(8);
        if (::mount("tmpfs", "/tmp", "tmpfs", 0, nullptr) != 0) ::_exit(9);
        ::_exit(0);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<pid_t> pids_with_cmdline(const std::vector<std::string>& argv) {
    std::string want;
    for (const auto& a : argv) {
        want += a;
        want.push_back('\0');
    }
    DIR* d = ::opendir("/proc");
    if (d == nullptr) throw std::runtime_error("opendir(/proc) failed");
    std::vector<pid_t> found;
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string path = std::string("/proc/") + e->d_name + "/cmdline";
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        std::string cmd;
        char buf[4096];
        ssize_t got;
        while ((got = ::read(fd, buf, sizeof buf)) > 0) cmd.append(buf, static_cast<size_t>(got));
        ::close(fd);
        if (cmd == want) found.push_back(static_cast<pid_t>(std::atol(e->d_name)));
    }
    ::closedir(d);
    return found;
}

bool gone_within(const std::vector<std::string>& cmdline, int seconds) {
    auto until = Clock::now() + std::chrono::seconds(seconds);
    while (!pids_with_cmdline(cmdline).empty()) {
        if (Clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

void kill_leftovers(const std::vector<std::string>& cmdline) {
    for (pid_t pid : pids_with_cmdline(cmdline)) ::kill(pid, SIGKILL);
}

std::string unique_sleep_seconds() {
    auto t = Clock::now().time_since_epoch().count();
    return std::to_string(900000 + (static_cast<long long>(::getpid()) * 7919 + t) % 90000);
}

std::string configured_path(const char* variable, const char* built_in) {
    const char* v = std::getenv(variable);
    return v != nullptr && *v != '\0' ? std::string(v) : std::string(built_in);
}

namespace {

// Copies made by helper_binary(), removed when the test process exits normally (skip_test and
// Catch2's end both exit through std::exit).
struct HelperCopies {
    std::string dir;
    ~HelperCopies() {
        if (!dir.empty()) std::filesystem::remove_all(dir);
    }
};
HelperCopies& helper_copies() {
    static HelperCopies copies; // constructed on first use: safe from other files' static init
    return copies;
}

} // namespace

std::string helper_binary(const char* variable, const char* built_in) {
    std::string path = configured_path(variable, built_in);
    if (path.rfind("/tmp/", 0) != 0) return path;
    HelperCopies& copies = helper_copies();
    if (copies.dir.empty()) {
        char tmpl[] = "/var/tmp/sandbox-tests.XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) return path;
        ::chmod(tmpl, 0755); // uid 65534 runs them too
        copies.dir = tmpl;
    }
    const std::string copy = copies.dir + "/" + std::filesystem::path(path).filename().string();
    std::error_code ec;
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return path;
    ::chmod(copy.c_str(), 0755);
    return copy;
}

} // namespace testsupport
