// SPDX-License-Identifier: Apache-2.0
// Integration tests for `sandbox run`: they run the built binary on the probe helper (and on a few
// coreutils) and check what the kernel answered inside. Most cases exist twice: as the current
// user (root, or whoever runs ctest) and as uid 65534, which needs a user namespace. A case whose
// environment is missing skips with the reason (exit 77, see support/skip.hpp).
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using testsupport::as;
using testsupport::cap_field;
using testsupport::exists;
using testsupport::gone_within;
using testsupport::kill_leftovers;
using testsupport::read_file;
using testsupport::require_identity;
using testsupport::require_root;
using testsupport::RunOptions;
using testsupport::RunResult;
using testsupport::split_lines;
using testsupport::TempDir;
using testsupport::timeout;
using testsupport::unique_sleep_seconds;
using testsupport::value_of;
using testsupport::Who;
using testsupport::write_file;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);
const std::string source_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR);

RunResult sandbox(Who who, std::vector<std::string> args, RunOptions opts = {}) {
    return testsupport::sandbox(sandbox_bin, who, std::move(args), std::move(opts));
}

// `sandbox run [opts] -- probe ACTIONS...`
RunResult run_probe(Who who, std::vector<std::string> run_opts, std::vector<std::string> actions,
                    RunOptions opts = {}) {
    return sandbox(who, testsupport::probe_run_args(probe_bin, run_opts, actions), opts);
}

// Interface names listed in a /proc/net/dev text.
std::set<std::string> interfaces(const std::string& proc_net_dev) {
    std::set<std::string> names;
    for (const auto& line : split_lines(proc_net_dev)) {
        auto colon = line.find(':');
        if (colon == std::string::npos || line.find('|') != std::string::npos) continue;
        std::string name = line.substr(0, colon);
        name.erase(0, name.find_first_not_of(' '));
        if (!name.empty()) names.insert(name);
    }
    return names;
}

std::string host_hostname() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

// A default-deny profile (ERRNO) that allows what probe, the dynamic loader and libc need and
// does not name clone3. Generous on purpose: a missing entry would make the test brittle.
const char* default_deny_profile = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [
    {
      "names": [
        "read", "write", "readv", "writev", "pread64", "pwrite64", "open", "openat", "close",
        "stat", "fstat", "lstat", "newfstatat", "statx", "lseek", "access", "faccessat",
        "faccessat2", "readlink", "readlinkat", "getcwd", "getdents64", "fcntl", "dup", "dup2",
        "dup3", "ioctl", "mmap", "mprotect", "munmap", "mremap", "madvise", "brk",
        "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "execve", "execveat",
        "exit", "exit_group", "wait4", "waitid", "clone", "getpid", "getppid", "gettid",
        "getuid", "geteuid", "getgid", "getegid", "arch_prctl", "set_tid_address",
        "set_robust_list", "get_robust_list", "rseq", "prlimit64", "getrlimit", "setrlimit",
        "getrandom", "futex", "sched_getaffinity", "sched_yield", "nanosleep",
        "clock_nanosleep", "clock_gettime", "gettimeofday", "uname", "prctl", "kill", "tgkill",
        "tkill", "sysinfo", "restart_syscall", "membarrier"
      ],
      "action": "SCMP_ACT_ALLOW"
    }
  ]
})";

// --- the acceptance command --------------------------------------------------------------------

void acceptance_command(Who who) {
    require_identity(who);
    auto r = sandbox(who, {"run", "--", "sh", "-c",
                           "echo $$; hostname; ls /proc | grep -c '^[0-9]'; "
                           "grep CapEff /proc/self/status; cat /proc/net/dev"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    REQUIRE_FALSE(r.timed_out);
    auto lines = split_lines(r.out);
    REQUIRE(lines.size() >= 7);
    CHECK((lines[0] == "1" || lines[0] == "2"));
    CHECK(lines[1] == "sandbox");
    int count = std::stoi(lines[2]);
    CHECK(count >= 1);
    CHECK(count < 10);
    CHECK(lines[3] == "CapEff:\t0000000000000000");
    std::string net;
    for (size_t i = 4; i < lines.size(); ++i) net += lines[i] + "\n";
    CHECK(net.find("Inter-|") != std::string::npos);
    CHECK(interfaces(net) == std::set<std::string>{"lo"});
}

TEST_CASE("run: acceptance command (current user)", "[integration]") {
    acceptance_command(Who::current);
}
TEST_CASE("run: acceptance command (uid 65534)", "[integration]") {
    acceptance_command(Who::nobody);
}

// --- what the probe sees -----------------------------------------------------------------------

void pid_namespace(Who who) {
    require_identity(who);
    auto r = run_probe(who, {}, {"getpid", "getppid", "pid-count", "hostname", "uid"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "getpid") == "2");
    CHECK(value_of(r.out, "getppid") == "1");
    CHECK(value_of(r.out, "pid-count") == "2"); // init and the probe, nothing of the host
    CHECK(value_of(r.out, "hostname") == "sandbox");
    const std::string me = who == Who::nobody
                               ? "65534/65534"
                               : std::to_string(::getuid()) + "/" + std::to_string(::getgid());
    CHECK(value_of(r.out, "uid") == me);
}

TEST_CASE("run: probe is PID 2 under init, sees only its own processes (current user)",
          "[integration]") {
    pid_namespace(Who::current);
}
TEST_CASE("run: probe is PID 2 under init, sees only its own processes (uid 65534)",
          "[integration]") {
    pid_namespace(Who::nobody);
}

void private_tmp(Who who) {
    require_identity(who);
    // Lives in the host's /tmp: a shared /tmp would show it.
    TempDir host("/tmp", 0755);
    const std::string host_file = host / "visible-on-host";
    write_file(host_file, "host\n");
    const std::string inside_file = host.path() + "-written-inside"; // unique, absent on the host
    REQUIRE_FALSE(exists(inside_file));

    // Control: outside the sandbox the probe does see the host file.
    auto control = testsupport::run({probe_bin, "open-read", host_file}, as(who));
    INFO(control.describe());
    REQUIRE(value_of(control.out, "open-read " + host_file) == "ok");

    auto r = run_probe(
        who, {},
        {"open-read", host_file, "write-tmp", inside_file, "inside", "open-read", inside_file});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "open-read " + host_file) == "ENOENT");
    CHECK(value_of(r.out, "write-tmp " + inside_file) == "ok");
    CHECK(value_of(r.out, "open-read " + inside_file) == "ok");
    bool leaked = exists(inside_file);
    ::unlink(inside_file.c_str());
    CHECK_FALSE(leaked);
}

