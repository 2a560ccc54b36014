// SPDX-License-Identifier: Apache-2.0
// Real runtimes as the reference: the probe helper runs under runc (an OCI bundle whose
// linux.seccomp is the profile) and under `sandbox run --policy` with the same profile, and the
// answer of each probed syscall must be the same. Skipped, with the reason, where runc is not
// installed or cannot start a container here.
#include "support/files.hpp"
#include "support/kernel_log.hpp"
#include "support/process.hpp"
#include "support/runc.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using testsupport::answers;
using testsupport::as_runtime_sees_it;
using testsupport::Bundle;
using testsupport::RunResult;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);
const std::string source_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR);

const std::vector<std::string> kActions = {
    "mkdir",       "/tmp/x",      "touch",        "/tmp/y", "open-read", "/etc/hostname",
    "socket-unix", "socket-inet", "socket-inet6", "thread", "clone3",    "io-uring-setup",
    "syscall",     "272",  // unshare(0): CAP_SYS_ADMIN-gated in runtime-default
    "syscall",     "169"}; // reboot(0, ...): CAP_SYS_BOOT-gated
// (No ptrace-traceme here: under runc the probe would become a tracee of a runc process that never
// waits for it, and the first signal would leave it stopped forever. kill-ptrace covers ptrace.)

void compare(Bundle& bundle, const std::string& name, const nlohmann::json& profile,
             const std::string& profile_file) {
    std::vector<std::string> argv{probe_bin};
    argv.insert(argv.end(), kActions.begin(), kActions.end());
    RunResult under_runc = bundle.run(argv, as_runtime_sees_it(profile));

    std::vector<std::string> sb{sandbox_bin, "run",        "-e", "trace=none",
                                "--policy",  profile_file, "--"};
    sb.insert(sb.end(), argv.begin(), argv.end());
    RunResult under_sandbox = testsupport::run(sb);

    INFO("profile " << name);
    INFO("runc: " << under_runc.describe());
    INFO("sandbox: " << under_sandbox.describe());
    const auto a = answers(under_runc.out);
    const auto b = answers(under_sandbox.out);
    REQUIRE(a.size() > 5);
    for (const auto& [label, value] : a) {
        INFO(label);
        CHECK(b.count(label) == 1);
        if (b.count(label) != 0) CHECK(b.at(label) == value);
    }
    CHECK(a.size() == b.size());
    CHECK(under_runc.exit_code == under_sandbox.exit_code);
}

nlohmann::json load(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

} // namespace

TEST_CASE("runc and sandbox give the probe the same answers under the same profiles", "[runc]") {
    const auto holder = testsupport::require_runc(probe_bin);
    Bundle* bundle = holder.get();
    for (const char* name :
         {"baseline", "deny-mkdir", "deny-network", "no-network", "runtime-default", "audit"}) {
        const std::string file = source_dir + "/policies/" + name + ".json";
        compare(*bundle, name, load(file), file);
    }
}

TEST_CASE("runc and sandbox kill the same thread or process for each KILL action", "[runc][kill]") {
    const auto holder = testsupport::require_runc(probe_bin);
    Bundle* bundle = holder.get();
    const std::string getppid = std::to_string(SYS_getppid);
    testsupport::TempDir dir("/var/tmp", 0755);
    for (const char* action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS"}) {
        const nlohmann::json profile = {
            {"defaultAction", "SCMP_ACT_ALLOW"},
            {"syscalls", {{{"names", {"getppid"}}, {"action", action}}}}};
        const std::string file = dir.write("kill.json", profile.dump());
        // From a second thread (the main thread goes on if only the thread dies), and alone.
        for (const auto& actions : std::vector<std::vector<std::string>>{
                 {"thread-syscall", getppid, "echo", "after"},
                 {"echo", "before", "syscall", getppid, "echo", "after"}}) {
            std::vector<std::string> argv{probe_bin};
            argv.insert(argv.end(), actions.begin(), actions.end());
            RunResult under_runc = bundle->run(argv, profile);
            std::vector<std::string> sb{sandbox_bin, "run", "-e", "trace=none",
                                        "--policy",  file,  "--"};
            sb.insert(sb.end(), argv.begin(), argv.end());
            RunResult under_sandbox = testsupport::run(sb);
            INFO(action << " " << actions[0]);
            INFO("runc: " << under_runc.describe());
            INFO("sandbox: " << under_sandbox.describe());
            CHECK(under_runc.exit_code == under_sandbox.exit_code);
            CHECK(answers(under_runc.out) == answers(under_sandbox.out));
        }
    }
}

