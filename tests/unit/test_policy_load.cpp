// Policy loading and validation: bad input is rejected with a message naming the JSON key.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "policy/load.hpp"
#include "util/error.hpp"

namespace {

std::string load_error(const std::string& json) {
    try {
        policy::parse(json, "test.json");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("a minimal profile loads", "[policy][load]") {
    auto p = policy::parse(R"({"defaultAction": "SCMP_ACT_ERRNO"})", "t");
    CHECK(p.default_action.action == policy::Action::Errno);
    CHECK_FALSE(p.default_action.data.has_value());
    CHECK(p.rules.empty());
}

TEST_CASE("every field of the OCI format is read", "[policy][load]") {
    auto p = policy::parse(R"({
      "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "flags": ["SECCOMP_FILTER_FLAG_LOG"],
      "syscalls": [
        {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
        {"name": "personality", "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
        {"names": ["umask"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
         "args": [{"index": 0, "value": 63, "valueTwo": 18, "op": "SCMP_CMP_MASKED_EQ"}],
         "includes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["amd64"], "minKernel": "4.8"},
         "excludes": {"caps": ["CAP_NET_ADMIN"]}, "comment": "why"}
      ]})",
                           "t");
    CHECK(p.default_action.data == 38u);
    REQUIRE(p.rules.size() == 3);
    CHECK(p.rules[0].names == std::vector<std::string>{"read", "write"});
    CHECK(p.rules[1].names == std::vector<std::string>{"personality"});
    CHECK(p.rules[1].key == "syscalls[1]");
    REQUIRE(p.rules[2].args.size() == 1);
    CHECK(p.rules[2].args[0].op == policy::Op::MaskedEqual);
    CHECK(p.rules[2].args[0].value_two == 18);
    CHECK(p.rules[2].action.data == 22u);
    CHECK(p.rules[2].includes.caps == std::vector<std::string>{"CAP_SYS_ADMIN"});
    CHECK(p.rules[2].includes.min_kernel == std::string("4.8"));
    CHECK(p.rules[2].excludes.caps == std::vector<std::string>{"CAP_NET_ADMIN"});
    CHECK(p.flags == std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"});
    CHECK(p.warnings.empty());
}

TEST_CASE("bad profiles name the key and the problem", "[policy][load]") {
    struct Case {
        const char* json;
        const char* expect; // substring of the message
    };
    const Case cases[] = {
        {R"({"defaultAction": "SCMP_ACT_ALLOW")", "line 1 column"},          // truncated
        {R"({"defaultAction": "SCMP_ACT_ALLOW"} trailing)", "invalid JSON"}, // garbage
        {"{\"defaultAction\": \"SCMP_ACT_\xff\"}", "invalid JSON"},          // invalid UTF-8
        {R"([])", "a JSON object at the top level"},
        {R"({})", "defaultAction: missing"},
        {R"({"defaultAction": 3})", "defaultAction: expected a string, got an integer"},
        {R"({"defaultAction": "SCMP_ACT_NOPE"})",
         "defaultAction: unknown action \"SCMP_ACT_NOPE\""},
        {R"({"defaultAction": "SCMP_ACT_NOTIFY"})",
         "defaultAction: SCMP_ACT_NOTIFY cannot be the default"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1})", "defaultErrnoRet: only"},
        {R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 5000})",
         "defaultErrnoRet: 5000 is not an errno"},
        {R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1})",
         "defaultErrnoRet: expected a non-negative"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": {}})",
         "syscalls: expected an array of rules"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "read", "action": "SCMP_ACT_ERRNO"}]})",
         "syscalls[0].names: expected an array of strings, got a string"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read", 4], "action": "SCMP_ACT_ERRNO"}]})",
         "syscalls[0].names[1]: expected a string"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]})",
         "syscalls[0]: missing \"names\""},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"]}]})",
         "syscalls[0]: missing \"action\""},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ALLOW"}]})",
         "both \"name\" and \"names\""},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4096}]})",
         "syscalls[0].errnoRet: 4096 is not an errno"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]})",
         "syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
            "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]})",
         "syscalls[0].args[0].index: 6 is out of range"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
            "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]})",
         "syscalls[0].args[0].op: unknown op \"SCMP_CMP_LIKE\""},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
            "args": [{"index": 0, "op": "SCMP_CMP_EQ"}]}]})",
         "syscalls[0].args[0]: missing \"value\""},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
            "args": [{"index": 0, "value": -5, "op": "SCMP_CMP_EQ"}]}]})",
         "syscalls[0].args[0].value: expected a non-negative integer, got -5"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]})",
         "architectures[0]: unknown architecture \"SCMP_ARCH_Z80\""},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
            "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]})",
         "archMap: give either"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"]})",
         "flags[0]: unknown flag"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
            "includes": {"minKernel": "four"}}]})",
         "syscalls[0].includes.minKernel: \"four\" is not a kernel version"},
    };
    for (const auto& c : cases) {
        INFO(c.json);
        std::string msg = load_error(c.json);
        CHECK_THAT(msg, Catch::Contains(c.expect));
        CHECK_THAT(msg, Catch::StartsWith("test.json"));
    }
}

TEST_CASE("unknown keys are warnings, not errors", "[policy][load]") {
    auto p = policy::parse(
        R"({"defaultAction": "SCMP_ACT_ALLOW", "defaultErrno": 1,
            "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoret": 2}]})",
        "t");
    REQUIRE(p.warnings.size() == 2);
    CHECK_THAT(p.warnings[0], Catch::Contains("defaultErrno: unknown key"));
    CHECK_THAT(p.warnings[1], Catch::Contains("syscalls[0].errnoret: unknown key"));
}

TEST_CASE("deep nesting and huge input are refused quickly", "[policy][load]") {
    const auto start = std::chrono::steady_clock::now();
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK_THAT(load_error(deep), Catch::Contains("nested more than"));
    std::string big =
        R"({"defaultAction": "SCMP_ACT_ALLOW", "x": ")" + std::string(17u << 20, 'a') + "\"}";
    CHECK_THAT(load_error(big), Catch::Contains("too large"));
    // Bounded work: not a timing assertion on speed, a guard against runaway recursion.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
}

TEST_CASE("every bundled profile loads without warnings", "[policy][load]") {
    const auto& bundled = policy::bundled_profiles();
    REQUIRE(bundled.size() >= 4);
    for (const auto& b : bundled) {
        INFO(b.name);
        auto p = policy::load_bundled(std::string(b.name));
        CHECK(p.warnings.empty());
    }
    CHECK_THROWS_AS(policy::load_bundled("no-such-profile"), util::Error);
}

TEST_CASE("a missing file is a policy error naming the path", "[policy][load]") {
    try {
        policy::load_file("/nonexistent/profile.json");
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        CHECK_THAT(e.what(),
                   Catch::Contains("/nonexistent/profile.json") && Catch::Contains("ENOENT"));
    }
}
