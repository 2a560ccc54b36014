// SPDX-License-Identifier: Apache-2.0
// Policy loading and validation: bad input is rejected with a message naming the JSON key.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "policy/compile.hpp"
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
        // Where runc is silent, sandbox refuses and says what runc would do.
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}]})",
         "runc would silently ignore it on SCMP_ACT_ALLOW"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1})",
         "defaultErrnoRet: only a default action of SCMP_ACT_ERRNO"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4095}]})",
         "4095 is not an errno libseccomp accepts (0 to 4094"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 65537}]})",
         "runc would silently keep the low 16 bits and return 1 (EPERM)"},
        {R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "read", "names": ["write"], "action": "SCMP_ACT_ERRNO"}]})",
         "runc would silently use \"names\" and ignore \"name\""},
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
    CHECK_THAT(p.warnings[0], Catch::Contains("defaultErrno: unknown top-level key") &&
                                  Catch::Contains("did you mean \"defaultErrnoRet\""));
    CHECK_THAT(p.warnings[1], Catch::Contains("syscalls[0].errnoret: unknown key"));
}

TEST_CASE("deep nesting and huge input are refused quickly", "[policy][load]") {
    const auto start = std::chrono::steady_clock::now();
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK_THAT(load_error(deep), Catch::Contains("nested more than"));
    std::string big =
        R"({"defaultAction": "SCMP_ACT_ALLOW", "x": ")" + std::string(5u << 20, 'a') + "\"}";
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
        // violation and unconfined are rule-less on purpose, and say what that means.
        if (b.name == "violation" || b.name == "unconfined") {
            REQUIRE(p.warnings.size() == 1);
            CHECK_THAT(p.warnings[0], Catch::Contains("no rules"));
        } else {
            CHECK(p.warnings.empty());
        }
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

TEST_CASE("a key given twice is refused, naming the key path and both places", "[policy][load]") {
    CHECK_THAT(load_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
                          " \"defaultAction\": \"SCMP_ACT_ERRNO\"}"),
               Catch::StartsWith("test.json: defaultAction: line 2 column 2: duplicate key") &&
                   Catch::Contains("first is at line 1 column 2"));
    CHECK_THAT(load_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["read"], "action": "SCMP_ACT_ERRNO"},
        {"names": ["mkdir"], "action": "SCMP_ACT_ALLOW", "action": "SCMP_ACT_ERRNO"}]})"),
               Catch::Contains("syscalls[1].action: line 3 column 58: duplicate key \"action\""));
    // In conditions, in unknown keys, with escapes: everywhere.
    CHECK_THAT(load_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"],
        "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]}]})"),
               Catch::Contains("syscalls[0].args[0].index:") && Catch::Contains("duplicate key"));
    CHECK_THAT(load_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "x": {"a\"b": 1, "a\"b": 2}})"),
               Catch::Contains("duplicate key \"a\"b\""));
    // The same name in different objects is no duplicate.
    CHECK_NOTHROW(policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["read"], "action": "SCMP_ACT_ERRNO"},
        {"names": ["write"], "action": "SCMP_ACT_ERRNO"}]})",
                                "t"));
}

