// SPDX-License-Identifier: Apache-2.0
#pragma once
// Text for `sandbox lesson ...`: the list with progress, a lesson's text, hints, the solution,
// check results; and their JSON. Prose is wrapped to the terminal; commands never are.
#include <cstddef>
#include <string>
#include <vector>

#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"

namespace report {

// How lesson text is laid out here.
struct LessonStyle {
    std::size_t width = 80; // columns (terminal_width())
    bool colour = false;
    // How the learner runs this sandbox (lessons::sandbox_command()): "sandbox", or the binary's
    // full path when `sandbox` on PATH is not this binary.
    std::string sandbox = "sandbox";
    // At the lesson's check prompt: "type h" rather than "run `sandbox lesson hint N`".
    bool prompt = false;
};

// COLUMNS when it is a number, else the width of the terminal on stdout, else (no terminal,
// unknown) 80.
std::size_t terminal_width();

// One paragraph wrapped to `width` columns: lines break at spaces only, never inside a word.
// A command is never broken: a `backtick` span, or a command line in the text (`sandbox run …`,
// `echo … > file` at the start, after a colon or an opening parenthesis) moves to the next line
// whole, on a line of its own when it is longer than the width. The paragraph's leading spaces
// and a list marker ("1. ", "2: ", "- ") set the indent of the lines that follow.
std::string wrap(const std::string& text, std::size_t width);

std::string lesson_list(const std::vector<lessons::Lesson>& all, const lessons::Progress& progress,
                        const LessonStyle& style);
// {"schema_version":1,"lessons":[{lesson, slug, title, summary, needs, passed, solution_shown,
// hints_shown, passed_at}], "done", "total", "progress_file"} (`lesson --json`,
// `lesson status --json`; docs/schema/lesson-list.schema.json)
std::string lesson_list_json(const std::vector<lessons::Lesson>& all,
                             const lessons::Progress& progress, const std::string& progress_file);
std::string lesson_paragraph(const std::string& text, std::size_t width = 80);
// Title and text, {dir} (and the other placeholders) expanded.
std::string lesson_intro(const lessons::Lesson& l, const std::string& dir,
                         const LessonStyle& style);
// One demonstration step: what it shows (wrapped), then `  $ command` (never wrapped).
std::string lesson_step(const lessons::Step& step, const std::string& dir,
                        const LessonStyle& style);
// The task, then where to work: a second terminal in `dir` (sandbox's full path there), or
// `sandbox lesson shell N`; `interactive`: then come back to this prompt (else: verify).
std::string lesson_task(const lessons::Lesson& l, const std::string& dir, const LessonStyle& style,
                        bool interactive);
// The first `shown` hints.
std::string lesson_hints(const lessons::Lesson& l, const std::string& dir, int shown,
                         const LessonStyle& style);
std::string lesson_solution(const lessons::Lesson& l, const std::string& dir,
                            const LessonStyle& style);
// The check results: every failed check's reason, the evidence of the first few.
std::string lesson_verification(const lessons::Lesson& l, const lessons::Verification& v,
                                const LessonStyle& style);
std::string lesson_verification(const lessons::Lesson& l, const lessons::Verification& v,
                                bool colour);
// After a pass: the command of the next lesson not passed yet (or that all are done).
std::string lesson_next(const std::vector<lessons::Lesson>& all, const lessons::Progress& progress,
                        int passed_number, const LessonStyle& style);

// JSON, one object and a newline each, "schema_version" first (docs/schema/lesson-*.schema.json).
// Checks that hold carry no reason: the reason is the sentence for a failure.
std::string lesson_verification_json(const lessons::Lesson& l, const lessons::Verification& v);
// `lesson verify N --json` for a lesson this machine cannot run: passed false, skipped true, the
// reason, no checks.
std::string lesson_skipped_json(const lessons::Lesson& l, const std::string& why);
std::string lesson_show_json(const lessons::Lesson& l, const std::string& dir);
std::string lesson_hints_json(const lessons::Lesson& l, const std::string& dir, int shown);
std::string lesson_solution_json(const lessons::Lesson& l, const std::string& dir);
// `lesson selftest --json`: each lesson's status ("passed", "failed", "skipped") and detail, and
// how many of each.
struct SelftestRow {
    int lesson = 0;
    std::string title;
    std::string status;
    std::string detail;
};
std::string lesson_selftest_json(const std::vector<SelftestRow>& rows);

// A failed check's evidence as the learner may see it: without the check's own command, which
// holds the expected answer (`… exit a != "landlock"`), so only the exit status remains.
std::string public_evidence(const std::string& slice);

} // namespace report
