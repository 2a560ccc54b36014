// SPDX-License-Identifier: Apache-2.0
// Unit tests for the collectors of `sandbox check` (report::DenialSink) and `sandbox policy
// record` (policy::RecordSink, recorded_profile, merge_recorded): events in, data out.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "policy/load.hpp"
#include "policy/record.hpp"
#include "report/denials.hpp"
#include "util/error.hpp"

namespace {

decode::Value str(const std::string& t) {
    decode::Value v;
    v.kind = decode::Value::Kind::String;
    v.text = t;
    return v;
}
decode::Value octal(std::int64_t n) {
    decode::Value v;
    v.kind = decode::Value::Kind::Octal;
    v.number = n;
    return v;
}

trace::Event event(const std::string& name, trace::Verdict v, const std::string& rule = {}) {
    trace::Event e;
    e.name = name;
    e.verdict = v;
    e.rule = rule;
    e.action = v == trace::Verdict::Allowed ? "" : "ERRNO(EPERM)";
    return e;
}

} // namespace

TEST_CASE("DenialSink: one row per syscall and rule, counted, first call kept", "[check]") {
    report::DenialSink sink;
    auto e = event("mkdir", trace::Verdict::WouldDeny, "syscalls[0]");
    e.decoded = {str("/tmp/a"), octal(0777)};
    sink.event(event("openat", trace::Verdict::Allowed));
    sink.event(e);
    e.decoded = {str("/tmp/b"), octal(0777)};
    sink.event(e);
    auto restarted = e;
    restarted.restarted = true;
    sink.event(restarted);
    sink.event(event("socket", trace::Verdict::Denied, "defaultAction"));
    REQUIRE(sink.denials().size() == 2);
    const auto& d = sink.denials()[0];
    CHECK(d.syscall == "mkdir");
    CHECK(d.calls == 2);
    CHECK(d.rule == "syscalls[0]");
    CHECK(d.errno_name == "EPERM");
    CHECK(d.first_call == "mkdir(\"/tmp/a\", 0777)");
    CHECK(sink.denials()[1].syscall == "socket");

    report::CheckReport r{"p.json", {"mkdir", "/tmp/a"}, false, 0};
    const std::string text = report::check_text(r, sink.denials());
    CHECK(text.find("would deny 2 syscalls (3 calls)") != std::string::npos);
    CHECK(text.find("syscall  calls  action") != std::string::npos);
    CHECK(report::check_json(r, sink.denials()).find("\"mode\":\"audit\"") != std::string::npos);
    // Audit mode: the calls are counted as would_deny, denied stays 0 (a count, never a boolean).
    const auto audit = nlohmann::json::parse(report::check_json(r, sink.denials()));
    CHECK(audit["schema_version"] == 1);
    CHECK(audit["verdict"] == "would-deny");
    CHECK(audit["denied"] == 0);
    CHECK(audit["would_deny"] == 3);
    CHECK(audit["syscalls"][0]["decoded"].is_array());
    CHECK_FALSE(audit["syscalls"][0].contains("args"));
    r.enforce = true;
    const auto enforced = nlohmann::json::parse(report::check_json(r, sink.denials()));
    CHECK(enforced["verdict"] == "denied");
    CHECK(enforced["denied"] == 3);
    CHECK(enforced["would_deny"] == 0);
    r.enforce = false;
    CHECK(report::check_text(r, {}).find("denies nothing") != std::string::npos);
}

