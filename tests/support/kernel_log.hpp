// SPDX-License-Identifier: Apache-2.0
#pragma once
// The kernel log (/dev/kmsg) as a test reads it: the seccomp audit records (type=1326) a run
// leaves. Skips the test (skip_test) unless it can be read here and the kernel logs LOG actions.
#include <functional>
#include <string>
#include <vector>

namespace testsupport {

class KernelLog {
public:
    using Records = std::vector<std::string>;
    using Done = std::function<bool(const Records&)>;

    KernelLog(); // positioned at the end: only what is written from now on
    KernelLog(const KernelLog&) = delete;
    KernelLog& operator=(const KernelLog&) = delete;
    ~KernelLog();

    // The records written since the last call, one per element. kauditd writes them a little
    // after the call: read until `done` says they are all there, for at most `seconds`.
    Records records(const Done& done, double seconds);

    // Runs `run` and returns the records it left. The kernel rate-limits kauditd's printing (10
    // in 5 s): when it says it suppressed some, or `done` is not satisfied, `run` is made again
    // once the limit has passed (up to 4 times).
    Records records_of(const std::function<void()>& run, const Done& done, double seconds = 3);
    // Runs `run` and returns every record written in the `seconds` after it: for a check that a
    // record is absent (kauditd's delay has passed).
    Records records_within(const std::function<void()>& run, double seconds = 3);

private:
    int fd_ = -1;
};

// SECCOMP records (type=1326) of `exe` for syscall `nr` with the action code `code`
// (0x7ffc0000: LOG).
int seccomp_records(const KernelLog::Records& records, const std::string& exe, long nr,
                    const std::string& code = "0x7ffc0000");

} // namespace testsupport
