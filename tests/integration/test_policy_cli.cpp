// SPDX-License-Identifier: Apache-2.0
// Integration tests for `sandbox policy ...` and the top-level help: they run the built binary and
// check exit codes, text and JSON output. No namespaces are needed, so nothing here skips.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using testsupport::RunResult;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string policies_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR) + "/policies";

const std::set<std::string> bundled = {"baseline", "deny-mkdir", "deny-network", "kill-ptrace"};

RunResult sandbox(std::vector<std::string> args) {
    return testsupport::sandbox(sandbox_bin, Who::current, std::move(args),
                                testsupport::timeout(30));
}

// The bundled profile files in the source tree, sorted.
std::vector<std::string> profile_files() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(policies_dir))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

json parse_json(const RunResult& r) {
    try {
        return json::parse(r.out);
    } catch (const json::exception& e) {
        FAIL("stdout is not JSON (" << e.what() << "):\n" << r.describe());
    }
    return {};
}

const json* find_syscall(const json& explained, const std::string& name) {
    for (const auto& s : explained.at("syscalls"))
        if (s.at("syscall") == name) return &s;
    return nullptr;
}

// A profile file in a fresh directory under /var/tmp, removed at scope exit.
class TempProfile {
public:
    explicit TempProfile(const std::string& text) : path_(dir_.write("profile.json", text)) {}
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    testsupport::TempDir dir_{"/var/tmp", 0755};
    std::string path_;
};

// Lines of explain's text table that start with the syscall's name.
std::vector<std::string> table_rows(const std::string& out, const std::string& name) {
    std::vector<std::string> rows;
    size_t pos = 0;
    while (pos < out.size()) {
        size_t end = out.find('\n', pos);
        if (end == std::string::npos) end = out.size();
        std::string line = out.substr(pos, end - pos);
        std::string trimmed = line.substr(std::min(line.find_first_not_of(' '), line.size()));
        if (trimmed.rfind(name + " ", 0) == 0) rows.push_back(line);
        pos = end + 1;
    }
    return rows;
}

} // namespace

TEST_CASE("policy validate: every bundled profile file is valid", "[integration]") {
    auto files = profile_files();
    std::set<std::string> names;
    for (const auto& f : files) names.insert(std::filesystem::path(f).stem().string());
    CHECK(std::includes(names.begin(), names.end(), bundled.begin(), bundled.end()));
    for (const auto& f : files) {
        auto r = sandbox({"policy", "validate", f});
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("valid") != std::string::npos);
        CHECK(r.out.find("invalid") == std::string::npos);
    }
}

TEST_CASE("policy validate --json: every bundled profile reports valid true", "[integration]") {
    for (const auto& f : profile_files()) {
        auto r = sandbox({"policy", "validate", "--json", f});
        INFO(r.describe());
        REQUIRE(r.exit_code == 0);
        json j = parse_json(r);
        CHECK(j.at("valid") == true);
        CHECK(j.at("source") == f);
        CHECK(j.at("warnings").is_array());
        CHECK(j.at("instructions").get<int>() > 0);
        CHECK(j.at("instructions").get<int>() <= 4096);
    }
}

TEST_CASE("policy validate --profile NAME accepts every bundled name", "[integration]") {
    for (const auto& name : bundled) {
        auto r = sandbox({"policy", "validate", "--profile", name});
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("valid") != std::string::npos);
    }
    auto unknown = sandbox({"policy", "validate", "--profile", "no-such-profile"});
    INFO(unknown.describe());
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.err.find("no-such-profile") != std::string::npos);
}

TEST_CASE("policy validate: a broken profile exits 122 naming the key, text and JSON",
          "[integration]") {
    struct Case {
        const char* what;
        std::string json_text;
        std::string key;
    };
    const std::vector<Case> cases = {
        {"truncated JSON", R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [)", "line 1 column"},
        {"unknown action",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_FOO"}]})",
         "syscalls[0].action"},
        {"args index 6",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 2, "op": "SCMP_CMP_EQ"}]}]})",
         "syscalls[0].args[0].index"},
        {"errnoRet 5000",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000}]})",
         "errnoRet"},
        {"NOTIFY as defaultAction", R"({"defaultAction": "SCMP_ACT_NOTIFY"})", "defaultAction"},
        {"names not a list",
         R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "mkdir", "action": "SCMP_ACT_ERRNO"}]})",
         "syscalls[0].names"},
    };
    for (const auto& c : cases) {
        TempProfile p(c.json_text);
        INFO(c.what);
        auto text = sandbox({"policy", "validate", p.path()});
        INFO(text.describe());
        CHECK(text.exit_code == 122);
        CHECK(text.err.find(c.key) != std::string::npos);

        auto js = sandbox({"policy", "validate", "--json", p.path()});
        INFO(js.describe());
        CHECK(js.exit_code == 122);
        json j = parse_json(js);
        CHECK(j.at("valid") == false);
        CHECK(j.at("error").get<std::string>().find(c.key) != std::string::npos);
    }
}

