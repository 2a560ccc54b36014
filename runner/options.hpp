// SPDX-License-Identifier: Apache-2.0
#pragma once
// Plain values decided from the command line. No logic here.
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace options {

enum class Namespace { User, Pid, Mount, Uts, Ipc, Net, Cgroup };

// strace's status= names for how a call ended (-z, -Z, -e status=SET), as bits.
namespace status {
inline constexpr unsigned Successful = 1U << 0;  // returned, not an error
inline constexpr unsigned Failed = 1U << 1;      // returned -1 with an errno
inline constexpr unsigned Unfinished = 1U << 2;  // never returned (exit_group, killed at the call)
inline constexpr unsigned Unavailable = 1U << 3; // returned, result not known (no --results)
inline constexpr unsigned Detached = 1U << 4;    // sandbox detached before it returned
inline constexpr unsigned All = (1U << 5) - 1;
} // namespace status

struct MountRequest {
    enum class Kind { ReadWrite, ReadOnly, Tmpfs, Device } kind;
    std::string path;
};

struct Run {
    // isolation
    std::vector<Namespace> namespaces; // as chosen; empty with --no-ns
    bool namespaces_given = false;     // --ns or --no-ns was used
    // --userns=auto (default): as root, uid 0 inside is an unprivileged host uid; --userns=host:
    // as root, no user namespace: the command's uid 0 is the host's root for every uid check.
    enum class Userns { Auto, Host } userns = Userns::Auto;
    bool map_root_user = false; // map the caller to uid/gid 0 inside
    bool share_net = false;
    std::vector<MountRequest> mounts;
    std::string hostname = "sandbox";
    std::optional<std::string> user;  // --user UID[:GID] or NAME[:GROUP], as typed
    std::vector<std::string> cap_add; // as typed
    std::vector<std::string> cap_drop;
    // environment
    bool clear_env = false;
    std::vector<std::string> env; // K=V
    std::optional<std::string> cwd;
    int kill_after_seconds = 10; // --kill-after: grace period after a forwarded SIGTERM
    // resource limits (launch/limits.hpp decides which mechanism holds each)
    std::optional<std::uint64_t> pids_limit;   // --pids-limit N; 0: none; unset: the default
    std::optional<std::uint64_t> memory_bytes; // --memory BYTES
    std::optional<std::uint64_t> cpu_nanos;    // --cpus FRACTION, in billionths of a CPU
    int time_limit_seconds = 0;                // --time-limit SECONDS; 0: none
    // policy
    std::optional<std::string> policy_file;
    std::optional<std::string> profile_name;
    bool strict = false;
    bool strict_args = false; // --strict-args: 32-bit arguments compared at 32 bits (not runc's)
    // tracing (the notify supervisor)
    std::string trace = "all";              // -e trace=SET
    std::vector<std::string> injections;    // --inject SPEC
    std::vector<std::string> emulations;    // --emulate SYSCALL: the supervisor answers it
    bool audit = false;                     // --audit: log "would deny", deny nothing
    std::optional<std::string> output_file; // -o FILE (default: stderr)
    std::size_t string_limit = 32;          // -s N
    bool verbose = false;                   // -v: execve's environment in full
    bool fd_paths = false;                  // -y
    bool fd_details = false;                // -yy: sockets' protocol and addresses, devices
    unsigned status = status::All;          // -z, -Z, -e status=SET: which calls are printed
    std::vector<std::string> trace_paths;   // -P PATH: only calls that touch these
    bool output_separately = false;         // -ff: with -o FILE, one FILE.TID per thread
    int hex_strings = 0;                    // -x 1 (non-ASCII strings in hex), -xx 2 (all)
    int timestamps = 0;                     // -t 1, -tt 2, -ttt 3
    bool json = false;                      // --json: JSON lines instead of strace lines
    bool summary_only = false;              // -c
    bool summary_too = false;               // -C
    std::string sort;     // -S calls|name|denied|time|errors (default: calls; time with --results)
    bool results = false; // --results: the ptrace engine (return values, -T)
    bool durations = false; // -T
    // what to run
    std::vector<std::string> command;
};

struct PolicyFile {
    std::optional<std::string> file;
    std::optional<std::string> profile;
    bool json = false;
    bool strict = false;
    bool all = false;                 // explain: every syscall, not only those off the default
    std::vector<std::string> cap_add; // --cap-add: the container's capabilities, for includes.caps
    bool pseudo_code = true;          // explain: print libseccomp's pseudo-code
};

// `sandbox attach PID`: the tracing options of run, applied to a running process.
struct Attach {
    pid_t pid = 0;
    Run trace;       // only the tracing fields are used
    int seconds = 0; // --seconds N: detach after N seconds (0: until Ctrl-C or the process exits)
};

struct Doctor {
    bool json = false;
};

// `sandbox check`: run's isolation and policy options; the policy runs in audit mode.
struct Check {
    Run run;              // isolation, policy, command (no tracing options)
    bool json = false;    // --json: the report as JSON
    bool enforce = false; // --enforce: really deny (default: audit, nothing is denied)
};

// `sandbox policy record -o OUT.json`: run's isolation and policy options.
struct Record {
    Run run;             // the policy (--profile/--policy) is the one the command runs under
    std::string output;  // -o OUT.json
    bool append = false; // --append: merge into OUT.json
    bool json = false;   // --json: what was recorded, as JSON (the last line on stderr)
};

// `sandbox policy lint | diff | export | install | audit-log` (runner/app_policy.cpp).
struct PolicyLint {
    std::optional<std::string> file;
    std::optional<std::string> profile;
    bool json = false;
};
struct PolicyDiff {
    std::string a, b; // FILE, or profile:NAME for a bundled profile
    bool json = false;
    std::vector<std::string> cap_add; // the container's capabilities, for includes/excludes.caps
};
struct PolicyExport {
    std::optional<std::string> file;
    std::optional<std::string> profile;
    std::string format;               // "pod" or "spo"
    std::optional<std::string> name;  // default: from the file name
    std::vector<std::string> cap_add; // the container's capabilities, for includes/excludes.caps
    bool json = false;                // --json: the same Kubernetes object as JSON, not YAML
};
struct PolicyInstall {
    std::optional<std::string> file;
    std::optional<std::string> profile;
    std::string kubelet_root = "/var/lib/kubelet";
    std::optional<std::string> name;
    bool force = false; // replace a different NAME.json
    bool json = false;  // --json: what was installed, as JSON
};
struct PolicyAuditLog {
    std::string input = "-"; // FILE, or - for stdin
    std::optional<std::string> policy_file;
    std::optional<std::string> profile;
    bool json = false;
};

} // namespace options
