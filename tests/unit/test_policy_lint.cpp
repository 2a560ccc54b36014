// SPDX-License-Identifier: Apache-2.0
// policy lint: each check as a small profile and the finding (severity, key, check, reason) it
// must produce; exit codes 0 / 1 / 2.
#include <catch2/catch.hpp>

#include "support/source_dir.hpp"

#include <string>
#include <variant>
#include <vector>

#include "cli.hpp"
#include "policy/lint.hpp"
#include "policy/load.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"

namespace {

using policy::Severity;

// A profile that lints clean on x86-64: only `rules` added.
std::string profile(const std::string& rules, const std::string& def = "SCMP_ACT_ERRNO") {
    return R"({"defaultAction": ")" + def +
           R"(", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
              "syscalls": [)" +
           rules + "]}";
}

const policy::LintFinding* find(const policy::LintReport& r, const std::string& check,
                                const std::string& key = "") {
    for (const auto& f : r.findings)
        if (f.check == check && (key.empty() || f.key == key)) return &f;
    return nullptr;
}

std::string dump(const policy::LintReport& r) {
    std::string out;
    for (const auto& f : r.findings)
        out += policy::severity_name(f.severity) + " " + f.key + " [" + f.check + "] " + f.message +
               "\n";
    return out;
}

bool x86_64() {
    return std::string(util::arch::native().profile_name) == "SCMP_ARCH_X86_64";
}

} // namespace

TEST_CASE("lint: EPERM clone3, allowed io_uring_setup and a Docker-only includes key, each "
          "with its reason",
          "[policy][lint]") {
    const auto r =
        policy::lint_file(testsupport::source_dir() + "/tests/fixtures/lint-acceptance.json");
    INFO(dump(r));
    const auto* clone3 = find(r, "clone3-errno", "syscalls[1].names[0]");
    REQUIRE(clone3 != nullptr);
    CHECK(clone3->severity == Severity::Warning);
    CHECK(clone3->message.find("ERRNO(EPERM)") != std::string::npos);
    CHECK(clone3->message.find("falls back to clone only on ENOSYS") != std::string::npos);

    const auto* uring = find(r, "io-uring", "syscalls[0].names[4]");
    REQUIRE(uring != nullptr);
    CHECK(uring->severity == Severity::Warning);
    CHECK(uring->message.find("io_uring_setup") != std::string::npos);
    CHECK(uring->message.find("no seccomp filter sees them") != std::string::npos);

    const auto* includes = find(r, "docker-only", "syscalls[2].includes.caps");
    REQUIRE(includes != nullptr);
    CHECK(includes->severity == Severity::Warning);
    CHECK(includes->message.find("containerd ignores includes") != std::string::npos);
    CHECK(includes->message.find("CAP_SYS_ADMIN") != std::string::npos);
    CHECK(includes->message.find("every container") != std::string::npos);

    CHECK(r.count(Severity::Error) == 0);
    CHECK(r.exit_code() == 1);
}

TEST_CASE("lint: a clean profile exits 0, notes alone too", "[policy][lint]") {
    const auto clean = policy::lint_text(
        profile(R"({"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"})"), "t");
    INFO(dump(clean));
    if (x86_64()) CHECK(clean.findings.empty());
    CHECK(clean.exit_code() == 0);

    const auto notes = policy::lint_text(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["read"], "action": "SCMP_ACT_ALLOW"})"),
                                         "t");
    INFO(dump(notes));
    REQUIRE(find(notes, "duplicate", "syscalls[1].names[0]") != nullptr);
    CHECK(find(notes, "duplicate")->severity == Severity::Info);
    CHECK(find(notes, "duplicate")->message.find("syscalls[0]") != std::string::npos);
    CHECK(notes.exit_code() == 0);
}

