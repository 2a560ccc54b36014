// SPDX-License-Identifier: Apache-2.0
#pragma once
// "Did you mean": the known word closest to a typo, by edit distance (insertions, deletions,
// substitutions and swaps of two neighbours, each 1; case ignored), for commands, options,
// actions, keys and syscall names.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

// Optimal-string-alignment distance between a and b, compared case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is near enough to be a typo of it: at most 1 edit
// for words of up to 4 characters, 2 up to 8, 3 beyond. Never `word` itself. On a tie, the
// first candidate.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates);
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

// " (did you mean \"X\"?)" for the closest candidate, or "" when none is near.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace util
