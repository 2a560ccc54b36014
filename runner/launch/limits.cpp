// SPDX-License-Identifier: Apache-2.0
#include "launch/limits.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <climits>
#include <linux/capability.h>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>

#include "launch/cgroup.hpp"
#include "launch/plan.hpp"
#include "util/error.hpp"

namespace launch::limits {
namespace {

bool all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

[[noreturn]] void bad_value(const std::string& flag, const std::string& value,
                            const std::string& expected, const std::string& hint = {}) {
    util::throw_usage(fmt::format("{} {}: {}", flag, value, expected),
                      hint.empty() ? "see `sandbox run --help`, Resource limits" : hint);
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string join(const std::set<std::string>& parts) {
    return parts.empty() ? std::string("none") : join(std::vector(parts.begin(), parts.end()), " ");
}

// Whether the caller's cgroup v2 can give the sandbox's cgroup `controller`; why not otherwise.
bool v2_gives(const V2Offer& v2, const std::string& controller, std::string& why) {
    if (v2.dir.empty()) {
        why = "no cgroup2 hierarchy shows your cgroup";
        return false;
    }
    if (v2.controllers.count(controller) == 0) {
        why =
            fmt::format("cgroup v2 {}: no {} controller for its children (cgroup.controllers: {})",
                        v2.dir, controller, join(v2.controllers));
        return false;
    }
    if (!v2.writable) {
        why = fmt::format("cgroup v2 {}: {}", v2.dir, v2.problem);
        return false;
    }
    if (v2.subtree_control.count(controller) != 0) return true;
    if (!v2.subtree_writable) {
        why = fmt::format("cgroup v2 {}: cgroup.subtree_control is not writable", v2.dir);
        return false;
    }
    if (v2.root || v2.only_self) return true;
    why = fmt::format("cgroup v2 {}: other processes share it, so it cannot enable {} for a child "
                      "(\"no internal processes\")",
                      v2.dir, controller);
    return false;
}

bool v1_gives(const Host& host, const std::string& controller, std::string& why) {
    const auto it = host.v1.find(controller);
    if (it == host.v1.end()) {
        why = fmt::format("cgroup v1: no {} hierarchy shows your cgroup", controller);
        return false;
    }
    if (!it->second.writable) {
        why = fmt::format("cgroup v1 {} {}: {}", controller, it->second.dir, it->second.problem);
        return false;
    }
    return true;
}

// v2, else v1; `why` collects the reasons for both.
Mechanism cgroup_for(const Host& host, const std::string& controller, std::string& why) {
    std::string why_v2, why_v1;
    if (v2_gives(host.v2, controller, why_v2)) return Mechanism::CgroupV2;
    if (v1_gives(host, controller, why_v1)) return Mechanism::CgroupV1;
    why =
        fmt::format("no cgroup {} controller sandbox can use ({}; {})", controller, why_v2, why_v1);
    return Mechanism::None;
}

constexpr const char* kCgroupRemedy =
    "run as root (root can make cgroups here), or in a delegated cgroup v2 subtree of your own: "
    "systemd-run --user --scope -p Delegate=yes sandbox run ...; `sandbox doctor` shows what "
    "this machine offers";

std::string pids_where(const Limits& l) {
    switch (l.pids_by) {
    case Mechanism::CgroupV2:
        return "cgroup v2 pids.max";
    case Mechanism::CgroupV1:
        return "cgroup v1 pids.max";
    case Mechanism::Rlimit:
        return "RLIMIT_NPROC, counted in the sandbox's own user namespace";
    case Mechanism::None:
        break;
    }
    return "none";
}

std::string memory_where(const Limits& l) {
    switch (l.memory_by) {
    case Mechanism::CgroupV2:
        return l.memory_swap ? "cgroup v2 memory.max, memory.swap.max 0" : "cgroup v2 memory.max";
    case Mechanism::CgroupV1:
        return l.memory_swap ? "cgroup v1 memory.limit_in_bytes and memory.memsw.limit_in_bytes"
                             : "cgroup v1 memory.limit_in_bytes (no swap accounting here)";
    case Mechanism::Rlimit:
        return "RLIMIT_AS: per process, and address space rather than memory used";
    case Mechanism::None:
        break;
    }
    return "none";
}

std::string cpu_where(const Limits& l) {
    if (l.cpu_by == Mechanism::CgroupV2)
        return fmt::format("cgroup v2 cpu.max {} {}", l.cpu_quota_us, l.cpu_period_us);
    return fmt::format("cgroup v1 cpu.cfs_quota_us {} per cpu.cfs_period_us {}", l.cpu_quota_us,
                       l.cpu_period_us);
}

} // namespace

// ---- the options' values ----

std::uint64_t parse_pids(const std::string& value) {
    const char* expected = "expected a number of processes from 1 to 4194304, or 0 for no limit";
    if (!all_digits(value) || value.size() > 7)
        bad_value("--pids-limit", value, expected,
                  "--pids-limit 0 lifts the limit (docker's --pids-limit -1)");
    const std::uint64_t n = std::stoull(value);
    if (n > max_pids) bad_value("--pids-limit", value, expected);
    return n;
}

std::uint64_t parse_memory(const std::string& value) {
    const char* expected = "expected a size in bytes with an optional K, M, G or T suffix "
                           "(powers of 1024), e.g. 512m or 1G";
    std::size_t digits = 0;
    while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits])) != 0)
        ++digits;
    if (digits == 0) bad_value("--memory", value, expected);
    static const std::map<std::string, unsigned> shifts = {
        {"", 0},     {"b", 0},  {"k", 10},  {"kb", 10},  {"kib", 10}, {"m", 20},  {"mb", 20},
        {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30}, {"t", 40},   {"tb", 40}, {"tib", 40}};
    const auto unit = shifts.find(lower(value.substr(digits)));
    if (unit == shifts.end()) bad_value("--memory", value, expected);
    const std::string number = value.substr(0, digits);
    const char* too_large = "too large (at most 8191P, 2^63 - 1 bytes)";
    if (number.size() > 19) bad_value("--memory", value, too_large);
    const std::uint64_t n = std::stoull(number);
    if (n == 0) bad_value("--memory", value, "a memory limit must be more than 0");
    if (unit->second > 0 && n > (std::uint64_t{INT64_MAX} >> unit->second))
        bad_value("--memory", value, too_large);
    const std::uint64_t bytes = n << unit->second;
    if (bytes > std::uint64_t{INT64_MAX}) bad_value("--memory", value, too_large);
    if (bytes < min_memory)
        bad_value("--memory", value, "at least 6M (docker's minimum): less cannot start a program");
    return bytes;
}