TEST_CASE("lint: invalid structure is one error finding with the key, exit 2", "[policy][lint]") {
    const auto bad = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["read"], "action": "SCMP_ACT_ALOW"}]})",
                                       "bad.json");
    REQUIRE(bad.findings.size() == 1);
    CHECK(bad.findings[0].severity == Severity::Error);
    CHECK(bad.findings[0].key == "syscalls[0].action");
    CHECK(bad.findings[0].message.find("SCMP_ACT_ALOW") != std::string::npos);
    CHECK(bad.exit_code() == 2);

    const auto syntax = policy::lint_text("{\"defaultAction\": ", "s.json");
    REQUIRE(syntax.findings.size() == 1);
    CHECK(syntax.findings[0].key.rfind("line 1 column", 0) == 0);
    CHECK(syntax.exit_code() == 2);

    const auto notify = policy::lint_text(R"({"defaultAction": "SCMP_ACT_NOTIFY"})", "n.json");
    REQUIRE(notify.findings.size() == 1);
    CHECK(notify.findings[0].key == "defaultAction");
    CHECK(notify.findings[0].message.find("SCMP_ACT_NOTIFY") != std::string::npos);
    CHECK(notify.exit_code() == 2);

    const auto missing = policy::lint_file("/nonexistent/profile.json");
    REQUIRE(missing.findings.size() == 1);
    CHECK(missing.findings[0].message.find("ENOENT") != std::string::npos);
    CHECK(missing.exit_code() == 2);
}

TEST_CASE("lint: clone3 with ENOSYS is fine, with KILL it is not", "[policy][lint]") {
    const auto ok = policy::lint_text(
        profile(R"({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})"), "t");
    CHECK(find(ok, "clone3-errno") == nullptr);
    const auto kill = policy::lint_text(
        profile(R"({"names": ["clone3"], "action": "SCMP_ACT_KILL_PROCESS"})"), "t");
    REQUIRE(find(kill, "clone3-errno") != nullptr);
    CHECK(find(kill, "clone3-errno")->message.find("KILL_PROCESS") != std::string::npos);
}

TEST_CASE("lint: an allowing default that lets io_uring through", "[policy][lint]") {
    const auto open = policy::lint_text(profile("", "SCMP_ACT_ALLOW"), "t");
    const auto* f = find(open, "io-uring", "defaultAction");
    REQUIRE(f != nullptr);
    CHECK(f->message.find("io_uring_setup, io_uring_enter, io_uring_register") !=
          std::string::npos);
    const auto closed = policy::lint_text(
        profile(R"({"names": ["io_uring_setup", "io_uring_enter", "io_uring_register"],
                    "action": "SCMP_ACT_ERRNO"})",
                "SCMP_ACT_ALLOW"),
        "t");
    CHECK(find(closed, "io-uring") == nullptr);
}

TEST_CASE("lint: Docker-only keys say what changes under containerd", "[policy][lint]") {
    const auto r = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
        "syscalls": [
          {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
          {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "5.8"}},
          {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]}}
        ]})",
                                     "t");
    INFO(dump(r));
    REQUIRE(find(r, "docker-only", "archMap") != nullptr);
    CHECK(find(r, "docker-only", "archMap")->message.find("only the native ABI") !=
          std::string::npos);
    REQUIRE(find(r, "docker-only", "syscalls[0].excludes.caps") != nullptr);
    CHECK(find(r, "docker-only", "syscalls[0].excludes.caps")
              ->message.find("even with "
                             "CAP_SYS_ADMIN") != std::string::npos);
    REQUIRE(find(r, "docker-only", "syscalls[1].includes.minKernel") != nullptr);
    CHECK(
        find(r, "docker-only", "syscalls[1].includes.minKernel")->message.find("older than 5.8") !=
        std::string::npos);
    REQUIRE(find(r, "docker-only", "syscalls[2].includes.arches") != nullptr);
    CHECK(find(r, "architectures") == nullptr); // archMap stands for them
}

TEST_CASE("lint: NOTIFY on a call the runtime needs for the hand-over", "[policy][lint]") {
    const auto r = policy::lint_text(
        profile(R"({"names": ["mkdir", "sendmsg"], "action": "SCMP_ACT_NOTIFY"})"), "t");
    INFO(dump(r));
    REQUIRE(find(r, "notify-handover", "syscalls[0].names[1]") != nullptr);
    CHECK(find(r, "notify-handover", "syscalls[0].names[0]") == nullptr);
    CHECK(find(r, "notify", "syscalls[0].action") != nullptr);
}