TEST_CASE("policy validate: unknown syscall names warn, --strict makes them errors",
          "[integration]") {
    TempProfile p(
        R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["no_such_syscall_x", "mkdir"], "action": "SCMP_ACT_ALLOW"}]})");
    auto lax = sandbox({"policy", "validate", "--json", p.path()});
    INFO(lax.describe());
    CHECK(lax.exit_code == 0);
    json j = parse_json(lax);
    CHECK(j.at("valid") == true);
    REQUIRE(j.at("warnings").size() == 1);
    CHECK(j.at("warnings")[0].get<std::string>().find("no_such_syscall_x") != std::string::npos);

    auto strict = sandbox({"policy", "validate", "--strict", p.path()});
    INFO(strict.describe());
    CHECK(strict.exit_code == 122);
    CHECK(strict.err.find("syscalls[0].names[0]") != std::string::npos);
}

TEST_CASE("policy validate: a profile that allows io_uring gets a warning", "[integration]") {
    for (const std::string default_action : {"SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW"}) {
        TempProfile p(
            R"({"defaultAction": ")" + default_action +
            R"(", "syscalls": [{"names": ["io_uring_setup", "read", "write"], "action": "SCMP_ACT_ALLOW"}]})");
        auto r = sandbox({"policy", "validate", "--json", p.path()});
        INFO(default_action);
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        json j = parse_json(r);
        bool warned = false;
        for (const auto& w : j.at("warnings"))
            if (w.get<std::string>().find("io_uring_setup") != std::string::npos) warned = true;
        CHECK(warned);
    }
}

TEST_CASE("policy explain: deny-mkdir lists mkdir and mkdirat with the pseudo-code",
          "[integration]") {
    auto r = sandbox({"policy", "explain", policies_dir + "/deny-mkdir.json"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    for (const std::string name : {"mkdir", "mkdirat"}) {
        auto rows = table_rows(r.out, name);
        INFO(name);
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].find("ERRNO(EPERM)") != std::string::npos);
        CHECK(rows[0].find("syscalls[0]") != std::string::npos);
    }
    CHECK(table_rows(r.out, "getpid").empty()); // only what differs from the default, without --all
    CHECK(r.out.find("pseudo filter code start") != std::string::npos);
    CHECK(r.out.find("action ERRNO(1);") != std::string::npos);

    auto no_pfc = sandbox({"policy", "explain", "--no-pfc", policies_dir + "/deny-mkdir.json"});
    INFO(no_pfc.describe());
    CHECK(no_pfc.exit_code == 0);
    CHECK(table_rows(no_pfc.out, "mkdir").size() == 1);
    CHECK(no_pfc.out.find("pseudo filter code") == std::string::npos);

    auto all =
        sandbox({"policy", "explain", "--all", "--no-pfc", policies_dir + "/deny-mkdir.json"});
    INFO(all.describe());
    CHECK(all.exit_code == 0);
    auto getpid = table_rows(all.out, "getpid");
    REQUIRE(getpid.size() == 1);
    CHECK(getpid[0].find("ALLOW") != std::string::npos);
    CHECK(getpid[0].find("defaultAction") != std::string::npos);
}

