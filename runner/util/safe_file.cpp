// SPDX-License-Identifier: Apache-2.0
#include "util/safe_file.hpp"

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <optional>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/number.hpp"

namespace util {
namespace {

std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISLNK(mode)) return "a symlink";
    return "not a regular file";
}

bool is_null_device(const struct stat& st) {
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

// The fd a path names that is the caller's own: /dev/stdout, /dev/stderr, /dev/fd/N,
// /proc/self/fd/N. Writing there is writing to what the caller handed us, whatever it is.
std::optional<int> callers_fd(const std::string& path) {
    if (path == "/dev/stdout") return 1;
    if (path == "/dev/stderr") return 2;
    for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        if (path.rfind(prefix, 0) != 0) continue;
        if (auto n = parse_decimal(std::string_view(path).substr(prefix.size()), 0, INT_MAX))
            return static_cast<int>(*n);
    }
    return std::nullopt;
}

unique_fd dup_callers_fd(int fd, const std::string& path) {
    unique_fd out(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
    if (!out)
        throw Error(exit_code::usage, syscall_error("dup", path, errno),
                    "that file descriptor is not open in sandbox");
    return out;
}

[[noreturn]] void refuse(const std::string& path, const std::string& what,
                         const std::string& hint) {
    throw Error(exit_code::usage, fmt::format("{}: {}", path, what), hint);
}

// Refuses an existing `st` at `path` that must not be written over (`in_place`: written into,
// not replaced by a rename).
void check_target(const std::string& path, const struct stat& st, bool in_place) {
    if (S_ISLNK(st.st_mode))
        refuse(path, "is a symlink; sandbox does not write through a symlink",
               "remove the symlink, or give the path of the file itself");
    if (!S_ISREG(st.st_mode))
        refuse(path, fmt::format("is {}, not a regular file", kind_of(st.st_mode)),
               "give the path of a regular file (or /dev/null, /dev/stdout, /dev/stderr)");
    if (::geteuid() == 0 && st.st_uid != 0)
        refuse(path,
               fmt::format("belongs to uid {}; sandbox running as root does not overwrite "
                           "another user's file",
                           st.st_uid),
               "remove the file first, or choose a new path");
    if (in_place && ::geteuid() == 0 && st.st_nlink > 1)
        refuse(path,
               fmt::format("has {} hard links; sandbox running as root does not write into a "
                           "file that is also elsewhere",
                           st.st_nlink),
               "remove the file first, or choose a new path");
}

void write_all(int fd, std::string_view text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw Error(exit_code::setup, syscall_error("write", path, errno),
                        "check the free space and the permissions of the directory");
        done += static_cast<std::size_t>(n);
    }
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string random_suffix() {
    unsigned char bytes[6] = {};
    if (::getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bytes)) {
        // No entropy yet: the pid and a counter are unique enough with O_EXCL's retry.
        static unsigned counter = 0;
        return fmt::format("{}-{}", ::getpid(), ++counter);
    }
    std::string out;
    for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
    return out;
}

} // namespace

bool open_missing_standard_fds() noexcept {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        // Not close-on-exec: the command inherits it as its own stdin/stdout/stderr.
        const int null = ::open("/dev/null", O_RDWR);
        if (null < 0) return false;
        if (null != fd) { // a lower one was closed too: cannot happen in this order, but be sure
            if (::dup2(null, fd) < 0) return false;
            ::close(null);
        }
    }
    return true;
}

