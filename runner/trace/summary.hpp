// SPDX-License-Identifier: Apache-2.0
#pragma once
// The -c summary: calls per syscall, shaped like `strace -c` but without its time and error
// columns: the notify supervisor sees calls at entry only, so it cannot measure durations or
// learn results honestly. What it does know is the verdict, so "denied" takes the errors column.
//
//   % calls  calls  denied  syscall
//   -------  -----  ------  -------
//     50.00      2       1  openat
//   ...
//   -------  -----  ------  -------
//    100.00      4       1  total
//
// "denied" counts Denied and Killed events (blank when 0, like strace's errors). "would deny"
// (--audit) and "injected" (--inject) columns appear only when such events occurred. Restarted
// events (the same call notified again after a signal) are not new calls and are not counted.
#include <cstdint>
#include <map>
#include <string>

#include "trace/event.hpp"

namespace trace {

// Calls: most calls first (ties by name); Name: alphabetical; Denied: most denied first, then most
// calls, then by name.
enum class SortKey { Calls, Name, Denied, Time, Errors };

class Summary {
public:
    void add(const Event& e);
    [[nodiscard]] std::string render_text(SortKey key = SortKey::Calls) const;
    // {"schema_version":1,"type":"summary","syscalls":[{"syscall":"openat","calls":2,"denied":1,
    //  "would_deny":0,"injected":0,"errors":0,"seconds":0.0},...],"total":{"calls":4,"denied":1,
    //  ...}}, rows sorted by calls: the last line of `run -c --json` (docs/schema/run.schema.json).
    //  Ends in "\n".
    [[nodiscard]] std::string render_json() const;
    [[nodiscard]] std::uint64_t total_calls() const;
    [[nodiscard]] bool empty() const { return counts_.empty(); }

    struct Counts {
        std::uint64_t calls = 0;
        std::uint64_t denied = 0;
        std::uint64_t would_deny = 0;
        std::uint64_t injected = 0;
        std::uint64_t errors = 0; // calls that returned an error (known with results only)
        double seconds = 0;       // summed durations (known with results only)
    };
    // Whether durations and results were seen (the ptrace engine): then the table has strace's
    // time and error columns.
    [[nodiscard]] bool timed() const { return timed_; }
    [[nodiscard]] const std::map<std::string, Counts>& counts() const { return counts_; }

private:
    std::map<std::string, Counts> counts_;
    bool timed_ = false;
};

} // namespace trace
