// SPDX-License-Identifier: Apache-2.0
// The child side of the launch: an ordered list of steps. Each step is a verb-named function that
// returns true or reports (step, object, errno) to the parent and fails. No exceptions, no output:
// the parent prints. The order is the point; each constraint is explained where it is.
#include "launch/child.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "launch/report.hpp"
#include "util/exit_codes.hpp"
#include "util/kernel_compat.hpp"
#include "util/unique_fd.hpp"

namespace launch {
namespace {

int g_report = -1;
constexpr std::size_t kPathBuffer = 4096 + 16; // PATH_MAX plus "/newroot"

void send_record(report::Kind kind, const char* step, const char* object, int err, int status,
                 int pid = 0) noexcept {
    report::Message m{};
    m.kind = kind;
    m.err = err;
    m.status = status;
    m.pid = pid;
    std::snprintf(m.step, sizeof m.step, "%s", step);
    std::snprintf(m.object, sizeof m.object, "%s", object);
    while (::send(g_report, &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

// Report a failed step; returns false so steps can `return fail(...)`.
bool fail(const char* step, const char* object, int err = errno) noexcept {
    send_record(report::Kind::Error, step, object, err, util::exit_code::setup);
    return false;
}

void warn(const char* step, const char* object, int err) noexcept {
    send_record(report::Kind::Warning, step, object, err, 0);
}

// ---- init steps (run in the new namespaces, with full capabilities of the new user namespace)
// ----

// The signal init gets when sandbox dies. With a PID namespace: SIGKILL, and the kernel kills the
// whole namespace with init. Without one, the command's processes would outlive init: init takes a
// signal of its own instead, kills them, then exits (supervise_command).
int parent_death_signal(const Plan& plan) noexcept {
    return plan.subreaper ? SIGRTMIN + 3 : SIGKILL;
}

bool wait_for_parent(const Plan& plan, int fd) noexcept {
    // Die with the tool (blocked first: it is taken by sigwaitinfo, never by a default action).
    const int death = parent_death_signal(plan);
    if (death != SIGKILL) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, death);
        ::sigprocmask(SIG_BLOCK, &set, nullptr);
    }
    if (::prctl(PR_SET_PDEATHSIG, death) != 0) return fail("prctl", "PR_SET_PDEATHSIG");
    // The parent writes our uid/gid maps, then says "go". EOF means it died before that.
    char go = 0;
    ssize_t n;
    while ((n = ::recv(fd, &go, 1, 0)) < 0 && errno == EINTR) {
    }
    if (n != 1) _exit(util::exit_code::setup);
    return true;
}

bool make_mounts_private() noexcept {
    // Nothing we mount may propagate back to the host's mount namespace.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return fail("mount", "MS_PRIVATE on /");
    return true;
}

bool set_attr(const char* path, unsigned long long set, unsigned long long clear,
              bool recursive = true) noexcept {
    util::compat::mount_attr_v0 attr{set, clear, 0, 0};
    return ::syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr,
                     sizeof attr) == 0;
}

// mkdir -p for mount points inside writable parts of the new root (the /tmp tmpfs, say).
bool ensure_mount_point(const char* path, bool directory) noexcept {
    struct stat st {};
    if (::lstat(path, &st) == 0) return true;
    char buf[kPathBuffer];
    if (std::snprintf(buf, sizeof buf, "%s", path) >= static_cast<int>(sizeof buf)) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char* p = buf + 1; *p != '\0'; ++p) {
        if (*p != '/') continue;
        *p = '\0';
        if (::mkdir(buf, 0755) != 0 && errno != EEXIST) return false;
        *p = '/';
    }
    if (directory) return ::mkdir(buf, 0755) == 0 || errno == EEXIST;
    int fd = ::open(buf, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

// The mount fds the parent opened for MountStep::from_parent, in plan order (receive_parent_binds).
// Reserved before the first is received; -1 once moved into place (or sent as "none").
std::vector<int> g_parent_binds;
std::size_t g_parent_bind_next = 0;

bool receive_parent_binds(const Plan& plan, int fd) noexcept {
    std::size_t want = 0;
    for (const auto& m : plan.mounts)
        if (m.from_parent) ++want;
    g_parent_binds.reserve(want);
    for (std::size_t i = 0; i < want; ++i) {
        char byte = 0;
        iovec iov{&byte, 1};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        ssize_t n;
        while ((n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
        }
        if (n != 1) _exit(util::exit_code::setup); // the parent died or failed: it reports
        int got = -1; // byte 0: the parent could not open that bind and sent no fd
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                std::memcpy(&got, CMSG_DATA(c), sizeof got);
        g_parent_binds.push_back(got);
    }
    return true;
}

bool mount_tmpfs(const char* target, const MountStep& m) noexcept {
    char data[32];
    std::snprintf(data, sizeof data, "mode=%04o", m.mode);
    unsigned long flags = MS_NOSUID | MS_NODEV;
    if (m.path == "/dev")
        flags = MS_NOSUID | MS_NOEXEC; // its nodes are binds, nodev would not
                                       // stop them; noexec: nothing to run
    if (::mount("tmpfs", target, "tmpfs", flags, data) != 0)
        return fail("mount", ("tmpfs on " + m.path).c_str());
    if (m.read_only &&
        ::mount(nullptr, target, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, nullptr) != 0)
        return fail("mount", ("read-only tmpfs on " + m.path).c_str());
    return true;
}

bool bind_from_parent(const MountStep& m, const char* target) noexcept {
    const int fd = g_parent_binds[g_parent_bind_next];
    g_parent_binds[g_parent_bind_next++] = -1; // ours to close from here
    if (fd < 0) return true;                   // an optional bind the parent found absent
    const util::unique_fd tree(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return fail("fstat", m.source.c_str());
    if (!ensure_mount_point(target, S_ISDIR(st.st_mode)))
        return fail("mkdir (mount point)", m.path.c_str());
    if (::syscall(SYS_move_mount, fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) != 0)
        return fail("move_mount", m.path.c_str());
    return true;
}

bool bind_host_path(const MountStep& m, const char* target) noexcept {
    char source[kPathBuffer];
    if (std::snprintf(source, sizeof source, "/oldroot%s", m.source.c_str()) >=
        static_cast<int>(sizeof source))
        return fail("mount", m.path.c_str(), ENAMETOOLONG);
    // The source was resolved (realpath) in make_plan: a component that is a symlink now was
    // swapped in since by whoever controls that path, and is refused rather than followed.
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_NO_SYMLINKS;
    const util::unique_fd path(
        static_cast<int>(::syscall(SYS_openat2, AT_FDCWD, source, &how, sizeof how)));
    if (!path) {
        if (m.optional && errno == ENOENT) return true;
        return fail("openat2(RESOLVE_NO_SYMLINKS)", m.source.c_str());
    }
    struct stat st {};
    if (::fstat(path.get(), &st) != 0) return fail("fstat", m.source.c_str());
    if (!ensure_mount_point(target, S_ISDIR(st.st_mode)))
        return fail("mkdir (mount point)", m.path.c_str());
    const util::unique_fd tree(
        static_cast<int>(::syscall(SYS_open_tree, path.get(), "",
                                   OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH)));
    if (!tree) return fail("open_tree", m.source.c_str());
    if (::syscall(SYS_move_mount, tree.get(), "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) != 0)
        return fail("move_mount", m.path.c_str());
    unsigned long long set = MOUNT_ATTR_NOSUID;
    if (m.kind != MountStep::Kind::BindDevice) set |= MOUNT_ATTR_NODEV;
    if (m.kind == MountStep::Kind::BindReadOnly) set |= MOUNT_ATTR_RDONLY;
    if (!set_attr(target, set, 0)) return fail("mount_setattr(nosuid, nodev)", m.path.c_str());
    // --rw makes the bind itself writable, not what is mounted read-only below it.
    if (m.kind != MountStep::Kind::BindReadOnly && !set_attr(target, 0, MOUNT_ATTR_RDONLY, false))
        return fail("mount_setattr(read-write)", m.path.c_str());
    return true;
}

bool mount_sysfs(const MountStep& m, const char* target, const Plan& plan) noexcept {
    // A fresh sysfs needs the network namespace to be ours; without one, the host's stays
    // mounted (read-only, from the root bind) and the masks hide its kernel interfaces.
    if (!plan.own_network) return true;
    if (::mount("sysfs", target, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) ==
        0)
        return true;
    if (errno == EPERM || errno == EACCES) return true; // e.g. an outer runtime's masks
    return fail("mount", ("sysfs on " + m.path).c_str());
}

bool mask_path(const MountStep& m, const char* target) noexcept {
    struct stat st {};
    if (::lstat(target, &st) != 0) return true; // nothing there to hide
    if (S_ISDIR(st.st_mode)) {
        if (::mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                    "mode=0555") != 0)
            return fail("mount", ("empty read-only tmpfs over " + m.path).c_str());
        return true;
    }
    if (S_ISLNK(st.st_mode)) return true; // a link points at something masked or not: both fine
    if (::mount("/oldroot/dev/null", target, nullptr, MS_BIND, nullptr) != 0)
        return fail("mount --bind", ("/dev/null over " + m.path).c_str());
    // Not nodev: /dev/null itself must still open (it reads as empty, and writes fail: read-only).
    if (!set_attr(target, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, false))
        return fail("mount_setattr(read-only)", m.path.c_str());
    return true;
}

bool make_read_only(const MountStep& m, const char* target) noexcept {
    struct stat st {};
    if (::lstat(target, &st) != 0) return true;
    // A bind of the path over itself is a mount of its own, which can be made read-only alone.
    if (::mount(target, target, nullptr, MS_BIND | MS_REC, nullptr) != 0)
        return fail("mount --bind", (m.path + " over itself").c_str());
    if (!set_attr(target, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0))
        return fail("mount_setattr(read-only)", m.path.c_str());
    return true;
}

bool apply_mount(const MountStep& m, const Plan& plan) noexcept {
    char target[kPathBuffer];
    if (std::snprintf(target, sizeof target, "/newroot%s", m.path.c_str()) >=
        static_cast<int>(sizeof target))
        return fail("mount", m.path.c_str(), ENAMETOOLONG);
    using K = MountStep::Kind;
    switch (m.kind) {
    case K::Tmpfs:
        if (!ensure_mount_point(target, true)) return fail("mkdir (mount point)", m.path.c_str());
        return mount_tmpfs(target, m);
    case K::BindReadWrite:
    case K::BindReadOnly:
    case K::BindDevice:
        return m.from_parent ? bind_from_parent(m, target) : bind_host_path(m, target);
    case K::Proc:
        // The new PID namespace's /proc: mounted by its PID 1 (us), so it shows only the sandbox.
        if (::mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
            return fail("mount", "proc on /proc");
        return true;
    case K::Sysfs:
        return mount_sysfs(m, target, plan);
    case K::Devpts:
        if (!ensure_mount_point(target, true)) return fail("mkdir (mount point)", m.path.c_str());
        if (::mount("devpts", target, "devpts", MS_NOSUID | MS_NOEXEC, m.data.c_str()) != 0)
            return fail("mount", ("devpts (newinstance) on " + m.path).c_str());
        return true;
    case K::Mask:
        return mask_path(m, target);
    case K::ReadOnly:
        return make_read_only(m, target);
    case K::Seal: // the mount itself (a tmpfs we made): its binds and submounts keep their flags
        if (!set_attr(target, MOUNT_ATTR_RDONLY, 0, false))
            return fail("mount_setattr(read-only)", m.path.c_str());
        return true;
    case K::Symlink:
        if (::symlink(m.source.c_str(), target) != 0 && errno != EEXIST)
            return fail("symlink", m.path.c_str());
        return true;
    }
    return true;
}

bool build_root(const Plan& plan) noexcept {
    // A scratch tmpfs (on /tmp, only in our mount namespace) holds the new root and the old one.
    if (::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0)
        return fail("mount", "tmpfs on /tmp (scratch)");
    if (::chdir("/tmp") != 0) return fail("chdir", "/tmp (scratch)");
    if (::mkdir("newroot", 0755) != 0 || ::mkdir("oldroot", 0755) != 0)
        return fail("mkdir", "/tmp/newroot (scratch)");
    if (::syscall(SYS_pivot_root, ".", "oldroot") != 0) return fail("pivot_root", "scratch tmpfs");
    if (::chdir("/") != 0) return fail("chdir", "/");
    // The host's root, every submount included (MS_REC: a user namespace may not hide mounts).
    if (::mount("/oldroot", "/newroot", nullptr, MS_BIND | MS_REC, nullptr) != 0)
        return fail("mount --bind", "/ (host root)");
    // Read-only, nosuid and nodev, all the way down: no device node on any host filesystem opens
    // (the new /dev binds its few nodes afresh). The user's --rw binds come after and are fresh.
    if (!set_attr("/newroot", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0))
        return fail("mount_setattr(read-only, nosuid, nodev)", "/ (host root)");
    for (const auto& m : plan.mounts)
        if (!apply_mount(m, plan)) return false;
    // Enter the new root and drop the old one (and the scratch tmpfs with it).
    if (::chdir("/newroot") != 0) return fail("chdir", "/newroot");
    if (::syscall(SYS_pivot_root, ".", ".") != 0) return fail("pivot_root", "new root");
    if (::umount2(".", MNT_DETACH) != 0) return fail("umount2", "old root");
    if (::chdir("/") != 0) return fail("chdir", "/");
    return true;
}

bool set_hostname(const Plan& plan) noexcept {
    if (plan.hostname.empty()) return true;
    if (::sethostname(plan.hostname.c_str(), plan.hostname.size()) != 0)
        return fail("sethostname", plan.hostname.c_str());
    return true;
}

bool bring_up_loopback(const Plan& plan) noexcept {
    if (!plan.loopback_up) return true;
    int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return fail("socket", "AF_INET (to configure lo)");
    ifreq ifr{};
    std::snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
    bool ok = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
    if (ok) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
        ok = ::ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
    }
    int err = errno;
    ::close(s);
    if (!ok) return fail("ioctl(SIOCSIFFLAGS)", "lo", err);
    return true;
}

bool become_undumpable() noexcept {
    // init keeps every capability of the sandbox's user namespace: not dumpable, so a command
    // given CAP_SYS_PTRACE cannot attach to it, read its memory or take its fds and have it undo
    // the layout. After "go": the parent has written our id maps (/proc/PID files of an
    // undumpable process belong to root). The command makes itself dumpable again.
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return fail("prctl", "PR_SET_DUMPABLE 0");
    return true;
}

bool become_dumpable() noexcept {
    // Back to normal before anything of the parent's needs it (pidfd_getfd of the listener, the
    // ptrace engine's seize): execve would decide it anew, but those come first.
    if (::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return fail("prctl", "PR_SET_DUMPABLE 1");
    return true;
}

bool become_unprivileged_root(const Plan& plan) noexcept {
    // Until here init holds the host's root credentials (its capabilities count only in its new
    // user namespace). Become uid and gid 0 of that namespace, the first ids of an unprivileged
    // range, without the host's groups: from here no uid or gid check of the kernel sees root,
    // and what init creates (mount points, tmpfs roots) has an owner inside.
    if (!plan.unprivileged_root) return true;
    if (::setgroups(0, nullptr) != 0) return fail("setgroups", "[] (inside)");
    if (::setresgid(0, 0, 0) != 0) return fail("setresgid", "gid 0 (inside)");
    if (::setresuid(0, 0, 0) != 0) return fail("setresuid", "uid 0 (inside)");
    return true;
}

bool enter_cgroup_namespace(const Plan& plan) noexcept {
    // After "go", init is in the sandbox's cgroup (cloned into it on v2, put there by the parent
    // on v1): a cgroup namespace made now has that cgroup as its root.
    if (!plan.limits.unshare_cgroup_ns) return true;
    if (::unshare(CLONE_NEWCGROUP) != 0) return fail("unshare", "CLONE_NEWCGROUP");
    return true;
}

bool become_subreaper(const Plan& plan) noexcept {
    if (!plan.subreaper) return true;
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return fail("prctl", "PR_SET_CHILD_SUBREAPER");
    return true;
}

// ---- command steps (the forked child that becomes the command) ----

bool enter_own_session() noexcept {
    // Its own session: no controlling terminal, so TIOCSTI cannot type into the caller's shell.
    if (::setsid() < 0) return fail("setsid", "");
    return true;
}

bool enter_cwd(const Plan& plan) noexcept {
    if (::chdir(plan.cwd.c_str()) == 0) return true;
    int err = errno;
    if (plan.cwd_explicit) return fail("chdir", plan.cwd.c_str(), err);
    warn("chdir", plan.cwd.c_str(), err);
    if (::chdir("/") != 0) return fail("chdir", "/");
    return true;
}

bool is_kept(const Plan& plan, int c) noexcept {
    for (int k : plan.keep_caps)
        if (k == c) return true;
    return false;
}

bool drop_bounding_set(const Plan& plan) noexcept {
    // Bounding set first (it needs CAP_SETPCAP, which set_capabilities gives up), up to the
    // running kernel's last capability, not only those the build's headers know. A caller without
    // CAP_SETPCAP (an ordinary user with --no-ns) cannot shrink it; it has no capabilities to
    // lose either, and no_new_privs keeps execve from granting any: skip it then.
    __user_cap_header_struct now_hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct now[2]{};
    const bool can_setpcap = ::syscall(SYS_capget, &now_hdr, now) == 0 &&
                             (now[CAP_SETPCAP / 32].effective & (1U << (CAP_SETPCAP % 32))) != 0;
    for (int c = 0; c <= plan.cap_last && can_setpcap; ++c) {
        if (is_kept(plan, c)) continue;
        if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) {
            char obj[32];
            std::snprintf(obj, sizeof obj, "capability %d", c);
            return fail("prctl(PR_CAPBSET_DROP)", obj);
        }
    }
    return true;
}

bool switch_user(const Plan& plan) noexcept {
    // --user: groups, then gid, then uid (after the uid changes, setgid would need a capability
    // the command no longer has). PR_SET_KEEPCAPS keeps the permitted set across the change from
    // uid 0, so set_capabilities can still hand over what --cap-add kept.
    if (!plan.switch_ids) return true;
    if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return fail("prctl", "PR_SET_KEEPCAPS");
    char obj[32];
    if (plan.clear_groups && ::setgroups(0, nullptr) != 0) return fail("setgroups", "[]");
    std::snprintf(obj, sizeof obj, "gid %u", static_cast<unsigned>(plan.gid));
    if (::setresgid(plan.gid, plan.gid, plan.gid) != 0) return fail("setresgid", obj);
    std::snprintf(obj, sizeof obj, "uid %u", static_cast<unsigned>(plan.uid));
    if (::setresuid(plan.uid, plan.uid, plan.uid) != 0) return fail("setresuid", obj);
    return true;
}

bool join_new_session_keyring() noexcept {
    // The caller's session keyring (and every key linked into it) would be possessed by the
    // command: join a fresh anonymous one, as runc does. User keyrings are per user namespace.
    if (::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) >= 0) return true;
    // No keys in this kernel, or keyctl refused by an outer seccomp filter (Docker's default
    // profile): the command inherits that filter and cannot reach any keyring either.
    if (errno == ENOSYS || errno == EPERM) return true;
    return fail("keyctl(KEYCTL_JOIN_SESSION_KEYRING)", "a new anonymous session keyring");
}

bool set_capabilities(const Plan& plan) noexcept {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    for (int k : plan.keep_caps) {
        data[k / 32].effective |= 1U << (k % 32);
        data[k / 32].permitted |= 1U << (k % 32);
        data[k / 32].inheritable |= 1U << (k % 32);
    }
    if (::syscall(SYS_capset, &hdr, data) != 0)
        return fail("capset", "effective, permitted, inheritable");
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
        return fail("prctl", "PR_CAP_AMBIENT_CLEAR_ALL");
    // Ambient: kept capabilities survive execve for a non-root uid too.
    for (int k : plan.keep_caps) {
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, k, 0, 0) != 0) {
            char obj[32];
            std::snprintf(obj, sizeof obj, "capability %d", k);
            return fail("prctl(PR_CAP_AMBIENT_RAISE)", obj);
        }
    }
    return true;
}

bool set_no_new_privs() noexcept {
    // Setuid and file-capability binaries gain nothing; also lets an unprivileged caller install
    // the seccomp filter.
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return fail("prctl", "PR_SET_NO_NEW_PRIVS");
    return true;
}

bool close_stray_fds() noexcept {
    // Only 0, 1, 2 reach the command. CLOEXEC rather than close: the report socket must stay open
    // until execve succeeds (it is CLOEXEC already).
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return true;
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) return fail("opendir", "/proc/self/fd");
    const int dfd = ::dirfd(d);
    while (dirent* e = ::readdir(d)) {
        int fd = std::atoi(e->d_name);
        if (fd > 2 && fd != dfd && ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
            ::closedir(d);
            return fail("fcntl(FD_CLOEXEC)", e->d_name);
        }
    }
    ::closedir(d);
    return true;
}

bool wait_for_tracer(const Plan& plan) noexcept {
    if (!plan.traced) return true;
    // SECCOMP_RET_TRACE without a tracer fails the call with ENOSYS: be seized first.
    send_record(report::Kind::TraceMe, "trace", "", 0, 0);
    char go = 0;
    ssize_t n;
    while ((n = ::recv(g_report, &go, 1, 0)) < 0 && errno == EINTR) {
    }
    if (n != 1) return fail("recv", "the tracer's go-ahead", n == 0 ? EPIPE : errno);
    return true;
}

// The rlimits that hold --pids-limit and --memory where no cgroup does (hard and soft: the command
// cannot raise them). Late, right before the filter: after the uid change (RLIMIT_NPROC is
// checked against the new uid) and when nothing but the filter and execve allocates any more.
bool set_resource_limits(const Plan& plan) noexcept {
    const std::pair<int, rlim_t> wanted[] = {{RLIMIT_NPROC, plan.limits.rlimit_nproc},
                                             {RLIMIT_AS, plan.limits.rlimit_as}};
    for (const auto& [resource, value] : wanted) {
        if (value == 0) continue;
        const rlimit r{value, value};
        if (::setrlimit(resource, &r) != 0)
            return fail("setrlimit", resource == RLIMIT_NPROC ? "RLIMIT_NPROC" : "RLIMIT_AS");
    }
    return true;
}

bool install_filter(const Plan& plan) noexcept {
    if (plan.filter.empty() && plan.setid_filter.empty() && plan.kill_filter.empty()) return true;
    sock_fprog prog{static_cast<unsigned short>(plan.filter.size()),
                    const_cast<sock_filter*>(plan.filter.data())};
    unsigned flags = plan.filter_flags;
    int expected_fd = -1;
    if (plan.listener) {
        // The listener's number is the lowest free fd (we are single-threaded): tell the parent
        // now, because after the filters even our own send would wait for a supervisor that has
        // no listener yet (or die by the kill filter). The parent fetches it with pidfd_getfd: no
        // syscall of ours is exempted. The kill filter creates no fd, so the number holds.
        expected_fd = ::fcntl(0, F_DUPFD_CLOEXEC, 0);
        if (expected_fd < 0) return fail("fcntl(F_DUPFD)", "lowest free fd");
        ::close(expected_fd);
        send_record(report::Kind::Listener, "listener", "", 0, expected_fd);
        flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    }
    if (!plan.setid_filter.empty()) {
        // First of all, whatever the policy says: no setuid or setgid file through an id-mapped
        // bind (it would be host uid 0's). It does not judge seccomp(), so the next installs pass.
        sock_fprog setid{static_cast<unsigned short>(plan.setid_filter.size()),
                         const_cast<sock_filter*>(plan.setid_filter.data())};
        if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan.filter_flags, &setid) != 0)
            return fail("seccomp(SECCOMP_SET_MODE_FILTER)", "setuid/setgid filter");
    }
    if (!plan.kill_filter.empty()) {
        // First the kill filter, with the profile's flags (SPEC_ALLOW must be on every filter, or
        // the kernel turns the mitigation on anyway): the policy's KILLs, done by the kernel.
        sock_fprog kill{static_cast<unsigned short>(plan.kill_filter.size()),
                        const_cast<sock_filter*>(plan.kill_filter.data())};
        if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan.filter_flags, &kill) != 0)
            return fail("seccomp(SECCOMP_SET_MODE_FILTER)", "kill filter");
    }
    // The kill filter judges this call too: it lets it through by the key in arguments 3 and 4,
    // which seccomp(2) ignores (policy::InstallKey). From here on a failure report may be killed
    // by the policy; the parent then reports the death instead.
    if (plan.filter.empty()) return true; // no policy to install (the filters above stand)
    const auto install = [&](unsigned f) {
        return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f, &prog, plan.install_key[0],
                         plan.install_key[1]);
    };
    long rc = install(flags);
    if (rc < 0 && errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
        flags &= ~static_cast<unsigned>(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV); // before 5.19
        rc = install(flags);
    }
    if (rc < 0) return fail("seccomp(SECCOMP_SET_MODE_FILTER)", "compiled policy");
    if (plan.listener && rc != expected_fd) {
        // Fail closed: the parent would fetch the wrong fd. Cannot happen single-threaded.
        ::syscall(SYS_exit_group, util::exit_code::setup); // raw: the filter is in place
    }
    return true;
}

