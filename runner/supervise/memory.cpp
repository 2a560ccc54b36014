#include "supervise/memory.hpp"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

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

pid_t read_tgid(pid_t tid) {
    // One read of the start of /proc/TID/status ("Tgid:" is its fourth line): this runs for every
    // logged call that wants its process.
    char path[64], buf[512];
    std::snprintf(path, sizeof path, "/proc/%d/status", tid);
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return tid;
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
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