TEST_CASE("run: /tmp is private in both directions (current user)", "[integration]") {
    private_tmp(Who::current);
}
TEST_CASE("run: /tmp is private in both directions (uid 65534)", "[integration]") {
    private_tmp(Who::nobody);
}

void read_only_root(Who who) {
    require_identity(who);
    // /var/tmp is world-writable on the host, so only the read-only mount can refuse.
    TempDir probe_dir("/var/tmp", 0777);
    const std::string victim = probe_dir.path() + "-outside-tmp";
    const std::string victim_dir = probe_dir.path() + "-outside-tmp-dir";
    auto r = run_probe(
        who, {}, {"touch", victim, "mkdir", victim_dir, "write-tmp", probe_dir / "f", "data"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "touch " + victim) == "EROFS");
    CHECK(value_of(r.out, "mkdir " + victim_dir) == "EROFS");
    CHECK(value_of(r.out, "write-tmp " + (probe_dir / "f")) == "EROFS");
    bool created = exists(victim) || exists(victim_dir) || exists(probe_dir / "f");
    ::unlink(victim.c_str());
    ::rmdir(victim_dir.c_str());
    CHECK_FALSE(created);
}

TEST_CASE("run: the host root is read-only outside /tmp (current user)", "[integration]") {
    read_only_root(Who::current);
}
TEST_CASE("run: the host root is read-only outside /tmp (uid 65534)", "[integration]") {
    read_only_root(Who::nobody);
}

void only_std_fds(Who who) {
    require_identity(who);
    // We hand the sandbox an extra open fd (9); the command must not get it.
    int fd = ::open("/dev/null", O_RDONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::dup2(fd, 9) == 9);
    ::close(fd);
    RunOptions opts;
    opts.inherit_fd = 9;
    opts.as_nobody = who == Who::nobody;
    auto control = testsupport::run({probe_bin, "fds"}, opts);
    auto r = run_probe(who, {}, {"fds"}, opts);
    ::close(9);
    INFO(control.describe());
    REQUIRE(value_of(control.out, "fds") == "0,1,2,9"); // the helper really passes fd 9 on
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "fds") == "0,1,2");
}

TEST_CASE("run: only fds 0, 1 and 2 reach the command (current user)", "[integration]") {
    only_std_fds(Who::current);
}
TEST_CASE("run: only fds 0, 1 and 2 reach the command (uid 65534)", "[integration]") {
    only_std_fds(Who::nobody);
}

void environment(Who who) {
    require_identity(who);
    RunOptions opts;
    opts.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "SANDBOX_ITEST_A=1",
                                        "SANDBOX_ITEST_B=two", "HOME=/"};
    auto same = run_probe(who, {}, {"env-count"}, opts);
    INFO(same.describe());
    CHECK(same.exit_code == 0);
    CHECK(value_of(same.out, "env-count") == "4");

    auto added = run_probe(who, {"--env", "SANDBOX_ITEST_C=3"}, {"env-count"}, opts);
    INFO(added.describe());
    CHECK(value_of(added.out, "env-count") == "5");

    auto overridden = sandbox(who, {"run", "--env", "SANDBOX_ITEST_A=9", "--", "env"}, opts);
    INFO(overridden.describe());
    CHECK(overridden.exit_code == 0);
    auto vars = split_lines(overridden.out);
    std::sort(vars.begin(), vars.end());
    CHECK(vars == std::vector<std::string>{"HOME=/", "PATH=/usr/bin:/bin", "SANDBOX_ITEST_A=9",
                                           "SANDBOX_ITEST_B=two"});

    auto cleared = run_probe(who, {"--clearenv"}, {"env-count"}, opts);
    INFO(cleared.describe());
    CHECK(cleared.exit_code == 0);
    CHECK(value_of(cleared.out, "env-count") == "0");

    auto cleared_plus =
        sandbox(who, {"run", "--clearenv", "--env", "ONLY=this", "--", "/usr/bin/env"}, opts);
    INFO(cleared_plus.describe());
    CHECK(cleared_plus.exit_code == 0);
    CHECK(cleared_plus.out == "ONLY=this\n");
}

TEST_CASE("run: environment is inherited, --env adds, --clearenv empties (current user)",
          "[integration]") {
    environment(Who::current);
}
TEST_CASE("run: environment is inherited, --env adds, --clearenv empties (uid 65534)",
          "[integration]") {
    environment(Who::nobody);
}

TEST_CASE("run: the environment count matches the caller's full environment", "[integration]") {
    require_identity(Who::current);
    auto env = testsupport::current_environment();
    auto r = run_probe(Who::current, {}, {"env-count"});
    INFO(r.describe());
    CHECK(value_of(r.out, "env-count") == std::to_string(env.size()));
}

void own_session(Who who) {
    require_identity(who);
    std::vector<std::vector<std::string>> variants{{}};
    // --no-ns too, where it works (as root; see the --no-ns cases for other identities).
    if (who == Who::current && ::getuid() == 0) variants.push_back({"--no-ns"});
    for (const auto& opts : variants) {
        auto r = run_probe(who, opts, {"getpid", "session"});
        INFO(r.describe());
        REQUIRE(r.exit_code == 0);
        const std::string pid = value_of(r.out, "getpid");
        // A session leader has no controlling terminal to push input into (TIOCSTI).
        CHECK(value_of(r.out, "session") == "pid=" + pid + " sid=" + pid + " pgid=" + pid);
    }
}

TEST_CASE("run: the command leads its own session (current user)", "[integration]") {
    own_session(Who::current);
}
TEST_CASE("run: the command leads its own session (uid 65534)", "[integration]") {
    own_session(Who::nobody);
}

// --- seccomp profiles --------------------------------------------------------------------------

void deny_mkdir_profile(Who who) {
    require_identity(who);
    auto r = run_probe(who, {"--profile", "deny-mkdir"},
                       {"mkdir", "/tmp/d", "touch", "/tmp/f", "open-read", "/tmp/f"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "mkdir /tmp/d") == "EPERM");
    CHECK(value_of(r.out, "touch /tmp/f") == "ok");
    CHECK(value_of(r.out, "open-read /tmp/f") == "ok");

    // Control: without the profile mkdir works.
    auto allowed = run_probe(who, {}, {"mkdir", "/tmp/d"});
    INFO(allowed.describe());
    CHECK(value_of(allowed.out, "mkdir /tmp/d") == "ok");
}

