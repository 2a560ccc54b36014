// SPDX-License-Identifier: Apache-2.0
#include "supervise/memory.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <optional>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/kernel_compat.hpp"
#include "util/unique_fd.hpp"

namespace supervise {

double wall_clock() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string fd_path(pid_t tid, int fd) {
    char link[64], target[4096];
    if (fd == -100)
        std::snprintf(link, sizeof link, "/proc/%d/cwd", tid); // AT_FDCWD
    else
        std::snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
    ssize_t n = ::readlink(link, target, sizeof target);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

namespace {

// Tgid through a pidfd of the thread (PIDFD_THREAD, 6.9; PIDFD_GET_INFO, 6.13): a third of the
// cost of /proc/TID/status. nullopt when this kernel has neither (then /proc is asked, always).
std::optional<pid_t> tgid_by_pidfd(pid_t tid) {
    static bool supported = true;
    if (!supported) return std::nullopt;
    util::unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, tid, PIDFD_THREAD)));
    if (!pidfd) {
        if (errno == EINVAL) supported = false; // no PIDFD_THREAD
        return errno == ESRCH ? std::optional<pid_t>(tid) : std::nullopt;
    }
    util::compat::pidfd_info_v0 info{};
    info.mask = PIDFD_INFO_PID;
    if (::ioctl(pidfd.get(), util::compat::pidfd_get_info, &info) != 0) {
        if (errno == ENOTTY || errno == EINVAL) supported = false; // no PIDFD_GET_INFO
        return errno == ESRCH ? std::optional<pid_t>(tid) : std::nullopt;
    }
    if ((info.mask & PIDFD_INFO_PID) == 0 || info.tgid == 0) return std::nullopt;
    return static_cast<pid_t>(info.tgid);
}

} // namespace

pid_t read_tgid(pid_t tid) {
    if (auto tgid = tgid_by_pidfd(tid)) return *tgid;
    // One read of the start of /proc/TID/status ("Tgid:" is its fourth line).
    char path[64], buf[512];
    std::snprintf(path, sizeof path, "/proc/%d/status", tid);
    util::unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return tid;
    const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
    if (n <= 0) return tid;
    buf[n] = '\0';
    const char* line = std::strstr(buf, "\nTgid:");
    int tgid = 0;
    if (line == nullptr || std::sscanf(line + 1, "Tgid: %d", &tgid) != 1 || tgid <= 0) return tid;
    return tgid;
}

long RemoteMemory::read(std::uint64_t address, void* out, std::size_t length) {
    if (address == 0 || length == 0) return -1;
    iovec local{out, length};
    iovec remote{reinterpret_cast<void*>(address), length};
    ssize_t n = ::process_vm_readv(pid_, &local, 1, &remote, 1, 0);
    return n > 0 ? static_cast<long>(n) : -1;
}

} // namespace supervise
