// SPDX-License-Identifier: Apache-2.0
#include "policy/record.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <seccomp.h>

#include "util/arch.hpp"
#include "util/error.hpp"

namespace policy {

void RecordSink::event(const trace::Event& e) {
    if (e.verdict != trace::Verdict::Allowed && e.verdict != trace::Verdict::WouldDeny &&
        e.verdict != trace::Verdict::Emulated)
        return;
    if (e.phase == trace::Phase::Unfinished) return;
    if (e.name.rfind("syscall_", 0) == 0)
        unnamed_.insert(e.name);
    else
        names_.insert(e.name);
}

const std::vector<std::string>& runtime_syscalls() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v = {
            // runc init after the filter, with no_new_privs (runc spec's default): close the sync
            // and log pipes, reopen the exec FIFO through /proc/thread-self/fd and write to it,
            // getpid for the state, close the fds the container does not get (close_range, or
            // /proc/self/fd read with getdents64 and fcntl), then execve (execveat: fexecve of
            // runc-dmz and crun).
            // fstatfs: runc checks that /proc/self/fd is on procfs before closing fds through it.
            "close", "close_range", "openat", "write", "getpid", "gettid", "fcntl", "getdents64",
            "fstat", "fstatfs", "newfstatat", "execve", "execveat",
            // Without no_new_privs (Docker's and Kubernetes' default, allowPrivilegeEscalation
            // true) the filter goes in before the capabilities and ids are set: capget/capset and
            // prctl (bounding set, keep-caps, parent-death signal), setgroups, setresgid/setresuid
            // and Go's setgid/setuid, chdir to process.cwd and getcwd (is it inside the root),
            // getppid (is the parent still there), faccessat/faccessat2 (is args[0] executable).
            "capget", "capset", "prctl", "setgroups", "setresgid", "setresuid", "setgid", "setuid",
            "chdir", "getcwd", "getppid", "faccessat", "faccessat2",
            // The Go runtime of runc init (all its threads carry the filter): locks, timers,
            // signals, memory, the network poller, thread exit.
            "futex", "nanosleep", "sched_yield", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
            "sigaltstack", "mmap", "munmap", "madvise", "tgkill", "epoll_pwait", "epoll_ctl",
            "exit", "exit_group"};
        std::sort(v.begin(), v.end());
        return v;
    }();
    return names;
}

std::vector<std::string> host_architectures() {
    const util::arch::Info native = util::arch::native();
    const std::string n = native.profile_name;
    if (n == "SCMP_ARCH_X86_64") return {n, "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
    if (n == "SCMP_ARCH_AARCH64") return {n, "SCMP_ARCH_ARM"};
    if (n == "SCMP_ARCH_MIPS64") return {n, "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"};
    if (n == "SCMP_ARCH_MIPSEL64") return {n, "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"};
    if (n == "SCMP_ARCH_S390X") return {n, "SCMP_ARCH_S390"};
    if (n == "SCMP_ARCH_PPC64LE") return {n};
    return {n};
}

namespace {

const char* const kClone3Comment =
    "ENOSYS, not EPERM: glibc then falls back to clone (runc's ENOSYS stub covers only syscalls "
    "newer than every one the profile names)";

nlohmann::ordered_json clone3_rule() {
    return {{"names", {"clone3"}},
            {"action", "SCMP_ACT_ERRNO"},
            {"errnoRet", 38},
            {"comment", kClone3Comment}};
}

std::vector<std::string> with_runtime(const std::set<std::string>& observed) {
    std::set<std::string> all = observed;
    all.insert(runtime_syscalls().begin(), runtime_syscalls().end());
    return {all.begin(), all.end()};
}

bool names_clone3(const nlohmann::ordered_json& rules) {
    for (const auto& r : rules) {
        if (!r.is_object()) continue;
        if (r.contains("names") && r["names"].is_array())
            for (const auto& n : r["names"])
                if (n == "clone3") return true;
        if (r.contains("name") && r["name"] == "clone3") return true;
    }
    return false;
}

} // namespace

nlohmann::ordered_json recorded_profile(const std::set<std::string>& observed,
                                        const std::string& comment) {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    rules.push_back(
        {{"names", with_runtime(observed)}, {"action", "SCMP_ACT_ALLOW"}, {"comment", comment}});
    if (observed.count("clone3") == 0) rules.push_back(clone3_rule());
    return {{"defaultAction", "SCMP_ACT_ERRNO"},
            {"defaultErrnoRet", 1},
            {"architectures", host_architectures()},
            {"syscalls", rules}};
}

nlohmann::ordered_json merge_recorded(nlohmann::ordered_json existing,
                                      const std::set<std::string>& observed,
                                      const std::string& source, const std::string& comment) {
    const std::string def = existing.value("defaultAction", "");
    if (def == "SCMP_ACT_ALLOW" || def == "SCMP_ACT_LOG")
        throw util::Error(
            util::exit_code::policy,
            fmt::format("{}: defaultAction: {} allows by default; --append merges an allow-list "
                        "into a profile that denies by default (one `policy record` wrote)",
                        source, def),
            "record into a new file without --append");
    if (!existing.contains("syscalls") || !existing["syscalls"].is_array())
        existing["syscalls"] = nlohmann::ordered_json::array();
    auto& rules = existing["syscalls"];
    const bool clone3_named = names_clone3(rules);
    for (auto& r : rules) {
        if (!r.is_object() || r.value("action", "") != "SCMP_ACT_ALLOW" || r.contains("args") ||
            r.contains("includes") || r.contains("excludes") || !r.contains("names") ||
            !r["names"].is_array())
            continue;
        std::set<std::string> names = observed;
        for (const auto& n : r["names"])
            if (n.is_string()) names.insert(n.get<std::string>());
        // The runtime's needs, in case the file was written by hand or by another tool.
        r["names"] = with_runtime(names);
        if (observed.count("clone3") == 0 && !clone3_named) rules.push_back(clone3_rule());
        return existing;
    }
    rules.insert(rules.begin(), nlohmann::ordered_json{{"names", with_runtime(observed)},
                                                       {"action", "SCMP_ACT_ALLOW"},
                                                       {"comment", comment}});
    if (observed.count("clone3") == 0 && !clone3_named) rules.push_back(clone3_rule());
    return existing;
}

} // namespace policy
