// SPDX-License-Identifier: Apache-2.0
#pragma once
// A Pod manifest as the API server reads it, for the lessons' checks: parsed with a real YAML
// parser (yaml-cpp), validated for the fields the lessons teach the way `kubectl apply` (strict
// field validation) and the API server would (apiVersion/kind, metadata.name, spec.containers[],
// pod- and container-level securityContext with their types, seccompProfile, capabilities,
// duplicate keys), then the effective settings of each container (container-level overriding the
// Pod's), so a check asks about what the kubelet would run, not about a line of text.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lessons::pod {

struct Container {
    std::string name;
    // Effective values (the container's securityContext over the Pod's); nullopt: not set.
    std::optional<std::string> seccomp_type; // "Localhost", "RuntimeDefault", "Unconfined"
    std::optional<std::string> localhost_profile;
    std::optional<std::int64_t> run_as_user;
    std::optional<bool> run_as_non_root;
    std::optional<bool> allow_privilege_escalation;
    bool privileged = false;
    std::vector<std::string> cap_add; // as written ("NET_BIND_SERVICE", "ALL")
    std::vector<std::string> cap_drop;
};

struct Pod {
    std::vector<Container> containers;
    bool host_pid = false;
    bool host_network = false;
    bool host_ipc = false;
};

struct Parsed {
    std::optional<Pod> pod;            // nullopt when the problems below make it no Pod at all
    std::vector<std::string> problems; // "spec.containers[0].image: missing", ... (API errors)
};

Parsed parse(const std::string& yaml_text);

// What a lesson asks of the Pod (lesson.json: "pod": FILE, "expect": {...}).
struct Expect {
    std::string seccomp;           // "Localhost", "RuntimeDefault", or "" (anything)
    std::string profiles_under;    // Localhost: localhostProfile must name a file in DIR/this
    std::string localhost_profile; // Localhost: and be exactly this ("profiles/NAME.json")
    bool drop_all = false;
    std::optional<std::vector<std::string>> add_only; // capabilities.add within this list
    bool non_root = false;                            // runAsUser a non-zero integer
    bool no_privilege_escalation = false;             // allowPrivilegeEscalation: false
    bool no_host = false; // not privileged, no hostPID, hostNetwork or hostIPC
};

// The problems of the Pod with `expect`, one sentence each, none when it is what is asked.
// `dir` is the lesson directory (for profiles_under). Never says what the right value is beyond
// what the task states.
std::vector<std::string> judge(const Parsed& parsed, const Expect& expect, const std::string& dir);

} // namespace lessons::pod
