// SPDX-License-Identifier: Apache-2.0
#pragma once
// Renderers for `sandbox policy lint | diff | export | install | audit-log`: data in, text, JSON
// or YAML out.
#include <string>

#include <nlohmann/json.hpp>

#include "policy/audit_log.hpp"
#include "policy/diff.hpp"
#include "policy/lint.hpp"

namespace output {

std::string lint_text(const policy::LintReport& r);
std::string lint_json(const policy::LintReport& r);

std::string diff_text(const policy::PolicyDiff& d);
std::string diff_json(const policy::PolicyDiff& d);

// Block-style YAML (kubectl's layout) for a JSON document of objects, arrays and scalars.
std::string to_yaml(const nlohmann::ordered_json& j);

std::string audit_log_text(const policy::AuditLog& log, bool with_policy);
std::string audit_log_json(const policy::AuditLog& log);

} // namespace output