// Not [[noreturn]] and not instrumented: sanitizers insert calls of their own before a noreturn
// call and around instrumented code (ASan's __asan_handle_no_return calls sigaltstack), and after
// the filter those would be filtered, logged, or denied.
__attribute__((no_sanitize("address", "undefined"))) void
exec_command(const Plan& plan, char* const* argv, char* const* envp,
             const report::Message& failed) noexcept {
    // Raw syscalls only from here: after the filter the command makes exactly execve (a
    // sanitizer's or libc's wrapper may make other calls first, which the filter would see, the
    // trace would show, and a strict policy would deny).
    ::syscall(SYS_execve, plan.exe.c_str(), argv, envp);
    const int err = errno;
    // execve failed. Report it and exit, still without libc: the policy may deny even these (a
    // deny-all profile does), and then the only way out is a fault the kernel turns into a signal.
    report::Message m = failed;
    m.err = err;
    m.status = (err == ENOENT || err == ENOTDIR) ? util::exit_code::not_found
                                                 : util::exit_code::cannot_exec;
    ::syscall(SYS_sendto, g_report, &m, sizeof m, MSG_NOSIGNAL, nullptr, 0);
    ::syscall(SYS_exit_group, m.status);
    __builtin_trap();
}

[[noreturn]] void command_main(const Plan& plan, const sigset_t& caller_mask) noexcept {
    // execve's arrays are built before the filter: after it, only execve itself may run.
    std::vector<char*> argv, envp;
    for (const auto& a : plan.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : plan.envp) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    // The record for a failed execve, too: after the filter nothing but raw syscalls may run.
    report::Message failed{};
    failed.kind = report::Kind::Error;
    std::snprintf(failed.step, sizeof failed.step, "%s", "execve");
    std::snprintf(failed.object, sizeof failed.object, "%s", plan.exe.c_str());
    ::sigprocmask(SIG_SETMASK, &caller_mask, nullptr);
    // The filter goes in last, right before execve: every step above runs unfiltered.
    bool ok = become_dumpable() && enter_own_session() && enter_cwd(plan) &&
              drop_bounding_set(plan) && switch_user(plan) && join_new_session_keyring() &&
              set_capabilities(plan) && set_no_new_privs() && close_stray_fds() &&
              wait_for_tracer(plan) && set_resource_limits(plan) && install_filter(plan);
    if (!ok) _exit(util::exit_code::setup);
    exec_command(plan, argv.data(), envp.data(), failed);
    __builtin_unreachable(); // exec_command does not return (it is not declared noreturn: see
                             // there)
}

