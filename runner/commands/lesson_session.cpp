// SPDX-License-Identifier: Apache-2.0
#include "commands/lesson_session.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <poll.h>
#include <set>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "lessons/engine.hpp"
#include "report/lesson_report.hpp"
#include "util/error.hpp"
#include "util/safe_file.hpp"

namespace lessons {
namespace fs = std::filesystem;
namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string login_shell() {
    if (const char* s = std::getenv("SHELL"); s != nullptr && *s == '/' && ::access(s, X_OK) == 0)
        return s;
    return "/bin/sh";
}

// Editors' swap, backup and probe files: not the learner's answer.
bool ignored_name(const std::string& name) {
    if (name.empty()) return false;
    if (name.back() == '~' || name.rfind(".#", 0) == 0 || name == "4913") return true;
    if (name.front() == '.' &&
        (name.ends_with(".swp") || name.ends_with(".swx") || name.ends_with(".swo")))
        return true;
    return false;
}

constexpr std::uint32_t kEvents = IN_CREATE | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
                                  IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

class Watcher {
public:
    explicit Watcher(std::string root) : root_(std::move(root)) {
        fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (fd_ < 0) util::throw_setup(util::syscall_error("inotify_init1", root_, errno));
        add_tree(root_);
    }
    ~Watcher() { ::close(fd_); }
    Watcher(const Watcher&) = delete;
    Watcher& operator=(const Watcher&) = delete;

    // Waits up to `timeout_ms` (-1: for ever) for events and reads them all; returns whether a
    // relevant change came (its names are collected for changed()).
    bool wait(int timeout_ms) {
        pollfd p{fd_, POLLIN, 0};
        const int r = ::poll(&p, 1, timeout_ms);
        if (r < 0 && errno != EINTR)
            util::throw_setup(util::syscall_error("poll", "inotify", errno));
        return r > 0 && drain();
    }

    // Reads what is pending without waiting; whether a relevant change was among it.
    bool drain() {
        bool any = false;
        alignas(inotify_event) char buf[16384];
        for (;;) {
            const ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t off = 0; off < n;) {
                const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
                off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
                const std::string name = ev->len > 0 ? std::string(ev->name) : std::string();
                auto it = dirs_.find(ev->wd);
                const std::string where = it != dirs_.end() ? it->second : root_;
                if ((ev->mask & IN_Q_OVERFLOW) != 0) {
                    any = true;
                    continue;
                }
                if ((ev->mask & IN_IGNORED) != 0) {
                    if (it != dirs_.end()) dirs_.erase(it);
                    if (where == root_) {
                        // The lesson directory itself went (`lesson reset` elsewhere): watch
                        // the new one.
                        std::error_code ec;
                        fs::create_directories(root_, ec);
                        add_tree(root_);
                        any = true;
                    }
                    continue;
                }
                if ((ev->mask & IN_ISDIR) != 0 && (ev->mask & (IN_CREATE | IN_MOVED_TO)) != 0)
                    add_tree(where + "/" + name);
                if ((ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0) continue;
                if (ignored_name(name)) continue;
                const std::string rel = where.size() > root_.size()
                                            ? where.substr(root_.size() + 1) + "/" + name
                                            : name;
                if (std::find(names_.begin(), names_.end(), rel) == names_.end())
                    names_.push_back(rel);
                any = true;
            }
        }
        return any;
    }

    // The names collected since the last changes() call, and forgetting them.
    std::vector<std::string> take_names() {
        std::vector<std::string> out;
        out.swap(names_);
        return out;
    }

    // What changed since the last call, for the learner: the files that are there now (an
    // editor's temporary file renamed over the answer is not news), else those removed.
    std::string changes() {
        std::vector<std::string> there;
        for (const auto& n : names_) {
            std::error_code ec;
            if (fs::symlink_status(root_ + "/" + n, ec).type() != fs::file_type::not_found)
                there.push_back(n);
        }
        const std::vector<std::string>& pick = there.empty() ? names_ : there;
        std::string out;
        for (std::size_t i = 0; i < pick.size() && i < 3; ++i) out += (i ? ", " : "") + pick[i];
        if (pick.size() > 3) out += fmt::format(" and {} more", pick.size() - 3);
        names_.clear();
        return out.empty() ? std::string("the lesson directory") : out;
    }

private:
    void add_tree(const std::string& dir) {
        const int wd = ::inotify_add_watch(fd_, dir.c_str(), kEvents | IN_ONLYDIR);
        if (wd < 0) {
            if (dir == root_)
                util::throw_setup(util::syscall_error("inotify_add_watch", dir, errno));
            return; // a subdirectory gone again already
        }
        dirs_[wd] = dir;
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory(ec) && !it->is_symlink(ec)) add_tree(it->path().string());
    }

    std::string root_;
    int fd_ = -1;
    std::map<int, std::string> dirs_;
    std::vector<std::string> names_;
};

} // namespace

