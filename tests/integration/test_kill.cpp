// SPDX-License-Identifier: Apache-2.0
// KILL actions are the kernel's: the policy's KILL_PROCESS, KILL_THREAD and SCMP_ACT_KILL are
// carried out by a filter of their own (policy/route.hpp), in both engines, and the supervisor
// signals nobody. Each case runs the built sandbox on the probe helper, as the current user and
// as uid 65534, with a timeout (a hang fails the case).
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <sys/syscall.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using testsupport::require_identity;
using testsupport::RunResult;
using testsupport::split_lines;
using testsupport::TempDir;
using testsupport::value_of;
using testsupport::Who;
using testsupport::write_file;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);

RunResult run_probe(Who who, std::vector<std::string> run_opts, std::vector<std::string> actions,
                    int timeout_seconds = 60) {
    return testsupport::sandbox(sandbox_bin, who,
                                testsupport::probe_run_args(probe_bin, run_opts, actions),
                                testsupport::timeout(timeout_seconds));
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

// The JSON lines of a --json trace (stderr) whose "type" is `type`.
std::vector<nlohmann::json> json_lines(const std::string& err, const std::string& type) {
    std::vector<nlohmann::json> out;
    for (const auto& l : split_lines(err)) {
        auto j = nlohmann::json::parse(l, nullptr, false);
        if (j.is_object() && j.value("type", "") == type) out.push_back(std::move(j));
    }
    return out;
}

const std::string getppid_nr = std::to_string(SYS_getppid);

// A profile that allows everything but getppid, which gets `action`.
std::string kill_getppid(const TempDir& dir, const std::string& action) {
    return dir.write("kill-getppid.json",
                     R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"],
                        "action": ")" +
                         action + R"("}]})");
}

// The trace line of a getppid the kernel killed, from any thread.
std::regex killed_getppid(const std::string& action) {
    return std::regex(R"(getppid\(\) += \? <killed by seccomp: )" + action +
                      R"( by syscalls\[0\]>)");
}

std::vector<std::string> engine(bool results, std::vector<std::string> opts) {
    if (results) opts.insert(opts.begin(), "--results");
    return opts;
}

void own_errno_filter(Who who) {
    require_identity(who);
    // Control: the probe's own filter does answer ptrace with EPERM where the policy allows it.
    auto control = run_probe(who, {"-e", "trace=none"},
                             {"errno-filter", std::to_string(SYS_ptrace), "ptrace-traceme"});
    INFO(control.describe());
    REQUIRE(value_of(control.out, "errno-filter " + std::to_string(SYS_ptrace)) == "ok");
    REQUIRE(value_of(control.out, "ptrace-traceme") == "EPERM");

    // ERRNO outranks a supervisor's USER_NOTIF (and TRACE), but not the kernel's KILL.
    for (const bool results : {false, true})
        for (const std::string which : {std::to_string(SYS_ptrace), std::string("all")}) {
            auto r = run_probe(who, engine(results, {"--profile", "kill-ptrace"}),
                               {"errno-filter", which, "ptrace-traceme", "echo", "after"});
            INFO((results ? "--results, " : "notify, ") << "errno-filter " << which);
            INFO(r.describe());
            CHECK(r.exit_code == 159);
            CHECK(value_of(r.out, "errno-filter " + which) == "ok");
            CHECK_FALSE(has(r.out, "ptrace-traceme:"));
            CHECK_FALSE(has(r.out, "echo: after"));
            if (results)
                CHECK(has(r.err, "ptrace(PTRACE_TRACEME, 0, NULL, 0)      = ? <killed by seccomp: "
                                 "KILL_PROCESS by syscalls[0]>"));
        }
}

