// SPDX-License-Identifier: Apache-2.0
#pragma once
// Everything the launch needs, decided before the child exists: plain data, no kernel calls
// besides looking things up (PATH, cap_last_cap, uid). launch::run consumes it.
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include <linux/filter.h>

#include "launch/limits.hpp"
#include "options.hpp"

namespace launch {

// One step of the mount layout inside the new root. The whole layout is this ordered list,
// decided in make_plan; the child applies each step in order (launch/child.cpp apply_mount).
// Paths are absolute, as seen inside. Binds are always nosuid and nodev but for BindDevice.
struct MountStep {
    enum class Kind {
        BindReadWrite, // the host's `source` at `path`, writable
        BindReadOnly,  // the same, read-only
        BindDevice,    // a host device node (or a directory of them): devices work, nosuid
        Tmpfs,         // an empty tmpfs (`mode`; read-only when `read_only`)
        Proc,          // a fresh proc of the new PID namespace
        Sysfs,         // a fresh read-only sysfs (own network namespace), else the host's, masked
        Devpts,        // a new devpts instance: ptys of the sandbox only
        Mask,          // hide what is there: a directory under an empty read-only tmpfs, a file
                       // under /dev/null; nothing to do when it does not exist
        ReadOnly,      // bind `path` over itself read-only, submounts too; skipped when absent
        Seal,          // make the mount at `path` read-only in place, not its submounts
        Symlink,       // `path` -> `source`
    };
    MountStep() = default;
    MountStep(Kind k, std::string p, std::string s = {})
        : kind(k), path(std::move(p)), source(std::move(s)) {}
    Kind kind = Kind::Tmpfs;
    std::string path;       // the target inside
    std::string source;     // binds: the host path; Symlink: the link's target
    unsigned mode = 0755;   // Tmpfs: mode of its root
    bool read_only = false; // Tmpfs: read-only once mounted
    // A bind sandbox itself opens on the host and hands to init as a mount fd (open_tree):
    // a root caller's command cannot reach paths only root may traverse, and its binds are
    // id-mapped so that host uid 0 is uid 0 inside (see Plan::id_mapped_binds).
    bool from_parent = false;
    bool implicit = false; // added by sandbox (the working directory under /root), not asked for
    bool optional = false; // binds: skipped when the host has no such source
    std::string data;      // Devpts: its mount options
};

// The host ids that inside ids 0..count-1 are, for a root caller (--userns=auto): the first range
// of /etc/subuid and /etc/subgid for root with at least 65536 ids, else sandbox's own range.
struct IdRange {
    unsigned long long host_uid = 0;
    unsigned long long host_gid = 0;
    unsigned long long count = 0;
    std::string origin; // "/etc/subuid" or "sandbox's default"
};
inline constexpr unsigned long long kDefaultRootRangeStart = 0x6FFF0000ULL; // 1878982656
inline constexpr unsigned long long kDefaultRootRangeCount = 65536;

struct Plan {
    // namespaces
    int clone_flags = 0; // CLONE_NEW* flags
    bool user_ns = false;
    std::string uid_map; // written by the parent into /proc/PID/uid_map
    std::string gid_map;
    // A root caller's command runs as an unprivileged host uid (--userns=auto): init switches to
    // inside uid/gid 0 (that range's first id) and clears the host's groups before it mounts.
    bool unprivileged_root = false;
    IdRange root_range; // when unprivileged_root
    // Binds the parent opens (MountStep::from_parent) are id-mapped to the sandbox's user
    // namespace, where the filesystem allows it: its files keep their owners inside.
    bool id_mapped_binds = false;
    // mount layout (with a mount namespace)
    bool new_root = false;         // host root bound read-only, then pivot_root into it
    bool fresh_proc = false;       // a /proc of the new PID namespace
    std::vector<MountStep> mounts; // in order: /proc, /sys, /dev, /run, /tmp, then the user's
    bool own_network = false;      // a new net namespace: a fresh sysfs can be mounted
    // The caller's home (from the passwd database), an empty tmpfs inside: its keys, agents'
    // sockets (ssh, gpg, tmux) and secrets stay out; the working directory under it is bound
    // read-only. Empty: nothing hidden (no mount namespace, or no home of the caller's own).
    std::string hidden_home;
    // other per-namespace setup
    std::string hostname; // empty: leave it
    bool loopback_up = false;
    bool subreaper = false; // without a PID namespace, init becomes a subreaper instead
    int kill_after_seconds =
        10; // SIGKILL this long after a forwarded SIGTERM/SIGINT/SIGHUP/SIGQUIT
    // the command's credentials
    bool switch_ids = false;   // --user: setresgid/setresuid before the capabilities are set
    bool clear_groups = false; // and setgroups([]) (not allowed in an unprivileged user namespace)
    uid_t uid = 0;             // as seen inside
    gid_t gid = 0;
    std::vector<int> keep_caps; // capability numbers kept (bounding, permitted, effective, ambient)
    int cap_last = 0;           // /proc/sys/kernel/cap_last_cap
    std::vector<std::string> keep_cap_names;
    // what to execute
    std::string exe;               // resolved path
    std::vector<std::string> argv; // argv[0] as typed
    std::vector<std::string> envp;
    std::string cwd;
    bool cwd_explicit = false; // --cwd: failing to enter it is an error, not a warning
    // the filters, installed last: the kill filter (when the policy kills), then the routed one
    // A root caller's command with a writable, id-mapped bind: no setuid or setgid files (they
    // would be host uid 0's). The filter itself (policy/setid.hpp) goes in first.
    bool guard_setid = false;
    std::vector<sock_filter> setid_filter;
    std::vector<sock_filter> kill_filter;  // empty: none (policy/route.hpp)
    std::uint64_t install_key[2] = {0, 0}; // the second install's arguments 3 and 4 (InstallKey)
    std::vector<sock_filter> filter;
    unsigned filter_flags = 0; // the profile's flags, on both filters
    bool listener = false;     // the filter notifies: create a listener for the supervisor
    bool traced = false;       // the filter returns TRACE: wait to be seized by the ptrace engine
    // resource limits: the mechanism holding each, the sandbox's own cgroup paths (limits.v2_path,
    // limits.v1), the command's rlimits, the time limit (launch/limits.hpp)
    limits::Limits limits;
};

// Capability name as the user typed it ("net_admin", "CAP_NET_ADMIN", "NET_ADMIN") -> number.
// Throws a usage error for unknown names.
int capability_number(const std::string& name);
std::string capability_name(int cap); // "CAP_NET_ADMIN"
int cap_last_cap();

// The command's kept capabilities after --cap-add/--cap-drop, as names ("CAP_NET_ADMIN").
std::vector<std::string> kept_capabilities(const options::Run& run);

// --user UID[:GID] or NAME[:GROUP] (names from this host's /etc/passwd and /etc/group). Without
// a group: the user's primary group, else gid = uid. Throws a usage error for unknown names.
struct UserSpec {
    uid_t uid = 0;
    gid_t gid = 0;
};
UserSpec parse_user(const std::string& spec);

// Which namespaces the run gets (after defaults, --ns, --no-ns, --share-net, caller uid).
std::vector<options::Namespace> effective_namespaces(const options::Run& run, bool caller_is_root);
std::string namespace_name(options::Namespace ns);

// Resolve COMMAND like execvp would, with the command's PATH. Throws util::Error with
// exit_code::not_found / cannot_exec before anything is started.
// Paths inside a SRC:DEST bind of `mounts` are checked at their SRC.
std::string resolve_executable(const std::string& command, const std::vector<std::string>& envp,
                               const std::vector<MountStep>& mounts = {});

// Where a path inside the sandbox is on the host, through the SRC:DEST binds of `mounts`.
// Empty when the path is hidden inside (under a tmpfs sandbox mounts, such as /run).
std::string host_path(const std::string& inside, const std::vector<MountStep>& mounts);

// The mount layout's fixed parts, in order (runc's config.json defaults and bubblewrap's --dev,
// rebuilt): exposed for the tests and for `sandbox run --help`.
extern const std::vector<std::string> kMaskedPaths;   // hidden
extern const std::vector<std::string> kReadOnlyPaths; // under a fresh /proc, read-only
extern const std::vector<std::string> kDeviceNodes;   // bound from the host into the new /dev

// The id range a root caller's command runs as, from `subuid`/`subgid` (the files' text).
IdRange root_id_range(const std::string& subuid, const std::string& subgid);

// `filter` is the program to install (the policy's, or the routed one when a supervisor runs);
// `listener`: it returns USER_NOTIF somewhere, so the command creates a listener.
Plan make_plan(const options::Run& run, std::vector<sock_filter> filter, unsigned filter_flags,
               bool listener);

} // namespace launch
