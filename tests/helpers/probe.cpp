// probe: makes the syscalls it is asked for, one action after the other, and prints one line per
// action ("NAME[ ARG]: ok", ": <value>" or ": ERRNAME"). The integration tests run it inside the
// sandbox and read what the kernel answered. Plain libc and raw syscalls only: it must not depend
// on anything of sandbox's own. stdout is flushed after every line, so whatever was printed before
// a seccomp kill is still visible.
//
//   probe mkdir /tmp/x getpid hostname fds caps socket-inet ptrace-traceme exit 3
//
// Actions (ARG in capitals): mkdir PATH, touch PATH, open-read PATH, write-tmp PATH TEXT, getpid,
// getppid, session, hostname, uid, fds, caps, env-count, setuid-check, pid-count, socket-inet,
// socket-inet6, socket-unix, ptrace-traceme, clone3, thread, syscall NR, io-uring-setup,
// kill-self SIG, exit N, echo TEXT, sleep SECONDS. An unknown action exits 2.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

// Kernel ABI numbers, spelled out so the probe builds against older headers too.
constexpr long nr_io_uring_setup = 425;
constexpr long nr_clone3 = 435;

// struct clone_args, version 0 (CLONE_ARGS_SIZE_VER0 = 64 bytes).
struct CloneArgs {
    std::uint64_t flags;
    std::uint64_t pidfd;
    std::uint64_t child_tid;
    std::uint64_t parent_tid;
    std::uint64_t exit_signal;
    std::uint64_t stack;
    std::uint64_t stack_size;
    std::uint64_t tls;
};
static_assert(sizeof(CloneArgs) == 64);

std::string errname(int err) {
    const char* n = ::strerrorname_np(err);
    return n != nullptr ? n : "errno " + std::to_string(err);
}

void say(const std::string& label, const std::string& value) {
    std::printf("%s: %s\n", label.c_str(), value.c_str());
    std::fflush(stdout);
}

// "ok" when rc >= 0, else the errno's name.
std::string verdict(long rc) {
    return rc >= 0 ? "ok" : errname(errno);
}

bool parse_long(const std::string& s, long& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    long v = std::strtol(s.c_str(), &end, 0);
    if (errno != 0 || end == nullptr || *end != '\0') return false;
    out = v;
    return true;
}

int parse_signal(const std::string& s) {
    long n = 0;
    if (parse_long(s, n)) return static_cast<int>(n);
    std::string name = s.rfind("SIG", 0) == 0 ? s.substr(3) : s;
    for (int sig = 1; sig < NSIG; ++sig) {
        const char* abbrev = ::sigabbrev_np(sig);
        if (abbrev != nullptr && name == abbrev) return sig;
    }
    return -1;
}

std::string status_fields(const std::vector<std::string>& keys) {
    FILE* f = std::fopen("/proc/self/status", "re");
    if (f == nullptr) return errname(errno);
    std::string out;
    char line[512];
    while (std::fgets(line, sizeof line, f) != nullptr) {
        std::string_view l(line);
        for (const auto& k : keys) {
            if (l.size() > k.size() && l.substr(0, k.size()) == k && l[k.size()] == ':') {
                std::string_view v = l.substr(k.size() + 1);
                while (!v.empty() && (v.front() == '\t' || v.front() == ' ')) v.remove_prefix(1);
                while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
                if (!out.empty()) out += ' ';
                out += k + "=" + std::string(v);
            }
        }
    }
    std::fclose(f);
    return out;
}

std::string list_fds() {
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) return errname(errno);
    int self = ::dirfd(d);
    std::vector<long> fds;
    while (dirent* e = ::readdir(d)) {
        long fd = 0;
        if (e->d_name[0] == '.' || !parse_long(e->d_name, fd) || fd == self) continue;
        fds.push_back(fd);
    }
    ::closedir(d);
    std::sort(fds.begin(), fds.end());
    std::string out;
    for (long fd : fds) out += (out.empty() ? "" : ",") + std::to_string(fd);
    return out.empty() ? "none" : out;
}

std::string count_pids() {
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return errname(errno);
    long n = 0;
    while (dirent* e = ::readdir(d)) {
        long pid = 0;
        if (parse_long(e->d_name, pid)) ++n;
    }
    ::closedir(d);
    return std::to_string(n);
}

std::string do_socket(int domain) {
    int fd = ::socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errname(errno);
    ::close(fd);
    return "ok";
}

std::string do_clone3() {
    CloneArgs args{};
    args.exit_signal = SIGCHLD;
    long pid = ::syscall(nr_clone3, &args, sizeof args);
    if (pid < 0) return errname(errno);
    if (pid == 0) ::syscall(SYS_exit_group, 0); // the child: nothing but exit
    int status = 0;
    if (::waitpid(static_cast<pid_t>(pid), &status, 0) < 0) return "waitpid " + errname(errno);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "ok";
    return "child status " + std::to_string(status);
}

std::string do_thread() {
    try {
        bool ran = false;
        std::thread t([&ran] { ran = true; });
        t.join();
        return ran ? "ok" : "thread did not run";
    } catch (const std::system_error& e) {
        return errname(e.code().value());
    }
}

