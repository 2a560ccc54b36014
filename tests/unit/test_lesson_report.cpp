// SPDX-License-Identifier: Apache-2.0
// Lesson text: wrapped to the terminal, never inside a word, commands never broken; check
// results and their JSON.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"
#include "report/lesson_report.hpp"

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

} // namespace

TEST_CASE("lesson text: wrapped at the width, at spaces only", "[lesson_report]") {
    const std::string text =
        "A program never touches the hardware or another process directly. Every time it needs "
        "the kernel (to open a file, start a program, ask the time) it makes a system call: it "
        "puts a number and up to six arguments in registers.";
    for (std::size_t width : {40u, 60u, 80u, 120u}) {
        INFO(width);
        const std::string out = report::wrap(text, width);
        for (const auto& l : lines(out)) CHECK(l.size() <= width);
        CHECK(words(out) == words(text)); // no word broken, none lost
    }
    CHECK(report::wrap(text, 400).find('\n') == std::string::npos);
    // A word longer than the line stays whole, on a line of its own.
    const std::string path(90, 'x');
    CHECK(lines(report::wrap("see " + path + " there", 80)) ==
          std::vector<std::string>{"see", path, "there"});
}

TEST_CASE("lesson text: commands are never broken", "[lesson_report]") {
    // A backtick span stays whole: at the end of a line it moves to the next.
    const std::string span = "`sandbox run --rw /var/tmp/x -o trace1.txt -- touch /var/tmp/x/e`";
    const std::string out = report::wrap(
        "Trace it like this, in the lesson directory: " + span + ", then look at the trace.", 60);
    bool whole = false;
    for (const auto& l : lines(out)) whole = whole || l.find(span) != std::string::npos;
    CHECK(whole);
    // A command line in a hint, longer than the width: on a line of its own, then the prose.
    const std::string cmd = "sandbox run --rw /var/tmp/ux/work/01-execve -o trace1.txt -- touch "
                            "/var/tmp/ux/work/01-execve/error.log ;";
    const auto hint = lines(report::wrap("Hint 2 of 3: " + cmd +
                                             " then the same with LESSON=1 in "
                                             "front and -o trace2.txt.",
                                         80));
    REQUIRE(hint.size() == 3);
    CHECK(hint[0] == "Hint 2 of 3:");
    CHECK(hint[1] == cmd);
    CHECK(hint[2] == "then the same with LESSON=1 in front and -o trace2.txt.");
    // After a colon, quotes and all.
    const std::string sed =
        "sed -n 's|^execve(.* /\\* \\([0-9]*\\) vars \\*/)$|\\1|p' trace1.txt > "
        "answer.txt";
    const auto h3 =
        lines(report::wrap("Hint 3 of 3: Read the number out of trace1.txt: " + sed, 60));
    CHECK(h3.back() == sed);
    // Prose that starts with the word sandbox is prose.
    const auto prose = lines(report::wrap(
        "sandbox run takes its options before `--` and the command after it; -o FILE writes the "
        "trace to FILE, --rw PATH makes PATH writable inside.",
        40));
    for (const auto& l : prose) CHECK(l.size() <= 40);
}

TEST_CASE("lesson text: a list item's lines are indented under its text", "[lesson_report]") {
    const auto out = lines(report::wrap(
        "1. Trace touch and save the trace in trace1.txt. The file must really be created.", 40));
    REQUIRE(out.size() >= 2);
    CHECK(out[0].rfind("1. Trace", 0) == 0);
    for (std::size_t i = 1; i < out.size(); ++i) CHECK(out[i].rfind("   ", 0) == 0);
}

TEST_CASE("lesson text: the terminal's width from COLUMNS, else 80 without a terminal",
          "[lesson_report]") {
    ::setenv("COLUMNS", "132", 1);
    CHECK(report::terminal_width() == 132);
    ::setenv("COLUMNS", "wide", 1);
    const std::size_t w = report::terminal_width();
    if (::isatty(1) == 0) CHECK(w == 80);
    ::unsetenv("COLUMNS");
    if (::isatty(1) == 0) CHECK(report::terminal_width() == 80);
}

TEST_CASE("lesson checks: the evidence never shows the check's own command", "[lesson_report]") {
    CHECK(report::public_evidence(
              "    $ awk '$1 == \"2\" {a = $2} END {exit a != \"landlock\"}' answers.txt   (exit "
              "status 1)\n    2 apparmor\n") ==
          "    (the check's command exited with status 1)\n    2 apparmor\n");
    CHECK(report::public_evidence("    (there is no a.txt in /x)\n") ==
          "    (there is no a.txt in /x)\n");
}

TEST_CASE("lesson checks: JSON gives a reason for a failed check only", "[lesson_report]") {
    lessons::Lesson l;
    l.number = 3;
    l.title = "t";
    lessons::Verification v;
    v.checks.push_back({true, "a sentence for when it fails", ""});
    v.checks.push_back({false, "answer.txt must hold one syscall name.", "    evidence\n"});
    auto j = nlohmann::json::parse(report::lesson_verification_json(l, v));
    CHECK(j["passed"] == false);
    CHECK(j["checks"][0]["passed"] == true);
    CHECK_FALSE(j["checks"][0].contains("reason"));
    CHECK(j["checks"][1]["reason"] == "answer.txt must hold one syscall name.");
    CHECK(j["checks"][1]["evidence"] == "    evidence\n");
}

TEST_CASE("lesson checks: after a pass, the next lesson not passed yet", "[lesson_report]") {
    std::vector<lessons::Lesson> all(3);
    for (int i = 0; i < 3; ++i) {
        all[static_cast<std::size_t>(i)].number = i + 1;
        all[static_cast<std::size_t>(i)].title = "Lesson title " + std::to_string(i + 1);
    }
    lessons::Progress p;
    p.lessons[1].passed = true;
    p.lessons[2].passed = true;
    report::LessonStyle style;
    style.sandbox = "/opt/build/sandbox";
    CHECK(report::lesson_next(all, p, 1, style) ==
          "Next: `/opt/build/sandbox lesson 3` (Lesson title 3).\n");
    p.lessons[3].passed = true;
    CHECK_THAT(report::lesson_next(all, p, 3, style), Catch::Contains("every lesson is done"));
}
