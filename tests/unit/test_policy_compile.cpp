// SPDX-License-Identifier: Apache-2.0
// Policy compilation, as tables: syscall + args -> expected action/errno. Each row is checked
// twice: by running the compiled program in policy::bpf (CompiledFilter::decide, which also names
// the rule), and live, by installing the filter in a forked child and making the syscall.
#include <catch2/catch.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <seccomp.h>

#include "policy/bpf.hpp"
#include "policy/compile.hpp"
#include "policy/explain.hpp"
#include "policy/load.hpp"
#include "policy/route.hpp"
#include "supervise/judge.hpp"
#include "supervise/memory.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"

namespace {

policy::CompiledFilter compile(const std::string& json, std::vector<std::string> caps = {},
                               bool strict = false) {
    return policy::compile(policy::parse(json, "t.json"),
                           policy::CompileContext::for_this_kernel(std::move(caps), strict));
}

struct Live {
    bool killed = false;
    int signal = 0;
    long ret = 0;
    int err = 0;
};

// Install the filter in a forked child and make one syscall there. The filter must allow write
// and exit_group for the child to report back (or kill it, which is reported too).
Live run_live(const policy::CompiledFilter& f, long nr, std::array<std::uint64_t, 6> a) {
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(p[0]);
        sock_fprog prog{static_cast<unsigned short>(f.program.size()),
                        const_cast<sock_filter*>(f.program.data())};
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
            ::_exit(99);
        errno = 0;
        long r = ::syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        long out[2] = {r, r < 0 ? errno : 0};
        // Raw syscalls from here on: libc's and the sanitizers' wrappers may make calls the filter
        // denies (ASan's _exit runs the leak check, for one).
        if (::syscall(SYS_write, p[1], out, sizeof out) != sizeof out)
            ::syscall(SYS_exit_group, 98);
        ::syscall(SYS_exit_group, 0);
    }
    ::close(p[1]);
    long out[2] = {0, 0};
    ssize_t n = ::read(p[0], out, sizeof out);
    ::close(p[0]);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    Live l;
    if (WIFSIGNALED(status)) {
        l.killed = true;
        l.signal = WTERMSIG(status);
        return l;
    }
    REQUIRE(WEXITSTATUS(status) == 0);
    REQUIRE(n == static_cast<ssize_t>(sizeof out));
    l.ret = out[0];
    l.err = static_cast<int>(out[1]);
    return l;
}

struct Row {
    const char* what;
    long nr;
    std::array<std::uint64_t, 6> args;
    std::uint32_t expect_ret;
    const char* expect_rule;
};

void check_rows(const policy::CompiledFilter& f, const std::vector<Row>& rows) {
    for (const auto& r : rows) {
        INFO(r.what);
        seccomp_data d{};
        d.nr = static_cast<int>(r.nr);
        d.arch = util::arch::native().token;
        for (int i = 0; i < 6; ++i) d.args[i] = r.args[static_cast<std::size_t>(i)];
        auto v = f.decide(d);
        CHECK(policy::describe_ret(v.ret) == policy::describe_ret(r.expect_ret));
        CHECK(v.rule == r.expect_rule);

        Live live = run_live(f, r.nr, r.args);
        const std::uint32_t action = r.expect_ret & SECCOMP_RET_ACTION_FULL;
        if (action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD) {
            CHECK(live.killed);
            CHECK(live.signal == SIGSYS);
        } else if (action == SECCOMP_RET_ERRNO) {
            CHECK_FALSE(live.killed);
            CHECK(live.ret == -1);
            CHECK(live.err == static_cast<int>(r.expect_ret & SECCOMP_RET_DATA));
        } else {
            CHECK_FALSE(live.killed);
            // allowed: the kernel ran it; whatever it returned, it was not our errno
            if (live.ret == -1) CHECK(live.err != EACCES);
        }
    }
}

std::string temp_dir() {
    char tmpl[] = "/tmp/sandbox-unit-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    return tmpl;
}

} // namespace