TEST_CASE("numbers out of range name their key, exit 122, never an internal error",
          "[policy][load]") {
    const std::string deny = R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"],
        "action": "SCMP_ACT_ERRNO", )";
    const std::string arg = deny + R"("args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ", )";
    for (const char* n : {"1e400", "-1e400", "123456789012345678901234567890",
                          "-123456789012345678901234567890", "18446744073709551616"}) {
        INFO(n);
        const std::string v = n;
        CHECK_THAT(
            load_error(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": )" + v + "}"),
            Catch::Contains("defaultErrnoRet: line 1 column 56:") &&
                Catch::Contains("out of range"));
        CHECK_THAT(load_error(deny + R"("errnoRet": )" + v + "}]}"),
                   Catch::Contains("syscalls[0].errnoRet:") && Catch::Contains("out of range"));
        CHECK_THAT(load_error(deny + R"("args": [{"index": )" + v +
                              R"(, "value": 1, "op": "SCMP_CMP_EQ"}]}]})"),
                   Catch::Contains("syscalls[0].args[0].index:") &&
                       Catch::Contains("out of range"));
        CHECK_THAT(load_error(deny + R"("args": [{"index": 0, "value": )" + v +
                              R"(, "op": "SCMP_CMP_EQ"}]}]})"),
                   Catch::Contains("syscalls[0].args[0].value:") &&
                       Catch::Contains("out of range"));
        CHECK_THAT(load_error(arg + R"("valueTwo": )" + v + "}]}]}"),
                   Catch::Contains("syscalls[0].args[0].valueTwo:") &&
                       Catch::Contains("out of range"));
    }
    // Other people's numbers stay valid: argument values up to 2^64-1.
    auto p = policy::parse(arg + R"("valueTwo": 18446744073709551615}]}]})", "t");
    CHECK(p.rules.at(0).args.at(0).value_two == 18446744073709551615ULL);
    p = policy::parse(deny + R"("args": [{"index": 0, "value": 18446744073709551615, "op":
        "SCMP_CMP_EQ"}]}]})",
                      "t");
    CHECK(p.rules.at(0).args.at(0).value == 18446744073709551615ULL);
}

TEST_CASE("a control character in a syscall name is refused, naming the key", "[policy][load]") {
    const std::string head = R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{)";
    CHECK_THAT(
        load_error(head + R"("names": ["read", "mkdir\u0000x"], "action": "SCMP_ACT_ERRNO"}]})"),
        Catch::Contains("syscalls[0].names[1]: control character \\u0000") &&
            Catch::Contains("mkdir\\u0000x"));
    CHECK_THAT(load_error(head + R"("name": "mkdir\u001b[31m", "action": "SCMP_ACT_ERRNO"}]})"),
               Catch::Contains("syscalls[0].name: control character \\u001b"));
    CHECK_THAT(load_error(head + R"("names": ["mk\tdir"], "action": "SCMP_ACT_ERRNO"}]})"),
               Catch::Contains("syscalls[0].names[0]: control character \\u0009"));
    CHECK_THAT(load_error(head + R"("names": ["mkdir\u007f"], "action": "SCMP_ACT_ERRNO"}]})"),
               Catch::Contains("control character \\u007f"));
}

TEST_CASE("the filter rules after expansion are counted before anything is expanded",
          "[policy][load]") {
    const auto rule = [](int names, int per_index, int indexes) {
        std::string n, args;
        for (int i = 0; i < names; ++i) n += fmt::format("{}\"name{}\"", i ? "," : "", i);
        for (int index = 0; index < indexes; ++index)
            for (int v = 0; v < per_index; ++v)
                args += fmt::format(R"({}{{"index": {}, "value": {}, "op": "SCMP_CMP_EQ"}})",
                                    args.empty() ? "" : ",", index, v);
        return fmt::format(R"({{"names": [{}], "action": "SCMP_ACT_ERRNO"{}}})", n,
                           args.empty() ? "" : ", \"args\": [" + args + "]");
    };
    const auto profile = [](const std::string& rules) {
        return R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [)" + rules + "]}";
    };
    const auto start = std::chrono::steady_clock::now();
    // One rule: 6 conditions on each of 6 arguments, an index repeats: 36 rules per name (runc).
    CHECK_NOTHROW(policy::parse(profile(rule(1, 6, 6)), "t"));
    CHECK_THAT(load_error(profile(rule(120, 6, 6))),
               Catch::Contains("syscalls[0]: becomes 4320 filter rules") &&
                   Catch::Contains("at most 4096"));
    // No index repeats: one rule per name, whatever the number of conditions.
    CHECK_NOTHROW(policy::parse(profile(rule(4000, 1, 6)), "t"));
    // Together: the rule that crosses the bound is named.
    CHECK_THAT(load_error(profile(rule(100, 4, 5) + "," + rule(100, 4, 5) + "," + rule(10, 4, 5))),
               Catch::Contains("syscalls[2]: the profile has 4200 filter rules up to this one"));
    // At the bound, it loads.
    CHECK_NOTHROW(policy::parse(profile(rule(128, 8, 4)), "t"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30)); // generous
    CHECK(policy::kMaxFilterRules == 4096);
}