std::uint64_t parse_cpus(const std::string& value) {
    const char* expected =
        "expected a number of CPUs from 0.01 up, e.g. 0.5 (half a CPU), 1 or 2.5";
    const auto dot = value.find('.');
    const std::string whole = value.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : value.substr(dot + 1);
    if ((whole.empty() && frac.empty()) || (!whole.empty() && !all_digits(whole)) ||
        (dot != std::string::npos && !all_digits(frac)) || whole.size() > 6 || frac.size() > 9)
        bad_value("--cpus", value, expected);
    const std::uint64_t w = whole.empty() ? 0 : std::stoull(whole);
    std::uint64_t f = 0;
    if (!frac.empty()) f = std::stoull((frac + "000000000").substr(0, 9));
    const std::uint64_t nanos = w * 1000000000ULL + f;
    if (nanos < min_cpu_nanos)
        bad_value("--cpus", value,
                  "at least 0.01 (the kernel's smallest quota is 1 ms per 100 ms period)");
    if (nanos > max_cpu_nanos) bad_value("--cpus", value, "at most 65536");
    return nanos;
}

int parse_time_limit(const std::string& value) {
    const std::string expected =
        fmt::format("expected a whole number of seconds from 1 to {} (a year)", max_time_limit);
    if (!all_digits(value) || value.size() > 9) bad_value("--time-limit", value, expected);
    const long n = std::stol(value);
    if (n < 1 || n > max_time_limit) bad_value("--time-limit", value, expected);
    return static_cast<int>(n);
}

