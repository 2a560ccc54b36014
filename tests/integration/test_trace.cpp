// SPDX-License-Identifier: Apache-2.0
// Integration tests of the notify supervisor: `sandbox run` traces the command as strace would,
// logs denials with their rule, counts, writes JSON lines, injects errors, survives signal storms.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

namespace {

using testsupport::require_identity;
using testsupport::RunOptions;
using testsupport::RunResult;
using testsupport::split_lines;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);
const std::string storm_bin = testsupport::helper_binary("STORM_BIN", STORM_BIN);
const std::string threads_bin = testsupport::helper_binary("THREADS_BIN", THREADS_BIN);

// sandbox as `who`; an unchanged default timeout (60 s) becomes 120 s here.
RunResult sandbox(Who who, std::vector<std::string> args, RunOptions opts = {}) {
    if (opts.timeout_seconds == 60) opts.timeout_seconds = 120;
    return testsupport::sandbox(sandbox_bin, who, std::move(args), std::move(opts));
}

// Calls per syscall from `-c --json`.
std::uint64_t summary_calls(const RunResult& r, const std::string& name,
                            const char* column = "calls") {
    // the summary is the last line of the JSON output
    auto ls = split_lines(r.err);
    REQUIRE_FALSE(ls.empty());
    auto j = nlohmann::json::parse(ls.back());
    for (const auto& row : j.at("syscalls"))
        if (row.at("syscall") == name) return row.at(column).get<std::uint64_t>();
    return 0;
}

void execve_line_and_env_count(Who who) {
    require_identity(who);
    // A controlled environment with no multi-line values: its size is what the line must say.
    std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/", "LANG=C", "A=1",
                                 "B=two words"};
    RunOptions o;
    o.env = env;
    auto r = sandbox(who, {"run", "--", "touch", "/tmp/error.log"}, o);
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    const std::regex execve(
        R"re(^execve\("/usr/bin/touch", \["touch", "/tmp/error\.log"\], 0x[0-9a-f]+ /\* 5 vars \*/\))re");
    auto ls = split_lines(r.err);
    REQUIRE_FALSE(ls.empty());
    CHECK(std::regex_search(ls.front(), execve));
    // the rest of the calls follow: the loader's openat and touch's own
    bool openat = false, utime = false;
    for (const auto& l : ls) {
        openat = openat || l.rfind("openat(", 0) == 0;
        utime = utime || l.find("/tmp/error.log") != std::string::npos;
    }
    CHECK(openat);
    CHECK(utime);
    CHECK(ls.back() == "+++ exited with 0 +++");
}

} // namespace

TEST_CASE("trace: execve line with argv and /* N vars */, then the rest (current user)",
          "[integration][trace]") {
    execve_line_and_env_count(Who::current);
}
TEST_CASE("trace: execve line with argv and /* N vars */, then the rest (uid 65534)",
          "[integration][trace]") {
    execve_line_and_env_count(Who::nobody);
}

TEST_CASE("trace: a denied mkdir ends with EPERM and names its rule", "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current, {"run", "--profile", "deny-mkdir", "--", probe_bin, "mkdir",
                                    "/tmp/x", "touch", "/tmp/y"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("mkdir /tmp/x: EPERM") != std::string::npos);
    CHECK(r.out.find("touch /tmp/y: ok") != std::string::npos);
    const std::regex denied(
        R"re(^mkdir\("/tmp/x", 0?[0-7]+\) += -1 EPERM \(Operation not permitted\).*syscalls\[0\])re");
    bool found = false;
    for (const auto& l : split_lines(r.err)) found = found || std::regex_search(l, denied);
    CHECK(found);
}

