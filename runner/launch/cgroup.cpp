// SPDX-License-Identifier: Apache-2.0
#include "launch/cgroup.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/safe_file.hpp"

namespace launch::cgroup {
namespace {

// One write of `text` into an existing file (cgroup files take one value per write). 0 or errno.
int write_text(const std::string& path, const std::string& text) noexcept {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int err = n < 0 ? errno : 0;
    ::close(fd);
    if (n < 0) return err;
    return static_cast<std::size_t>(n) == text.size() ? 0 : EIO;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::set<std::string> words(const std::string& text) {
    std::set<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto start = text.find_first_not_of(" \t\n", pos);
        if (start == std::string::npos) break;
        auto end = text.find_first_of(" \t\n", start);
        if (end == std::string::npos) end = text.size();
        out.insert(text.substr(start, end - start));
        pos = end;
    }
    return out;
}

// "not writable: Permission denied (EACCES)" when dir or its cgroup.procs cannot be written.
std::string writability_problem(const std::string& dir) {
    if (::access(dir.c_str(), W_OK) != 0) return "not writable: " + util::describe_errno(errno);
    if (::access((dir + "/cgroup.procs").c_str(), W_OK) != 0)
        return "cgroup.procs not writable: " + util::describe_errno(errno);
    return {};
}

std::string hint_for(int err, const std::string& path) {
    if (err == EACCES || err == EPERM || err == EROFS)
        return "sandbox found this cgroup writable a moment ago; `sandbox doctor` shows what this "
               "machine offers now. Run as root, or in a delegated cgroup v2 subtree "
               "(systemd-run --user --scope -p Delegate=yes sandbox run ...); --pids-limit 0 runs "
               "without the default pids limit";
    if (err == EBUSY && path.find("subtree_control") != std::string::npos)
        return "another process joined your cgroup meanwhile (\"no internal processes\"): run "
               "sandbox in a cgroup of its own, e.g. systemd-run --user --scope -p Delegate=yes "
               "sandbox run ...";
    if (err == EAGAIN || err == ENOSPC)
        return "a parent cgroup's cgroup.max.descendants or cgroup.max.depth is reached";
    if (err == ENOENT)
        return "the controller is not enabled for this cgroup (see `sandbox doctor`)";
    return "see `sandbox doctor`; --pids-limit 0 runs without the default pids limit";
}

[[noreturn]] void fail(const std::string& op, const std::string& path, int err) {
    util::throw_setup(util::syscall_error(op, path, err), hint_for(err, path));
}

void write_or_throw(const std::string& path, const std::string& text) {
    if (int err = write_text(path, text); err != 0)
        fail(fmt::format("write \"{}\"", text), path, err);
}

// SIGKILL everything in one cgroup (never sandbox itself).
void kill_in(const std::string& dir) noexcept {
    try {
        if (exists(dir + "/cgroup.kill")) write_text(dir + "/cgroup.kill", "1");
        const pid_t self = ::getpid();
        for (pid_t pid : procs(dir))
            if (pid != self && pid > 0) ::kill(pid, SIGKILL);
    } catch (...) {
    }
}

} // namespace

limits::V2Offer probe_v2(const std::string& dir, pid_t self) {
    limits::V2Offer v2;
    v2.dir = dir;
    const util::FileText controllers = util::read_text(dir + "/cgroup.controllers");
    if (controllers.err != 0) {
        v2.problem = "cgroup.controllers: " + util::describe_errno(controllers.err);
        return v2;
    }
    v2.controllers = words(controllers.text);
    v2.subtree_control = words(util::read_text(dir + "/cgroup.subtree_control").text);
    v2.problem = writability_problem(dir);
    v2.writable = v2.problem.empty();
    v2.subtree_writable = ::access((dir + "/cgroup.subtree_control").c_str(), W_OK) == 0;
    v2.root = !exists(dir + "/cgroup.type"); // every cgroup but the root has one
    const std::vector<pid_t> in = procs(dir);
    v2.only_self = in.size() == 1 && in[0] == self;
    return v2;
}

limits::V1Offer probe_v1(const std::string& dir) {
    limits::V1Offer v1;
    v1.dir = dir;
    v1.problem = writability_problem(dir);
    v1.writable = v1.problem.empty();
    return v1;
}

limits::Host probe_host() {
    limits::Host host;
    const limits::ProcCgroup own =
        limits::parse_proc_cgroup(util::read_text("/proc/self/cgroup").text);
    const limits::CgroupMounts mounts =
        limits::parse_cgroup_mounts(util::read_text("/proc/self/mountinfo").text);
    if (own.v2 && mounts.v2)
        if (auto dir = limits::cgroup_dir(*mounts.v2, *own.v2)) {
            host.v2 = probe_v2(*dir, ::getpid());
            host.v2_swap = host.v2.root || exists(*dir + "/memory.swap.max");
        }
    for (const char* controller : {"pids", "memory", "cpu"}) {
        const auto path = own.v1.find(controller);
        const auto mount = mounts.v1.find(controller);
        if (path == own.v1.end() || mount == mounts.v1.end()) continue;
        if (auto dir = limits::cgroup_dir(mount->second, path->second))
            host.v1[controller] = probe_v1(*dir);
    }
    if (auto m = host.v1.find("memory"); m != host.v1.end())
        host.memsw = exists(m->second.dir + "/memory.memsw.limit_in_bytes");
    rlimit r{};
    if (::getrlimit(RLIMIT_NPROC, &r) == 0) host.nproc_soft = r.rlim_cur;
    if (::getrlimit(RLIMIT_AS, &r) == 0) host.as_soft = r.rlim_cur;
    return host;
}

void write_v2_limits(const std::string& dir, const limits::Limits& l) {
    using limits::Mechanism;
    if (l.pids_by == Mechanism::CgroupV2) write_or_throw(dir + "/pids.max", std::to_string(l.pids));
    if (l.memory_by == Mechanism::CgroupV2) {
        write_or_throw(dir + "/memory.max", std::to_string(l.memory));
        // Swap must not be a way around the limit (absent without swap accounting).
        if (l.memory_swap && exists(dir + "/memory.swap.max"))
            write_or_throw(dir + "/memory.swap.max", "0");
    }
    if (l.cpu_by == Mechanism::CgroupV2)
        write_or_throw(dir + "/cpu.max", fmt::format("{} {}", l.cpu_quota_us, l.cpu_period_us));
}

void write_v1_limits(const std::string& controller, const std::string& dir,
                     const limits::Limits& l) {
    using limits::Mechanism;
    if (controller == "pids" && l.pids_by == Mechanism::CgroupV1)
        write_or_throw(dir + "/pids.max", std::to_string(l.pids));
    if (controller == "memory" && l.memory_by == Mechanism::CgroupV1) {
        // memsw (memory + swap) may never be below the memory limit: memory first.
        write_or_throw(dir + "/memory.limit_in_bytes", std::to_string(l.memory));
        if (l.memory_swap)
            write_or_throw(dir + "/memory.memsw.limit_in_bytes", std::to_string(l.memory));
    }
    if (controller == "cpu" && l.cpu_by == Mechanism::CgroupV1) {
        write_or_throw(dir + "/cpu.cfs_period_us", std::to_string(l.cpu_period_us));
        write_or_throw(dir + "/cpu.cfs_quota_us", std::to_string(l.cpu_quota_us));
    }
}

std::vector<pid_t> procs(const std::string& dir) {
    std::vector<pid_t> out;
    const util::FileText t = util::read_text(dir + "/cgroup.procs");
    std::size_t pos = 0;
    while (pos < t.text.size()) {
        auto end = t.text.find('\n', pos);
        if (end == std::string::npos) end = t.text.size();
        const std::string line = t.text.substr(pos, end - pos);
        if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos &&
            line.size() < 10)
            out.push_back(static_cast<pid_t>(std::stol(line)));
        pos = end + 1;
    }
    return out;
}

