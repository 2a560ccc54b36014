// SPDX-License-Identifier: Apache-2.0
#pragma once
// Resource limits (--pids-limit, --memory, --cpus, --time-limit), decided as data: what the run
// asks for (Request), what this host offers to this caller (Host: cgroup v2 delegation, cgroup v1
// controllers, the current rlimits) and the facts of the run that decide whether an rlimit holds
// (Context) go in; out comes which mechanism holds each limit and the cgroup paths to create
// (Limits, a member of launch::Plan). Everything here is pure except for_run, which probes the
// host (launch/cgroup.cpp). launch::run creates the cgroups (launch/cgroup.*), the command's
// steps set the rlimits (launch/child.cpp), the parent keeps the time limit (launch/spawn.cpp).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

#include "options.hpp"

namespace launch {

struct Plan;

namespace limits {

// Without --pids-limit: enough for any normal run, too few for a fork bomb to take the host's
// pids (pid_max is 32768 or more). --pids-limit 0 lifts it.
inline constexpr std::uint64_t default_pids = 4096;
inline constexpr std::uint64_t max_pids = 4194304;                // PID_MAX_LIMIT
inline constexpr std::uint64_t min_memory = 6ULL << 20;           // docker's minimum, 6M
inline constexpr std::uint64_t cpu_period_us = 100000;            // docker's CFS period, 100 ms
inline constexpr std::uint64_t min_cpu_nanos = 10000000;          // 0.01 CPU: a 1 ms quota
inline constexpr std::uint64_t max_cpu_nanos = 65536000000000ULL; // 65536 CPUs
inline constexpr int max_time_limit = 31536000;                   // a year, in seconds

// ---- the options' values (each throws util::Error(usage) naming the option) ----

std::uint64_t parse_pids(const std::string& value);   // N (1..4194304), or 0: no limit
std::uint64_t parse_memory(const std::string& value); // 512m, 1G, 65536k, 1gb, 2MiB: bytes
std::uint64_t parse_cpus(const std::string& value); // 0.5: billionths of a CPU (docker's NanoCPUs)
int parse_time_limit(const std::string& value);     // whole seconds, 1..a year

std::string format_bytes(std::uint64_t bytes); // "64M", "1G", "1536K", "123456 bytes"
std::string format_cpus(std::uint64_t nanos);  // "0.5", "2", "0.125"

// ---- what is asked ----

struct Request {
    std::uint64_t pids = 0;      // 0: no pids limit
    bool pids_explicit = false;  // --pids-limit given (else: the default, which may be skipped)
    std::uint64_t memory = 0;    // bytes; 0: none
    std::uint64_t cpu_nanos = 0; // 0: none
    int time_limit = 0;          // seconds; 0: none
};
Request request_for(const options::Run& run);

// ---- what the host offers ----

// The caller's own cgroup v2 (the 0:: line of /proc/self/cgroup under the cgroup2 mount).
struct V2Offer {
    std::string dir;                       // on the host; empty: no cgroup2 mounted or visible
    std::set<std::string> controllers;     // cgroup.controllers: what its children may get
    std::set<std::string> subtree_control; // cgroup.subtree_control: enabled for its children
    bool writable = false;                 // a child directory can be made and cgroup.procs written
    bool subtree_writable = false;         // cgroup.subtree_control can be written
    bool root = false;                     // the real root cgroup (no cgroup.type): no "internal
                       // processes" rule, controllers can be enabled with us in it
    bool only_self = false; // cgroup.procs lists only sandbox itself: it may move to a
                            // leaf so controllers can be enabled for the sandbox's cgroup
    std::string problem;    // why it is not writable, for messages ("" when it is)
};

// The caller's own cgroup in one v1 controller's hierarchy.
struct V1Offer {
    std::string dir; // on the host
    bool writable = false;
    std::string problem;
};

struct Host {
    V2Offer v2;
    std::map<std::string, V1Offer> v1; // "pids", "memory", "cpu": the mounted ones
    bool memsw = false;                // v1 memory.memsw.limit_in_bytes exists (swap accounting)
    bool v2_swap = false;              // v2 memory.swap.max exists
    rlim_t nproc_soft = RLIM_INFINITY; // sandbox's own current rlimits: never raised
    rlim_t as_soft = RLIM_INFINITY;
};

// The facts of the run that decide whether an rlimit holds.
struct Context {
    bool user_ns = false;          // the command has its own user namespace
    uid_t command_uid = 0;         // the host uid its processes run as (whom RLIMIT_NPROC counts)
    bool cap_sys_resource = false; // kept without a user namespace: it could raise its rlimits
    std::string name;              // the cgroup's directory name, "sandbox-PID-N"
};

// ---- what is decided ----

enum class Mechanism { None, CgroupV2, CgroupV1, Rlimit };

struct V1Dir {
    std::string controller; // "pids", "memory", "cpu"
    std::string path;       // the sandbox's cgroup in that hierarchy
};

// Which mechanism holds each limit, with what value; the cgroups to create. launch::Plan carries
// it; launch::run and the command consume it.
struct Limits {
    std::uint64_t pids = 0; // processes and threads, init included
    Mechanism pids_by = Mechanism::None;
    std::uint64_t memory = 0; // bytes
    Mechanism memory_by = Mechanism::None;
    bool memory_swap = false; // and swap: v1 memory.memsw.limit_in_bytes, v2 memory.swap.max 0
    std::uint64_t cpu_quota_us = 0; // per cpu_period_us
    std::uint64_t cpu_period_us = 0;
    std::uint64_t cpu_nanos = 0; // as asked, for messages
    Mechanism cpu_by = Mechanism::None;
    int time_limit_seconds = 0; // 0: none; kept by sandbox itself (launch::run)