TEST_CASE("run: --profile deny-mkdir denies mkdir with EPERM, not file creation (current user)",
          "[integration]") {
    deny_mkdir_profile(Who::current);
}
TEST_CASE("run: --profile deny-mkdir denies mkdir with EPERM, not file creation (uid 65534)",
          "[integration]") {
    deny_mkdir_profile(Who::nobody);
}

void deny_mkdir_policy_file(Who who) {
    require_identity(who);
    const std::string policy = source_dir + "/policies/deny-mkdir.json";
    auto mk = sandbox(who, {"run", "--policy", policy, "--", "mkdir", "/tmp/x"});
    INFO(mk.describe());
    CHECK(mk.exit_code == 1);
    CHECK(mk.err.find("Operation not permitted") != std::string::npos);

    // The trace goes to /dev/null: touch itself must print nothing.
    auto touch =
        sandbox(who, {"run", "-o", "/dev/null", "--policy", policy, "--", "touch", "/tmp/y"});
    INFO(touch.describe());
    CHECK(touch.exit_code == 0);
    CHECK(touch.err.empty());

    auto probe = run_probe(who, {"--policy", policy}, {"mkdir", "/tmp/z", "touch", "/tmp/z2"});
    INFO(probe.describe());
    CHECK(value_of(probe.out, "mkdir /tmp/z") == "EPERM");
    CHECK(value_of(probe.out, "touch /tmp/z2") == "ok");
}

TEST_CASE("run: --policy deny-mkdir.json with coreutils mkdir and touch (current user)",
          "[integration]") {
    deny_mkdir_policy_file(Who::current);
}
TEST_CASE("run: --policy deny-mkdir.json with coreutils mkdir and touch (uid 65534)",
          "[integration]") {
    deny_mkdir_policy_file(Who::nobody);
}

void deny_network(Who who) {
    require_identity(who);
    auto r = run_probe(who, {"--profile", "deny-network"},
                       {"socket-inet", "socket-inet6", "socket-unix"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "socket-inet") == "EACCES");
    CHECK(value_of(r.out, "socket-inet6") == "EACCES");
    CHECK(value_of(r.out, "socket-unix") == "ok");

    // Control: the network namespace alone does not refuse sockets.
    auto open = run_probe(who, {}, {"socket-inet", "socket-inet6"});
    INFO(open.describe());
    CHECK(value_of(open.out, "socket-inet") == "ok");
}

TEST_CASE("run: --profile deny-network refuses inet sockets with EACCES (current user)",
          "[integration]") {
    deny_network(Who::current);
}
TEST_CASE("run: --profile deny-network refuses inet sockets with EACCES (uid 65534)",
          "[integration]") {
    deny_network(Who::nobody);
}

void kill_ptrace(Who who) {
    require_identity(who);
    auto r = run_probe(who, {"--profile", "kill-ptrace"},
                       {"echo", "before-ptrace", "ptrace-traceme", "echo", "after-ptrace"});
    INFO(r.describe());
    CHECK(r.exit_code == 159);
    CHECK(r.out.find("echo: before-ptrace") != std::string::npos);
    CHECK(r.out.find("ptrace-traceme:") == std::string::npos);
    CHECK(r.out.find("after-ptrace") == std::string::npos);
    CHECK(r.err.find("SIGSYS") != std::string::npos);

    // A parent inside sees the kernel's KILL: a death by SIGSYS (159), with either engine.
    for (const bool results : {false, true}) {
        std::vector<std::string> args{"run", "-e", "trace=ptrace", "--profile", "kill-ptrace"};
        if (results) args.push_back("--results");
        args.insert(args.end(),
                    {"--", "sh", "-c", "\"$0\" ptrace-traceme; echo \"inside: $?\"", probe_bin});
        auto s = sandbox(who, args);
        INFO(s.describe());
        CHECK(s.exit_code == 0);
        CHECK(s.out == "inside: 159\n");
    }

    // A process that catches SIGSYS cannot survive its KILL rule: the kernel's KILL_PROCESS takes
    // no handler (the probe's would print "caught SIGSYS").
    auto caught = run_probe(who, {"--profile", "kill-ptrace"},
                            {"catch-sigsys", "ptrace-traceme", "echo", "after-ptrace"});
    INFO(caught.describe());
    CHECK(caught.exit_code == 159);
    CHECK(caught.out.find("catch-sigsys: ok") != std::string::npos);
    CHECK(caught.out.find("caught SIGSYS") == std::string::npos);
    CHECK(caught.out.find("after-ptrace") == std::string::npos);
}

TEST_CASE("run: --profile kill-ptrace kills on ptrace with SIGSYS, exit 159 (current user)",
          "[integration]") {
    kill_ptrace(Who::current);
}
TEST_CASE("run: --profile kill-ptrace kills on ptrace with SIGSYS, exit 159 (uid 65534)",
          "[integration]") {
    kill_ptrace(Who::nobody);
}

TEST_CASE("run: a KILL_PROCESS default with no rules kills before the command runs",
          "[integration]") {
    require_identity(Who::current);
    TempDir dir("/var/tmp", 0755);
    write_file(dir / "kill.json", R"({"defaultAction": "SCMP_ACT_KILL_PROCESS"})");
    auto r =
        sandbox(Who::current, {"run", "--policy", dir / "kill.json", "--", "sh", "-c", "echo RAN"});
    INFO(r.describe());
    CHECK(r.exit_code == 159);
    CHECK(r.out.find("RAN") == std::string::npos);
    CHECK(r.err.find("SIGSYS") != std::string::npos);
}

void exit_codes(Who who) {
    require_identity(who);
    for (auto [actions, code] :
         std::vector<std::pair<std::vector<std::string>, int>>{{{"exit", "0"}, 0},
                                                               {{"exit", "1"}, 1},
                                                               {{"exit", "255"}, 255},
                                                               {{"exit", "42"}, 42},
                                                               {{"kill-self", "KILL"}, 137},
                                                               {{"kill-self", "SEGV"}, 139},
                                                               {{"kill-self", "TERM"}, 143},
                                                               {{"kill-self", "9"}, 137}}) {
        auto r = run_probe(who, {}, actions);
        INFO(actions[0] + " " + actions[1]);
        INFO(r.describe());
        CHECK(r.exit_code == code);
        CHECK_FALSE(r.timed_out);
        if (actions[0] == "kill-self")
            CHECK(r.out.find("kill-self " + actions[1] + ": sending") != std::string::npos);
    }
}

TEST_CASE("run: exit codes and signal deaths pass through (current user)", "[integration]") {
    exit_codes(Who::current);
}
TEST_CASE("run: exit codes and signal deaths pass through (uid 65534)", "[integration]") {
    exit_codes(Who::nobody);
}

