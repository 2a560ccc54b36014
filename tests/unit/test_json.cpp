// SPDX-License-Identifier: Apache-2.0
// The JSON-lines writer: every line parses, fields carry the event, odd bytes stay valid JSON.
#include <catch2/catch.hpp>

#include <cstring>
#include <map>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <seccomp.h>
#include <signal.h>

#include "decode/decoder.hpp"
#include "fake_memory.hpp"
#include "trace/json_writer.hpp"

namespace {

using decode::Value;
using nlohmann::json;

using testsupport::FakeMemory;

json parse_line(const std::string& text) {
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    CHECK(text.find('\n') == text.size() - 1); // one line
    return json::parse(text);                  // throws (fails the test) on invalid JSON/UTF-8
}

trace::Event decoded_event(const std::string& name, const std::array<std::uint64_t, 6>& args,
                           decode::Memory& m, const decode::FdPath& paths = {}) {
    trace::Event e;
    e.time = 1700000000.5;
    e.pid = 2;
    e.tid = 3;
    e.nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name.c_str());
    e.arch = SCMP_ARCH_X86_64;
    e.name = name;
    e.args = args;
    e.decoded = decode::decode_arguments(name, args, m, {}, paths);
    return e;
}

} // namespace

TEST_CASE("json: a denied openat", "[json]") {
    FakeMemory m;
    m.map(0x1000, std::string("/etc/passwd\0", 12));
    trace::Event e =
        decoded_event("openat", {0xffffffffffffff9cULL, 0x1000, O_RDONLY | O_CLOEXEC, 0, 0, 0}, m);
    e.verdict = trace::Verdict::Denied;
    e.rule = "syscalls[3]";
    e.action = "ERRNO(EPERM)";
    e.result = -1;
    e.err = EPERM;
    const json j = parse_line(trace::event_json(e));
    CHECK(j["schema_version"] == 1);
    CHECK(j["type"] == "syscall");
    CHECK(j["time"].get<double>() == Approx(1700000000.5));
    CHECK(j["pid"] == 2);
    CHECK(j["tid"] == 3);
    CHECK(j["syscall"] == "openat");
    CHECK(j["nr"] == 257);
    CHECK(j["arch"] == "SCMP_ARCH_X86_64");
    REQUIRE(j["args"].size() == 6);
    CHECK(j["args"][0] == "0xffffffffffffff9c");
    CHECK(j["args"][1] == "0x1000");
    CHECK(j["args"][5] == "0x0");
    REQUIRE(j["decoded"].size() == 3);
    CHECK(j["decoded"][0] == "AT_FDCWD");
    CHECK(j["decoded"][1] == "/etc/passwd");
    CHECK(j["decoded"][2] == "O_RDONLY|O_CLOEXEC");
    CHECK(j["verdict"] == "denied");
    CHECK(j["rule"] == "syscalls[3]");
    CHECK(j["action"] == "ERRNO(EPERM)");
    CHECK(j["result"] == -1);
    CHECK(j["errno"] == "EPERM");
    CHECK(j["restarted"] == false);
}

TEST_CASE("json: allowed events have null rule/action/result and no errno", "[json]") {
    FakeMemory m;
    trace::Event e = decoded_event("getpid", {}, m);
    const json j = parse_line(trace::event_json(e));
    CHECK(j["verdict"] == "allowed");
    CHECK(j["rule"].is_null());
    CHECK(j["action"].is_null());
    CHECK(j["result"].is_null());
    CHECK_FALSE(j.contains("errno"));
    CHECK(j["decoded"].is_array());
    CHECK(j["decoded"].empty());
    for (auto v : {trace::Verdict::Killed, trace::Verdict::WouldDeny, trace::Verdict::Injected}) {
        e.verdict = v;
        e.restarted = true;
        const json k = parse_line(trace::event_json(e));
        CHECK(k["verdict"] == trace::verdict_name(v));
        CHECK(k["restarted"] == true);
    }
    CHECK(trace::verdict_name(trace::Verdict::WouldDeny) == "would-deny");
    e.arch = 0x12345678;
    CHECK(parse_line(trace::event_json(e))["arch"].is_null()); // no name: null, never a guess
    CHECK(trace::arch_name(SCMP_ARCH_AARCH64) == "SCMP_ARCH_AARCH64");
}

TEST_CASE("json: bytes that are not UTF-8 still make valid JSON", "[json]") {
    FakeMemory m;
    // 0xff 0xfe are never valid; "é" is; a lone continuation byte and a truncated sequence are not.
    m.map(0x1000, std::string("\xff\xfeok\xc3\xa9\x80\xe2\x82\0", 11));
    trace::Event e = decoded_event("write", {1, 0x1000, 10, 0, 0, 0}, m);
    e.rule = "bad\xffrule";
    const std::string text = trace::event_json(e);
    const json j = parse_line(text);
    // each bad byte became U+00XX (UTF-8 C2/C3 xx); the good "é" stayed as it was
    CHECK(j["decoded"][1] == std::string("\xc3\xbf\xc3\xbe"
                                         "ok"
                                         "\xc3\xa9"
                                         "\xc2\x80"
                                         "\xc3\xa2"
                                         "\xc2\x82"
                                         "\0",
                                         15));
    CHECK(j["rule"] == "bad\xc3\xbfrule");
}

