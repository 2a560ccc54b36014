// SPDX-License-Identifier: Apache-2.0
// Lessons do not depend on the learner's environment: `sandbox lesson selftest` passes with an
// empty environment (env -i: no HOME, no PATH, no LANG, as under cron or `docker run`), as the
// current user and as uid 65534. The state directory comes from the account (getpwuid) or the
// /var/tmp fallback, as it would for such a learner.
#include "support/identity.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <unistd.h>

namespace {

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string lessons_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR) + "/lessons";

void selftest_without_environment(bool as_nobody) {
    if (as_nobody && ::getuid() != 0 && ::getuid() != testsupport::nobody_uid)
        skip_test("running as uid 65534 needs root (or running the tests as 65534)");
    if (as_nobody && ::getuid() == testsupport::nobody_uid)
        skip_test("the tests already run as uid 65534: the current-user case is this one");
    testsupport::RunOptions o = testsupport::timeout(600);
    // Only where the lessons are (the binary finds them next to itself once installed).
    o.env = std::vector<std::string>{"SANDBOX_LESSONS=" + lessons_dir};
    const auto who = as_nobody ? testsupport::Who::nobody : testsupport::Who::current;
    const auto r = testsupport::sandbox(sandbox_bin, who, {"lesson", "selftest"}, o);
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("FAILED") == std::string::npos);
    CHECK(r.out.find(" 0 failed") != std::string::npos);
}

} // namespace

TEST_CASE("lessons: selftest passes with an empty environment (current user)",
          "[integration][lessons]") {
    selftest_without_environment(false);
}
TEST_CASE("lessons: selftest passes with an empty environment (uid 65534)",
          "[integration][lessons]") {
    selftest_without_environment(true);
}
