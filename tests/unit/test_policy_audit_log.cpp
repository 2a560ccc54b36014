// SPDX-License-Identifier: Apache-2.0
// policy audit-log: SECCOMP audit records (type=1326) parsed as data, named by libseccomp, and
// judged by a compiled policy.
#include <catch2/catch.hpp>

#include "support/source_dir.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <linux/seccomp.h>

#include "policy/audit_log.hpp"
#include "policy/load.hpp"
#include "report/policy_tools.hpp"
#include "util/arch.hpp"

namespace {

const char* kDmesg =
    "[12345.678901] audit: type=1326 audit(1700000000.123:42): auid=4294967295 uid=0 gid=0 "
    "ses=4294967295 subj=unconfined pid=1234 comm=\"mkdir\" exe=\"/usr/bin/mkdir\" sig=0 "
    "arch=c000003e syscall=83 compat=0 ip=0x7f1234567890 code=0x50000";

policy::AuditLog fixture_log() {
    std::ifstream in(testsupport::source_dir() + "/tests/fixtures/seccomp-audit.log");
    REQUIRE(in);
    return policy::parse_audit_log(in);
}

} // namespace

TEST_CASE("audit-log: the action names of code", "[policy][audit]") {
    CHECK(policy::audit_action_name(0x7ffc0000) == "LOG");
    CHECK(policy::audit_action_name(0x50000) == "ERRNO");
    CHECK(policy::audit_action_name(0x50001) == "ERRNO(EPERM)");
    CHECK(policy::audit_action_name(0x80000000) == "KILL_PROCESS");
    CHECK(policy::audit_action_name(0) == "KILL_THREAD");
    CHECK(policy::audit_action_name(0x30000) == "TRAP");
    CHECK(policy::audit_action_name(0x7fc00000) == "NOTIFY");
    CHECK(policy::audit_action_name(0x7ff00000) == "TRACE");
    CHECK(policy::audit_action_name(0x7fff0000) == "ALLOW");
}

TEST_CASE("audit-log: a dmesg line becomes a record with the syscall's name", "[policy][audit]") {
    const auto r = policy::parse_audit_line(kDmesg, 7);
    REQUIRE(r.has_value());
    CHECK(r->line == 7);
    CHECK(r->timestamp == "1700000000.123");
    CHECK(r->serial == "42");
    CHECK(r->pid == 1234);
    CHECK(r->uid == 0);
    CHECK(r->comm == "mkdir");
    CHECK(r->exe == "/usr/bin/mkdir");
    CHECK(r->arch == 0xc000003eU);
    CHECK(r->arch_name == "SCMP_ARCH_X86_64");
    CHECK(r->nr == 83);
    CHECK(r->syscall == "mkdir");
    CHECK(r->code == 0x50000U);
    CHECK(r->action == "ERRNO");
}

TEST_CASE("audit-log: an x32 call is named by the x32 table", "[policy][audit]") {
    // The kernel reports an x32 call as x86-64 with bit 30 of the number set: 0x40000053 is
    // mkdir on x32.
    const std::string line =
        "[12.5] audit: type=1326 audit(1700000000.5:7): auid=0 uid=0 gid=0 ses=1 pid=9 "
        "comm=\"m\" exe=\"/m\" sig=0 arch=c000003e syscall=1073741907 compat=0 ip=0x1 "
        "code=0x7ffc0000";
    const auto r = policy::parse_audit_line(line, 1);
    REQUIRE(r.has_value());
    CHECK(r->arch == 0xc000003eU);
    CHECK(r->arch_name == "SCMP_ARCH_X32");
    CHECK(r->nr == 0x40000053);
    CHECK(r->syscall == "mkdir");
}

TEST_CASE("audit-log: audit.log, journal and ausearch -i spellings", "[policy][audit]") {
    const auto log = fixture_log();
    CHECK(log.lines == 5);
    CHECK(log.skipped == 2); // type=SYSCALL and an unrelated kernel line
    REQUIRE(log.records.size() == 3);
    CHECK(log.records[1].syscall == "ptrace");
    CHECK(log.records[1].action == "KILL_PROCESS");
    CHECK(log.records[1].signal == 31);
    CHECK(log.records[2].comm == "my tool"); // hex-encoded by audit
    CHECK(log.records[2].arch_name == "SCMP_ARCH_X86");
    CHECK(log.records[2].syscall == "open"); // 5 on i386
    CHECK(log.records[2].action == "LOG");

    const auto interpreted = policy::parse_audit_line(
        "type=SECCOMP msg=audit(11/14/2023 22:13:20.123:42) : auid=unset uid=root pid=1234 "
        "comm=mkdir exe=/usr/bin/mkdir sig=0 arch=x86_64 syscall=mkdir compat=0 ip=0x7f "
        "code=errno");
    REQUIRE(interpreted.has_value());
    CHECK(interpreted->arch_name == "SCMP_ARCH_X86_64");
    CHECK(interpreted->syscall == "mkdir");
    CHECK(interpreted->nr == 83);
    CHECK(interpreted->action == "errno");
    CHECK(interpreted->timestamp == "11/14/2023 22:13:20.123");

    CHECK_FALSE(policy::parse_audit_line("audit: type=13260 audit(1.2:3): x=1").has_value());
    CHECK_FALSE(policy::parse_audit_line("").has_value());
}

TEST_CASE("audit-log: a policy names the rule behind each verdict", "[policy][audit]") {
    if (std::string(util::arch::native().profile_name) != "SCMP_ARCH_X86_64") return;
    auto log = fixture_log();
    const auto p = policy::load_bundled("deny-mkdir");
    policy::judge(log, policy::compile(p, policy::CompileContext::for_this_kernel({}, false)));
    REQUIRE(log.records[0].verdict.has_value());
    CHECK(log.records[0].verdict->rule == "syscalls[0]");
    CHECK(log.records[0].verdict->ret == (SECCOMP_RET_ERRNO | 1U));
    CHECK(log.records[0].verdict_matches);
    CHECK_FALSE(log.records[0].depends_on_arguments);
    CHECK_FALSE(log.records[1].verdict_matches); // deny-mkdir allows ptrace: another profile

    std::istringstream curl("audit: type=1326 audit(1.0:1): pid=1 comm=\"curl\" sig=0 "
                            "arch=c000003e syscall=41 code=0x50000\n");
    auto sockets = policy::parse_audit_log(curl);
    policy::judge(sockets, policy::compile(policy::load_bundled("deny-network"),
                                           policy::CompileContext::for_this_kernel({}, false)));
    REQUIRE(sockets.records.size() == 1);
    CHECK(sockets.records[0].depends_on_arguments);

    const std::string text = report::audit_log_text(log, true);
    CHECK(text.find("2023-11-14 22:13:20.123") != std::string::npos);
    CHECK(text.find("ERRNO(EPERM) by syscalls[0]") != std::string::npos);
    CHECK(text.find("3 SECCOMP records; 2 other lines skipped") != std::string::npos);
}
