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

seccomp_notif_sizes notif_sizes() {
    seccomp_notif_sizes s{};
    if (::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &s) != 0) {
        s.seccomp_notif = sizeof(seccomp_notif);
        s.seccomp_notif_resp = sizeof(seccomp_notif_resp);
    }
    return s;
}

} // namespace

Supervisor::Supervisor(const policy::CompiledFilter& policy, Settings settings,
                       output::EventSink& sink)
    : settings_(std::move(settings)),
      judge_(policy, settings_.injections, settings_.audit, settings_.emulation), sink_(sink) {
    const auto sizes = notif_sizes();
    // The kernel may know a larger struct than our headers: receive into its size.
    notif_buf_.assign(std::max<std::size_t>(sizes.seccomp_notif, sizeof(seccomp_notif)), 0);
    resp_buf_.assign(std::max<std::size_t>(sizes.seccomp_notif_resp, sizeof(seccomp_notif_resp)),
                     0);
}

void Supervisor::attach(util::unique_fd listener) {
    listener_ = std::move(listener);
    // Synchronous wake-ups (6.6+): the supervisor runs on the target's CPU right away.
    std::uint64_t flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
    (void)::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
}

pid_t Supervisor::thread_group(pid_t tid) {
    if (auto it = tgids_.find(tid); it != tgids_.end()) return it->second;
    if (tgids_.size() > 65536) tgids_.clear(); // pids are reused: do not keep stale entries forever
    return tgids_[tid] = read_tgid(tid);
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
    e.time = wall_clock();
    e.tid = static_cast<pid_t>(n.pid);
    e.nr = n.data.nr;
    e.arch = n.data.arch;
    e.name = judge_.syscall_name(n.data.arch, n.data.nr);
    for (int i = 0; i < 6; ++i) e.args[static_cast<std::size_t>(i)] = n.data.args[i];

    if (auto it = interrupted_.find(e.tid); it != interrupted_.end()) {
        e.restarted = it->second.nr == e.nr && it->second.args == e.args;
        interrupted_.erase(it);
        if (e.restarted) ++stats_.restarts;
    }

    const bool kill_target = judge_.judge(n.data, e);
    std::memset(resp_buf_.data(), 0, resp_buf_.size());
    seccomp_notif_resp resp{};
    resp.id = n.id;
    const bool emulated = e.verdict == output::Verdict::Emulated;
    if (e.result)
        resp.error = -e.err; // denied or injected: the call fails with that errno (emulated: 0)
    else
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;

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
    const bool valid = (e.decoded.empty() && !kill_target && !emulated) ||
                       ::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
    if (!valid) {
        e.decoded.clear();
        ++stats_.vanished;
    } else if (kill_target) {
        // The policy's KILL, logged first: the supervisor ends the whole process, as the kernel
        // would have with SIGSYS. When SIGSYS is sure to be fatal it is queued first and the call
        // then fails: the thread meets the signal on its way out, and a parent inside sees a
        // death by SIGSYS (159). Otherwise SIGKILL, and sandbox still reports 128+SIGSYS.
        const pid_t tgid = thread_group(e.tid);
        killed_.insert(tgid);
        if (sigsys_is_fatal(e.tid) && ::kill(tgid, SIGSYS) == 0) {
            resp.flags = 0;
            resp.error = -ENOSYS;
            std::memcpy(resp_buf_.data(), &resp, sizeof resp);
            if (::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SEND, resp_buf_.data()) != 0)
                ::kill(tgid, SIGKILL); // the reply failed: do not leave it to chance
        } else {
            ::kill(tgid, SIGKILL);
        }
    } else {
        if (emulated) { // sandbox's answer, written while the call is known to be pending
            const long r = answer(settings_.emulation, e, e.tid,
                                  log && settings_.decode ? &settings_.decode_options : nullptr);
            if (r < 0)
                resp.error = static_cast<std::int32_t>(r);
            else
                resp.val = r;
        }
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
