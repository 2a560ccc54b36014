// SPDX-License-Identifier: Apache-2.0
#pragma once
// The lesson checks that parse what they read (a predictions file, a Pod manifest) rather than
// match a line of it. engine.cpp's verify() calls these for the checks of those kinds.
#include <string>

#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"

namespace lessons {

// "predictions": FILE with one "NAME VERDICT" line per syscall in `syscalls` (VERDICT: ALLOW or an
// errno name such as EPERM; case and blanks as typed, # comments allowed), each compared with the
// verdict of the bundled `profile` compiled for this machine (no added capabilities). Anything
// else on a line, a missing or repeated syscall, or a wrong verdict fails; the failure names the
// syscalls, never their verdicts.
CheckResult check_predictions(const Check& c, const std::string& dir);

// "pod": FILE, a Pod manifest read with a YAML parser and validated as the API server would
// (lessons/pod.hpp), then judged against "expect".
CheckResult check_pod(const Check& c, const std::string& dir);

} // namespace lessons
