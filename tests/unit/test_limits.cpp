// SPDX-License-Identifier: Apache-2.0
// Resource limits: the option parsers, the mechanism decision as a pure function over a described
// host, reading /proc/self/cgroup and mountinfo, and the cgroup file writes against a fake tree
// in a temporary directory. One case (root, a writable cgroup2) clones into a real cgroup.
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>
#include <vector>

#include "cli.hpp"
#include "launch/cgroup.hpp"
#include "launch/limits.hpp"
#include "launch/plan.hpp"
#include "launch/spawn.hpp"
#include "support/skip.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using launch::limits::Context;
using launch::limits::Host;
using launch::limits::Limits;
using launch::limits::Mechanism;
using launch::limits::Request;

namespace {

// The exit code and message of a util::Error thrown by `f`; {0, ""} when nothing is thrown.
template <typename F>
std::pair<int, std::string> error_of(F f) {
    try {
        f();
    } catch (const util::Error& e) {
        return {e.exit_code(), std::string(e.what()) + "\nhint: " + e.hint()};
    }
    return {0, ""};
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

// A temporary directory, removed with everything in it.
struct Temp {
    fs::path path;
    Temp() {
        std::string t = (fs::temp_directory_path() / "sandbox-limits-test.XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~Temp() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// This machine's shape: cgroup v1 pids, memory and cpu writable (root), a cgroup2 on
// /sys/fs/cgroup/unified with no controllers for its children.
Host hybrid_root() {
    Host h;
    h.v2.dir = "/sys/fs/cgroup/unified";
    h.v2.controllers = {"hugetlb"};
    h.v2.writable = true;
    h.v2.subtree_writable = true;
    h.v2.root = true;
    h.v1["pids"] = {"/sys/fs/cgroup/pids", true, ""};
    h.v1["memory"] = {"/sys/fs/cgroup/memory/user", true, ""};
    h.v1["cpu"] = {"/sys/fs/cgroup/cpu,cpuacct", true, ""};
    h.memsw = true;
    return h;
}

// The same host for an ordinary user: nothing writable.
Host hybrid_user() {
    Host h = hybrid_root();
    h.v2.writable = false;
    h.v2.subtree_writable = false;
    h.v2.problem = "not writable: Permission denied (EACCES)";
    for (auto& [c, offer] : h.v1) {
        offer.writable = false;
        offer.problem = "not writable: Permission denied (EACCES)";
    }
    return h;
}

// A systemd user session's delegated scope with sandbox alone in it.
Host delegated_v2() {
    Host h;
    h.v2.dir = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/run-1.scope";
    h.v2.controllers = {"cpu", "memory", "pids"};
    h.v2.writable = true;
    h.v2.subtree_writable = true;
    h.v2.only_self = true;
    h.v2_swap = true;
    return h;
}

Context ctx(bool user_ns, uid_t uid) {
    Context c;
    c.user_ns = user_ns;
    c.command_uid = uid;
    c.name = "sandbox-42-0";
    return c;
}

Request asking(std::uint64_t pids, bool explicit_pids, std::uint64_t memory = 0,
               std::uint64_t cpu = 0, int time = 0) {
    Request r;
    r.pids = pids;
    r.pids_explicit = explicit_pids;
    r.memory = memory;
    r.cpu_nanos = cpu;
    r.time_limit = time;
    return r;
}

constexpr std::uint64_t MiB = 1ULL << 20;

} // namespace

// ---- the options' values ----

TEST_CASE("limits: --memory sizes with K/M/G/T suffixes, any case", "[limits][cli]") {
    using launch::limits::parse_memory;
    CHECK(parse_memory("512m") == 512 * MiB);
    CHECK(parse_memory("512M") == 512 * MiB);
    CHECK(parse_memory("64mb") == 64 * MiB);
    CHECK(parse_memory("64MiB") == 64 * MiB);
    CHECK(parse_memory("1g") == 1024 * MiB);
    CHECK(parse_memory("2T") == 2ULL << 40);
    CHECK(parse_memory("65536k") == 64 * MiB);
    CHECK(parse_memory("7340032") == 7 * MiB);
    CHECK(parse_memory("7340032b") == 7 * MiB);
    for (const char* bad : {"12Q", "0", "0m", "", "m", "-1", "1.5g", "64 m", "1k", "5M",
                            "99999999999999999999", "8388608T", "9223372036854775808"}) {
        INFO(bad);
        const auto [code, msg] = error_of([&] { parse_memory(bad); });
        CHECK(code == util::exit_code::usage);
        CHECK(msg.rfind("--memory " + std::string(bad) + ":", 0) == 0);
    }
}

TEST_CASE("limits: --pids-limit N, or 0 for none", "[limits][cli]") {
    using launch::limits::parse_pids;
    CHECK(parse_pids("0") == 0);
    CHECK(parse_pids("20") == 20);
    CHECK(parse_pids("4194304") == 4194304);
    for (const char* bad : {"-5", "-1", "abc", "", "4194305", "12345678", "1.5", "max"}) {
        INFO(bad);
        const auto [code, msg] = error_of([&] { parse_pids(bad); });
        CHECK(code == util::exit_code::usage);
        CHECK(msg.rfind("--pids-limit " + std::string(bad) + ":", 0) == 0);
    }
    // docker's habit gets the spelling that works here
    CHECK(contains(error_of([] { parse_pids("-1"); }).second, "--pids-limit 0"));
}

TEST_CASE("limits: --cpus as docker, in billionths of a CPU", "[limits][cli]") {
    using launch::limits::parse_cpus;
    CHECK(parse_cpus("0.5") == 500000000ULL);
    CHECK(parse_cpus(".5") == 500000000ULL);
    CHECK(parse_cpus("2") == 2000000000ULL);
    CHECK(parse_cpus("1.25") == 1250000000ULL);
    CHECK(parse_cpus("0.01") == 10000000ULL);
    for (const char* bad : {"abc", "0", "0.0", "0.001", "1.2.3", "", ".", "-1", "1e3", "0.5cpu",
                            "99999999", "0.1234567891"}) {
        INFO(bad);
        const auto [code, msg] = error_of([&] { parse_cpus(bad); });
        CHECK(code == util::exit_code::usage);
        CHECK(msg.rfind("--cpus " + std::string(bad) + ":", 0) == 0);
    }
}

TEST_CASE("limits: --time-limit whole seconds, 1 to a year", "[limits][cli]") {
    using launch::limits::parse_time_limit;
    CHECK(parse_time_limit("1") == 1);
    CHECK(parse_time_limit("31536000") == 31536000);
    for (const char* bad : {"0", "31536001", "99999999999", "1.5", "abc", "", "-3", "5s"}) {
        INFO(bad);
        const auto [code, msg] = error_of([&] { parse_time_limit(bad); });
        CHECK(code == util::exit_code::usage);
        CHECK(msg.rfind("--time-limit " + std::string(bad) + ":", 0) == 0);
    }
}

TEST_CASE("limits: run, check and policy record take the limit options", "[limits][cli]") {
    auto c = cli::parse({"run", "--pids-limit", "20", "--memory=64M", "--cpus", "0.5",
                         "--time-limit", "5", "--", "true"});
    const auto* r = std::get_if<cli::Run>(&c);
    REQUIRE(r != nullptr);
    CHECK(r->options.pids_limit == std::optional<std::uint64_t>(20));
    CHECK(r->options.memory_bytes == std::optional<std::uint64_t>(64 * MiB));
    CHECK(r->options.cpu_nanos == std::optional<std::uint64_t>(500000000ULL));
    CHECK(r->options.time_limit_seconds == 5);
    auto plain = cli::parse({"run", "true"});
    CHECK_FALSE(std::get<cli::Run>(plain).options.pids_limit.has_value());

    auto chk = cli::parse({"check", "--profile", "baseline", "--memory", "1G", "--", "true"});
    CHECK(std::get<cli::Check>(chk).options.run.memory_bytes ==
          std::optional<std::uint64_t>(1024 * MiB));
    auto rec =
        cli::parse({"policy", "record", "-o", "/tmp/x.json", "--time-limit", "3", "--", "true"});
    CHECK(std::get<cli::PolicyRecord>(rec).options.run.time_limit_seconds == 3);

    CHECK(error_of([] {
              cli::parse({"run", "--memory", "12Q", "--", "true"});
          }).first == util::exit_code::usage);
    CHECK(error_of([] {
              cli::parse({"check", "--profile", "baseline", "--cpus", "abc", "--", "true"});
          }).first == util::exit_code::usage);
}

TEST_CASE("limits: run --help documents the limits, the default and how to lift it",
          "[limits][cli]") {
    const std::string help = cli::help_text("run");
    for (const char* part : {"--pids-limit N", "Default", "4096", "0 lifts it", "--memory BYTES",
                             "--cpus FRACTION", "--time-limit SECONDS", "RLIMIT_NPROC", "RLIMIT_AS",
                             "cgroup v1", "cgroup v2", "--no-ns", "137"}) {
        INFO(part);
        CHECK(contains(help, part));
    }
}

TEST_CASE("limits: sizes and CPU counts as the note shows them", "[limits]") {
    using launch::limits::format_bytes;
    using launch::limits::format_cpus;
    CHECK(format_bytes(64 * MiB) == "64M");
    CHECK(format_bytes(1024 * MiB) == "1G");
    CHECK(format_bytes(1536 * 1024) == "1536K");
    CHECK(format_bytes(7340033) == "7340033 bytes");
    CHECK(format_cpus(500000000ULL) == "0.5");
    CHECK(format_cpus(2000000000ULL) == "2");
    CHECK(format_cpus(125000000ULL) == "0.125");
}

// ---- the decision ----

TEST_CASE("limits: root on a cgroup v1 hybrid host gets v1 for everything", "[limits][decide]") {
    const Limits l = launch::limits::decide(asking(100, true, 64 * MiB, 500000000ULL, 5),
                                            hybrid_root(), ctx(false, 0));
    CHECK(l.pids_by == Mechanism::CgroupV1);
    CHECK(l.pids == 100);
    CHECK(l.memory_by == Mechanism::CgroupV1);
    CHECK(l.memory_swap);
    CHECK(l.cpu_by == Mechanism::CgroupV1);
    CHECK(l.cpu_quota_us == 50000);
    CHECK(l.cpu_period_us == 100000);
    CHECK(l.time_limit_seconds == 5);
    CHECK(l.v2_path.empty());
    REQUIRE(l.v1.size() == 3);
    CHECK(l.v1[0].controller == "pids");
    CHECK(l.v1[0].path == "/sys/fs/cgroup/pids/sandbox-42-0");
    CHECK(l.v1[1].path == "/sys/fs/cgroup/memory/user/sandbox-42-0");
    CHECK(l.v1[2].path == "/sys/fs/cgroup/cpu,cpuacct/sandbox-42-0");
    CHECK(l.rlimit_nproc == 0);
    CHECK(l.rlimit_as == 0);
    CHECK(l.uses_cgroup());
    CHECK(l.note == "limits: pids 100 (cgroup v1 pids.max), memory 64M (cgroup v1 "
                    "memory.limit_in_bytes and memory.memsw.limit_in_bytes), cpus 0.5 (cgroup v1 "
                    "cpu.cfs_quota_us 50000 per cpu.cfs_period_us 100000), time 5s (sandbox kills "
                    "the whole tree)");
}

TEST_CASE("limits: the default pids limit is quiet", "[limits][decide]") {
    const Limits root = launch::limits::decide(asking(4096, false), hybrid_root(), ctx(false, 0));
    CHECK(root.pids_by == Mechanism::CgroupV1);
    CHECK(root.pids == 4096);
    CHECK(root.note.empty());
    const Limits user =
        launch::limits::decide(asking(4096, false), hybrid_user(), ctx(true, 65534));
    CHECK(user.pids_by == Mechanism::Rlimit);
    CHECK(user.rlimit_nproc == 4096);
    CHECK_FALSE(user.uses_cgroup());
    CHECK(user.note.empty());
    // --pids-limit 0: nothing at all
    const Limits none = launch::limits::decide(asking(0, true), hybrid_root(), ctx(false, 0));
    CHECK(none.pids_by == Mechanism::None);
    CHECK_FALSE(none.uses_cgroup());
}

TEST_CASE("limits: an ordinary user falls back to rlimits in its user namespace",
          "[limits][decide]") {
    const Limits l =
        launch::limits::decide(asking(20, true, 64 * MiB), hybrid_user(), ctx(true, 65534));
    CHECK(l.pids_by == Mechanism::Rlimit);
    CHECK(l.rlimit_nproc == 20);
    CHECK(l.memory_by == Mechanism::Rlimit);
    CHECK(l.rlimit_as == 64 * MiB);
    CHECK_FALSE(l.uses_cgroup());
    CHECK(contains(l.note, "pids 20 (RLIMIT_NPROC, counted in the sandbox's own user namespace)"));
    CHECK(contains(l.note, "memory 64M (RLIMIT_AS: per process"));
}

TEST_CASE("limits: --cpus without a cgroup cpu controller is refused with the remedy",
          "[limits][decide]") {
    const auto [code, msg] = error_of([] {
        launch::limits::decide(asking(4096, false, 0, 500000000ULL), hybrid_user(),
                               ctx(true, 65534));
    });
    CHECK(code == util::exit_code::setup);
    CHECK(contains(msg, "--cpus 0.5 cannot be enforced here"));
    CHECK(contains(msg, "/sys/fs/cgroup/cpu,cpuacct: not writable"));
    CHECK(contains(msg, "systemd-run --user --scope -p Delegate=yes"));
    CHECK(contains(msg, "Nothing was started"));
}

TEST_CASE("limits: without a user namespace RLIMIT_NPROC would count the host's processes",
          "[limits][decide]") {
    // The default is skipped (a normal run must not fail) ...
    const Limits l = launch::limits::decide(asking(4096, false), hybrid_user(), ctx(false, 1000));
    CHECK(l.pids_by == Mechanism::None);
    CHECK(l.rlimit_nproc == 0);
    // ... an explicit limit is refused, saying why.
    const auto [code, msg] =
        error_of([] { launch::limits::decide(asking(20, true), hybrid_user(), ctx(false, 1000)); });
    CHECK(code == util::exit_code::setup);
    CHECK(contains(msg, "every process of uid 1000 on this host"));
    CHECK(contains(msg, "drop --no-ns"));
    // uid 0 is never bound by RLIMIT_NPROC, user namespace or not.
    CHECK(launch::limits::decide(asking(4096, false), hybrid_user(), ctx(true, 0)).pids_by ==
          Mechanism::None);
    CHECK(error_of([] {
              launch::limits::decide(asking(20, true), hybrid_user(), ctx(true, 0));
          }).first == util::exit_code::setup);
}

TEST_CASE("limits: RLIMIT_AS is no limit for a command that keeps CAP_SYS_RESOURCE",
          "[limits][decide]") {
    Context c = ctx(false, 0);
    c.cap_sys_resource = true;
    const auto [code, msg] =
        error_of([&] { launch::limits::decide(asking(0, true, 64 * MiB), hybrid_user(), c); });
    CHECK(code == util::exit_code::setup);
    CHECK(contains(msg, "CAP_SYS_RESOURCE"));
    c.user_ns = true; // there it holds only in the namespace: setrlimit cannot raise past it
    CHECK(launch::limits::decide(asking(0, true, 64 * MiB), hybrid_user(), c).memory_by ==
          Mechanism::Rlimit);
}

TEST_CASE("limits: rlimits never raise what sandbox already runs under", "[limits][decide]") {
    Host h = hybrid_user();
    h.nproc_soft = 64;
    h.as_soft = 32 * MiB;
    const Limits l = launch::limits::decide(asking(100, true, 64 * MiB), h, ctx(true, 1000));
    CHECK(l.rlimit_nproc == 64);
    CHECK(l.rlimit_as == 32 * MiB);
    CHECK(contains(l.note, "pids 64 (RLIMIT_NPROC: your own limit, lower than the 100 asked)"));
    const Limits d = launch::limits::decide(asking(4096, false), h, ctx(true, 1000));
    CHECK(d.rlimit_nproc == 64);
}

TEST_CASE("limits: a delegated cgroup v2 with sandbox alone in it", "[limits][decide]") {
    const Limits l = launch::limits::decide(asking(100, true, 64 * MiB, 2500000000ULL),
                                            delegated_v2(), ctx(true, 1000));
    CHECK(l.pids_by == Mechanism::CgroupV2);
    CHECK(l.memory_by == Mechanism::CgroupV2);
    CHECK(l.memory_swap);
    CHECK(l.cpu_by == Mechanism::CgroupV2);
    CHECK(l.cpu_quota_us == 250000);
    const std::string dir = delegated_v2().v2.dir;
    CHECK(l.v2_parent == dir);
    CHECK(l.v2_path == dir + "/sandbox-42-0");
    CHECK(l.v2_enable == std::vector<std::string>{"pids", "memory", "cpu"});
    // "no internal processes": sandbox waits in a leaf of its own
    CHECK(l.v2_leaf == dir + "/sandbox-42-0-supervisor");
    CHECK(l.v1.empty());
    CHECK(contains(l.note, "pids 100 (cgroup v2 pids.max)"));
    CHECK(contains(l.note, "cpus 2.5 (cgroup v2 cpu.max 250000 100000)"));
}

TEST_CASE("limits: cgroup v2 controllers already enabled, or at the root: no leaf",
          "[limits][decide]") {
    Host h = delegated_v2();
    h.v2.root = true;
    h.v2.only_self = false;
    h.v2.subtree_control = {"pids"};
    const Limits l = launch::limits::decide(asking(100, true, 64 * MiB), h, ctx(false, 0));
    CHECK(l.v2_enable == std::vector<std::string>{"memory"});
    CHECK(l.v2_leaf.empty());
}

TEST_CASE("limits: a cgroup v2 shared with other processes cannot give controllers",
          "[limits][decide]") {
    Host h = delegated_v2();
    h.v2.only_self = false;
    const launch::limits::Choice c = launch::limits::choose_pids(h, ctx(true, 1000));
    CHECK(c.by == Mechanism::Rlimit);
    CHECK(contains(c.why_not, "other processes share it"));
    const auto [code, msg] = error_of(
        [&] { launch::limits::decide(asking(4096, false, 0, 500000000ULL), h, ctx(true, 1000)); });
    CHECK(code == util::exit_code::setup);
    CHECK(contains(msg, "no internal processes"));
    // v2 without the controller, v1 writable: v1 it is
    Host mixed = hybrid_root();
    mixed.v2 = delegated_v2().v2;
    mixed.v2.controllers = {"memory"};
    const Limits l = launch::limits::decide(asking(10, true, 64 * MiB), mixed, ctx(false, 0));
    CHECK(l.pids_by == Mechanism::CgroupV1);
    CHECK(l.memory_by == Mechanism::CgroupV2);
    CHECK(l.v1.size() == 1);
    CHECK_FALSE(l.v2_path.empty());
}

// ---- reading the kernel's files ----

TEST_CASE("limits: /proc/self/cgroup of a hybrid host and of a v2 host", "[limits][proc]") {
    const auto hybrid = launch::limits::parse_proc_cgroup(
        "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/d83d\n2:cpu,cpuacct:/a:b\n0::/\n");
    REQUIRE(hybrid.v2.has_value());
    CHECK(*hybrid.v2 == "/");
    CHECK(hybrid.v1.at("pids") == "/");
    CHECK(hybrid.v1.at("memory") == "/process_api/d83d");
    CHECK(hybrid.v1.at("cpu") == "/a:b");
    CHECK(hybrid.v1.at("cpuacct") == "/a:b");
    CHECK(hybrid.v1.count("name=systemd") == 0);
    const auto v2 = launch::limits::parse_proc_cgroup("0::/user.slice/user-1000.slice/x.scope\n");
    CHECK(*v2.v2 == "/user.slice/user-1000.slice/x.scope");
    CHECK(v2.v1.empty());
}

TEST_CASE("limits: cgroup mounts from mountinfo, and where a cgroup is under them",
          "[limits][proc]") {
    const std::string mountinfo =
        "30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
        "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw\n"
        "35 30 0:31 / /sys/fs/cgroup/cpu,cpuacct rw shared:15 - cgroup cgroup rw,cpu,cpuacct\n"
        "36 30 0:32 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
        "37 30 0:33 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
        "38 30 0:34 / /mnt/with\\040space rw - cgroup cgroup rw,name=systemd,xattr\n";
    const auto m = launch::limits::parse_cgroup_mounts(mountinfo);
    REQUIRE(m.v2.has_value());
    CHECK(m.v2->mount_point == "/sys/fs/cgroup/unified");
    CHECK(m.v1.at("cpu").mount_point == "/sys/fs/cgroup/cpu,cpuacct");
    CHECK(m.v1.at("cpuacct").mount_point == "/sys/fs/cgroup/cpu,cpuacct");
    CHECK(m.v1.at("pids").mount_point == "/sys/fs/cgroup/pids");
    CHECK(m.v1.count("name=systemd") == 0);
    CHECK(m.v1.count("xattr") == 1); // an option, harmless: only pids, memory, cpu are looked up

    using launch::limits::cgroup_dir;
    CHECK(cgroup_dir(*m.v2, "/") == std::optional<std::string>("/sys/fs/cgroup/unified"));
    CHECK(cgroup_dir(m.v1.at("pids"), "/a/b") ==
          std::optional<std::string>("/sys/fs/cgroup/pids/a/b"));
    // a mount of part of the hierarchy shows only what lies under its root
    CHECK(cgroup_dir(m.v1.at("memory"), "/docker/abc") ==
          std::optional<std::string>("/sys/fs/cgroup/memory"));
    CHECK(cgroup_dir(m.v1.at("memory"), "/docker/abc/x") ==
          std::optional<std::string>("/sys/fs/cgroup/memory/x"));
    CHECK_FALSE(cgroup_dir(m.v1.at("memory"), "/docker/abcd").has_value());
    CHECK_FALSE(cgroup_dir(m.v1.at("memory"), "/").has_value());

    const auto spaced = launch::limits::parse_cgroup_mounts(
        "40 30 0:35 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw\n");
    CHECK(spaced.v2->mount_point == "/mnt/my cgroup");
}

TEST_CASE("limits: whom RLIMIT_NPROC counts: the uid map", "[limits][proc]") {
    using launch::limits::map_to_host;
    CHECK(map_to_host("0 100000 65536\n", 0) == std::optional<uid_t>(100000));
    CHECK(map_to_host("0 100000 65536\n", 1000) == std::optional<uid_t>(101000));
    CHECK(map_to_host("1000 1000 1\n", 1000) == std::optional<uid_t>(1000));
    CHECK_FALSE(map_to_host("1000 1000 1\n", 0).has_value());
    CHECK(map_to_host("0 0 4294967295\n", 65534) == std::optional<uid_t>(65534));
}

// ---- the cgroup files, against a fake tree ----

TEST_CASE("limits: probing a cgroup v2 directory (fake tree)", "[limits][cgroup]") {
    Temp t;
    write(t.path / "cgroup.controllers", "cpu memory pids\n");
    write(t.path / "cgroup.subtree_control", "memory\n");
    write(t.path / "cgroup.procs", std::to_string(::getpid()) + "\n");
    write(t.path / "cgroup.type", "domain\n");
    auto v2 = launch::cgroup::probe_v2(t.path.string(), ::getpid());
    CHECK(v2.controllers == std::set<std::string>{"cpu", "memory", "pids"});
    CHECK(v2.subtree_control == std::set<std::string>{"memory"});
    CHECK(v2.writable);
    CHECK(v2.subtree_writable);
    CHECK_FALSE(v2.root);
    CHECK(v2.only_self);
    write(t.path / "cgroup.procs", std::to_string(::getpid()) + "\n1\n");
    CHECK_FALSE(launch::cgroup::probe_v2(t.path.string(), ::getpid()).only_self);
    fs::remove(t.path / "cgroup.type");
    CHECK(launch::cgroup::probe_v2(t.path.string(), ::getpid()).root);
    CHECK(launch::cgroup::procs(t.path.string()) == std::vector<pid_t>{::getpid(), 1});
    const auto missing = launch::cgroup::probe_v2((t.path / "nope").string(), ::getpid());
    CHECK_FALSE(missing.writable);
    CHECK(contains(missing.problem, "ENOENT"));
}

TEST_CASE("limits: the cgroup v2 and v1 limit files (fake tree)", "[limits][cgroup]") {
    Temp t;
    for (const char* f : {"pids.max", "memory.max", "memory.swap.max", "cpu.max"})
        write(t.path / f, "");
    Limits l = launch::limits::decide(asking(100, true, 64 * MiB, 500000000ULL), delegated_v2(),
                                      ctx(true, 1000));
    launch::cgroup::write_v2_limits(t.path.string(), l);
    CHECK(read(t.path / "pids.max") == "100");
    CHECK(read(t.path / "memory.max") == "67108864");
    CHECK(read(t.path / "memory.swap.max") == "0");
    CHECK(read(t.path / "cpu.max") == "50000 100000");

    Temp v1;
    for (const char* f : {"pids.max", "memory.limit_in_bytes", "memory.memsw.limit_in_bytes",
                          "cpu.cfs_period_us", "cpu.cfs_quota_us"})
        write(v1.path / f, "");
    Limits l1 = launch::limits::decide(asking(20, true, 64 * MiB, 250000000ULL), hybrid_root(),
                                       ctx(false, 0));
    for (const char* c : {"pids", "memory", "cpu"})
        launch::cgroup::write_v1_limits(c, v1.path.string(), l1);
    CHECK(read(v1.path / "pids.max") == "20");
    CHECK(read(v1.path / "memory.limit_in_bytes") == "67108864");
    CHECK(read(v1.path / "memory.memsw.limit_in_bytes") == "67108864");
    CHECK(read(v1.path / "cpu.cfs_period_us") == "100000");
    CHECK(read(v1.path / "cpu.cfs_quota_us") == "25000");

    // A file the controller would have made is missing: the error names it and errno.
    fs::remove(t.path / "pids.max");
    const auto [code, msg] = error_of([&] { launch::cgroup::write_v2_limits(t.path.string(), l); });
    CHECK(code == util::exit_code::setup);
    CHECK(contains(msg, (t.path / "pids.max").string()));
    CHECK(contains(msg, "ENOENT"));
}

TEST_CASE("limits: a setup that fails midway leaves no directory behind (fake tree)",
          "[limits][cgroup]") {
    Temp t;
    fs::create_directories(t.path / "pids");
    fs::create_directories(t.path / "memory");
    Host h = hybrid_root();
    h.v1["pids"].dir = (t.path / "pids").string();
    h.v1["memory"].dir = (t.path / "memory").string();
    const Limits l = launch::limits::decide(asking(20, true, 64 * MiB), h, ctx(false, 0));
    REQUIRE(l.v1.size() == 2);
    // mkdir works in the fake tree, but the new directory has no pids.max: the guard throws
    // after undoing what it did.
    const auto [code, msg] = error_of([&] { launch::cgroup::Guard g(l, {}); });
    CHECK(code == util::exit_code::setup);
    CHECK(contains(msg, "pids.max"));
    CHECK(fs::is_empty(t.path / "pids"));
    CHECK(fs::is_empty(t.path / "memory"));

    // cgroup v2 with a leaf: made, then moving sandbox into it fails; the leaf goes again.
    Host v2 = delegated_v2();
    v2.v2.dir = (t.path / "v2").string();
    fs::create_directories(v2.v2.dir);
    const Limits l2 = launch::limits::decide(asking(20, true), v2, ctx(true, 1000));
    REQUIRE_FALSE(l2.v2_leaf.empty());
    CHECK(error_of([&] { launch::cgroup::Guard g(l2, {}); }).first == util::exit_code::setup);
    CHECK(fs::is_empty(t.path / "v2"));
}

TEST_CASE("limits: only the empty cgroups of dead sandboxes are swept", "[limits][cgroup]") {
    Temp t;
    const pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const auto make = [&](const std::string& name, bool old) {
        fs::create_directories(t.path / name);
        if (old) {
            utimbuf times{std::time(nullptr) - 3600, std::time(nullptr) - 3600};
            ::utime((t.path / name).c_str(), &times);
        }
    };
    const std::string d = std::to_string(dead);
    make("sandbox-" + d + "-0", true);            // swept
    make("sandbox-" + d + "-1-supervisor", true); // swept
    make("sandbox-" + d + "-2", false);           // too young: maybe being set up elsewhere
    make("sandbox-1-0", true);                    // pid 1 lives
    make("sandbox-" + d + "-3x", true);           // not our name
    make("other", true);
    make("sandbox-" + d + "-4", true);
    write(t.path / ("sandbox-" + d + "-4") / "busy", "x"); // not empty: rmdir fails, kept
    launch::cgroup::remove_stale(t.path.string());
    CHECK_FALSE(fs::exists(t.path / ("sandbox-" + d + "-0")));
    CHECK_FALSE(fs::exists(t.path / ("sandbox-" + d + "-1-supervisor")));
    CHECK(fs::exists(t.path / ("sandbox-" + d + "-2")));
    CHECK(fs::exists(t.path / "sandbox-1-0"));
    CHECK(fs::exists(t.path / ("sandbox-" + d + "-3x")));
    CHECK(fs::exists(t.path / "other"));
    CHECK(fs::exists(t.path / ("sandbox-" + d + "-4")));
}

// ---- the real thing: clone3 into a cgroup v2, and the cgroup namespace's root ----

namespace {

// Runs `plan` with the command's stdout in a file; returns what it printed.
std::string run_capturing(const launch::Plan& plan) {
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    std::fflush(stdout);
    const int saved = ::dup(1);
    ::dup2(::fileno(out), 1);
    launch::Outcome o;
    try {
        o = launch::run(plan, [](const std::string&) {});
    } catch (...) {
        ::dup2(saved, 1);
        ::close(saved);
        std::fclose(out);
        throw;
    }
    ::dup2(saved, 1);
    ::close(saved);
    CHECK(o.exit_code == 0);
    std::rewind(out);
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, out) != nullptr) text += buf;
    std::fclose(out);
    return text;
}

} // namespace

TEST_CASE("limits: init is cloned into the sandbox's cgroup v2, which roots its cgroup namespace",
          "[limits][cgroup][root]") {
    if (::getuid() != 0) skip_test("needs root: making a cgroup v2 of its own");
    const Host host = launch::cgroup::probe_host();
    if (host.v2.dir.empty() || !host.v2.writable)
        skip_test("no writable cgroup2 here (" + host.v2.problem + ")");
    options::Run run;
    run.namespaces_given = true; // --no-ns: the cgroup alone
    run.pids_limit = 0;          // no limit: the mechanism alone, whichever controllers there are
    run.command = {"cat", "/proc/self/cgroup"};
    launch::Plan plan = launch::make_plan(run, {}, 0, false);
    const std::string name = "sandbox-" + std::to_string(::getpid()) + "-test";
    plan.limits.v2_parent = host.v2.dir;
    plan.limits.v2_path = host.v2.dir + "/" + name;

    std::string out = run_capturing(plan);
    INFO(out);
    CHECK(contains(out, "0::/"));
    CHECK(contains(out, "/" + name + "\n"));
    CHECK_FALSE(fs::exists(plan.limits.v2_path));

    // With a cgroup namespace (made by init once inside): the sandbox's cgroup is its root.
    plan.limits.unshare_cgroup_ns = true;
    out = run_capturing(plan);
    INFO(out);
    CHECK(contains(out, "0::/\n"));
    CHECK_FALSE(contains(out, name));
    CHECK_FALSE(fs::exists(plan.limits.v2_path));
}