TEST_CASE("default-allow profile: conditions, OR on one index, AND across indexes, masks, kill",
          "[policy][compile][live]") {
    auto f = compile(R"({
      "defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
         "args": [{"index": 1, "value": 448, "op": "SCMP_CMP_EQ"}]},
        {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 97,
         "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]},
        {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5,
         "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]},
        {"names": ["umask"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
         "args": [{"index": 0, "value": 63, "valueTwo": 18, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"},
        {"names": ["not_a_syscall"], "action": "SCMP_ACT_ERRNO"}
      ]})");
    REQUIRE(f.warnings.size() == 2);
    CHECK_THAT(f.warnings[0],
               Catch::Contains("syscalls[5].names[0]") && Catch::Contains("not_a_syscall"));
    CHECK_THAT(f.warnings[1], Catch::Contains("defaultAction ALLOW allows io_uring_setup"));
    CHECK(f.enosys_above == -1); // default allow: no ENOSYS prologue

    const std::string dir = temp_dir();
    const std::string a = dir + "/a", b = dir + "/b";
    const auto ptr = [](const std::string& s) {
        return reinterpret_cast<std::uint64_t>(s.c_str());
    };
    const std::uint64_t self = static_cast<std::uint64_t>(::getpid());
    check_rows(
        f,
        {
            {"mkdir 0700 is denied", SYS_mkdir, {ptr(a), 0700}, SCMP_ACT_ERRNO(13), "syscalls[0]"},
            {"mkdir 0755 is allowed", SYS_mkdir, {ptr(b), 0755}, SCMP_ACT_ALLOW, "defaultAction"},
            {"socket AF_INET denied",
             SYS_socket,
             {AF_INET, SOCK_DGRAM},
             SCMP_ACT_ERRNO(97),
             "syscalls[1]"},
            {"socket AF_INET6 denied",
             SYS_socket,
             {AF_INET6, SOCK_DGRAM},
             SCMP_ACT_ERRNO(97),
             "syscalls[1]"},
            {"socket AF_UNIX allowed",
             SYS_socket,
             {AF_UNIX, SOCK_DGRAM},
             SCMP_ACT_ALLOW,
             "defaultAction"},
            {"kill(0, 0) denied: both", SYS_kill, {0, 0}, SCMP_ACT_ERRNO(5), "syscalls[2]"},
            {"kill(self, 0) allowed: one", SYS_kill, {self, 0}, SCMP_ACT_ALLOW, "defaultAction"},
            {"umask 022 masked-equal", SYS_umask, {022}, SCMP_ACT_ERRNO(22), "syscalls[3]"},
            {"umask 0122: bits outside the mask",
             SYS_umask,
             {0122},
             SCMP_ACT_ERRNO(22),
             "syscalls[3]"},
            {"umask 077 allowed", SYS_umask, {077}, SCMP_ACT_ALLOW, "defaultAction"},
            {"getppid kills", SYS_getppid, {}, SCMP_ACT_KILL_PROCESS, "syscalls[4]"},
        });
    std::system(fmt::format("rm -rf {}", dir).c_str());
}

TEST_CASE("default-deny profile: syscalls newer than any named get ENOSYS, as under runc",
          "[policy][compile][live]") {
    auto f = compile(R"({
      "defaultAction": "SCMP_ACT_ERRNO",
      "syscalls": [{"names": ["write", "exit_group", "getpid"], "action": "SCMP_ACT_ALLOW"}]})");
    CHECK(f.enosys_above == SYS_exit_group);
    const char* stub = "implicit: syscalls newer than the profile names get ENOSYS (runc)";
    check_rows(
        f,
        {
            {"named: allowed", SYS_getpid, {}, SCMP_ACT_ALLOW, "syscalls[0]"},
            {"older, not named: the default",
             SYS_getppid,
             {},
             SCMP_ACT_ERRNO(EPERM),
             "defaultAction"},
            {"beyond the table: ENOSYS", 1000, {}, SCMP_ACT_ERRNO(ENOSYS), stub},
            {"clone3, newer than exit_group: ENOSYS", SYS_clone3, {}, SCMP_ACT_ERRNO(ENOSYS), stub},
        });
}

TEST_CASE("clone3 below the newest named syscall gets the default errno, as under runc",
          "[policy][compile]") {
    // runc's stub covers only numbers above the highest one named: openat2 (437) is above clone3
    // (435), so clone3 gets EPERM, and glibc's threads fail on the node. sandbox does the same
    // (lint says so).
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
      "syscalls": [{"names": ["write", "exit_group", "openat2"], "action": "SCMP_ACT_ALLOW"}]})");
    seccomp_data d{};
    d.arch = util::arch::native().token;
    d.nr = SYS_clone3;
    auto v = f.decide(d);
    CHECK(policy::describe_ret(v.ret) == "ERRNO(EPERM)");
    CHECK(v.rule == "defaultAction");
    // and a profile that names clone3 itself is obeyed
    auto g = compile(R"({"defaultAction": "SCMP_ACT_ERRNO",
      "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}, {"names": ["write"], "action": "SCMP_ACT_ALLOW"}]})");
    CHECK(policy::describe_ret(g.decide(d).ret) == "ERRNO(ENOSYS)");
    CHECK(g.decide(d).rule == "syscalls[0]");
}

