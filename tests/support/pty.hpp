// SPDX-License-Identifier: Apache-2.0
#pragma once
// Run a program the way a user at a terminal does: stdin, stdout and stderr on one new
// pseudo-terminal, its controlling terminal in a session of its own. Everything written to the
// terminal comes back in the order the terminal got it, in RunResult::out.
#include <string>
#include <vector>

#include "support/process.hpp"

namespace testsupport {

// Runs argv[0] (looked up in PATH) on a new pseudo-terminal of `columns` x `rows`. Of `opts`,
// env, as_nobody, timeout_seconds and cwd apply. RunResult::out holds what the terminal showed,
// with the line discipline's "\r\n" turned back into "\n"; err stays empty (the terminal has one
// stream).
RunResult run_in_pty(const std::vector<std::string>& argv, const RunOptions& opts = {},
                     unsigned short columns = 80, unsigned short rows = 24);

} // namespace testsupport
