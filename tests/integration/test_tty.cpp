// SPDX-License-Identifier: Apache-2.0
// The trace on a terminal, as a user meets it: sandbox runs on a pseudo-terminal and the command
// writes to the same terminal. Every trace line (and JSON line, and the -c table) arrives whole,
// and the line of each `write(1, "X...` comes before the X it wrote.
#include "support/identity.hpp"
#include "support/pty.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/files.hpp"

namespace {

using testsupport::RunResult;
using testsupport::split_lines;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);

constexpr int kLinesEach = 100;

// Two processes writing to the terminal at once, each line with its own write(2): the shell in
// front prints B1..B100 while a background subshell prints A1..A100.
std::vector<std::string> interleaving_command() {
    const std::string loop =
        "i=0; while [ $i -lt " + std::to_string(kLinesEach) + " ]; do i=$((i+1)); echo {}$i; done";
    auto with = [&](const std::string& letter) {
        return std::regex_replace(loop, std::regex("\\{\\}"), letter);
    };
    return {"sh", "-c", "(" + with("A") + ") & " + with("B") + "; wait"};
}

RunResult sandbox_on_terminal(Who who, std::vector<std::string> args) {
    testsupport::RunOptions o = testsupport::as(who);
    o.timeout_seconds = 120;
    args.insert(args.begin(), sandbox_bin);
    return testsupport::run_in_pty(args, o);
}

const std::regex program_line(R"(^[AB][0-9]+$)");

// Whether a line is one whole trace line: [pid N] name(...), +++ ... +++ or --- ... --- (colour
// codes around it allowed), or a diagnostic of sandbox's.
bool whole_trace_line(const std::string& l) {
    static const std::regex trace(
        R"(^(\x1b\[[0-9;]*m)?(\[pid +[0-9]+\] )?([a-z_0-9]+\(.*\)|\+\+\+ .* \+\+\+|--- .* ---)(\x1b\[0m)?$)");
    return std::regex_match(l, trace) || l.rfind("sandbox: ", 0) == 0;
}

// For every line the command printed: the position of its write's trace line must be earlier.
// `write_of(i)` gives, for the trace line at i, the line its write(1, ...) wrote ("" for others).
template <typename WriteOf>
void check_each_write_line_comes_first(const std::vector<std::string>& ls, WriteOf write_of) {
    std::map<std::string, std::size_t> written_at; // "A7" -> index of its trace line
    int printed = 0;
    for (std::size_t i = 0; i < ls.size(); ++i) {
        if (std::regex_match(ls[i], program_line)) {
            ++printed;
            INFO("line " << i << ": " << ls[i]);
            CHECK(written_at.count(ls[i]) == 1); // its write(1, ...) line came before it
            continue;
        }
        const std::string text = write_of(i);
        if (!text.empty()) written_at.emplace(text, i);
    }
    CHECK(printed == 2 * kLinesEach); // the terminal lost nothing
}

void strace_lines_in_step(Who who) {
    testsupport::require_identity(who);
    const RunResult r = sandbox_on_terminal(who, [] {
        std::vector<std::string> a{"run", "--"};
        for (auto& s : interleaving_command()) a.push_back(s);
        return a;
    }());
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const auto ls = split_lines(r.out);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        if (std::regex_match(ls[i], program_line)) continue;
        INFO("line " << i << " is neither the command's nor a whole trace line: " << ls[i]);
        CHECK(whole_trace_line(ls[i]));
    }
    static const std::regex write_line(R"re(write\(1, "([AB][0-9]+)\\n", [0-9]+\))re");
    check_each_write_line_comes_first(ls, [&](std::size_t i) {
        std::smatch m;
        return std::regex_search(ls[i], m, write_line) ? m[1].str() : std::string();
    });
    REQUIRE_FALSE(ls.empty());
    CHECK(ls.back().find("+++ exited with 0 +++") != std::string::npos);
}

} // namespace

TEST_CASE("tty: on a terminal, trace lines are whole and each write's line comes before its "
          "output (current user)",
          "[integration][tty]") {
    strace_lines_in_step(Who::current);
}

TEST_CASE("tty: on a terminal, trace lines are whole and each write's line comes before its "
          "output (uid 65534)",
          "[integration][tty]") {
    strace_lines_in_step(Who::nobody);
}

TEST_CASE("tty: on a terminal, JSON lines are whole and each write's event comes before its "
          "output",
          "[integration][tty]") {
    testsupport::require_identity(Who::current);
    std::vector<std::string> args{"run", "--json", "--"};
    for (auto& s : interleaving_command()) args.push_back(s);
    const RunResult r = sandbox_on_terminal(Who::current, args);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const auto ls = split_lines(r.out);
    std::vector<nlohmann::json> objects(ls.size());
    for (std::size_t i = 0; i < ls.size(); ++i) {
        if (std::regex_match(ls[i], program_line) || ls[i].rfind("sandbox: ", 0) == 0) continue;
        INFO("line " << i << " is neither the command's nor a whole JSON line: " << ls[i]);
        objects[i] = nlohmann::json::parse(ls[i], nullptr, false);
        CHECK(objects[i].is_object());
    }
    check_each_write_line_comes_first(ls, [&](std::size_t i) {
        const auto& j = objects[i];
        if (!j.is_object() || j.value("syscall", "") != "write") return std::string();
        const auto& d = j.at("decoded");
        if (!d.is_array() || d.size() < 2 || d[0] != 1 || !d[1].is_string()) return std::string();
        std::string text = d[1].get<std::string>();
        if (text.empty() || text.back() != '\n') return std::string();
        text.pop_back();
        return text;
    });
    REQUIRE_FALSE(ls.empty());
    const auto last = nlohmann::json::parse(ls.back(), nullptr, false);
    CHECK(last.value("type", "") == "exit");
}

TEST_CASE("tty: on a terminal, the -c table comes whole after the command's output",
          "[integration][tty]") {
    testsupport::require_identity(Who::current);
    std::vector<std::string> args{"run", "-c", "--"};
    for (auto& s : interleaving_command()) args.push_back(s);
    const RunResult r = sandbox_on_terminal(Who::current, args);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const auto ls = split_lines(r.out);
    std::size_t i = 0;
    int printed = 0;
    for (; i < ls.size() && std::regex_match(ls[i], program_line); ++i) ++printed;
    CHECK(printed == 2 * kLinesEach);
    REQUIRE(i < ls.size());
    CHECK(ls[i].find("calls") != std::string::npos); // the header, then only the table
    bool total = false;
    for (; i < ls.size(); ++i) {
        INFO("line " << i << ": " << ls[i]);
        CHECK_FALSE(std::regex_match(ls[i], program_line));
        total = total || ls[i].find("total") != std::string::npos;
    }
    CHECK(total);
}