// As runc's ENOSYS stub: numbers above the highest one named get ENOSYS, the rest the default.
// The profile names faccessat2 (439), newer than clone3 (435), but not clone3: clone3 gets EPERM
// and glibc's threads fail to start, as on a node. Naming clone3 with errnoRet 38 (as Docker's
// profile does) makes libc fall back to clone.
void clone3_as_runc(Who who) {
    require_identity(who);
    TempDir dir("/var/tmp", 0755);
    write_file(dir / "default-deny.json", default_deny_profile);
    auto r = run_probe(who, {"--policy", dir / "default-deny.json"},
                       {"getpid", "clone3", "thread", "mkdir", "/tmp/d", "syscall", "1000"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "getpid") == "2");
    CHECK(value_of(r.out, "clone3") == "EPERM");
    CHECK(value_of(r.out, "thread") == "EPERM");
    CHECK(value_of(r.out, "mkdir /tmp/d") == "EPERM"); // the default action
    CHECK(value_of(r.out, "syscall 1000") == "ENOSYS");

    std::string with_clone3 = default_deny_profile;
    const std::string rules = "\"syscalls\": [";
    with_clone3.insert(with_clone3.find(rules) + rules.size(),
                       R"({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},)");
    write_file(dir / "with-clone3.json", with_clone3);
    auto fixed = run_probe(who, {"--policy", dir / "with-clone3.json"}, {"clone3", "thread"});
    INFO(fixed.describe());
    CHECK(value_of(fixed.out, "clone3") == "ENOSYS");
    CHECK(value_of(fixed.out, "thread") == "ok");

    // Control: without the policy clone3 works on this kernel.
    auto plain = run_probe(who, {}, {"clone3"});
    INFO(plain.describe());
    CHECK(value_of(plain.out, "clone3") == "ok");
}

TEST_CASE("run: clone3 gets EPERM when a default-deny profile names newer syscalls, as under "
          "runc (current user)",
          "[integration]") {
    clone3_as_runc(Who::current);
}
TEST_CASE("run: clone3 gets EPERM when a default-deny profile names newer syscalls, as under "
          "runc (uid 65534)",
          "[integration]") {
    clone3_as_runc(Who::nobody);
}

TEST_CASE("policy explain: syscalls above the newest named one get ERRNO(ENOSYS) by runc's stub",
          "[integration]") {
    TempDir dir("/var/tmp", 0755);
    write_file(dir / "default-deny.json", default_deny_profile);
    auto r = testsupport::run(
        {sandbox_bin, "policy", "explain", "--json", dir / "default-deny.json"}, timeout(30));
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    // A light check without a JSON library here: the clone3 object names the action and rule.
    const auto object = [&](const std::string& name) {
        auto at = r.out.find("\"syscall\":\"" + name + "\"");
        REQUIRE(at != std::string::npos);
        auto obj_begin = r.out.rfind('{', at);
        auto obj_end = r.out.find('}', at);
        return r.out.substr(obj_begin, obj_end - obj_begin + 1);
    };
    const std::string clone3 = object("clone3");
    INFO(clone3);
    CHECK(clone3.find("\"action\":\"ERRNO(EPERM)\"") != std::string::npos);
    CHECK(clone3.find("\"rule\":\"defaultAction\"") != std::string::npos);
    // Above faccessat2 (439): the stub's.
    const std::string newer = object("futex_waitv");
    INFO(newer);
    CHECK(newer.find("\"action\":\"ERRNO(ENOSYS)\"") != std::string::npos);
    CHECK(newer.find("\"rule\":\"implicit") != std::string::npos);
}

void io_uring_denied(Who who) {
    require_identity(who);
    auto r = run_probe(who, {}, {"io-uring-setup"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "io-uring-setup") == "EPERM");
    auto baseline = run_probe(who, {"--profile", "baseline"}, {"io-uring-setup"});
    INFO(baseline.describe());
    CHECK(value_of(baseline.out, "io-uring-setup") == "EPERM");
}

TEST_CASE("run: io_uring_setup is EPERM under the default policy (current user)", "[integration]") {
    io_uring_denied(Who::current);
}
TEST_CASE("run: io_uring_setup is EPERM under the default policy (uid 65534)", "[integration]") {
    io_uring_denied(Who::nobody);
}

// --- capabilities and privileges ---------------------------------------------------------------

