// Real runtimes as the reference: the probe helper runs under runc (an OCI bundle whose
// linux.seccomp is the profile) and under `sandbox run --policy` with the same profile, and the
// answer of each probed syscall must be the same. Skipped, with the reason, where runc is not
// installed or cannot start a container here.
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using testsupport::RunResult;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);
const std::string source_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR);

std::string find_runc() {
    for (const char* dir :
         {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"}) {
        const std::string p = std::string(dir) + "/runc";
        if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return {};
}

// probe output -> {label: value}
std::map<std::string, std::string> answers(const std::string& out) {
    std::map<std::string, std::string> m;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(": ");
        if (colon != std::string::npos) m[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return m;
}

unsigned kernel_version() {
    utsname u{};
    ::uname(&u);
    unsigned major = 0, minor = 0;
    std::sscanf(u.release, "%u.%u", &major, &minor);
    return major * 1000 + minor;
}

// What Docker hands to runc: the profile with its includes/excludes evaluated for a container
// with none of the capabilities they name (runc itself does not know these keys and would apply
// every rule), and sandbox's own keys left out.
nlohmann::json as_runtime_sees_it(nlohmann::json p) {
    nlohmann::json rules = nlohmann::json::array();
    for (auto r : p.value("syscalls", nlohmann::json::array())) {
        bool keep = true;
        if (r.contains("includes")) {
            const auto& inc = r["includes"];
            if (inc.contains("caps") && !inc["caps"].empty()) keep = false;
            if (inc.contains("minKernel")) {
                unsigned maj = 0, min = 0;
                std::sscanf(inc["minKernel"].get<std::string>().c_str(), "%u.%u", &maj, &min);
                if (kernel_version() < maj * 1000 + min) keep = false;
            }
            if (inc.contains("arches") && !inc["arches"].empty()) {
                bool ours = false;
                for (const auto& a : inc["arches"]) ours = ours || a == "amd64" || a == "x32";
                keep = keep && ours;
            }
        }
        // excludes.caps: the container has none of them, so the rule stays
        r.erase("includes");
        r.erase("excludes");
        r.erase("comment");
        if (keep) rules.push_back(r);
    }
    p["syscalls"] = rules;
    return p;
}

class Bundle {
public:
    explicit Bundle(const std::string& runc) : runc_(runc) {
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
        const std::string probe_dir = fs::path(probe_bin).parent_path().string();
        extra_binds_.push_back(probe_dir);
    }
    Bundle(const Bundle&) = delete;
    Bundle& operator=(const Bundle&) = delete;

    // Runs args in a new container under `seccomp` (null: none). runc installs the filter right
    // before execve with no_new_privs (runc spec's default), and earlier, before it sets the
    // process's ids and capabilities, without (Docker's and the kubelet's default).
    RunResult run(const std::vector<std::string>& args, const nlohmann::json& seccomp,
                  bool no_new_privs = true) {
        std::ifstream in(dir_ / "config.json");
        nlohmann::json c = nlohmann::json::parse(in);
        c["process"]["args"] = args;
        c["process"]["terminal"] = false;
        c["process"]["noNewPrivileges"] = no_new_privs;
        c["root"] = {{"path", "rootfs"}, {"readonly", true}};
        nlohmann::json mounts = nlohmann::json::array();
        for (const auto& m : c["mounts"])
            if (m["type"] != "cgroup") mounts.push_back(m); // cgroup v1 hosts refuse it here
        for (const char* d : {"/usr", "/etc"})
            mounts.push_back({{"destination", d},
                              {"type", "bind"},
                              {"source", d},
                              {"options", {"rbind", "ro"}}});
        mounts.push_back({{"destination", "/tmp"},
                          {"type", "tmpfs"},
                          {"source", "tmpfs"},
                          {"options", {"nosuid", "nodev"}}});
        for (const auto& d : extra_binds_)
            mounts.push_back({{"destination", d},
                              {"type", "bind"},
                              {"source", d},
                              {"options", {"rbind", "ro"}}});
        c["mounts"] = mounts;
        if (seccomp.is_null())
            c["linux"].erase("seccomp");
        else
            c["linux"]["seccomp"] = seccomp;
        std::ofstream(dir_ / "config.json") << c.dump(2);
        const std::string id =
            "sandbox-test-" + std::to_string(::getpid()) + "-" + std::to_string(++runs_);
        testsupport::RunOptions o;
        o.timeout_seconds = 60;
        RunResult r = testsupport::run({runc_, "run", "--bundle", dir_.path(), id}, o);
        testsupport::run({runc_, "delete", "--force", id});
        return r;
    }

private:
    std::string runc_;
    // The bundle directory, removed with the Bundle.
    testsupport::TempDir dir_{fs::temp_directory_path().string(), 0700};
    std::vector<std::string> extra_binds_;
    int runs_ = 0;
};

// Skips unless runc can run a container here; returns runc's path.
std::string require_runc(Bundle*& out, std::unique_ptr<Bundle>& holder) {
    const std::string runc = find_runc();
    if (runc.empty())
        skip_test("runc is not installed (Debian package runc; ./dev.sh installs it)");
    if (::getuid() != 0)
        skip_test("runc needs root here (rootless runc needs a user-owned cgroup)");
    holder = std::make_unique<Bundle>(runc);
    RunResult smoke = holder->run({probe_bin, "echo", "hello"}, nullptr);
    if (smoke.exit_code != 0 || smoke.out.find("echo: hello") == std::string::npos)
        skip_test("runc cannot start a container on this machine: " + smoke.err);
    out = holder.get();
    return runc;
}

const std::vector<std::string> kActions = {
    "mkdir",       "/tmp/x",      "touch",        "/tmp/y", "open-read", "/etc/hostname",
    "socket-unix", "socket-inet", "socket-inet6", "thread", "clone3",    "io-uring-setup",
    "syscall",     "272",  // unshare(0): CAP_SYS_ADMIN-gated in runtime-default
    "syscall",     "169"}; // reboot(0, ...): CAP_SYS_BOOT-gated
// (No ptrace-traceme here: under runc the probe would become a tracee of a runc process that never
// waits for it, and the first signal would leave it stopped forever. kill-ptrace covers ptrace.)

void compare(Bundle& bundle, const std::string& name, const nlohmann::json& profile,
             const std::string& profile_file) {
    std::vector<std::string> argv{probe_bin};
    argv.insert(argv.end(), kActions.begin(), kActions.end());
    RunResult under_runc = bundle.run(argv, as_runtime_sees_it(profile));

    std::vector<std::string> sb{sandbox_bin, "run",        "-e", "trace=none",
                                "--policy",  profile_file, "--"};
    sb.insert(sb.end(), argv.begin(), argv.end());
    RunResult under_sandbox = testsupport::run(sb);

    INFO("profile " << name);
    INFO("runc: " << under_runc.describe());
    INFO("sandbox: " << under_sandbox.describe());
    const auto a = answers(under_runc.out);
    const auto b = answers(under_sandbox.out);
    REQUIRE(a.size() > 5);
    for (const auto& [label, value] : a) {
        INFO(label);
        CHECK(b.count(label) == 1);
        if (b.count(label) != 0) CHECK(b.at(label) == value);
    }
    CHECK(a.size() == b.size());
    CHECK(under_runc.exit_code == under_sandbox.exit_code);
}

nlohmann::json load(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

} // namespace

TEST_CASE("runc and sandbox give the probe the same answers under the same profiles", "[runc]") {
    Bundle* bundle = nullptr;
    std::unique_ptr<Bundle> holder;
    require_runc(bundle, holder);
    for (const char* name :
         {"baseline", "deny-mkdir", "deny-network", "no-network", "runtime-default", "audit"}) {
        const std::string file = source_dir + "/policies/" + name + ".json";
        compare(*bundle, name, load(file), file);
    }
}

TEST_CASE("runc and sandbox kill the same thread or process for each KILL action", "[runc][kill]") {
    Bundle* bundle = nullptr;
    std::unique_ptr<Bundle> holder;
    require_runc(bundle, holder);
    const std::string getppid = std::to_string(SYS_getppid);
    testsupport::TempDir dir("/var/tmp", 0755);
    for (const char* action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS"}) {
        const nlohmann::json profile = {
            {"defaultAction", "SCMP_ACT_ALLOW"},
            {"syscalls", {{{"names", {"getppid"}}, {"action", action}}}}};
        const std::string file = dir.write("kill.json", profile.dump());
        // From a second thread (the main thread goes on if only the thread dies), and alone.
        for (const auto& actions : std::vector<std::vector<std::string>>{
                 {"thread-syscall", getppid, "echo", "after"},
                 {"echo", "before", "syscall", getppid, "echo", "after"}}) {
            std::vector<std::string> argv{probe_bin};
            argv.insert(argv.end(), actions.begin(), actions.end());
            RunResult under_runc = bundle->run(argv, profile);
            std::vector<std::string> sb{sandbox_bin, "run", "-e", "trace=none",
                                        "--policy",  file,  "--"};
            sb.insert(sb.end(), argv.begin(), argv.end());
            RunResult under_sandbox = testsupport::run(sb);
            INFO(action << " " << actions[0]);
            INFO("runc: " << under_runc.describe());
            INFO("sandbox: " << under_sandbox.describe());
            CHECK(under_runc.exit_code == under_sandbox.exit_code);
            CHECK(answers(under_runc.out) == answers(under_sandbox.out));
        }
    }
}

TEST_CASE("runc starts a command under the profile sandbox recorded for it", "[runc][record]") {
    Bundle* bundle = nullptr;
    std::unique_ptr<Bundle> holder;
    require_runc(bundle, holder);
    std::string tmpl = (fs::temp_directory_path() / "sbx-rec-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    const std::string file = tmpl + "/probe.json";
    std::vector<std::string> argv{probe_bin, "mkdir",       "/tmp/x",    "socket-unix",
                                  "thread",  "socket-inet", "open-read", "/etc/hostname"};
    std::vector<std::string> rec{sandbox_bin, "policy", "record", "-o", file, "--"};
    rec.insert(rec.end(), argv.begin(), argv.end());
    RunResult r = testsupport::run(rec);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    // The recorded profile must hold what runc calls after installing it (policies/README.md).
    for (bool nnp : {true, false}) {
        INFO("noNewPrivileges " << nnp);
        RunResult under_runc = bundle->run(argv, load(file), nnp);
        INFO(under_runc.describe());
        CHECK(under_runc.exit_code == 0);
        CHECK(answers(under_runc.out) == answers(r.out));
    }
    // And without the runtime's share, runc fails to start it: the list is needed.
    nlohmann::json bare = load(file);
    bare["syscalls"] = nlohmann::json::array(
        {{{"names", {"execve", "exit_group"}}, {"action", "SCMP_ACT_ALLOW"}}});
    RunResult bare_run = bundle->run(argv, bare);
    INFO(bare_run.describe());
    CHECK(bare_run.exit_code != 0);
    std::error_code ec;
    fs::remove_all(tmpl, ec);
}
