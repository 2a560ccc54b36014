// SPDX-License-Identifier: Apache-2.0
#include "launch/plan.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <optional>
#include <pwd.h>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/kernel_compat.hpp"
#include "util/safe_file.hpp"

extern char** environ;

namespace launch {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_all(const std::string& s) {
    return lower(s) == "all";
}

std::vector<std::string> build_env(const options::Run& run) {
    std::vector<std::string> env;
    if (!run.clear_env)
        for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
    for (const auto& kv : run.env) {
        auto eq = kv.find('=');
        std::string key = kv.substr(0, eq);
        env.erase(std::remove_if(env.begin(), env.end(),
                                 [&](const std::string& e) {
                                     return e.compare(0, key.size() + 1, key + "=") == 0;
                                 }),
                  env.end());
        env.push_back(kv);
    }
    return env;
}

std::string absolute_path(const std::string& p, const char* flag) {
    if (p.empty() || p[0] != '/')
        util::throw_usage(fmt::format("{} {}: the path must be absolute", flag, p));
    char buf[PATH_MAX];
    if (::realpath(p.c_str(), buf) == nullptr) {
        int err = errno;
        util::throw_usage(util::syscall_error(flag, p, err), "the path must exist on the host");
    }
    return buf;
}

// --ro/--rw PATH, or SRC:DEST (docker -v, bwrap --ro-bind SRC DEST): SRC on the host (it must
// exist), DEST inside (absolute, normalised lexically; it need not exist on the host).
MountStep bind_step(MountStep::Kind kind, const std::string& spec, const char* flag) {
    const auto colon = spec.find(':');
    if (colon == std::string::npos) {
        std::string p = absolute_path(spec, flag);
        return {kind, p, p};
    }
    const std::string dest = spec.substr(colon + 1);
    if (dest.empty() || dest[0] != '/')
        util::throw_usage(
            fmt::format("{} {}: the target after ':' must be an absolute path", flag, spec),
            fmt::format("{} SRC:DEST, for example {} $PWD/www:/srv", flag, flag));
    std::string target = std::filesystem::path(dest).lexically_normal().string();
    while (target.size() > 1 && target.back() == '/') target.pop_back();
    if (target == "/")
        util::throw_usage(fmt::format("{} {}: cannot bind over the whole root", flag, spec));
    return {kind, target, absolute_path(spec.substr(0, colon), flag)};
}

} // namespace

int cap_last_cap() {
    std::ifstream in("/proc/sys/kernel/cap_last_cap");
    int last = -1;
    if (in >> last && last > 0) return last;
    return CAP_LAST_CAP; // the build's headers: only when /proc does not tell
}

int capability_number(const std::string& name) {
    std::string n = lower(name);
    if (n.rfind("cap_", 0) != 0) n = "cap_" + n;
    // One name, whole: libcap's parser stops at what it does not read ("NET_RAW garbage").
    const bool word = !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    });
    cap_value_t v = 0;
    if (word && cap_from_name(n.c_str(), &v) == 0 && v >= 0 && v <= cap_last_cap()) return v;
    util::throw_usage(
        fmt::format("unknown capability \"{}\"", name),
        "use a name from capabilities(7), e.g. NET_BIND_SERVICE or CAP_NET_BIND_SERVICE, or ALL");
}

std::string capability_name(int cap) {
    char* n = cap_to_name(static_cast<cap_value_t>(cap));
    std::string out = n != nullptr ? n : std::to_string(cap);
    cap_free(n);
    std::string upper;
    for (char c : out) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper.rfind("CAP_", 0) == 0 ? upper : "CAP_" + upper;
}

// The capabilities this process may ever hold (CapBnd in /proc/self/status): all of them unless a
// container runtime or an administrator dropped some. A command can only be given what is in it.
std::uint64_t bounding_set() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("CapBnd:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
    return ~0ULL;
}