// ---- PID 1 duties ----

// Without a PID namespace, orphans were reparented to us (subreaper): kill and reap them all, so
// nothing outlives the run. With one, our own exit does that (the kernel kills the namespace).
void kill_remaining_children() noexcept {
    // Until we have no child left: a killed process's own children are ours once it has exited,
    // so a tree that forks as fast as it is killed still runs dry (its pids are limited). Bounded
    // all the same, so init itself always exits.
    timespec start{};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        DIR* d = ::opendir("/proc");
        if (d == nullptr) return;
        const pid_t self = ::getpid();
        while (dirent* e = ::readdir(d)) {
            pid_t pid = std::atoi(e->d_name);
            if (pid <= 0) continue;
            char path[64], buf[512];
            std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
            int fd = ::open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
            ssize_t n = ::read(fd, buf, sizeof buf - 1);
            ::close(fd);
            if (n <= 0) continue;
            buf[n] = '\0';
            const char* close_paren = std::strrchr(buf, ')');
            int ppid = 0;
            if (close_paren != nullptr && std::sscanf(close_paren + 2, "%*c %d", &ppid) == 1 &&
                ppid == self)
                ::kill(pid, SIGKILL);
        }
        ::closedir(d);
        while (::waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        if (::waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD) return;
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 30) return;
        const timespec pause{0, 1000000}; // 1 ms: let the killed ones finish exiting
        ::nanosleep(&pause, nullptr);
    }
}

