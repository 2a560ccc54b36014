// SPDX-License-Identifier: Apache-2.0
// Integration tests for `sandbox check` and `sandbox policy record`, and for the bundled profiles
// written for them (runtime-default, audit, violation, no-network): the built binary on coreutils
// and the probe helper, as the current user.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using testsupport::require_identity;
using testsupport::RunResult;
using testsupport::value_of;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);

// A temporary directory (outside the sandbox: sandbox itself writes the profiles there).
struct HostTempDir : testsupport::TempDir {
    HostTempDir() : TempDir(std::filesystem::temp_directory_path().string(), 0700) {}
};

RunResult sandbox(std::vector<std::string> args) {
    return testsupport::sandbox(sandbox_bin, Who::current, std::move(args));
}

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

std::vector<std::string> allowed_names(const nlohmann::json& profile) {
    for (const auto& r : profile["syscalls"])
        if (r["action"] == "SCMP_ACT_ALLOW") return r["names"].get<std::vector<std::string>>();
    return {};
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST_CASE("record ls, then check it: ls passes, mkdir is named with its rule (acceptance)",
          "[check][record]") {
    require_identity(Who::current);
    HostTempDir dir;
    const std::string p = dir / "p.json";
    RunResult rec = sandbox({"policy", "record", "-o", p, "--", "ls", "/"});
    INFO(rec.describe());
    REQUIRE(rec.exit_code == 0);
    CHECK(rec.out.find("usr") != std::string::npos); // the command's own output passes through

    const nlohmann::json profile = read_json(p);
    CHECK(profile["defaultAction"] == "SCMP_ACT_ERRNO");
    CHECK(profile["defaultErrnoRet"] == 1);
    CHECK(profile["architectures"][0] == "SCMP_ARCH_X86_64");
    const auto names = allowed_names(profile);
    CHECK(std::is_sorted(names.begin(), names.end()));
    for (const char* n : {"execve", "openat", "getdents64", "write", "futex", "close"})
        CHECK(contains(names, n));
    CHECK_FALSE(contains(names, "mkdir"));
    bool clone3_enosys = false;
    for (const auto& r : profile["syscalls"])
        if (r["names"] == nlohmann::json::array({"clone3"}))
            clone3_enosys = r["action"] == "SCMP_ACT_ERRNO" && r["errnoRet"] == 38;
    CHECK(clone3_enosys);

    RunResult ok = sandbox({"check", "--policy", p, "--", "ls", "/"});
    INFO(ok.describe());
    CHECK(ok.exit_code == 0);
    CHECK(ok.err.find("denies nothing") != std::string::npos);

    RunResult bad = sandbox({"check", "--policy", p, "--", "mkdir", "/tmp/d"});
    INFO(bad.describe());
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("mkdir") != std::string::npos);
    CHECK(bad.err.find("defaultAction") != std::string::npos);
    CHECK(bad.err.find("ERRNO(EPERM)") != std::string::npos);
    CHECK(bad.err.find("mkdir(\"/tmp/d\", 0777)") != std::string::npos);
}

TEST_CASE("a recorded command runs under its profile with the same outcome", "[record]") {
    require_identity(Who::current);
    HostTempDir dir;
    const std::string p = dir / "probe.json";
    const std::vector<std::string> cmd{probe_bin, "mkdir",  "/tmp/x", "socket-unix",
                                       "thread",  "clone3", "exit",   "3"};
    std::vector<std::string> rec_args{"policy", "record", "-o", p, "--"};
    rec_args.insert(rec_args.end(), cmd.begin(), cmd.end());
    RunResult rec = sandbox(rec_args);
    INFO(rec.describe());
    REQUIRE(rec.exit_code == 3); // record returns the command's own status

    std::vector<std::string> run_args{"run", "-e", "trace=none", "--policy", p, "--"};
    run_args.insert(run_args.end(), cmd.begin(), cmd.end());
    RunResult run = sandbox(run_args);
    INFO(run.describe());
    CHECK(run.exit_code == rec.exit_code);
    CHECK(run.out == rec.out);

    std::vector<std::string> check_args{"check", "--policy", p, "--"};
    check_args.insert(check_args.end(), cmd.begin(), cmd.end());
    CHECK(sandbox(check_args).exit_code == 0);
}

TEST_CASE("record --append merges a second command into the profile", "[record]") {
    require_identity(Who::current);
    HostTempDir dir;
    const std::string p = dir / "p.json";
    REQUIRE(sandbox({"policy", "record", "-o", p, "--", "true"}).exit_code == 0);
    CHECK(sandbox({"check", "--policy", p, "--", "mkdir", "/tmp/d"}).exit_code == 1);
    RunResult app = sandbox({"policy", "record", "--append", "-o", p, "--", "mkdir", "/tmp/d"});
    INFO(app.describe());
    REQUIRE(app.exit_code == 0);
    const auto names = allowed_names(read_json(p));
    CHECK(contains(names, "mkdir"));
    CHECK(contains(names, "execve"));
    CHECK(sandbox({"check", "--policy", p, "--", "mkdir", "/tmp/d"}).exit_code == 0);
    CHECK(sandbox({"check", "--policy", p, "--", "true"}).exit_code == 0);
    // one clone3 rule, not two
    int clone3_rules = 0;
    const nlohmann::json merged = read_json(p);
    for (const auto& r : merged["syscalls"])
        if (r["names"] == nlohmann::json::array({"clone3"})) ++clone3_rules;
    CHECK(clone3_rules == 1);

    // --append into an allow-by-default profile is refused
    const std::string allow = dir / "allow.json";
    std::ofstream(allow) << R"({"defaultAction": "SCMP_ACT_ALLOW"})";
    RunResult refused = sandbox({"policy", "record", "--append", "-o", allow, "--", "true"});
    CHECK(refused.exit_code == 122);
}

