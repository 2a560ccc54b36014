// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "doctor/doctor.hpp"

using doctor::Finding;
using doctor::Status;

namespace {

std::vector<Finding> all_fine() {
    return {{"kernel", Status::Info, "6.8.0 on x86_64", ""},
            {"user namespaces", Status::Ok, "as root: ok; as uid 65534: ok", ""}};
}

std::vector<Finding> with_problems() {
    return {{"kernel", Status::Info, "6.8.0 on x86_64", ""},
            {"apparmor userns", Status::Warn, "restricted",
             "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`"},
            {"seccomp actions", Status::Fail, "missing: USER_NOTIF", "a newer kernel"},
            {"cgroup", Status::Ok, "v2 (unified)", ""}};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return lines;
}

std::string strip_ansi(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\033') {
            while (i < s.size() && s[i] != 'm') ++i;
            continue;
        }
        out += s[i];
    }
    return out;
}

std::size_t open_fds() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("doctor: exit code is 1 only when something fails", "[doctor]") {
    CHECK(doctor::exit_code({}) == 0);
    CHECK(doctor::exit_code(all_fine()) == 0);
    CHECK(doctor::exit_code({{"x", Status::Warn, "d", "r"}}) == 0);
    CHECK(doctor::exit_code(with_problems()) == 1);
}

TEST_CASE("doctor: text output is a heading, an aligned table, remedies, a summary", "[doctor]") {
    const std::string text = doctor::render_text(with_problems(), false);
    const auto lines = lines_of(text);
    REQUIRE(lines.size() >= 7);
    CHECK(lines[0] == "sandbox doctor");
    CHECK(text.find('\033') == std::string::npos);

    // Header and rows: STATUS and DETAIL start in the same column on every line.
    const auto header = std::find_if(lines.begin(), lines.end(),
                                     [](const std::string& l) { return l.rfind("CHECK", 0) == 0; });
    REQUIRE(header != lines.end());
    const std::size_t status_col = header->find("STATUS");
    const std::size_t detail_col = header->find("DETAIL");
    REQUIRE(status_col != std::string::npos);
    REQUIRE(detail_col != std::string::npos);
    const std::vector<std::pair<std::string, std::string>> rows = {{"info", "6.8.0 on x86_64"},
                                                                   {"warn", "restricted"},
                                                                   {"FAIL", "missing: USER_NOTIF"},
                                                                   {"ok", "v2 (unified)"}};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string& row = *(header + 1 + static_cast<std::ptrdiff_t>(i));
        INFO(row);
        CHECK(row.compare(status_col, rows[i].first.size(), rows[i].first) == 0);
        CHECK(row.substr(detail_col) == rows[i].second);
    }

    // A remedy line for each problem, none for ok or info findings without a remedy.
    CHECK(contains(text, "Remedy for apparmor userns: `sysctl -w "
                         "kernel.apparmor_restrict_unprivileged_userns=0`\n"));
    CHECK(contains(text, "Remedy for seccomp actions: a newer kernel\n"));
    CHECK_FALSE(contains(text, "Remedy for kernel"));
    CHECK_FALSE(contains(text, "Remedy for cgroup"));
    CHECK(lines.back() == "2 problem(s): see the remedies above.");
}

TEST_CASE("doctor: all fine says so", "[doctor]") {
    const std::string text = doctor::render_text(all_fine(), false);
    CHECK_FALSE(contains(text, "Remedy for"));
    CHECK(lines_of(text).back() == "Everything sandbox needs works here.");
}

TEST_CASE("doctor: colour changes only the status words", "[doctor]") {
    const auto findings = with_problems();
    const std::string plain = doctor::render_text(findings, false);
    const std::string coloured = doctor::render_text(findings, true);
    CHECK(coloured != plain);
    CHECK(strip_ansi(coloured) == plain);
    CHECK(contains(coloured, "\033[33mwarn\033[0m"));
    CHECK(contains(coloured, "\033[31mFAIL\033[0m"));
    CHECK(contains(coloured, "\033[32mok\033[0m"));
    CHECK_FALSE(contains(coloured, "\033[0m6.8.0")); // info stays plain
}

