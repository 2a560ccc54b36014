// SPDX-License-Identifier: Apache-2.0
// Resource limits, end to end: the built sandbox on the probe helper (fork-loop, hog, limits) and
// on sleep, as the current user and as uid 65534. Whichever mechanism this machine gives the
// identity (a cgroup, or rlimits), the limit must hold; after every run no process of it and no
// cgroup directory it made may be left.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <dirent.h>
#include <string>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "launch/cgroup.hpp"

namespace {

using testsupport::gone_within;
using testsupport::kill_leftovers;
using testsupport::require_identity;
using testsupport::RunResult;
using testsupport::split_lines;
using testsupport::unique_sleep_seconds;
using testsupport::value_of;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);

RunResult sandbox(Who who, std::vector<std::string> args, int timeout_seconds = 60) {
    return testsupport::sandbox(sandbox_bin, who, std::move(args),
                                testsupport::timeout(timeout_seconds));
}

RunResult run_probe(Who who, std::vector<std::string> run_opts, std::vector<std::string> actions,
                    int timeout_seconds = 60) {
    run_opts.insert(run_opts.begin(), {"-e", "trace=none"});
    return sandbox(who, testsupport::probe_run_args(probe_bin, run_opts, actions), timeout_seconds);
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

// The cgroup directories named after sandbox process `pid` (sandbox-PID-N, sandbox-PID-N-
// supervisor) under the cgroups this test process is in (sandbox was its child: the same ones).
std::vector<std::string> cgroups_left_by(pid_t pid) {
    const launch::limits::Host host = launch::cgroup::probe_host();
    std::vector<std::string> parents;
    if (!host.v2.dir.empty()) parents.push_back(host.v2.dir);
    for (const auto& [controller, offer] : host.v1) parents.push_back(offer.dir);
    const std::string prefix = "sandbox-" + std::to_string(pid) + "-";
    std::vector<std::string> left;
    for (const auto& parent : parents) {
        DIR* d = ::opendir(parent.c_str());
        if (d == nullptr) continue;
        while (dirent* e = ::readdir(d))
            if (std::string(e->d_name).rfind(prefix, 0) == 0)
                left.push_back(parent + "/" + e->d_name);
        ::closedir(d);
    }
    return left;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + " ";
    return out;
}

#define CHECK_NO_CGROUP_LEFT(result)                                                               \
    do {                                                                                           \
        const auto left_ = cgroups_left_by((result).pid);                                          \
        INFO("cgroups left: " << joined(left_));                                                   \
        CHECK(left_.empty());                                                                      \
    } while (false)

// What `sandbox doctor --json` says would hold --cpus for `who` ("cannot be enforced", ...).
std::string cpus_holder(Who who) {
    auto r = sandbox(who, {"doctor", "--json"});
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& f : j.at("findings"))
        if (f.at("check") == "resource limits") {
            const std::string d = f.at("detail");
            const auto at = d.find("--cpus: ");
            return at == std::string::npos ? d : d.substr(at + 8, d.find(';', at) - at - 8);
        }
    return "no resource limits finding";
}

// The probe's limit lines, without the sandbox (what `who` runs under anyway).
RunResult control_limits(Who who) {
    return testsupport::run({probe_bin, "limits"}, testsupport::as(who));
}

// The namespaces of the default but a cgroup namespace: the probe then finds its cgroup's files
// under the host's /sys/fs/cgroup at the path /proc/self/cgroup shows.
const std::vector<std::string> no_cgroupns = {"--ns", "pid,mount,uts,ipc,net"};

void fork_loop_stops(Who who) {
    require_identity(who);
    const std::string max = std::to_string(1000 + std::stoi(unique_sleep_seconds()) % 1000);
    const std::vector<std::string> cmdline{probe_bin, "fork-loop", "10", max};
    auto r = run_probe(who, {"--pids-limit", "20"}, {"fork-loop", "10", max}, 60);
    INFO(r.describe());
    const bool gone = gone_within(cmdline, 5);
    if (!gone) kill_leftovers(cmdline);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 0);
    // init and the probe count too: 18 children at most, and the 19th fork fails.
    const std::string loop = value_of(r.out, "fork-loop");
    CHECK(contains(loop, "stopped=EAGAIN"));
    const int forked = std::stoi(loop.substr(loop.find('=') + 1));
    CHECK(forked >= 10);
    CHECK(forked <= 18);
    CHECK(contains(r.err, "sandbox: note: limits: pids 20 ("));
    CHECK(gone);
    CHECK_NO_CGROUP_LEFT(r);
}

