// SPDX-License-Identifier: Apache-2.0
// The -c summary: golden tables, sorting, restarted calls, JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "trace/summary.hpp"

namespace {

using trace::Verdict;

trace::Event event(const std::string& name, Verdict v = Verdict::Allowed, bool restarted = false) {
    trace::Event e;
    e.name = name;
    e.verdict = v;
    e.restarted = restarted;
    return e;
}

trace::Summary sample() {
    trace::Summary s;
    for (int i = 0; i < 5; ++i) s.add(event("read"));
    s.add(event("openat"));
    s.add(event("openat", Verdict::Denied));
    s.add(event("openat"));
    s.add(event("mkdir", Verdict::Killed));
    s.add(event("write"));
    s.add(event("write", Verdict::Allowed, true)); // the same write, restarted: not a new call
    s.add(event("write"));
    return s;
}

} // namespace

TEST_CASE("summary: strace -c shaped table, by calls", "[summary]") {
    const trace::Summary s = sample();
    CHECK(s.total_calls() == 11);
    CHECK(s.counts().at("write").calls == 2);
    CHECK(s.render_text() == "% calls  calls  denied  syscall\n"
                             "-------  -----  ------  -------\n"
                             "  45.45      5          read\n"
                             "  27.27      3       1  openat\n"
                             "  18.18      2          write\n"
                             "   9.09      1       1  mkdir\n"
                             "-------  -----  ------  -------\n"
                             " 100.00     11       2  total\n");
}

TEST_CASE("summary: sorting by name and by denied", "[summary]") {
    const trace::Summary s = sample();
    CHECK(s.render_text(trace::SortKey::Name) == "% calls  calls  denied  syscall\n"
                                                 "-------  -----  ------  -------\n"
                                                 "   9.09      1       1  mkdir\n"
                                                 "  27.27      3       1  openat\n"
                                                 "  45.45      5          read\n"
                                                 "  18.18      2          write\n"
                                                 "-------  -----  ------  -------\n"
                                                 " 100.00     11       2  total\n");
    CHECK(s.render_text(trace::SortKey::Denied) == "% calls  calls  denied  syscall\n"
                                                   "-------  -----  ------  -------\n"
                                                   "  27.27      3       1  openat\n"
                                                   "   9.09      1       1  mkdir\n"
                                                   "  45.45      5          read\n"
                                                   "  18.18      2          write\n"
                                                   "-------  -----  ------  -------\n"
                                                   " 100.00     11       2  total\n");
}

TEST_CASE("summary: would-deny and injected columns appear only when used", "[summary]") {
    trace::Summary s;
    s.add(event("unlink", Verdict::WouldDeny));
    s.add(event("unlink", Verdict::WouldDeny));
    s.add(event("openat", Verdict::Injected));
    s.add(event("openat"));
    s.add(event("close_range"));
    CHECK(s.render_text() == "% calls  calls  denied  would deny  injected  syscall\n"
                             "-------  -----  ------  ----------  --------  -----------\n"
                             "  40.00      2                             1  openat\n"
                             "  40.00      2                   2            unlink\n"
                             "  20.00      1                                close_range\n"
                             "-------  -----  ------  ----------  --------  -----------\n"
                             " 100.00      5                   2         1  total\n");
}

TEST_CASE("summary: empty", "[summary]") {
    const trace::Summary s;
    CHECK(s.empty());
    CHECK(s.total_calls() == 0);
    CHECK(s.render_text() == "% calls  calls  denied  syscall\n"
                             "-------  -----  ------  -------\n"
                             "-------  -----  ------  -------\n"
                             "   0.00      0          total\n");
    const auto j = nlohmann::json::parse(s.render_json());
    CHECK(j["syscalls"].empty());
    CHECK(j["total"]["calls"] == 0);
}

TEST_CASE("summary: JSON", "[summary]") {
    const std::string text = sample().render_json();
    CHECK(text.back() == '\n');
    const auto j = nlohmann::json::parse(text);
    CHECK(j["schema_version"] == 1);
    CHECK(j["type"] == "summary"); // a line of `run -c --json` like the others: it has a type
    REQUIRE(j["syscalls"].size() == 4);
    CHECK(j["syscalls"][0]["syscall"] == "read");
    CHECK(j["syscalls"][0]["calls"] == 5);
    CHECK(j["syscalls"][0]["denied"] == 0);
    CHECK(j["syscalls"][1]["syscall"] == "openat");
    CHECK(j["syscalls"][1]["denied"] == 1);
    CHECK(j["syscalls"][3]["syscall"] == "mkdir");
    CHECK(j["syscalls"][3]["denied"] == 1);
    CHECK(j["syscalls"][3]["would_deny"] == 0);
    CHECK(j["syscalls"][3]["injected"] == 0);
    CHECK(j["total"]["calls"] == 11);
    CHECK(j["total"]["denied"] == 2);
}
