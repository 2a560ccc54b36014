// SPDX-License-Identifier: Apache-2.0
#pragma once
// Whether output to a file descriptor may use colour: only on a terminal, and never when the
// user said no (NO_COLOR set to anything non-empty, https://no-color.org; TERM=dumb).
namespace util {

bool colour_on(int fd) noexcept;
// The user's side of it alone (NO_COLOR, TERM=dumb), for a caller that knows it writes to a
// terminal.
bool colour_wanted() noexcept;

} // namespace util
