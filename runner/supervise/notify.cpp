#include "supervise/notify.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>
#include <seccomp.h>

#include "policy/arch.hpp"
#include "supervise/memory.hpp"
#include "util/kernel_compat.hpp"

namespace supervise {
namespace {

double now() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

seccomp_notif_sizes notif_sizes() {
    seccomp_notif_sizes s{};
    if (::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &s) != 0) {
        s.seccomp_notif = sizeof(seccomp_notif);
        s.seccomp_notif_resp = sizeof(seccomp_notif_resp);
    }
    return s;
}

std::string fd_path(pid_t tid, int fd) {
    char link[64], target[4096];
    std::snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
    ssize_t n = ::readlink(link, target, sizeof target);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

} // namespace

Supervisor::Supervisor(const policy::CompiledFilter& policy, Settings settings,
                       output::EventSink& sink)
    : policy_(policy), settings_(std::move(settings)), sink_(sink) {
    const auto sizes = notif_sizes();
    // The kernel may know a larger struct than our headers: receive into its size.
    notif_buf_.assign(std::max<std::size_t>(sizes.seccomp_notif, sizeof(seccomp_notif)), 0);
    resp_buf_.assign(std::max<std::size_t>(sizes.seccomp_notif_resp, sizeof(seccomp_notif_resp)),
                     0);
    native_names_.resize(1024);
    verdict_cache_.resize(1024);
    conditional_.assign(1024, false);
    native_arch_ = policy::arch::native().token;
    const std::uint32_t native = native_arch_;
    for (const auto& r : policy_.rules)
        if (!r.conditions.empty())
            for (const auto& [arch, nr] : r.numbers)
                if (arch == native && nr >= 0 && nr < 1024)
                    conditional_[static_cast<std::size_t>(nr)] = true;
}

const policy::Verdict& Supervisor::decide(const seccomp_data& d, policy::Verdict& scratch) {
    const bool cacheable = d.arch == native_arch_ && d.nr >= 0 && d.nr < 1024 &&
                           !conditional_[static_cast<std::size_t>(d.nr)];
    if (!cacheable) return scratch = policy_.decide(d);
    auto& slot = verdict_cache_[static_cast<std::size_t>(d.nr)];
    if (!slot) slot = policy_.decide(d);
    return *slot;
}

void Supervisor::attach(util::unique_fd listener) {
    listener_ = std::move(listener);
    // Synchronous wake-ups (6.6+): the supervisor runs on the target's CPU right away.
    std::uint64_t flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
    (void)::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
}

const std::string& Supervisor::syscall_name(std::uint32_t arch, int nr) {
    const bool native = arch == native_arch_;
    if (native && nr >= 0 && static_cast<std::size_t>(nr) < native_names_.size() &&
        !native_names_[static_cast<std::size_t>(nr)].empty())
        return native_names_[static_cast<std::size_t>(nr)];
    std::string name;
    if (char* n = seccomp_syscall_resolve_num_arch(arch, nr)) {
        name = n;
        std::free(n);
    } else {
        name = fmt::format("syscall_{}", nr);
    }
    if (native && nr >= 0 && static_cast<std::size_t>(nr) < native_names_.size())
        return native_names_[static_cast<std::size_t>(nr)] = std::move(name);
    return other_names_[{arch, nr}] = std::move(name);
}

pid_t Supervisor::thread_group(pid_t tid) {
    if (auto it = tgids_.find(tid); it != tgids_.end()) return it->second;
    if (tgids_.size() > 65536) tgids_.clear(); // pids are reused: do not keep stale entries forever
    pid_t tgid = tid;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", tid);
    if (FILE* f = std::fopen(path, "re")) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr)
            if (std::sscanf(line, "Tgid: %d", &tgid) == 1) break;
        std::fclose(f);
    }
    tgids_[tid] = tgid;
    return tgid;
}

bool Supervisor::inject(const std::string& name, int& error) {
    bool counted = false;
    std::uint64_t occurrence = 0;
    for (const auto& inj : settings_.injections) {
        if (std::find(inj.syscalls.begin(), inj.syscalls.end(), name) == inj.syscalls.end())
            continue;
        if (!counted) {
            occurrence = ++occurrences_[name];
            counted = true;
        }
        if (occurrence >= inj.first && occurrence <= inj.last) {
            error = inj.error;
            return true;
        }
    }
    return false;
}