void thread_kills(Who who) {
    require_identity(who);
    TempDir dir("/var/tmp", 0755);
    for (const bool results : {false, true}) {
        INFO((results ? "--results" : "notify"));
        // SCMP_ACT_KILL is KILL_THREAD (libseccomp, runc): only the calling thread dies.
        for (const std::string action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD"}) {
            INFO(action);
            const std::string policy = kill_getppid(dir, action);
            auto r = run_probe(who, engine(results, {"--policy", policy}),
                               {"thread-syscall", getppid_nr, "echo", "after"});
            INFO(r.describe());
            CHECK(r.exit_code == 0);
            CHECK(value_of(r.out, "thread-syscall " + getppid_nr) == "joined");
            CHECK_FALSE(has(r.out, "in thread:")); // the thread said nothing: it died at the call
            CHECK(value_of(r.out, "echo") == "after");
            if (results) CHECK(std::regex_search(r.err, killed_getppid("KILL_THREAD")));

            // The last thread: its death is the process's, by SIGSYS.
            auto single = run_probe(who, engine(results, {"--policy", policy}),
                                    {"echo", "before", "syscall", getppid_nr, "echo", "after"});
            INFO(single.describe());
            CHECK(single.exit_code == 159);
            CHECK(value_of(single.out, "echo") == "before");
            CHECK_FALSE(has(single.out, "syscall " + getppid_nr + ":"));
            CHECK_FALSE(has(single.out, "echo: after"));
        }
        const std::string policy = kill_getppid(dir, "SCMP_ACT_KILL_PROCESS");
        auto p = run_probe(who, engine(results, {"--policy", policy}),
                           {"thread-syscall", getppid_nr, "echo", "after"});
        INFO(p.describe());
        CHECK(p.exit_code == 159);
        CHECK_FALSE(has(p.out, "joined"));
        CHECK_FALSE(has(p.out, "echo: after"));
        if (results) CHECK(std::regex_search(p.err, killed_getppid("KILL_PROCESS")));
    }
}

void reports(Who who) {
    require_identity(who);
    // notify: the kernel kills before the supervisor hears of the call; the rules are named.
    auto n = run_probe(who, {"--profile", "kill-ptrace"}, {"ptrace-traceme"});
    INFO(n.describe());
    CHECK(n.exit_code == 159);
    CHECK(has(n.err, "+++ killed by SIGSYS (seccomp KILL: syscalls[0]) +++"));
    CHECK(has(n.err, "killed by SIGSYS (seccomp KILL); exit status 159"));
    CHECK(has(n.err, "syscalls[0] KILL_PROCESS (ptrace, process_vm_readv, process_vm_writev)"));
    CHECK(has(n.err, "sandbox run --results shows it"));

    auto nj = run_probe(who, {"--json", "--profile", "kill-ptrace"}, {"ptrace-traceme"});
    INFO(nj.describe());
    const auto exits = json_lines(nj.err, "exit");
    REQUIRE(exits.size() == 1);
    CHECK(exits[0]["signal"] == "SIGSYS");
    CHECK(exits[0]["seccomp_kill"]["syscall"].is_null());
    CHECK(exits[0]["seccomp_kill"]["candidates"][0]["rule"] == "syscalls[0]");
    CHECK(exits[0]["seccomp_kill"]["candidates"][0]["action"] == "KILL_PROCESS");
    CHECK(exits[0]["seccomp_kill"]["candidates"][0]["syscalls"][0] == "ptrace");

    // --results: the exit stop shows the call, and the policy's own program names the rule.
    auto t = run_probe(who, {"--results", "--json", "-e", "trace=none", "--profile", "kill-ptrace"},
                       {"ptrace-traceme"});
    INFO(t.describe());
    CHECK(t.exit_code == 159);
    const auto calls = json_lines(t.err, "syscall");
    REQUIRE(calls.size() == 1);
    CHECK(calls[0]["syscall"] == "ptrace");
    CHECK(calls[0]["verdict"] == "killed");
    CHECK(calls[0]["rule"] == "syscalls[0]");
    CHECK(calls[0]["action"] == "KILL_PROCESS");
    CHECK(calls[0]["decoded"][0] == "PTRACE_TRACEME");
    const auto texits = json_lines(t.err, "exit");
    REQUIRE(texits.size() == 1);
    CHECK(texits[0]["seccomp_kill"]["syscall"] == "ptrace");
    CHECK(texits[0]["seccomp_kill"]["rule"] == "syscalls[0]");
    CHECK(has(t.err, "at ptrace(PTRACE_TRACEME, 0, NULL, 0): KILL_PROCESS by syscalls[0]"));
}

void audit(Who who) {
    require_identity(who);
    for (const bool results : {false, true}) {
        INFO((results ? "--results" : "notify"));
        auto r = run_probe(who, engine(results, {"--audit", "--profile", "kill-ptrace"}),
                           {"ptrace-traceme", "echo", "after"});
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        CHECK(has(r.out, "ptrace-traceme: ")); // it ran (the tracer's tracee gets EPERM)
        CHECK(value_of(r.out, "echo") == "after");
        CHECK(has(r.err, "<would deny: KILL_PROCESS by syscalls[0]>"));
        CHECK_FALSE(has(r.err, "killed"));
    }
}

