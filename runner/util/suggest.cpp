// SPDX-License-Identifier: Apache-2.0
#include "util/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <fmt/format.h>

namespace util {
namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::size_t allowed_edits(std::size_t length) {
    if (length <= 4) return 1;
    if (length <= 8) return 2;
    return 3;
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    // Three rows of the dynamic-programming table: two back for a swap of neighbours.
    std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
    for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    const std::size_t limit = allowed_edits(word.size());
    for (std::string_view c : candidates) {
        if (c == word) continue;
        const std::size_t d = edit_distance(word, c);
        if (d <= limit && d < best_distance && d < c.size()) {
            best = std::string(c);
            best_distance = d;
        }
    }
    return best;
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
    return closest(word, std::vector<std::string_view>(candidates.begin(), candidates.end()));
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const auto c = closest(word, candidates);
    return c ? fmt::format(" (did you mean \"{}\"?)", *c) : std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    return did_you_mean(word, std::vector<std::string_view>(candidates.begin(), candidates.end()));
}

} // namespace util