std::vector<std::string> kept_capabilities(const options::Run& run) {
    // Docker semantics on an empty default set: --cap-add adds (ALL adds every capability),
    // --cap-drop removes named ones; --cap-drop ALL removes nothing that was explicitly added.
    std::set<int> keep;
    const int last = cap_last_cap();
    const std::uint64_t bounding = bounding_set();
    for (const auto& c : run.cap_add) {
        if (is_all(c)) {
            // ALL: every capability this process may hold (its bounding set), not more.
            for (int i = 0; i <= last; ++i)
                if (i < 64 && (bounding >> i) & 1U) keep.insert(i);
        } else {
            keep.insert(capability_number(c));
        }
    }
    for (const auto& c : run.cap_drop)
        if (!is_all(c)) keep.erase(capability_number(c));
    std::vector<std::string> out;
    for (int c : keep) out.push_back(capability_name(c));
    return out;
}

std::string namespace_name(options::Namespace ns) {
    switch (ns) {
    case options::Namespace::User:
        return "user";
    case options::Namespace::Pid:
        return "pid";
    case options::Namespace::Mount:
        return "mount";
    case options::Namespace::Uts:
        return "uts";
    case options::Namespace::Ipc:
        return "ipc";
    case options::Namespace::Net:
        return "net";
    case options::Namespace::Cgroup:
        return "cgroup";
    }
    return "?";
}

std::vector<options::Namespace> effective_namespaces(const options::Run& run, bool caller_is_root) {
    using options::Namespace;
    std::vector<Namespace> ns;
    if (run.namespaces_given) {
        ns = run.namespaces;
    } else {
        ns = {Namespace::Pid, Namespace::Mount, Namespace::Uts,
              Namespace::Ipc, Namespace::Net,   Namespace::Cgroup};
    }
    if (run.share_net) ns.erase(std::remove(ns.begin(), ns.end(), Namespace::Net), ns.end());
    const bool others =
        std::any_of(ns.begin(), ns.end(), [](Namespace n) { return n != Namespace::User; });
    // The user namespace is what keeps uid 0 inside from being the host's root: every caller
    // gets one with other namespaces, unless root asks for the host's (--userns=host).
    const bool want_user = others && !(caller_is_root && run.userns == options::Run::Userns::Host);
    if (!want_user || std::find(ns.begin(), ns.end(), Namespace::User) != ns.end()) return ns;
    // User first. A new vector, not insert at begin(): g++ 12 at -O2 reports a null dereference
    // in the element move of insert (-Wnull-dereference), which cannot happen here.
    std::vector<Namespace> with_user{Namespace::User};
    with_user.insert(with_user.end(), ns.begin(), ns.end());
    return with_user;
}

namespace {

bool is_under(const std::string& path, const std::string& dir) {
    if (path == dir) return true;
    if (dir == "/") return true;
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
           path[dir.size()] == '/';
}

} // namespace

std::string host_path(const std::string& inside, const std::vector<MountStep>& mounts) {
    if (inside.empty() || inside[0] != '/') return inside;
    for (auto m = mounts.rbegin(); m != mounts.rend(); ++m) { // a later mount covers an earlier
        if (!is_under(inside, m->path)) continue;
        switch (m->kind) {
        case MountStep::Kind::BindReadWrite:
        case MountStep::Kind::BindReadOnly:
        case MountStep::Kind::BindDevice:
            return m->source + inside.substr(m->path.size());
        case MountStep::Kind::Tmpfs:
        case MountStep::Kind::Devpts:
        case MountStep::Kind::Mask:
            return {}; // nothing of the host's is there
        case MountStep::Kind::Proc:
        case MountStep::Kind::Sysfs:
        case MountStep::Kind::ReadOnly:
        case MountStep::Kind::Seal:
        case MountStep::Kind::Symlink:
            continue;
        }
    }
    return inside;
}

const std::vector<std::string> kMaskedPaths = {
    // runc's config.json maskedPaths, and Docker's powercap (energy counters: a side channel)
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap"};

const std::vector<std::string> kReadOnlyPaths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                 "/proc/sysrq-trigger"};

const std::vector<std::string> kDeviceNodes = {"/dev/null",   "/dev/zero",    "/dev/full",
                                               "/dev/random", "/dev/urandom", "/dev/tty"};

