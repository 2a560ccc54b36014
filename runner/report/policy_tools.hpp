// SPDX-License-Identifier: Apache-2.0
#pragma once
// Renderers for `sandbox policy lint | diff | export | install | audit-log | record`: data in,
// text, JSON or YAML out (the JSON reports' schemas: docs/schema/policy-*.schema.json).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/audit_log.hpp"
#include "policy/diff.hpp"
#include "policy/export.hpp"
#include "policy/lint.hpp"

namespace report {

std::string lint_text(const policy::LintReport& r);
std::string lint_json(const policy::LintReport& r);

std::string diff_text(const policy::PolicyDiff& d);
std::string diff_json(const policy::PolicyDiff& d);

// Block-style YAML (kubectl's layout) for a JSON document of objects, arrays and scalars.
std::string to_yaml(const nlohmann::ordered_json& j);
// The same document as one line of JSON (`policy export --json`, kubectl's -o json): a
// Kubernetes object, not a report, so no schema_version (docs/json.md).
std::string to_json(const nlohmann::ordered_json& j);

std::string audit_log_text(const policy::AuditLog& log, bool with_policy);
std::string audit_log_json(const policy::AuditLog& log);

// `policy install --json`: {"schema_version":1,"status":"installed"|"replaced"|"unchanged",
// "path","name","localhost_profile","pod_snippet":{the Pod's securityContext, Kubernetes' keys}}.
std::string install_json(const policy::InstallResult& r, const std::string& name,
                         const std::string& localhost_profile);

// What `policy record` did, for `policy record --json` (the profile itself is in `output`).
struct RecordReport {
    std::string output;                // the profile written
    bool merged = false;               // --append merged into an existing profile
    std::string policy;                // the profile the command ran under while recorded
    std::vector<std::string> command;  // as run
    int exit_code = 0;                 // the command's exit status
    std::vector<std::string> syscalls; // the names recorded (sorted)
    std::vector<std::string> unnamed;  // calls libseccomp has no name for: not in the profile
    std::uint64_t denied = 0;          // calls the running profile denied
    std::vector<std::string> denied_syscalls; // their names, in order of first denial
};
std::string record_json(const RecordReport& r);

} // namespace report