bool Supervisor::handle_ready() {
    std::memset(notif_buf_.data(), 0, notif_buf_.size());
    if (::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_RECV, notif_buf_.data()) != 0) {
        // ENOENT: the target went away between the wake-up and our receive; EINTR: retry later.
        return errno == ENOENT || errno == EINTR;
    }
    seccomp_notif n{};
    std::memcpy(&n, notif_buf_.data(), sizeof n);
    handle_one(n);
    return true;
}

void Supervisor::handle_one(const seccomp_notif& n) {
    ++stats_.notifications;
    output::Event e;
    e.time = now();
    e.tid = static_cast<pid_t>(n.pid);
    e.nr = n.data.nr;
    e.arch = n.data.arch;
    e.name = syscall_name(n.data.arch, n.data.nr);
    for (int i = 0; i < 6; ++i) e.args[static_cast<std::size_t>(i)] = n.data.args[i];

    if (auto it = interrupted_.find(e.tid); it != interrupted_.end()) {
        e.restarted = it->second.nr == e.nr && it->second.args == e.args;
        interrupted_.erase(it);
        if (e.restarted) ++stats_.restarts;
    }

    policy::Verdict scratch;
    const policy::Verdict& v = decide(n.data, scratch);
    const std::uint32_t action = v.ret & SECCOMP_RET_ACTION_FULL;
    const bool denies = policy::ret_denies(v.ret);
    e.rule = v.rule;
    e.action = policy::describe_ret(v.ret);

    std::memset(resp_buf_.data(), 0, resp_buf_.size());
    seccomp_notif_resp resp{};
    resp.id = n.id;
    bool kill_target = false;
    int inject_error = 0;
    if (denies && !settings_.audit) {
        if (action == SECCOMP_RET_ERRNO) {
            e.verdict = output::Verdict::Denied;
            e.err = static_cast<int>(v.ret & SECCOMP_RET_DATA);
            e.result = -1;
            resp.error = -e.err;
        } else { // KILL_PROCESS, KILL_THREAD (TRAP never reaches us: it stays in the kernel)
            e.verdict = output::Verdict::Killed;
            kill_target = true;
        }
    } else if (!e.restarted && inject(e.name, inject_error)) {
        e.verdict = output::Verdict::Injected;
        e.err = inject_error;
        e.result = -1;
        resp.error = -inject_error;
    } else {
        e.verdict = denies ? output::Verdict::WouldDeny : output::Verdict::Allowed;
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    }

    const bool log = e.verdict != output::Verdict::Allowed || settings_.routing.selected(e.name);
    if (log && settings_.decode) {
        RemoteMemory memory(e.tid);
        decode::FdPath paths;
        if (settings_.fd_paths) paths = [tid = e.tid](int fd) { return fd_path(tid, fd); };
        e.decoded =
            decode::decode_arguments(e.name, e.args, memory, settings_.decode_options, paths);
    }
    // Re-check before using what was read (or killing): the target may have died and its pid
    // been reused. Without either, the reply itself fails with ENOENT for a vanished target.
    std::uint64_t id = n.id;
    const bool valid = (e.decoded.empty() && !kill_target) ||
                       ::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
    if (!valid) {
        e.decoded.clear();
        ++stats_.vanished;
    } else if (kill_target) {
        // The policy's KILL, logged first: the supervisor kills the whole process (the kernel
        // would have, with SIGSYS). sandbox reports its exit as 128+SIGSYS.
        const pid_t tgid = thread_group(e.tid);
        killed_.insert(tgid);
        ::kill(tgid, SIGKILL);
    } else {
        std::memcpy(resp_buf_.data(), &resp, sizeof resp);
        if (::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SEND, resp_buf_.data()) != 0 &&
            errno == ENOENT) {
            // A signal interrupted the call (or the target died): with SA_RESTART the same call is
            // notified again; mark it then instead of counting it twice.
            interrupted_[e.tid] = Pending{e.nr, e.args};
            ++stats_.vanished;
        }
    }
    if (log) {
        e.pid = settings_.thread_groups ? thread_group(e.tid) : e.tid;
        sink_.event(e);
        pending_output_ = settings_.streaming;
    }
}

} // namespace supervise