TEST_CASE("lint: architectures missing, foreign, or without the native one", "[policy][lint]") {
    if (!x86_64()) return; // the foreign/companion ABIs below are x86-64's
    const auto none = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO"})", "t");
    REQUIRE(find(none, "architectures", "architectures") != nullptr);
    CHECK(find(none, "architectures")->message.find("SCMP_ARCH_X86") != std::string::npos);
    CHECK(find(none, "architectures")->severity == Severity::Warning);

    const auto foreign = policy::lint_text(
        R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_AARCH64"],
            "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW"}]})",
        "t");
    INFO(dump(foreign));
    REQUIRE(find(foreign, "foreign-arch", "architectures[0]") != nullptr);
    CHECK(find(foreign, "foreign-arch", "architectures") != nullptr); // native not listed
    CHECK(foreign.exit_code() == 0);                                  // notes only
}

TEST_CASE("lint: conflicting rules name the one the compiled filter uses", "[policy][lint]") {
    const auto r = policy::lint_text(profile(R"({"names": ["mkdir"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["mkdir"], "action": "SCMP_ACT_KILL_PROCESS"},
                   {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                    "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS"})"),
                                     "t");
    INFO(dump(r));
    const auto* conflict = find(r, "conflict", "syscalls[1].names[0]");
    REQUIRE(conflict != nullptr);
    CHECK(conflict->message.find("ALLOW from syscalls[0]") != std::string::npos);
    CHECK(conflict->message.find("KILL_PROCESS never applies") != std::string::npos);
    const auto* unreachable = find(r, "unreachable", "syscalls[2].names[0]");
    REQUIRE(unreachable != nullptr);
    CHECK(unreachable->message.find("syscalls[3]") != std::string::npos);

    // Some overlaps libseccomp refuses outright: an error finding with the rule's key. On 32-bit
    // x86 socket() is socketcall(SYS_SOCKET, ...): libseccomp adds its own condition on arg0.
    if (!x86_64()) return;
    const auto refused =
        policy::lint_text(profile(R"({"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13})"),
                          "t");
    INFO(dump(refused));
    REQUIRE(find(refused, "compile", "syscalls[1]") != nullptr);
    CHECK(find(refused, "compile")->severity == Severity::Error);
    CHECK(refused.exit_code() == 2);
}

TEST_CASE("lint: a rule with the default's action", "[policy][lint]") {
    const auto allow = policy::lint_text(
        profile(R"({"names": ["io_uring_setup", "io_uring_enter", "io_uring_register"],
                    "action": "SCMP_ACT_ERRNO"},
                   {"names": ["read"], "action": "SCMP_ACT_ALLOW"})",
                "SCMP_ACT_ALLOW"),
        "t");
    REQUIRE(find(allow, "same-as-default", "syscalls[1].action") != nullptr);
    CHECK(find(allow, "same-as-default")->severity == Severity::Warning);
    const auto deny = policy::lint_text(
        profile(R"({"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})"), "t");
    REQUIRE(find(deny, "same-as-default", "syscalls[0].action") != nullptr);
    CHECK(find(deny, "same-as-default")->severity == Severity::Info);
    // ERRNO(EACCES) under an ERRNO(EPERM) default is a different action.
    const auto other = policy::lint_text(
        profile(R"({"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13})"), "t");
    CHECK(find(other, "same-as-default") == nullptr);
}

