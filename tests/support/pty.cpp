// SPDX-License-Identifier: Apache-2.0
#include "support/pty.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace testsupport {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("testsupport::run_in_pty: " + what + ": " + std::strerror(errno));
}

// In the forked child: only async-signal-safe calls from here to execve.
[[noreturn]] void child_exec(int terminal, const char* cwd, char** argv, char** envp) {
    // A session of its own, with the terminal as its controlling terminal: as from a login shell.
    if (::setsid() < 0 || ::ioctl(terminal, TIOCSCTTY, 0) != 0) ::_exit(127);
    if (::dup2(terminal, 0) < 0 || ::dup2(terminal, 1) < 0 || ::dup2(terminal, 2) < 0) ::_exit(127);
    const long nr_close_range = 436;
    ::syscall(nr_close_range, 3U, ~0U, 0U);
    if (::chdir(cwd) != 0) ::_exit(127);
    ::execvpe(argv[0], argv, envp);
    const char msg[] = "testsupport: execvpe failed\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
}

} // namespace

RunResult run_in_pty(const std::vector<std::string>& argv_in, const RunOptions& opts,
                     unsigned short columns, unsigned short rows) {
    if (argv_in.empty()) throw std::invalid_argument("testsupport::run_in_pty: empty argv");
    std::vector<std::string> args = command_for(argv_in, opts);
    std::vector<std::string> env = opts.env ? *opts.env : current_environment();
    RunResult res;
    for (const auto& a : args) res.command += (res.command.empty() ? "" : " ") + a;

    auto c_strings = [](std::vector<std::string>& v) {
        std::vector<char*> out;
        for (auto& s : v) out.push_back(s.data());
        out.push_back(nullptr);
        return out;
    };
    auto argv = c_strings(args);
    auto envp = c_strings(env);
    const std::string cwd = opts.cwd.empty() ? std::string("/") : opts.cwd;

    int master = -1;
    int terminal = -1;
    winsize size{};
    size.ws_col = columns;
    size.ws_row = rows;
    if (::openpty(&master, &terminal, nullptr, nullptr, &size) != 0) fail("openpty");
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) child_exec(terminal, cwd.c_str(), argv.data(), envp.data());
    ::close(terminal); // from now on only the program holds it: EIO on the master when all close
    res.pid = pid;

    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(opts.timeout_seconds);
    bool reaped = false;
    int status = 0;
    std::string raw;
    char buf[65536];
    for (;;) {
        if (!reaped && ::waitpid(pid, &status, WNOHANG) == pid) reaped = true;
        if (Clock::now() >= deadline) {
            res.timed_out = true;
            ::kill(-pid, SIGKILL); // its session's process group
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd p{master, POLLIN, 0};
        const int n = ::poll(&p, 1, 50);
        if (n < 0 && errno != EINTR) fail("poll");
        if (n <= 0) continue;
        const ssize_t got = ::read(master, buf, sizeof buf);
        if (got > 0) {
            raw.append(buf, static_cast<std::size_t>(got));
        } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
            break; // EIO: nothing holds the terminal any more
        }
    }
    ::close(master);
    if (!reaped) {
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    res.exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
                    : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                          : -1;
    res.out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) // the terminal's ONLCR: "\n" became "\r\n"
        if (!(raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n')) res.out += raw[i];
    return res;
}

} // namespace testsupport
