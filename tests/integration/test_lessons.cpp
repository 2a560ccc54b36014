// SPDX-License-Identifier: Apache-2.0
// Lessons: every lesson's reference solution passes its checks and every wrong answer fails them
// (sandbox lesson selftest), as the current user and as uid 65534; verify reports a reason; watch
// exits on a pass; the lesson shell; the flags of the lesson commands.
#include "support/identity.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string lessons_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR) + "/lessons";

testsupport::RunResult sandbox(std::vector<std::string> args, bool as_nobody,
                               const std::string& state) {
    testsupport::RunOptions o = testsupport::timeout(600);
    o.env = testsupport::current_environment();
    o.env->push_back("SANDBOX_LESSONS=" + lessons_dir);
    o.env->push_back("XDG_STATE_HOME=" + state);
    const auto who = as_nobody ? testsupport::Who::nobody : testsupport::Who::current;
    return testsupport::sandbox(sandbox_bin, who, std::move(args), o);
}

std::string state_dir() {
    char tmpl[] = "/var/tmp/sandbox-lessons-test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::system((std::string("chmod 1777 ") + tmpl).c_str());
    return tmpl;
}

void selftest(bool as_nobody) {
    if (as_nobody && ::getuid() != 0 && ::getuid() != testsupport::nobody_uid)
        skip_test("running as uid 65534 needs root (or running the tests as 65534)");
    if (as_nobody && ::getuid() == testsupport::nobody_uid)
        skip_test("the tests already run as uid 65534: the current-user case is this one");
    const std::string state = state_dir();
    auto r = sandbox({"lesson", "selftest"}, as_nobody, state);
    std::system(("rm -rf " + state).c_str());
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("FAILED") == std::string::npos);
    CHECK(r.out.find(" 0 failed") != std::string::npos);
    // As root with strace installed (CI), nothing is missing: every lesson must really pass.
    if (!as_nobody && ::getuid() == 0 && std::system("command -v strace >/dev/null 2>&1") == 0)
        CHECK(r.out.find(" 0 skipped") != std::string::npos);
}

} // namespace

TEST_CASE("lessons: selftest passes every lesson (current user)", "[integration][lessons]") {
    selftest(false);
}
TEST_CASE("lessons: selftest passes every lesson (uid 65534)", "[integration][lessons]") {
    selftest(true);
}

TEST_CASE("lessons: verify before doing the task fails with reasons (and list and show work)",
          "[integration][lessons]") {
    const std::string state = state_dir();
    auto v = sandbox({"lesson", "verify", "5", "--json"}, false, state);
    INFO(v.describe());
    if (v.exit_code == 2) skip_test("lesson 5 cannot run here: " + v.out);
    CHECK(v.exit_code == 1);
    auto j = nlohmann::json::parse(v.out);
    CHECK(j["passed"] == false);
    CHECK(j["checks"][0]["reason"].get<std::string>().find("policy.json") != std::string::npos);
    auto list = sandbox({"lesson"}, false, state);
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("Crossing the line") != std::string::npos);
    auto show = sandbox({"lesson", "show", "1"}, false, state);
    CHECK(show.exit_code == 0);
    CHECK(show.out.find("Your task") != std::string::npos);
    auto none = sandbox({"lesson", "99"}, false, state);
    CHECK(none.exit_code == 121);
    std::system(("rm -rf " + state).c_str());
}

namespace {

// `sandbox ARGS` started in the background with stdout (and stderr) on a pipe we read as it
// comes: the test acts once a line appears.
class Background {
public:
    Background(const std::vector<std::string>& args, const std::string& state) {
        int fds[2];
        REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
        std::vector<std::string> argv = {sandbox_bin};
        argv.insert(argv.end(), args.begin(), args.end());
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::setpgid(0, 0);
            ::dup2(fds[1], 1);
            ::dup2(fds[1], 2);
            ::setenv("SANDBOX_LESSONS", lessons_dir.c_str(), 1);
            ::setenv("XDG_STATE_HOME", state.c_str(), 1);
            std::vector<char*> a;
            for (auto& s : argv) a.push_back(s.data());
            a.push_back(nullptr);
            ::execv(a[0], a.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        fd_ = fds[0];
    }
    ~Background() {
        if (pid_ > 0 && status_ < 0) {
            ::kill(-pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) ::close(fd_);
    }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    // Reads until `text` has appeared after what earlier calls found (true), or `seconds`
    // passed or the output ended (false): each call waits for new output, so a second "checks
    // hold" is the next round's, not the first one again.
    bool wait_for(const std::string& text, int seconds) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        std::size_t at;
        while ((at = out_.find(text, mark_)) == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || fd_ < 0) return false;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char buf[4096];
            const ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) {
                ::close(fd_);
                fd_ = -1;
            } else {
                out_.append(buf, static_cast<std::size_t>(n));
            }
        }
        mark_ = at + text.size();
        return true;
    }
    // The exit status once it exits within `seconds` (-1: still running).
    int exit_status(int seconds) {
        wait_for("\x01never\x01", seconds); // reads until the output ends or time is up
        for (int i = 0; i < 10 * seconds; ++i) {
            int st = 0;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                return status_;
            }
            ::usleep(100000);
        }
        return -1;
    }
    void signal(int sig) const { ::kill(pid_, sig); }
    const std::string& out() const { return out_; }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    int status_ = -1;
    std::string out_;
    std::size_t mark_ = 0; // where the next wait_for looks from
};

