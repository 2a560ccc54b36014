// SPDX-License-Identifier: Apache-2.0
#pragma once
// One strict parser for the decimal numbers a user types on the command line (-s N, --kill-after,
// --seconds, a PID, a lesson number, --inject's when=N and error=N): ASCII digits only (no sign,
// no spaces, no "0x", no "1e3"), and the value within [min, max]. Anything else, an overflow
// included, is nullopt: the caller turns it into a usage error that names the option.
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace util {

std::optional<std::uint64_t>
parse_decimal(std::string_view text, std::uint64_t min = 0,
              std::uint64_t max = std::numeric_limits<std::uint64_t>::max());

} // namespace util
