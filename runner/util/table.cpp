// SPDX-License-Identifier: Apache-2.0
#include "util/table.hpp"

#include <algorithm>

namespace util {

std::string Table::render(int indent) const {
    std::vector<std::size_t> width(header_.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    };
    measure(header_);
    for (const auto& r : rows_) measure(r);
    std::string out;
    const auto line = [&](const std::vector<std::string>& row) {
        std::string l(static_cast<std::size_t>(indent), ' ');
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            l += row[i];
            if (i + 1 < row.size()) l += std::string(width[i] - row[i].size() + 2, ' ');
        }
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l + "\n";
    };
    line(header_);
    for (const auto& r : rows_) line(r);
    return out;
}

} // namespace util