TEST_CASE("the ENOSYS stub: per listed ABI, none for permissive defaults or a default ENOSYS",
          "[policy][compile]") {
    if (util::arch::native().token != SCMP_ARCH_X86_64) return;
    const std::string rules = R"("syscalls": [
        {"names": ["write", "exit_group", "getpid"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}])";
    // The rule with the default's own action counts too (mkdir, i386 39): runc counts every name.
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], )" +
                     rules + "}");
    REQUIRE(f.enosys.size() == 3);
    seccomp_data d{};
    const auto ret = [&](std::uint32_t arch, std::uint32_t nr) {
        d.arch = arch;
        d.nr = static_cast<int>(nr);
        return policy::describe_ret(f.decide(d).ret);
    };
    // x86-64: exit_group (231) is the highest.
    CHECK(ret(SCMP_ARCH_X86_64, 231) == "ALLOW");
    CHECK(ret(SCMP_ARCH_X86_64, 232) == "ERRNO(ENOSYS)");
    CHECK(ret(SCMP_ARCH_X86_64, 100) == "ERRNO(EPERM)");
    // i386: exit_group is 252 there, getpid 20.
    CHECK(ret(SCMP_ARCH_X86, 20) == "ALLOW");
    CHECK(ret(SCMP_ARCH_X86, 251) == "ERRNO(EPERM)");
    CHECK(ret(SCMP_ARCH_X86, 253) == "ERRNO(ENOSYS)");
    // x32: the x86-64 numbers with bit 30.
    CHECK(ret(SCMP_ARCH_X86_64, 0x40000000U | 39) == "ALLOW");
    CHECK(ret(SCMP_ARCH_X86_64, 0x40000000U | 232) == "ERRNO(ENOSYS)");
    CHECK(ret(SCMP_ARCH_X86_64, 0x40000000U | 100) == "ERRNO(EPERM)");
    CHECK_THAT(f.pseudo_code, Catch::Contains("SCMP_ARCH_X86: syscall numbers above 252"));

    // Without x32 listed, an x32 call is the filter's: a foreign ABI, the thread is killed.
    auto g = compile(R"({"defaultAction": "SCMP_ACT_ERRNO", )" + rules + "}");
    REQUIRE(g.enosys.size() == 1);
    d.arch = SCMP_ARCH_X86_64;
    d.nr = 0x40000000 | 1000;
    CHECK(policy::describe_ret(g.decide(d).ret) == "KILL_THREAD");
    d.arch = SCMP_ARCH_X86;
    d.nr = 20;
    CHECK(policy::describe_ret(g.decide(d).ret) == "KILL_THREAD");

    // No stub: a default that allows, logs or traces, or a default errno of ENOSYS.
    for (const char* def : {R"("SCMP_ACT_ALLOW")", R"("SCMP_ACT_LOG")", R"("SCMP_ACT_TRACE")",
                            R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)"}) {
        INFO(def);
        auto h = compile(std::string(R"({"defaultAction": )") + def + ", " + rules + "}");
        CHECK(h.enosys.empty());
        CHECK(h.prologue_length == 0);
    }
    // A default that kills or traps has one.
    auto k = compile(R"({"defaultAction": "SCMP_ACT_KILL_PROCESS", )" + rules + "}");
    CHECK(k.enosys.size() == 1);
}

TEST_CASE("a repeated argument index makes every condition a rule of its own, as runc does",
          "[policy][compile][live]") {
    // runc: args [{0 == 2}, {0 == 10}, {1 == 1}] repeat index 0, so each condition is a rule:
    // socket(AF_UNIX, SOCK_STREAM) matches {1 == 1} alone and is denied.
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
         "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"},
                  {"index": 0, "value": 10, "op": "SCMP_CMP_EQ"},
                  {"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]},
        {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5,
         "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"},
                  {"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]}]})");
    const std::uint64_t self = static_cast<std::uint64_t>(::getpid());
    check_rows(
        f,
        {
            {"AF_INET", SYS_socket, {AF_INET, SOCK_DGRAM}, SCMP_ACT_ERRNO(13), "syscalls[0]"},
            {"AF_UNIX stream",
             SYS_socket,
             {AF_UNIX, SOCK_STREAM},
             SCMP_ACT_ERRNO(13),
             "syscalls[0]"},
            {"AF_UNIX dgram", SYS_socket, {AF_UNIX, SOCK_DGRAM}, SCMP_ACT_ALLOW, "defaultAction"},
            // no index repeats: both conditions must hold
            {"kill(self, 0)", SYS_kill, {self, 0}, SCMP_ACT_ALLOW, "defaultAction"},
        });
}

TEST_CASE("64-bit comparisons, as runc: high bits count, --strict-args narrows",
          "[policy][compile]") {
    const std::string json = R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
        {"names": ["openat"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 18446744073709551516, "op": "SCMP_CMP_EQ"}]}]})";
    auto f = compile(json);
    seccomp_data d{};
    d.arch = util::arch::native().token;
    d.nr = SYS_socket;
    d.args[0] = 0x100000001ULL; // the kernel reads AF_UNIX
    CHECK(policy::describe_ret(f.decide(d).ret) == "ERRNO(EPERM)");
    d.args[0] = 1;
    CHECK(policy::describe_ret(f.decide(d).ret) == "ALLOW");
    d.nr = SYS_openat;
    d.args[0] = static_cast<std::uint64_t>(AT_FDCWD);
    CHECK(policy::describe_ret(f.decide(d).ret) == "ALLOW");
    d.args[0] = 0xffffff9cULL; // AT_FDCWD's low half only: not the value
    CHECK(policy::describe_ret(f.decide(d).ret) == "ERRNO(EPERM)");

    auto ctx = policy::CompileContext::for_this_kernel({}, false);
    ctx.strict_args = true;
    auto g = policy::compile(policy::parse(json, "t"), ctx);
    d.nr = SYS_socket;
    d.args[0] = 0x100000001ULL;
    CHECK(policy::describe_ret(g.decide(d).ret) == "ALLOW");
    CHECK(g.warnings.empty());

    // A mode is 16 bits (umode_t); != cannot be narrowed (libseccomp has no masked form of it):
    // it stays at 64 bits, with a warning naming it.
    auto h = policy::compile(policy::parse(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 1, "value": 448, "op": "SCMP_CMP_EQ"}]},
        {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]}]})",
                                           "t"),
                             ctx);
    d.nr = SYS_mkdir;
    d.args[1] = 0x10000 | 0700; // the kernel reads 0700
    CHECK(policy::describe_ret(h.decide(d).ret) == "ALLOW");
    d.nr = SYS_socket;
    d.args[0] = 0x100000028ULL; // AF_VSOCK to the kernel, != 40 to the filter
    CHECK(policy::describe_ret(h.decide(d).ret) == "ALLOW");
    REQUIRE(h.warnings.size() == 1);
    CHECK_THAT(h.warnings[0], Catch::Contains("--strict-args cannot narrow \"arg0 != 0x28\""));
}