TEST_CASE("json: structured values", "[json]") {
    FakeMemory m;
    m.map(0x1000, std::string("touch\0", 6));
    std::string argv(24, '\0');
    const std::uint64_t words[3] = {0x1000, 0x4000, 0};
    std::memcpy(argv.data(), words, sizeof words);
    m.map(0x2000, argv);
    m.map(0x3000, std::string("\x01\x00\0abstract", 11));
    m.map(0x4000, std::string(100, 'z') + std::string(1, '\0'));

    const json exec = parse_line(
        trace::event_json(decoded_event("execve", {0x4000, 0x2000, 0x2000, 0, 0, 0}, m)));
    CHECK(exec["decoded"][0] == std::string(100, 'z')); // paths are not cut at -s
    CHECK(exec["decoded"][1][0] == "touch");
    CHECK(exec["decoded"][1][1]["string"] == std::string(32, 'z'));
    CHECK(exec["decoded"][1][1]["truncated"] == true);
    CHECK(exec["decoded"][2]["value"] == "0x2000");
    CHECK(exec["decoded"][2]["comment"] == "2 vars");

    const json un =
        parse_line(trace::event_json(decoded_event("connect", {3, 0x3000, 11, 0, 0, 0}, m)));
    CHECK(un["decoded"][1]["sa_family"] == "AF_UNIX");
    CHECK(un["decoded"][1]["sun_path"] == "@abstract");
    CHECK(un["decoded"][2] == 11);

    const json bad = parse_line(trace::event_json(decoded_event(
        "openat", {3, 0xdead000, 0, 0, 0, 0}, m, [](int) { return std::string("/etc"); })));
    CHECK(bad["decoded"][0]["value"] == 3);
    CHECK(bad["decoded"][0]["path"] == "/etc");
    CHECK(bad["decoded"][1]["unreadable"] == "0xdead000");

    const json mm = parse_line(
        trace::event_json(decoded_event("mmap", {0, 4096, 3, 0x22, 0xffffffffffffffffULL, 0}, m)));
    CHECK(mm["decoded"][0].is_null());
    CHECK(mm["decoded"][1] == 4096);
    CHECK(mm["decoded"][2] == "PROT_READ|PROT_WRITE");
    CHECK(mm["decoded"][4] == -1);
    CHECK(mm["decoded"][5] == "0x0");

    const json mk =
        parse_line(trace::event_json(decoded_event("mkdir", {0x1000, 0755, 0, 0, 0, 0}, m)));
    CHECK(mk["decoded"][1] == "0755");
}

TEST_CASE("json: exit lines", "[json]") {
    const json a = parse_line(trace::exit_json(2, 1 << 8));
    CHECK(a["type"] == "exit");
    CHECK(a["pid"] == 2);
    CHECK(a["code"] == 1);
    const json b = parse_line(trace::exit_json(2, SIGSYS));
    CHECK(b["signal"] == "SIGSYS");
    CHECK(b["core_dumped"] == false);
    CHECK_FALSE(b.contains("code"));
    CHECK_FALSE(b.contains("seccomp_kill"));

    trace::SeccompKill unknown;
    unknown.candidates = {{"syscalls[0]", "KILL_PROCESS", {"ptrace", "process_vm_readv"}}};
    const json c = parse_line(trace::exit_json(2, SIGSYS, &unknown));
    CHECK(c["seccomp_kill"]["syscall"].is_null());
    CHECK(c["seccomp_kill"]["rule"].is_null());
    CHECK(c["seccomp_kill"]["candidates"][0]["rule"] == "syscalls[0]");
    CHECK(c["seccomp_kill"]["candidates"][0]["action"] == "KILL_PROCESS");
    CHECK(c["seccomp_kill"]["candidates"][0]["syscalls"][1] == "process_vm_readv");
    trace::SeccompKill known;
    known.syscall = "ptrace";
    known.call = "ptrace(PTRACE_TRACEME, 0, NULL, NULL)";
    known.rule = "syscalls[0]";
    known.action = "KILL_PROCESS";
    const json k = parse_line(trace::exit_json(2, SIGSYS, &known));
    CHECK(k["seccomp_kill"]["syscall"] == "ptrace");
    CHECK(k["seccomp_kill"]["call"] == "ptrace(PTRACE_TRACEME, 0, NULL, NULL)");
    CHECK(k["seccomp_kill"]["action"] == "KILL_PROCESS");
    CHECK(k["seccomp_kill"]["candidates"].empty());
}