std::string format_bytes(std::uint64_t bytes) {
    if (bytes == 0) return "0";
    for (auto [shift, suffix] : {std::pair{40U, "T"}, {30U, "G"}, {20U, "M"}, {10U, "K"}})
        if (bytes % (std::uint64_t{1} << shift) == 0)
            return fmt::format("{}{}", bytes >> shift, suffix);
    return fmt::format("{} bytes", bytes);
}

std::string format_cpus(std::uint64_t nanos) {
    std::string out = std::to_string(nanos / 1000000000ULL);
    std::string frac = fmt::format("{:09}", nanos % 1000000000ULL);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac.empty() ? out : out + "." + frac;
}

Request request_for(const options::Run& run) {
    Request r;
    r.pids = run.pids_limit.value_or(default_pids);
    r.pids_explicit = run.pids_limit.has_value();
    r.memory = run.memory_bytes.value_or(0);
    r.cpu_nanos = run.cpu_nanos.value_or(0);
    r.time_limit = run.time_limit_seconds;
    return r;
}

// ---- the decision ----

Choice choose_pids(const Host& host, const Context& ctx) {
    Choice c;
    c.by = cgroup_for(host, "pids", c.why_not);
    if (c.by != Mechanism::None) return c;
    if (!ctx.user_ns)
        c.why_not += fmt::format(", and without a user namespace RLIMIT_NPROC would count every "
                                 "process of uid {} on this host, not only the sandbox's",
                                 ctx.command_uid);
    else if (ctx.command_uid == 0)
        c.why_not +=
            ", and the command's processes are host uid 0, which RLIMIT_NPROC does not bind";
    else
        c.by = Mechanism::Rlimit; // in the sandbox's own user namespace: only its processes count
    return c;
}

Choice choose_memory(const Host& host, const Context& ctx) {
    Choice c;
    c.by = cgroup_for(host, "memory", c.why_not);
    if (c.by != Mechanism::None) return c;
    if (!ctx.user_ns && ctx.cap_sys_resource)
        c.why_not +=
            ", and the command keeps CAP_SYS_RESOURCE, with which it could raise RLIMIT_AS";
    else
        c.by = Mechanism::Rlimit;
    return c;
}

Choice choose_cpu(const Host& host, const Context&) {
    Choice c;
    c.by = cgroup_for(host, "cpu", c.why_not);
    if (c.by == Mechanism::None)
        c.why_not += ", and no rlimit shares CPU time (RLIMIT_CPU ends a process after N seconds "
                     "of CPU in all)";
    return c;
}

