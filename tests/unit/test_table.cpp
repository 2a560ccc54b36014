// SPDX-License-Identifier: Apache-2.0
// Golden strings for the table renderer.
#include <catch2/catch.hpp>

#include "util/table.hpp"

TEST_CASE("tables align columns and trim trailing space", "[output][table]") {
    util::Table t({"SYSCALL", "VERDICT", "RULE"});
    t.add({"mkdir", "ERRNO(EPERM)", "syscalls[0]"});
    t.add({"io_uring_setup", "ALLOW", ""});
    CHECK(t.render() == "SYSCALL         VERDICT       RULE\n"
                        "mkdir           ERRNO(EPERM)  syscalls[0]\n"
                        "io_uring_setup  ALLOW\n");
    CHECK(t.render(2) == "  SYSCALL         VERDICT       RULE\n"
                         "  mkdir           ERRNO(EPERM)  syscalls[0]\n"
                         "  io_uring_setup  ALLOW\n");
}
