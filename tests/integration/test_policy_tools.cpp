// SPDX-License-Identifier: Apache-2.0
// Integration tests for `sandbox policy lint | diff | export | install | audit-log`: the built
// binary, its exit codes, text, JSON and YAML. Nothing here needs namespaces or root.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using testsupport::read_file;
using testsupport::RunResult;
using testsupport::TempDir;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string source_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR);
const std::string fixtures = source_dir + "/tests/fixtures";
const std::string policies = source_dir + "/policies";

RunResult sandbox(std::vector<std::string> args) {
    return testsupport::sandbox(sandbox_bin, Who::current, std::move(args),
                                testsupport::timeout(30));
}

json parse_json(const RunResult& r) {
    try {
        return json::parse(r.out);
    } catch (const json::exception& e) {
        FAIL("stdout is not JSON (" << e.what() << "):\n" << r.describe());
    }
    return {};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("policy lint flags an EPERM clone3, an allowed io_uring_setup and a Docker-only "
          "includes key, each with its reason",
          "[integration]") {
    auto r = sandbox({"policy", "lint", fixtures + "/lint-acceptance.json"});
    INFO(r.describe());
    CHECK(r.exit_code == 1); // warnings
    CHECK(contains(r.out, "SEVERITY"));
    CHECK(contains(r.out, "syscalls[1].names[0]"));
    CHECK(contains(r.out, "clone3 gets ERRNO(EPERM)"));
    CHECK(contains(r.out, "falls back to clone only on ENOSYS"));
    CHECK(contains(r.out, "syscalls[0].names[4]"));
    CHECK(contains(r.out, "allows io_uring_setup"));
    CHECK(contains(r.out, "no seccomp filter sees them"));
    CHECK(contains(r.out, "syscalls[2].includes.caps"));
    CHECK(contains(r.out, "containerd ignores includes"));
    CHECK(contains(r.out, "0 errors, 3 warnings"));

    auto j = sandbox({"policy", "lint", "--json", fixtures + "/lint-acceptance.json"});
    INFO(j.describe());
    CHECK(j.exit_code == 1);
    json doc = parse_json(j);
    CHECK(doc.at("exit_code") == 1);
    std::vector<std::string> checks; // the warnings; a note says clone3's rule is the default's
    for (const auto& f : doc.at("findings")) {
        CHECK(f.at("severity") != "error");
        CHECK_FALSE(f.at("message").get<std::string>().empty());
        if (f.at("severity") == "warning") checks.push_back(f.at("check"));
    }
    CHECK(checks == std::vector<std::string>{"io-uring", "clone3-errno", "docker-only"});
}

TEST_CASE("policy lint: exit 0 clean, 2 for an invalid or unreadable file, 121 for usage",
          "[integration]") {
    auto clean = sandbox({"policy", "lint", "--profile", "deny-mkdir"});
    INFO(clean.describe());
    CHECK(clean.exit_code == 0);
    CHECK(contains(clean.out, "0 errors, 0 warnings"));

    TempDir dir("/var/tmp", 0777); // open to uid 65534 too
    auto bad = sandbox({"policy", "lint", dir.write("bad.json", R"({"defaultAction": 3})")});
    INFO(bad.describe());
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.out, "error"));
    CHECK(contains(bad.out, "defaultAction"));

    auto missing = sandbox({"policy", "lint", dir.path() + "/missing.json"});
    INFO(missing.describe());
    CHECK(missing.exit_code == 2);
    CHECK(contains(missing.out, "ENOENT"));

    auto usage = sandbox({"policy", "lint"});
    CHECK(usage.exit_code == 121);
    auto unknown = sandbox({"policy", "lint", "--frobnicate", "x.json"});
    CHECK(unknown.exit_code == 121);
    CHECK(contains(unknown.err, "--frobnicate"));
}

