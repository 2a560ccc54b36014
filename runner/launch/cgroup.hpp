// SPDX-License-Identifier: Apache-2.0
#pragma once
// The kernel side of resource limits: what this host offers to this process (probe_host, read
// from /proc and the cgroup filesystems, nothing changed), and the cgroup(s) of one run (Guard):
// created with their limits before clone, init put into them before it runs anything, everything
// left in them killed and the directories removed afterwards, also when setup fails midway.
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "launch/limits.hpp"
#include "util/unique_fd.hpp"

namespace launch::cgroup {

// What this host offers: the caller's cgroup v2 (delegated, writable, which controllers), its
// cgroup v1 pids/memory/cpu directories (writable), and sandbox's own rlimits.
limits::Host probe_host();

// The pieces of probe_host, readable against any directory (the tests use a fake tree).
limits::V2Offer probe_v2(const std::string& dir, pid_t self);
limits::V1Offer probe_v1(const std::string& dir);

// The limit files of one cgroup: v2 pids.max, memory.max (and memory.swap.max 0), cpu.max; v1
// pids.max, memory.limit_in_bytes (and memory.memsw.limit_in_bytes), cpu.cfs_period_us and
// cpu.cfs_quota_us. Only for the limits `l` holds by that version (v1: of that controller).
// The files must exist (they do once the controller is enabled); throws util::Error(setup).
void write_v2_limits(const std::string& dir, const limits::Limits& l);
void write_v1_limits(const std::string& controller, const std::string& dir,
                     const limits::Limits& l);

// The pids in DIR/cgroup.procs (empty when it cannot be read).
std::vector<pid_t> procs(const std::string& dir);

// Empty cgroups `sandbox-PID-N` (and `-supervisor`) under `parent` that a sandbox killed with
// SIGKILL left behind: their PID is gone and they are more than a minute old.
void remove_stale(const std::string& parent) noexcept;

// The cgroups of one run, as decided in `l` (l.v2_path, l.v1). The constructor creates them and
// writes their limits (throws util::Error(setup) naming the file, errno and the remedy, after
// undoing what it did); the destructor kills what is left in them, waits until they are empty,
// removes them and undoes the v2 parent's changes, warning when something cannot be removed.
class Guard {
public:
    using Warn = std::function<void(const std::string&)>;
    Guard(const limits::Limits& l, Warn warn);
    ~Guard();
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

    // cgroup v2: the directory fd for clone3's CLONE_INTO_CGROUP; -1 without a v2 cgroup.
    [[nodiscard]] int clone_fd() const { return v2_fd_.get(); }
    // cgroup v1: init's pid into each cgroup.procs (before it runs anything); with `v2_too`,
    // into the v2 cgroup as well (init was cloned without CLONE_INTO_CGROUP). Throws.
    void attach(pid_t init, bool v2_too = false) const;
    // SIGKILL to every process in the cgroups (v2: cgroup.kill where the kernel has it).
    void kill_all() const noexcept;
    // How many processes the OOM killer killed in the sandbox's memory cgroup (oom_kill in v1
    // memory.oom_control, v2 memory.events); 0 without a memory cgroup.
    [[nodiscard]] long oom_kills() const noexcept;

private:
    void create();
    void cleanup() noexcept;

    limits::Limits limits_;
    Warn warn_;
    std::vector<std::string> made_;    // the sandbox's directories, in the order made
    std::vector<std::string> enabled_; // controllers enabled in limits_.v2_parent
    bool leaf_made_ = false;
    bool moved_self_ = false;
    util::unique_fd v2_fd_;
};

} // namespace launch::cgroup
