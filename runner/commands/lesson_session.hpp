// SPDX-License-Identifier: Apache-2.0
#pragma once
// The learner's side of a lesson: a shell to work in (`sandbox lesson shell N`) and the lesson
// directory watched for changes (`sandbox lesson watch N`).
#include <functional>
#include <string>
#include <utility>

#include "lessons/lesson.hpp"

namespace lessons {

// Runs the learner's shell ($SHELL, else /bin/sh) in `dir`, with PATH extended by a directory
// whose `sandbox` is a symlink to this binary, SANDBOX, LESSON_DIR and SANDBOX_LESSON set, and
// "(lesson N)" in front of the prompt (bash: through an rc file that reads ~/.bashrc first; other
// shells: PS1). Waits for it (Ctrl-C belongs to the shell meanwhile) and returns its exit status.
int lesson_shell(const Lesson& lesson, const std::string& dir);

// Calls `check` now and then again whenever a file under `dir` is created, written, removed,
// renamed or changes mode (inotify; events within 200 ms count as one change; editors' swap and
// backup files are ignored; changes made while `check` runs, the checks' own files among them,
// are dropped), and prints its report once those events are read, so that nothing written after
// the learner saw a report is missed. Returns 0 once `check` says passed. `changed` is told which
// files changed, before each new round.
int watch_directory(const std::string& dir,
                    const std::function<std::pair<bool, std::string>()>& check,
                    const std::function<void(const std::string& what)>& changed);

} // namespace lessons