void default_caps_and_nnp(Who who) {
    require_identity(who);
    auto r = run_probe(who, {}, {"caps", "setuid-check"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(cap_field(r.out, "CapEff") == 0);
    CHECK(cap_field(r.out, "CapPrm") == 0);
    CHECK(cap_field(r.out, "CapBnd") == 0); // every capability, also those newer than our headers
    CHECK(cap_field(r.out, "CapAmb") == 0);
    CHECK(value_of(r.out, "setuid-check").find("no_new_privs=1") != std::string::npos);
}

TEST_CASE("run: every capability dropped and no_new_privs set (current user)", "[integration]") {
    default_caps_and_nnp(Who::current);
}
TEST_CASE("run: every capability dropped and no_new_privs set (uid 65534)", "[integration]") {
    default_caps_and_nnp(Who::nobody);
}

void cap_add(Who who) {
    require_identity(who);
    for (const std::string name : {"NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE"}) {
        auto r = run_probe(who, {"--cap-add", name}, {"caps"});
        INFO(name);
        INFO(r.describe());
        REQUIRE(r.exit_code == 0);
        CHECK(cap_field(r.out, "CapEff") == 0x400);
        CHECK(cap_field(r.out, "CapPrm") == 0x400);
        CHECK(cap_field(r.out, "CapBnd") == 0x400);
    }
}

TEST_CASE("run: --cap-add NET_BIND_SERVICE keeps exactly bit 10 (current user)", "[integration]") {
    cap_add(Who::current);
}
TEST_CASE("run: --cap-add NET_BIND_SERVICE keeps exactly bit 10 (uid 65534)", "[integration]") {
    cap_add(Who::nobody);
}

TEST_CASE("run: --cap-add with an unknown name is a usage error and nothing runs",
          "[integration]") {
    auto r =
        sandbox(Who::current, {"run", "--cap-add", "NO_SUCH_CAP", "--", "sh", "-c", "echo RAN"});
    INFO(r.describe());
    CHECK(r.exit_code == 121);
    CHECK(r.out.empty());
    CHECK(r.err.find("NO_SUCH_CAP") != std::string::npos);
}

TEST_CASE("run: a setuid-root binary gains nothing inside (as root, running uid 65534)",
          "[integration]") {
    require_root("creating a setuid-root copy of the probe");
    require_identity(Who::nobody);
    TempDir dir("/var/tmp", 0755);
    const std::string suid = dir / "probe-suid";
    std::filesystem::copy_file(probe_bin, suid);
    REQUIRE(::chown(suid.c_str(), 0, 0) == 0);
    REQUIRE(::chmod(suid.c_str(), 04755) == 0);
    auto control = testsupport::run({suid, "setuid-check"}, as(Who::nobody));
    INFO(control.describe());
    if (value_of(control.out, "setuid-check").rfind("euid=0 ", 0) != 0)
        skip_test("setuid bits have no effect under /var/tmp on this machine (nosuid?)");
    auto s = sandbox(Who::nobody, {"run", "--", suid, "setuid-check", "caps"});
    INFO(s.describe());
    CHECK(s.exit_code == 0);
    CHECK(value_of(s.out, "setuid-check") == "euid=65534 no_new_privs=1");
    CHECK(cap_field(s.out, "CapEff") == 0);
}

TEST_CASE("run: as root uid 0 inside is an unprivileged host uid - --userns=host keeps the host's",
          "[integration][containment]") {
    require_root("the user namespace of a root caller");
    const std::string host_ns = std::filesystem::read_symlink("/proc/self/ns/user").string();
    auto plain =
        sandbox(Who::current, {"run", "-e", "trace=none", "--", "sh", "-c",
                               "id -u; readlink /proc/self/ns/user; cat /proc/self/uid_map"});
    INFO(plain.describe());
    REQUIRE(plain.exit_code == 0);
    const auto lines = split_lines(plain.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "0");
    CHECK(lines[1] != host_ns);
    // "0 START COUNT": uid 0 inside is host uid START, never the host's 0.
    std::istringstream map(lines[2]);
    unsigned long long inside = 1, start = 0, count = 0;
    map >> inside >> start >> count;
    CHECK(inside == 0);
    CHECK(start != 0);
    CHECK(count >= 65536);
    auto host = sandbox(Who::current, {"run", "-e", "trace=none", "--userns=host", "--", "readlink",
                                       "/proc/self/ns/user"});
    INFO(host.describe());
    CHECK(host.exit_code == 0);
    CHECK(host.out == host_ns + "\n");
}

// --- namespaces and mounts ---------------------------------------------------------------------

void no_ns(Who who) {
    require_identity(who);
    TempDir dir("/tmp", 0777);
    auto r = run_probe(who, {"--no-ns", "--profile", "deny-mkdir"},
                       {"hostname", "getpid", "caps", "setuid-check", "mkdir", dir / "d"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "hostname") == host_hostname());
    CHECK(value_of(r.out, "getpid") != "2");
    CHECK(cap_field(r.out, "CapEff") == 0);
    CHECK(cap_field(r.out, "CapPrm") == 0);
    CHECK(value_of(r.out, "setuid-check").find("no_new_privs=1") != std::string::npos);
    CHECK(value_of(r.out, "mkdir " + (dir / "d")) == "EPERM"); // the filter still applies
}

TEST_CASE("run: --no-ns keeps the host's namespaces, still drops caps and filters "
          "(current user)",
          "[integration]") {
    no_ns(Who::current);
}
TEST_CASE("run: --no-ns keeps the host's namespaces, still drops caps and filters (uid 65534)",
          "[integration]") {
    no_ns(Who::nobody);
}

void share_net(Who who) {
    require_identity(who);
    auto host = interfaces(read_file("/proc/net/dev"));
    if (host.size() <= 1) skip_test("the host has no network interface besides lo");
    auto r = sandbox(who, {"run", "--share-net", "--", "cat", "/proc/net/dev"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    auto inside = interfaces(r.out);
    CHECK(inside.size() > 1);
    CHECK(inside == host);
}

TEST_CASE("run: --share-net shows the host's interfaces (current user)", "[integration]") {
    share_net(Who::current);
}
TEST_CASE("run: --share-net shows the host's interfaces (uid 65534)", "[integration]") {
    share_net(Who::nobody);
}

void bind_mounts(Who who) {
    require_identity(who);
    TempDir dir("/var/tmp", 0777);
    write_file(dir / "existing", "from the host\n", 0666);

    auto rw = run_probe(who, {"--rw", dir.path()},
                        {"write-tmp", dir / "written", "hello", "open-read", dir / "existing"});
    INFO(rw.describe());
    CHECK(rw.exit_code == 0);
    CHECK(value_of(rw.out, "write-tmp " + (dir / "written")) == "ok");
    CHECK(value_of(rw.out, "open-read " + (dir / "existing")) == "ok");
    REQUIRE(exists(dir / "written"));
    CHECK(read_file(dir / "written") == "hello");

    auto ro = run_probe(who, {"--ro", dir.path()},
                        {"write-tmp", dir / "ro-written", "x", "open-read", dir / "existing",
                         "touch", dir / "existing"});
    INFO(ro.describe());
    CHECK(ro.exit_code == 0);
    CHECK(value_of(ro.out, "write-tmp " + (dir / "ro-written")) == "EROFS");
    CHECK(value_of(ro.out, "open-read " + (dir / "existing")) == "ok");
    CHECK(value_of(ro.out, "touch " + (dir / "existing")) == "EROFS");
    CHECK_FALSE(exists(dir / "ro-written"));

    auto tmpfs = sandbox(who, {"run", "--tmpfs", dir.path(), "--", "sh", "-c",
                               "ls -A \"$0\"; echo END; echo x > \"$0/in-tmpfs\" && echo WROTE",
                               dir.path()});
    INFO(tmpfs.describe());
    CHECK(tmpfs.exit_code == 0);
    CHECK(tmpfs.out == "END\nWROTE\n"); // empty, writable
    CHECK_FALSE(exists(dir / "in-tmpfs"));
    CHECK(read_file(dir / "existing") == "from the host\n");

    // SRC:DEST: the host's directory at another path inside, an existing one (/srv) or one made
    // inside the /tmp tmpfs; the command itself may come from such a bind.
    std::filesystem::create_directories(dir / "bin");
    std::filesystem::copy_file("/bin/cat", dir / "bin/mycat");
    auto moved = sandbox(who, {"run", "-e", "trace=none", "--ro", dir.path() + ":/srv", "--rw",
                               dir.path() + ":/tmp/a/b", "--ro", (dir / "bin") + ":/opt", "--",
                               "/opt/mycat", "/srv/existing", "/tmp/a/b/existing"});
    INFO(moved.describe());
    CHECK(moved.exit_code == 0);
    CHECK(moved.out == "from the host\nfrom the host\n");
    auto bad_dest = sandbox(who, {"run", "--ro", dir.path() + ":relative", "--", "true"});
    CHECK(bad_dest.exit_code == 121);
    auto missing_mount_point =
        sandbox(who, {"run", "--ro", dir.path() + ":/no-such-dir-xyz", "--", "true"});
    INFO(missing_mount_point.describe());
    CHECK(missing_mount_point.exit_code == 123);
    CHECK(missing_mount_point.err.find("/tmp") != std::string::npos); // the hint says where
}

TEST_CASE("run: --rw, --ro and --tmpfs mounts (current user)", "[integration]") {
    bind_mounts(Who::current);
}
TEST_CASE("run: --rw, --ro and --tmpfs mounts (uid 65534)", "[integration]") {
    bind_mounts(Who::nobody);
}

TEST_CASE("run: --cwd sets the working directory", "[integration]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current, {"run", "--cwd", "/etc", "--", "pwd"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "/etc\n");
}

// --- bad input: nothing runs -------------------------------------------------------------------

TEST_CASE("run: an invalid profile exits 122 naming the key, before anything runs",
          "[integration]") {
    require_identity(Who::current);
    struct Case {
        const char* what;
        std::string json;
        std::string key; // must appear in stderr
    };
    const std::vector<Case> cases = {
        {"truncated JSON",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_)",
         "line 1 column"},
        {"trailing garbage", R"({"defaultAction": "SCMP_ACT_ALLOW"} xx)", "line 1 column"},
        {"empty file", "", "line 1 column"},
        {"invalid UTF-8", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"comment\": \"\xff\xfe\"}",
         "line 1 column"},
        {"deeply nested", std::string(100000, '[') + std::string(100000, ']'), "line 1 column"},
        {"unknown action",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FOO"}]})",
         "syscalls[0].action"},
        {"unknown default action", R"({"defaultAction": "SCMP_ACT_MAYBE"})", "defaultAction"},
        {"args index 6",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 2, "op": "SCMP_CMP_EQ"}]}]})",
         "syscalls[0].args[0].index"},
        {"unknown op",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_ALMOST"}]}]})",
         "syscalls[0].args[0].op"},
        {"errnoRet 5000",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000}]})",
         "syscalls[0].errnoRet"},
        {"NOTIFY as defaultAction", R"({"defaultAction": "SCMP_ACT_NOTIFY"})", "defaultAction"},
        {"names not a list",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "mkdir", "action": "SCMP_ACT_ERRNO"}]})",
         "syscalls[0].names"},
        {"syscalls not a list", R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": {}})",
         "syscalls"},
    };
    TempDir dir("/var/tmp", 0777);
    for (const auto& c : cases) {
        const std::string policy = dir / "policy.json";
        const std::string marker = dir / "marker";
        write_file(policy, c.json);
        auto r = sandbox(Who::current,
                         {"run", "--rw", dir.path(), "--policy", policy, "--", "sh", "-c",
                          "echo RAN; touch \"$0\"", marker},
                         timeout(30));
        INFO(c.what);
        INFO(r.describe());
        CHECK(r.exit_code == 122);
        CHECK(r.out.find("RAN") == std::string::npos);
        CHECK_FALSE(exists(marker));
        CHECK(r.err.find(c.key) != std::string::npos);
        ::unlink(marker.c_str());
    }
}