TEST_CASE("kill-process default with no rules kills on the first syscall",
          "[policy][compile][live]") {
    auto f = compile(R"({"defaultAction": "SCMP_ACT_KILL_PROCESS"})");
    CHECK(f.enosys_above == -1);
    check_rows(f, {{"getpid", SYS_getpid, {}, SCMP_ACT_KILL_PROCESS, "defaultAction"}});
}

TEST_CASE("includes and excludes follow the run's capabilities", "[policy][compile]") {
    const char* json = R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["umask"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "includes": {"caps": ["CAP_SYS_ADMIN"]}},
        {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"caps": ["SYS_ADMIN"]}},
        {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "includes": {"minKernel": "99.0"}}]})";
    seccomp_data d{};
    d.arch = util::arch::native().token;
    const auto verdict = [&](const policy::CompiledFilter& f, long nr) {
        d.nr = static_cast<int>(nr);
        return policy::describe_ret(f.decide(d).ret);
    };
    auto without = compile(json);
    CHECK(verdict(without, SYS_umask) == "ALLOW");
    CHECK(verdict(without, SYS_getppid) == "ERRNO(EPERM)");
    CHECK(verdict(without, SYS_getpid) == "ALLOW"); // no kernel 99 yet
    auto with = compile(json, {"CAP_SYS_ADMIN"});
    CHECK(verdict(with, SYS_umask) == "ERRNO(EPERM)");
    CHECK(verdict(with, SYS_getppid) == "ALLOW");
}

TEST_CASE("strict mode turns unknown syscall names into errors", "[policy][compile]") {
    const char* json = R"({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["getpid", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]})";
    try {
        compile(json, {}, true);
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        CHECK_THAT(e.what(),
                   Catch::Contains("syscalls[0].names[1]") && Catch::Contains("no_such_call"));
    }
    auto f = compile(json); // without --strict, the known name stays
    seccomp_data d{};
    d.arch = util::arch::native().token;
    d.nr = SYS_getpid;
    CHECK(policy::describe_ret(f.decide(d).ret) == "ERRNO(EPERM)");
}

TEST_CASE("a policy too large for one BPF program is refused before anything runs",
          "[policy][compile]") {
    const auto refusal = [](const std::string& json) {
        try {
            compile(json);
        } catch (const util::Error& e) {
            CHECK(e.exit_code() == util::exit_code::policy);
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    const auto alternatives = [](int n, std::uint64_t high) {
        std::string args;
        for (int i = 0; i < n; ++i)
            args += fmt::format("{}{{\"index\": 0, \"value\": {}, \"op\": \"SCMP_CMP_EQ\"}}",
                                i ? "," : "", (std::uint64_t(i) * high) + std::uint64_t(i) * 7 + 1);
        return R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"],
            "action": "SCMP_ACT_ERRNO", "args": [)" +
               args + "]}]}";
    };
    SECTION("more rules than instructions: counted before anything is built") {
        CHECK_THAT(refusal(alternatives(5000, 0)), Catch::Contains("syscalls[0]") &&
                                                       Catch::Contains("5000 filter rules") &&
                                                       Catch::Contains("4096"));
    }
    SECTION("fewer rules, too many comparisons: estimated before libseccomp builds it") {
        // Distinct high halves: every value costs two comparisons and a load.
        CHECK_THAT(refusal(alternatives(3000, std::uint64_t(1) << 32)),
                   Catch::Contains("would have about") && Catch::Contains("BPF instructions") &&
                       Catch::Contains("4096"));
    }
    SECTION("just over the limit: the program libseccomp built is counted") {
        std::string rules;
        const auto& names = std::array{"read", "write", "openat", "close", "mmap", "ioctl"};
        for (int i = 0; i < 1320; ++i)
            rules += fmt::format(R"({}{{"names": ["{}"], "action": "SCMP_ACT_ALLOW", "args":
                [{{"index": {}, "value": {}, "op": "SCMP_CMP_EQ"}}]}})",
                                 i ? "," : "", names[std::size_t(i) % names.size()], 3 + i % 3,
                                 (std::uint64_t(i) << 32) + 1);
        const std::string what =
            refusal(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [)" + rules + "]}");
        CHECK_THAT(what, Catch::Contains("BPF instructions") && Catch::Contains("4096"));
    }
}

TEST_CASE("the estimate of the program's size stays below what libseccomp builds",
          "[policy][compile]") {
    // Whatever is refused by the estimate must really be too large: shapes that share a lot
    // (one high half for every value, one tree for many syscalls, duplicates, masks) compile.
    std::string alternatives;
    for (int i = 0; i < 3900; ++i)
        alternatives +=
            fmt::format(R"({}{{"index": 1, "value": {}, "op": "SCMP_CMP_EQ"}})", i ? "," : "", i);
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [)" +
                     alternatives + "]}]}");
    CHECK(f.program.size() <= 4096);
    std::string shared;
    for (const char* n : {"read", "write", "close", "openat", "mmap", "munmap", "brk", "lseek"})
        shared += fmt::format(R"({{"names": ["{}"], "action": "SCMP_ACT_ALLOW", "args": [
            {{"index": 0, "value": 3, "op": "SCMP_CMP_GE"}}, {{"index": 2, "value": 4095,
              "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 0}}]}},)",
                              n);
    for (int i = 0; i < 2000; ++i)
        shared += R"({"names": ["getpid"], "action": "SCMP_ACT_ALLOW"},)";
    f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [)" +
                shared + R"({"names": ["exit_group"], "action": "SCMP_ACT_ALLOW"}]})");
    CHECK(f.program.size() < 4096);
}