int lesson_shell(const Lesson& lesson, const std::string& dir) {
    // A directory of our own with `sandbox` in it, for PATH; removed when the shell exits.
    std::string bin = state_dir() + "/shell.XXXXXX";
    if (::mkdtemp(bin.data()) == nullptr)
        util::throw_setup(util::syscall_error("mkdtemp", bin, errno));
    const std::string self = self_exe();
    if (::symlink(self.c_str(), (bin + "/sandbox").c_str()) != 0)
        util::throw_setup(util::syscall_error("symlink", bin + "/sandbox", errno));
    const std::string sh = login_shell();
    const std::string prompt = fmt::format("(lesson {}) ", lesson.number);
    const char* path_env = std::getenv("PATH");
    const std::string path = bin + (path_env != nullptr && *path_env != '\0'
                                        ? std::string(":") + path_env
                                        : std::string(":/usr/local/bin:/usr/bin:/bin"));
    std::vector<std::string> argv = {sh};
    if (fs::path(sh).filename() == "bash") {
        // bash sets PS1 (and maybe PATH) in its rc files: ours reads them, then adds to both.
        const std::string rc = bin + "/bashrc";
        util::write_file_atomically(rc,
                                    "[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc\n"
                                    "[ -f ~/.bashrc ] && . ~/.bashrc\n"
                                    "PATH=" +
                                        shell_quote(bin) +
                                        ":\"$PATH\"\nPS1=" + shell_quote(prompt) + "\"$PS1\"\n",
                                    0600);
        argv = {sh, "--rcfile", rc};
    }
    std::cout << report::wrap(fmt::format("Lesson {} shell, in {}: `sandbox` is {}. `sandbox "
                                          "lesson verify {}` checks your work; `exit` (or "
                                          "Ctrl-D) leaves.",
                                          lesson.number, dir, self, lesson.number),
                              report::terminal_width())
              << "\n"
              << std::flush;

    struct sigaction ignore {
    }, old_int{}, old_quit{};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGINT, &ignore, &old_int);
    ::sigaction(SIGQUIT, &ignore, &old_quit);
    const bool foreground = ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) util::throw_setup(util::syscall_error("fork", sh, errno));
    if (pid == 0) {
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGQUIT, SIG_DFL);
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::setenv("PATH", path.c_str(), 1);
        ::setenv("SANDBOX", self.c_str(), 1);
        ::setenv("LESSON_DIR", dir.c_str(), 1);
        ::setenv("SANDBOX_LESSON", std::to_string(lesson.number).c_str(), 1);
        if (argv.size() == 1) { // not bash with our rc file, which sets the prompt itself
            const char* ps1 = std::getenv("PS1");
            ::setenv("PS1", (prompt + (ps1 != nullptr ? ps1 : "$ ")).c_str(), 1);
        }
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(sh.c_str(), args.data());
        ::execl("/bin/sh", "sh", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    // An interactive shell takes the terminal for its own process group; make sure it is ours
    // again (if it was), even when the shell was killed before it could give it back.
    if (foreground) {
        struct sigaction old_ttou {};
        ::sigaction(SIGTTOU, &ignore, &old_ttou);
        ::tcsetpgrp(STDIN_FILENO, ::getpgrp());
        ::sigaction(SIGTTOU, &old_ttou, nullptr);
    }
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    std::error_code ec;
    fs::remove_all(bin, ec);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int watch_directory(const std::string& dir,
                    const std::function<std::pair<bool, std::string>()>& check,
                    const std::function<void(const std::string&)>& changed) {
    Watcher w(dir);
    // The files the checks themselves write (their traces, their scratch files), learned from
    // the first round: a change to one of them during a check is the check's. A change to any
    // other file during a check is the learner's, saved while the check ran: it is checked again
    // at once rather than lost.
    std::set<std::string> written_by_checks;
    bool first = true;
    std::string saved_during_check; // their names, for the report
    const auto round = [&]() {
        const auto [passed, report] = check();
        w.drain();
        saved_during_check.clear();
        for (const auto& n : w.take_names()) {
            // Learned as the checks' own once seen during a check: a file the checks write
            // only on some rounds costs one extra round, never a loop.
            const bool known = written_by_checks.count(n) != 0;
            written_by_checks.insert(n);
            if (!first && !known)
                saved_during_check += (saved_during_check.empty() ? "" : ", ") + n;
        }
        first = false;
        std::cout << report << std::flush;
        return passed;
    };
    if (round()) return 0;
    for (;;) {
        if (!saved_during_check.empty()) {
            changed(saved_during_check);
            if (round()) return 0;
            continue;
        }
        if (!w.wait(-1)) continue;
        // One change, however many events: wait until none has come for 200 ms.
        while (w.wait(200)) {
        }
        changed(w.changes());
        if (round()) return 0;
    }
}

} // namespace lessons