TEST_CASE("run: a missing policy file exits 122 and nothing runs", "[integration]") {
    auto r = sandbox(Who::current, {"run", "--policy", "/nonexistent/sandbox-itest.json", "--",
                                    "sh", "-c", "echo RAN"});
    INFO(r.describe());
    CHECK(r.exit_code == 122);
    CHECK(r.out.empty());
    CHECK(r.err.find("/nonexistent/sandbox-itest.json") != std::string::npos);
}

TEST_CASE("run: unknown syscall names are skipped with a warning, an error with --strict",
          "[integration]") {
    require_identity(Who::current);
    TempDir dir("/var/tmp", 0755);
    write_file(
        dir / "mixed.json",
        R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["no_such_syscall_x", "mkdir"], "action": "SCMP_ACT_ERRNO"}]})");
    auto lax = run_probe(Who::current, {"--policy", dir / "mixed.json"}, {"mkdir", "/tmp/d"});
    INFO(lax.describe());
    CHECK(lax.exit_code == 0);
    CHECK(lax.err.find("no_such_syscall_x") != std::string::npos);
    CHECK(value_of(lax.out, "mkdir /tmp/d") == "EPERM"); // the known name in the rule is kept

    auto strict = sandbox(Who::current, {"run", "--strict", "--policy", dir / "mixed.json", "--",
                                         "sh", "-c", "echo RAN"});
    INFO(strict.describe());
    CHECK(strict.exit_code == 122);
    CHECK(strict.out.empty());
    CHECK(strict.err.find("syscalls[0].names[0]") != std::string::npos);
}

TEST_CASE("run: unknown option and missing command are usage errors (121)", "[integration]") {
    auto bogus = sandbox(Who::current, {"run", "--bogus-option", "--", "sh", "-c", "echo RAN"});
    INFO(bogus.describe());
    CHECK(bogus.exit_code == 121);
    CHECK(bogus.out.empty());
    CHECK(bogus.err.find("--bogus-option") != std::string::npos);

    auto none = sandbox(Who::current, {"run"});
    INFO(none.describe());
    CHECK(none.exit_code == 121);

    auto unknown_profile = sandbox(
        Who::current, {"run", "--profile", "no-such-profile", "--", "sh", "-c", "echo RAN"});
    INFO(unknown_profile.describe());
    CHECK((unknown_profile.exit_code == 121 || unknown_profile.exit_code == 122));
    CHECK(unknown_profile.out.empty());
    CHECK(unknown_profile.err.find("no-such-profile") != std::string::npos);
}

