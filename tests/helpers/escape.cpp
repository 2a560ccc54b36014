// SPDX-License-Identifier: Apache-2.0
// escape: what a command inside the sandbox would try to reach the host with. One line per action
// ("NAME ARG: ok", ": <value>" or ": ERRNAME"), like the probe; the containment tests run it
// inside and check that each attempt fails. Every action is harmless when it succeeds (the test
// must not hurt the machine even if the sandbox is broken): opens are closed unused, a sysctl is
// written back with the value just read, a pty gets a character only when it is the test's own.
//
//   escape open-rw /dev/kvm write-back /proc/sys/vm/overcommit_ratio connect /run/x.sock
//
// Actions: open-rw PATH (open O_RDWR|O_NOCTTY|O_NONBLOCK, then close), open-wo PATH (O_WRONLY,
// then close: never written), write-back PATH (read it, write the same bytes back), connect PATH
// (AF_UNIX stream), key-read ID (keyctl KEYCTL_READ), key-search KEYRING DESC (KEYCTL_SEARCH for
// a "user" key in @s or @u), key-add DESC (a "user" key in the session keyring), tty-inject PATH
// (open the tty and TIOCSTI one character into it), new-pty (open /dev/ptmx, make the new pty our
// controlling terminal and TIOCSTI into it: a pty of the sandbox's own), mount-flags PATH ("ro"
// or "rw", and "nodev" when set), list DIR (the entries, sorted, comma-separated), setid PATH
// (every way to make a new file PATH setuid or setgid: open, openat, mknod, chmod, fchmod, ...),
// setfcap PATH (a CAP_SETUID file capability on it), attach PID (PTRACE_ATTACH, and opening
// /proc/PID/mem), attach-child (PTRACE_ATTACH to a child of its own), size PATH (the bytes a
// read of it gives).
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace {

// linux/keyctl.h, spelled out so the helper builds without it.
constexpr long kKeyctlRead = 11;
constexpr long kKeyctlSearch = 10;
constexpr long kSessionKeyring = -3;
constexpr long kUserKeyring = -4;

std::string errname(int e) {
    const char* n = strerrorname_np(e);
    return n != nullptr ? n : std::to_string(e);
}

void say(const std::string& what, const std::string& result) {
    std::printf("%s: %s\n", what.c_str(), result.c_str());
    std::fflush(stdout);
}

std::string open_close(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return errname(errno);
    ::close(fd);
    return "ok";
}

std::string write_back(const std::string& path) {
    std::string value;
    {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return "read " + errname(errno);
        char buf[4096];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        ::close(fd);
        if (n < 0) return "read " + errname(errno);
        value.assign(buf, static_cast<size_t>(n));
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errname(errno);
    const ssize_t n = ::write(fd, value.data(), value.size());
    const int err = errno;
    ::close(fd);
    return n < 0 ? errname(err) : "ok";
}

std::string connect_unix(const std::string& path) {
    const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return "socket " + errname(errno);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    const int rc = ::connect(s, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    const int err = errno;
    ::close(s);
    return rc < 0 ? errname(err) : "ok";
}

std::string key_read(const std::string& id) {
    char buf[256];
    const long n = ::syscall(SYS_keyctl, kKeyctlRead, std::strtol(id.c_str(), nullptr, 10), buf,
                             sizeof buf, 0);
    return n < 0 ? errname(errno)
                 : "ok " + std::string(buf, static_cast<size_t>(std::min(n, 255L)));
}

std::string key_search(const std::string& ring, const std::string& desc) {
    const long which = ring == "@u" ? kUserKeyring : kSessionKeyring;
    const long id = ::syscall(SYS_keyctl, kKeyctlSearch, which, "user", desc.c_str(), 0);
    return id < 0 ? errname(errno) : "found " + std::to_string(id);
}

std::string key_add(const std::string& desc) {
    const long id = ::syscall(SYS_add_key, "user", desc.c_str(), "inside", 6, kSessionKeyring);
    return id < 0 ? errname(errno) : std::to_string(id);
}

std::string tty_inject(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return "open " + errname(errno);
    char c = '#';
    const int rc = ::ioctl(fd, TIOCSTI, &c);
    const int err = errno;
    ::close(fd);
    return rc < 0 ? "TIOCSTI " + errname(err) : "injected";
}

std::string new_pty() {
    // Closing the master of our controlling terminal hangs it up: that SIGHUP is not news.
    ::signal(SIGHUP, SIG_IGN);
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return "ptmx " + errname(errno);
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0) return "unlockpt " + errname(errno);
    const char* name = ::ptsname(master);
    std::string out = name != nullptr ? name : "?";
    // We lead our own session (sandbox's setsid): the new pty may become our terminal.
    const int slave = ::open(out.c_str(), O_RDWR | O_CLOEXEC);
    if (slave < 0) return out + " open " + errname(errno);
    out += ::ioctl(slave, TIOCSCTTY, 0) == 0 ? " ctty" : " ctty " + errname(errno);
    char c = '#';
    out += ::ioctl(slave, TIOCSTI, &c) == 0 ? " injected" : " TIOCSTI " + errname(errno);
    ::close(slave);
    ::close(master);
    return out;
}

// Each way to make PATH (a new file) setuid or setgid: "chmod=ERR open=ERR ..." (ok or errno).
std::string setid(const std::string& path) {
    std::string out;
    const auto note = [&out](const char* what, long rc) {
        out += std::string(out.empty() ? "" : " ") + what + "=" + (rc < 0 ? errname(errno) : "ok");
    };
    const std::string made = path + ".open";
    const int fd = ::open(made.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 04755);
    note("open", fd);
    if (fd >= 0) ::close(fd);
    note("openat", ::syscall(SYS_openat, AT_FDCWD, (path + ".openat").c_str(),
                             O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 02755));
    note("mknod", ::mknod((path + ".mknod").c_str(), S_IFREG | 04755, 0));
    const int plain = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
    note("create", plain);
    note("chmod", ::chmod(path.c_str(), 04755));
    note("chmod-g", ::chmod(path.c_str(), 02755));
    note("fchmod", plain >= 0 ? ::fchmod(plain, 06755) : -1);
    note("fchmodat", ::fchmodat(AT_FDCWD, path.c_str(), 04755, 0));
    note("fchmodat2", ::syscall(452, AT_FDCWD, path.c_str(), 04755, 0));
    if (plain >= 0) ::close(plain);
    note("creat", ::creat((path + ".creat").c_str(), 04755));
    // An unnamed file made setuid at birth, then given a name.
    const int tmp =
        ::open(::dirname(std::string(path).data()), O_TMPFILE | O_WRONLY | O_CLOEXEC, 04755);
    note("tmpfile", tmp);
    if (tmp >= 0) ::close(tmp);
    struct {
        unsigned long long flags, mode, resolve;
    } how{O_CREAT | O_WRONLY | O_CLOEXEC, 04755, 0};
    note("openat2", ::syscall(437, AT_FDCWD, (path + ".openat2").c_str(), &how, sizeof how));
    char params[120] = {}; // struct io_uring_params: enough to learn whether io_uring is there
    const long ring = ::syscall(425, 1, params);
    note("io_uring", ring);
    if (ring >= 0) ::close(static_cast<int>(ring));
    return out;
}

// A file capability on PATH (CAP_SETUID, effective): as good as a setuid bit.
std::string setfcap(const std::string& path) {
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
    if (fd >= 0) ::close(fd);
    const std::uint32_t cap[5] = {0x02000001U, 1U << 7 /* CAP_SETUID */, 0, 0, 0};
    return ::setxattr(path.c_str(), "security.capability", cap, sizeof cap, 0) == 0
               ? "ok"
               : errname(errno);
}

// PTRACE_ATTACH to PID (detached again at once if it worked).
std::string attach(const std::string& pid) {
    const long p = std::strtol(pid.c_str(), nullptr, 10);
    if (::ptrace(PTRACE_ATTACH, p, nullptr, nullptr) != 0) return errname(errno);
    ::waitpid(static_cast<pid_t>(p), nullptr, __WALL);
    ::ptrace(PTRACE_DETACH, p, nullptr, nullptr);
    return "ok";
}

std::string mount_flags(const std::string& path) {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0) return errname(errno);
    std::string out = (st.f_flag & ST_RDONLY) ? "ro" : "rw";
    if (st.f_flag & ST_NODEV) out += " nodev";
    if (st.f_flag & ST_NOSUID) out += " nosuid";
    return out;
}

std::string list(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return errname(errno);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names.emplace_back(e->d_name);
    ::closedir(d);
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
    return out.empty() ? "(empty)" : out;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "escape: %s needs an argument\n", a.c_str());
                std::exit(2);
            }
            return args[++i];
        };
        if (a == "open-rw") {
            const std::string p = next();
            say(a + " " + p, open_close(p, O_RDWR));
        } else if (a == "open-wo") {
            const std::string p = next();
            say(a + " " + p, open_close(p, O_WRONLY));
        } else if (a == "write-back") {
            const std::string p = next();
            say(a + " " + p, write_back(p));
        } else if (a == "connect") {
            const std::string p = next();
            say(a + " " + p, connect_unix(p));
        } else if (a == "key-read") {
            const std::string id = next();
            say(a + " " + id, key_read(id));
        } else if (a == "key-search") {
            const std::string ring = next();
            const std::string desc = next();
            say(a + " " + ring + " " + desc, key_search(ring, desc));
        } else if (a == "key-add") {
            const std::string desc = next();
            say(a + " " + desc, key_add(desc));
        } else if (a == "tty-inject") {
            const std::string p = next();
            say(a + " " + p, tty_inject(p));
        } else if (a == "new-pty") {
            say(a, new_pty());
        } else if (a == "setid") {
            const std::string p = next();
            say(a + " " + p, setid(p));
        } else if (a == "attach-child") {
            const pid_t child = ::fork();
            if (child == 0) {
                ::pause();
                ::_exit(0);
            }
            say(a, attach(std::to_string(child)));
            ::kill(child, SIGKILL);
            ::waitpid(child, nullptr, 0);
        } else if (a == "size") {
            const std::string p = next();
            const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
            long total = 0;
            char buf[4096];
            ssize_t n = 0;
            while (fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0) total += n;
            say(a + " " + p, fd < 0  ? errname(errno)
                             : n < 0 ? errname(errno)
                                     : std::to_string(total));
            if (fd >= 0) ::close(fd);
        } else if (a == "setfcap") {
            const std::string p = next();
            say(a + " " + p, setfcap(p));
        } else if (a == "attach") {
            const std::string p = next();
            say(a + " " + p, attach(p));
            say("read-mem " + p, open_close("/proc/" + p + "/mem", O_RDONLY));
        } else if (a == "mount-flags") {
            const std::string p = next();
            say(a + " " + p, mount_flags(p));
        } else if (a == "list") {
            const std::string p = next();
            say(a + " " + p, list(p));
        } else {
            std::fprintf(stderr, "escape: unknown action %s\n", a.c_str());
            return 2;
        }
    }
    return 0;
}