TEST_CASE("check --json, --enforce, -o and its usage errors", "[check]") {
    require_identity(Who::current);
    HostTempDir dir;
    RunResult j = sandbox({"check", "--profile", "deny-mkdir", "--json", "-o", dir / "r.json", "--",
                           probe_bin, "mkdir", "/tmp/a", "mkdir", "/tmp/b"});
    INFO(j.describe());
    CHECK(j.exit_code == 1);
    CHECK(value_of(j.out, "mkdir /tmp/a") == "ok"); // audit mode: nothing denied
    const nlohmann::json report = read_json(dir / "r.json");
    CHECK(report["mode"] == "audit");
    REQUIRE(report["syscalls"].size() == 1);
    const auto& row = report["syscalls"][0];
    CHECK(row["syscall"] == "mkdir");
    CHECK(row["calls"] == 2);
    CHECK(row["rule"] == "syscalls[0]");
    CHECK(row["errno"] == "EPERM");
    CHECK(row["decoded"][0] == "/tmp/a");
    CHECK(report["verdict"] == "would-deny");
    CHECK(report["would_deny"] == 2);
    CHECK(report["denied"] == 0);

    RunResult e = sandbox({"check", "--enforce", "--profile", "deny-mkdir", "--", probe_bin,
                           "mkdir", "/tmp/a", "touch", "/tmp/b"});
    INFO(e.describe());
    CHECK(e.exit_code == 1);
    CHECK(value_of(e.out, "mkdir /tmp/a") == "EPERM");
    CHECK(value_of(e.out, "touch /tmp/b") == "ok");
    CHECK(e.err.find("denied 1 syscall") != std::string::npos);

    CHECK(sandbox({"check", "--", "true"}).exit_code == 121);              // no policy
    CHECK(sandbox({"check", "--profile", "deny-mkdir"}).exit_code == 121); // no command
    CHECK(sandbox({"check", "--profile", "deny-mkdir", "-c", "--", "true"}).exit_code == 121);
    CHECK(sandbox({"check", "--profile", "no-such", "--", "true"}).exit_code == 122);
    CHECK(sandbox({"check", "--profile", "deny-mkdir", "--", "/no/such"}).exit_code == 127);
    CHECK(sandbox({"policy", "record", "--", "true"}).exit_code == 121); // no -o
}

TEST_CASE("bundled profiles: no-network, audit, violation, runtime-default", "[profiles]") {
    require_identity(Who::current);
    auto probe = [](const std::string& profile, std::vector<std::string> actions) {
        std::vector<std::string> args{"run",   "-e", "trace=none", "--profile",
                                      profile, "--", probe_bin};
        args.insert(args.end(), actions.begin(), actions.end());
        return sandbox(args);
    };
    RunResult nn = probe("no-network", {"socket-unix", "socket-inet", "socket-inet6"});
    INFO(nn.describe());
    CHECK(value_of(nn.out, "socket-unix") == "ok");
    CHECK(value_of(nn.out, "socket-inet") == "EACCES");
    CHECK(value_of(nn.out, "socket-inet6") == "EACCES");

    RunResult au = probe("audit", {"mkdir", "/tmp/x", "socket-inet", "ptrace-traceme"});
    INFO(au.describe());
    CHECK(value_of(au.out, "mkdir /tmp/x") == "ok");
    CHECK(value_of(au.out, "socket-inet") == "ok");

    RunResult rd = probe("runtime-default",
                         {"mkdir", "/tmp/x", "socket-inet", "socket-unix", "thread", "clone3",
                          "syscall", "272", "syscall", "165", "io-uring-setup", "exit", "0"});
    INFO(rd.describe());
    CHECK(rd.exit_code == 0);
    CHECK(value_of(rd.out, "mkdir /tmp/x") == "ok");
    CHECK(value_of(rd.out, "socket-inet") == "ok");
    CHECK(value_of(rd.out, "thread") == "ok");
    CHECK(value_of(rd.out, "clone3") == "ENOSYS");
    CHECK(value_of(rd.out, "syscall 272") == "EPERM"); // unshare: CAP_SYS_ADMIN only
    CHECK(value_of(rd.out, "syscall 165") == "EPERM"); // mount: CAP_SYS_ADMIN only
    CHECK(value_of(rd.out, "io-uring-setup") == "EPERM");

    // violation denies everything, execve included: the command never starts
    RunResult vi = probe("violation", {"echo", "started"});
    INFO(vi.describe());
    CHECK(vi.exit_code != 0);
    CHECK(vi.out.find("started") == std::string::npos);

    for (const char* name : {"runtime-default", "audit", "violation", "no-network"}) {
        RunResult v = sandbox({"policy", "validate", "--strict", "--profile", name});
        INFO(v.describe());
        CHECK(v.exit_code == 0);
        if (std::string(name) == "violation") // rule-less on purpose, and it says what it does
            CHECK(v.err.find("no rules: every syscall gets defaultAction SCMP_ACT_ERRNO") !=
                  std::string::npos);
        else
            CHECK(v.err.find("warning") == std::string::npos);
    }
}