void command_errors(Who who) {
    require_identity(who);
    // A PATH this identity can search: with a directory it may not enter (root's ~/.cargo/bin,
    // say), the lookup ends in EACCES like execvp(3) and env(1) do, and that is 126.
    RunOptions opts;
    opts.env = std::vector<std::string>{"PATH=/usr/local/bin:/usr/bin:/bin"};
    auto missing = sandbox(who, {"run", "--", "sandbox-itest-no-such-command"}, opts);
    INFO(missing.describe());
    CHECK(missing.exit_code == 127);
    CHECK(missing.err.find("not found") != std::string::npos);

    auto missing_path = sandbox(who, {"run", "--", "/nonexistent/sandbox-itest-cmd"});
    INFO(missing_path.describe());
    CHECK(missing_path.exit_code == 127);
    CHECK(missing_path.err.find("/nonexistent/sandbox-itest-cmd") != std::string::npos);

    TempDir dir("/var/tmp", 0755);
    write_file(dir / "not-executable", "#!/bin/sh\necho RAN\n", 0644);
    auto noexec = sandbox(who, {"run", "--", dir / "not-executable"});
    INFO(noexec.describe());
    CHECK(noexec.exit_code == 126);
    CHECK(noexec.out.empty());

    auto directory = sandbox(who, {"run", "--", dir.path()});
    INFO(directory.describe());
    CHECK(directory.exit_code == 126);
}

TEST_CASE("run: command not found is 127, not executable is 126 (current user)", "[integration]") {
    command_errors(Who::current);
}
TEST_CASE("run: command not found is 127, not executable is 126 (uid 65534)", "[integration]") {
    command_errors(Who::nobody);
}

// --- signals and teardown ----------------------------------------------------------------------

void sigterm_forwarded(Who who) {
    require_identity(who);
    RunOptions opts;
    opts.signal_after = "ready\n";
    opts.signal_to_send = SIGTERM;
    opts.timeout_seconds = 30;
    auto r = sandbox(who,
                     {"run", "--", "sh", "-c",
                      "trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.1; done"},
                     opts);
    INFO(r.describe());
    REQUIRE(r.signal_sent);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 7);
    CHECK(r.out.find("got TERM") != std::string::npos);

    opts.signal_to_send = SIGINT;
    auto i = sandbox(who,
                     {"run", "--", "sh", "-c",
                      "trap 'echo got INT; exit 9' INT; echo ready; while :; do sleep 0.1; done"},
                     opts);
    INFO(i.describe());
    REQUIRE(i.signal_sent);
    CHECK_FALSE(i.timed_out);
    CHECK(i.exit_code == 9);
    CHECK(i.out.find("got INT") != std::string::npos);
}

TEST_CASE("run: SIGTERM and SIGINT are forwarded to the command (current user)", "[integration]") {
    sigterm_forwarded(Who::current);
}
TEST_CASE("run: SIGTERM and SIGINT are forwarded to the command (uid 65534)", "[integration]") {
    sigterm_forwarded(Who::nobody);
}

TEST_CASE("run: a command that ignores SIGTERM is killed after a grace period", "[integration]") {
    require_identity(Who::current);
    RunOptions opts;
    opts.signal_after = "ready\n";
    opts.signal_to_send = SIGTERM;
    opts.timeout_seconds = 30; // generous: the grace period is the sandbox's to choose
    auto r = sandbox(
        Who::current,
        {"run", "--", "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"}, opts);
    INFO(r.describe());
    REQUIRE(r.signal_sent);
    CHECK_FALSE(r.timed_out);
    CHECK((r.exit_code == 137 || r.exit_code == 143));
}

void background_children_reaped(Who who) {
    require_identity(who);
    const std::string secs = unique_sleep_seconds();
    const std::vector<std::string> sleeper{"sleep", secs};
    auto r = sandbox(
        who, {"run", "--", "sh", "-c", "sleep " + secs + " & sleep " + secs + " & echo started"},
        timeout(30));
    INFO(r.describe());
    bool gone = gone_within(sleeper, 3);
    if (!gone) kill_leftovers(sleeper);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "started\n");
    CHECK_FALSE(r.timed_out);
    CHECK_FALSE(r.pipes_held_open); // nothing kept our stdout open after sandbox exited
    CHECK(gone);
}

TEST_CASE("run: background children die with the command (current user)", "[integration]") {
    background_children_reaped(Who::current);
}
TEST_CASE("run: background children die with the command (uid 65534)", "[integration]") {
    background_children_reaped(Who::nobody);
}

void sigkill_tears_down(Who who) {
    require_identity(who);
    const std::string secs = unique_sleep_seconds();
    const std::vector<std::string> sleeper{"sleep", secs};
    RunOptions opts;
    opts.signal_after = "started\n";
    opts.signal_to_send = SIGKILL; // to sandbox itself, not to its process group
    opts.timeout_seconds = 30;
    auto r = sandbox(who, {"run", "--", "sh", "-c", "echo started; exec sleep " + secs}, opts);
    INFO(r.describe());
    bool gone = gone_within(sleeper, 3);
    if (!gone) kill_leftovers(sleeper);
    REQUIRE(r.signal_sent);
    CHECK(r.exit_code == 137);
    CHECK_FALSE(r.timed_out);
    CHECK(gone);
}

TEST_CASE("run: SIGKILL to sandbox tears the sandbox down (current user)", "[integration]") {
    sigkill_tears_down(Who::current);
}
TEST_CASE("run: SIGKILL to sandbox tears the sandbox down (uid 65534)", "[integration]") {
    sigkill_tears_down(Who::nobody);
}

void output_intact(Who who) {
    require_identity(who);
    // Both streams at once, well beyond a pipe buffer: the helper drains both, sandbox must pass
    // every byte through in order.
    // (the trace goes to /dev/null: stderr must hold the command's bytes only)
    auto r =
        sandbox(who, {"run", "-o", "/dev/null", "--", "sh", "-c", "seq 1 200000; seq 1 100000 >&2"},
                timeout(60));
    REQUIRE(r.exit_code == 0);
    std::string want_out, want_err;
    for (int i = 1; i <= 200000; ++i) want_out += std::to_string(i) + "\n";
    for (int i = 1; i <= 100000; ++i) want_err += std::to_string(i) + "\n";
    CHECK(r.out.size() == want_out.size());
    CHECK(r.out == want_out);
    CHECK(r.err == want_err);
}

TEST_CASE("run: large stdout and stderr arrive byte-exact (current user)", "[integration]") {
    output_intact(Who::current);
}
TEST_CASE("run: large stdout and stderr arrive byte-exact (uid 65534)", "[integration]") {
    output_intact(Who::nobody);
}

} // namespace

// --- --user: the command's uid and gid inside ---------------------------------------------------