std::string read_regular_file(const std::string& path, std::size_t max_bytes, int exit_code,
                              const std::string& what, const std::string& hint) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd) throw Error(exit_code, syscall_error("open", path, errno), hint);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw Error(exit_code, syscall_error("fstat", path, errno));
    if (!S_ISREG(st.st_mode))
        throw Error(
            exit_code,
            fmt::format("{}: is {}; {} must be a regular file", path, kind_of(st.st_mode), what),
            "give the path of a regular file (a pipe or a device is not read: save what "
            "it gives to a file first)");
    const auto too_large = [&](std::uint64_t size) {
        throw Error(exit_code,
                    fmt::format("{}: {} bytes is too large for {} (at most {} bytes, {} MiB)", path,
                                size, what, max_bytes, max_bytes >> 20),
                    "");
    };
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
        too_large(static_cast<std::uint64_t>(st.st_size));
    std::string text;
    // One byte more than allowed: a file that grows while we read is caught too.
    text.resize(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), max_bytes) + 1);
    std::size_t got = 0;
    for (;;) {
        if (got == text.size()) {
            if (got > max_bytes) too_large(got);
            text.resize(std::min(text.size() * 2, max_bytes + 1));
        }
        const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(exit_code, syscall_error("read", path, errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes) too_large(got);
    text.resize(got);
    return text;
}

void write_file_atomically(const std::string& path, std::string_view text, mode_t mode) {
    if (auto fd = callers_fd(path)) {
        unique_fd out = dup_callers_fd(*fd, path);
        write_all(out.get(), text, path);
        return;
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (is_null_device(st)) {
            unique_fd out(::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
            if (!out) throw Error(exit_code::usage, syscall_error("open", path, errno));
            write_all(out.get(), text, path);
            return;
        }
        check_target(path, st, false);
    } else if (errno != ENOENT) {
        throw Error(exit_code::usage, syscall_error("lstat", path, errno),
                    "give a path in a directory you can write");
    }

    const std::string dir = directory_of(path);
    const std::string base =
        path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    std::string tmp;
    unique_fd fd;
    for (int attempt = 0; attempt < 100 && !fd; ++attempt) {
        tmp = fmt::format("{}/.{}.tmp-{}", dir, base, random_suffix());
        // O_EXCL: never an existing file, never through a symlink; the kernel applies the umask.
        fd.reset(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
        if (!fd && errno != EEXIST)
            throw Error(exit_code::usage, syscall_error("open", tmp, errno),
                        "give a path in a directory you can write");
    }
    if (!fd) throw Error(exit_code::usage, syscall_error("open", tmp, EEXIST));
    try {
        write_all(fd.get(), text, tmp);
        if (::fsync(fd.get()) != 0)
            throw Error(exit_code::setup, syscall_error("fsync", tmp, errno),
                        "check the directory's file system");
        fd.reset();
        if (::rename(tmp.c_str(), path.c_str()) != 0)
            throw Error(exit_code::usage, syscall_error("rename", tmp + " to " + path, errno),
                        "give the path of a regular file in a directory you can write");
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    // The rename itself is durable once the directory is synced (best effort: not every file
    // system syncs directories).
    unique_fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d) (void)::fsync(d.get());
}

void check_output_target(const std::string& path) {
    if (callers_fd(path)) return;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return;
        throw Error(exit_code::usage, syscall_error("lstat", path, errno),
                    "give a path in a directory you can write");
    }
    if (!is_null_device(st)) check_target(path, st, false);
}

unique_fd open_output_stream(const std::string& path, mode_t mode) {
    if (auto fd = callers_fd(path)) return dup_callers_fd(*fd, path);
    struct stat st {};
    const bool existed = ::lstat(path.c_str(), &st) == 0;
    // Refused before opening: opening a device or FIFO can have effects of its own.
    if (existed && !is_null_device(st)) check_target(path, st, true);
    unique_fd fd(::open(path.c_str(),
                        O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode));
    if (!fd) {
        const int err = errno;
        if (err == ELOOP)
            refuse(path, "is a symlink; sandbox does not write through a symlink",
                   "remove the symlink, or give the path of the file itself");
        throw Error(exit_code::usage, syscall_error("open", path, err),
                    "give a path you can write");
    }
    // What counts is the file we opened, not what lstat saw a moment before.
    if (::fstat(fd.get(), &st) != 0)
        throw Error(exit_code::usage, syscall_error("fstat", path, errno));
    if (is_null_device(st)) return fd;
    check_target(path, st, true);
    if (::ftruncate(fd.get(), 0) != 0)
        throw Error(exit_code::usage, syscall_error("ftruncate", path, errno));
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags >= 0) (void)::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

void ensure_private_directory(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) == 0) return; // the umask can only take bits away
    if (errno != EEXIST)
        throw Error(exit_code::setup, syscall_error("mkdir", path, errno),
                    "set XDG_STATE_HOME or HOME to a directory you can write");
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        throw Error(exit_code::setup, syscall_error("lstat", path, errno));
    std::string why;
    if (S_ISLNK(st.st_mode))
        why = "is a symlink";
    else if (!S_ISDIR(st.st_mode))
        why = fmt::format("is {}, not a directory", kind_of(st.st_mode));
    else if (st.st_uid != ::geteuid())
        why = fmt::format("belongs to uid {}, not to you (uid {})", st.st_uid, ::geteuid());
    else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        why = fmt::format("is writable by others (mode {:04o})", st.st_mode & 07777);
    if (!why.empty())
        throw Error(
            exit_code::setup,
            fmt::format("{}: {}; sandbox keeps its state only in a private directory", path, why),
            "remove it if you do not know who made it, or set XDG_STATE_HOME or HOME to a "
            "directory of yours");
}

FileText read_text(const std::string& path) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return {errno, {}};
    std::string text;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return {errno, {}};
        if (n == 0) return {0, text};
        text.append(buf, static_cast<std::size_t>(n));
    }
}

} // namespace util