std::string do_io_uring_setup() {
    alignas(8) unsigned char params[120] = {}; // struct io_uring_params, zeroed
    long fd = ::syscall(nr_io_uring_setup, 1U, params);
    if (fd < 0) return errname(errno);
    ::close(static_cast<int>(fd));
    return "ok";
}

std::string do_write_tmp(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errname(errno);
    ssize_t w = ::write(fd, text.data(), text.size());
    int werr = errno;
    ::close(fd);
    if (w < 0) return errname(werr);
    if (static_cast<size_t>(w) != text.size()) return "short write";
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "reopen " + errname(errno);
    std::string back(text.size() + 16, '\0');
    ssize_t r = ::read(fd, back.data(), back.size());
    int rerr = errno;
    ::close(fd);
    if (r < 0) return "read " + errname(rerr);
    back.resize(static_cast<size_t>(r));
    return back == text ? "ok" : "mismatch";
}

int usage(const char* msg, const std::string& what) {
    std::fprintf(stderr, "probe: %s: %s\n", msg, what.c_str());
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        // Actions that take one argument.
        auto arg = [&](std::string& out) {
            if (i + 1 >= args.size()) return false;
            out = args[++i];
            return true;
        };
        std::string p, q;

        if (a == "mkdir") {
            if (!arg(p)) return usage("missing PATH for", a);
            say(a + " " + p, verdict(::mkdir(p.c_str(), 0755)));
        } else if (a == "touch") {
            if (!arg(p)) return usage("missing PATH for", a);
            int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            say(a + " " + p, verdict(fd));
            if (fd >= 0) ::close(fd);
        } else if (a == "open-read") {
            if (!arg(p)) return usage("missing PATH for", a);
            int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                say(a + " " + p, errname(errno));
            } else {
                char buf[256];
                ssize_t r = ::read(fd, buf, sizeof buf);
                say(a + " " + p, r >= 0 ? "ok" : errname(errno));
                ::close(fd);
            }
        } else if (a == "getpid") {
            say(a, std::to_string(::getpid()));
        } else if (a == "getppid") {
            say(a, std::to_string(::getppid()));
        } else if (a == "session") {
            say(a, "pid=" + std::to_string(::getpid()) + " sid=" + std::to_string(::getsid(0)) +
                       " pgid=" + std::to_string(::getpgrp()));
        } else if (a == "hostname") {
            char buf[256] = {};
            say(a, ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : errname(errno));
        } else if (a == "uid") {
            say(a, std::to_string(::getuid()) + "/" + std::to_string(::getgid()));
        } else if (a == "fds") {
            say(a, list_fds());
        } else if (a == "caps") {
            say(a, status_fields({"CapEff", "CapPrm", "CapBnd", "CapAmb"}));
        } else if (a == "socket-inet") {
            say(a, do_socket(AF_INET));
        } else if (a == "socket-inet6") {
            say(a, do_socket(AF_INET6));
        } else if (a == "socket-unix") {
            say(a, do_socket(AF_UNIX));
        } else if (a == "ptrace-traceme") {
            say(a, verdict(::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr)));
        } else if (a == "clone3") {
            say(a, do_clone3());
        } else if (a == "thread") {
            say(a, do_thread());
        } else if (a == "syscall") {
            long nr = 0;
            if (!arg(p) || !parse_long(p, nr)) return usage("missing or bad NR for", a);
            long rc = ::syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
            say(a + " " + p, rc >= 0 ? std::to_string(rc) : errname(errno));
        } else if (a == "io-uring-setup") {
            say(a, do_io_uring_setup());
        } else if (a == "kill-self") {
            if (!arg(p)) return usage("missing SIG for", a);
            int sig = parse_signal(p);
            if (sig <= 0 || sig >= NSIG) return usage("unknown signal", p);
            rlimit no_core{0, 0}; // a deliberate SIGSEGV/SIGABRT leaves no core file behind
            ::setrlimit(RLIMIT_CORE, &no_core);
            say(a + " " + p, "sending");
            if (::kill(::getpid(), sig) != 0) {
                say(a + " " + p, errname(errno));
            } else {
                say(a + " " + p, "survived");
            }
        } else if (a == "exit") {
            long code = 0;
            if (!arg(p) || !parse_long(p, code)) return usage("missing or bad N for", a);
            std::fflush(stdout);
            std::exit(static_cast<int>(code));
        } else if (a == "env-count") {
            long n = 0;
            for (char** e = environ; e != nullptr && *e != nullptr; ++e) ++n;
            say(a, std::to_string(n));
        } else if (a == "setuid-check") {
            int nnp = ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
            say(a, "euid=" + std::to_string(::geteuid()) +
                       " no_new_privs=" + (nnp < 0 ? errname(errno) : std::to_string(nnp)));
        } else if (a == "pid-count") {
            say(a, count_pids());
        } else if (a == "write-tmp") {
            if (!arg(p) || !arg(q)) return usage("missing PATH TEXT for", a);
            say(a + " " + p, do_write_tmp(p, q));
        } else if (a == "echo") {
            if (!arg(p)) return usage("missing TEXT for", a);
            say(a, p);
        } else if (a == "sleep") {
            long secs = 0;
            if (!arg(p) || !parse_long(p, secs)) return usage("missing or bad SECONDS for", a);
            ::sleep(static_cast<unsigned>(secs));
            say(a + " " + p, "ok");
        } else {
            return usage("unknown action", a);
        }
    }
    return 0;
}