void check_kill(Who who) {
    require_identity(who);
    auto a = testsupport::sandbox(
        sandbox_bin, who,
        {"check", "--profile", "kill-ptrace", "--json", "--", probe_bin, "ptrace-traceme"});
    INFO(a.describe());
    CHECK(a.exit_code == 1);
    auto aj = nlohmann::json::parse(a.err.substr(a.err.find('{')), nullptr, false);
    REQUIRE(aj.is_object());
    CHECK(aj["mode"] == "audit");
    CHECK(aj["exit_code"] == 0);
    CHECK(aj["seccomp_kill"].is_null()); // audit mode: nothing was killed
    CHECK(aj["verdict"] == "would-deny");
    CHECK(aj["would_deny"] == 1);
    CHECK(aj["denied"] == 0);
    REQUIRE(aj["syscalls"].size() == 1);
    CHECK(aj["syscalls"][0]["syscall"] == "ptrace");
    CHECK(aj["syscalls"][0]["action"] == "KILL_PROCESS");

    auto e = testsupport::sandbox(
        sandbox_bin, who,
        {"check", "--enforce", "--profile", "kill-ptrace", "--", probe_bin, "ptrace-traceme"});
    INFO(e.describe());
    CHECK(e.exit_code == 1);
    CHECK(has(e.err, "killed `" + probe_bin +
                         " ptrace-traceme` (exit status 159): killed by "
                         "SIGSYS (seccomp KILL)"));
    CHECK(has(e.err, "syscalls[0] KILL_PROCESS (ptrace, process_vm_readv, process_vm_writev)"));
}

// PID reuse: a supervisor that kept tid -> tgid from an earlier event would signal whatever
// process has that pid now (the "innocent") and let the offender's call fail with an errno. With
// host pids (--no-ns) the probe arranges exactly that; --json makes every logged call want its
// process.
void pid_reuse(Who who, bool results) {
    require_identity(who);
    std::vector<std::string> opts{"--no-ns",       "--json",    "-e",
                                  "trace=getppid", "--profile", "kill-ptrace"};
    auto r = run_probe(who, engine(results, opts), {"pid-reuse"}, 120);
    INFO(r.describe());
    const std::string v = value_of(r.out, "pid-reuse");
    if (has(v, "could not reuse"))
        skip_test("the probe could not get the pids it needs (a busy machine?): " + v);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 0);
    CHECK(has(v, "innocent untouched"));
    CHECK(has(v, "offender killed by SIGSYS"));
}

} // namespace

TEST_CASE("kill: a program's own ERRNO filter cannot undo a KILL, in both engines (current user)",
          "[integration][kill]") {
    own_errno_filter(Who::current);
}
TEST_CASE("kill: a program's own ERRNO filter cannot undo a KILL, in both engines (uid 65534)",
          "[integration][kill]") {
    own_errno_filter(Who::nobody);
}

TEST_CASE("kill: KILL_THREAD ends the thread, KILL_PROCESS and a last thread's KILL exit 159 "
          "(current user)",
          "[integration][kill]") {
    thread_kills(Who::current);
}
TEST_CASE("kill: KILL_THREAD ends the thread, KILL_PROCESS and a last thread's KILL exit 159 "
          "(uid 65534)",
          "[integration][kill]") {
    thread_kills(Who::nobody);
}

TEST_CASE("kill: --results logs the killed call with its rule - notify names the KILL rules "
          "(current user)",
          "[integration][kill]") {
    reports(Who::current);
}
TEST_CASE("kill: --results logs the killed call with its rule - notify names the KILL rules "
          "(uid 65534)",
          "[integration][kill]") {
    reports(Who::nobody);
}

TEST_CASE("kill: --audit kills nothing and logs would deny, in both engines (current user)",
          "[integration][kill]") {
    audit(Who::current);
}
TEST_CASE("kill: --audit kills nothing and logs would deny, in both engines (uid 65534)",
          "[integration][kill]") {
    audit(Who::nobody);
}

TEST_CASE("kill: check reports a KILL as would deny, and with --enforce the kill (current user)",
          "[integration][kill]") {
    check_kill(Who::current);
}
TEST_CASE("kill: check reports a KILL as would deny, and with --enforce the kill (uid 65534)",
          "[integration][kill]") {
    check_kill(Who::nobody);
}

TEST_CASE("kill: after PID reuse only the offender dies and the run ends (current user)",
          "[integration][kill]") {
    pid_reuse(Who::current, false);
}
TEST_CASE("kill: after PID reuse only the offender dies and the run ends (uid 65534)",
          "[integration][kill]") {
    pid_reuse(Who::nobody, false);
}
TEST_CASE("kill: after PID reuse only the offender dies, ptrace engine (current user)",
          "[integration][kill]") {
    pid_reuse(Who::current, true);
}