TEST_CASE("check report: a kill the kernel carried out is reported, and is a denial", "[check]") {
    report::CheckReport r{"p.json", {"probe", "ptrace-traceme"}, true, 159};
    r.killed = trace::SeccompKill{};
    r.killed->candidates = {{"syscalls[0]", "KILL_PROCESS", {"ptrace", "process_vm_readv"}}};
    CHECK(report::check_text(r, {}) ==
          "sandbox check: p.json killed `probe ptrace-traceme` (exit status 159): killed by SIGSYS "
          "(seccomp KILL); which call is not known (the kernel kills before sandbox hears of it); "
          "the policy's rules that kill: syscalls[0] KILL_PROCESS (ptrace, process_vm_readv)\n");
    const auto j = nlohmann::json::parse(report::check_json(r, {}));
    CHECK(j["verdict"] == "killed");
    CHECK(j["denied"] == 0); // the kernel's kill is no notified call
    CHECK(j["seccomp_kill"]["candidates"][0]["rule"] == "syscalls[0]");

    // Known (the command's execve), after denials: the table, then the kill.
    r.killed = trace::SeccompKill{"execve",
                                  "execve(\"/bin/sh\", [\"sh\"], /* 3 vars */)",
                                  "defaultAction",
                                  "KILL_PROCESS",
                                  {}};
    report::DenialSink sink;
    sink.event(event("mkdir", trace::Verdict::Denied, "syscalls[1]"));
    const std::string text = report::check_text(r, sink.denials());
    CHECK(text.find("denied 1 syscall (1 call)") != std::string::npos);
    CHECK(text.find("and then killed by SIGSYS (seccomp KILL) at execve(\"/bin/sh\", [\"sh\"], "
                    "/* 3 vars */): KILL_PROCESS by defaultAction\n") != std::string::npos);
    CHECK(nlohmann::json::parse(report::check_json(r, {}))["seccomp_kill"]["syscall"] == "execve");

    r.killed.reset();
    CHECK(nlohmann::json::parse(report::check_json(r, {}))["seccomp_kill"].is_null());
    CHECK(nlohmann::json::parse(report::check_json(r, {}))["verdict"] == "allowed");
    CHECK(nlohmann::json::parse(report::check_json(r, {}))["denied"] == 0);
}

TEST_CASE("recorded_profile: deny by default, sorted allow-list with the runtime's calls",
          "[record]") {
    policy::RecordSink sink;
    sink.event(event("write", trace::Verdict::Allowed));
    sink.event(event("openat", trace::Verdict::Allowed));
    sink.event(event("mkdir", trace::Verdict::Denied, "syscalls[0]"));
    sink.event(event("syscall_999", trace::Verdict::Allowed));
    CHECK(sink.names() == std::set<std::string>{"openat", "write"});
    CHECK(sink.unnamed() == std::set<std::string>{"syscall_999"});

    const auto p = policy::recorded_profile(sink.names(), "test");
    CHECK(p["defaultAction"] == "SCMP_ACT_ERRNO");
    CHECK(p["defaultErrnoRet"] == 1);
    const auto names = p["syscalls"][0]["names"].get<std::vector<std::string>>();
    CHECK(std::is_sorted(names.begin(), names.end()));
    for (const auto& n : policy::runtime_syscalls())
        CHECK(std::find(names.begin(), names.end(), n) != names.end());
    CHECK(std::find(names.begin(), names.end(), "mkdir") == names.end());
    CHECK(p["syscalls"][1]["names"][0] == "clone3");
    CHECK(p["syscalls"][1]["errnoRet"] == 38);
    CHECK_NOTHROW(policy::parse(p.dump(), "recorded"));

    // clone3 observed: allowed, no ENOSYS rule
    CHECK(policy::recorded_profile({"clone3"}, "t")["syscalls"].size() == 1);
}

TEST_CASE("merge_recorded: union into the allow rule, the rest kept", "[record]") {
    auto base = policy::recorded_profile({"read"}, "first");
    base["syscalls"].push_back({{"names", {"kill"}}, {"action", "SCMP_ACT_KILL"}});
    const auto merged = policy::merge_recorded(base, {"mkdir"}, "p.json", "second");
    const auto names = merged["syscalls"][0]["names"].get<std::vector<std::string>>();
    CHECK(std::find(names.begin(), names.end(), "read") != names.end());
    CHECK(std::find(names.begin(), names.end(), "mkdir") != names.end());
    CHECK(merged["syscalls"].size() == 3); // allow, clone3, the kill rule
    CHECK(merged["syscalls"][0]["comment"] == "first");

    nlohmann::ordered_json allow = {{"defaultAction", "SCMP_ACT_ALLOW"}};
    CHECK_THROWS_AS(policy::merge_recorded(allow, {"read"}, "a.json", "x"), util::Error);
}
