// SPDX-License-Identifier: Apache-2.0
// Golden strings for the strace-style printer: every verdict's ending, prefixes, timestamps,
// the raw fallback, colour, and the final exit lines.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <signal.h>

#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"
#include "report/lesson_report.hpp"
#include "trace/strace_printer.hpp"

namespace {

using decode::Value;
using trace::Event;
using trace::Verdict;

Value sym(const char* s) {
    Value v;
    v.kind = Value::Kind::Symbol;
    v.text = s;
    return v;
}
Value str(const std::string& s, bool truncated = false) {
    Value v;
    v.kind = Value::Kind::String;
    v.text = s;
    v.truncated = truncated;
    return v;
}
Value num(Value::Kind kind, std::int64_t n) {
    Value v;
    v.kind = kind;
    v.number = n;
    return v;
}
Value flags(std::vector<Value> items, std::int64_t rest = 0) {
    Value v;
    v.kind = Value::Kind::Flags;
    v.items = std::move(items);
    v.number = rest;
    return v;
}

// openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC), as the decoder produces it.
Event openat() {
    Event e;
    e.pid = e.tid = 42;
    e.name = "openat";
    e.nr = 257;
    e.args = {0xffffffffffffff9cULL, 0x7ffd1000, 02000000, 0, 0, 0};
    e.decoded = {sym("AT_FDCWD"), str("/etc/passwd"), flags({sym("O_RDONLY"), sym("O_CLOEXEC")})};
    return e;
}

Event mkdir() {
    Event e;
    e.pid = e.tid = 7;
    e.name = "mkdir";
    e.nr = 83;
    e.decoded = {str("/x"), num(Value::Kind::Octal, 0755)};
    return e;
}

const std::string kOpenat = R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC))";

std::string print(const Event& e, bool show_pid = false, trace::PrintOptions o = {}) {
    return trace::format_line(e, show_pid, o);
}

} // namespace

TEST_CASE("printer: line endings per verdict", "[printer]") {
    Event e = openat();
    SECTION("allowed, no result: nothing after the call") {
        CHECK(print(e) == kOpenat + "\n");
    }
    SECTION("denied") {
        e.verdict = Verdict::Denied;
        e.result = -1;
        e.err = EPERM;
        e.rule = "syscalls[3]";
        e.action = "ERRNO(EPERM)";
        CHECK(print(e) ==
              kOpenat + " = -1 EPERM (Operation not permitted) <denied by syscalls[3]>\n");
    }
    SECTION("denied, short call: the result column is 40, as in strace") {
        Event m = mkdir();
        m.verdict = Verdict::Denied;
        m.result = -1;
        m.err = EACCES;
        m.rule = "syscalls[0]";
        CHECK(print(m) == R"(mkdir("/x", 0755))" + std::string(23, ' ') +
                              "= -1 EACCES (Permission denied) <denied by syscalls[0]>\n");
    }
    SECTION("would deny") {
        e.verdict = Verdict::WouldDeny;
        e.rule = "syscalls[3]";
        e.action = "ERRNO(EPERM)";
        CHECK(print(e) == kOpenat + " <would deny: ERRNO(EPERM) by syscalls[3]>\n");
    }
    SECTION("injected") {
        e.verdict = Verdict::Injected;
        e.result = -1;
        e.err = ENOENT;
        CHECK(print(e) == kOpenat + " = -1 ENOENT (No such file or directory) (INJECTED)\n");
    }
    SECTION("killed") {
        e.verdict = Verdict::Killed;
        e.rule = "syscalls[2]";
        e.action = "KILL_PROCESS";
        CHECK(print(e) == kOpenat + " = ? <killed by seccomp: KILL_PROCESS by syscalls[2]>\n");
    }
    SECTION("allowed with a result (the ptrace engine)") {
        e.result = 3;
        CHECK(print(e) == kOpenat + " = 3\n");
        e.result = -1;
        e.err = ENOENT;
        CHECK(print(e) == kOpenat + " = -1 ENOENT (No such file or directory)\n");
        Event mm;
        mm.name = "mmap";
        mm.decoded = {num(Value::Kind::Pointer, 0)};
        mm.result = 0x7f8831917000;
        CHECK(print(mm) == "mmap(NULL)" + std::string(30, ' ') + "= 0x7f8831917000\n");
    }
    SECTION("restarted") {
        e.restarted = true;
        CHECK(print(e) == kOpenat + " <restarted>\n");
    }
}