namespace {

// A file with these bytes in a fresh directory (removed at the end).
struct Scratch {
    std::string dir;
    Scratch() {
        char tmpl[] = "/tmp/sandbox-load-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir = tmpl;
    }
    ~Scratch() { (void)std::system(("rm -rf '" + dir + "'").c_str()); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
};

std::string load_file_error(const std::string& path) {
    try {
        policy::load_file(path);
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("only a regular file of at most 4 MiB is read as a profile, without blocking",
          "[policy][load]") {
    Scratch s;
    const std::string fifo = s.dir + "/fifo.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // No writer: a blocking open would wait here forever (ctest's timeout would fail the test).
    CHECK_THAT(load_file_error(fifo), Catch::Contains("fifo.json: is a FIFO") &&
                                          Catch::Contains("must be a regular file"));
    CHECK_THAT(load_file_error(s.dir), Catch::Contains("is a directory"));
    CHECK_THAT(load_file_error("/dev/zero"), Catch::Contains("/dev/zero: is a character device"));
    CHECK_THAT(load_file_error("/dev/null"), Catch::Contains("is a character device"));
    // Too large: refused from its size, before reading it (a sparse file: no disk used).
    const std::string big = s.dir + "/big.json";
    {
        const int fd = ::open(big.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(fd >= 0);
        REQUIRE(::ftruncate(fd, off_t(1) << 40) == 0); // 1 TiB
        ::close(fd);
    }
    const auto start = std::chrono::steady_clock::now();
    CHECK_THAT(load_file_error(big),
               Catch::Contains("1099511627776 bytes is too large") && Catch::Contains("4194304"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
    // "-" is a file named "-", not stdin: the message says so.
    CHECK_THAT(load_file_error("/nonexistent/-"), Catch::Contains("ENOENT"));
    try {
        policy::load_file("-");
    } catch (const util::Error& e) {
        CHECK_THAT(e.hint(), Catch::Contains("not from stdin"));
    }
    // A symlink to a regular file is fine (profiles are often linked into place).
    const std::string real = s.dir + "/real.json", link = s.dir + "/link.json";
    {
        const int fd = ::open(real.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(fd >= 0);
        const std::string text = R"({"defaultAction": "SCMP_ACT_ALLOW"})";
        REQUIRE(::write(fd, text.data(), text.size()) == ssize_t(text.size()));
        ::close(fd);
    }
    REQUIRE(::symlink(real.c_str(), link.c_str()) == 0);
    CHECK(policy::load_file(link).default_action.action == policy::Action::Allow);
}

TEST_CASE("load: SCMP_ACT_TRACE's message is 16 bits, not an errno", "[policy][load]") {
    const auto p = policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_TRACE", "errnoRet": 5000}]})",
                                 "t.json");
    REQUIRE(p.rules.size() == 1);
    CHECK(p.rules[0].action.data == 5000U);
    try {
        policy::parse(R"({"defaultAction": "SCMP_ACT_TRACE", "defaultErrnoRet": 70000})", "t.json");
        FAIL("a 17-bit TRACE message was accepted");
    } catch (const util::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("defaultErrnoRet"));
        CHECK_THAT(e.what(), Catch::Contains("low 16 bits"));
    }
    // ERRNO keeps libseccomp's errno bound.
    CHECK_THROWS_WITH(policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
        {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000}]})",
                                    "t.json"),
                      Catch::Contains("not an errno libseccomp accepts"));
}

TEST_CASE("unknown keys: the nearest known key, loud at the top, refused under --strict",
          "[policy][load]") {
    auto p = policy::parse(
        R"({"defaultAction": "SCMP_ACT_ERRNO",
            "sycalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]})",
        "t.json");
    REQUIRE(p.warnings.size() == 2);
    CHECK_THAT(p.warnings[0], Catch::Contains("sycalls: unknown top-level key") &&
                                  Catch::Contains("did you mean \"syscalls\"") &&
                                  Catch::Contains("everything under it"));
    CHECK_THAT(p.warnings[1], Catch::Contains("no rules") && Catch::Contains("cannot even start"));
    CHECK(p.unknown_keys == std::vector<std::string>{"sycalls"});
    auto ctx = policy::CompileContext::for_this_kernel({}, true);
    try {
        policy::compile(p, ctx);
        FAIL("--strict compiled a profile with an unknown key");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::policy);
        CHECK_THAT(e.what(), Catch::Contains("t.json: sycalls: unknown key"));
    }
    ctx.strict = false;
    CHECK_NOTHROW(policy::compile(p, ctx));
    // A permissive default without rules says it denies nothing; rules silence it.
    auto open = policy::parse(R"({"defaultAction": "SCMP_ACT_LOG"})", "t.json");
    REQUIRE(open.warnings.size() == 1);
    CHECK_THAT(open.warnings[0], Catch::Contains("denies nothing"));
    CHECK(policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"],
                            "action": "SCMP_ACT_ERRNO"}]})",
                        "t.json")
              .warnings.empty());
    CHECK_THAT(load_error(R"({"defaultAction": "SCMP_ACT_ALOW"})"),
               Catch::Contains("did you mean \"SCMP_ACT_ALLOW\""));
    CHECK_THAT(load_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"],
                              "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1,
                              "op": "SCMP_CMP_EQQ"}]}]})"),
               Catch::Contains("did you mean \"SCMP_CMP_EQ\""));
}