void default_pids_limit(Who who) {
    require_identity(who);
    auto r = run_probe(who, no_cgroupns, {"limits"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const std::string pids_max = value_of(r.out, "limit-pids.max");
    const std::string nproc = value_of(r.out, "limit-nproc");
    CHECK((pids_max == "4096" || nproc == "4096"));
    CHECK_FALSE(contains(r.err, "limits:")); // quiet about the default
    CHECK_NO_CGROUP_LEFT(r);

    // --pids-limit 0 lifts it.
    const auto control = control_limits(who);
    REQUIRE(control.exit_code == 0);
    auto lifted =
        run_probe(who, {"--ns", "pid,mount,uts,ipc,net", "--pids-limit", "0"}, {"limits"});
    INFO(lifted.describe());
    CHECK(value_of(lifted.out, "limit-pids.max") != "4096");
    CHECK(value_of(lifted.out, "limit-nproc") == value_of(control.out, "limit-nproc"));
    CHECK_NO_CGROUP_LEFT(lifted);

    // Without a user namespace an rlimit would count the host's processes: then the default is
    // skipped, never a reason for a normal run to fail.
    auto no_ns = run_probe(who, {"--no-ns"}, {"limits"});
    INFO(no_ns.describe());
    CHECK(no_ns.exit_code == 0);
    CHECK((value_of(no_ns.out, "limit-pids.max") == "4096" ||
           value_of(no_ns.out, "limit-nproc") == value_of(control.out, "limit-nproc")));
    CHECK_NO_CGROUP_LEFT(no_ns);
}

void memory_hog_stops(Who who) {
    require_identity(who);
    auto r = run_probe(who, {"--memory", "64M"}, {"hog", "512"}, 90);
    INFO(r.describe().substr(0, 3000));
    CHECK_FALSE(r.timed_out);
    int reached = 0;
    for (const auto& line : split_lines(r.out))
        if (line.rfind("hog-at: ", 0) == 0) reached = std::stoi(line.substr(8));
    CHECK(reached < 64);
    CHECK(contains(r.err, "sandbox: note: limits: memory 64M ("));
    if (r.exit_code == 137) { // a memory cgroup: the OOM killer
        CHECK(contains(r.err, "OOM killer"));
    } else { // RLIMIT_AS: the mapping fails
        CHECK(r.exit_code == 0);
        const std::string hog = value_of(r.out, "hog");
        CHECK(contains(hog, "stopped=ENOMEM"));
        CHECK(std::stoi(hog.substr(hog.find('=') + 1)) < 64);
    }
    CHECK_NO_CGROUP_LEFT(r);
}

void time_limit_kills(Who who, bool no_ns) {
    require_identity(who);
    const std::string secs = unique_sleep_seconds();
    const std::string script = "sleep " + secs + " & sleep " + secs + "; wait";
    std::vector<std::string> args{"run", "-e", "trace=none", "--time-limit", "1"};
    if (no_ns) args.push_back("--no-ns");
    args.insert(args.end(), {"--", "sh", "-c", script});
    const auto start = std::chrono::steady_clock::now();
    auto r = sandbox(who, args, 30);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    INFO(r.describe());
    INFO("took " << took << " ms");
    const std::vector<std::string> sleeper{"sleep", secs};
    const bool gone = gone_within(sleeper, 5) && gone_within({"sh", "-c", script}, 1);
    if (!gone) {
        kill_leftovers(sleeper);
        kill_leftovers({"sh", "-c", script});
    }
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 137);
    CHECK(took >= 900);
    CHECK(took < 6000);
    CHECK(contains(r.err, "sandbox: error: sh exceeded --time-limit 1s and was killed"));
    CHECK(gone);
    CHECK_NO_CGROUP_LEFT(r);
}

void cpus_limit(Who who) {
    require_identity(who);
    const std::string holder = cpus_holder(who);
    INFO("doctor: --cpus: " << holder);
    if (holder == "cannot be enforced") {
        auto r = sandbox(who, {"run", "--cpus", "0.5", "--", "sh", "-c", "echo RAN"});
        INFO(r.describe());
        CHECK(r.exit_code == 123);
        CHECK_FALSE(contains(r.out, "RAN"));
        CHECK(contains(r.err, "sandbox: error: --cpus 0.5 cannot be enforced here"));
        CHECK(contains(r.err, "hint: run as root"));
        CHECK(contains(r.err, "Delegate=yes"));
        CHECK_NO_CGROUP_LEFT(r);
        return;
    }
    auto r = run_probe(who, {"--ns", "pid,mount,uts,ipc,net", "--cpus", "0.5"}, {"limits"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(value_of(r.out, "limit-cpu") == "50000 100000"); // v1 quota/period, or v2 cpu.max
    CHECK(contains(r.err, "cpus 0.5 (cgroup v"));
    CHECK_NO_CGROUP_LEFT(r);
}

void failed_setup_leaves_nothing(Who who) {
    require_identity(who);
    auto r = sandbox(who, {"run", "--pids-limit", "20", "--memory", "64M", "--cwd",
                           "/nonexistent-sandbox-limits-dir", "--", "sh", "-c", "echo RAN"});
    INFO(r.describe());
    CHECK(r.exit_code == 123);
    CHECK_FALSE(contains(r.out, "RAN"));
    CHECK_NO_CGROUP_LEFT(r);
}

} // namespace

TEST_CASE("limits: a fork loop stops at --pids-limit 20 (current user)", "[integration][limits]") {
    fork_loop_stops(Who::current);
}
TEST_CASE("limits: a fork loop stops at --pids-limit 20 (uid 65534)", "[integration][limits]") {
    fork_loop_stops(Who::nobody);
}

TEST_CASE("limits: the default pids limit holds, 0 lifts it (current user)",
          "[integration][limits]") {
    default_pids_limit(Who::current);
}
TEST_CASE("limits: the default pids limit holds, 0 lifts it (uid 65534)", "[integration][limits]") {
    default_pids_limit(Who::nobody);
}

TEST_CASE("limits: a memory hog stops at --memory 64M (current user)", "[integration][limits]") {
    memory_hog_stops(Who::current);
}
TEST_CASE("limits: a memory hog stops at --memory 64M (uid 65534)", "[integration][limits]") {
    memory_hog_stops(Who::nobody);
}

TEST_CASE("limits: --time-limit 1 kills the whole tree after a second (current user)",
          "[integration][limits]") {
    time_limit_kills(Who::current, false);
}
TEST_CASE("limits: --time-limit 1 kills the whole tree after a second (uid 65534)",
          "[integration][limits]") {
    time_limit_kills(Who::nobody, false);
}
TEST_CASE("limits: --time-limit 1 kills the whole tree without namespaces (current user)",
          "[integration][limits]") {
    time_limit_kills(Who::current, true);
}
TEST_CASE("limits: --time-limit 1 kills the whole tree without namespaces (uid 65534)",
          "[integration][limits]") {
    time_limit_kills(Who::nobody, true);
}

TEST_CASE("limits: --cpus holds with a cgroup, else exits 123 with the remedy (current user)",
          "[integration][limits]") {
    cpus_limit(Who::current);
}
TEST_CASE("limits: --cpus holds with a cgroup, else exits 123 with the remedy (uid 65534)",
          "[integration][limits]") {
    cpus_limit(Who::nobody);
}

TEST_CASE("limits: a setup failure after the cgroup was made leaves none (current user)",
          "[integration][limits]") {
    failed_setup_leaves_nothing(Who::current);
}
TEST_CASE("limits: a setup failure after the cgroup was made leaves none (uid 65534)",
          "[integration][limits]") {
    failed_setup_leaves_nothing(Who::nobody);
}

TEST_CASE("limits: bad values are usage errors naming the option", "[integration][limits]") {
    require_identity(Who::current);
    const std::vector<std::vector<std::string>> cases = {
        {"run", "--memory", "12Q"},
        {"run", "--memory", "0"},
        {"run", "--pids-limit", "-5"},
        {"run", "--cpus", "abc"},
        {"run", "--time-limit", "0"},
        {"run", "--time-limit", "99999999999"},
        {"check", "--profile", "baseline", "--memory", "12Q"},
        {"policy", "record", "-o", "/tmp/never.json", "--cpus", "0"}};
    for (auto args : cases) {
        const std::string option = args[args.size() - 2] + " " + args.back();
        args.insert(args.end(), {"--", "sh", "-c", "echo RAN"});
        auto r = sandbox(Who::current, args);
        INFO(r.describe());
        CHECK(r.exit_code == 121);
        CHECK(contains(r.err, "sandbox: error: " + option + ": "));
        CHECK_FALSE(contains(r.out, "RAN"));
    }
}