[[noreturn]] void supervise_command(const Plan& plan, pid_t command) noexcept {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH})
        sigaddset(&set, s);
    const int parent_died = parent_death_signal(plan);
    if (parent_died != SIGKILL) sigaddset(&set, parent_died);
    // After a terminating signal is forwarded, the command has plan.kill_after_seconds to exit;
    // then it gets SIGKILL (as `docker stop` and `timeout -k` do), so nothing outlives the run.
    bool deadline_set = false;
    timespec deadline{};
    for (;;) {
        siginfo_t si{};
        int sig;
        if (deadline_set) {
            timespec now{};
            ::clock_gettime(CLOCK_MONOTONIC, &now);
            long long left_ns =
                (deadline.tv_sec - now.tv_sec) * 1000000000LL + (deadline.tv_nsec - now.tv_nsec);
            if (left_ns <= 0) {
                // Its death comes back as SIGCHLD below, which reaps it first and then, without
                // a PID namespace, what it left (reaping here could take its status with it).
                ::kill(-command, SIGKILL);
                ::kill(command, SIGKILL);
                deadline_set = false;
                continue;
            }
            timespec wait{static_cast<time_t>(left_ns / 1000000000LL),
                          static_cast<long>(left_ns % 1000000000LL)};
            sig = ::sigtimedwait(&set, &si, &wait);
        } else {
            sig = ::sigwaitinfo(&set, &si);
        }
        if (sig < 0) continue;
        if (sig == parent_died && parent_died != SIGKILL) {
            // sandbox is gone: nothing of the run may outlive it. The command leads its own
            // session and process group; what left it was reparented to us (subreaper).
            ::kill(-command, SIGKILL);
            ::kill(command, SIGKILL);
            kill_remaining_children();
            _exit(util::exit_code::setup);
        }
        if (sig != SIGCHLD) {
            ::kill(command, sig); // forward; the command decides what the signal means
            const bool terminating =
                sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
            if (terminating && !deadline_set && plan.kill_after_seconds > 0) {
                ::clock_gettime(CLOCK_MONOTONIC, &deadline);
                deadline.tv_sec += plan.kill_after_seconds;
                deadline_set = true;
            }
            continue;
        }
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != command) continue; // an orphan reparented to us: reaped, nothing else
            if (plan.subreaper) kill_remaining_children();
            send_record(report::Kind::Exit, "exit", "", 0, status, command);
            _exit(0);
        }
    }
}

} // namespace

