// SPDX-License-Identifier: Apache-2.0
#include "support/kernel_log.hpp"

#include "support/files.hpp"
#include "support/skip.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace testsupport {

KernelLog::KernelLog() {
    if (::geteuid() != 0) skip_test("reading the kernel log needs root here");
    const std::string logged = read_file("/proc/sys/kernel/seccomp/actions_logged");
    if (logged.find("log") == std::string::npos)
        skip_test("the kernel does not log SCMP_ACT_LOG here (actions_logged: " + logged + ")");
    fd_ = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) skip_test(std::string("/dev/kmsg: ") + std::strerror(errno));
    ::lseek(fd_, 0, SEEK_END);
}

KernelLog::~KernelLog() {
    ::close(fd_);
}

KernelLog::Records KernelLog::records(const Done& done, double seconds) {
    Records out;
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(static_cast<int>(seconds * 1000));
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EPIPE) continue; // overwritten records: go on
        if (n > 0) {
            out.emplace_back(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (done(out) || std::chrono::steady_clock::now() > until) return out;
        ::usleep(20 * 1000);
    }
}

KernelLog::Records KernelLog::records_of(const std::function<void()>& run, const Done& done,
                                         double seconds) {
    const auto suppressed = [](const Records& records) {
        for (const auto& r : records)
            if (r.find("callbacks suppressed") != std::string::npos) return true;
        return false;
    };
    Records got;
    for (int attempt = 0; attempt < 4; ++attempt) {
        run();
        got = records(done, seconds);
        if (!suppressed(got) && done(got)) break;
        if (attempt == 3) break;
        ::sleep(6);
        (void)records([](const Records&) { return false; }, 0.1);
    }
    return got;
}

KernelLog::Records KernelLog::records_within(const std::function<void()>& run, double seconds) {
    run();
    return records([](const Records&) { return false; }, seconds);
}

int seccomp_records(const KernelLog::Records& records, const std::string& exe, long nr,
                    const std::string& code) {
    int n = 0;
    const std::string syscall = " syscall=" + std::to_string(nr) + " ";
    for (const auto& r : records)
        if (r.find("type=1326") != std::string::npos &&
            r.find("exe=\"" + exe + "\"") != std::string::npos &&
            r.find(syscall) != std::string::npos && r.find("code=" + code) != std::string::npos)
            ++n;
    return n;
}

} // namespace testsupport
