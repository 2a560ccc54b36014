// SPDX-License-Identifier: Apache-2.0
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
// socket-inet6, socket-unix, ptrace-traceme, catch-sigsys (install a SIGSYS handler), clone3,
// thread, syscall NR, io-uring-setup, kill-self SIG, exit N, echo TEXT, sleep SECONDS. An unknown
// action exits 2. Hostile and adversarial actions (the hardening tests): open-null, open-unmapped,
// open-cross-page, open-huge (a 1 MiB path), path-race N DIR (one thread flips a path buffer while
// another opens it N times), own-listener (install a filter of its own with
// SECCOMP_FILTER_FLAG_NEW_LISTENER), own-filter (one without a listener), tiocsti (TIOCSTI on fd
// 0), ioctl-high CMD (ioctl on fd 0 with bit 32 set above CMD), fd-targets (what fds 0..2 point
// at), fork-loop SECONDS MAX (fork children that wait until killed, until fork fails, SECONDS pass
// or MAX children exist), write-bytes (writes "A\0B\33\377\n" to stdout). Resource limits: hog
// MIB (maps and touches memory 4 MiB at a time up to MIB, printing "hog-at: N" after each step,
// then "hog: reached=N stopped=max|ERRNAME"), limits (the rlimits and the cgroup limit files this
// process is under, one "limit-NAME: VALUE" line each, "none" when not found).
// Seccomp KILL: errno-filter NR|all (install a filter of its own that fails syscall NR, or every
// syscall but write, exit and exit_group, with EPERM: ERRNO outranks a supervisor's USER_NOTIF),
// thread-syscall NR (a second thread makes syscall NR; "joined" once it has ended, whether the
// call returned or killed it), pid-reuse (with host pids: a thread makes getppid; once its process
// is gone, an "innocent" process takes that process's pid and an "offender" the thread's tid, then
// the offender calls ptrace(PTRACE_TRACEME); prints whether the innocent was signalled and how the
// offender ended).
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <termios.h>
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

// ---- raw calls for the runc differential test ----