void remove_stale(const std::string& parent) noexcept {
    try {
        DIR* d = ::opendir(parent.c_str());
        if (d == nullptr) return;
        const pid_t self = ::getpid();
        const std::time_t now = std::time(nullptr);
        std::vector<std::string> stale;
        while (dirent* e = ::readdir(d)) {
            // sandbox-PID-N or sandbox-PID-N-supervisor
            unsigned long pid = 0, n = 0;
            char rest[16] = {};
            const int got = std::sscanf(e->d_name, "sandbox-%lu-%lu%15s", &pid, &n, rest);
            if (got < 2 || (got == 3 && std::string(rest) != "-supervisor")) continue;
            if (fmt::format("sandbox-{}-{}{}", pid, n, got == 3 ? rest : "") != e->d_name) continue;
            if (static_cast<pid_t>(pid) == self || pid == 0) continue;
            if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue; // alive
            struct stat st {};
            const std::string path = parent + "/" + e->d_name;
            if (::stat(path.c_str(), &st) != 0 || now - st.st_mtime < 60) continue;
            stale.push_back(path);
        }
        ::closedir(d);
        for (const auto& p : stale) ::rmdir(p.c_str()); // fails, harmlessly, unless empty
    } catch (...) {
    }
}

Guard::Guard(const limits::Limits& l, Warn warn) : limits_(l), warn_(std::move(warn)) {
    if (!limits_.uses_cgroup()) return;
    try {
        create();
    } catch (...) {
        cleanup();
        throw;
    }
}

Guard::~Guard() {
    cleanup();
}