TEST_CASE(
    "trace: -e trace=none logs only denials - --audit logs what it would deny and denies nothing",
    "[integration][trace]") {
    require_identity(Who::current);
    auto quiet = sandbox(Who::current, {"run", "-e", "trace=none", "--profile", "deny-mkdir", "--",
                                        probe_bin, "mkdir", "/tmp/x", "getpid"});
    INFO(quiet.describe());
    auto ls = split_lines(quiet.err);
    REQUIRE(ls.size() == 2); // the denial and the exit line
    CHECK(ls[0].rfind("mkdir(", 0) == 0);
    CHECK(ls[1] == "+++ exited with 0 +++");

    auto audit = sandbox(Who::current, {"run", "--audit", "-e", "trace=none", "--profile",
                                        "deny-mkdir", "--", probe_bin, "mkdir", "/tmp/x"});
    INFO(audit.describe());
    CHECK(audit.out.find("mkdir /tmp/x: ok") != std::string::npos);
    CHECK(audit.err.find("would deny") != std::string::npos);
    CHECK(audit.err.find("syscalls[0]") != std::string::npos);
}

TEST_CASE("trace: -e trace=%file selects file calls only", "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current, {"run", "-e", "trace=%file", "--", probe_bin, "getpid",
                                    "open-read", "/etc/hostname"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    for (const auto& l : split_lines(r.err)) {
        if (l.rfind("+++", 0) == 0) continue;
        CHECK((l.rfind("execve(", 0) == 0 || l.rfind("openat(", 0) == 0 ||
               l.rfind("access(", 0) == 0 || l.rfind("newfstatat(", 0) == 0 ||
               l.rfind("readlink", 0) == 0 || l.rfind("stat", 0) == 0));
        CHECK(l.rfind("getpid(", 0) != 0);
    }
    CHECK(r.err.find("openat(AT_FDCWD, \"/etc/hostname\"") != std::string::npos);
}

TEST_CASE("trace: -c counts equal the calls the program made, in an aligned table without times",
          "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current, {"run", "-c", "--", probe_bin, "syscall", "110", "syscall",
                                    "110", "syscall", "110"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("calls") != std::string::npos);
    CHECK(r.err.find("denied") != std::string::npos);
    CHECK(r.err.find("total") != std::string::npos);
    CHECK(r.err.find("seconds") == std::string::npos);
    CHECK(r.err.find("usecs") == std::string::npos);
    CHECK(r.err.find("execve(") == std::string::npos); // -c: the table only
    auto j = sandbox(Who::current, {"run", "-c", "--json", "--", probe_bin, "syscall", "110",
                                    "syscall", "110", "syscall", "110"});
    INFO(j.describe());
    CHECK(summary_calls(j, "getppid") == 3);
    CHECK(summary_calls(j, "execve") == 1);
}

TEST_CASE("trace: --json writes one parseable object per line", "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current, {"run", "--json", "--profile", "deny-mkdir", "--", probe_bin,
                                    "mkdir", "/tmp/x"});
    INFO(r.describe());
    bool saw_denied = false, saw_execve = false;
    for (const auto& l : split_lines(r.err)) {
        if (l.rfind("sandbox:", 0) == 0) continue; // a diagnostic, not trace output
        nlohmann::json j;
        REQUIRE_NOTHROW(j = nlohmann::json::parse(l));
        if (j.contains("syscall") && j["syscall"] == "execve") saw_execve = true;
        if (j.contains("verdict") && j["verdict"] == "denied") {
            saw_denied = true;
            CHECK(j["rule"] == "syscalls[0]");
            CHECK(j["errno"] == "EPERM");
        }
    }
    CHECK(saw_execve);
    CHECK(saw_denied);
}

TEST_CASE("trace: a forked child is shown with [pid N]", "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current, {"run", "--", "sh", "-c", "/bin/true; echo done"});
    INFO(r.describe());
    CHECK(r.out == "done\n");
    CHECK(r.err.find("[pid ") != std::string::npos);
}

TEST_CASE("trace: 8 threads x 10000 notified calls are all logged, exactly once",
          "[integration][trace]") {
    require_identity(Who::current);
    RunOptions o;
    o.timeout_seconds = 300;
    auto r = sandbox(Who::current, {"run", "-c", "--json", "--", threads_bin, "8", "10000"}, o);
    INFO(r.describe().substr(0, 4000));
    CHECK(r.exit_code == 0);
    CHECK_FALSE(r.timed_out);
    CHECK(summary_calls(r, "getppid") == 80000);
}