Limits decide(const Request& r, const Host& host, const Context& ctx) {
    Limits l;
    l.time_limit_seconds = r.time_limit;
    std::vector<std::string> asked; // for the note
    if (r.pids > 0) {
        const Choice c = choose_pids(host, ctx);
        if (c.by == Mechanism::None && r.pids_explicit)
            util::throw_setup(
                fmt::format("--pids-limit {} cannot be enforced here: {}", r.pids, c.why_not),
                fmt::format("keep the user namespace (drop --no-ns, or add user to --ns), or {}; "
                            "--pids-limit 0 runs without a limit. Nothing was started",
                            kCgroupRemedy));
        if (c.by != Mechanism::None) {
            l.pids_by = c.by;
            l.pids = r.pids;
            if (c.by == Mechanism::Rlimit) {
                // Never raise what sandbox itself runs under (the caller's `ulimit -u`).
                l.pids = std::min<std::uint64_t>(r.pids, host.nproc_soft);
                l.rlimit_nproc = static_cast<rlim_t>(l.pids);
            }
            if (r.pids_explicit) {
                std::string where = pids_where(l);
                if (l.pids < r.pids)
                    where = fmt::format("RLIMIT_NPROC: your own limit, lower than the {} asked",
                                        r.pids);
                asked.push_back(fmt::format("pids {} ({})", l.pids, where));
            }
        }
    }
    if (r.memory > 0) {
        const Choice c = choose_memory(host, ctx);
        if (c.by == Mechanism::None)
            util::throw_setup(fmt::format("--memory {} cannot be enforced here: {}",
                                          format_bytes(r.memory), c.why_not),
                              fmt::format("{}. Nothing was started", kCgroupRemedy));
        l.memory_by = c.by;
        l.memory = r.memory;
        l.memory_swap = (c.by == Mechanism::CgroupV1 && host.memsw) ||
                        (c.by == Mechanism::CgroupV2 && host.v2_swap);
        if (c.by == Mechanism::Rlimit) {
            l.memory = std::min<std::uint64_t>(r.memory, host.as_soft);
            l.rlimit_as = static_cast<rlim_t>(l.memory);
        }
        asked.push_back(fmt::format(
            "memory {} ({})", format_bytes(l.memory),
            l.memory < r.memory ? "RLIMIT_AS: your own limit, lower than asked" : memory_where(l)));
    }
    if (r.cpu_nanos > 0) {
        const Choice c = choose_cpu(host, ctx);
        if (c.by == Mechanism::None)
            util::throw_setup(fmt::format("--cpus {} cannot be enforced here: {}",
                                          format_cpus(r.cpu_nanos), c.why_not),
                              fmt::format("{}. Nothing was started", kCgroupRemedy));
        l.cpu_by = c.by;
        l.cpu_nanos = r.cpu_nanos;
        l.cpu_period_us = cpu_period_us;
        l.cpu_quota_us = r.cpu_nanos * cpu_period_us / 1000000000ULL;
        asked.push_back(fmt::format("cpus {} ({})", format_cpus(r.cpu_nanos), cpu_where(l)));
    }
    if (r.time_limit > 0)
        asked.push_back(fmt::format("time {}s (sandbox kills the whole tree)", r.time_limit));

    // The cgroups: one v2 child of the caller's cgroup, and/or one v1 child per hierarchy.
    std::vector<std::string> v2_needed;
    std::vector<std::pair<std::string, Mechanism>> used = {
        {"pids", l.pids_by}, {"memory", l.memory_by}, {"cpu", l.cpu_by}};
    for (const auto& [controller, by] : used) {
        if (by == Mechanism::CgroupV2) v2_needed.push_back(controller);
        if (by != Mechanism::CgroupV1) continue;
        // Co-mounted controllers (cpu,cpuacct) get the same path: launch::run makes it once.
        l.v1.push_back({controller, host.v1.at(controller).dir + "/" + ctx.name});
    }
    if (!v2_needed.empty()) {
        l.v2_parent = host.v2.dir;
        l.v2_path = host.v2.dir + "/" + ctx.name;
        for (const auto& c : v2_needed)
            if (host.v2.subtree_control.count(c) == 0) l.v2_enable.push_back(c);
        // Controllers can be enabled in the parent only while no process is in it (the root
        // excepted): sandbox waits in a leaf of its own meanwhile.
        if (!l.v2_enable.empty() && !host.v2.root)
            l.v2_leaf = host.v2.dir + "/" + ctx.name + "-supervisor";
    }
    if (!asked.empty()) l.note = "limits: " + join(asked, ", ");
    return l;
}

std::string mechanism_name(Mechanism m) {
    switch (m) {
    case Mechanism::None:
        return "none";
    case Mechanism::CgroupV2:
        return "cgroup v2";
    case Mechanism::CgroupV1:
        return "cgroup v1";
    case Mechanism::Rlimit:
        return "rlimit";
    }
    return "?";
}

// ---- reading the kernel's files ----

ProcCgroup parse_proc_cgroup(const std::string& text) {
    ProcCgroup out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto a = line.find(':');
        const auto b = a == std::string::npos ? a : line.find(':', a + 1);
        if (b == std::string::npos) continue;
        const std::string id = line.substr(0, a);
        const std::string controllers = line.substr(a + 1, b - a - 1);
        const std::string path = line.substr(b + 1);
        if (id == "0" && controllers.empty()) {
            out.v2 = path;
            continue;
        }
        std::size_t start = 0;
        while (start <= controllers.size()) {
            auto end = controllers.find(',', start);
            if (end == std::string::npos) end = controllers.size();
            const std::string c = controllers.substr(start, end - start);
            if (!c.empty() && c.rfind("name=", 0) != 0) out.v1[c] = path;
            start = end + 1;
        }
    }
    return out;
}

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() &&
            s.substr(i + 1, 3).find_first_not_of("01234567") == std::string::npos) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
            i += 3;
            continue;
        }
        out += s[i];
    }
    return out;
}

} // namespace

