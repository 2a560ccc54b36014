// SPDX-License-Identifier: Apache-2.0
#pragma once
// Whether output to a file descriptor may use colour: --color always or never when given (it
// overrides the environment, as https://no-color.org asks of a command-line flag); otherwise
// only on a terminal, and never when the user said no (NO_COLOR set to anything non-empty;
// TERM=dumb).
namespace util {

enum class ColourMode { Auto, Always, Never };
// --color WHEN, for the rest of the process (before anything is printed).
void set_colour_mode(ColourMode mode) noexcept;

bool colour_on(int fd) noexcept;
// The same for output the caller knows goes to a terminal (`terminal`) or not.
bool colour_for_terminal(bool terminal) noexcept;

} // namespace util