TEST_CASE("trace: a signal storm during notified calls neither hangs nor double-counts",
          "[integration][trace]") {
    require_identity(Who::current);
    for (const char* mode : {"restart", "norestart"}) {
        INFO(mode);
        RunOptions o;
        o.timeout_seconds = 300;
        auto r =
            sandbox(Who::current,
                    {"run", "-c", "--json", "-o", "/dev/stderr", "--", storm_bin, "3000", mode}, o);
        INFO(r.describe().substr(0, 4000));
        REQUIRE(r.exit_code == 0);
        CHECK_FALSE(r.timed_out);
        std::smatch m;
        REQUIRE(std::regex_search(r.out, m,
                                  std::regex(R"(calls=(\d+) interrupted=(\d+) signals=(\d+))")));
        CHECK(std::stoull(m[3]) > 0); // the storm happened
        const auto logged = summary_calls(r, "getppid");
        if (std::string(mode) == "restart") {
            // restarted calls are notified again and must not count twice
            CHECK(logged == 3000);
        } else {
            // Without SA_RESTART a call interrupted before the supervisor received it is
            // withdrawn by the kernel (EINTR) and never seen; the program's retry is a new call.
            CHECK(logged >= 3000);
            CHECK(logged <= std::stoull(m[1]));
        }
    }
}

TEST_CASE("trace: --inject fails exactly the chosen occurrence", "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current,
                     {"run", "-e", "trace=mkdir", "--inject", "mkdir:error=EACCES:when=2", "--",
                      probe_bin, "mkdir", "/tmp/a", "mkdir", "/tmp/b", "mkdir", "/tmp/c"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("mkdir /tmp/a: ok") != std::string::npos);
    CHECK(r.out.find("mkdir /tmp/b: EACCES") != std::string::npos);
    CHECK(r.out.find("mkdir /tmp/c: ok") != std::string::npos);
    CHECK(r.err.find("(INJECTED)") != std::string::npos);
}

TEST_CASE("trace: a KILL rule is named at the exit (notify) or with its call (results), exit 159",
          "[integration][trace]") {
    require_identity(Who::current);
    // The kernel kills before the supervisor hears of the call: the exit names the KILL rules.
    auto r = sandbox(Who::current,
                     {"run", "--profile", "kill-ptrace", "--", probe_bin, "ptrace-traceme"});
    INFO(r.describe());
    CHECK(r.exit_code == 159);
    CHECK(r.err.find("ptrace(") == std::string::npos);
    CHECK(r.err.find("+++ killed by SIGSYS (seccomp KILL: syscalls[0]) +++") != std::string::npos);
    // The ptrace engine sees the call at the thread's exit stop.
    auto t = sandbox(Who::current, {"run", "--results", "--profile", "kill-ptrace", "--", probe_bin,
                                    "ptrace-traceme"});
    INFO(t.describe());
    CHECK(t.exit_code == 159);
    CHECK(t.err.find("ptrace(PTRACE_TRACEME") != std::string::npos);
    CHECK(t.err.find("<killed by seccomp: KILL_PROCESS by syscalls[0]>") != std::string::npos);
}

TEST_CASE("trace: bad tracing options are usage errors before anything runs",
          "[integration][trace]") {
    auto a = sandbox(Who::current, {"run", "-e", "trace=nosuchcall", "--", "sh", "-c", "echo RAN"});
    CHECK(a.exit_code == 121);
    CHECK(a.out.empty());
    auto b = sandbox(Who::current,
                     {"run", "--inject", "mkdir:error=ENOTANERRNO", "--", "sh", "-c", "echo RAN"});
    CHECK(b.exit_code == 121);
    CHECK(b.out.empty());
    auto c =
        sandbox(Who::current, {"run", "-e", "trace=%nosuchclass", "--", "sh", "-c", "echo RAN"});
    CHECK(c.exit_code == 121);
    CHECK(c.out.empty());
}

// --- --emulate: calls sandbox answers itself (gVisor-style) -----------------------------------