TEST_CASE("policy diff: equal exits 0, different exits 1 with both verdicts", "[integration]") {
    auto same = sandbox({"policy", "diff", policies + "/deny-mkdir.json", "profile:deny-mkdir"});
    INFO(same.describe());
    CHECK(same.exit_code == 0);
    CHECK(contains(same.out, "No syscall changes verdict"));

    auto d = sandbox({"policy", "diff", "profile:baseline", "profile:deny-mkdir"});
    INFO(d.describe());
    CHECK(d.exit_code == 1);
    CHECK(contains(d.out, "mkdir"));
    CHECK(contains(d.out, "ERRNO(EPERM)"));
    CHECK(contains(d.out, "syscalls[0]"));
    CHECK(contains(d.out, "2 of "));

    auto j = sandbox({"policy", "diff", "--json", "profile:baseline", "profile:deny-network"});
    INFO(j.describe());
    CHECK(j.exit_code == 1);
    json doc = parse_json(j);
    CHECK(doc.at("equal") == false);
    REQUIRE(doc.at("changed").size() == 1);
    CHECK(doc.at("changed")[0].at("syscall") == "socket");
    CHECK(doc.at("changed")[0].at("a").at("action") == "ALLOW");
    CHECK(doc.at("changed")[0].at("b").at("cases").size() == 2);

    CHECK(sandbox({"policy", "diff", "profile:baseline"}).exit_code == 121);
    CHECK(sandbox({"policy", "diff", "profile:baseline", "profile:nope"}).exit_code == 122);
}

TEST_CASE("policy export: the Pod snippet and the SPO object", "[integration]") {
    auto pod = sandbox({"policy", "export", policies + "/deny-mkdir.json", "--format", "pod"});
    INFO(pod.describe());
    CHECK(pod.exit_code == 0);
    CHECK(contains(pod.out, "securityContext:\n  seccompProfile:\n    type: Localhost\n"
                            "    localhostProfile: profiles/deny-mkdir.json\n"));

    auto spo = sandbox(
        {"policy", "export", "--profile", "deny-network", "--format", "spo", "--name", "no-inet"});
    INFO(spo.describe());
    CHECK(spo.exit_code == 0);
    CHECK(contains(spo.out, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
                            "kind: SeccompProfile\nmetadata:\n  name: no-inet\n"));
    CHECK(contains(spo.out, "  defaultAction: SCMP_ACT_ALLOW\n"));
    CHECK(contains(spo.out, "    errnoRet: 13\n"));
    CHECK(contains(spo.out, "operator/<namespace>/no-inet.json"));

    CHECK(sandbox({"policy", "export", policies + "/deny-mkdir.json"}).exit_code == 121);
    CHECK(sandbox({"policy", "export", policies + "/deny-mkdir.json", "--format", "helm"})
              .exit_code == 121);
    CHECK(sandbox({"policy", "export", policies + "/deny-mkdir.json", "--format", "pod", "--name",
                   "Not/Valid"})
              .exit_code == 121);
}

TEST_CASE("policy install: copies into DIR/seccomp/profiles and prints the snippet",
          "[integration]") {
    TempDir dir("/var/tmp", 0777); // open to uid 65534 too
    const std::string root = dir.path() + "/kubelet";
    const std::string dest = root + "/seccomp/profiles/deny-mkdir.json";
    auto first =
        sandbox({"policy", "install", policies + "/deny-mkdir.json", "--kubelet-root", root});
    INFO(first.describe());
    CHECK(first.exit_code == 0);
    CHECK(contains(first.out, "# installed: " + dest));
    CHECK(contains(first.out, "localhostProfile: profiles/deny-mkdir.json"));
    CHECK(read_file(dest) == read_file(policies + "/deny-mkdir.json"));

    auto again =
        sandbox({"policy", "install", policies + "/deny-mkdir.json", "--kubelet-root", root});
    CHECK(again.exit_code == 0);
    CHECK(contains(again.out, "unchanged"));

    auto other = sandbox({"policy", "install", policies + "/deny-network.json", "--kubelet-root",
                          root, "--name", "deny-mkdir"});
    INFO(other.describe());
    CHECK(other.exit_code == 121);
    CHECK(contains(other.err, "--force"));
    CHECK(read_file(dest) == read_file(policies + "/deny-mkdir.json"));

    auto forced = sandbox({"policy", "install", policies + "/deny-network.json", "--kubelet-root",
                           root, "--name", "deny-mkdir", "--force"});
    CHECK(forced.exit_code == 0);
    CHECK(read_file(dest) == read_file(policies + "/deny-network.json"));

    // An invalid profile is refused before anything is written.
    auto invalid =
        sandbox({"policy", "install", dir.write("bad.json", "{}"), "--kubelet-root", root});
    INFO(invalid.describe());
    CHECK(invalid.exit_code == 122);
    CHECK_FALSE(std::filesystem::exists(root + "/seccomp/profiles/bad.json"));
}