// "0x100000028,1,0" -> values; "@/etc/hostname" is a pointer to that text (kept in `texts`).
bool parse_raw_args(const std::string& spec, std::vector<unsigned long>& out,
                    std::vector<std::string>& texts) {
    out.clear();
    if (spec == "-") return true;
    texts.reserve(6);
    std::size_t at = 0;
    while (at <= spec.size()) {
        const std::size_t comma = spec.find(',', at);
        const std::string item =
            spec.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        if (!item.empty() && item[0] == '@') {
            texts.push_back(item.substr(1));
            out.push_back(reinterpret_cast<unsigned long>(texts.back().c_str()));
        } else {
            char* end = nullptr;
            errno = 0;
            const unsigned long v = std::strtoul(item.c_str(), &end, 0);
            if (item.empty() || errno != 0 || *end != '\0') return false;
            out.push_back(v);
        }
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    return out.size() <= 6;
}

#if defined(__x86_64__)
// An i386 call through int $0x80 (the kernel takes it as AUDIT_ARCH_I386); up to 5 arguments in
// ebx, ecx, edx, esi, edi.
long int80(unsigned long nr, const std::vector<unsigned long>& a) {
    unsigned long v[5] = {};
    for (std::size_t i = 0; i < a.size() && i < 5; ++i) v[i] = a[i];
    long ret = 0;
    __asm__ volatile("int $0x80"
                     : "=a"(ret)
                     : "a"(nr), "b"(v[0]), "c"(v[1]), "d"(v[2]), "S"(v[3]), "D"(v[4])
                     : "memory");
    return ret; // -errno on failure, as the kernel returns it
}
#endif

// Makes the call in a child; the answer is the child's, or how it was killed.
std::string forked_call(const std::string& abi, unsigned long nr,
                        const std::vector<unsigned long>& a) {
    int pipefd[2];
    if (::pipe(pipefd) != 0) return "pipe " + errname(errno);
    const pid_t pid = ::fork();
    if (pid < 0) return "fork " + errname(errno);
    if (pid == 0) {
        ::close(pipefd[0]);
        unsigned long v[6] = {};
        for (std::size_t i = 0; i < a.size(); ++i) v[i] = a[i];
        long rc = 0;
        int err = 0;
        if (abi == "int80") {
#if defined(__x86_64__)
            rc = int80(nr, a);
            if (rc < 0 && rc > -4096) {
                err = static_cast<int>(-rc);
                rc = -1;
            }
#else
            rc = -1;
            err = ENOSYS;
#endif
        } else {
            const unsigned long n = abi == "x32" ? (nr | 0x40000000UL) : nr;
            rc = ::syscall(static_cast<long>(n), v[0], v[1], v[2], v[3], v[4], v[5]);
            err = errno;
        }
        const std::string answer = rc >= 0 ? "ok" : errname(err);
        (void)!::write(pipefd[1], answer.data(), answer.size());
        ::_exit(0);
    }
    ::close(pipefd[1]);
    std::string answer;
    char buf[64];
    for (;;) {
        const ssize_t n = ::read(pipefd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipefd[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
        const char* sig = ::sigabbrev_np(WTERMSIG(status));
        return std::string("killed SIG") + (sig != nullptr ? sig : "?");
    }
    return answer.empty() ? "no answer" : answer;
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

// Hostile pointers: the kernel must answer EFAULT / ENAMETOOLONG, the supervisor must not crash.
std::string open_at(const char* path) {
    long fd = ::syscall(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return errname(errno);
    ::close(static_cast<int>(fd));
    return "ok";
}

std::string do_open_unmapped() {
    const long page = ::sysconf(_SC_PAGESIZE);
    void* m =
        ::mmap(nullptr, static_cast<size_t>(page), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return "mmap " + errname(errno);
    ::munmap(m, static_cast<size_t>(page)); // now certainly unmapped
    return open_at(static_cast<const char*>(m));
}

std::string do_open_cross_page() {
    const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    auto* m = static_cast<char*>(
        ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (m == MAP_FAILED) return "mmap " + errname(errno);
    if (::mprotect(m + page, page, PROT_NONE) != 0) return "mprotect " + errname(errno);
    // 64 'a's and no NUL, right up to the unreadable page.
    std::memset(m + page - 64, 'a', 64);
    std::string r = open_at(m + page - 64);
    ::munmap(m, 2 * page);
    return r;
}

std::string do_open_huge() {
    std::string path(1u << 20, 'a');
    path[0] = '/';
    return open_at(path.c_str());
}

// One thread flips the buffer between two paths; the other opens (O_CREAT, raw open(2)) N times.
std::string do_path_race(long n, const std::string& dir) {
    const std::string a = dir + "/race-a", b = dir + "/race-b";
    const size_t len = std::max(a.size(), b.size()) + 1;
    std::vector<char> buf(len, '\0');
    std::memcpy(buf.data(), a.c_str(), a.size() + 1);
    std::atomic<bool> stop{false};
    std::thread flipper([&] {
        bool which = false;
        while (!stop.load(std::memory_order_relaxed)) {
            const std::string& s = which ? a : b;
            std::memcpy(buf.data(), s.c_str(), s.size() + 1);
            which = !which;
        }
    });
    long ok = 0, failed = 0;
    std::string first_error;
    for (long i = 0; i < n; ++i) {
        long fd = ::syscall(SYS_open, buf.data(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ++ok;
            ::close(static_cast<int>(fd));
        } else {
            ++failed;
            if (first_error.empty()) first_error = errname(errno);
        }
    }
    stop = true;
    flipper.join();
    return "opened=" + std::to_string(ok) + " failed=" + std::to_string(failed) +
           (first_error.empty() ? "" : " first_error=" + first_error);
}

// A filter of the target's own, allowing everything; with a listener it also notifies getppid
// (the kernel allows one listener per filter chain: EBUSY under sandbox's supervisor).
std::string do_own_filter(bool listener) {
    sock_filter allow_all[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    sock_filter notify_getppid[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog prog{};
    if (listener) {
        prog.len = sizeof notify_getppid / sizeof notify_getppid[0];
        prog.filter = notify_getppid;
    } else {
        prog.len = 1;
        prog.filter = allow_all;
    }
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return "prctl " + errname(errno);
    long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                        listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0U, &prog);
    if (rc < 0) return errname(errno);
    if (listener) {
        // We hold the listener of our own notify filter: getppid would wait on us forever, so
        // say what we got and leave without making it.
        return "listener fd " + std::to_string(rc);
    }
    return "ok";
}

std::string do_tiocsti() {
    char c = 'X';
    return verdict(::ioctl(0, TIOCSTI, &c));
}

std::string do_ioctl_high(long cmd) {
    const unsigned long full = (1UL << 32) | static_cast<unsigned long>(cmd);
    return verdict(::syscall(SYS_ioctl, 0, full, 0L));
}

std::string fd_targets() {
    std::string out;
    for (int fd = 0; fd <= 2; ++fd) {
        char link[64], target[512] = {};
        std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = ::readlink(link, target, sizeof target - 1);
        out += (fd ? " " : "") + std::to_string(fd) + "=" +
               (n > 0 ? std::string(target, static_cast<size_t>(n)) : errname(errno));
    }
    return out;
}

std::string do_fork_loop(long seconds, long max) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    long made = 0;
    std::string why = "max";
    while (made < max) {
        if (std::chrono::steady_clock::now() >= until) {
            why = "time";
            break;
        }
        pid_t pid = ::fork();
        if (pid < 0) {
            why = errname(errno);
            break;
        }
        if (pid == 0) {
            for (;;) ::pause(); // until the sandbox kills it
        }
        ++made;
    }
    return "forked=" + std::to_string(made) + " stopped=" + why;
}

std::string do_hog(long max_mib) {
    constexpr std::size_t step = 4UL << 20;
    long reached = 0;
    while (reached < max_mib) {
        void* p = ::mmap(nullptr, step, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return "reached=" + std::to_string(reached) + " stopped=" + errname(errno);
        std::memset(p, 0x5a, step); // touched: charged to the memory cgroup
        reached += 4;
        say("hog-at", std::to_string(reached));
    }
    return "reached=" + std::to_string(reached) + " stopped=max";
}

std::string rlimit_text(int resource) {
    rlimit r{};
    if (::getrlimit(resource, &r) != 0) return errname(errno);
    if (r.rlim_cur == RLIM_INFINITY) return "unlimited";
    return std::to_string(r.rlim_cur);
}

// The first readable FILE of this process's cgroup (v1 CONTROLLER or v2), looked for where it is
// now and where a cgroup namespace or a sandbox-only /sys/fs/cgroup would put it.
std::string cgroup_value(const std::string& controller, const std::string& file) {
    std::vector<std::string> dirs;
    FILE* f = std::fopen("/proc/self/cgroup", "re");
    char line[4096];
    while (f != nullptr && std::fgets(line, sizeof line, f) != nullptr) {
        std::string l(line);
        if (!l.empty() && l.back() == '\n') l.pop_back();
        const auto a = l.find(':');
        const auto b = a == std::string::npos ? a : l.find(':', a + 1);
        if (b == std::string::npos) continue;
        std::string path = l.substr(b + 1);
        if (path == "/") path.clear();
        const std::string names = "," + l.substr(a + 1, b - a - 1) + ",";
        if (l.compare(0, 3, "0::") == 0) {
            dirs.push_back("/sys/fs/cgroup" + path);
            dirs.push_back("/sys/fs/cgroup/unified" + path);
            dirs.push_back("/sys/fs/cgroup");
        } else if (names.find("," + controller + ",") != std::string::npos) {
            dirs.push_back("/sys/fs/cgroup/" + controller + path);
            dirs.push_back("/sys/fs/cgroup/" + controller);
        }
    }
    if (f != nullptr) std::fclose(f);
    for (const auto& d : dirs) {
        FILE* v = std::fopen((d + "/" + file).c_str(), "re");
        if (v == nullptr) continue;
        std::string value;
        if (std::fgets(line, sizeof line, v) != nullptr) value = line;
        std::fclose(v);
        while (!value.empty() && value.back() == '\n') value.pop_back();
        return value;
    }
    return "none";
}

void print_limits() {
    say("limit-nproc", rlimit_text(RLIMIT_NPROC));
    say("limit-as", rlimit_text(RLIMIT_AS));
    std::string pids = cgroup_value("pids", "pids.max");
    say("limit-pids.max", pids);
    std::string memory = cgroup_value("memory", "memory.limit_in_bytes");
    if (memory == "none") memory = cgroup_value("memory", "memory.max");
    say("limit-memory", memory);
    say("limit-memsw", cgroup_value("memory", "memory.memsw.limit_in_bytes"));
    std::string cpu = cgroup_value("cpu", "cpu.cfs_quota_us");
    if (cpu != "none")
        cpu += " " + cgroup_value("cpu", "cpu.cfs_period_us");
    else
        cpu = cgroup_value("cpu", "cpu.max");
    say("limit-cpu", cpu);
}

// A filter of the target's own that fails NR (or nearly everything) with EPERM.
std::string do_errno_filter(const std::string& which) {
    long nr = -1;
    if (which != "all" && !parse_long(which, nr)) return "bad NR";
    std::vector<sock_filter> f;
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
    if (nr >= 0) {
        f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1));
        f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    } else { // all but what the probe needs to report and leave
        for (long keep : {long{SYS_write}, long{SYS_exit}, long{SYS_exit_group}}) {
            f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(keep), 0, 1));
            f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
        }
        f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    }
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return "prctl " + errname(errno);
    return verdict(::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0U, &prog));
}

// Syscall NR from a second thread. A thread the kernel kills (KILL_THREAD) says nothing; the main
// thread joins it either way (the kernel clears its tid and wakes the joiner).
std::string do_thread_syscall(long nr) {
    try {
        std::thread t([nr] {
            long rc = ::syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
            say("thread-syscall " + std::to_string(nr) + " in thread",
                rc >= 0 ? std::to_string(rc) : errname(errno));
        });
        t.join();
        return "joined";
    } catch (const std::system_error& e) {
        return errname(e.code().value());
    }
}

// A child that becomes `role` when the kernel gave it pid `want`, else exits at once. Cycles pids
// (cheap vfork children far from `want`) until it gets `want`, or `wraps` wraps of the pid space
// have passed (0: not got). Other processes on the machine may take `want` first: try again on the
// next wrap.
template <typename Role>
pid_t take_pid(pid_t want, int wraps, Role role) {
    pid_t last = 0; // the last pid the kernel handed out
    if (FILE* f = std::fopen("/proc/sys/kernel/ns_last_pid", "re")) {
        if (std::fscanf(f, "%d", &last) != 1) last = 0;
        std::fclose(f);
    }
    for (int wrapped = 0; wrapped <= wraps;) {
        const bool near = last < want && want - last <= 64;
        pid_t c;
        if (near) {
            c = ::fork();
            if (c == 0) {
                if (::getpid() == want) role();
                ::_exit(0);
            }
        } else {
            c = ::vfork();
            if (c == 0) ::_exit(0);
        }
        if (c < 0) return 0;
        if (c == want && near) return c; // the child is `role` now
        ::waitpid(c, nullptr, 0);
        if (c < last) ++wrapped;
        last = c;
    }
    return 0;
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("killed by SIG") + ::sigabbrev_np(WTERMSIG(status));
    return "status " + std::to_string(status);
}

volatile sig_atomic_t g_innocent_signal = 0;

std::string do_pid_reuse() {
    // 1. A process X whose thread T makes a logged call; then both are gone.
    int ids[2];
    if (::pipe2(ids, O_CLOEXEC) != 0) return "pipe " + errname(errno);
    pid_t first = ::fork();
    if (first < 0) return "fork " + errname(errno);
    if (first == 0) {
        pid_t tid = 0;
        std::thread t([&tid] {
            tid = static_cast<pid_t>(::syscall(SYS_gettid));
            ::syscall(SYS_getppid);
        });
        t.join();
        const pid_t both[2] = {::getpid(), tid};
        (void)!::write(ids[1], both, sizeof both);
        ::_exit(0);
    }
    ::close(ids[1]);
    pid_t both[2] = {0, 0};
    const bool got = ::read(ids[0], both, sizeof both) == static_cast<ssize_t>(sizeof both);
    ::close(ids[0]);
    ::waitpid(first, nullptr, 0);
    if (!got || both[1] <= 0) return "could not learn the first process's ids";
    const pid_t x = both[0], t = both[1];

    // 2. The innocent takes pid X: it notes any SIGSYS and waits until told to leave.
    int ready[2], done[2];
    if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(done, O_CLOEXEC) != 0) return "pipe";
    const pid_t innocent = take_pid(x, 3, [&] {
        struct sigaction sa {};
        sa.sa_handler = [](int sig) { g_innocent_signal = sig; };
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGSYS, &sa, nullptr);
        ::close(ready[0]);
        ::close(done[1]);
        (void)!::write(ready[1], "r", 1);
        char c;
        while (::read(done[0], &c, 1) < 0 && errno == EINTR) {
        }
        ::_exit(g_innocent_signal != 0 ? 10 : 0);
    });
    ::close(ready[1]);
    ::close(done[0]);
    char c;
    if (innocent == 0 || ::read(ready[0], &c, 1) != 1) {
        ::close(done[1]);
        if (innocent > 0) ::waitpid(innocent, nullptr, 0);
        return "could not reuse pid " + std::to_string(x);
    }
    // 3. The offender takes T (the tid a cache would map to X) and makes the call the policy kills.
    const pid_t offender = take_pid(t, 3, [] {
        const long rc = ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
        ::_exit(rc == 0 ? 0 : 3); // it ran, or an errno came back instead of the kill
    });
    int offender_status = 0;
    if (offender > 0) ::waitpid(offender, &offender_status, 0);
    ::close(done[1]);
    int innocent_status = 0;
    ::waitpid(innocent, &innocent_status, 0);
    if (offender == 0) return "could not reuse pid " + std::to_string(t);
    const std::string inn = WIFEXITED(innocent_status) && WEXITSTATUS(innocent_status) == 10
                                ? std::string("got SIGSYS")
                            : WIFEXITED(innocent_status) && WEXITSTATUS(innocent_status) == 0
                                ? std::string("untouched")
                                : describe_status(innocent_status);
    return "pid " + std::to_string(x) + " tid " + std::to_string(t) + " innocent " + inn +
           " offender " + describe_status(offender_status);
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
        } else if (a == "catch-sigsys") {
            // From now on SIGSYS is caught: a seccomp-style kill by SIGSYS alone would not end us.
            struct sigaction sa {};
            sa.sa_handler = [](int) {
                const char msg[] = "caught SIGSYS\n";
                (void)!::write(1, msg, sizeof msg - 1);
            };
            sigemptyset(&sa.sa_mask);
            say(a, verdict(::sigaction(SIGSYS, &sa, nullptr)));
        } else if (a == "clone3") {
            say(a, do_clone3());
        } else if (a == "thread") {
            say(a, do_thread());
        } else if (a == "syscall") {
            long nr = 0;
            if (!arg(p) || !parse_long(p, nr)) return usage("missing or bad NR for", a);
            long rc = ::syscall(nr, 0L, 0L, 0L, 0L, 0L, 0L);
            say(a + " " + p, rc >= 0 ? std::to_string(rc) : errname(errno));
        } else if (a == "sys" || a == "int80" || a == "x32") {
            long nr = 0;
            std::vector<unsigned long> values;
            std::vector<std::string> texts;
            if (!arg(p) || !parse_long(p, nr) || nr < 0) return usage("missing or bad NR for", a);
            if (!arg(q) || !parse_raw_args(q, values, texts))
                return usage("missing or bad ARGS (e.g. 0x1,2,@/path or -) for", a);
            say(a + " " + p + " " + q, forked_call(a, static_cast<unsigned long>(nr), values));
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
        } else if (a == "open-null") {
            say(a, open_at(nullptr));
        } else if (a == "open-unmapped") {
            say(a, do_open_unmapped());
        } else if (a == "open-cross-page") {
            say(a, do_open_cross_page());
        } else if (a == "open-huge") {
            say(a, do_open_huge());
        } else if (a == "path-race") {
            long n = 0;
            if (!arg(p) || !parse_long(p, n) || !arg(q)) return usage("missing N DIR for", a);
            say(a, do_path_race(n, q));
        } else if (a == "own-listener") {
            say(a, do_own_filter(true));
        } else if (a == "own-filter") {
            say(a, do_own_filter(false));
        } else if (a == "tiocsti") {
            say(a, do_tiocsti());
        } else if (a == "ioctl-high") {
            long cmd = 0;
            if (!arg(p) || !parse_long(p, cmd)) return usage("missing or bad CMD for", a);
            say(a + " " + p, do_ioctl_high(cmd));
        } else if (a == "fd-targets") {
            say(a, fd_targets());
        } else if (a == "fork-loop") {
            long secs = 0, max = 0;
            if (!arg(p) || !parse_long(p, secs) || !arg(q) || !parse_long(q, max))
                return usage("missing SECONDS MAX for", a);
            say(a, do_fork_loop(secs, max));
        } else if (a == "hog") {
            long mib = 0;
            if (!arg(p) || !parse_long(p, mib)) return usage("missing MIB for", a);
            say(a, do_hog(mib));
        } else if (a == "limits") {
            print_limits();
        } else if (a == "errno-filter") {
            if (!arg(p)) return usage("missing NR or all for", a);
            say(a + " " + p, do_errno_filter(p));
        } else if (a == "thread-syscall") {
            long nr = 0;
            if (!arg(p) || !parse_long(p, nr)) return usage("missing or bad NR for", a);
            say(a + " " + p, do_thread_syscall(nr));
        } else if (a == "pid-reuse") {
            say(a, do_pid_reuse());
        } else if (a == "write-bytes") {
            const char bytes[] = {'A', '\0', 'B', '\033', '\xff', '\n'};
            say(a, verdict(::write(1, bytes, sizeof bytes)));
        } else {
            return usage("unknown action", a);
        }
    }
    return 0;
}
