// SPDX-License-Identifier: Apache-2.0
#pragma once
// Running lessons: each lesson works in its own directory; checks read files there or run
// commands there (through the real `sandbox` binary); selftest runs the reference solution and the
// wrong answers against the checks. Progress is a JSON file under $XDG_STATE_HOME/sandbox/.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lessons/lesson.hpp"

namespace lessons {

struct CheckResult {
    bool passed = false;
    std::string reason; // the check's sentence (when it failed)
    std::string slice;  // the lines that show why
};

struct Verification {
    std::vector<CheckResult> checks;
    [[nodiscard]] bool passed() const;
};

struct ShellResult {
    int exit_code = -1;
    std::string output; // stdout and stderr, interleaved
};

// The state directory: $XDG_STATE_HOME/sandbox, ~/.local/state/sandbox, or (no usable home)
// /var/tmp/sandbox-state-UID. Created on demand.
std::string state_dir();
// The lesson's working directory (created).
std::string workspace(const Lesson& lesson);
// Why this machine cannot run the lesson, with the remedy; nullopt when it can.
std::optional<std::string> missing_need(const Lesson& lesson);

// This binary's full path (the one {sandbox} stands for).
std::string self_exe();
// How the learner's shell runs this binary: "sandbox" when the first `sandbox` on PATH is this
// binary, else its full path (`./dev.sh sandbox lesson 1` runs build/sandbox, which is not on
// PATH).
std::string sandbox_command();
// Kills the process group of the command shell() is waiting for, if any; async-signal-safe (for
// a SIGINT handler: the command runs in a process group of its own, which Ctrl-C misses).
void kill_running_command() noexcept;

// "{sandbox}" -> this binary, "{dir}" -> the lesson directory.
std::string expand(const std::string& text, const std::string& dir);
// Runs `command` with /bin/sh in `dir` (SANDBOX and LESSON_DIR set); output captured unless
// `show` (then it goes to our stdout/stderr as it comes). Bounded by `timeout_seconds`.
ShellResult shell(const std::string& command, const std::string& dir, bool show = false,
                  int timeout_seconds = 120);

Verification verify(const Lesson& lesson, const std::string& dir);

struct SelftestResult {
    enum class Status { Passed, Failed, Skipped } status = Status::Passed;
    std::string detail; // why it failed or was skipped
};
SelftestResult selftest(const Lesson& lesson);

// Progress, one entry per lesson number.
struct Progress {
    struct Entry {
        bool passed = false;
        bool solution_shown = false;
        int hints_shown = 0;
        std::string passed_at;
    };
    std::map<int, Entry> lessons;
    static Progress load();
    void save() const;
    static std::string path();
};

} // namespace lessons