TEST_CASE("lint: conditions on pointer arguments, from decode's syscall table", "[policy][lint]") {
    CHECK(policy::argument_is_pointer("openat", 1));
    CHECK(policy::argument_is_pointer("execve", 0));
    CHECK(policy::argument_is_pointer("connect", 1));
    CHECK_FALSE(policy::argument_is_pointer("openat", 2)); // flags
    CHECK_FALSE(policy::argument_is_pointer("socket", 0));
    CHECK_FALSE(policy::argument_is_pointer("no_such_call", 0));

    const auto r =
        policy::lint_text(profile(R"({"names": ["execve", "execveat"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 4096, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]})"),
                          "t");
    INFO(dump(r));
    const auto* f = find(r, "pointer-argument", "syscalls[0].args[0]");
    REQUIRE(f != nullptr);
    CHECK(f->message.find("arg0 of execve is a pointer") != std::string::npos); // not execveat's
    CHECK(find(r, "pointer-argument", "syscalls[1].args[0]") == nullptr);
}

TEST_CASE("lint: a KILL default, unknown names and errnos that are not errnos", "[policy][lint]") {
    const auto r =
        policy::lint_text(profile(R"({"names": ["read", "frobnicate"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4000},
                   {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0})",
                                  "SCMP_ACT_KILL_PROCESS"),
                          "t");
    INFO(dump(r));
    REQUIRE(find(r, "kill-default", "defaultAction") != nullptr);
    CHECK(find(r, "kill-default")->message.find("SIGSYS") != std::string::npos);
    CHECK(find(r, "kill-default")->message.find("sandbox run") != std::string::npos);
    REQUIRE(find(r, "unknown-syscall", "syscalls[0].names[1]") != nullptr);
    REQUIRE(find(r, "errno-value", "syscalls[1].errnoRet") != nullptr);
    CHECK(find(r, "errno-value", "syscalls[1].errnoRet")->message.find("4000") !=
          std::string::npos);
    REQUIRE(find(r, "errno-value", "syscalls[2].errnoRet") != nullptr);
    CHECK(find(r, "errno-value", "syscalls[2].errnoRet")->message.find("returns 0") !=
          std::string::npos);
}

TEST_CASE("lint: findings come in file order, unknown keys included", "[policy][lint]") {
    const auto r = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ALLOW", "colour": "blue",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "syscalls": [{"names": ["io_uring_setup"], "action": "SCMP_ACT_ALLOW"},
                     {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0}]})",
                                     "t");
    INFO(dump(r));
    REQUIRE(find(r, "load", "colour") != nullptr);
    long last = -2;
    for (const auto& f : r.findings) {
        long pos = f.key.rfind("syscalls[", 0) == 0 ? std::stol(f.key.substr(9)) : -1;
        CHECK(pos >= last);
        last = pos;
    }
}

TEST_CASE("lint, diff, export, install, audit-log: command lines parse into their commands",
          "[policy][lint][cli]") {
    const auto lint = cli::parse({"policy", "lint", "--json", "p.json"});
    REQUIRE(std::holds_alternative<cli::PolicyLint>(lint));
    CHECK(std::get<cli::PolicyLint>(lint).options.file == std::string("p.json"));
    CHECK(std::get<cli::PolicyLint>(lint).options.json);

    const auto diff = cli::parse({"policy", "diff", "a.json", "profile:baseline"});
    REQUIRE(std::holds_alternative<cli::PolicyDiff>(diff));
    CHECK(std::get<cli::PolicyDiff>(diff).options.b == "profile:baseline");

    const auto exp = cli::parse({"policy", "export", "--profile", "deny-mkdir", "--format=spo"});
    REQUIRE(std::holds_alternative<cli::PolicyExport>(exp));
    CHECK(std::get<cli::PolicyExport>(exp).options.format == "spo");
    CHECK(std::get<cli::PolicyExport>(exp).options.profile == std::string("deny-mkdir"));

    const auto inst = cli::parse({"policy", "install", "p.json", "--force", "--name", "x"});
    REQUIRE(std::holds_alternative<cli::PolicyInstall>(inst));
    CHECK(std::get<cli::PolicyInstall>(inst).options.kubelet_root == "/var/lib/kubelet");
    CHECK(std::get<cli::PolicyInstall>(inst).options.force);

    const auto audit = cli::parse({"policy", "audit-log", "--policy", "p.json"});
    REQUIRE(std::holds_alternative<cli::PolicyAuditLog>(audit));
    CHECK(std::get<cli::PolicyAuditLog>(audit).options.input == "-");

    const auto usage = [](std::vector<std::string> args) {
        try {
            cli::parse(args);
        } catch (const util::Error& e) {
            return e.exit_code();
        }
        return 0;
    };
    CHECK(usage({"policy", "lint"}) == util::exit_code::usage);
    CHECK(usage({"policy", "lint", "a.json", "b.json"}) == util::exit_code::usage);
    CHECK(usage({"policy", "diff", "a.json"}) == util::exit_code::usage);
    CHECK(usage({"policy", "export", "a.json"}) == util::exit_code::usage);
    CHECK(usage({"policy", "export", "a.json", "--format", "yaml"}) == util::exit_code::usage);
    CHECK(std::get<cli::PolicyInstall>(cli::parse({"policy", "install", "a.json", "--json"}))
              .options.json);
    CHECK(usage({"policy", "audit-log", "--policy", "a", "--profile", "b"}) ==
          util::exit_code::usage);
    CHECK(std::holds_alternative<cli::Help>(cli::parse({"policy", "lint", "--help"})));
}