TEST_CASE("policy audit-log: names syscalls and actions, and the rule with --policy",
          "[integration]") {
    auto r = sandbox({"policy", "audit-log", fixtures + "/seccomp-audit.log"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "mkdir (83)"));
    CHECK(contains(r.out, "ptrace (101)"));
    CHECK(contains(r.out, "KILL_PROCESS sig=31"));
    CHECK(contains(r.out, "3 SECCOMP records; 2 other lines skipped"));

    auto p = sandbox(
        {"policy", "audit-log", fixtures + "/seccomp-audit.log", "--profile", "deny-mkdir"});
    INFO(p.describe());
    CHECK(p.exit_code == 0);
    CHECK(contains(p.out, "ERRNO(EPERM) by syscalls[0]"));

    // stdin, as in `journalctl -k | sandbox policy audit-log -`
    auto piped = testsupport::run(
        {"/bin/sh", "-c", "\"$0\" policy audit-log - --json --policy \"$1\" < \"$2\"", sandbox_bin,
         policies + "/kill-ptrace.json", fixtures + "/seccomp-audit.log"});
    INFO(piped.describe());
    CHECK(piped.exit_code == 0);
    json doc = parse_json(piped);
    CHECK(doc.at("skipped") == 2);
    REQUIRE(doc.at("records").size() == 3);
    CHECK(doc.at("records")[1].at("syscall") == "ptrace");
    CHECK(doc.at("records")[1].at("policy").at("rule") == "syscalls[0]");
    CHECK(doc.at("records")[1].at("policy").at("matches") == true);

    CHECK(sandbox({"policy", "audit-log", "/nonexistent.log"}).exit_code == 121);
}

TEST_CASE("policy --help documents lint, diff, export, install and audit-log", "[integration]") {
    auto r = sandbox({"policy", "--help"});
    CHECK(r.exit_code == 0);
    for (const char* word :
         {"lint FILE", "diff A B", "export FILE --format pod|spo", "install FILE", "audit-log",
          "0 clean (notes only), 1 warnings, 2 "
          "errors"})
        CHECK(contains(r.out, word));
}

TEST_CASE("policy explain, diff and export take the container's capabilities (--cap-add)",
          "[integration][policy-tools]") {
    // runtime-default allows chroot only with CAP_SYS_CHROOT (includes.caps), as Docker's does.
    const auto chroot_verdict = [](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"policy", "explain",   "--json",
                                      "--all",  "--profile", "runtime-default"};
        args.insert(args.end(), extra.begin(), extra.end());
        const RunResult r = sandbox(args);
        INFO(r.describe());
        REQUIRE(r.exit_code == 0);
        const json report = json::parse(r.out);
        for (const auto& s : report["syscalls"])
            if (s["syscall"] == "chroot") return s["action"].get<std::string>();
        return std::string("(not listed)");
    };
    CHECK(chroot_verdict({}) == "ERRNO(EPERM)");
    CHECK(chroot_verdict({"--cap-add", "SYS_CHROOT"}) == "ALLOW");
    CHECK(chroot_verdict({"--cap-add", "CAP_SYS_CHROOT"}) == "ALLOW");

    // diff: against baseline (allows everything), chroot differs only without the capability.
    const auto diff = [](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"policy", "diff", "--json", "profile:runtime-default",
                                      "profile:baseline"};
        args.insert(args.end(), extra.begin(), extra.end());
        return sandbox(args);
    };
    const RunResult plain = diff({});
    const RunResult with_cap = diff({"--cap-add", "SYS_CHROOT"});
    INFO(plain.describe() << with_cap.describe());
    CHECK(plain.out.find("\"chroot\"") != std::string::npos);
    CHECK(with_cap.out.find("\"chroot\"") == std::string::npos);

    // export: the SeccompProfile keeps the CAP_SYS_CHROOT rule only for such a container.
    const auto spo = [](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"policy", "export",    "--format",
                                      "spo",    "--profile", "runtime-default"};
        args.insert(args.end(), extra.begin(), extra.end());
        return sandbox(args);
    };
    const RunResult e0 = spo({});
    const RunResult e1 = spo({"--cap-add", "SYS_CHROOT"});
    INFO(e0.describe() << e1.describe());
    CHECK(e0.out.find("- chroot") == std::string::npos);
    CHECK(e1.out.find("- chroot") != std::string::npos);
    CHECK(sandbox({"policy", "explain", "--cap-add", "BOGUS", "--profile", "baseline"}).exit_code ==
          121);
}
