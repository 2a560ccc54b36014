// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox policy export` and `sandbox policy install`: a profile as Kubernetes sees it. Export
// builds the objects as data (ordered JSON; report/policy_tools renders them as YAML); install puts
// the file where the kubelet looks for Localhost profiles.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/model.hpp"

namespace policy {

inline constexpr const char* kDefaultKubeletRoot = "/var/lib/kubelet";

// The profile name from a file name: "./My Profile.json" -> "my-profile" (lower case letters,
// digits, '-' and '.', as a Kubernetes object name and a file name both accept).
std::string default_profile_name(const std::string& source);
// Throws util::Error(exit_code::usage) unless `name` is a valid object name (DNS subdomain:
// lower case letters, digits, '-', '.', starting and ending with a letter or digit, at most 253).
void check_profile_name(const std::string& name);

// The path the kubelet resolves against <root>/seccomp: "profiles/NAME.json".
std::string localhost_profile(const std::string& name);

// {"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": ...}}}
nlohmann::ordered_json pod_snippet(const std::string& localhost_profile);

// A Security Profiles Operator SeccompProfile (security-profiles-operator.x-k8s.io/v1beta1).
// The CRD has no includes/excludes, archMap or defaultErrnoRet: rules with includes/excludes are
// kept or left out as they apply to a container without added capabilities on this machine,
// archMap is flattened into architectures, comments are left out. `dropped` says what changed,
// one line each with its key.
struct SpoExport {
    nlohmann::ordered_json object;
    std::vector<std::string> dropped;
};
// `capabilities`: the container's ("CAP_NET_ADMIN"), for Docker's includes/excludes.caps.
SpoExport spo_object(const Policy& p, const std::string& name,
                     const std::vector<std::string>& capabilities = {});

struct InstallResult {
    std::string path;       // <root>/seccomp/profiles/NAME.json
    bool unchanged = false; // the same bytes were already there
    bool replaced = false;  // a different file was there and --force replaced it
};
// Writes `text` (a profile already validated) to <root>/seccomp/profiles/NAME.json, creating the
// directories; refuses to replace a different file unless `force`. Throws util::Error naming the
// path, errno and a remedy.
InstallResult install(const std::string& text, const std::string& kubelet_root,
                      const std::string& name, bool force);

} // namespace policy
