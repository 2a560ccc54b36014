// SPDX-License-Identifier: Apache-2.0
// The ptrace engine: `run --results` (return values, errno names, -T, strace's -c columns) must
// match `strace -f` on deterministic commands, and `attach PID` must trace a running process and
// leave it running.
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <regex>
#include <set>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using testsupport::read_file;
using testsupport::RunOptions;
using testsupport::RunResult;
using testsupport::split_lines;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string ticker_bin = testsupport::helper_binary("TICKER_BIN", TICKER_BIN);

// "name = result" per line, with what legitimately differs between two runs normalized: pids
// (the values of getpid, getppid, gettid, set_tid_address, clone, fork, vfork, wait4) and
// addresses.
std::vector<std::string> normalize(const std::string& trace) {
    static const std::regex prefix(R"(^(\[pid +\d+\] |\d+ +))");
    static const std::regex whole(R"(^([a-z0-9_]+)\(.* = (.*)$)");
    static const std::regex resumed(R"(^<\.\.\. ([a-z0-9_]+) resumed>.* = (.*)$)");
    // rt_sigreturn "returns" the interrupted call's value (a pid from wait4, here)
    static const std::regex pid_calls(
        "^(getpid|getppid|gettid|set_tid_address|clone|clone3|fork|vfork|wait4|rt_sigreturn)$");
    std::vector<std::string> out;
    for (std::string l : split_lines(trace)) {
        l = std::regex_replace(l, prefix, "");
        if (l.rfind("+++", 0) == 0 || l.rfind("---", 0) == 0 ||
            l.find("<unfinished ...>") != std::string::npos)
            continue;
        std::smatch m;
        if (!std::regex_match(l, m, whole) && !std::regex_match(l, m, resumed)) continue;
        std::string name = m[1], result = m[2];
        result = std::regex_replace(result, std::regex(R"( <[0-9.]+>$)"), "");
        std::smatch err;
        if (std::regex_match(result, err, std::regex(R"(^(-1 [A-Z0-9]+).*)")))
            result = err[1];
        else if (result.rfind("0x", 0) == 0)
            result = "ADDR";
        else if (std::regex_match(name, pid_calls) && result != "?")
            result = "PID";
        out.push_back(name + " = " + result);
    }
    return out;
}

bool have_strace() {
    return std::system("command -v strace >/dev/null 2>&1") == 0;
}

} // namespace