TEST_CASE("policy explain --json: deny-mkdir parses with verdicts and rules", "[integration]") {
    auto r = sandbox({"policy", "explain", "--json", policies_dir + "/deny-mkdir.json"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    json j = parse_json(r);
    REQUIRE(j.contains("syscalls"));
    for (const std::string name : {"mkdir", "mkdirat"}) {
        const json* s = find_syscall(j, name);
        INFO(name);
        REQUIRE(s != nullptr);
        CHECK(s->at("action") == "ERRNO(EPERM)");
        CHECK(s->at("rule") == "syscalls[0]");
    }
    const json* getpid = find_syscall(j, "getpid");
    REQUIRE(getpid != nullptr);
    CHECK(getpid->at("action") == "ALLOW");
    CHECK(getpid->at("nr") == 39);
    CHECK(j.at("pseudo_code").get<std::string>().find("pseudo filter code start") !=
          std::string::npos);
}

TEST_CASE("policy explain: deny-network shows both socket conditions", "[integration]") {
    auto r = sandbox({"policy", "explain", "--no-pfc", "--profile", "deny-network"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("arg0 == 0x2") != std::string::npos);
    CHECK(r.out.find("arg0 == 0xa") != std::string::npos);
    CHECK(r.out.find("ERRNO(EACCES)") != std::string::npos);
}

TEST_CASE("policy explain: a broken profile exits 122", "[integration]") {
    TempProfile p(R"({"defaultAction": "SCMP_ACT_NOTIFY"})");
    auto r = sandbox({"policy", "explain", p.path()});
    INFO(r.describe());
    CHECK(r.exit_code == 122);
    CHECK(r.err.find("defaultAction") != std::string::npos);
}

TEST_CASE("policy list names every bundled profile", "[integration]") {
    auto r = sandbox({"policy", "list"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    for (const auto& name : bundled) {
        INFO(name);
        CHECK(r.out.find(name + " ") != std::string::npos);
        CHECK(r.out.find("--profile " + name) != std::string::npos);
    }
}

TEST_CASE("policy: an unknown subcommand or a missing profile is a usage error (121)",
          "[integration]") {
    auto unknown = sandbox({"policy", "frobnicate"});
    INFO(unknown.describe());
    CHECK(unknown.exit_code == 121);
    CHECK(unknown.err.find("frobnicate") != std::string::npos);

    auto missing = sandbox({"policy", "validate"});
    INFO(missing.describe());
    CHECK(missing.exit_code == 121);
}

TEST_CASE("cli: --help, run --help, policy --help and --version", "[integration]") {
    auto top = sandbox({"--help"});
    INFO(top.describe());
    CHECK(top.exit_code == 0);
    CHECK(top.out.find("Usage: sandbox") != std::string::npos);
    CHECK(top.out.find("run") != std::string::npos);
    CHECK(top.out.find("policy") != std::string::npos);

    auto run = sandbox({"run", "--help"});
    INFO(run.describe());
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("Usage: sandbox run") != std::string::npos);
    CHECK(run.out.find("--profile") != std::string::npos);

    auto policy = sandbox({"policy", "--help"});
    INFO(policy.describe());
    CHECK(policy.exit_code == 0);
    CHECK(policy.out.find("Usage: sandbox policy") != std::string::npos);
    CHECK(policy.out.find("validate") != std::string::npos);

    auto version = sandbox({"--version"});
    INFO(version.describe());
    CHECK(version.exit_code == 0);
    CHECK(version.out.rfind("sandbox ", 0) == 0);

    auto unknown = sandbox({"frobnicate"});
    INFO(unknown.describe());
    CHECK(unknown.exit_code == 121);
}

TEST_CASE("policy show prints a bundled profile's file, byte for byte", "[integration]") {
    for (const auto& file : profile_files()) {
        const std::string name = std::filesystem::path(file).stem().string();
        INFO(name);
        auto r = sandbox({"policy", "show", name});
        REQUIRE(r.exit_code == 0);
        CHECK(r.out == testsupport::read_file(file));
    }
    auto typo = sandbox({"policy", "show", "deny-mkdr"});
    CHECK(typo.exit_code == 122);
    CHECK(typo.err.find("did you mean \"deny-mkdir\"") != std::string::npos);
    CHECK(sandbox({"policy", "show"}).exit_code == 121);
}

TEST_CASE("help: a page per policy command - an unknown topic is exit 121 with a suggestion",
          "[integration]") {
    auto lint = sandbox({"policy", "lint", "--help"});
    CHECK(lint.exit_code == 0);
    CHECK(lint.out.rfind("Usage: sandbox policy lint", 0) == 0);
    auto diff = sandbox({"help", "policy", "diff"});
    CHECK(diff.out.rfind("Usage: sandbox policy diff", 0) == 0);
    auto bad = sandbox({"help", "polcy"});
    CHECK(bad.exit_code == 121);
    CHECK(bad.out.empty());
    CHECK(bad.err.find("did you mean \"policy\"") != std::string::npos);
}

TEST_CASE("a Pod, a SeccompProfile and a typo'd key given as a profile", "[integration]") {
    testsupport::TempDir dir{"/var/tmp", 0755};
    const std::string pod = dir.write("pod.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: audit-pod
spec:
  securityContext:
    seccompProfile:
      type: Localhost
      localhostProfile: profiles/audit.json
  containers:
  - name: test-container
    image: hashicorp/http-echo:1.0
)");
    auto r = sandbox({"run", "--policy", pod, "--", "true"});
    INFO(r.describe());
    CHECK(r.exit_code == 122);
    CHECK(r.err.find("a Kubernetes Pod \"audit-pod\", not a seccomp profile") != std::string::npos);
    CHECK(r.err.find("/var/lib/kubelet/seccomp/profiles/audit.json") != std::string::npos);

    const std::string spo =
        dir.write("sp.yaml", R"(apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: no-mkdir
spec:
  defaultAction: SCMP_ACT_ALLOW
  syscalls:
  - action: SCMP_ACT_ERRNO
    names: [mkdir, mkdirat, io_uring_setup, io_uring_enter, io_uring_register]
)");
    auto v = sandbox({"policy", "validate", "--strict", spo});
    INFO(v.describe());
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("SeccompProfile \"no-mkdir\", spec: valid") != std::string::npos);
    CHECK(v.err.empty());

    const std::string typo = dir.write(
        "typo.json",
        R"({"defaultAction": "SCMP_ACT_ERRNO", "sycalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]})");
    auto loose = sandbox({"policy", "validate", typo});
    INFO(loose.describe());
    CHECK(loose.exit_code == 0);
    CHECK(loose.err.find("did you mean \"syscalls\"") != std::string::npos);
    CHECK(loose.err.find("no rules") != std::string::npos);
    auto strict = sandbox({"policy", "validate", "--strict", typo});
    INFO(strict.describe());
    CHECK(strict.exit_code == 122);
    CHECK(strict.err.find("sycalls: unknown key") != std::string::npos);
}
