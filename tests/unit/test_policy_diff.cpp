// SPDX-License-Identifier: Apache-2.0
// policy diff: verdict changes between two compiled profiles, conditional cases included.
#include <catch2/catch.hpp>

#include "support/source_dir.hpp"

#include <string>

#include "policy/compile.hpp"
#include "policy/diff.hpp"
#include "policy/load.hpp"
#include "util/error.hpp"

namespace {

policy::PolicyDiff diff_of(const policy::Policy& a, const policy::Policy& b) {
    const auto ctx = policy::CompileContext::for_this_kernel({}, false);
    return policy::diff(a, policy::compile(a, ctx), b, policy::compile(b, ctx));
}

const policy::SyscallChange* change(const policy::PolicyDiff& d, const std::string& name) {
    for (const auto& c : d.changed)
        if (c.name == name) return &c;
    return nullptr;
}

} // namespace

TEST_CASE("diff: a profile against itself is equal", "[policy][diff]") {
    const auto a = policy::load_bundled("deny-network");
    const auto d = diff_of(a, a);
    CHECK(d.equal());
    CHECK(d.changed.empty());
    CHECK(d.compared > 300);
}

TEST_CASE("diff: baseline against deny-mkdir names mkdir and mkdirat with both verdicts",
          "[policy][diff]") {
    const auto d =
        diff_of(policy::load_side("profile:baseline"), policy::load_side("profile:deny-mkdir"));
    CHECK_FALSE(d.equal());
    CHECK(d.changed.size() == 2);
    const auto* mkdir = change(d, "mkdir");
    REQUIRE(mkdir != nullptr);
    CHECK(policy::summarize(mkdir->a) == "ALLOW");
    CHECK(mkdir->a.rule == "defaultAction");
    CHECK(policy::summarize(mkdir->b) == "ERRNO(EPERM)");
    CHECK(mkdir->b.rule == "syscalls[0]");
    CHECK(change(d, "mkdirat") != nullptr);
    CHECK(d.source_a == "profile baseline");
}

TEST_CASE("diff: argument conditions count, and are summarized", "[policy][diff]") {
    const auto d = diff_of(policy::load_bundled("baseline"), policy::load_bundled("deny-network"));
    REQUIRE(d.changed.size() == 1);
    const auto& socket = d.changed[0];
    CHECK(socket.name == "socket");
    CHECK(
        policy::summarize(socket.b) ==
        "ERRNO(EACCES) if arg0 == 0x2 (32-bit); ERRNO(EACCES) if arg0 == 0xa (32-bit); else ALLOW");
    CHECK(policy::summarize_rules(socket.b) == "syscalls[0]; else defaultAction");
}

TEST_CASE("diff: a no-op rule is no difference, a different arch list is", "[policy][diff]") {
    const auto a = policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW",
        "architectures": ["SCMP_ARCH_X86_64"]})",
                                 "a");
    const auto b = policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW",
        "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                      "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}]})",
                                 "b");
    CHECK(diff_of(a, b).equal());
    const auto c = policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW"})", "c");
    const auto d = diff_of(a, c);
    if (d.arches_a.front() == "SCMP_ARCH_X86_64") {
        CHECK(d.changed.empty());
        CHECK(d.equal());
    }
}

TEST_CASE("diff: load_side reads profile:NAME and files, and names unknown ones",
          "[policy][diff]") {
    CHECK(policy::load_side("profile:deny-mkdir").source == "profile deny-mkdir");
    CHECK(policy::load_side(testsupport::source_dir() + "/policies/deny-mkdir.json").rules.size() ==
          policy::load_bundled("deny-mkdir").rules.size());
    CHECK_THROWS_AS(policy::load_side("profile:no-such"), util::Error);
    CHECK_THROWS_AS(policy::load_side("/nonexistent.json"), util::Error);
}
