// SPDX-License-Identifier: Apache-2.0
#pragma once
// Renderers for `sandbox policy validate | explain | list`: data in, text or JSON out.
#include <string>

#include "policy/compile.hpp"
#include "policy/model.hpp"

namespace output {

std::string validate_text(const policy::Policy& p, const policy::CompiledFilter& f);
std::string validate_json(const policy::Policy& p, const policy::CompiledFilter& f);
std::string explain_text(const policy::Policy& p, const policy::CompiledFilter& f, bool all,
                         bool pseudo_code);
std::string explain_json(const policy::Policy& p, const policy::CompiledFilter& f,
                         bool pseudo_code);
std::string bundled_list_text();

} // namespace output
