#include "launch/plan.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <optional>
#include <pwd.h>
#include <set>

#include <fmt/format.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/kernel_compat.hpp"

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
    cap_value_t v = 0;
    if (cap_from_name(n.c_str(), &v) == 0 && v >= 0 && v <= cap_last_cap()) return v;
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
    const bool want_user = run.userns_requested || run.map_root_user || (others && !caller_is_root);
    if (want_user && std::find(ns.begin(), ns.end(), Namespace::User) == ns.end())
        ns.insert(ns.begin(), Namespace::User);
    return ns;
}

std::string host_path(const std::string& inside, const std::vector<MountStep>& mounts) {
    if (inside.empty() || inside[0] != '/') return inside;
    for (auto m = mounts.rbegin(); m != mounts.rend(); ++m) { // a later mount covers an earlier
        if (m->kind == MountStep::Kind::Tmpfs || m->source == m->path) continue;
        if (inside == m->path) return m->source;
        if (inside.size() > m->path.size() && inside.compare(0, m->path.size(), m->path) == 0 &&
            inside[m->path.size()] == '/')
            return m->source + inside.substr(m->path.size());
    }
    return inside;
}

std::string resolve_executable(const std::string& command, const std::vector<std::string>& envp,
                               const std::vector<MountStep>& mounts) {
    // A shell's rules: a candidate that cannot be stat'ed (missing, or a PATH directory we may not
    // search) is not there; one that exists but cannot be executed is "not executable". A path
    // inside a SRC:DEST bind is looked up at its SRC on the host.
    const auto check = [&mounts](const std::string& inside) -> int {
        const std::string path = host_path(inside, mounts);
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return errno == EACCES ? ENOENT : errno;
        if (S_ISDIR(st.st_mode)) return EISDIR;
        if (::access(path.c_str(), X_OK) != 0) return errno;
        return 0;
    };
    if (command.find('/') != std::string::npos) {
        int err = check(command);
        if (err == 0) return command;
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
        plan.switch_ids = true;
        plan.uid = as_user->uid;
        plan.gid = as_user->gid;
        // Root (outside, or with the whole range mapped) may set groups; an unprivileged user
        // namespace forbids it (setgroups is "deny" there), and there is nothing to clear.
        plan.clear_groups = root;
    }
    if (plan.user_ns) {
        // Map the caller to itself (or to 0 with --map-root-user, or to the --user ids). Root
        // maps the whole range to itself so file owners stay what they are on the host.
        if (as_user && !root) {
            plan.uid_map = fmt::format("{} {} 1\n", as_user->uid, uid);
            plan.gid_map = fmt::format("{} {} 1\n", as_user->gid, gid);
        } else if (run.map_root_user) {
            plan.uid_map = fmt::format("0 {} 1\n", uid);
            plan.gid_map = fmt::format("0 {} 1\n", gid);
        } else if (root) {
            plan.uid_map = "0 0 4294967295\n";
            plan.gid_map = "0 0 4294967295\n";
        } else {
            plan.uid_map = fmt::format("{} {} 1\n", uid, uid);
            plan.gid_map = fmt::format("{} {} 1\n", gid, gid);
        }
    }

    if (!has(Namespace::Mount) && !run.mounts.empty())
        util::throw_usage("--rw, --ro and --tmpfs need a mount namespace",
                          "add mount to --ns, or drop --no-ns");
    if (has(Namespace::Mount)) {
        plan.new_root = true;
        plan.fresh_proc = has(Namespace::Pid);
        plan.mounts.push_back({MountStep::Kind::Tmpfs, "/tmp", {}});
        struct stat st {};
        if (::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode))
            plan.mounts.push_back({MountStep::Kind::Tmpfs, "/dev/shm", {}});
        for (const auto& m : run.mounts) {
            switch (m.kind) {
            case options::MountRequest::Kind::ReadWrite:
                plan.mounts.push_back(bind_step(MountStep::Kind::BindReadWrite, m.path, "--rw"));
                break;
            case options::MountRequest::Kind::ReadOnly:
                plan.mounts.push_back(bind_step(MountStep::Kind::BindReadOnly, m.path, "--ro"));
                break;
            case options::MountRequest::Kind::Tmpfs:
                if (m.path.empty() || m.path[0] != '/')
                    util::throw_usage(fmt::format("--tmpfs {}: the path must be absolute", m.path));
                plan.mounts.push_back({MountStep::Kind::Tmpfs, m.path, {}});
                break;
            }
        }
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

    plan.envp = build_env(run);
    if (run.command.empty())
        util::throw_usage("no command given", "usage: sandbox run [OPTIONS] -- COMMAND [ARGS...]");
    plan.argv = run.command;
    plan.exe = resolve_executable(run.command[0], plan.envp, plan.mounts);
    if (run.cwd) {
        plan.cwd = *run.cwd;
        plan.cwd_explicit = true;
    } else {
        char buf[PATH_MAX];
        plan.cwd = ::getcwd(buf, sizeof buf) != nullptr ? buf : "/";
    }

    plan.filter = std::move(filter);
    plan.filter_flags = filter_flags;
    plan.listener = listener;
    apply_limits(run, plan);
    return plan;
}

} // namespace launch