IdRange root_id_range(const std::string& subuid, const std::string& subgid) {
    // "root:START:COUNT" (or "0:START:COUNT"), the first one with room for 65536 ids.
    const auto first = [](const std::string& text)
        -> std::optional<std::pair<unsigned long long, unsigned long long>> {
        std::istringstream in(text);
        std::string line;
        while (std::getline(in, line)) {
            const auto a = line.find(':');
            const auto b = a == std::string::npos ? a : line.find(':', a + 1);
            if (b == std::string::npos) continue;
            const std::string who = line.substr(0, a);
            if (who != "root" && who != "0") continue;
            const std::string start = line.substr(a + 1, b - a - 1);
            const std::string count = line.substr(b + 1);
            if (start.empty() || count.empty() ||
                start.find_first_not_of("0123456789") != std::string::npos ||
                count.find_first_not_of("0123456789") != std::string::npos || start.size() > 10 ||
                count.size() > 10)
                continue;
            const unsigned long long s0 = std::stoull(start), c0 = std::stoull(count);
            // Never host uid 0, never past 2^32-2 ((uid_t)-1 is "unchanged").
            if (s0 == 0 || c0 < kDefaultRootRangeCount || s0 + c0 > 4294967295ULL) continue;
            return std::pair{s0, c0};
        }
        return std::nullopt;
    };
    const auto u = first(subuid);
    const auto g = first(subgid);
    if (u && g) {
        const unsigned long long count = std::min(u->second, g->second);
        return {u->first, g->first, std::min<unsigned long long>(count, 4294967295ULL - u->first),
                "/etc/subuid and /etc/subgid"};
    }
    return {kDefaultRootRangeStart, kDefaultRootRangeStart, kDefaultRootRangeCount,
            "sandbox's default range"};
}

std::string resolve_executable(const std::string& command, const std::vector<std::string>& envp,
                               const std::vector<MountStep>& mounts) {
    // A shell's rules: a candidate that cannot be stat'ed (missing, or a PATH directory we may not
    // search) is not there; one that exists but cannot be executed is "not executable". A path
    // inside a SRC:DEST bind is looked up at its SRC on the host.
    const auto check = [&mounts](const std::string& inside) -> int {
        const std::string path = host_path(inside, mounts);
        if (path.empty()) return ENOENT; // under a tmpfs of the sandbox's: not there inside
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return errno == EACCES ? ENOENT : errno;
        if (S_ISDIR(st.st_mode)) return EISDIR;
        if (::access(path.c_str(), X_OK) != 0) return errno;
        return 0;
    };
    if (command.find('/') != std::string::npos) {
        int err = check(command);
        if (err == 0) return command;
        if ((err == ENOENT || err == ENOTDIR) && host_path(command, mounts).empty())
            throw util::Error(util::exit_code::not_found,
                              util::syscall_error("execve", command, err),
                              fmt::format("{} is not visible inside the sandbox: it lies under a "
                                          "directory the sandbox replaces with an empty tmpfs "
                                          "(/tmp, /run, /dev, your home); bring it "
                                          "in with --ro {}",
                                          command, command));
        if (err == ENOENT || err == ENOTDIR)
            throw util::Error(util::exit_code::not_found,
                              util::syscall_error("execve", command, err),
                              "check the path of the command");
        throw util::Error(util::exit_code::cannot_exec, util::syscall_error("execve", command, err),
                          "the file must be an executable program or script (chmod +x)");
    }
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const auto& e : envp)
        if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
    int first_err = 0;
    std::string first_hit;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        if (dir.empty()) dir = ".";
        std::string candidate = dir + "/" + command;
        int err = check(candidate);
        if (err == 0) return candidate;
        if (err != ENOENT && err != ENOTDIR && first_err == 0) {
            first_err = err;
            first_hit = candidate;
        }
        start = end + 1;
    }
    if (first_err != 0)
        throw util::Error(util::exit_code::cannot_exec,
                          util::syscall_error("execve", first_hit, first_err),
                          "the file must be an executable program or script (chmod +x)");
    throw util::Error(util::exit_code::not_found,
                      fmt::format("{}: command not found in PATH ({})", command, path),
                      "check the spelling, give a full path, or set PATH with --env PATH=...");
}