TEST_CASE("lint: an architecture libseccomp does not know, foreign here", "[policy][lint]") {
    if (!x86_64()) return;
    const auto r = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures":
        ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_LOONGARCH64"]})",
                                     "t");
    INFO(dump(r));
    const auto* f = find(r, "unknown-arch", "architectures[3]");
    if (util::arch::from_profile_name("SCMP_ARCH_LOONGARCH64")->libseccomp_knows) {
        CHECK(f == nullptr); // a newer libseccomp: an ordinary foreign architecture
        CHECK(find(r, "foreign-arch", "architectures[3]") != nullptr);
        return;
    }
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warning);
    CHECK(f->message.find("runc refuses the profile") != std::string::npos);
    CHECK(r.count(Severity::Error) == 0);
    CHECK(find(r, "foreign-arch", "architectures[3]") == nullptr);
}

TEST_CASE("lint: an architecture runc does not know, though the runtime-spec lists it",
          "[policy][lint]") {
    if (!x86_64()) return;
    const auto r = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures":
        ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_PARISC",
         "SCMP_ARCH_AARCH64"]})",
                                     "t");
    INFO(dump(r));
    const auto* f = find(r, "unknown-arch", "architectures[3]");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warning);
    CHECK(f->message.find("not a valid arch for seccomp") != std::string::npos);
    // AArch64: runc and libseccomp know it, only foreign here.
    CHECK(find(r, "unknown-arch", "architectures[4]") == nullptr);
    CHECK(find(r, "foreign-arch", "architectures[4]") != nullptr);
}

TEST_CASE("lint: flags, which runc before 1.2 refuses", "[policy][lint]") {
    const auto r = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]})",
                                     "t");
    INFO(dump(r));
    REQUIRE(find(r, "flags", "flags[0]") != nullptr);
    CHECK(find(r, "flags", "flags[0]")->severity == Severity::Warning);
    CHECK(find(r, "flags", "flags[0]")->message.find("runc before 1.2") != std::string::npos);
    REQUIRE(find(r, "flags", "flags[1]") != nullptr);
    CHECK(find(r, "flags", "flags[1]")->message.find("1.2 too") != std::string::npos);
    const auto none = policy::lint_text(profile(""), "t");
    CHECK(find(none, "flags") == nullptr);
}

TEST_CASE("lint: NOTIFY without listenerPath: the Pod does not start", "[policy][lint]") {
    const auto bare =
        policy::lint_text(profile(R"({"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"})"), "t");
    REQUIRE(find(bare, "notify", "syscalls[0].action") != nullptr);
    CHECK(find(bare, "notify")->severity == Severity::Warning);
    CHECK(find(bare, "notify")->message.find("runc refuses to start") != std::string::npos);
    const auto agent = policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "listenerPath": "/run/agent.sock",
        "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]})",
                                         "t");
    INFO(dump(agent));
    REQUIRE(find(agent, "notify", "syscalls[0].action") != nullptr);
    CHECK(find(agent, "notify")->severity == Severity::Info);
}

