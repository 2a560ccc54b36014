// SPDX-License-Identifier: Apache-2.0
#include "support/runc.hpp"

#include "support/skip.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/utsname.h>
#include <unistd.h>

namespace testsupport {
namespace {

namespace fs = std::filesystem;

unsigned kernel_version() {
    utsname u{};
    ::uname(&u);
    unsigned major = 0, minor = 0;
    std::sscanf(u.release, "%u.%u", &major, &minor);
    return major * 1000 + minor;
}

bool kernel_at_least(const std::string& version) {
    unsigned major = 0, minor = 0;
    std::sscanf(version.c_str(), "%u.%u", &major, &minor);
    return kernel_version() >= major * 1000 + minor;
}

bool contains(const nlohmann::json& list, const std::string& s) {
    for (const auto& v : list)
        if (v == s) return true;
    return false;
}

} // namespace

std::string find_runc() {
    for (const char* dir :
         {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"}) {
        const std::string p = std::string(dir) + "/runc";
        if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return {};
}

std::map<std::string, std::string> answers(const std::string& out) {
    std::map<std::string, std::string> m;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(": ");
        if (colon != std::string::npos) m[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return m;
}

nlohmann::json as_runtime_sees_it(nlohmann::json p) {
    // Docker (moby profiles/seccomp): on amd64 (runtime.GOARCH), and for a container without
    // capabilities.
    const std::string go_arch = "amd64";
    nlohmann::json rules = nlohmann::json::array();
    for (auto r : p.value("syscalls", nlohmann::json::array())) {
        bool keep = true;
        if (r.contains("includes")) {
            const auto& inc = r["includes"];
            if (inc.contains("caps") && !inc["caps"].empty()) keep = false;
            if (inc.contains("minKernel") && !kernel_at_least(inc["minKernel"])) keep = false;
            if (inc.contains("arches") && !inc["arches"].empty() &&
                !contains(inc["arches"], go_arch))
                keep = false;
        }
        if (r.contains("excludes")) {
            const auto& exc = r["excludes"];
            // excludes.caps: the container has none of them, so the rule stays
            if (exc.contains("arches") && contains(exc["arches"], go_arch)) keep = false;
            if (exc.contains("minKernel") && kernel_at_least(exc["minKernel"])) keep = false;
        }
        if (r.contains("name")) {
            r["names"] = nlohmann::json::array({r["name"]});
            r.erase("name");
        }
        r.erase("includes");
        r.erase("excludes");
        r.erase("comment");
        if (keep) rules.push_back(r);
    }
    p["syscalls"] = rules;
    if (p.contains("archMap")) {
        nlohmann::json arches = nlohmann::json::array();
        for (const auto& e : p["archMap"]) {
            if (e.value("architecture", "") != "SCMP_ARCH_X86_64") continue;
            arches.push_back(e["architecture"]);
            if (e.contains("subArchitectures") && e["subArchitectures"].is_array())
                for (const auto& s : e["subArchitectures"]) arches.push_back(s);
        }
        p.erase("archMap");
        p["architectures"] = arches;
    }
    p.erase("comment");
    return p;
}

Bundle::Bundle(const std::string& runc, const std::string& probe)
    : runc_(runc), dir_(fs::temp_directory_path().string(), 0700) {
    RunResult spec = testsupport::run({runc_, "spec", "--bundle", dir_.path()});
    if (spec.exit_code != 0) throw std::runtime_error("runc spec: " + spec.err);
    // A read-only root of empty mount points and the host's /usr and /etc; the merged-/usr
    // links (/bin -> usr/bin, ...) as on the host; a private /tmp as sandbox gives.
    const fs::path root = fs::path(dir_.path()) / "rootfs";
    fs::create_directories(root);
    for (const char* d : {"bin", "lib", "lib32", "lib64", "libx32", "sbin"}) {
        const fs::path host = fs::path("/") / d;
        if (fs::is_symlink(host))
            fs::create_directory_symlink(fs::read_symlink(host), root / d);
        else if (fs::is_directory(host))
            extra_binds_.push_back(host.string());
    }
    for (const char* d : {"usr", "etc", "proc", "dev", "tmp"}) fs::create_directories(root / d);
    extra_binds_.push_back(fs::path(probe).parent_path().string());
}

RunResult Bundle::run(const std::vector<std::string>& args, const nlohmann::json& seccomp,
                      bool no_new_privs) {
    const fs::path config = fs::path(dir_.path()) / "config.json";
    std::ifstream in(config);
    nlohmann::json c = nlohmann::json::parse(in);
    c["process"]["args"] = args;
    c["process"]["terminal"] = false;
    c["process"]["noNewPrivileges"] = no_new_privs;
    c["root"] = {{"path", "rootfs"}, {"readonly", true}};
    nlohmann::json mounts = nlohmann::json::array();
    for (const auto& m : c["mounts"])
        if (m["type"] != "cgroup") mounts.push_back(m); // cgroup v1 hosts refuse it here
    for (const char* d : {"/usr", "/etc"})
        mounts.push_back(
            {{"destination", d}, {"type", "bind"}, {"source", d}, {"options", {"rbind", "ro"}}});
    mounts.push_back({{"destination", "/tmp"},
                      {"type", "tmpfs"},
                      {"source", "tmpfs"},
                      {"options", {"nosuid", "nodev"}}});
    for (const auto& d : extra_binds_)
        mounts.push_back(
            {{"destination", d}, {"type", "bind"}, {"source", d}, {"options", {"rbind", "ro"}}});
    c["mounts"] = mounts;
    if (seccomp.is_null())
        c["linux"].erase("seccomp");
    else
        c["linux"]["seccomp"] = seccomp;
    std::ofstream(config) << c.dump(2);
    const std::string id =
        "sandbox-test-" + std::to_string(::getpid()) + "-" + std::to_string(++runs_);
    RunOptions o;
    o.timeout_seconds = 60;
    RunResult r = testsupport::run({runc_, "run", "--bundle", dir_.path(), id}, o);
    testsupport::run({runc_, "delete", "--force", id});
    return r;
}

std::unique_ptr<Bundle> require_runc(const std::string& probe) {
    const std::string runc = find_runc();
    if (runc.empty())
        skip_test("runc is not installed (Debian package runc; ./dev.sh installs it)");
    if (::getuid() != 0)
        skip_test("runc needs root here (rootless runc needs a user-owned cgroup)");
    auto bundle = std::make_unique<Bundle>(runc, probe);
    RunResult smoke = bundle->run({probe, "echo", "hello"}, nullptr);
    if (smoke.exit_code != 0 || smoke.out.find("echo: hello") == std::string::npos)
        skip_test("runc cannot start a container on this machine: " + smoke.err);
    return bundle;
}

std::string runc_version(const Bundle& bundle) {
    const RunResult v = testsupport::run({bundle.runc(), "--version"});
    // "runc version 1.1.5+ds1"
    const std::string key = "runc version ";
    const auto at = v.out.find(key);
    if (at == std::string::npos) return "?";
    const auto end = v.out.find_first_of("+\n ", at + key.size());
    return v.out.substr(at + key.size(), end - at - key.size());
}

} // namespace testsupport