TEST_CASE("printer: [pid N] prefix and timestamps", "[printer]") {
    Event e;
    e.pid = e.tid = 42;
    e.name = "getpid";
    CHECK(print(e, true) == "[pid    42] getpid()\n");
    e.tid = 123456;
    CHECK(print(e, true) == "[pid 123456] getpid()\n");

    const char* old = std::getenv("TZ");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    e.tid = 42;
    e.time = 1700000000.123456; // 2023-11-14 22:13:20 UTC
    CHECK(print(e, false, {1, false}) == "22:13:20 getpid()\n");
    CHECK(print(e, false, {2, false}) == "22:13:20.123456 getpid()\n");
    CHECK(print(e, false, {3, false}) == "1700000000.123456 getpid()\n");
    CHECK(print(e, true, {2, false}) == "[pid    42] 22:13:20.123456 getpid()\n");
    e.time = 1700000000.9999999; // rounds up into the next second
    CHECK(print(e, false, {2, false}) == "22:13:21.000000 getpid()\n");
    if (old != nullptr)
        ::setenv("TZ", saved.c_str(), 1);
    else
        ::unsetenv("TZ");
    ::tzset();
}

TEST_CASE("printer: raw arguments when nothing was decoded", "[printer]") {
    Event e;
    e.name = "syscall_1234";
    e.args = {1, 0x7ffd1000, 0, 0xffffffffffffffffULL, 0, 0};
    CHECK(print(e) == "syscall_1234(0x1, 0x7ffd1000, 0, 0xffffffffffffffff, 0, 0)\n");
    e.name = "openat"; // known, but the engine did not decode it
    CHECK(print(e) == "openat(0x1, 0x7ffd1000, 0, 0xffffffffffffffff, 0, 0)\n");
    e.name = "getpid"; // known to take no arguments
    CHECK(print(e) == "getpid()\n");
}

TEST_CASE("printer: colour only when asked, and only for denials", "[printer]") {
    Event e = openat();
    CHECK(print(e, false, {0, true}) == kOpenat + "\n");
    e.verdict = Verdict::Denied;
    e.result = -1;
    e.err = EPERM;
    e.rule = "defaultAction";
    const std::string plain =
        kOpenat + " = -1 EPERM (Operation not permitted) <denied by defaultAction>";
    CHECK(print(e, false, {0, false}) == plain + "\n");
    CHECK(print(e, false, {0, true}) == "\x1b[31m" + plain + "\x1b[0m\n");
    e.verdict = Verdict::Killed;
    CHECK(print(e, false, {0, true}).starts_with("\x1b[31m"));
    e.verdict = Verdict::WouldDeny;
    e.action = "ERRNO(EPERM)";
    e.result.reset(); // the notify supervisor lets it run and learns no result
    e.err = 0;
    CHECK(print(e, false, {0, true}) ==
          "\x1b[33m" + kOpenat + " <would deny: ERRNO(EPERM) by defaultAction>\x1b[0m\n");
    e.result = 3; // the ptrace engine knows what it returned
    CHECK(print(e, false, {0, false}) ==
          kOpenat + " = 3 <would deny: ERRNO(EPERM) by defaultAction>\n");
    e.result = -1;
    e.err = EPERM;
    e.verdict = Verdict::Injected;
    CHECK(print(e, false, {0, true}).find('\x1b') == std::string::npos);
}

