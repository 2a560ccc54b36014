// SPDX-License-Identifier: Apache-2.0
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

#include "supervise/memory.hpp"
#include "util/arch.hpp"
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
                       trace::EventSink& sink)
    : settings_(std::move(settings)),
      judge_(policy, settings_.injections, settings_.audit, settings_.emulation), sink_(sink),
      in_step_(sink.in_step()) {
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
    trace::Event e;
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

    judge_.judge(n.data, e);
    std::memset(resp_buf_.data(), 0, resp_buf_.size());
    seccomp_notif_resp resp{};
    resp.id = n.id;
    const bool emulated = e.verdict == trace::Verdict::Emulated;
    if (e.result)
        resp.error = -e.err; // denied or injected: the call fails with that errno (emulated: 0)
    else
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;

    const bool log = e.verdict != trace::Verdict::Allowed || settings_.routing.selected(e.name);
    if (log && settings_.decode) {
        RemoteMemory memory(e.tid);
        decode::FdPath paths;
        if (settings_.fd_paths)
            paths = [tid = e.tid, d = settings_.fd_details](int fd) { return fd_path(tid, fd, d); };
        e.decoded =
            decode::decode_arguments(e.name, e.args, memory, settings_.decode_options, paths);
    }
    // The process, read now for this event (no cache: a tid outlives nothing it described), and
    // before the re-check below, which proves the tid still was the caller's when it was read.
    const bool want_tgid = log && settings_.thread_groups;
    if (want_tgid) e.pid = read_tgid(e.tid);
    // Re-check before using what was read: the target may have died and its tid been reused.
    // Without a read, the reply itself fails with ENOENT for a vanished target.
    const bool check = !e.decoded.empty() || emulated || want_tgid;
    int gone = 0; // ENOENT: the notification no longer exists, there is nothing to answer
    if (check) {
        std::uint64_t id = n.id;
        if (::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_ID_VALID, &id) != 0)
            gone = errno == ENOENT ? ENOENT : -1;
    }
    if (gone != 0) { // what was read may be another process's: none of it is shown
        e.decoded.clear();
        if (want_tgid) e.pid = 0;
    }
    if (log && !want_tgid) e.pid = e.tid;
    const bool line_first = log && in_step_;
    if (gone == ENOENT) {
        ++stats_.vanished;
    } else {
        if (emulated && gone == 0) { // sandbox's answer, written while the call is known pending
            const long r = answer(settings_.emulation, e, e.tid,
                                  log && settings_.decode ? &settings_.decode_options : nullptr);
            if (r < 0)
                resp.error = static_cast<std::int32_t>(r);
            else
                resp.val = r;
        } else if (emulated) {
            resp.error = -ENOSYS; // could not tell whether the target is still ours: no answer
        }
        // In step (a terminal): the line is out before the reply, after which the call runs, so
        // it comes before anything the call writes to the same terminal.
        if (line_first) sink_.event(e);
        respond(resp, e);
    }
    if (log && (!line_first || gone == ENOENT)) { // buffered: after the reply, off its path
        sink_.event(e);
        pending_output_ = settings_.streaming && !in_step_;
    }
}

// Every notification that still exists is answered: the kernel would otherwise hold the caller
// until the listener closes.
void Supervisor::respond(seccomp_notif_resp resp, const trace::Event& e) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::memcpy(resp_buf_.data(), &resp, sizeof resp);
        int rc;
        while ((rc = ::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SEND, resp_buf_.data())) != 0 &&
               errno == EINTR) {
        }
        if (rc == 0) return;
        if (errno == ENOENT) {
            // A signal interrupted the call (or the target died): with SA_RESTART the same call is
            // notified again; mark it then instead of counting it twice.
            interrupted_[e.tid] = Pending{e.nr, e.args};
            ++stats_.vanished;
            return;
        }
        // The kernel refused this answer (EINVAL: flags, value or errno it does not take): fail
        // closed with one it always takes. The call does not run.
        resp.flags = 0;
        resp.val = 0;
        resp.error = -ENOSYS;
    }
}

} // namespace supervise