TEST_CASE("lint: Docker's \"name\", which containerd and runc ignore", "[policy][lint]") {
    const auto r = policy::lint_text(profile(R"({"name": "getpid", "action": "SCMP_ACT_ALLOW"},
                   {"names": ["gettid"], "action": "SCMP_ACT_ALLOW"})"),
                                     "t");
    INFO(dump(r));
    const auto* f = find(r, "docker-name", "syscalls[0].name");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warning);
    CHECK(f->message.find(R"("names": ["getpid"])") != std::string::npos);
    CHECK(find(r, "docker-name", "syscalls[1].name") == nullptr);
}

TEST_CASE("lint: a repeated argument index makes every condition a rule of its own",
          "[policy][lint]") {
    const auto r =
        policy::lint_text(profile(R"({"names": ["kill"], "action": "SCMP_ACT_ALLOW", "args": [
                     {"index": 1, "value": 9, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 9},
                     {"index": 1, "value": 15, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 15},
                     {"index": 0, "value": 1, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 1}]})"),
                          "t");
    INFO(dump(r));
    const auto* f = find(r, "repeated-index", "syscalls[0].args");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warning);
    CHECK(f->message.find("arg1 is compared more than once") != std::string::npos);
    CHECK(f->message.find("kill gets ALLOW if") != std::string::npos);
    CHECK(f->message.find("each alone") != std::string::npos);
    // Alternatives on one argument only: the OR the author means, nothing to say.
    const auto one =
        policy::lint_text(profile(R"({"names": ["kill"], "action": "SCMP_ACT_ALLOW", "args": [
                     {"index": 1, "value": 9, "op": "SCMP_CMP_EQ"},
                     {"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]})"),
                          "t");
    CHECK(find(one, "repeated-index") == nullptr);
    // ... unless together they hold for every value: a range written as two bounds, two NEs.
    const auto range = policy::lint_text(
        profile(R"({"names": ["setpriority"], "action": "SCMP_ACT_ALLOW", "args": [
                     {"index": 2, "value": 10, "op": "SCMP_CMP_GE"},
                     {"index": 2, "value": 20, "op": "SCMP_CMP_LE"}]},
                   {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13, "args": [
                     {"index": 1, "value": 9, "op": "SCMP_CMP_NE"},
                     {"index": 1, "value": 15, "op": "SCMP_CMP_NE"}]},
                   {"names": ["umask"], "action": "SCMP_ACT_ALLOW", "args": [
                     {"index": 0, "value": 10, "op": "SCMP_CMP_LE"},
                     {"index": 0, "value": 20, "op": "SCMP_CMP_GE"}]})"),
        "t");
    INFO(dump(range));
    REQUIRE(find(range, "repeated-index", "syscalls[0].args") != nullptr);
    CHECK(find(range, "repeated-index", "syscalls[0].args")->message.find("every value") !=
          std::string::npos);
    CHECK(find(range, "repeated-index", "syscalls[1].args") != nullptr);
    CHECK(find(range, "repeated-index", "syscalls[2].args") == nullptr); // outside 11..19
    // Distinct indexes: all must hold, as written.
    const auto distinct =
        policy::lint_text(profile(R"({"names": ["kill"], "action": "SCMP_ACT_ALLOW", "args": [
                     {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
                     {"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]})"),
                          "t");
    CHECK(find(distinct, "repeated-index") == nullptr);
}

TEST_CASE("lint: conditions the high bits of a 32-bit argument can change", "[policy][lint]") {
    if (!x86_64()) return; // the argument table is x86-64's
    // Deny AF_VSOCK under an allowing default: socket(0x100000028, ...) gets past.
    const auto eq = policy::lint_text(
        profile(R"({"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                    "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}]})",
                "SCMP_ACT_ALLOW"),
        "t");
    INFO(dump(eq));
    const auto* f = find(eq, "high-bits", "syscalls[0].args[0]");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warning);
    CHECK(f->message.find("a bypass") != std::string::npos);
    CHECK(f->message.find(R"("value": 4294967295, "valueTwo": 40, "op": "SCMP_CMP_MASKED_EQ")") !=
          std::string::npos);
    // Docker's way: allow every family but AF_VSOCK with NE under a denying default.
    const auto ne = policy::lint_text(profile(R"({"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]})"),
                                      "t");
    INFO(dump(ne));
    REQUIRE(find(ne, "high-bits", "syscalls[0].args[0]") != nullptr);
    CHECK(find(ne, "high-bits")->severity == Severity::Warning);
    CHECK(find(ne, "high-bits")->message.find("ALLOW instead of ERRNO") != std::string::npos);
    // Allowing one value under a denying default: high bits only deny, a note.
    const auto stricter =
        policy::lint_text(profile(R"({"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]})"),
                          "t");
    REQUIRE(find(stricter, "high-bits", "syscalls[0].args[0]") != nullptr);
    CHECK(find(stricter, "high-bits")->severity == Severity::Info);
    CHECK(stricter.exit_code() == 0);
    // No finding: the low 32 bits masked; a 64-bit argument (clone's flags, mmap's prot); a
    // rule for another architecture; a rule whose verdict the default shares.
    const auto quiet =
        policy::lint_text(profile(R"({"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 4294967295, "valueTwo": 1,
                              "op": "SCMP_CMP_MASKED_EQ"}]},
                   {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}]},
                   {"names": ["mmap"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 2, "value": 1, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["flock"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]},
                    "args": [{"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS",
                    "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"}]})"),
                          "t");
    INFO(dump(quiet));
    CHECK(find(quiet, "high-bits") == nullptr);
}

