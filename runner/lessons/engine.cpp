// SPDX-License-Identifier: Apache-2.0
#include "lessons/engine.hpp"

#include "lessons/checks.hpp"

#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <poll.h>
#include <pwd.h>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/safe_file.hpp"

namespace lessons {
namespace fs = std::filesystem;
namespace {

// The process group of the command shell() waits for (0: none), for kill_running_command().
volatile std::sig_atomic_t running_group = 0;

bool usable_dir(const std::string& d) {
    std::error_code ec;
    fs::create_directories(d, ec);
    return !ec && ::access(d.c_str(), W_OK | X_OK) == 0;
}

// A file the learner made, for a check: a regular file (a FIFO would block the check), at most
// 4 MiB; `ok` is false for anything else.
std::string read_file(const std::string& path, bool& ok) {
    try {
        std::string text = util::read_regular_file(path, 4u << 20, util::exit_code::usage,
                                                   "a file a lesson checks", "");
        ok = true;
        return text;
    } catch (const util::Error&) {
        ok = false;
        return {};
    }
}

// At most `max` lines matching `show` (all lines when empty), for a failed check.
std::string slice_of(const std::string& text, const std::string& show, std::size_t max = 6) {
    std::istringstream in(text);
    std::vector<std::string> picked;
    std::regex re(show.empty() ? std::string(".") : show);
    for (std::string line; std::getline(in, line);)
        if (std::regex_search(line, re)) picked.push_back(line);
    std::string out;
    const std::size_t from = picked.size() > max ? picked.size() - max : 0;
    if (from > 0) out += fmt::format("    ... ({} more lines)\n", from);
    for (std::size_t i = from; i < picked.size(); ++i)
        out += "    " + picked[i].substr(0, 200) + "\n";
    return out;
}

// "NAME", "NAME + K", "NAME - K" or "K" with the captured variables.
std::optional<long long> evaluate(const std::string& expr,
                                  const std::map<std::string, long long>& vars) {
    std::smatch m;
    static const std::regex form(R"(^\s*([A-Za-z_][A-Za-z0-9_]*|-?\d+)\s*(?:([+-])\s*(\d+))?\s*$)");
    if (!std::regex_match(expr, m, form)) return std::nullopt;
    long long base = 0;
    const std::string head = m[1];
    if (std::isdigit(static_cast<unsigned char>(head[0])) || head[0] == '-') {
        base = std::stoll(head);
    } else {
        auto it = vars.find(head);
        if (it == vars.end()) return std::nullopt;
        base = it->second;
    }
    if (m[2].matched) base += (m[2] == "+" ? 1 : -1) * std::stoll(m[3]);
    return base;
}

} // namespace

std::string self_exe() {
    char exe[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return "sandbox";
    std::string path(exe, static_cast<std::size_t>(n));
    // Rebuilt or upgraded while a lesson runs: the kernel appends " (deleted)" to the old file's
    // name. The new binary at the same path is the one to run.
    constexpr std::string_view deleted = " (deleted)";
    if (path.size() > deleted.size() && path.ends_with(deleted)) {
        std::string now = path.substr(0, path.size() - deleted.size());
        if (::access(now.c_str(), X_OK) == 0) return now;
    }
    return path;
}

std::string sandbox_command() {
    const std::string self = self_exe();
    std::error_code ec;
    const fs::path me = fs::canonical(self, ec);
    if (ec) return self;
    const char* path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "";
    while (true) {
        const std::size_t colon = rest.find(':');
        const std::string dir(rest.substr(0, colon));
        if (!dir.empty() && dir.front() == '/') {
            const std::string candidate = dir + "/sandbox";
            if (::access(candidate.c_str(), X_OK) == 0) {
                // The first `sandbox` on PATH is what the learner's shell runs.
                const fs::path found = fs::canonical(candidate, ec);
                return !ec && found == me ? std::string("sandbox") : self;
            }
        }
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return self;
}

void kill_running_command() noexcept {
    const pid_t group = running_group;
    if (group > 0) ::kill(-group, SIGKILL);
}

bool Verification::passed() const {
    for (const auto& c : checks)
        if (!c.passed) return false;
    return !checks.empty();
}

std::string state_dir() {
    std::vector<std::string> candidates;
    if (const char* x = std::getenv("XDG_STATE_HOME"); x != nullptr && *x == '/')
        candidates.push_back(std::string(x) + "/sandbox");
    if (const char* h = std::getenv("HOME"); h != nullptr && *h == '/')
        candidates.push_back(std::string(h) + "/.local/state/sandbox");
    else if (const passwd* pw = ::getpwuid(::geteuid());
             pw != nullptr && pw->pw_dir != nullptr && pw->pw_dir[0] == '/')
        // No HOME (env -i, cron): the account's home, as XDG tools do. sandbox hides the home
        // behind a tmpfs and binds the workspace into it, which works under a private home;
        // the /var/tmp fallback's 0700 directory is not reachable by a root caller's mapped uid.
        candidates.push_back(std::string(pw->pw_dir) + "/.local/state/sandbox");
    for (const auto& c : candidates)
        // Not under /tmp: lessons bind their directory into the sandbox, where /tmp is private.
        if (c.rfind("/tmp/", 0) != 0 && usable_dir(c)) return c;
    // The last resort lies in a directory everyone can write: it must be ours alone (mode 0700,
    // not a symlink), or another user could read or plant the progress and the workspaces.
    const std::string fallback = fmt::format("/var/tmp/sandbox-state-{}", ::geteuid());
    util::ensure_private_directory(fallback);
    if (::access(fallback.c_str(), W_OK | X_OK) == 0) return fallback;
    throw util::Error(util::exit_code::setup, "no writable state directory",
                      "set XDG_STATE_HOME or HOME to a directory you can write");
}

std::string workspace(const Lesson& lesson) {
    // Not under /tmp: inside the sandbox /tmp is a private tmpfs, and the lessons' runs bind the
    // workspace in with --rw.
    std::string dir = state_dir() + "/work/" + lesson.slug;
    if (!usable_dir(dir))
        throw util::Error(util::exit_code::setup, util::syscall_error("mkdir", dir, errno));
    return dir;
}

std::optional<std::string> missing_need(const Lesson& lesson) {
    for (const auto& n : lesson.needs) {
        if (n == "root" && ::geteuid() != 0)
            return "needs root: run it with sudo, or as root on a lab machine";
        if (n == "strace" && std::system("command -v strace >/dev/null 2>&1") != 0)
            return "needs strace: install it with `apt-get install strace`";
        if (n == "ptrace") {
            // Attach to a process that is not our child, as the learner will.
            auto r = shell(expand("sleep 5 & p=$!; {sandbox} attach --seconds 1 -e trace=none -o "
                                  "/dev/null $p; r=$?; "
                                  "kill $p; exit $r",
                                  "/"),
                           "/");
            if (r.exit_code != 0)
                return "needs ptrace rights over your own processes: " + r.output.substr(0, 300) +
                       " (run as root, or `sysctl -w kernel.yama.ptrace_scope=0` on a lab machine)";
        }
        if (n == "userns") {
            // Try the real thing, the way the lesson will use it.
            auto r = shell(expand("{sandbox} run -e trace=none -- true", "/"), "/");
            if (r.exit_code != 0)
                return "needs namespaces this machine refuses: " + r.output.substr(0, 300) +
                       " (see `sandbox doctor` for the remedy)";
        }
    }
    return std::nullopt;
}

std::string expand(const std::string& text, const std::string& dir) {
    std::string out = text;
    const auto replace_all = [&](const std::string& from, const std::string& to) {
        for (std::size_t p = out.find(from); p != std::string::npos;
             p = out.find(from, p + to.size()))
            out.replace(p, from.size(), to);
    };
    replace_all("{sandbox}", self_exe());
    replace_all("{dir}", dir);
    // the lessons' programs: installed in libexec/sandbox, built in build/lessons/
    replace_all("{bin}", programs_dir());
    return out;
}

ShellResult shell(const std::string& command, const std::string& dir, bool show,
                  int timeout_seconds) {
    int pipefd[2] = {-1, -1};
    if (!show && ::pipe2(pipefd, O_CLOEXEC) != 0)
        util::throw_setup(util::syscall_error("pipe2", "lesson command", errno));
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) util::throw_setup(util::syscall_error("fork", "lesson command", errno));
    if (pid == 0) {
        ::setpgid(0, 0);
        if (!show) {
            ::dup2(pipefd[1], 1);
            ::dup2(pipefd[1], 2);
        }
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::setenv("SANDBOX", self_exe().c_str(), 1);
        ::setenv("LESSON_DIR", dir.c_str(), 1);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    running_group = pid;
    ShellResult r;
    if (!show) {
        ::close(pipefd[1]);
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
        char buf[4096];
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                ::kill(-pid, SIGKILL);
                r.output += fmt::format("\n(stopped after {} seconds)\n", timeout_seconds);
                break;
            }
            pollfd p{pipefd[0], POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            ssize_t n = ::read(pipefd[0], buf, sizeof buf);
            if (n <= 0) break;
            if (r.output.size() < (4u << 20)) r.output.append(buf, static_cast<std::size_t>(n));
        }
        ::close(pipefd[0]);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    running_group = 0;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

Verification verify(const Lesson& lesson, const std::string& dir) {
    Verification v;
    std::map<std::string, long long> vars;
    for (const auto& c : lesson.checks) {
        CheckResult r;
        r.reason = c.reason;
        if (!c.predictions.empty()) {
            r = check_predictions(c, dir);
        } else if (!c.pod.empty()) {
            r = check_pod(c, dir);
        } else if (!c.file.empty()) {
            bool ok = false;
            const std::string path = dir + "/" + expand(c.file, dir);
            const std::string text = read_file(path, ok);
            if (!ok) {
                r.slice = fmt::format("    (there is no {} in {})\n", expand(c.file, dir), dir);
            } else if (!c.matches.empty()) {
                std::smatch m;
                std::regex re(c.matches);
                std::istringstream in(text);
                for (std::string line; std::getline(in, line);) {
                    if (std::regex_search(line, m, re)) {
                        r.passed = true;
                        if (!c.capture.empty() && m.size() > 1) {
                            try {
                                vars[c.capture] = std::stoll(m[1]);
                            } catch (...) {
                                r.passed = false;
                            }
                        }
                        break;
                    }
                }
                if (!r.passed) r.slice = slice_of(text, c.show);
            } else {
                // No line may match (as `matches` looks for one line: ^ and $ are a line's ends).
                std::regex re(c.absent);
                std::istringstream in(text);
                r.passed = true;
                for (std::string line; r.passed && std::getline(in, line);)
                    r.passed = !std::regex_search(line, re);
                if (!r.passed) r.slice = slice_of(text, c.show.empty() ? c.absent : c.show);
            }
        } else if (!c.run.empty()) {
            ShellResult s = shell(expand(c.run, dir), dir);
            r.passed = (!c.exit || s.exit_code == *c.exit) &&
                       (!c.exit_not || s.exit_code != *c.exit_not) &&
                       (c.output_matches.empty() ||
                        std::regex_search(s.output, std::regex(c.output_matches)));
            if (!r.passed)
                r.slice =
                    fmt::format("    $ {}   (exit status {})\n", expand(c.run, dir), s.exit_code) +
                    slice_of(s.output, c.show);
        } else {
            const std::string& other = c.equals.empty() ? c.differs : c.equals;
            auto left = evaluate(c.compare, vars);
            auto right = evaluate(other, vars);
            r.passed = left && right && (c.equals.empty() ? *left != *right : *left == *right);
            if (!r.passed)
                r.slice = fmt::format("    {} is {}, {} is {}\n", c.compare,
                                      left ? std::to_string(*left) : "unknown", other,
                                      right ? std::to_string(*right) : "unknown");
        }
        v.checks.push_back(std::move(r));
    }
    return v;
}

SelftestResult selftest(const Lesson& lesson) {
    SelftestResult out;
    if (auto why = missing_need(lesson)) {
        out.status = SelftestResult::Status::Skipped;
        out.detail = *why;
        return out;
    }
    const auto fresh = [&]() {
        std::string d = state_dir() + "/selftest/" + lesson.slug;
        std::error_code ec;
        fs::remove_all(d, ec);
        fs::create_directories(d, ec);
        return d;
    };
    const auto attempt = [&](const std::vector<std::string>& commands) {
        const std::string d = fresh();
        std::string log;
        for (const auto& cmd : commands) {
            ShellResult s = shell(expand(cmd, d), d);
            log += "$ " + cmd + "\n" + s.output;
        }
        Verification v = verify(lesson, d);
        std::error_code ec;
        fs::remove_all(d, ec);
        return std::make_pair(v, log);
    };
    auto [good, good_log] = attempt(lesson.solution);
    if (!good.passed()) {
        out.status = SelftestResult::Status::Failed;
        for (const auto& c : good.checks)
            if (!c.passed)
                out.detail += "the reference solution fails: " + c.reason + "\n" + c.slice;
        out.detail += good_log.substr(0, 2000);
        return out;
    }
    for (std::size_t i = 0; i < lesson.wrong.size(); ++i) {
        auto [bad, log] = attempt(lesson.wrong[i]);
        if (bad.passed()) {
            out.status = SelftestResult::Status::Failed;
            out.detail = fmt::format("wrong answer {} passes every check: {}", i + 1,
                                     lesson.wrong[i].front());
            return out;
        }
    }
    return out;
}

std::string Progress::path() {
    return state_dir() + "/progress.json";
}

Progress Progress::load() {
    Progress p;
    try {
        bool ok = false;
        const std::string text = read_file(path(), ok);
        if (!ok) return p;
        auto j = nlohmann::json::parse(text);
        for (auto it = j.at("lessons").begin(); it != j.at("lessons").end(); ++it) {
            Entry e;
            e.passed = it.value().value("passed", false);
            e.solution_shown = it.value().value("solution_shown", false);
            e.hints_shown = it.value().value("hints_shown", 0);
            e.passed_at = it.value().value("passed_at", "");
            p.lessons[std::stoi(it.key())] = e;
        }
    } catch (...) {
        // A damaged progress file starts over rather than failing every command.
    }
    return p;
}

void Progress::save() const {
    nlohmann::json j;
    j["lessons"] = nlohmann::json::object();
    for (const auto& [n, e] : lessons)
        j["lessons"][std::to_string(n)] = {{"passed", e.passed},
                                           {"solution_shown", e.solution_shown},
                                           {"hints_shown", e.hints_shown},
                                           {"passed_at", e.passed_at}};
    // A temporary file renamed over it, mode 0600: never through a symlink (util/safe_file.hpp).
    util::write_file_atomically(path(), j.dump(2) + "\n", 0600);
}

} // namespace lessons