TEST_CASE("120 names with 6 conditions on each of 6 arguments are refused in milliseconds",
          "[policy][compile][load]") {
    std::string args;
    for (int index = 0; index < 6; ++index)
        for (int v = 1; v <= 6; ++v)
            args += fmt::format(R"({}{{"index": {}, "value": {}, "op": "SCMP_CMP_EQ"}})",
                                args.empty() ? "" : ",", index, v);
    std::string names;
    for (int i = 0; i < 120; ++i) names += std::string(i ? "," : "") + "\"personality\"";
    const std::string json = R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": [)" + names +
                             R"(], "action": "SCMP_ACT_ERRNO", "args": [)" + args + "]}]}";
    const auto start = std::chrono::steady_clock::now();
    try {
        compile(json);
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        CHECK_THAT(e.what(), Catch::Contains("syscalls[0]") && Catch::Contains("4320"));
    }
    // Generous: a guard against building the 4320 rules (minutes), not a speed test.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));

    // The same count holds for a Policy made in code, which load never saw.
    policy::Policy p;
    p.source = "code";
    p.default_action.action = policy::Action::Allow;
    policy::Rule r;
    r.key = "syscalls[0]";
    r.names.assign(120, "personality");
    r.action.action = policy::Action::Errno;
    for (unsigned index = 0; index < 6; ++index)
        for (std::uint64_t v = 1; v <= 6; ++v) r.args.push_back({index, v, 0, policy::Op::Equal});
    p.rules.push_back(r);
    // An index repeats, so each of the 36 conditions is a rule of its own (runc), per name.
    CHECK(policy::expanded_rule_count(r) == 4320);
    CHECK_THROWS_WITH(policy::compile(p, policy::CompileContext::for_this_kernel({}, false)),
                      Catch::Contains("syscalls[0]") && Catch::Contains("4320"));
}

TEST_CASE("a profile that makes libseccomp loop forever is refused when its time is up",
          "[policy][compile]") {
    // libseccomp 2.5.4 never returns from seccomp_rule_add for the second of these rules.
    const std::string json = R"({"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": [
        {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
            {"index": 1, "value": 5, "op": "SCMP_CMP_GT"},
            {"index": 2, "value": 2, "op": "SCMP_CMP_LE"}]},
        {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
            {"index": 1, "value": 5, "op": "SCMP_CMP_GT"},
            {"index": 2, "value": 3, "op": "SCMP_CMP_EQ"}]}]})";
    auto context = policy::CompileContext::for_this_kernel({}, false);
    context.libseccomp_cpu_seconds = 1;
    try {
        auto f = policy::compile(policy::parse(json, "t.json"), context);
        // A libseccomp that is fixed compiles it: then the verdicts must be right.
        seccomp_data d{};
        d.arch = util::arch::native().token;
        d.nr = SYS_personality;
        d.args[1] = 6;
        d.args[2] = 3;
        CHECK(policy::describe_ret(f.decide(d).ret) == "ERRNO(EPERM)");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        CHECK_THAT(e.what(), Catch::Contains("syscalls[1]") && Catch::Contains("did not finish"));
    }
}

TEST_CASE("the loader's warnings come first, in the file's order, however many",
          "[policy][compile]") {
    std::string rules;
    for (int i = 0; i < 3000; ++i)
        rules += fmt::format(R"({}{{"names": ["fake{}"], "action": "SCMP_ACT_ALLOW", "x": 1}})",
                             i ? "," : "", i);
    const auto start = std::chrono::steady_clock::now();
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [)" + rules + "]}");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30)); // was quadratic
    REQUIRE(f.warnings.size() == 6000);
    CHECK_THAT(f.warnings[0], Catch::Contains("syscalls[0].x: unknown key"));
    CHECK_THAT(f.warnings[1], Catch::Contains("syscalls[1].x: unknown key"));
    CHECK_THAT(f.warnings[3000], Catch::Contains("syscalls[0].names[0]: unknown syscall"));
}

TEST_CASE("io_uring allowed by a profile gives a warning", "[policy][compile]") {
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "syscalls": [{"names": ["io_uring_setup", "write"], "action": "SCMP_ACT_ALLOW"}]})");
    REQUIRE(f.warnings.size() == 1);
    CHECK_THAT(f.warnings[0], Catch::Contains("io_uring_setup") && Catch::Contains("bypass"));
}

TEST_CASE("the baseline profile denies io_uring and allows the rest", "[policy][compile][live]") {
    auto f = policy::compile(policy::load_bundled("baseline"),
                             policy::CompileContext::for_this_kernel({}, false));
    check_rows(f, {{"io_uring_setup", 425, {1, 0}, SCMP_ACT_ERRNO(EPERM), "syscalls[0]"},
                   {"getpid", SYS_getpid, {}, SCMP_ACT_ALLOW, "defaultAction"}});
}