// A state directory removed however the test ends (a failed REQUIRE included).
struct State {
    std::string path = state_dir();
    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() { std::system(("rm -rf " + path).c_str()); }
};

void write_file(const std::string& path, const std::string& text) {
    // Like an editor that saves through a temporary file.
    std::ofstream(path + ".new") << text;
    REQUIRE(::rename((path + ".new").c_str(), path.c_str()) == 0);
}

} // namespace

TEST_CASE("lessons: watch checks again on a change and exits 0 on a pass (Ctrl-C: 130)",
          "[integration][lessons]") {
    const State guard;
    const std::string& state = guard.path;
    auto v = sandbox({"lesson", "verify", "5"}, false, state);
    if (v.exit_code == 2) skip_test("lesson 5 cannot run here: " + v.out);
    const std::string dir = state + "/sandbox/work/05-actions";
    {
        Background watch({"lesson", "watch", "5"}, state);
        // The first round fails (no policy.json); then a wrong answer, then the right one.
        REQUIRE(watch.wait_for("checks hold", 60));
        write_file(dir + "/policy.json", R"({"defaultAction":"SCMP_ACT_ERRNO"})");
        REQUIRE(watch.wait_for("policy.json changed", 30));
        REQUIRE(watch.wait_for("checks hold", 60));
        write_file(dir + "/policy.json",
                   R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],)"
                   R"("action":"SCMP_ACT_ERRNO"},{"names":["io_uring_setup","io_uring_enter",)"
                   R"("io_uring_register"],"action":"SCMP_ACT_ERRNO"}]})");
        const int status = watch.exit_status(60);
        INFO(watch.out());
        CHECK(status == 0);
        CHECK(watch.out().find("Lesson 5 passed.") != std::string::npos);
        CHECK(watch.out().find("Next: `") != std::string::npos);
    }
    // Recorded like verify.
    auto status = sandbox({"lesson", "status", "--json"}, false, state);
    INFO(status.describe());
    auto j = nlohmann::json::parse(status.out);
    CHECK(j["lessons"][4]["lesson"] == 5);
    CHECK(j["lessons"][4]["passed"] == true);
    {
        std::system(("rm -f " + dir + "/policy.json").c_str());
        Background watch({"lesson", "watch", "5"}, state);
        REQUIRE(watch.wait_for("checks hold", 60));
        watch.signal(SIGINT);
        CHECK(watch.exit_status(30) == 130);
    }
}

TEST_CASE("lessons: reset needs a number or --all (and --json is honoured or refused)",
          "[integration][lessons]") {
    const State guard;
    const std::string& state = guard.path;
    auto reset = sandbox({"lesson", "reset"}, false, state);
    CHECK(reset.exit_code == 121);
    CHECK(reset.err.find("--all") != std::string::npos);
    CHECK(sandbox({"lesson", "reset", "--all"}, false, state).exit_code == 0);
    auto list = sandbox({"lesson", "--json"}, false, state);
    INFO(list.describe());
    REQUIRE(list.exit_code == 0);
    auto j = nlohmann::json::parse(list.out);
    CHECK(j["lessons"][0]["lesson"] == 1);
    CHECK(j["lessons"][0]["passed"] == false);
    CHECK(j["total"].get<int>() >= 12);
    auto show = sandbox({"lesson", "show", "1", "--json"}, false, state);
    REQUIRE(show.exit_code == 0);
    auto s = nlohmann::json::parse(show.out);
    const std::string task = s["task"][0].get<std::string>();
    CHECK(task.find("{dir}") == std::string::npos);
    CHECK(task.find(s["dir"].get<std::string>()) != std::string::npos);
    CHECK(s.find("solution") == s.end());
    // show expands {dir} and {sandbox} as the lesson does
    auto text = sandbox({"lesson", "show", "1"}, false, state);
    CHECK(text.out.find("{dir}") == std::string::npos);
    CHECK(text.out.find("{sandbox}") == std::string::npos);
    CHECK(text.out.find("lesson shell 1") != std::string::npos);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"lesson", "1", "--json"}, {"lesson", "watch", "1", "--json"}}) {
        auto r = sandbox(args, false, state);
        CHECK(r.exit_code == 121);
    }
}

TEST_CASE("lessons: the lesson shell starts in the lesson directory with this sandbox on PATH",
          "[integration][lessons]") {
    const State guard;
    const std::string& state = guard.path;
    testsupport::RunOptions o = testsupport::timeout(60);
    o.env = testsupport::current_environment();
    o.env->push_back("SANDBOX_LESSONS=" + lessons_dir);
    o.env->push_back("XDG_STATE_HOME=" + state);
    o.env->push_back("SHELL=/bin/sh");
    // stdin is /dev/null: sh reads no command and exits at once; -c is what a user types.
    auto r = testsupport::run({"sh", "-c",
                               "echo 'pwd; command -v sandbox; readlink -f \"$(command -v "
                               "sandbox)\"; echo \"lesson=$SANDBOX_LESSON\"' | " +
                                   sandbox_bin + " lesson shell 2"},
                              o);
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(state + "/sandbox/work/02-openat\n") != std::string::npos);
    char real[PATH_MAX];
    REQUIRE(::realpath(sandbox_bin.c_str(), real) != nullptr);
    CHECK(r.out.find(std::string(real) + "\n") != std::string::npos);
    CHECK(r.out.find("lesson=2") != std::string::npos);
    CHECK(r.out.find("Left the lesson 2 shell.") != std::string::npos);
}