void run_as_user(Who who) {
    require_identity(who);
    auto r = sandbox(who, {"run", "-e", "trace=none", "--user", "1000:1001", "--", "sh", "-c",
                           "id -u; id -g; id -G; grep ^CapEff /proc/self/status; "
                           "cat /etc/shadow >/dev/null 2>&1 && echo shadow-read || echo "
                           "shadow-refused"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const auto lines = split_lines(r.out);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "1000");
    CHECK(lines[1] == "1001");
    CHECK(lines[2] == "1001"); // no supplementary groups left over
    CHECK(lines[3].find("0000000000000000") != std::string::npos);
    CHECK(lines[4] == "shadow-refused"); // the kernel's permission check: not the owner

    // --cap-add still hands the capability over to the non-root uid (ambient).
    auto c = sandbox(who, {"run", "-e", "trace=none", "--user", "1000", "--cap-add",
                           "NET_BIND_SERVICE", "--", "grep", "^CapEff", "/proc/self/status"});
    INFO(c.describe());
    CHECK(c.exit_code == 0);
    CHECK(c.out.find("0000000000000400") != std::string::npos);
}

TEST_CASE("run: --user runs the command as that uid and gid, no groups, no caps (current user)",
          "[integration]") {
    run_as_user(Who::current);
}
TEST_CASE("run: --user runs the command as that uid and gid, no groups, no caps (uid 65534)",
          "[integration]") {
    run_as_user(Who::nobody);
}

TEST_CASE(
    "run: as root, /etc/shadow is refused inside, unless --userns=host makes uid 0 the host's",
    "[integration][containment]") {
    require_root("root's command without --userns=host");
    auto plain = sandbox(Who::current, {"run", "-e", "trace=none", "--", "sh", "-c",
                                        "id -u; head -c 0 /etc/shadow"});
    INFO(plain.describe());
    CHECK(plain.exit_code != 0);
    CHECK(plain.out == "0\n");
    CHECK(plain.err.find("Permission denied") != std::string::npos);
    auto host = sandbox(Who::current, {"run", "-e", "trace=none", "--userns=host", "--", "head",
                                       "-c", "0", "/etc/shadow"});
    INFO(host.describe());
    CHECK(host.exit_code == 0);
    auto named =
        sandbox(Who::current, {"run", "-e", "trace=none", "--userns=host", "--user", "nobody", "--",
                               "sh", "-c", "id -u; id -g; head -c 0 /etc/shadow"});
    INFO(named.describe());
    CHECK(named.exit_code != 0);
    CHECK(named.out == "65534\n65534\n");
    CHECK(named.err.find("Permission denied") != std::string::npos);
}

TEST_CASE("run: bad --user values are usage or setup errors, and nothing runs", "[integration]") {
    for (const std::string spec : {"no-such-user-xyz", "1000:no-such-group-xyz", ":1", "1:", ""}) {
        auto r = sandbox(Who::current, {"run", "--user", spec, "--", "sh", "-c", "echo RAN"});
        INFO(spec);
        INFO(r.describe());
        CHECK(r.exit_code == 121);
        CHECK(r.out.empty());
    }
    auto both = sandbox(Who::current,
                        {"run", "--user", "1000", "--map-root-user", "--", "sh", "-c", "echo RAN"});
    INFO(both.describe());
    CHECK(both.exit_code == 121);
    CHECK(both.out.empty());
    if (::getuid() == 0) {
        auto nouserns = sandbox(Who::nobody,
                                {"run", "--no-ns", "--user", "1000", "--", "sh", "-c", "echo RAN"});
        INFO(nouserns.describe());
        CHECK(nouserns.exit_code == 123);
        CHECK(nouserns.out.empty());
        CHECK(nouserns.err.find("user namespace") != std::string::npos);
    }
}

TEST_CASE("run: docker's --security-opt seccomp=FILE|unconfined, and --color always",
          "[integration]") {
    require_identity(Who::current);
    const std::string policy = source_dir + "/policies/deny-mkdir.json";
    auto denied =
        run_probe(Who::current, {"--security-opt", "seccomp=" + policy}, {"mkdir", "/tmp/d"});
    INFO(denied.describe());
    CHECK(value_of(denied.out, "mkdir /tmp/d") == "EPERM");
    auto open =
        run_probe(Who::current, {"--security-opt", "seccomp=unconfined"}, {"mkdir", "/tmp/d"});
    INFO(open.describe());
    CHECK(value_of(open.out, "mkdir /tmp/d") == "ok");
    CHECK(open.err.find("denies nothing") != std::string::npos);
    // The trace to a file has no colour unless asked; --color always overrides the file and
    // NO_COLOR, as a command-line flag should.
    TempDir dir("/var/tmp", 0755);
    auto plain = sandbox(Who::current, {"run", "--profile", "deny-mkdir", "-o", dir / "plain", "--",
                                        "mkdir", "/tmp/x"});
    CHECK(read_file(dir / "plain").find('\033') == std::string::npos);
    auto coloured = sandbox(Who::current, {"--color=always", "run", "--profile", "deny-mkdir", "-o",
                                           dir / "colour", "--", "mkdir", "/tmp/x"});
    INFO(coloured.describe());
    CHECK(read_file(dir / "colour").find('\033') != std::string::npos);
}

namespace {
// Inside a container whose runtime predates clone3 (its filter answers ENOSYS): sandbox falls
// back to clone(2) with the same namespaces; where clone's namespace flags are refused too
// (Docker's default without CAP_SYS_ADMIN), it stops with the remedy.
void under_old_runtime(Who who) {
    require_identity(who);
    const std::string old_runtime = testsupport::helper_binary("OLD_RUNTIME_BIN", OLD_RUNTIME_BIN);
    auto r = testsupport::run({old_runtime, sandbox_bin, "run", "-e", "trace=none", "--", "sh",
                               "-c", "hostname; echo pid $$"},
                              as(who));
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "sandbox\npid 2\n"); // its own uts and pid namespaces, as with clone3

    auto docker =
        testsupport::run({old_runtime, "--docker", sandbox_bin, "run", "--", "true"}, as(who));
    INFO(docker.describe());
    CHECK(docker.exit_code == 123);
    CHECK(docker.err.find("clone(") != std::string::npos);
    CHECK(docker.err.find("--security-opt seccomp=unconfined") != std::string::npos);
    CHECK(docker.err.find("--no-ns") != std::string::npos);
    auto no_ns = testsupport::run(
        {old_runtime, "--docker", sandbox_bin, "run", "--no-ns", "-e", "trace=none", "--", "true"},
        as(who));
    INFO(no_ns.describe());
    CHECK(no_ns.exit_code == 0);
}
} // namespace

TEST_CASE("run: clone3 answering ENOSYS falls back to clone (current user)", "[integration]") {
    under_old_runtime(Who::current);
}
TEST_CASE("run: clone3 answering ENOSYS falls back to clone (uid 65534)", "[integration]") {
    under_old_runtime(Who::nobody);
}