TEST_CASE("Kubernetes objects given as a profile", "[policy][load][kubernetes]") {
    // The Security Profiles Operator's SeccompProfile: its spec is the profile.
    const std::string spo = R"(apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: demo
  namespace: default
spec:
  defaultAction: SCMP_ACT_ERRNO
  baseProfileName: runc-v1.0.0
  architectures:
  - SCMP_ARCH_X86_64
  syscalls:
  - action: SCMP_ACT_ALLOW
    names: [execve, exit_group]
  - action: SCMP_ACT_ERRNO
    errnoRet: "38"
    names:
    - mkdir
    args:
    - index: 1
      value: 0x1ff
      op: SCMP_CMP_EQ
)";
    auto p = policy::parse(spo, "sp.yaml");
    CHECK(p.source == "sp.yaml: SeccompProfile \"demo\", spec");
    CHECK(p.default_action.action == policy::Action::Errno);
    REQUIRE(p.rules.size() == 2);
    CHECK(p.rules[0].names == std::vector<std::string>{"execve", "exit_group"});
    CHECK(p.rules[1].action.data == 38u); // v1beta1 spells errnoRet as a string
    REQUIRE(p.rules[1].args.size() == 1);
    CHECK(p.rules[1].args[0].value == 0x1ffu);
    REQUIRE(p.warnings.size() == 1);
    CHECK_THAT(p.warnings[0], Catch::Contains("baseProfileName: runc-v1.0.0: not read"));
    // Its spec is read as strictly as a profile file: the key is named.
    CHECK_THAT(load_error(R"(apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata: {name: bad}
spec:
  defaultAction: SCMP_ACT_ERRNO
  syscalls:
  - action: SCMP_ACT_ALOW
    names: [read]
)"),
               Catch::Contains("SeccompProfile \"bad\", spec: syscalls[0].action") &&
                   Catch::Contains("did you mean \"SCMP_ACT_ALLOW\""));
    // A key twice is an error, as the API server's decoder makes it.
    CHECK_THAT(load_error("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: "
                          "SeccompProfile\nmetadata: {name: d}\nspec:\n  defaultAction: "
                          "SCMP_ACT_ERRNO\n  defaultAction: SCMP_ACT_ALLOW\n"),
               Catch::Contains("spec.defaultAction (line 6): the key is given twice"));
    // kubectl get -o json prints the same object as JSON.
    auto j = policy::parse(R"({"apiVersion": "security-profiles-operator.x-k8s.io/v1beta1",
        "kind": "SeccompProfile", "metadata": {"name": "j"},
        "spec": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"],
                 "action": "SCMP_ACT_ERRNO"}]}})",
                           "sp.json");
    CHECK(j.rules.size() == 1);

    // A Pod: what it is, and where the profile it refers to lives on its node.
    const std::string pod = R"(apiVersion: v1