    // THE SANDBOX'S OWN CGROUP(S), created by launch::run before clone and removed after the run
    // (to show only them inside, bind v2_path at /sys/fs/cgroup, or each v1 path at
    // /sys/fs/cgroup/<controller>). Empty: no cgroup is created.
    std::string v2_path;                // cgroup v2: "<v2_parent>/<name>"; init is cloned into it
    std::string v2_parent;              // the caller's own cgroup
    std::vector<std::string> v2_enable; // controllers sandbox enables in v2_parent's
                                        // cgroup.subtree_control (and disables again after)
    std::string v2_leaf;   // "<v2_parent>/<name>-supervisor": where sandbox itself waits while the
                           // controllers are enabled in v2_parent ("no internal processes")
    std::vector<V1Dir> v1; // cgroup v1: init's pid is written into each before "go"

    // Rlimits the command sets right before its filter (0: leave the inherited one).
    rlim_t rlimit_nproc = 0;
    rlim_t rlimit_as = 0;

    // Init makes the cgroup namespace itself, once it is inside the sandbox's cgroup, so that
    // cgroup is the namespace's root (clone would make it at sandbox's own cgroup).
    bool unshare_cgroup_ns = false;

    // "limits: pids 100 (cgroup v1 pids.max), ..." for the limits the user asked for; empty when
    // only the default holds.
    std::string note;

    [[nodiscard]] bool uses_cgroup() const { return !v2_path.empty() || !v1.empty(); }
};

// Which mechanism could hold each kind of limit here (None: none; why_not says why).
struct Choice {
    Mechanism by = Mechanism::None;
    std::string why_not;
};
Choice choose_pids(const Host& host, const Context& ctx);
Choice choose_memory(const Host& host, const Context& ctx);
Choice choose_cpu(const Host& host, const Context& ctx);

// The decision. A limit asked for that nothing here can hold throws util::Error(setup, 123) with
// the remedy; the default pids limit is skipped instead.
Limits decide(const Request& request, const Host& host, const Context& ctx);

// "cgroup v1 memory.limit_in_bytes", "RLIMIT_NPROC", ...
std::string mechanism_name(Mechanism m);

// ---- reading the kernel's files (pure: the text is given) ----

struct ProcCgroup {
    std::optional<std::string> v2;         // the 0:: line's path
    std::map<std::string, std::string> v1; // controller -> path ("name=systemd" left out)
};
ProcCgroup parse_proc_cgroup(const std::string& text);

struct CgroupMount {
    std::string root;        // the mount's root inside the hierarchy (mountinfo field 4)
    std::string mount_point; // where it is mounted
};
struct CgroupMounts {
    std::optional<CgroupMount> v2;
    std::map<std::string, CgroupMount> v1; // controller -> mount (co-mounted ones share it)
};
CgroupMounts parse_cgroup_mounts(const std::string& mountinfo);

// Where the cgroup at `path` (as /proc/self/cgroup shows it) is under `mount`; nullopt when the
// mount does not show it (its root is elsewhere in the hierarchy).
std::optional<std::string> cgroup_dir(const CgroupMount& mount, const std::string& path);

// The host uid that `inside` maps to through a uid_map text ("inside outside count" lines).
std::optional<uid_t> map_to_host(const std::string& uid_map, uid_t inside);

// ---- the run's limits (probes the host) ----

// The decided limits of the planned run: request_for(run), cgroup::probe_host(), and the facts
// of `plan` (user namespace, the command's uid and capabilities).
Limits for_run(const options::Run& run, const Plan& plan);

} // namespace limits
} // namespace launch