TEST_CASE("foreign architectures: listed ones are filtered, others are killed",
          "[policy][compile]") {
    auto f = compile(
        R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
        "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})");
    if (util::arch::native().token != SCMP_ARCH_X86_64) return;
    seccomp_data d{};
    d.arch = SCMP_ARCH_X86;
    d.nr = 39; // mkdir on i386
    CHECK(policy::describe_ret(f.decide(d).ret) == "ERRNO(EPERM)");
    CHECK(f.decide(d).rule == "syscalls[0]");
    d.arch = SCMP_ARCH_AARCH64; // libseccomp's bad-architecture action, as runc keeps it
    CHECK(policy::describe_ret(f.decide(d).ret) == "KILL_THREAD");
    CHECK(f.decide(d).rule == "architectures");
}

TEST_CASE("explain lists conditional verdicts and the fallback", "[policy][compile]") {
    auto f = policy::compile(policy::load_bundled("deny-network"),
                             policy::CompileContext::for_this_kernel({}, false));
    const auto all = policy::explain(f);
    const auto it =
        std::find_if(all.begin(), all.end(), [](const auto& v) { return v.name == "socket"; });
    REQUIRE(it != all.end());
    REQUIRE(it->cases.size() == 2);
    // The profile masks the family to its low 32 bits (the kernel reads an int).
    CHECK(it->cases[0].when == "arg0 == 0x2 (32-bit)");
    CHECK(policy::describe_ret(it->cases[0].ret) == "ERRNO(EACCES)");
    CHECK(it->cases[1].when == "arg0 == 0xa (32-bit)");
    CHECK(policy::describe_ret(it->ret) == "ALLOW");
    CHECK(it->rule == "defaultAction");
    CHECK_THAT(f.pseudo_code, Catch::Contains("socket"));
}

TEST_CASE("explain: each conditional row is decided by its own rule where it can be",
          "[policy][compile]") {
    // With the free arguments left at 0, socket(2, 0, 0) holds both the first rule's and the
    // second's conditions: the "arg0 == 0x2" row must show the first rule's verdict, from
    // arguments that keep the second false (socket(2, 1, 0)).
    auto f = compile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
         "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
        {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]},
        {"names": ["socket"], "action": "SCMP_ACT_KILL",
         "args": [{"index": 2, "value": 5, "op": "SCMP_CMP_GE"}]}]})");
    const auto all = policy::explain(f);
    const auto it =
        std::find_if(all.begin(), all.end(), [](const auto& v) { return v.name == "socket"; });
    REQUIRE(it != all.end());
    REQUIRE(it->cases.size() == 3);
    CHECK(it->cases[0].when == "arg0 == 0x2");
    CHECK(it->cases[0].rule == "syscalls[0]");
    CHECK(policy::describe_ret(it->cases[0].ret) == "ERRNO(EACCES)");
    CHECK(it->cases[1].rule == "syscalls[1]");
    CHECK(policy::describe_ret(it->cases[1].ret) == "ALLOW");
    CHECK(it->cases[2].rule == "syscalls[2]");
    CHECK(policy::describe_ret(it->cases[2].ret) == "KILL_THREAD");
    CHECK(it->rule == "defaultAction");

    // A rule that never decides (an unconditional one wins over it) is named by the one that
    // does.
    auto shadowed = compile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["umask"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["umask"], "action": "SCMP_ACT_KILL",
         "args": [{"index": 0, "value": 18, "op": "SCMP_CMP_EQ"}]}]})");
    const auto s = policy::explain(shadowed);
    const auto u =
        std::find_if(s.begin(), s.end(), [](const auto& v) { return v.name == "umask"; });
    REQUIRE(u != s.end());
    REQUIRE(u->cases.size() == 1);
    CHECK(u->cases[0].rule == "syscalls[0]");
    CHECK(policy::describe_ret(u->cases[0].ret) == "ALLOW");
}

// ---- the kill filter (policy/route.hpp) ----

namespace {

bool kernel_kills(std::uint32_t ret) {
    const std::uint32_t a = ret & SECCOMP_RET_ACTION_FULL;
    return a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD || a == SECCOMP_RET_TRAP;
}

// Every syscall number (and some beyond any table) on the native ABI, x32, i386 and an
// architecture no profile lists, with argument values the test profiles' conditions use.
std::vector<seccomp_data> many_calls() {
    std::vector<std::uint32_t> arches{util::arch::native().token};
    if (util::arch::native().token == SCMP_ARCH_X86_64) arches.push_back(SCMP_ARCH_X86);
    arches.push_back(SCMP_ARCH_AARCH64 == util::arch::native().token ? SCMP_ARCH_X86_64
                                                                     : SCMP_ARCH_AARCH64);
    std::vector<seccomp_data> out;
    for (std::uint32_t arch : arches)
        for (int nr = 0; nr < 520; ++nr)
            for (std::uint64_t a0 : {0ULL, 1ULL, 2ULL, 0x100000001ULL}) {
                seccomp_data d{};
                d.arch = arch;
                d.nr = nr;
                d.args[0] = a0;
                d.args[1] = a0 * 7;
                out.push_back(d);
                if (arch == SCMP_ARCH_X86_64 && nr < 4) { // x32
                    d.nr = nr | 0x40000000;
                    out.push_back(d);
                }
            }
    return out;
}

const char* const kKillProfiles[] = {
    // unconditional KILL_PROCESS, ERRNO next to it
    R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
        "syscalls": [{"names": ["ptrace", "getppid"], "action": "SCMP_ACT_KILL_PROCESS"},
                     {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]})",
    // conditional KILL_THREAD and TRAP on one syscall, an ERRNO fallback for another
    R"({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_KILL",
                      "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
                     {"names": ["personality"], "action": "SCMP_ACT_TRAP",
                      "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
                     {"names": ["socket"], "action": "SCMP_ACT_KILL_PROCESS",
                      "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_NE"},
                               {"index": 1, "value": 7, "op": "SCMP_CMP_EQ"}]},
                     {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]})",
    // a KILL default with allowed and denied calls, and the ENOSYS prologue for newer syscalls
    R"({"defaultAction": "SCMP_ACT_KILL_PROCESS",
        "syscalls": [{"names": ["read", "write", "exit_group", "mmap"], "action": "SCMP_ACT_ALLOW"},
                     {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                     {"names": ["uname"], "action": "SCMP_ACT_LOG"}]})",
};

} // namespace