CgroupMounts parse_cgroup_mounts(const std::string& mountinfo) {
    CgroupMounts out;
    std::istringstream in(mountinfo);
    std::string line;
    while (std::getline(in, line)) {
        const auto sep = line.find(" - ");
        if (sep == std::string::npos) continue;
        std::istringstream before(line.substr(0, sep));
        std::istringstream after(line.substr(sep + 3));
        std::string id, parent, dev, root, point, fstype, source, super;
        if (!(before >> id >> parent >> dev >> root >> point)) continue;
        if (!(after >> fstype >> source >> super)) continue;
        const CgroupMount m{unescape(root), unescape(point)};
        if (fstype == "cgroup2") {
            // The first one that shows the whole hierarchy wins; else the first one.
            if (!out.v2 || (out.v2->root != "/" && m.root == "/")) out.v2 = m;
            continue;
        }
        if (fstype != "cgroup") continue;
        std::size_t start = 0;
        while (start <= super.size()) {
            auto end = super.find(',', start);
            if (end == std::string::npos) end = super.size();
            const std::string opt = super.substr(start, end - start);
            if (!opt.empty() && opt.find('=') == std::string::npos && opt != "rw" && opt != "ro") {
                auto it = out.v1.find(opt);
                if (it == out.v1.end() || (it->second.root != "/" && m.root == "/"))
                    out.v1[opt] = m;
            }
            start = end + 1;
        }
    }
    return out;
}

std::optional<std::string> cgroup_dir(const CgroupMount& mount, const std::string& path) {
    if (path.empty() || path[0] != '/') return std::nullopt;
    std::string rest;
    if (mount.root == "/") {
        rest = path;
    } else if (path == mount.root) {
        rest = "/";
    } else if (path.size() > mount.root.size() &&
               path.compare(0, mount.root.size(), mount.root) == 0 &&
               path[mount.root.size()] == '/') {
        rest = path.substr(mount.root.size());
    } else {
        return std::nullopt;
    }
    if (rest == "/") return mount.mount_point;
    return mount.mount_point + rest;
}

std::optional<uid_t> map_to_host(const std::string& uid_map, uid_t inside) {
    std::istringstream in(uid_map);
    unsigned long long first = 0, outside = 0, count = 0;
    while (in >> first >> outside >> count)
        if (inside >= first && inside - first < count)
            return static_cast<uid_t>(outside + (inside - first));
    return std::nullopt;
}

// ---- the run's limits ----

Limits for_run(const options::Run& run, const Plan& plan) {
    const Request request = request_for(run);
    if (request.pids == 0 && request.memory == 0 && request.cpu_nanos == 0)
        return decide(request, Host{}, Context{}); // only the timer, if anything: no probing
    static std::atomic<unsigned> launches{0};
    Context ctx;
    ctx.user_ns = plan.user_ns;
    // clone keeps the caller's credentials; only --user changes the command's uid (through the
    // user namespace's map when there is one).
    ctx.command_uid = ::getuid();
    if (plan.unprivileged_root) // a root caller's command: uid 0 (or --user) of its range
        ctx.command_uid =
            map_to_host(plan.uid_map, plan.switch_ids ? plan.uid : 0).value_or(ctx.command_uid);
    else if (plan.switch_ids)
        ctx.command_uid =
            plan.user_ns ? map_to_host(plan.uid_map, plan.uid).value_or(ctx.command_uid) : plan.uid;
    const auto keeps = [&plan](int cap) {
        return std::find(plan.keep_caps.begin(), plan.keep_caps.end(), cap) != plan.keep_caps.end();
    };
    ctx.cap_sys_resource = keeps(CAP_SYS_RESOURCE);
    ctx.name = fmt::format("sandbox-{}-{}", ::getpid(), launches++);
    return decide(request, cgroup::probe_host(), ctx);
}

} // namespace launch::limits
