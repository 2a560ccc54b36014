// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox lesson [N | COMMAND [N]]`: list, run (interactive on a terminal), show, hint, solution,
// verify, status, reset, selftest. Text comes from report/lesson_report.
#include "cli.hpp"

namespace lessons {

// The exit status: 0 passed (or nothing to check), 1 not yet / a lesson failed selftest, 2 the
// lesson cannot run on this machine.
int command(const cli::Lesson& c);

} // namespace lessons