TEST_CASE("doctor: JSON output", "[doctor]") {
    const std::string out = doctor::render_json(with_problems());
    REQUIRE(!out.empty());
    CHECK(out.back() == '\n');
    CHECK(std::count(out.begin(), out.end(), '\n') == 1);
    const auto j = nlohmann::json::parse(out);
    CHECK(j.at("ok") == false);
    const auto& list = j.at("findings");
    REQUIRE(list.size() == 4);
    CHECK(list[0].at("check") == "kernel");
    CHECK(list[0].at("status") == "info");
    CHECK(list[0].at("remedy") == "");
    CHECK(list[1].at("status") == "warn");
    CHECK(list[2].at("status") == "fail");
    CHECK(list[2].at("detail") == "missing: USER_NOTIF");
    CHECK(list[2].at("remedy") == "a newer kernel");
    CHECK(list[3].at("status") == "ok");

    CHECK(nlohmann::json::parse(doctor::render_json(all_fine())).at("ok") == true);
    const auto empty = nlohmann::json::parse(doctor::render_json({}));
    CHECK(empty.at("findings").empty());
    CHECK(empty.at("ok") == true);
}

TEST_CASE("doctor: probe checks this machine", "[doctor]") {
    const std::size_t fds_before = open_fds();
    const auto findings = doctor::probe();
    REQUIRE_FALSE(findings.empty());
    // Every probe child was reaped, and every fd closed.
    CHECK(::waitpid(-1, nullptr, WNOHANG) == -1);
    CHECK(errno == ECHILD);
    CHECK(open_fds() == fds_before);
    const auto kernel = std::find_if(findings.begin(), findings.end(),
                                     [](const Finding& f) { return f.check == "kernel"; });
    REQUIRE(kernel != findings.end());
    CHECK_FALSE(kernel->detail.empty());
    for (const auto& f : findings) {
        INFO(f.check << ": " << f.detail);
        CHECK_FALSE(f.check.empty());
        CHECK_FALSE(f.detail.empty());
        if (f.status == Status::Warn || f.status == Status::Fail) CHECK_FALSE(f.remedy.empty());
    }
}

TEST_CASE("doctor: which mechanism would hold each resource limit", "[doctor][limits]") {
    launch::limits::Host host;
    host.v2.dir = "/sys/fs/cgroup/unified";
    host.v2.controllers = {"hugetlb"};
    host.v2.writable = true;
    host.v2.root = true;
    host.v1["pids"] = {"/sys/fs/cgroup/pids", true, ""};
    host.v1["memory"] = {"/sys/fs/cgroup/memory", true, ""};
    host.v1["cpu"] = {"/sys/fs/cgroup/cpu", true, ""};
    host.memsw = true;
    launch::limits::Context root;
    const auto as_root = doctor::limits_findings(host, root);
    REQUIRE(as_root.size() == 2);
    CHECK(as_root[0].check == "cgroup delegation");
    CHECK(contains(as_root[0].detail, "v2 /sys/fs/cgroup/unified: controllers hugetlb"));
    CHECK(contains(as_root[0].detail, "pids /sys/fs/cgroup/pids writable"));
    CHECK(as_root[1].check == "resource limits");
    CHECK(as_root[1].status == Status::Ok);
    CHECK(as_root[1].detail ==
          "--pids-limit: cgroup v1 (pids.max); --memory: cgroup v1 (memory.limit_in_bytes, swap "
          "too); --cpus: cgroup v1 (cpu.cfs_quota_us); the default pids limit (4096) holds");

    for (auto& [name, offer] : host.v1) {
        offer.writable = false;
        offer.problem = "not writable: Permission denied (EACCES)";
    }
    host.v2.writable = false;
    host.v2.problem = "not writable: Permission denied (EACCES)";
    launch::limits::Context user;
    user.user_ns = true;
    user.command_uid = 1000;
    const auto as_user = doctor::limits_findings(host, user);
    CHECK(contains(as_user[0].detail, "pids /sys/fs/cgroup/pids not writable"));
    CHECK(as_user[1].status == Status::Info);
    CHECK(contains(as_user[1].detail, "--pids-limit: RLIMIT_NPROC"));
    CHECK(contains(as_user[1].detail, "--memory: RLIMIT_AS, per process"));
    CHECK(contains(as_user[1].detail, "--cpus: cannot be enforced"));
    CHECK(contains(as_user[1].remedy, "systemd-run --user --scope -p Delegate=yes"));
    user.user_ns = false; // --no-ns: no per-sandbox count, the default is skipped
    CHECK(contains(doctor::limits_findings(host, user)[1].detail,
                   "the default pids limit (4096) is skipped"));
    const auto j = nlohmann::json::parse(doctor::render_json(as_user));
    CHECK(j.at("findings")[1].at("check") == "resource limits");
    CHECK(j.at("findings")[1].at("status") == "info");
}