TEST_CASE("kill filter: kills and traps exactly where the policy's program does, allows the rest",
          "[policy][route]") {
    std::vector<policy::CompiledFilter> filters;
    for (const char* p : kKillProfiles) filters.push_back(compile(p));
    filters.push_back(policy::compile(policy::load_bundled("runtime-default"),
                                      policy::CompileContext::for_this_kernel({}, false)));
    filters.push_back(policy::compile(policy::load_bundled("kill-ptrace"),
                                      policy::CompileContext::for_this_kernel({}, false)));
    const auto calls = many_calls();
    for (std::size_t i = 0; i < filters.size(); ++i) {
        INFO("profile " << i);
        const auto& f = filters[i];
        const auto rewritten = policy::keep_kernel_kills(f.program);
        REQUIRE(rewritten.size() == f.program.size());
        std::size_t kills = 0;
        for (const auto& d : calls) {
            const std::uint32_t original = policy::bpf::run(f.program, d);
            const std::uint32_t got = policy::bpf::run(rewritten, d);
            if (kernel_kills(original)) {
                ++kills;
                if (got != original) FAIL_CHECK("nr " << d.nr << " arch " << d.arch);
            } else if (got != SECCOMP_RET_ALLOW) {
                FAIL_CHECK("nr " << d.nr << " arch " << d.arch << ": "
                                 << policy::describe_ret(got));
            }
        }
        CHECK(kills > 0); // every profile kills something: foreign architectures at least
    }
}

TEST_CASE("kill filter: sandbox's own install call passes by its key, nothing else does",
          "[policy][route]") {
    const auto p = policy::parse(
        R"({"defaultAction": "SCMP_ACT_ALLOW",
            "syscalls": [{"names": ["seccomp", "getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]})",
        "t.json");
    const auto f = policy::compile(p, policy::CompileContext::for_this_kernel({}, false));
    const policy::InstallKey key{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
    const auto kill = policy::kill_filter(p, f, key);
    seccomp_data d{};
    d.arch = f.native_arch;
    d.nr = SYS_seccomp;
    d.args[3] = key.first;
    d.args[4] = key.second;
    CHECK(policy::bpf::run(kill, d) == SECCOMP_RET_ALLOW);
    for (int word = 0; word < 4; ++word) { // each 32-bit half of the key counts
        seccomp_data wrong = d;
        wrong.args[3 + word / 2] ^= (word % 2 == 0 ? 1ULL : 1ULL << 32);
        CHECK(policy::bpf::run(kill, wrong) == SECCOMP_RET_KILL_PROCESS);
    }
    seccomp_data other = d; // another syscall with the key's values: the policy's verdict
    other.nr = SYS_getppid;
    CHECK(policy::bpf::run(kill, other) == SECCOMP_RET_KILL_PROCESS);
    other.nr = SYS_getpid;
    CHECK(policy::bpf::run(kill, other) == SECCOMP_RET_ALLOW);
    seccomp_data foreign = d; // only on the native ABI
    foreign.arch = SCMP_ARCH_AARCH64 == f.native_arch ? SCMP_ARCH_X86_64 : SCMP_ARCH_AARCH64;
    CHECK(policy::bpf::run(kill, foreign) == SECCOMP_RET_KILL_THREAD);
    // Past the exemption it is the policy's program: every other call as keep_kernel_kills says.
    for (const auto& c : many_calls())
        if (c.nr != SYS_seccomp || c.arch != f.native_arch)
            CHECK(policy::bpf::run(kill, c) ==
                  policy::bpf::run(policy::keep_kernel_kills(f.program), c));

    // Live: installed, it lets exactly the keyed install through and kills the unkeyed one.
    int pipe_fds[2];
    REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        sock_fprog one{1, &allow};
        sock_fprog prog{static_cast<unsigned short>(kill.size()),
                        const_cast<sock_filter*>(kill.data())};
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
            ::_exit(99);
        const char ok =
            ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &one, key.first, key.second) == 0
                ? 'y'
                : 'n';
        ::syscall(SYS_write, pipe_fds[1], &ok, 1);
        ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &one, key.first, 0);
        ::syscall(SYS_exit_group, 0);
    }
    ::close(pipe_fds[1]);
    char got = 0;
    CHECK(::read(pipe_fds[0], &got, 1) == 1);
    ::close(pipe_fds[0]);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(got == 'y');
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGSYS);
}

