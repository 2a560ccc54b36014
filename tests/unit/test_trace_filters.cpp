// SPDX-License-Identifier: Apache-2.0
// strace's output filters as sinks: -z/-Z/-e status= decide by how a call ended, -P by the paths
// and fds it names; neither changes what the -c summary counts (it sits beside them).
#include <catch2/catch.hpp>

#include <vector>

#include "trace/filters.hpp"

namespace {

namespace st = options::status;
using trace::Event;
using trace::Phase;
using trace::Verdict;

struct Collect final : trace::EventSink {
    std::vector<Event> events;
    void event(const Event& e) override { events.push_back(e); }
};

Event call(const char* name, std::optional<long> result, int err = 0) {
    Event e;
    e.name = name;
    e.tid = 7;
    e.result = result;
    e.err = err;
    return e;
}

decode::Value str(const char* s) {
    decode::Value v;
    v.kind = decode::Value::Kind::String;
    v.text = s;
    return v;
}

decode::Value fd(int n, const char* path) {
    decode::Value v;
    v.kind = decode::Value::Kind::Signed;
    v.number = n;
    v.comment = path;
    return v;
}

} // namespace

TEST_CASE("status: how a call ended, in strace's words", "[output][filters]") {
    CHECK(trace::call_status(call("read", 3)) == st::Successful);
    CHECK(trace::call_status(call("openat", -1, 2)) == st::Failed);
    CHECK(trace::call_status(call("getpid", std::nullopt)) == st::Unavailable);
    Event exit_group = call("exit_group", std::nullopt);
    exit_group.unknown_result = true;
    CHECK(trace::call_status(exit_group) == st::Unfinished);
    Event killed = call("ptrace", std::nullopt);
    killed.verdict = Verdict::Killed;
    CHECK(trace::call_status(killed) == st::Unfinished);
    Event denied = call("mkdir", -1, 1);
    denied.verdict = Verdict::Denied;
    CHECK(trace::call_status(denied) == st::Failed);
}

TEST_CASE("status filter: -Z passes failed calls only - a split call is passed whole at its exit",
          "[output][filters]") {
    Collect out;
    trace::StatusFilter f(out, st::Failed);
    f.event(call("read", 3));
    f.event(call("openat", -1, 2));
    Event entry = call("wait4", std::nullopt);
    entry.phase = Phase::Unfinished;
    f.event(entry); // held back: decided at the exit
    CHECK(out.events.size() == 1);
    Event exit = call("wait4", -1, 10);
    exit.phase = Phase::Resumed;
    f.event(exit);
    REQUIRE(out.events.size() == 2);
    CHECK(out.events[0].name == "openat");
    CHECK(out.events[1].name == "wait4");
    CHECK(out.events[1].phase == Phase::Whole); // `wait4(...) = -1 ECHILD`, one line
}

TEST_CASE(
    "path filter: -P matches file names and fds open on the path, and hides fd paths without -y",
    "[output][filters]") {
    Collect out;
    trace::PathFilter f(out, {"/etc/hostname"}, false);
    Event open = call("openat", 3);
    open.decoded = {fd(-100, "/"), str("/etc/hostname"), {}};
    open.decoded[0].kind = decode::Value::Kind::Symbol; // AT_FDCWD
    Event other = call("openat", 4);
    other.decoded = {fd(-100, "/"), str("/etc/passwd"), {}};
    other.decoded[0].kind = decode::Value::Kind::Symbol;
    Event read = call("read", 5);
    read.decoded = {fd(3, "/etc/hostname"), str("/etc/hostname"), {}};
    Event read_other = call("read", 5);
    read_other.decoded = {fd(4, "/etc/passwd"), str("/etc/hostname"), {}}; // a buffer: no match
    Event cwd = call("mkdirat", 0);
    cwd.decoded = {fd(-100, "/etc/hostname"), str("x"), {}}; // AT_FDCWD's cwd is not matched
    cwd.decoded[0].kind = decode::Value::Kind::Symbol;
    for (const Event& e : {open, other, read, read_other, cwd}) f.event(e);
    REQUIRE(out.events.size() == 2);
    CHECK(out.events[0].name == "openat");
    CHECK(out.events[1].name == "read");
    CHECK(out.events[1].decoded[0].comment.empty()); // matched by it, not printed: no -y

    Collect shown;
    trace::PathFilter with_y(shown, {"/etc/hostname"}, true);
    with_y.event(read);
    REQUIRE(shown.events.size() == 1);
    CHECK(shown.events[0].decoded[0].comment == "/etc/hostname");
}