int tree_kill_signal(const Plan& plan) noexcept {
    return parent_death_signal(plan);
}

void init_main(const Plan& plan, int report_fd, const sigset_t& caller_mask) noexcept {
    g_report = report_fd;
    bool ok = wait_for_parent(plan, report_fd) && receive_parent_binds(plan, report_fd) &&
              become_undumpable() && become_unprivileged_root(plan) &&
              enter_cgroup_namespace(plan) && become_subreaper(plan);
    // Order: mounts need the id maps (written by the parent before "go") and, for a root caller,
    // the ids inside (mount points need an owner there); the cgroup namespace needs init in the
    // sandbox's cgroup (done by "go"); /proc needs the new PID namespace, which we are PID 1 of;
    // the hostname and lo need their namespaces' caps, which we hold until the command drops
    // them.
    if (ok && plan.new_root) ok = make_mounts_private() && build_root(plan);
    for (int fd : g_parent_binds)
        if (fd >= 0) ::close(fd); // not moved: an error above stopped the layout
    ok = ok && set_hostname(plan) && bring_up_loopback(plan);
    if (!ok) _exit(util::exit_code::setup);

    pid_t command = ::fork();
    if (command < 0) {
        fail("fork", "command");
        _exit(util::exit_code::setup);
    }
    if (command == 0) command_main(plan, caller_mask);
    supervise_command(plan, command);
}

} // namespace launch
