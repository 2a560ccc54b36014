// SPDX-License-Identifier: Apache-2.0
#pragma once
// Renderers for `sandbox policy validate | explain | list`: data in, text or JSON out (the JSON's
// schemas: docs/schema/policy-validate, policy-explain, policy-list .schema.json).
#include <string>

#include "policy/compile.hpp"
#include "policy/model.hpp"

namespace report {

std::string validate_text(const policy::Policy& p, const policy::CompiledFilter& f);
std::string validate_json(const policy::Policy& p, const policy::CompiledFilter& f);
// An invalid profile: {"schema_version":1,"source":..,"valid":false,"error":..}.
std::string validate_error_json(const std::string& source, const std::string& error);
std::string explain_text(const policy::Policy& p, const policy::CompiledFilter& f, bool all,
                         bool pseudo_code);
std::string explain_json(const policy::Policy& p, const policy::CompiledFilter& f,
                         bool pseudo_code);
std::string bundled_list_text();
// {"schema_version":1,"profiles":[{"profile":NAME,"default_action":..,"rules":N}]}
std::string bundled_list_json();

} // namespace report