namespace {

// A decimal id, or nothing when `s` is not one (names are looked up instead).
std::optional<unsigned> numeric_id(const std::string& s) {
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const unsigned long n = std::stoul(s);
    if (n >= 4294967295UL) return std::nullopt; // (uid_t)-1 means "unchanged" to setresuid
    return static_cast<unsigned>(n);
}

} // namespace

UserSpec parse_user(const std::string& spec) {
    const auto colon = spec.find(':');
    const std::string user = spec.substr(0, colon);
    const std::string group = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (user.empty() || (colon != std::string::npos && group.empty()))
        util::throw_usage(fmt::format("--user {}: expected UID[:GID] or NAME[:GROUP]", spec),
                          "for example --user 1000, --user 1000:1000 or --user nobody");
    UserSpec out;
    std::optional<gid_t> primary;
    if (auto n = numeric_id(user)) {
        out.uid = *n;
        if (const passwd* pw = ::getpwuid(out.uid)) primary = pw->pw_gid;
    } else if (const passwd* pw = ::getpwnam(user.c_str())) {
        out.uid = pw->pw_uid;
        primary = pw->pw_gid;
    } else {
        util::throw_usage(
            fmt::format("--user {}: no user \"{}\" in this host's /etc/passwd", spec, user),
            "give a number instead (--user 1000); inside, any uid works without an entry");
    }
    if (group.empty()) {
        out.gid = primary ? *primary : out.uid;
    } else if (auto n = numeric_id(group)) {
        out.gid = *n;
    } else if (const struct group* gr = ::getgrnam(group.c_str())) {
        out.gid = gr->gr_gid;
    } else {
        util::throw_usage(
            fmt::format("--user {}: no group \"{}\" in this host's /etc/group", spec, group),
            "give a number instead (--user 1000:1000)");
    }
    return out;
}

