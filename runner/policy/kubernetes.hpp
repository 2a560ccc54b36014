// SPDX-License-Identifier: Apache-2.0
#pragma once
// Kubernetes objects given where a seccomp profile is expected. A learner passes the Pod they
// wrote, or the Security Profiles Operator's SeccompProfile, to `sandbox run --policy`: the
// SeccompProfile's spec is a profile (read as one, with the operator's own keys set aside); a
// Pod, Deployment or other workload is refused with what it is and where the profile it refers
// to lives on its node; a profile written in YAML is refused (the kubelet, runc, containerd and
// CRI-O read JSON only). YAML is read with yaml-cpp, as the API server's decoder would: plain
// scalars typed (null, booleans, integers), quoted ones strings, a key twice an error.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace policy::kubernetes {

// A profile found inside a Kubernetes object: its JSON text, a source that says where it came
// from ("FILE: SeccompProfile NAME, spec"), and what was set aside (baseProfileName, ...).
struct Embedded {
    std::string json;
    std::string source;
    std::vector<std::string> warnings;
};

// `text` is not JSON (does not start with '{' after whitespace): when it is YAML holding a
// Kubernetes object, the profile inside it, or a util::Error(exit_code::policy) saying what it
// is instead. nullopt: not YAML either (the JSON parser's error is the better message).
std::optional<Embedded> from_yaml(std::string_view text, const std::string& source);

// `root` was parsed from JSON: when it is a Kubernetes object (apiVersion and kind, as `kubectl
// get -o json` prints it), the profile inside it or a util::Error as above. nullopt: a profile.
std::optional<Embedded> from_json(const nlohmann::json& root, const std::string& source);

// The seccompProfile settings of a workload's pod template, one line each ("spec.containers[0]
// (web): Localhost profiles/audit.json, on its node
// /var/lib/kubelet/seccomp/profiles/audit.json"), for the error and for tests.
std::vector<std::string> seccomp_settings(const nlohmann::json& object);

} // namespace policy::kubernetes