kind: Pod
metadata:
  name: audit-pod
spec:
  securityContext:
    seccompProfile:
      type: Localhost
      localhostProfile: profiles/audit.json
  containers:
  - name: web
    image: nginx
    securityContext:
      seccompProfile:
        type: RuntimeDefault
)";
    const std::string e = load_error(pod);
    CHECK_THAT(e, Catch::Contains("a Kubernetes Pod \"audit-pod\", not a seccomp profile") &&
                      Catch::Contains("/var/lib/kubelet/seccomp/profiles/audit.json") &&
                      Catch::Contains("spec.containers[0] (web).securityContext: RuntimeDefault"));
    const std::string deployment = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx
)";
    CHECK_THAT(load_error(deployment), Catch::Contains("a Kubernetes Deployment \"web\"") &&
                                           Catch::Contains("sets no seccompProfile"));
    CHECK_THAT(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"),
               Catch::Contains("a Kubernetes ConfigMap \"c\" (v1), not a seccomp profile"));
    // A profile in YAML: the node reads JSON only.
    CHECK_THAT(load_error("defaultAction: SCMP_ACT_ALLOW\nsyscalls: []\n"),
               Catch::Contains("written in YAML"));
    // Two SeccompProfiles in one file: which one is meant?
    CHECK_THAT(load_error("apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: "
                          "SeccompProfile\nmetadata: {name: a}\nspec: {defaultAction: "
                          "SCMP_ACT_ALLOW}\n---\napiVersion: "
                          "security-profiles-operator.x-k8s.io/v1beta1\nkind: "
                          "SeccompProfile\nmetadata: {name: b}\nspec: {defaultAction: "
                          "SCMP_ACT_ALLOW}\n"),
               Catch::Contains("2 SeccompProfile objects (a, b)"));
    // Plain garbage is still the JSON parser's message.
    CHECK_THAT(load_error("abc"), Catch::Contains("invalid JSON"));
    // An alias bomb is bounded.
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'k'; ++c, ++prev)
        bomb += fmt::format("{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n", c, c, prev,
                            prev, prev, prev, prev, prev, prev, prev, prev);
    bomb += "kind: SeccompProfile\napiVersion: security-profiles-operator.x-k8s.io/v1\n";
    CHECK_THAT(load_error(bomb), Catch::Contains("too large"));
}

TEST_CASE("YAML nested without end is refused before the YAML parser recurses",
          "[policy][load][kubernetes]") {
    CHECK_THAT(load_error("a: " + std::string(100000, '[')), Catch::Contains("nested too deeply"));
    std::string block;
    for (int i = 0; i < 2000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
    CHECK_THAT(load_error(block), Catch::Contains("nested too deeply"));
    CHECK_THAT(load_error(std::string(5000, '-') + " x\n"), Catch::Contains("nested too deeply"));
}
