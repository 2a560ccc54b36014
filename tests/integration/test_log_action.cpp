// SPDX-License-Identifier: Apache-2.0
// SCMP_ACT_LOG is the kernel's: a call the profile LOGs runs in the kernel, which writes its audit
// record (type=1326, code=0x7ffc0000) as on a node, and the workflow the kubernetes.io tutorial
// teaches (`sandbox run --profile audit -- CMD; dmesg | sandbox policy audit-log`) finds it.
// Naming the call in -e trace= trades the record for a trace line. Skipped unless the kernel log
// is readable here (root, /dev/kmsg) and the kernel logs LOG actions (actions_logged). The same
// records under runc: test_runc.cpp.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/kernel_log.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <sys/syscall.h>
#include <vector>

namespace {

using testsupport::KernelLog;
using testsupport::RunResult;
using testsupport::seccomp_records;
using testsupport::TempDir;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);

RunResult run_probe(std::vector<std::string> run_opts, std::vector<std::string> actions) {
    return testsupport::sandbox(sandbox_bin, Who::current,
                                testsupport::probe_run_args(probe_bin, run_opts, actions),
                                testsupport::timeout(60));
}

} // namespace

TEST_CASE("SCMP_ACT_LOG leaves the kernel's audit record - -e trace= naming the call trades it",
          "[integration][audit]") {
    KernelLog log;
    TempDir dir("/var/tmp", 0755);
    const std::string profile =
        dir.write("log.json", R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
            {"names": ["getppid", "getpid"], "action": "SCMP_ACT_LOG"}]})");
    const std::vector<std::string> calls{"syscall", std::to_string(SYS_getppid), "syscall",
                                         std::to_string(SYS_getpid)};
    const auto has_getpid = [](const KernelLog::Records& r) {
        return seccomp_records(r, probe_bin, SYS_getpid) > 0;
    };
    RunResult r;
    // Traced (the default mode), -e trace=none, --results, -c: the kernel logs both calls.
    for (const std::vector<std::string>& mode :
         std::vector<std::vector<std::string>>{{}, {"-e", "trace=none"}, {"--results"}, {"-c"}}) {
        std::vector<std::string> opts = mode;
        opts.insert(opts.end(), {"--policy", profile});
        const auto records = log.records_of([&] { r = run_probe(opts, calls); }, has_getpid);
        INFO(r.describe());
        INFO("records: " << records.size());
        REQUIRE(r.exit_code == 0);
        CHECK(r.err.find("the profile LOGs getpid, getppid") != std::string::npos);
        CHECK(seccomp_records(records, probe_bin, SYS_getppid) == 1);
        CHECK(seccomp_records(records, probe_bin, SYS_getpid) == 1);
    }
    // Named in -e trace=: a trace line, a warning, and no record for that call.
    auto records = log.records_of(
        [&] {
            r = run_probe({"-e", "trace=getppid", "--policy", profile}, calls);
        },
        has_getpid);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("getppid()") != std::string::npos);
    CHECK(r.err.find("the profile may LOG getppid, but sandbox handles it") != std::string::npos);
    CHECK(r.err.find("the profile LOGs getpid:") != std::string::npos);
    CHECK(seccomp_records(records, probe_bin, SYS_getppid) == 0);
    CHECK(seccomp_records(records, probe_bin, SYS_getpid) == 1);
    // Control: without a LOG profile, no record.
    records = log.records_within([&] { r = run_probe({}, calls); });
    REQUIRE(r.exit_code == 0);
    CHECK(seccomp_records(records, probe_bin, SYS_getpid) == 0);
    CHECK(r.err.find("the profile LOGs") == std::string::npos);
}