TEST_CASE("runc starts a command under the profile sandbox recorded for it", "[runc][record]") {
    const auto holder = testsupport::require_runc(probe_bin);
    Bundle* bundle = holder.get();
    std::string tmpl = (fs::temp_directory_path() / "sbx-rec-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    const std::string file = tmpl + "/probe.json";
    std::vector<std::string> argv{probe_bin, "mkdir",       "/tmp/x",    "socket-unix",
                                  "thread",  "socket-inet", "open-read", "/etc/hostname"};
    std::vector<std::string> rec{sandbox_bin, "policy", "record", "-o", file, "--"};
    rec.insert(rec.end(), argv.begin(), argv.end());
    RunResult r = testsupport::run(rec);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    // The recorded profile must hold what runc calls after installing it (policies/README.md).
    for (bool nnp : {true, false}) {
        INFO("noNewPrivileges " << nnp);
        RunResult under_runc = bundle->run(argv, load(file), nnp);
        INFO(under_runc.describe());
        CHECK(under_runc.exit_code == 0);
        CHECK(answers(under_runc.out) == answers(r.out));
    }
    // And without the runtime's share, runc fails to start it: the list is needed.
    nlohmann::json bare = load(file);
    bare["syscalls"] = nlohmann::json::array(
        {{{"names", {"execve", "exit_group"}}, {"action", "SCMP_ACT_ALLOW"}}});
    RunResult bare_run = bundle->run(argv, bare);
    INFO(bare_run.describe());
    CHECK(bare_run.exit_code != 0);
    std::error_code ec;
    fs::remove_all(tmpl, ec);
}

TEST_CASE("runc and sandbox leave the same kernel audit records for the calls a profile LOGs",
          "[runc][audit]") {
    testsupport::KernelLog log;
    const auto holder = testsupport::require_runc(probe_bin);
    testsupport::TempDir dir("/var/tmp", 0755);
    const nlohmann::json profile = {
        {"defaultAction", "SCMP_ACT_ALLOW"},
        {"syscalls", {{{"names", {"getppid", "getpid"}}, {"action", "SCMP_ACT_LOG"}}}}};
    const std::string file = dir.write("log.json", profile.dump());
    const std::vector<std::string> argv{probe_bin, "syscall", std::to_string(SYS_getppid),
                                        "syscall", std::to_string(SYS_getpid)};
    const auto both = [](const testsupport::KernelLog::Records& r) {
        return testsupport::seccomp_records(r, probe_bin, SYS_getppid) > 0 &&
               testsupport::seccomp_records(r, probe_bin, SYS_getpid) > 0;
    };
    RunResult under_runc;
    const auto runc_records =
        log.records_of([&] { under_runc = holder->run(argv, profile); }, both);
    INFO(under_runc.describe());
    REQUIRE(under_runc.exit_code == 0);
    std::vector<std::string> sb{sandbox_bin, "run", "--policy", file, "--"};
    sb.insert(sb.end(), argv.begin(), argv.end());
    RunResult under_sandbox;
    const auto sandbox_records =
        log.records_of([&] { under_sandbox = testsupport::run(sb); }, both);
    INFO(under_sandbox.describe());
    REQUIRE(under_sandbox.exit_code == 0);
    for (long nr : {long{SYS_getppid}, long{SYS_getpid}}) {
        INFO("syscall " << nr);
        CHECK(testsupport::seccomp_records(runc_records, probe_bin, nr) == 1);
        CHECK(testsupport::seccomp_records(sandbox_records, probe_bin, nr) == 1);
    }
}
