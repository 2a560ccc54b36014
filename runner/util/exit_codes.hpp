// SPDX-License-Identifier: Apache-2.0
#pragma once
// The tool's own exit codes. Everything else sandbox returns is the command's: its exit code,
// or 128+N when it died by signal N. Documented in README.md ("Exit status") and `sandbox --help`.

namespace util::exit_code {

inline constexpr int ok = 0;
inline constexpr int internal = 120;    // a bug in sandbox
inline constexpr int usage = 121;       // bad command line
inline constexpr int policy = 122;      // invalid profile (nothing was started)
inline constexpr int setup = 123;       // isolation could not be set up (the command never ran)
inline constexpr int cannot_exec = 126; // command found but not executable
inline constexpr int not_found = 127;   // command not found

} // namespace util::exit_code
