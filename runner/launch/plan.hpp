#pragma once
// Everything the launch needs, decided before the child exists: plain data, no kernel calls
// besides looking things up (PATH, cap_last_cap, uid). launch::run consumes it.
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

#include <linux/filter.h>

#include "options.hpp"
#include "policy/compile.hpp"

namespace launch {

struct MountStep {
    enum class Kind { BindReadWrite, BindReadOnly, Tmpfs } kind;
    std::string path;   // absolute: the target inside
    std::string source; // binds: the absolute host path (the same as path unless SRC:DEST)
};

struct Plan {
    // namespaces
    int clone_flags = 0; // CLONE_NEW* flags
    bool user_ns = false;
    std::string uid_map; // written by the parent into /proc/PID/uid_map
    std::string gid_map;
    // mount layout (with a mount namespace)
    bool new_root = false;         // host root bound read-only, then pivot_root into it
    bool fresh_proc = false;       // a /proc of the new PID namespace
    std::vector<MountStep> mounts; // in order: /tmp tmpfs first, then the user's
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
    std::vector<sock_filter> kill_filter;  // empty: none (policy/route.hpp)
    std::uint64_t install_key[2] = {0, 0}; // the second install's arguments 3 and 4 (InstallKey)
    std::vector<sock_filter> filter;
    unsigned filter_flags = 0; // the profile's flags, on both filters
    bool listener = false;     // the filter notifies: create a listener for the supervisor
    bool traced = false;       // the filter returns TRACE: wait to be seized by the ptrace engine
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
std::string host_path(const std::string& inside, const std::vector<MountStep>& mounts);

// `filter` is the program to install (the policy's, or the routed one when a supervisor runs);
// `listener`: it returns USER_NOTIF somewhere, so the command creates a listener.
Plan make_plan(const options::Run& run, std::vector<sock_filter> filter, unsigned filter_flags,
               bool listener);

} // namespace launch