TEST_CASE("results: execve = 0, the loader's failing probes with errno names, exit_group = ?",
          "[integration][results]") {
    auto r = testsupport::run({sandbox_bin, "run", "--results", "--", "touch", "/tmp/error.log"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    auto ls = split_lines(r.err);
    REQUIRE_FALSE(ls.empty());
    CHECK(std::regex_search(
        ls.front(),
        std::regex(
            R"(^execve\("/usr/bin/touch", \["touch", "/tmp/error.log"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) += 0$)")));
    CHECK(std::regex_search(
        r.err,
        std::regex(
            R"(access\("/etc/ld.so.preload", R_OK\) += -1 ENOENT \(No such file or directory\))")));
    CHECK(std::regex_search(
        r.err, std::regex(R"(openat\(AT_FDCWD, "/tmp/error.log", [A-Z_|]+, 0666\) += \d+)")));
    CHECK(std::regex_search(r.err, std::regex(R"(exit_group\(0\) += \?)")));
    CHECK(ls.back() == "+++ exited with 0 +++");
}

TEST_CASE("results: -c has strace's columns and counts errors - -T prints durations",
          "[integration][results]") {
    auto r =
        testsupport::run({sandbox_bin, "run", "--results", "-c", "--", "touch", "/tmp/error.log"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("% time") != std::string::npos);
    CHECK(r.err.find("usecs/call") != std::string::npos);
    CHECK(r.err.find("errors") != std::string::npos);
    CHECK(r.err.find("wall-clock") != std::string::npos);
    std::smatch m; // the failed access() is an error
    REQUIRE(std::regex_search(r.err, m,
                              std::regex(R"(\n *[0-9.]+ +[0-9.]+ +\d+ +(\d+) +(\d+) +access\n)")));
    CHECK(m[1] == "1");
    CHECK(m[2] == "1");
    auto t = testsupport::run({sandbox_bin, "run", "--results", "-T", "-e", "trace=openat", "--",
                               "cat", "/etc/hostname"});
    INFO(t.describe());
    CHECK(std::regex_search(t.err, std::regex(R"(openat\(.*\) += \d+ <\d+\.\d{6}>)")));
}

TEST_CASE("results: a denied call is skipped and returns the policy's errno, with its rule",
          "[integration][results]") {
    auto r = testsupport::run(
        {sandbox_bin, "run", "--results", "--profile", "deny-mkdir", "--", "mkdir", "/tmp/x"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK(std::regex_search(
        r.err,
        std::regex(
            R"(mkdir\("/tmp/x", 0777\) += -1 EPERM \(Operation not permitted\) <denied by syscalls\[0\]>)")));
    if (!have_strace()) return;
    // the command itself is killed: reported as the kernel's KILL would be, 128+SIGSYS
    auto k = testsupport::run({sandbox_bin, "run", "--results", "--profile", "kill-ptrace", "--",
                               "strace", "-o", "/dev/null", "true"});
    INFO(k.describe());
    CHECK(k.exit_code == 159);
    CHECK(k.err.find("killed by seccomp: KILL_PROCESS by syscalls[0]") != std::string::npos);
}

TEST_CASE("results: syscall names, return values and errors match strace -f",
          "[integration][results]") {
    if (!have_strace()) skip_test("strace is not installed (apt-get install strace)");
    char dir_tmpl[] = "/var/tmp/sandbox-fidelity.XXXXXX";
    REQUIRE(::mkdtemp(dir_tmpl) != nullptr);
    const std::string dir = dir_tmpl;
    const std::vector<std::string> commands = {"touch /tmp/error.log", "cat /etc/hostname", "ls /",
                                               "sh -c 'exit 3'", "sh -c '/bin/true; exit 3'"};
    for (const auto& cmd : commands) {
        INFO(cmd);
        const std::string s = dir + "/strace.txt", x = dir + "/sandbox.txt";
        // The same environment for both: the host's namespaces (--no-ns), the same shell line.
        auto a = testsupport::run({"strace", "-f", "-qq", "-o", s, "sh", "-c", "exec " + cmd});
        auto b = testsupport::run(
            {sandbox_bin, "run", "--no-ns", "--results", "-o", x, "--", "sh", "-c", "exec " + cmd});
        CHECK(a.exit_code == b.exit_code);
        auto want = normalize(read_file(s));
        auto got = normalize(read_file(x));
        REQUIRE(want.size() > 20);
        if (cmd.find("/bin/true") !=
            std::string::npos) { // two processes: their lines interleave freely
            std::sort(want.begin(), want.end());
            std::sort(got.begin(), got.end());
        }
        // Show where they part, not two long lists.
        std::size_t i = 0;
        while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
        std::string where;
        for (std::size_t k = i; k < i + 4; ++k)
            where += (k < want.size() ? want[k] : "(end)") + "   |   " +
                     (k < got.size() ? got[k] : "(end)") + "\n";
        INFO("strace | sandbox, from the first difference (line " << i << "):\n" << where);
        CHECK(got == want);
    }
    std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("attach: traces every thread of a running process, detaches, and it keeps running",
          "[integration][results]") {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::execl(ticker_bin.c_str(), ticker_bin.c_str(), "3", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    char buf[16] = {};
    REQUIRE(::read(out[0], buf, sizeof buf - 1) > 0); // "ready"
    auto r = testsupport::run({sandbox_bin, "attach", "--seconds", "2", std::to_string(pid)});
    INFO(r.describe().substr(0, 3000));
    const bool alive = ::kill(pid, 0) == 0;
    std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(out[0]);
    if (r.exit_code != 0 && r.err.find("ptrace") != std::string::npos)
        skip_test("this machine does not allow attaching: " + r.err.substr(0, 200));
    CHECK(r.exit_code == 0);
    std::set<std::string> tids;
    for (const auto& l : split_lines(r.err)) {
        std::smatch m;
        if (std::regex_search(l, m, std::regex(R"(^\[pid +(\d+)\] .*getppid\(\) += \d+)")))
            tids.insert(m[1]);
    }
    CHECK(tids.size() >= 3); // each thread's calls, with results
    CHECK(r.err.find("detached from process") != std::string::npos);
    CHECK(alive); // still running after the detach
    CHECK(status.find("TracerPid:\t0") != std::string::npos);
}

TEST_CASE("attach: a policy cannot be added - a missing process is explained",
          "[integration][results]") {
    auto p = testsupport::run({sandbox_bin, "attach", "--policy", "x.json", "1"});
    CHECK(p.exit_code == 121);
    CHECK(p.err.find("already running") != std::string::npos);
    auto m = testsupport::run({sandbox_bin, "attach", "999999999"});
    CHECK(m.exit_code == 123);
    CHECK(m.err.find("ESRCH") != std::string::npos);
}

// --- strace's output filters and -yy, beside the real strace --------------------------------

namespace {

// A fresh directory under /var/tmp (world-readable parents, as the uid-65534 pass needs).
std::string temp_dir(const char* name) {
    std::string tmpl = std::string("/var/tmp/") + name + ".XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    return tmpl;
}

} // namespace

TEST_CASE("results: -P PATH, -z, -Z and -e status= print the lines strace prints",
          "[integration][results]") {
    if (!have_strace()) skip_test("strace is not installed (apt-get install strace)");
    const std::string dir = temp_dir("sandbox-filters");
    struct Case {
        std::vector<std::string> filter;
        std::string cmd;
    };
    const std::vector<Case> cases = {
        {{"-P", "/etc/hostname"}, "cat /etc/hostname"},
        {{"-P", "/etc/hostname", "-P", "/nonexistent"}, "cat /etc/hostname /nonexistent"},
        {{"-Z"}, "cat /etc/hostname /nonexistent"},
        {{"-z"}, "cat /etc/hostname /nonexistent"},
        {{"-e", "status=failed"}, "ls /nonexistent"},
        {{"-e", "status=!successful"}, "ls /nonexistent"},
    };
    for (const auto& c : cases) {
        std::string shown;
        for (const auto& f : c.filter) shown += f + " ";
        INFO(shown << c.cmd);
        const std::string s = dir + "/strace.txt", x = dir + "/sandbox.txt";
        std::vector<std::string> st{"strace", "-f", "-qq", "-o", s};
        st.insert(st.end(), c.filter.begin(), c.filter.end());
        st.insert(st.end(), {"sh", "-c", "exec " + c.cmd});
        std::vector<std::string> sb{sandbox_bin, "run", "--no-ns", "--results", "-o", x};
        sb.insert(sb.end(), c.filter.begin(), c.filter.end());
        sb.insert(sb.end(), {"--", "sh", "-c", "exec " + c.cmd});
        auto a = testsupport::run(st);
        auto b = testsupport::run(sb);
        INFO(b.describe());
        CHECK(a.exit_code == b.exit_code);
        const auto want = normalize(read_file(s));
        const auto got = normalize(read_file(x));
        CHECK_FALSE(want.empty());
        CHECK(got == want);
    }
    std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("results: -yy prints a device's numbers and a socket's addresses as strace does",
          "[integration][results]") {
    if (!have_strace()) skip_test("strace is not installed (apt-get install strace)");
    const std::string dir = temp_dir("sandbox-yy");
    // /dev/null (char 1:3) and a connected UDP socket to the loopback, the same in both runs
    // (--no-ns: the host's network namespace).
    const std::string cmd = "echo x >/dev/null";
    const std::string s = dir + "/strace.txt", x = dir + "/sandbox.txt";
    auto a =
        testsupport::run({"strace", "-qq", "-yy", "-e", "trace=write", "-o", s, "sh", "-c", cmd});
    auto b = testsupport::run({sandbox_bin, "run", "--no-ns", "--results", "-yy", "-e",
                               "trace=write", "-o", x, "--", "sh", "-c", cmd});
    INFO(b.describe());
    REQUIRE(b.exit_code == 0);
    const auto want = split_lines(read_file(s));
    const auto got = split_lines(read_file(x));
    REQUIRE_FALSE(want.empty());
    CHECK(want.front() == R"(write(1</dev/null<char 1:3>>, "x\n", 2) = 2)");
    CHECK(got.front() == want.front());

    // A socket: its protocol and addresses instead of socket:[INODE] (bash's /dev/udp connects
    // a UDP socket; nothing needs to listen on port 9).
    auto u =
        testsupport::run({sandbox_bin, "run", "--no-ns", "--results", "-yy", "-e", "trace=write",
                          "--", "bash", "-c", "exec 3<>/dev/udp/127.0.0.1/9; echo x >&3"});
    INFO(u.describe());
    CHECK(std::regex_search(
        u.err, std::regex(R"(write\(\d+<UDP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:9\]>, "x\\n", 2\))")));
    std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("results: -ff -o FILE writes each thread's lines to FILE.TID, without [pid N]",
          "[integration][results]") {
    const std::string dir = temp_dir("sandbox-ff");
    auto r = testsupport::run({sandbox_bin, "run", "-ff", "-o", dir + "/trace", "--", "sh", "-c",
                               "ls / >/dev/null; cat /etc/hostname >/dev/null"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("execve(") == std::string::npos); // nothing on stderr: all in the files
    std::vector<std::string> files;
    for (const auto& l : split_lines(testsupport::run({"ls", dir}).out)) files.push_back(l);
    REQUIRE(files.size() >= 3); // sh, ls, cat
    int execs = 0, exits = 0;
    for (const auto& f : files) {
        INFO(f);
        CHECK(std::regex_match(f, std::regex(R"(trace\.\d+)")));
        const std::string text = read_file(dir + "/" + f);
        CHECK(text.find("[pid") == std::string::npos);
        for (const auto& l : split_lines(text)) {
            execs += l.rfind("execve(", 0) == 0 ? 1 : 0;
            exits += l.rfind("+++ exited with 0 +++", 0) == 0 ? 1 : 0;
        }
    }
    CHECK(execs == 3);
    CHECK(exits == 1); // the command's own, in its file
    std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("results: filters and -ff refuse what cannot work, before anything runs",
          "[integration][results]") {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"run", "-Z", "--", "sh", "-c", "echo RAN"},
          {"run", "--results", "-e", "status=sucessful", "--", "sh", "-c", "echo RAN"},
          {"run", "-ff", "-c", "-o", "/dev/null", "--", "sh", "-c", "echo RAN"},
          {"run", "-P", "", "--", "sh", "-c", "echo RAN"},
          {"check", "-z", "--", "sh", "-c", "echo RAN"}}) {
        std::vector<std::string> argv{sandbox_bin};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = testsupport::run(argv);
        INFO(r.describe());
        CHECK(r.exit_code == 121);
        CHECK(r.out.empty());
    }
}

TEST_CASE("results: -c -P counts only the calls that touch the path, -c -Z counts every call",
          "[integration][results]") {
    auto lines =
        testsupport::run({sandbox_bin, "run", "-P", "/etc/hostname", "--", "cat", "/etc/hostname"});
    INFO(lines.describe());
    REQUIRE(lines.exit_code == 0);
    std::size_t printed = 0;
    for (const auto& l : split_lines(lines.err)) printed += l.rfind("+++", 0) == 0 ? 0 : 1;
    REQUIRE(printed >= 3); // openat, a read or copy, close
    const auto total = [](const testsupport::RunResult& r) {
        const auto ls = split_lines(r.err);
        REQUIRE_FALSE(ls.empty());
        return nlohmann::json::parse(ls.back()).at("total").at("calls").get<std::size_t>();
    };
    auto counted = testsupport::run(
        {sandbox_bin, "run", "-c", "--json", "-P", "/etc/hostname", "--", "cat", "/etc/hostname"});
    INFO(counted.describe());
    CHECK(total(counted) == printed);
    auto all = testsupport::run(
        {sandbox_bin, "run", "--results", "-c", "--json", "--", "cat", "/etc/hostname"});
    auto failed = testsupport::run(
        {sandbox_bin, "run", "--results", "-c", "--json", "-Z", "--", "cat", "/etc/hostname"});
    INFO(failed.describe());
    CHECK(total(failed) == total(all)); // strace -c -Z: the status filters only what is printed
}