void Guard::create() {
    const auto make_dir = [this](const std::string& path) {
        if (::mkdir(path.c_str(), 0755) != 0) fail("mkdir", path, errno);
        made_.push_back(path);
    };
    if (!limits_.v2_path.empty()) {
        const std::string& parent = limits_.v2_parent;
        remove_stale(parent);
        if (!limits_.v2_leaf.empty()) {
            // "No internal processes": controllers can be enabled for the parent's children only
            // while no process is in it. sandbox (alone in it, probe_host checked) moves to a
            // leaf of its own, and back afterwards.
            if (::mkdir(limits_.v2_leaf.c_str(), 0755) != 0) fail("mkdir", limits_.v2_leaf, errno);
            leaf_made_ = true;
            write_or_throw(limits_.v2_leaf + "/cgroup.procs", std::to_string(::getpid()));
            moved_self_ = true;
        }
        for (const auto& c : limits_.v2_enable) {
            write_or_throw(parent + "/cgroup.subtree_control", "+" + c);
            enabled_.push_back(c);
        }
        make_dir(limits_.v2_path);
        write_v2_limits(limits_.v2_path, limits_);
        v2_fd_.reset(::open(limits_.v2_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!v2_fd_) fail("open", limits_.v2_path, errno);
    }
    for (const auto& d : limits_.v1) {
        // Co-mounted controllers (cpu,cpuacct and the like) share one directory.
        if (std::find(made_.begin(), made_.end(), d.path) == made_.end()) {
            remove_stale(d.path.substr(0, d.path.rfind('/')));
            make_dir(d.path);
        }
        write_v1_limits(d.controller, d.path, limits_);
    }
}

void Guard::attach(pid_t init, bool v2_too) const {
    // v1 has no CLONE_INTO_CGROUP: init waits for "go" until it is in every hierarchy.
    for (const auto& path : made_)
        if (path != limits_.v2_path || v2_too)
            write_or_throw(path + "/cgroup.procs", std::to_string(init));
}

void Guard::kill_all() const noexcept {
    for (const auto& path : made_) kill_in(path);
}

long Guard::oom_kills() const noexcept {
    try {
        std::string file;
        if (limits_.memory_by == limits::Mechanism::CgroupV2)
            file = limits_.v2_path + "/memory.events";
        for (const auto& d : limits_.v1)
            if (d.controller == "memory" && limits_.memory_by == limits::Mechanism::CgroupV1)
                file = d.path + "/memory.oom_control";
        if (file.empty()) return 0;
        const std::string text = util::read_text(file).text;
        const auto at = text.find("oom_kill ");
        return at == std::string::npos ? 0 : std::stol(text.substr(at + 9));
    } catch (...) {
        return 0;
    }
}

void Guard::cleanup() noexcept {
    try {
        v2_fd_.reset();
        // The sandbox's processes are normally gone (init's death takes a PID namespace with
        // it); whatever is left is killed, then each directory goes once it is empty.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        std::vector<std::string> left(made_.rbegin(), made_.rend());
        int err = 0;
        while (!left.empty()) {
            std::vector<std::string> still;
            for (const auto& path : left) {
                if (::rmdir(path.c_str()) == 0 || errno == ENOENT) continue;
                err = errno;
                kill_in(path);
                still.push_back(path);
            }
            left.swap(still);
            if (left.empty() || std::chrono::steady_clock::now() >= deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        made_.clear();
        for (const auto& path : left)
            if (warn_)
                warn_(fmt::format("{}: the sandbox's cgroup is still there (processes: {}); remove "
                                  "it with `rmdir {}` once they are gone",
                                  util::syscall_error("rmdir", path, err), procs(path).size(),
                                  path));
        // Undo the parent's changes in reverse: controllers off, sandbox back, the leaf gone.
        const std::string& parent = limits_.v2_parent;
        // Not while another cgroup below the parent may count on them (a concurrent run found
        // them enabled and enabled nothing itself): they stay on then.
        bool others = false;
        if (DIR* d = ::opendir(parent.c_str())) {
            const std::string leaf = limits_.v2_leaf.substr(limits_.v2_leaf.rfind('/') + 1);
            while (dirent* e = ::readdir(d))
                if (e->d_type == DT_DIR && e->d_name[0] != '.' && e->d_name != leaf) others = true;
            ::closedir(d);
        }
        for (auto c = enabled_.rbegin(); c != enabled_.rend() && !others; ++c)
            if (int e = write_text(parent + "/cgroup.subtree_control", "-" + *c); e != 0 && warn_)
                warn_(fmt::format("{}: the controller stays enabled there",
                                  util::syscall_error("write \"-" + *c + "\"",
                                                      parent + "/cgroup.subtree_control", e)));
        enabled_.clear();
        if (moved_self_) {
            if (int e = write_text(parent + "/cgroup.procs", std::to_string(::getpid()));
                e != 0 && warn_)
                warn_(fmt::format("{}: sandbox stays in {}",
                                  util::syscall_error("write", parent + "/cgroup.procs", e),
                                  limits_.v2_leaf));
            moved_self_ = false;
        }
        if (leaf_made_ && ::rmdir(limits_.v2_leaf.c_str()) != 0 && errno != ENOENT && warn_)
            warn_(util::syscall_error("rmdir", limits_.v2_leaf, errno));
        leaf_made_ = false;
    } catch (...) {
    }
}

} // namespace launch::cgroup
