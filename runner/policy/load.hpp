#pragma once
#include <string>
#include <string_view>

#include "policy/model.hpp"

namespace policy {

// Parse and validate a profile. Throws util::Error (exit_code::policy) whose message names the
// source, the JSON key (or line:column for syntax errors) and the problem.
Policy parse(std::string_view text, const std::string& source);
Policy load_file(const std::string& path);

// Bundled profiles (policies/*.json, compiled into the binary).
struct BundledProfile {
    std::string_view name; // file name without .json
    std::string_view json;
};
const std::vector<BundledProfile>& bundled_profiles();
Policy load_bundled(const std::string& name);

} // namespace policy