namespace {

std::string host_release() {
    struct utsname u {};
    ::uname(&u);
    return u.release;
}

void emulate_uname(Who who, bool results) {
    require_identity(who);
    std::vector<std::string> engine =
        results ? std::vector<std::string>{"--results"} : std::vector<std::string>{};
    std::vector<std::string> args{"run", "--emulate", "uname", "-e", "trace=uname"};
    args.insert(args.begin() + 1, engine.begin(), engine.end());
    args.insert(args.end(), {"--", "uname", "-r"});
    auto r = sandbox(who, args);
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "4.19.0-gvisor\n"); // gVisor's answer, not the host's
    CHECK(r.err.find(
              R"x(uname({sysname="Linux", nodename="sandbox", ...}) = 0 <emulated by sandbox>)x") !=
          std::string::npos);

    // The control: without --emulate the kernel answers with the host's release.
    std::vector<std::string> plain{"run", "-e", "trace=uname"};
    plain.insert(plain.begin() + 1, engine.begin(), engine.end());
    plain.insert(plain.end(), {"--", "uname", "-r"});
    auto k = sandbox(who, plain);
    INFO(k.describe());
    CHECK(k.exit_code == 0);
    CHECK(k.out == host_release() + "\n");
    CHECK(k.err.find("emulated") == std::string::npos);
}

} // namespace

TEST_CASE("trace: --emulate uname is answered by sandbox, not the kernel (current user)",
          "[integration][trace]") {
    emulate_uname(Who::current, false);
}
TEST_CASE("trace: --emulate uname is answered by sandbox, not the kernel (uid 65534)",
          "[integration][trace]") {
    emulate_uname(Who::nobody, false);
}
TEST_CASE("trace: --emulate uname with --results (the ptrace engine)", "[integration][trace]") {
    emulate_uname(Who::current, true);
}

TEST_CASE("trace: --emulate uname:release=R, -v prints every field, --json says emulated",
          "[integration][trace]") {
    require_identity(Who::current);
    auto v = sandbox(Who::current,
                     {"run", "-v", "--hostname", "lab", "--emulate", "uname:release=9.9.9-lab",
                      "-e", "trace=uname", "--", "uname", "-a"});
    INFO(v.describe());
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("Linux lab 9.9.9-lab ") == 0);
    CHECK(v.err.find(R"(release="9.9.9-lab", version=")") != std::string::npos);
    CHECK(v.err.find(R"x(domainname="(none)"})x") != std::string::npos);
    auto j = sandbox(Who::current,
                     {"run", "--json", "--emulate", "uname", "-e", "trace=uname", "--", "uname"});
    INFO(j.describe());
    bool saw = false;
    for (const auto& l : split_lines(j.err)) {
        nlohmann::json e;
        REQUIRE_NOTHROW(e = nlohmann::json::parse(l));
        if (e.value("syscall", "") == "uname") {
            saw = true;
            CHECK(e["verdict"] == "emulated");
        }
    }
    CHECK(saw);
}

TEST_CASE("trace: a policy that denies uname wins over --emulate", "[integration][trace]") {
    require_identity(Who::current);
    auto r = sandbox(Who::current,
                     {"run", "--emulate", "uname", "--policy",
                      testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR) +
                          "/tests/fixtures/deny-uname.json",
                      "--", "uname", "-r"});
    INFO(r.describe());
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    CHECK(r.err.find("<denied") != std::string::npos);
    CHECK(r.err.find("emulated") == std::string::npos);
}

TEST_CASE("trace: --emulate of anything but uname, or a bad field, is a usage error",
          "[integration][trace]") {
    for (const std::string spec : {"openat", "uname:release=", "uname:colour=red", ""}) {
        auto r = sandbox(Who::current, {"run", "--emulate", spec, "--", "sh", "-c", "echo RAN"});
        INFO(spec);
        INFO(r.describe());
        CHECK(r.exit_code == 121);
        CHECK(r.out.empty());
    }
    auto a = sandbox(Who::current, {"attach", "--emulate", "uname", "1"});
    CHECK(a.exit_code == 121);
    auto c = sandbox(Who::current, {"check", "--emulate", "uname", "--", "true"});
    CHECK(c.exit_code == 121);
}