TEST_CASE("lint: clone3 left to runc's stub when newer syscalls are named", "[policy][lint]") {
    if (!x86_64()) return;
    const auto r = policy::lint_text(
        profile(R"({"names": ["read", "close_range", "faccessat2"], "action": "SCMP_ACT_ALLOW"})"),
        "t");
    INFO(dump(r));
    const auto* f = find(r, "clone3-eperm", "syscalls");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Warning);
    CHECK(f->message.find("close_range, faccessat2") != std::string::npos);
    CHECK(f->message.find("\"errnoRet\": 38") != std::string::npos);
    // clone3 named; an ENOSYS default; an allowing default; nothing newer than clone3 named.
    CHECK(find(policy::lint_text(profile(R"({"names": ["close_range"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})"),
                                 "t"),
               "clone3-eperm") == nullptr);
    CHECK(find(policy::lint_text(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "syscalls": [{"names": ["close_range"], "action": "SCMP_ACT_ALLOW"}]})",
                                 "t"),
               "clone3-eperm") == nullptr);
    CHECK(
        find(policy::lint_text(profile(R"({"names": ["close_range"], "action": "SCMP_ACT_ERRNO"})",
                                       "SCMP_ACT_ALLOW"),
                               "t"),
             "clone3-eperm") == nullptr);
    CHECK(
        find(policy::lint_text(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})"), "t"),
             "clone3-eperm") == nullptr);
}

TEST_CASE("lint: a duplicate key is an error with both places", "[policy][lint]") {
    const auto r = policy::lint_text(
        R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"],
            "action": "SCMP_ACT_ALLOW", "action": "SCMP_ACT_KILL"}]})",
        "t");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].severity == Severity::Error);
    CHECK(r.findings[0].key == "syscalls[0].action");
    CHECK(r.findings[0].message.find("duplicate key \"action\"") != std::string::npos);
    CHECK(r.findings[0].message.find("runc and containerd") != std::string::npos);
    CHECK(r.exit_code() == 2);
}

TEST_CASE("lint: no bundled profile has a condition high bits can bypass", "[policy][lint]") {
    for (const auto& b : policy::bundled_profiles()) {
        const auto r = policy::lint(policy::load_bundled(std::string(b.name)));
        INFO(b.name << "\n" << dump(r));
        for (const auto& f : r.findings)
            if (f.check == "high-bits") CHECK(f.severity == Severity::Info);
        CHECK(r.count(Severity::Error) == 0);
    }
}
