// SPDX-License-Identifier: Apache-2.0
#pragma once
// Aligned text tables: the one way sandbox prints columns.
#include <string>
#include <vector>

namespace util {

class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    [[nodiscard]] bool empty() const { return rows_.empty(); }
    // Columns separated by two spaces, padded to the widest cell; `indent` spaces before each line.
    [[nodiscard]] std::string render(int indent = 0) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

} // namespace util
