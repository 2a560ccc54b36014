// SPDX-License-Identifier: Apache-2.0
#include "util/number.hpp"

#include <charconv>

namespace util {

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t min,
                                           std::uint64_t max) {
    if (text.empty()) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt; // from_chars alone would stop at the first
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt; // overflow
    if (value < min || value > max) return std::nullopt;
    return value;
}

} // namespace util
