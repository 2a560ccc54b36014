// SPDX-License-Identifier: Apache-2.0
#pragma once
// A tracee's memory for the decoder's unit tests: a few mapped ranges, everything else unreadable.
// Records every read, so tests can check that reads stay bounded.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "decode/decoder.hpp"

namespace testsupport {

class FakeMemory : public decode::Memory {
public:
    void map(std::uint64_t address, std::string bytes) { ranges_[address] = std::move(bytes); }
    void map_words(std::uint64_t address, const std::vector<std::uint64_t>& words) {
        std::string bytes(words.size() * 8, '\0');
        std::memcpy(bytes.data(), words.data(), bytes.size());
        map(address, std::move(bytes));
    }
    long read(std::uint64_t address, void* out, std::size_t length) override {
        reads.emplace_back(address, length);
        auto it = ranges_.upper_bound(address);
        if (it == ranges_.begin()) return -1;
        --it;
        const std::uint64_t offset = address - it->first;
        if (offset >= it->second.size()) return -1;
        const std::size_t n = std::min<std::size_t>(length, it->second.size() - offset);
        std::memcpy(out, it->second.data() + offset, n);
        bytes_read += n;
        return static_cast<long>(n);
    }
    std::vector<std::pair<std::uint64_t, std::size_t>> reads;
    std::size_t bytes_read = 0;

private:
    std::map<std::uint64_t, std::string> ranges_;
};

} // namespace testsupport