TEST_CASE("printer: value syntax", "[printer]") {
    using trace::format_value;
    CHECK(format_value(num(Value::Kind::Pointer, 0)) == "NULL");
    CHECK(format_value(num(Value::Kind::Pointer, 0x7ffd)) == "0x7ffd");
    CHECK(format_value(num(Value::Kind::Hex, 0)) == "0");
    CHECK(format_value(num(Value::Kind::Octal, 0)) == "000");
    CHECK(format_value(num(Value::Kind::Octal, 0644)) == "0644");
    CHECK(format_value(num(Value::Kind::Unsigned, -1)) == "18446744073709551615");
    CHECK(format_value(num(Value::Kind::Unreadable, 0xdead)) == "0xdead");
    CHECK(format_value(flags({})) == "0");
    CHECK(format_value(flags({}, 0x10)) == "0x10");
    CHECK(format_value(flags({sym("A"), sym("B")}, 0x10)) == "A|B|0x10");
    CHECK(format_value(str("abc", true)) == R"("abc"...)");
    CHECK(format_value(str(std::string("\0"
                                       "1\0x\x7f\x80",
                                       6))) == R"("\0001\0x\177\200")");

    Value fd = num(Value::Kind::Signed, 3);
    fd.comment = "/etc/pass>wd";
    CHECK(format_value(fd) == R"(3</etc/pass\76wd>)");
    Value env = num(Value::Kind::Pointer, 0x7ffce8f874f8);
    env.comment = "23 vars";
    CHECK(format_value(env) == "0x7ffce8f874f8 /* 23 vars */");

    Value array;
    array.kind = Value::Kind::Array;
    CHECK(format_value(array) == "[]");
    array.truncated = true;
    CHECK(format_value(array) == "[...]");
    array.items = {str("a"), num(Value::Kind::Unreadable, 0x10)};
    CHECK(format_value(array) == R"(["a", 0x10, ...])");

    Value s;
    s.kind = Value::Kind::Struct;
    s.field_names = {"sa_family", "nl_pid", "nl_groups"};
    s.items = {sym("AF_NETLINK"), num(Value::Kind::Unsigned, 0), num(Value::Kind::Hex, 0)};
    CHECK(format_value(s) == "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}");
    CHECK(trace::quote_string("a\"b\\") == R"("a\"b\\")");
}

TEST_CASE("printer: exit lines", "[printer]") {
    CHECK(trace::format_exit(42, 0, false) == "+++ exited with 0 +++\n");
    CHECK(trace::format_exit(42, 3 << 8, false) == "+++ exited with 3 +++\n");
    CHECK(trace::format_exit(42, SIGSYS, false) == "+++ killed by SIGSYS +++\n");
    CHECK(trace::format_exit(42, SIGSEGV | 0x80, false) ==
          "+++ killed by SIGSEGV (core dumped) +++\n");
    CHECK(trace::format_exit(42, 0, true) == "[pid    42] +++ exited with 0 +++\n");

    // A death by SIGSYS the policy's KILL explains: the call when it is known, else the rules.
    trace::SeccompKill known;
    known.syscall = "ptrace";
    known.rule = "syscalls[0]";
    known.action = "KILL_PROCESS";
    CHECK(trace::format_exit(42, SIGSYS, false, &known) ==
          "+++ killed by SIGSYS (seccomp KILL_PROCESS at ptrace by syscalls[0]) +++\n");
    trace::SeccompKill unknown;
    unknown.candidates = {{"syscalls[0]", "KILL_PROCESS", {"ptrace"}},
                          {"defaultAction", "KILL_THREAD", {}}};
    CHECK(trace::format_exit(42, SIGSYS | 0x80, false, &unknown) ==
          "+++ killed by SIGSYS (core dumped) (seccomp KILL: syscalls[0] or defaultAction) +++\n");
    CHECK(trace::format_exit(42, 0, false, &unknown) == "+++ exited with 0 +++\n");
}

TEST_CASE("lesson verification: every failed reason, the evidence of the first three only",
          "[printer][lessons]") {
    lessons::Lesson l;
    l.number = 12;
    lessons::Verification v;
    v.checks.push_back({true, "holds", "never shown\n"});
    for (int i = 1; i <= 5; ++i)
        v.checks.push_back(
            {false, "reason " + std::to_string(i), "    evidence " + std::to_string(i) + "\n"});
    const std::string out = report::lesson_verification(l, v, false);
    for (int i = 1; i <= 5; ++i)
        CHECK(out.find("not yet: reason " + std::to_string(i)) != std::string::npos);
    CHECK(out.find("evidence 3") != std::string::npos);
    CHECK(out.find("evidence 4") == std::string::npos);
    CHECK(out.find("never shown") == std::string::npos);
    CHECK(out.find("(1 of 6 checks hold;") != std::string::npos);
    CHECK(out.find("\033[") == std::string::npos); // no colour unless asked
}

TEST_CASE("printer: strings in hex with -x and -xx, as strace", "[printer]") {
    decode::Value tab{decode::Value::Kind::String};
    tab.text = "a\tb";
    decode::Value utf8{decode::Value::Kind::String};
    utf8.text = "caf\xc3\xa9";
    CHECK(trace::format_value(tab, 1) == "\"a\\tb\""); // named escapes are not "non-ASCII"
    CHECK(trace::format_value(utf8, 1) == "\"\\x63\\x61\\x66\\xc3\\xa9\"");
    CHECK(trace::format_value(utf8, 0) == "\"caf\\303\\251\"");
    CHECK(trace::format_value(tab, 2) == "\"\\x61\\x09\\x62\"");
}
