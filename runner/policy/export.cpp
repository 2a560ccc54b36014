// SPDX-License-Identifier: Apache-2.0
#include "policy/export.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "policy/compile.hpp"
#include "policy/load.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"
#include "util/safe_file.hpp"

namespace policy {
namespace {

bool alnum_lower(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

nlohmann::ordered_json condition_json(const ArgCondition& c) {
    nlohmann::ordered_json j;
    j["index"] = c.index;
    j["value"] = c.value;
    if (c.value_two != 0) j["valueTwo"] = c.value_two;
    j["op"] = op_name(c.op);
    return j;
}

// Creates every missing directory of `dir` with mode 0755, naming the one that failed.
void make_directories(const std::string& dir) {
    std::string path;
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = dir.find('/', pos + 1);
        path = dir.substr(0, pos);
        if (path.empty()) continue;
        if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) continue;
        throw util::Error(util::exit_code::usage, util::syscall_error("mkdir", path, errno),
                          "installing into the kubelet's directory needs root; or give "
                          "--kubelet-root DIR");
    }
}

// The profile installed at `path` before, if any: refused (as the write would be) when it is a
// symlink, not a regular file or another user's; read without blocking, at most 4 MiB.
std::optional<std::string> read_existing(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
    util::check_output_target(path);
    return util::read_regular_file(path, kMaxProfileBytes, util::exit_code::usage,
                                   "an installed profile", "");
}

} // namespace

std::string default_profile_name(const std::string& source) {
    std::string stem = std::filesystem::path(source).stem().string();
    if (source.rfind("profile ", 0) == 0) stem = source.substr(8); // a bundled profile
    std::string out;
    for (char c : stem) {
        char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if (alnum_lower(l) || l == '.')
            out += l;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && !alnum_lower(out.back())) out.pop_back();
    while (!out.empty() && !alnum_lower(out.front())) out.erase(0, 1);
    if (out.size() > 200) out.resize(200);
    return out.empty() ? "profile" : out;
}

void check_profile_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 253 && alnum_lower(name.front()) &&
              alnum_lower(name.back());
    for (char c : name) ok = ok && (alnum_lower(c) || c == '-' || c == '.');
    if (!ok)
        util::throw_usage(
            fmt::format("--name \"{}\": not a valid profile name", name),
            "use lower case letters, digits, '-' and '.', starting and ending with a letter or "
            "digit (a Kubernetes object name, and the file name NAME.json)");
}

std::string localhost_profile(const std::string& name) {
    return "profiles/" + name + ".json";
}

nlohmann::ordered_json pod_snippet(const std::string& localhost) {
    nlohmann::ordered_json j;
    j["securityContext"]["seccompProfile"]["type"] = "Localhost";
    j["securityContext"]["seccompProfile"]["localhostProfile"] = localhost;
    return j;
}

SpoExport spo_object(const Policy& p, const std::string& name,
                     const std::vector<std::string>& capabilities) {
    SpoExport out;
    auto& o = out.object;
    o["apiVersion"] = "security-profiles-operator.x-k8s.io/v1beta1";
    o["kind"] = "SeccompProfile";
    o["metadata"]["name"] = name;
    auto& spec = o["spec"];
    spec["defaultAction"] = action_name(p.default_action.action);
    if (p.default_action.data && *p.default_action.data != EPERM)
        out.dropped.push_back(fmt::format(
            "defaultErrnoRet: {} has no field in SeccompProfile; the default action returns EPERM",
            *p.default_action.data));
    // The CRD declares architectures a set (the API server refuses a repeated one): each once,
    // in the order the profile first names it.
    // Only the names the CRD's enum lists (util::arch::Info::spo_lists): the API
    // server refuses others (LOONGARCH64, M68K, SH, SHEB, which the runtime-spec lists).
    std::vector<std::string> arches;
    std::vector<std::string> unlisted;
    const auto add_arch = [&](const std::string& a) {
        const auto info = util::arch::from_profile_name(a);
        if (a != "SCMP_ARCH_NATIVE" && (!info || !info->spo_lists)) {
            if (std::find(unlisted.begin(), unlisted.end(), a) == unlisted.end())
                unlisted.push_back(a);
            return;
        }
        if (std::find(arches.begin(), arches.end(), a) == arches.end()) arches.push_back(a);
    };
    for (const auto& a : p.architectures) add_arch(a);
    for (const auto& e : p.arch_map) {
        add_arch(e.architecture);
        for (const auto& a : e.sub_architectures) add_arch(a);
    }
    if (!p.arch_map.empty())
        out.dropped.push_back(
            fmt::format("archMap: flattened into architectures ({})", join(arches)));
    if (!unlisted.empty())
        out.dropped.push_back(fmt::format(
            "architectures: {} left out: SeccompProfile's enum does not list {} (the API server "
            "would refuse the object)",
            join(unlisted), unlisted.size() == 1 ? "it" : "them"));
    if (!arches.empty()) spec["architectures"] = arches;
    if (!p.flags.empty()) spec["flags"] = p.flags;
    nlohmann::ordered_json syscalls = nlohmann::ordered_json::array();
    const CompileContext context = CompileContext::for_this_kernel(capabilities, false);
    for (const auto& r : p.rules) {
        if (r.names.empty()) continue;
        nlohmann::ordered_json s;
        s["names"] = r.names;
        s["action"] = action_name(r.action.action);
        if (r.action.data) s["errnoRet"] = *r.action.data;
        if (!r.args.empty()) {
            s["args"] = nlohmann::ordered_json::array();
            for (const auto& c : r.args) s["args"].push_back(condition_json(c));
        }
        if (!r.includes.empty() || !r.excludes.empty()) {
            // SeccompProfile has no includes/excludes: decide them here, for a container with
            // `capabilities` on this architecture and kernel (as `sandbox run` does).
            const bool applies = rule_applies(r, context);
            out.dropped.push_back(fmt::format(
                "{} ({}): SeccompProfile has no includes/excludes; {} for a container with {} on "
                "this machine",
                r.key, join(r.names),
                applies ? "kept, as it applies" : "left out, as it does not apply",
                capabilities.empty() ? "no added capabilities (--cap-add)" : join(capabilities)));
            if (!applies) continue;
        }
        syscalls.push_back(std::move(s));
    }
    if (!syscalls.empty()) spec["syscalls"] = std::move(syscalls);
    return out;
}

InstallResult install(const std::string& text, const std::string& kubelet_root,
                      const std::string& name, bool force) {
    InstallResult r;
    const std::string root = kubelet_root.empty() ? "." : kubelet_root;
    const std::string dir = root + (root.back() == '/' ? "" : "/") + "seccomp/profiles";
    r.path = dir + "/" + name + ".json";
    make_directories(dir);
    if (auto existing = read_existing(r.path)) {
        if (*existing == text) {
            r.unchanged = true;
            return r;
        }
        if (!force)
            util::throw_usage(fmt::format("{} exists and differs from the profile", r.path),
                              "add --force to replace it, or choose another --name");
        r.replaced = true;
    }
    // A temporary file next to it, renamed over it: the kubelet never reads half a file.
    util::write_file_atomically(r.path, text, 0644);
    return r;
}

} // namespace policy
