#include "supervise/memory.hpp"

#include <csignal>
#include <cstdio>
#include <ctime>
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
    pid_t tgid = tid;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", tid);
    if (FILE* f = std::fopen(path, "re")) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr)
            if (std::sscanf(line, "Tgid: %d", &tgid) == 1) break;
        std::fclose(f);
    }
    return tgid;
}

bool sigsys_is_fatal(pid_t tid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", tid);
    FILE* f = std::fopen(path, "re");
    if (f == nullptr) return false;
    const unsigned long long bit = 1ULL << (SIGSYS - 1);
    int threads = 0, seen = 0;
    bool fatal = true;
    char line[256];
    while (std::fgets(line, sizeof line, f) != nullptr) {
        unsigned long long mask = 0;
        if (std::sscanf(line, "Threads: %d", &threads) == 1) {
            ++seen;
        } else if (std::sscanf(line, "SigBlk: %llx", &mask) == 1 ||
                   std::sscanf(line, "SigIgn: %llx", &mask) == 1 ||
                   std::sscanf(line, "SigCgt: %llx", &mask) == 1) {
            ++seen;
            if (mask & bit) fatal = false;
        }
    }
    std::fclose(f);
    return seen == 4 && threads == 1 && fatal;
}

long RemoteMemory::read(std::uint64_t address, void* out, std::size_t length) {
    if (address == 0 || length == 0) return -1;
    iovec local{out, length};
    iovec remote{reinterpret_cast<void*>(address), length};
    ssize_t n = ::process_vm_readv(pid_, &local, 1, &remote, 1, 0);
    return n > 0 ? static_cast<long>(n) : -1;
}

} // namespace supervise
