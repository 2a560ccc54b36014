// SPDX-License-Identifier: Apache-2.0
// `sandbox doctor`: each probe tries the feature for real where it can (in a short-lived forked
// child, so the tool itself gains no namespace and no filter), reads the rest from /proc and /sys,
// and turns what it finds into a Finding. Nothing here prints, and nothing throws out of probe().
#include "doctor/doctor.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <grp.h>
#include <iterator>
#include <linux/filter.h>
#include <linux/magic.h>
#include <optional>
#include <sched.h>
#include <seccomp.h>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "launch/cgroup.hpp"
#include "launch/plan.hpp"
#include "util/error.hpp"
#include "util/json_schema.hpp"
#include "util/kernel_compat.hpp"
#include "util/safe_file.hpp"
#include "util/table.hpp"
#include "util/unique_fd.hpp"

namespace doctor {
namespace {

constexpr const char* kReportBug =
    "please report this as a bug, with the output of `sandbox doctor`";

// ---- reading /proc and /sys ----

std::string trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

using util::FileText;
using util::read_text;

struct Sysctl {
    std::optional<std::string> value; // nullopt: absent or unreadable
    std::string shown;                // for a detail: the value, "not present" or why unreadable
};

Sysctl read_sysctl(const char* path) {
    const FileText f = read_text(path);
    if (f.err == 0) {
        std::string v = trim(f.text);
        return {v, v};
    }
    if (f.err == ENOENT) return {std::nullopt, "not present"};
    return {std::nullopt, "unreadable: " + util::describe_errno(f.err)};
}

// The value of "Field:" in /proc/self/status, if the kernel has that field.
std::optional<std::string> status_field(const std::string& status, std::string_view field) {
    std::size_t pos = 0;
    while (pos < status.size()) {
        std::size_t end = status.find('\n', pos);
        if (end == std::string::npos) end = status.size();
        const std::string_view line(status.data() + pos, end - pos);
        if (line.size() > field.size() && line.substr(0, field.size()) == field &&
            line[field.size()] == ':')
            return trim(line.substr(field.size() + 1));
        pos = end + 1;
    }
    return std::nullopt;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

// ---- trying things in a forked child ----

// What a probe child reports: the step that failed (0: none did) and its errno.
struct Outcome {
    int step = 0;
    int err = 0;
};

struct ChildResult {
    bool reported = false; // false: no Outcome; `problem` says why
    Outcome outcome;
    std::string problem;
};

bool write_all(int fd, const void* data, std::size_t size) noexcept {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_all(int fd, void* data, std::size_t size) noexcept {
    char* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// Runs `body` (noexcept, raw syscalls only, returns an Outcome) in a forked child and reaps it.
// The child never returns into the caller: it reports through a pipe and _exits.
template <typename Body>
ChildResult run_in_child(Body body) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return {false, {}, "pipe2: " + util::describe_errno(errno)};
    util::unique_fd read_end(fds[0]);
    util::unique_fd write_end(fds[1]);
    const pid_t pid = ::fork();
    if (pid < 0) return {false, {}, "fork: " + util::describe_errno(errno)};
    if (pid == 0) {
        const Outcome outcome = body();
        write_all(write_end.get(), &outcome, sizeof outcome);
        ::_exit(0);
    }
    write_end.reset();
    Outcome outcome{};
    const bool got = read_all(read_end.get(), &outcome, sizeof outcome);
    int status = 0;
    pid_t waited = 0;
    while ((waited = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    if (got) return {true, outcome, {}};
    if (waited == pid && WIFSIGNALED(status)) {
        const char* name = ::sigabbrev_np(WTERMSIG(status));
        return {false,
                {},
                fmt::format("the probe process was killed by SIG{}",
                            name != nullptr ? name : std::to_string(WTERMSIG(status)))};
    }
    return {false, {}, "the probe process exited without reporting"};
}

using StepNames = const char* (*)(int step);

// "ok", "unshare(CLONE_NEWUSER): Operation not permitted (EPERM)", or why the child said nothing.
std::string describe(const ChildResult& r, StepNames names) {
    if (!r.reported) return r.problem;
    if (r.outcome.step == 0) return "ok";
    return fmt::format("{}: {}", names(r.outcome.step), util::describe_errno(r.outcome.err));
}

int write_file(const char* path, const char* text) noexcept {
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    const std::size_t size = std::strlen(text);
    const ssize_t n = ::write(fd, text, size);
    const int err = n < 0 ? errno : 0;
    ::close(fd);
    if (n < 0) return err;
    return static_cast<std::size_t>(n) == size ? 0 : EIO;
}

// ---- 1. kernel ----

std::optional<std::pair<int, int>> kernel_version(std::string_view release) {
    const char* const end = release.data() + release.size();
    int major = 0;
    int minor = 0;
    const auto r1 = std::from_chars(release.data(), end, major);
    if (r1.ec != std::errc{} || r1.ptr == end || *r1.ptr != '.') return std::nullopt;
    const auto r2 = std::from_chars(r1.ptr + 1, end, minor);
    if (r2.ec != std::errc{}) return std::nullopt;
    return std::pair{major, minor};
}

Finding probe_kernel() {
    const char* check = "kernel";
    struct utsname u {};
    if (::uname(&u) != 0)
        return {check, Status::Warn, "uname: " + util::describe_errno(errno),
                "sandbox needs Linux 5.3 (clone3) and 5.12 (mount_setattr): check `uname -r`"};
    const std::string detail = fmt::format("{} on {}", u.release, u.machine);
    const auto version = kernel_version(u.release);
    if (!version)
        return {check, Status::Warn, detail + " (version not understood)",
                "sandbox needs Linux 5.3 (clone3) and 5.12 (mount_setattr): check `uname -r`"};
    if (*version < std::pair{5, 3})
        return {check, Status::Fail,
                detail + ": sandbox starts every command with clone3 (Linux 5.3)",
                "a kernel 5.12 or newer (5.3 at the very least)"};
    if (*version < std::pair{5, 12})
        return {check, Status::Warn,
                detail +
                    ": the read-only root of a mount namespace needs mount_setattr (Linux 5.12)",
                "a kernel 5.12 or newer; until then run without a mount namespace (--ns without "
                "mount, or --no-ns)"};
    return {check, Status::Info, detail, {}};
}

// ---- 2. seccomp actions ----

struct Action {
    const char* name;
    std::uint32_t value;
};

constexpr Action kActions[] = {
    {"KILL_PROCESS", SECCOMP_RET_KILL_PROCESS},
    {"KILL_THREAD", SECCOMP_RET_KILL_THREAD},
    {"TRAP", SECCOMP_RET_TRAP},
    {"ERRNO", SECCOMP_RET_ERRNO},
    {"USER_NOTIF", SECCOMP_RET_USER_NOTIF},
    {"TRACE", SECCOMP_RET_TRACE},
    {"LOG", SECCOMP_RET_LOG},
    {"ALLOW", SECCOMP_RET_ALLOW},
};

Finding probe_seccomp_actions() {
    const char* check = "seccomp actions";
    std::vector<std::string> available;
    std::vector<std::string> missing;
    std::vector<std::string> unknown;
    bool essential_missing = false;
    for (const auto& a : kActions) {
        std::uint32_t action = a.value;
        if (::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0UL, &action) == 0) {
            available.emplace_back(a.name);
            continue;
        }
        const int err = errno;
        if (err == EOPNOTSUPP)
            missing.emplace_back(a.name);
        else
            unknown.push_back(fmt::format("{} ({})", a.name, util::errno_name(err)));
        if (a.value == SECCOMP_RET_ERRNO || a.value == SECCOMP_RET_USER_NOTIF)
            essential_missing = true;
    }
    std::string detail = "available: " + (available.empty() ? "none" : join(available, " "));
    if (!missing.empty()) detail += "; missing: " + join(missing, " ");
    if (!unknown.empty())
        detail += "; seccomp(SECCOMP_GET_ACTION_AVAIL) failed for: " + join(unknown, " ");
    if (essential_missing)
        return {check, Status::Fail, detail,
                "sandbox needs ERRNO and USER_NOTIF: a kernel 5.0 or newer (5.19+ recommended) "
                "built with CONFIG_SECCOMP=y and CONFIG_SECCOMP_FILTER=y"};
    if (!missing.empty() || !unknown.empty())
        return {check, Status::Warn, detail,
                "profiles that use a missing action cannot be loaded here: a newer kernel (LOG and "
                "KILL_PROCESS need 4.14) built with CONFIG_SECCOMP_FILTER=y"};
    return {check, Status::Ok, detail, {}};
}

// ---- 3. user namespaces ----

enum UsernsStep : int {
    kDropGroups = 1,
    kDropGid,
    kDropUid,
    kDumpable,
    kNewUser,
    kSetgroups,
    kUidMap,
    kGidMap,
    kNewMountPid,
};

const char* userns_step_name(int step) {
    switch (step) {
    case kDropGroups:
        return "setgroups(0)";
    case kDropGid:
        return "setresgid";
    case kDropUid:
        return "setresuid";
    case kDumpable:
        return "prctl(PR_SET_DUMPABLE)";
    case kNewUser:
        return "unshare(CLONE_NEWUSER)";
    case kSetgroups:
        return "write /proc/self/setgroups";
    case kUidMap:
        return "write /proc/self/uid_map";
    case kGidMap:
        return "write /proc/self/gid_map";
    case kNewMountPid:
        return "unshare(CLONE_NEWNS|CLONE_NEWPID) in the user namespace";
    default:
        return "?";
    }
}

struct IdMaps {
    std::string uid_map; // "0 <uid> 1"
    std::string gid_map;
};

IdMaps maps_for(uid_t uid, gid_t gid) {
    return {fmt::format("0 {} 1\n", uid), fmt::format("0 {} 1\n", gid)};
}

// In the child: what `sandbox run` does, in short: a user namespace, its id maps (written by the
// process itself, as an unprivileged user must), then mount and pid namespaces inside it.
Outcome try_user_namespace(const IdMaps& maps) noexcept {
    if (::unshare(CLONE_NEWUSER) != 0) return {kNewUser, errno};
    if (int e = write_file("/proc/self/setgroups", "deny"); e != 0) return {kSetgroups, e};
    if (int e = write_file("/proc/self/uid_map", maps.uid_map.c_str()); e != 0) return {kUidMap, e};
    if (int e = write_file("/proc/self/gid_map", maps.gid_map.c_str()); e != 0) return {kGidMap, e};
    if (::unshare(CLONE_NEWNS | CLONE_NEWPID) != 0) return {kNewMountPid, errno};
    return {};
}

// In the child: become `uid` for good.
Outcome drop_to(uid_t uid, gid_t gid) noexcept {
    if (::setgroups(0, nullptr) != 0) return {kDropGroups, errno};
    if (::setresgid(gid, gid, gid) != 0) return {kDropGid, errno};
    if (::setresuid(uid, uid, uid) != 0) return {kDropUid, errno};
    // Changing uid made the process non-dumpable, which makes /proc/self/* root's and the uid_map
    // unwritable for us; a fresh unprivileged process (exec'd) is dumpable.
    if (::prctl(PR_SET_DUMPABLE, 1UL, 0UL, 0UL, 0UL) != 0) return {kDumpable, errno};
    return {};
}

int seccomp_mode() {
    const FileText status = read_text("/proc/self/status");
    if (status.err != 0) return -1;
    const auto mode = status_field(status.text, "Seccomp");
    return mode ? std::atoi(mode->c_str()) : -1;
}

Finding probe_user_namespaces() {
    const char* check = "user namespaces";
    constexpr uid_t kNobody = 65534;
    constexpr gid_t kNogroup = 65534;
    const uid_t euid = ::geteuid();
    const gid_t egid = ::getegid();
    const bool root = euid == 0;

    const IdMaps own_maps = maps_for(euid, egid);
    const ChildResult own = run_in_child([&]() noexcept { return try_user_namespace(own_maps); });
    const bool own_ok = own.reported && own.outcome.step == 0;

    std::string detail = fmt::format("as {}: {}", root ? "root" : fmt::format("uid {}", euid),
                                     describe(own, userns_step_name));
    bool nobody_ok = true;
    if (root) {
        // Root usually can; what matters as much is whether everybody else can.
        const IdMaps nobody_maps = maps_for(kNobody, kNogroup);
        const ChildResult nobody = run_in_child([&]() noexcept {
            if (const Outcome o = drop_to(kNobody, kNogroup); o.step != 0) return o;
            return try_user_namespace(nobody_maps);
        });
        // Failing to become uid 65534 says nothing about user namespaces.
        const bool tested =
            !nobody.reported || nobody.outcome.step == 0 || nobody.outcome.step >= kNewUser;
        nobody_ok = !tested || (nobody.reported && nobody.outcome.step == 0);
        detail += fmt::format("; as uid {}: {}{}", kNobody, describe(nobody, userns_step_name),
                              tested ? "" : " (not tested)");
    }

    const Sysctl max_ns = read_sysctl("/proc/sys/user/max_user_namespaces");
    const Sysctl clone = read_sysctl("/proc/sys/kernel/unprivileged_userns_clone");
    const Sysctl apparmor = read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    detail += fmt::format("; user.max_user_namespaces: {}; kernel.unprivileged_userns_clone: {}",
                          max_ns.shown, clone.shown);

    if (own_ok && nobody_ok) return {check, Status::Ok, detail, {}};

    std::vector<std::string> fixes;
    if (max_ns.value == "0") fixes.emplace_back("`sysctl -w user.max_user_namespaces=15000`");
    if (clone.value == "0") fixes.emplace_back("`sysctl -w kernel.unprivileged_userns_clone=1`");
    if (apparmor.value == "1")
        fixes.emplace_back("`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (or an "
                           "AppArmor profile for sandbox that allows userns)");
    if (seccomp_mode() == 2)
        fixes.emplace_back("a container runtime's seccomp profile may deny unshare: run sandbox on "
                           "the host, or relax the profile");
    if (fixes.empty())
        fixes.emplace_back("check `sysctl user.max_user_namespaces` (raise it: `sysctl -w "
                           "user.max_user_namespaces=15000`) and, on Debian, `sysctl -w "
                           "kernel.unprivileged_userns_clone=1`");
    std::string remedy = join(fixes, "; ");
    if (root && own_ok) {
        remedy +=
            ". Root is not affected, but other users cannot run sandbox with namespaces (only "
            "with --no-ns)";
        return {check, Status::Warn, detail, remedy};
    }
    if (root) {
        remedy +=
            ". As root, `sandbox run` works without a user namespace; --userns and -r need one";
        return {check, Status::Warn, detail, remedy};
    }
    remedy += ". Until then only `sandbox run --no-ns` works for this user";
    return {check, Status::Fail, detail, remedy};
}

// ---- 4. AppArmor's user-namespace restriction (Ubuntu 23.10+) ----

Finding probe_apparmor() {
    const char* check = "apparmor userns";
    const Sysctl s = read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    if (!s.value) {
        if (s.shown == "not present")
            return {
                check, Status::Ok, "kernel.apparmor_restrict_unprivileged_userns not present", {}};
        return {check, Status::Info, "kernel.apparmor_restrict_unprivileged_userns " + s.shown, {}};
    }
    if (*s.value == "0")
        return {check,
                Status::Ok,
                "kernel.apparmor_restrict_unprivileged_userns = 0 (not restricted)",
                {}};
    if (*s.value == "1")
        return {
            check, Status::Warn,
            "kernel.apparmor_restrict_unprivileged_userns = 1: unprivileged processes get user "
            "namespaces without capabilities, unless their AppArmor profile allows userns",
            "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or an AppArmor profile "
            "for the sandbox binary with `userns,`"};
    return {check, Status::Info, "kernel.apparmor_restrict_unprivileged_userns = " + *s.value, {}};
}

// ---- 5. already under seccomp (inside a container?) ----

Finding probe_inherited_seccomp() {
    const char* check = "inherited seccomp";
    const FileText status = read_text("/proc/self/status");
    if (status.err != 0)
        return {check, Status::Warn, "/proc/self/status: " + util::describe_errno(status.err),
                "mount /proc (sandbox needs it)"};
    const auto mode = status_field(status.text, "Seccomp");
    const auto filters = status_field(status.text, "Seccomp_filters");
    const auto nnp = status_field(status.text, "NoNewPrivs");
    const std::string nnp_text = "NoNewPrivs: " + nnp.value_or("?");
    if (!mode)
        return {check,
                Status::Info,
                "/proc/self/status has no Seccomp field (kernel without CONFIG_SECCOMP?); " +
                    nnp_text,
                {}};
    if (*mode == "0") return {check, Status::Ok, "not under seccomp (Seccomp: 0); " + nnp_text, {}};
    if (*mode == "2") {
        const std::string count = filters ? fmt::format("{} seccomp filter(s)", *filters)
                                          : std::string("seccomp filters");
        return {check, Status::Warn,
                fmt::format("this process already runs under {} (a container runtime's profile?); "
                            "those filters outrank sandbox's: a syscall they deny never reaches "
                            "sandbox's policy or supervisor; {}",
                            count, nnp_text),
                "run sandbox on the host, or give the container a seccomp profile that allows what "
                "sandbox needs (unshare, clone3, mount, pivot_root, seccomp), e.g. docker run "
                "--security-opt seccomp=PROFILE.json"};
    }
    return {check, Status::Warn, fmt::format("Seccomp: {} (strict mode?); {}", *mode, nnp_text),
            "run sandbox outside the process that set strict seccomp mode"};
}

// ---- 6. Yama ptrace scope ----

Finding probe_yama() {
    const char* check = "yama ptrace";
    const Sysctl s = read_sysctl("/proc/sys/kernel/yama/ptrace_scope");
    if (!s.value) {
        if (s.shown == "not present")
            return {check, Status::Ok, "Yama not enabled: attach works for your own processes", {}};
        return {check, Status::Info, "kernel.yama.ptrace_scope " + s.shown, {}};
    }
    const std::string& v = *s.value;
    if (v == "0")
        return {check, Status::Ok, "0 (classic): attach works for your own processes", {}};
    if (v == "1")
        return {check,
                Status::Info,
                "1 (restricted): attach to a child (a descendant), or with CAP_SYS_PTRACE",
                {}};
    const std::string why = "debuggers, and reading a sandboxed process's memory from outside";
    if (v == "2")
        return {check, Status::Warn,
                fmt::format("2 (admin-only): only CAP_SYS_PTRACE can attach ({})", why),
                "`sysctl -w kernel.yama.ptrace_scope=1` (attach to descendants)"};
    if (v == "3")
        return {check, Status::Warn,
                fmt::format("3 (no attach): nobody can attach, root included ({})", why),
                "scope 3 cannot be lowered until reboot: put kernel.yama.ptrace_scope=1 in "
                "/etc/sysctl.d/ and reboot (`sysctl -w kernel.yama.ptrace_scope=1` after that)"};
    return {check, Status::Info, "kernel.yama.ptrace_scope = " + v + " (unknown value)", {}};
}

// ---- 7. cgroup version ----

Finding probe_cgroup() {
    const char* check = "cgroup";
    const std::string note = "; a cgroup namespace works with either (resource limits: see "
                             "cgroup delegation)";
    struct statfs st {};
    if (::statfs("/sys/fs/cgroup", &st) != 0)
        return {check, Status::Info, "/sys/fs/cgroup: " + util::describe_errno(errno) + note, {}};
    if (st.f_type == CGROUP2_SUPER_MAGIC) return {check, Status::Ok, "v2 (unified)", {}};
    if (st.f_type == CGROUP_SUPER_MAGIC)
        return {check, Status::Info, "v1 (one v1 hierarchy on /sys/fs/cgroup)" + note, {}};
    if (st.f_type == TMPFS_MAGIC) {
        struct statfs unified {};
        const bool hybrid = ::statfs("/sys/fs/cgroup/unified", &unified) == 0 &&
                            unified.f_type == CGROUP2_SUPER_MAGIC;
        return {check,
                Status::Info,
                std::string(hybrid
                                ? "v1 or hybrid: v1 hierarchies, and v2 on /sys/fs/cgroup/unified"
                                : "v1 or hybrid: a tmpfs with v1 hierarchies") +
                    note,
                {}};
    }
    return {check,
            Status::Info,
            fmt::format("/sys/fs/cgroup is neither cgroup2 nor tmpfs (f_type {:#x})",
                        static_cast<unsigned long>(st.f_type)) +
                note,
            {}};
}

// ---- 8. resource limits: the cgroups sandbox can make, and what holds each limit ----

std::string limit_holder(const launch::limits::Choice& c, const char* v2_file, const char* v1_file,
                         const char* rlimit) {
    using launch::limits::Mechanism;
    switch (c.by) {
    case Mechanism::CgroupV2:
        return fmt::format("cgroup v2 ({})", v2_file);
    case Mechanism::CgroupV1:
        return fmt::format("cgroup v1 ({})", v1_file);
    case Mechanism::Rlimit:
        return rlimit;
    case Mechanism::None:
        break;
    }
    return "cannot be enforced";
}

// ---- 9. the notify listener: synchronous wake-up (6.6) and killable wait (5.19) ----

std::string probe_stopped(const char* kernel) {
    return fmt::format("something other than the kernel's version stopped the probe (a container's "
                       "seccomp filter? see inherited seccomp); the feature itself needs Linux {}",
                       kernel);
}

enum ListenerStep : int { kNoNewPrivs = 1, kInstall, kSetFlags };

const char* sync_wake_step_name(int step) {
    switch (step) {
    case kNoNewPrivs:
        return "prctl(PR_SET_NO_NEW_PRIVS)";
    case kInstall:
        return "seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER)";
    case kSetFlags:
        return "ioctl(SECCOMP_IOCTL_NOTIF_SET_FLAGS, SYNC_WAKE_UP)";
    default:
        return "?";
    }
}

const char* killable_step_name(int step) {
    switch (step) {
    case kNoNewPrivs:
        return "prctl(PR_SET_NO_NEW_PRIVS)";
    case kInstall:
        return "seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER|WAIT_KILLABLE_RECV)";
    default:
        return "?";
    }
}

// In the child: install `program` with `flags` (NEW_LISTENER among them) and, with `set_sync_wake`,
// ask for synchronous wake-up on the listener. Never makes a syscall the filter notifies about.
Outcome try_listener(sock_filter* program, unsigned short length, unsigned long flags,
                     bool set_sync_wake) noexcept {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) != 0) return {kNoNewPrivs, errno};
    sock_fprog prog{length, program};
    const long listener = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
    if (listener < 0) return {kInstall, errno};
    const util::unique_fd fd(static_cast<int>(listener));
    if (set_sync_wake &&
        ::ioctl(fd.get(), SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0)
        return {kSetFlags, errno};
    return {};
}

Finding probe_sync_wake_up() {
    const char* check = "notify sync wake-up";
    // getppid -> USER_NOTIF, everything else ALLOW. The child never calls getppid.
    sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    const auto length = static_cast<unsigned short>(std::size(program));
    const ChildResult r = run_in_child([&]() noexcept {
        return try_listener(program, length, SECCOMP_FILTER_FLAG_NEW_LISTENER, true);
    });
    if (r.reported && r.outcome.step == 0)
        return {check,
                Status::Ok,
                "SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP accepted: fast supervisor round trips",
                {}};
    // An unknown ioctl is EINVAL; anything else means something stopped the probe.
    if (r.reported && r.outcome.step == kSetFlags && r.outcome.err == EINVAL)
        return {check, Status::Warn,
                fmt::format("{}: tracing works, with slower round trips to the supervisor",
                            describe(r, sync_wake_step_name)),
                "a kernel 6.6 or newer"};
    return {check, Status::Warn,
            fmt::format("could not try it: {}", describe(r, sync_wake_step_name)),
            probe_stopped("6.6")};
}

Finding probe_killable_wait() {
    const char* check = "notify killable wait";
    sock_filter program[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    const auto length = static_cast<unsigned short>(std::size(program));
    const ChildResult r = run_in_child([&]() noexcept {
        return try_listener(
            program, length,
            SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, false);
    });
    if (r.reported && r.outcome.step == 0)
        return {check, Status::Ok, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV accepted", {}};
    // An unknown filter flag is EINVAL; anything else means something stopped the probe.
    if (r.reported && r.outcome.step == kInstall && r.outcome.err == EINVAL)
        return {check, Status::Warn,
                fmt::format("{}: a signal interrupts a syscall waiting for the supervisor (Go "
                            "programs notice)",
                            describe(r, killable_step_name)),
                "a kernel 5.19 or newer"};
    return {check, Status::Warn,
            fmt::format("could not try it: {}", describe(r, killable_step_name)),
            probe_stopped("5.19")};
}

// ---- 10. libseccomp ----

Finding probe_libseccomp() {
    const scmp_version* v = seccomp_version();
    const unsigned int api = seccomp_api_get();
    const std::string version = v != nullptr ? fmt::format("{}.{}.{}", v->major, v->minor, v->micro)
                                             : std::string("unknown");
    const std::string detail = fmt::format("{}, API level {}", version, api);
    // The level is libseccomp's own probe of the kernel; below 5 it refuses SCMP_ACT_NOTIFY rules.
    if (api < 5)
        return {
            "libseccomp", Status::Warn,
            detail + ": libseccomp will not compile SCMP_ACT_NOTIFY rules here",
            "a kernel with USER_NOTIF (see seccomp actions); the level is what libseccomp found "
            "the kernel to support"};
    return {"libseccomp", Status::Info, detail, {}};
}

// ---- running and rendering ----

template <typename Probe>
Finding guarded(const char* check, Probe run) {
    try {
        return run();
    } catch (const std::exception& e) {
        return {check, Status::Warn, std::string("the probe failed: ") + e.what(), kReportBug};
    } catch (...) {
        return {check, Status::Warn, "the probe failed", kReportBug};
    }
}

const char* status_word(Status s) {
    switch (s) {
    case Status::Ok:
        return "ok";
    case Status::Warn:
        return "warn";
    case Status::Fail:
        return "FAIL";
    case Status::Info:
        return "info";
    }
    return "?";
}

const char* status_json(Status s) {
    switch (s) {
    case Status::Ok:
        return "ok";
    case Status::Warn:
        return "warn";
    case Status::Fail:
        return "fail";
    case Status::Info:
        return "info";
    }
    return "?";
}

const char* status_colour(Status s) {
    switch (s) {
    case Status::Ok:
        return "\033[32m";
    case Status::Warn:
        return "\033[33m";
    case Status::Fail:
        return "\033[31m";
    case Status::Info:
        return nullptr;
    }
    return nullptr;
}

bool is_problem(Status s) {
    return s == Status::Warn || s == Status::Fail;
}

// Colours the STATUS column of a rendered table. Escape codes must not count as width, so they go
// in after rendering: Table pads every cell to its column's widest and separates columns with two
// spaces, so each row's status word starts right after the widest CHECK cell.
std::string colour_statuses(const std::string& table, const std::vector<Finding>& findings) {
    std::size_t column = std::string_view("CHECK").size();
    for (const auto& f : findings) column = std::max(column, f.check.size());
    column += 2;
    std::string out;
    std::size_t pos = 0;
    std::size_t row = 0; // 0 is the header
    while (pos < table.size()) {
        std::size_t end = table.find('\n', pos);
        if (end == std::string::npos) end = table.size();
        std::string line = table.substr(pos, end - pos);
        if (row >= 1 && row <= findings.size()) {
            const Status s = findings[row - 1].status;
            const std::string_view word = status_word(s);
            const char* on = status_colour(s);
            if (on != nullptr && line.size() >= column + word.size() &&
                line.compare(column, word.size(), word) == 0)
                line = line.substr(0, column) + on + std::string(word) + "\033[0m" +
                       line.substr(column + word.size());
        }
        out += line + "\n";
        pos = end + 1;
        ++row;
    }
    return out;
}

} // namespace

std::vector<Finding> limits_findings(const launch::limits::Host& host,
                                     const launch::limits::Context& ctx) {
    using launch::limits::Mechanism;
    std::vector<Finding> out;
    // What sandbox could make: a child of the caller's cgroup v2, or of its v1 directories.
    std::vector<std::string> parts;
    if (host.v2.dir.empty()) {
        parts.emplace_back("v2: no cgroup2 hierarchy shows this process's cgroup");
    } else {
        std::string v2 = fmt::format(
            "v2 {}: controllers {}", host.v2.dir,
            host.v2.controllers.empty() ? std::string("none")
                                        : join(std::vector<std::string>(host.v2.controllers.begin(),
                                                                        host.v2.controllers.end()),
                                               " "));
        if (!host.v2.writable)
            v2 += ", " + host.v2.problem;
        else if (host.v2.root)
            v2 += ", writable (the root cgroup)";
        else if (host.v2.only_self)
            v2 += ", delegated (writable, sandbox alone in it)";
        else
            v2 += ", writable, but other processes share it (\"no internal processes\": no "
                  "controller can be enabled for a child)";
        parts.push_back(v2);
    }
    std::vector<std::string> v1;
    for (const auto& [controller, offer] : host.v1)
        v1.push_back(fmt::format("{} {} {}", controller, offer.dir,
                                 offer.writable ? "writable" : offer.problem));
    parts.push_back(v1.empty() ? "v1: no pids, memory or cpu hierarchy" : "v1: " + join(v1, ", "));
    out.push_back({"cgroup delegation", Status::Info, join(parts, "; "), {}});

    // Which mechanism would hold each limit in a run with the default namespaces.
    const auto pids = launch::limits::choose_pids(host, ctx);
    const auto memory = launch::limits::choose_memory(host, ctx);
    const auto cpu = launch::limits::choose_cpu(host, ctx);
    std::string detail = fmt::format(
        "--pids-limit: {}; --memory: {}; --cpus: {}",
        limit_holder(pids, "pids.max", "pids.max",
                     "RLIMIT_NPROC, counted in the sandbox's user namespace"),
        limit_holder(memory, host.v2_swap ? "memory.max, swap too" : "memory.max",
                     host.memsw ? "memory.limit_in_bytes, swap too" : "memory.limit_in_bytes",
                     "RLIMIT_AS, per process"),
        limit_holder(cpu, "cpu.max", "cpu.cfs_quota_us", ""));
    detail +=
        pids.by == Mechanism::None
            ? fmt::format("; the default pids limit ({}) is skipped", launch::limits::default_pids)
            : fmt::format("; the default pids limit ({}) holds", launch::limits::default_pids);
    const bool all_cgroup = pids.by != Mechanism::None && pids.by != Mechanism::Rlimit &&
                            memory.by != Mechanism::None && memory.by != Mechanism::Rlimit &&
                            cpu.by != Mechanism::None;
    if (all_cgroup) {
        out.push_back({"resource limits", Status::Ok, detail, {}});
        return out;
    }
    const std::string remedy =
        "sandbox holds limits with a cgroup it makes under your own (see cgroup delegation): run "
        "as root, or in a delegated cgroup v2 subtree (systemd-run --user --scope -p "
        "Delegate=yes sandbox run ...). Without one, rlimits hold --pids-limit and --memory "
        "(RLIMIT_AS: per process) and --cpus is refused";
    out.push_back({"resource limits", Status::Info, detail, remedy});
    return out;
}

launch::IdRange root_range() {
    return launch::root_id_range(read_text("/etc/subuid").text, read_text("/etc/subgid").text);
}

// Whom the command runs as on the host: a root caller's command is an unprivileged range.
Finding probe_command_uid() {
    const char* check = "command's uid";
    if (::getuid() != 0)
        return {check, Status::Ok,
                fmt::format("your own uid {} (mapped to itself, or to 0 with --map-root-user)",
                            ::getuid()),
                ""};
    const launch::IdRange r = root_range();
    return {check, Status::Ok,
            fmt::format("as root: uid 0 inside is host uid {} (ids 0-{} are {}-{}, {}); host files "
                        "show as nobody's, binds are id-mapped; --userns=host runs it as the "
                        "host's root",
                        r.host_uid, r.count - 1, r.host_uid, r.host_uid + r.count - 1, r.origin),
            ""};
}

std::vector<Finding> probe() {
    std::vector<Finding> findings;
    try {
        findings.push_back(guarded("kernel", probe_kernel));
        findings.push_back(guarded("seccomp actions", probe_seccomp_actions));
        findings.push_back(guarded("user namespaces", probe_user_namespaces));
        findings.push_back(guarded("apparmor userns", probe_apparmor));
        findings.push_back(guarded("inherited seccomp", probe_inherited_seccomp));
        findings.push_back(guarded("yama ptrace", probe_yama));
        findings.push_back(guarded("cgroup", probe_cgroup));
        findings.push_back(guarded("command's uid", probe_command_uid));
        try {
            const bool root = ::getuid() == 0;
            const auto ns = launch::effective_namespaces(options::Run{}, root);
            launch::limits::Context ctx;
            ctx.user_ns = std::find(ns.begin(), ns.end(), options::Namespace::User) != ns.end();
            ctx.command_uid = ::getuid();
            if (root && ctx.user_ns) ctx.command_uid = static_cast<uid_t>(root_range().host_uid);
            for (auto& f : limits_findings(launch::cgroup::probe_host(), ctx))
                findings.push_back(std::move(f));
        } catch (const std::exception& e) {
            findings.push_back({"resource limits", Status::Warn,
                                std::string("the probe failed: ") + e.what(), kReportBug});
        }
        findings.push_back(guarded("notify sync wake-up", probe_sync_wake_up));
        findings.push_back(guarded("notify killable wait", probe_killable_wait));
        findings.push_back(guarded("libseccomp", probe_libseccomp));
    } catch (...) {
        // Only allocating a Finding can fail here; report what was found so far.
    }
    return findings;
}

std::string render_text(const std::vector<Finding>& findings, bool colour) {
    util::Table table({"CHECK", "STATUS", "DETAIL"});
    for (const auto& f : findings) table.add({f.check, status_word(f.status), f.detail});
    std::string rendered = table.render();
    if (colour) rendered = colour_statuses(rendered, findings);

    std::string out = "sandbox doctor\n\n" + rendered;
    std::string remedies;
    int problems = 0;
    for (const auto& f : findings) {
        if (is_problem(f.status)) ++problems;
        if (f.status == Status::Ok || (!is_problem(f.status) && f.remedy.empty())) continue;
        remedies +=
            fmt::format("Remedy for {}: {}\n", f.check, f.remedy.empty() ? "none known" : f.remedy);
    }
    if (!remedies.empty()) out += "\n" + remedies;
    out += problems == 0 ? "\nEverything sandbox needs works here.\n"
                         : fmt::format("\n{} problem(s): see the remedies above.\n", problems);
    return out;
}

std::string render_json(const std::vector<Finding>& findings) {
    // docs/schema/doctor.schema.json
    auto doc = util::report_object();
    doc["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : findings)
        doc["findings"].push_back({{"check", f.check},
                                   {"status", status_json(f.status)},
                                   {"detail", f.detail},
                                   {"remedy", f.remedy}});
    doc["ok"] = exit_code(findings) == 0;
    // Replace invalid UTF-8 (a detail quotes the kernel) rather than throw.
    return util::json_line(doc);
}

int exit_code(const std::vector<Finding>& findings) {
    const bool failed = std::any_of(findings.begin(), findings.end(),
                                    [](const Finding& f) { return f.status == Status::Fail; });
    return failed ? 1 : 0;
}

} // namespace doctor