TEST_CASE("kill filter: needed when the policy kills or traps - its rules are named",
          "[policy][route]") {
    const auto base = [](const char* name) {
        return policy::compile(policy::load_bundled(name),
                               policy::CompileContext::for_this_kernel({}, false));
    };
    CHECK_FALSE(policy::kills_in_kernel(base("baseline"))); // the bad-arch KILL is routed's
    CHECK_FALSE(policy::kills_in_kernel(base("runtime-default")));
    CHECK(policy::kills_in_kernel(base("kill-ptrace")));
    CHECK(policy::kills_in_kernel(compile(kKillProfiles[1])));
    CHECK(policy::kills_in_kernel(compile(R"({"defaultAction": "SCMP_ACT_KILL"})")));
    CHECK(policy::kills_in_kernel(compile(R"({"defaultAction": "SCMP_ACT_ALLOW",
                    "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_TRAP"}]})")));

    const auto rules = policy::kill_rules(base("kill-ptrace"));
    REQUIRE(rules.size() == 1);
    CHECK(rules[0].key == "syscalls[0]");
    CHECK(rules[0].action == "KILL_PROCESS");
    CHECK(rules[0].syscalls ==
          std::vector<std::string>{"ptrace", "process_vm_readv", "process_vm_writev"});
    const auto cond = policy::kill_rules(compile(kKillProfiles[1]));
    REQUIRE(cond.size() == 3); // one per key, each syscall once, the ERRNO rule left out
    CHECK(cond[0].key == "syscalls[0]");
    CHECK(cond[0].action == "KILL_THREAD"); // SCMP_ACT_KILL, as libseccomp and runc have it
    CHECK(cond[1].action == "TRAP");
    CHECK(cond[2].syscalls == std::vector<std::string>{"socket"});
    const auto dflt = policy::kill_rules(compile(kKillProfiles[2]));
    REQUIRE(dflt.size() == 1);
    CHECK(dflt[0].key == "defaultAction");
    CHECK(dflt[0].action == "KILL_PROCESS");
    CHECK(dflt[0].syscalls.empty());

    // A program that returns a computed value cannot be rewritten: refused, never guessed.
    const std::vector<sock_filter> computed = {BPF_STMT(BPF_RET | BPF_A, 0)};
    CHECK_THROWS_AS(policy::keep_kernel_kills(computed), util::Error);
}

TEST_CASE("routing: KILL still reaches sandbox in the routed filter - the judge never kills",
          "[policy][route]") {
    // The routed filter sends a KILL to the supervisor (the kill filter kills first; under
    // --audit the supervisor logs it): both for the notify and the ptrace engine.
    CHECK(policy::route_ret(SECCOMP_RET_KILL_PROCESS, false) == SECCOMP_RET_USER_NOTIF);
    CHECK(policy::route_ret(SECCOMP_RET_KILL_THREAD, false, SECCOMP_RET_TRACE) ==
          SECCOMP_RET_TRACE);
    CHECK(policy::route_ret(SECCOMP_RET_TRAP, true) == SECCOMP_RET_TRAP);

    const auto f = policy::compile(policy::load_bundled("kill-ptrace"),
                                   policy::CompileContext::for_this_kernel({}, false));
    seccomp_data d{};
    d.arch = f.native_arch;
    d.nr = SYS_ptrace;
    {
        // A KILL that reaches an engine all the same is refused, never run, and no one is killed.
        supervise::Judge enforce(f, {}, false, {});
        trace::Event e;
        e.name = "ptrace";
        enforce.judge(d, e);
        CHECK(e.verdict == trace::Verdict::Denied);
        CHECK(e.result == -1);
        CHECK(e.err == ENOSYS);
        CHECK(e.action == "KILL_PROCESS");
        CHECK(e.rule == "syscalls[0]");
    }
    {
        supervise::Judge audit(f, {}, true, {});
        trace::Event e;
        e.name = "ptrace";
        audit.judge(d, e);
        CHECK(e.verdict == trace::Verdict::WouldDeny);
        CHECK_FALSE(e.result);
    }
}

TEST_CASE("supervise: a thread's process is read when asked, and a gone thread is not guessed",
          "[supervise]") {
    CHECK(supervise::read_tgid(::getpid()) == ::getpid());
    pid_t tid = 0;
    std::thread t([&tid] { tid = static_cast<pid_t>(::syscall(SYS_gettid)); });
    t.join();
    REQUIRE(tid > 0);
    // Gone now: the answer is the tid itself ("unknown"), never another process's pid... unless
    // the tid was reused meanwhile, which the supervisor's SECCOMP_IOCTL_NOTIF_ID_VALID catches.
    const pid_t after = supervise::read_tgid(tid);
    CHECK((after == tid || after != ::getpid()));
    pid_t inside = 0, mine = 0;
    std::thread u([&] {
        mine = static_cast<pid_t>(::syscall(SYS_gettid));
        inside = supervise::read_tgid(mine);
    });
    u.join();
    CHECK(mine != ::getpid());
    CHECK(inside == ::getpid());
}
