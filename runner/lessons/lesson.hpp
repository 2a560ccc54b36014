// SPDX-License-Identifier: Apache-2.0
#pragma once
// A lesson as data (lessons/NN-slug/lesson.json, see lessons/README.md): text, demonstration
// steps, the task, checks with a reason each, tiered hints, a reference solution and wrong answers
// that must fail. Loading validates and names the JSON key, like policies do.
#include <optional>
#include <string>
#include <vector>

#include "lessons/pod.hpp"

namespace lessons {

struct Step {
    std::string say; // shown before the command
    std::string run; // a shell command; {sandbox}, {dir} and {bin} are substituted
};

struct Check {
    // exactly one kind:
    std::string file;    // file check: a file in the lesson directory ...
    std::string matches; // ... with a line matching this regex (capture group 1 -> `capture`)
    std::string absent;  // ... or with no line matching this regex
    std::string capture;
    std::string run;                   // command check: a shell command ...
    std::optional<int> exit;           // ... that exits with this status
    std::optional<int> exit_not;       // ... or with anything but this
    std::string output_matches;        // ... and whose stdout+stderr matches this regex
    std::string compare;               // compare check: variable NAME ...
    std::string equals;                // ... equals "NAME", "NAME + K", "NAME - K" or "K"
    std::string differs;               // ... or differs from such an expression
    std::string predictions;           // predictions check: "NAME VERDICT" lines in this file ...
    std::string profile;               // ... against this bundled profile's verdicts ...
    std::vector<std::string> syscalls; // ... for these syscalls (lessons/checks.hpp)
    std::string pod;                   // pod check: a Pod manifest in this file ...
    pod::Expect pod_expect;            // ... with what "expect" asks of it (lessons/pod.hpp)
    std::string reason;                // one sentence, shown when the check fails
    std::string show; // regex of the lines to show when it fails (default: all, cut)
};

struct Lesson {
    int number = 0;
    std::string slug; // "01-execve"
    std::string dir;  // where lesson.json is
    std::string title;
    std::string summary;
    std::vector<std::string> needs; // "root", "userns", "strace", "ptrace"
    std::vector<std::string> text;
    std::vector<Step> steps;
    std::vector<std::string> task;
    std::vector<Check> checks;
    std::vector<std::string> hints;    // concept -> command shape -> full command
    std::vector<std::string> solution; // commands that solve it (run in the lesson directory)
    std::vector<std::vector<std::string>> wrong; // attempts that must fail the checks
};

// Throws util::Error (exit_code::usage) naming the file and key.
Lesson load(const std::string& lesson_json, int number, const std::string& slug);
// Every lesson under `root` (folders named NN-slug with a lesson.json), in order.
std::vector<Lesson> load_all(const std::string& root);
// Where the bundled lessons are: $SANDBOX_LESSONS, else the first directory of
// lessons_search_path() that exists. Relocatable: found from the binary's own path, never from
// the source tree. Throws util::Error naming where it looked, with the remedy (SANDBOX_LESSONS).
std::string lessons_root();
// Where lessons_root() looks, in order: EXE_DIR/../share/sandbox/lessons (installed),
// EXE_DIR/share/sandbox/lessons (a build tree: a link to the checkout's lessons/), the install
// prefix's share/sandbox/lessons.
std::vector<std::string> lessons_search_path();
// The lessons' programs ({bin}: demo-service, race-demo, ...): EXE_DIR/../libexec/sandbox
// (installed), EXE_DIR/lessons (a build tree, and dev.sh's staged copy), the install prefix's
// libexec/sandbox.
std::string programs_dir();

} // namespace lessons
