// SPDX-License-Identifier: Apache-2.0
#include "supervise/memory.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "util/kernel_compat.hpp"
#include "util/unique_fd.hpp"

namespace supervise {

double wall_clock() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

namespace {

// "127.0.0.1:22" or "[::1]:22" from /proc/net/tcp's "0100007F:0016" (and tcp6's 32 hex digits):
// the address as the kernel stores it, in network order word by word, the port in hex.
std::string inet_address(std::string_view hex, bool v6) {
    const std::size_t colon = hex.find(':');
    if (colon == std::string_view::npos) return {};
    unsigned port = 0;
    if (std::sscanf(std::string(hex.substr(colon + 1)).c_str(), "%x", &port) != 1) return {};
    const std::string_view addr = hex.substr(0, colon);
    unsigned char bytes[16] = {};
    const std::size_t words = v6 ? 4 : 1;
    if (addr.size() != words * 8) return {};
    for (std::size_t w = 0; w < words; ++w) {
        std::uint32_t word = 0;
        if (std::sscanf(std::string(addr.substr(w * 8, 8)).c_str(), "%8x", &word) != 1) return {};
        std::memcpy(bytes + w * 4, &word, 4); // the kernel printed the u32 in host order
    }
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, sizeof text) == nullptr) return {};
    return v6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

// The fields of the line of /proc/TID/net/FILE whose inode column is INODE, split on blanks.
std::vector<std::string> proc_net_line(pid_t tid, const char* file, const std::string& inode,
                                       std::size_t inode_column) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/net/%s", tid, file);
    std::FILE* f = std::fopen(path, "re");
    if (f == nullptr) return {};
    char* line = nullptr;
    std::size_t cap = 0;
    std::vector<std::string> found;
    while (found.empty() && ::getline(&line, &cap, f) > 0) {
        std::vector<std::string> fields;
        for (char *save = nullptr, *t = ::strtok_r(line, " \t\n", &save); t != nullptr;
             t = ::strtok_r(nullptr, " \t\n", &save))
            fields.emplace_back(t);
        if (fields.size() > inode_column && fields[inode_column] == inode) found = fields;
    }
    std::free(line);
    std::fclose(f);
    return found;
}

// -yy for a socket: what strace prints as PROTO:[...], from the socket's protocol name (the
// system.sockprotoname attribute: TCP, TCPv6, UDP, UDPv6, UNIX, UNIX-STREAM, NETLINK, ...) and
// what the target's network namespace lists for its inode. No protocol when it is not known.
decode::SocketInfo socket_details(pid_t tid, const char* link, const std::string& inode) {
    char proto[64] = {};
    const ssize_t n = ::getxattr(link, "system.sockprotoname", proto, sizeof proto - 1);
    if (n <= 0) return {};
    decode::SocketInfo info;
    const std::string name(proto, ::strnlen(proto, static_cast<std::size_t>(n))); // NUL-ended
    std::string& details = info.address = inode;
    info.protocol = name;
    const bool v6 = name == "TCPv6" || name == "UDPv6";
    const char* file = name == "TCP"     ? "tcp"
                       : name == "TCPv6" ? "tcp6"
                       : name == "UDP"   ? "udp"
                       : name == "UDPv6" ? "udp6"
                                         : nullptr;
    if (file != nullptr) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        const auto f = proc_net_line(tid, file, inode, 9);
        if (f.size() > 9) {
            const std::string zero = v6 ? std::string(32, '0') + ":0000" : "00000000:0000";
            const std::string local = inet_address(f[1], v6), remote = inet_address(f[2], v6);
            if (f[2] != zero && !remote.empty() && !local.empty())
                details = local + "->" + remote;
            else if (f[1] != zero && !local.empty())
                details = local;
        }
    } else if (name.rfind("UNIX", 0) == 0) {
        // Num RefCount Protocol Flags Type St Inode Path
        const auto f = proc_net_line(tid, "unix", inode, 6);
        if (f.size() > 7) info.path = f[7]; // bound to a path (or @abstract)
    }
    return info;
}

} // namespace

decode::FdInfo fd_path(pid_t tid, int fd, bool details) {
    char link[64], target[4096];
    if (fd == -100)
        std::snprintf(link, sizeof link, "/proc/%d/cwd", tid); // AT_FDCWD
    else
        std::snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
    const ssize_t n = ::readlink(link, target, sizeof target);
    decode::FdInfo info(n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string());
    if (!details || fd == -100 || info.path.empty()) return info;
    if (info.path.rfind("socket:[", 0) == 0 && info.path.back() == ']') {
        info.socket = socket_details(tid, link, info.path.substr(8, info.path.size() - 9));
        return info;
    }
    struct stat st {};
    if (::stat(link, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
        info.device = fmt::format("{} {}:{}", S_ISCHR(st.st_mode) ? "char" : "block",
                                  major(st.st_rdev), minor(st.st_rdev));
    return info;
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