namespace {

// The caller's home, when it is a directory of its own and not a system directory (the passwd
// entries of daemons name /usr/sbin, /var/lib/..., /nonexistent): that one is hidden inside.
std::string home_to_hide(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    if (pw == nullptr || pw->pw_dir == nullptr) return {};
    char buf[PATH_MAX];
    if (::realpath(pw->pw_dir, buf) == nullptr) return {};
    const std::string home = buf;
    for (const char* system :
         {"/",    "/usr", "/bin",  "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/var",   "/opt",
          "/srv", "/dev", "/proc", "/sys",  "/tmp", "/run",   "/boot",  "/mnt", "/media", "/home"})
        if (home == system) return {};
    if (is_under(home, "/usr") || is_under(home, "/proc") || is_under(home, "/sys") ||
        is_under(home, "/dev"))
        return {};
    struct stat st {};
    if (::lstat(home.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != uid) return {};
    return home;
}

// What a bind of the host's /tmp brings that the user hardly means to share: the sockets at its
// top and the directories of the agents that listen there (X11, ICE, tmux, ssh-agent, D-Bus,
// PulseAudio, Emacs, VS Code), each masked where the bind shows it. A path under /tmp that the
// user binds by itself is kept.
std::vector<MountStep> tmp_socket_masks(const std::vector<MountStep>& mounts) {
    std::vector<MountStep> out;
    const auto asked = [&mounts](const std::string& host) {
        return std::any_of(mounts.begin(), mounts.end(), [&host](const MountStep& m) {
            return !m.implicit && m.source != "/tmp" && is_under(m.source, host) &&
                   (m.kind == MountStep::Kind::BindReadOnly ||
                    m.kind == MountStep::Kind::BindReadWrite);
        });
    };
    const auto agents_dir = [](const std::string& n) {
        for (const char* exact : {".X11-unix", ".ICE-unix", ".XIM-unix", ".font-unix"})
            if (n == exact) return true;
        for (const char* prefix : {"tmux-", "ssh-", "dbus-", "pulse-", "emacs", "vscode-"})
            if (n.rfind(prefix, 0) == 0) return true;
        return false;
    };
    for (const auto& m : mounts) {
        if (m.source != "/tmp" ||
            (m.kind != MountStep::Kind::BindReadOnly && m.kind != MountStep::Kind::BindReadWrite))
            continue;
        DIR* d = ::opendir("/tmp");
        if (d == nullptr) continue;
        while (dirent* e = ::readdir(d)) {
            const std::string name = e->d_name;
            if (name == "." || name == "..") continue;
            struct stat st {};
            if (::lstat(("/tmp/" + name).c_str(), &st) != 0) continue;
            const bool hide = S_ISSOCK(st.st_mode) || (S_ISDIR(st.st_mode) && agents_dir(name));
            if (hide && !asked("/tmp/" + name))
                out.emplace_back(MountStep::Kind::Mask, m.path + "/" + name);
        }
        ::closedir(d);
    }
    return out;
}

// /proc, /sys, /dev, /run, /tmp (and the caller's home): the layout every run gets, before
// the user's binds.
std::vector<MountStep> base_layout(const Plan& plan, const options::Run& run) {
    using K = MountStep::Kind;
    std::vector<MountStep> out;
    const auto add = [&out](K kind, std::string path, std::string source = {}) -> MountStep& {
        out.push_back({kind, std::move(path), std::move(source)});
        return out.back();
    };
    const auto is_dir = [](const char* p) {
        struct stat st {};
        return ::lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
    };
    if (plan.fresh_proc) add(K::Proc, "/proc");
    // A fresh sysfs shows only the sandbox's own network devices; without a network namespace of
    // its own, the host's stays, read-only, with its kernel interfaces masked below.
    add(K::Sysfs, "/sys");
    for (const auto& p : kReadOnlyPaths) add(K::ReadOnly, p);
    for (const auto& p : kMaskedPaths) add(K::Mask, p);
    // What the host's sysfs has mounted below it (a fresh sysfs has empty directories there).
    for (const char* p :
         {"/sys/kernel/debug", "/sys/kernel/tracing", "/sys/kernel/security", "/sys/kernel/config",
          "/sys/fs/bpf", "/sys/fs/pstore", "/sys/fs/fuse/connections"})
        add(K::Mask, p);
    add(K::Mask, "/sys/fs/cgroup"); // replaced by cgroup_view once the limits are decided

    // /dev: bubblewrap's --dev. Nothing of the host's /dev but these nodes and what --dev-bind
    // names; ptys from a new devpts instance.
    add(K::Tmpfs, "/dev").mode = 0755;
    for (const auto& n : kDeviceNodes) add(K::BindDevice, n, n).optional = true;
    // gid=5 (tty) only where it exists inside: an ordinary user's namespace maps one gid.
    add(K::Devpts, "/dev/pts").data = std::string("newinstance,ptmxmode=0666,mode=0620") +
                                      (plan.user_ns && !plan.unprivileged_root ? "" : ",gid=5");
    add(K::Symlink, "/dev/ptmx", "pts/ptmx");
    add(K::Tmpfs, "/dev/shm").mode = 01777;
    add(K::Symlink, "/dev/fd", "/proc/self/fd");
    add(K::Symlink, "/dev/stdin", "/proc/self/fd/0");
    add(K::Symlink, "/dev/stdout", "/proc/self/fd/1");
    add(K::Symlink, "/dev/stderr", "/proc/self/fd/2");

    // No host socket under /run (docker.sock, D-Bus, systemd --user, ...).
    add(K::Tmpfs, "/run").mode = 0755;
    if (is_dir("/var/run")) add(K::Tmpfs, "/var/run").mode = 0755; // not the usual link to /run
    if (run.share_net) {
        // The host's network, with its resolver: /etc/resolv.conf often links into /run.
        char buf[PATH_MAX];
        if (::realpath("/etc/resolv.conf", buf) != nullptr &&
            (is_under(buf, "/run") || is_under(buf, "/var/run"))) {
            MountStep& r = add(K::BindReadOnly, buf, buf);
            r.optional = true;
            r.implicit = true;
            r.from_parent = plan.unprivileged_root;
        }
    }
    add(K::Tmpfs, "/tmp").mode = 01777;
    // The caller's home holds its secrets and its agents' sockets: an empty, private one, where
    // binds of paths under it still get their mount points.
    if (!plan.hidden_home.empty()) add(K::Tmpfs, plan.hidden_home).mode = 0700;
    return out;
}

// Resource limits (launch/limits.*), decided last: they depend on the user namespace, the
// command's uid and its capabilities. With a cgroup, init makes the cgroup namespace itself once
// it is inside the sandbox's cgroup (so that is the namespace's root); clone would root it at
// sandbox's own cgroup.
void apply_limits(const options::Run& run, Plan& plan) {
    plan.limits = limits::for_run(run, plan);
    if (plan.limits.uses_cgroup() && (plan.clone_flags & CLONE_NEWCGROUP) != 0) {
        plan.clone_flags &= ~CLONE_NEWCGROUP;
        plan.limits.unshare_cgroup_ns = true;
    }
}

// /sys/fs/cgroup inside: only the sandbox's own cgroup(s), read-only, where the run has one
// (resource limits); an empty read-only tmpfs otherwise. Each is bound where a program inside
// looks for it from /proc/self/cgroup: at its hierarchy's mount point when the cgroup namespace is
// rooted at it, else at its host path.
std::vector<MountStep> cgroup_view(const Plan& plan) {
    using K = MountStep::Kind;
    std::vector<MountStep> out;
    if (!plan.limits.uses_cgroup()) {
        out.emplace_back(K::Mask, "/sys/fs/cgroup");
        return out;
    }
    const auto mounts = limits::parse_cgroup_mounts(util::read_text("/proc/self/mountinfo").text);
    out.emplace_back(K::Tmpfs, "/sys/fs/cgroup");
    const auto bind = [&](const std::string& host, const std::optional<limits::CgroupMount>& m) {
        std::string target = host;
        if (plan.limits.unshare_cgroup_ns && m && is_under(m->mount_point, "/sys/fs/cgroup"))
            target = m->mount_point;
        if (!is_under(target, "/sys/fs/cgroup")) return; // a hierarchy mounted elsewhere
        out.emplace_back(K::BindReadOnly, target, host);
    };
    if (!plan.limits.v2_path.empty()) bind(plan.limits.v2_path, mounts.v2);
    for (const auto& d : plan.limits.v1) {
        const auto m = mounts.v1.find(d.controller);
        bind(d.path,
             m == mounts.v1.end() ? std::nullopt : std::optional<limits::CgroupMount>(m->second));
    }
    out.emplace_back(K::Seal, "/sys/fs/cgroup");
    return out;
}

} // namespace

Plan make_plan(const options::Run& run, std::vector<sock_filter> filter, unsigned filter_flags,
               bool listener) {
    using options::Namespace;
    Plan plan;
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    const bool root = uid == 0;
    const auto ns = effective_namespaces(run, root);
    const auto has = [&](Namespace n) { return std::find(ns.begin(), ns.end(), n) != ns.end(); };

    if (has(Namespace::User)) plan.clone_flags |= CLONE_NEWUSER;
    if (has(Namespace::Pid)) plan.clone_flags |= CLONE_NEWPID;
    if (has(Namespace::Mount)) plan.clone_flags |= CLONE_NEWNS;
    if (has(Namespace::Uts)) plan.clone_flags |= CLONE_NEWUTS;
    if (has(Namespace::Ipc)) plan.clone_flags |= CLONE_NEWIPC;
    if (has(Namespace::Net)) plan.clone_flags |= CLONE_NEWNET;
    if (has(Namespace::Cgroup)) plan.clone_flags |= CLONE_NEWCGROUP;

    plan.user_ns = has(Namespace::User);
    // A root caller's command is not the host's root: inside uids 0.. are an unprivileged range.
    plan.unprivileged_root = root && plan.user_ns;
    if (plan.unprivileged_root) {
        plan.root_range =
            root_id_range(util::read_text("/etc/subuid").text, util::read_text("/etc/subgid").text);
    }
    std::optional<UserSpec> as_user;
    if (run.user) {
        if (run.map_root_user)
            util::throw_usage("--user and --map-root-user both choose the uid inside",
                              "keep one: --map-root-user is --user 0 for an ordinary user");
        as_user = parse_user(*run.user);
        if (!plan.user_ns && !root && (as_user->uid != uid || as_user->gid != gid))
            util::throw_setup(
                fmt::format("--user {}: only root can change its uid without a user namespace",
                            *run.user),
                "keep the user namespace (drop --no-ns, or add user to --ns), or run as root");
        if (plan.unprivileged_root &&
            (as_user->uid >= plan.root_range.count || as_user->gid >= plan.root_range.count))
            util::throw_usage(
                fmt::format("--user {}: inside, uids and gids 0-{} exist (host ids {}-{}, {})",
                            *run.user, plan.root_range.count - 1, plan.root_range.host_uid,
                            plan.root_range.host_uid + plan.root_range.count - 1,
                            plan.root_range.origin),
                "pick a smaller id, or give root a larger range in /etc/subuid and /etc/subgid "
                "(root:START:COUNT)");
        plan.switch_ids = true;
        plan.uid = as_user->uid;
        plan.gid = as_user->gid;
        // Root (outside, or with a whole range mapped) may set groups; an unprivileged user
        // namespace forbids it (setgroups is "deny" there), and there is nothing to clear.
        plan.clear_groups = root;
    }
    if (plan.user_ns) {
        // An ordinary user is mapped to itself (or to 0 with --map-root-user, or to the --user
        // ids). Root is mapped to an unprivileged range: uid 0 inside is no uid the kernel treats
        // as the host's root, for sysctls, keys, devices or files.
        if (plan.unprivileged_root) {
            plan.uid_map =
                fmt::format("0 {} {}\n", plan.root_range.host_uid, plan.root_range.count);
            plan.gid_map =
                fmt::format("0 {} {}\n", plan.root_range.host_gid, plan.root_range.count);
        } else if (as_user) {
            plan.uid_map = fmt::format("{} {} 1\n", as_user->uid, uid);
            plan.gid_map = fmt::format("{} {} 1\n", as_user->gid, gid);
        } else if (run.map_root_user) {
            plan.uid_map = fmt::format("0 {} 1\n", uid);
            plan.gid_map = fmt::format("0 {} 1\n", gid);
        } else {
            plan.uid_map = fmt::format("{} {} 1\n", uid, uid);
            plan.gid_map = fmt::format("{} {} 1\n", gid, gid);
        }
    }

    if (!has(Namespace::Mount) && !run.mounts.empty())
        util::throw_usage("--rw, --ro, --tmpfs and --dev-bind need a mount namespace",
                          "add mount to --ns, or drop --no-ns");
    plan.own_network = has(Namespace::Net);
    if (has(Namespace::Mount)) {
        plan.new_root = true;
        plan.fresh_proc = has(Namespace::Pid);
        plan.id_mapped_binds = plan.unprivileged_root;
        plan.hidden_home = home_to_hide(uid);
        plan.mounts = base_layout(plan, run);
        for (const auto& m : run.mounts) {
            MountStep step;
            switch (m.kind) {
            case options::MountRequest::Kind::ReadWrite:
                step = bind_step(MountStep::Kind::BindReadWrite, m.path, "--rw");
                break;
            case options::MountRequest::Kind::ReadOnly:
                step = bind_step(MountStep::Kind::BindReadOnly, m.path, "--ro");
                break;
            case options::MountRequest::Kind::Device:
                step = bind_step(MountStep::Kind::BindDevice, m.path, "--dev-bind");
                break;
            case options::MountRequest::Kind::Tmpfs:
                if (m.path.empty() || m.path[0] != '/')
                    util::throw_usage(fmt::format("--tmpfs {}: the path must be absolute", m.path));
                step = {MountStep::Kind::Tmpfs, m.path, {}};
                step.mode = 01777;
                break;
            }
            step.from_parent = plan.unprivileged_root && step.kind != MountStep::Kind::Tmpfs;
            plan.mounts.push_back(step);
        }
        // The host's /tmp, bound in, brings its files but not its agents' sockets.
        for (auto& m : tmp_socket_masks(plan.mounts)) plan.mounts.push_back(std::move(m));
        // Any writable bind of a root caller's: id-mapped, a setuid file there is host uid 0's;
        // not (a --dev-bind, a filesystem that cannot be id-mapped), it is the range's uid,
        // which every root-run sandbox shares.
        plan.guard_setid =
            plan.unprivileged_root &&
            std::any_of(plan.mounts.begin(), plan.mounts.end(), [](const MountStep& m) {
                return m.from_parent && !m.implicit &&
                       (m.kind == MountStep::Kind::BindReadWrite ||
                        m.kind == MountStep::Kind::BindDevice);
            });
        // Last: /dev turns read-only once every mount point in it exists.
        plan.mounts.emplace_back(MountStep::Kind::Seal, "/dev");
    }
    if (has(Namespace::Uts)) plan.hostname = run.hostname;
    plan.loopback_up = has(Namespace::Net);
    plan.subreaper = !has(Namespace::Pid);
    plan.kill_after_seconds = run.kill_after_seconds;

    plan.cap_last = cap_last_cap();
    plan.keep_cap_names = kept_capabilities(run);
    const std::uint64_t bounding = bounding_set();
    for (const auto& n : plan.keep_cap_names) {
        const int cap = capability_number(n);
        if (cap < 64 && !((bounding >> cap) & 1U))
            util::throw_setup(
                fmt::format(
                    "--cap-add {}: sandbox itself may not hold it (it is not in its bounding "
                    "set, CapBnd in /proc/self/status)",
                    n),
                "a process can only pass on capabilities it may hold: run sandbox where that "
                "capability has not been dropped (a container runtime drops most)");
        plan.keep_caps.push_back(cap);
    }

    // A file capability is as good as a setuid bit, and setxattr names it behind a pointer.
    if (plan.guard_setid && std::find(plan.keep_caps.begin(), plan.keep_caps.end(), CAP_SETFCAP) !=
                                plan.keep_caps.end())
        util::throw_usage(
            "--cap-add SETFCAP (or ALL) with a writable bind, as root: a file capability the "
            "command set there would belong to the host's root",
            "drop SETFCAP (--cap-drop SETFCAP), bind it read-only (--ro), or run as the host's "
            "root with --userns=host");
    plan.envp = build_env(run);
    if (run.command.empty())
        util::throw_usage("no command given", "usage: sandbox run [OPTIONS] -- COMMAND [ARGS...]");
    plan.argv = run.command;
    if (run.cwd) {
        plan.cwd = *run.cwd;
        plan.cwd_explicit = true;
    } else {
        char buf[PATH_MAX];
        plan.cwd = ::getcwd(buf, sizeof buf) != nullptr ? buf : "/";
        // The caller's home is an empty tmpfs inside: keep the working directory under it,
        // read-only, as everywhere else on the host, so relative paths still work. (Root's
        // command could not traverse /root to it: sandbox opens that bind itself.)
        if (!plan.hidden_home.empty() && plan.cwd != plan.hidden_home &&
            is_under(plan.cwd, plan.hidden_home) && host_path(plan.cwd, plan.mounts).empty()) {
            MountStep cwd{MountStep::Kind::BindReadOnly, plan.cwd, plan.cwd};
            cwd.from_parent = plan.unprivileged_root;
            cwd.implicit = true;
            plan.mounts.insert(plan.mounts.end() - 1, cwd); // before /dev turns read-only
        }
    }
    // Looked up through the whole layout, the working directory's bind included.
    plan.exe = resolve_executable(run.command[0], plan.envp, plan.mounts);

    plan.filter = std::move(filter);
    plan.filter_flags = filter_flags;
    plan.listener = listener;
    apply_limits(run, plan);
    if (plan.new_root) {
        const auto at =
            std::find_if(plan.mounts.begin(), plan.mounts.end(), [](const MountStep& m) {
                return m.kind == MountStep::Kind::Mask && m.path == "/sys/fs/cgroup";
            });
        if (at != plan.mounts.end()) {
            const auto view = cgroup_view(plan);
            const auto pos = plan.mounts.erase(at);
            plan.mounts.insert(pos, view.begin(), view.end());
        }
    }
    return plan;
}

} // namespace launch
