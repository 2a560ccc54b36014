// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <string_view>

#include "policy/model.hpp"

namespace policy {

// A profile is at most 4 MiB (the largest real ones are ~30 KiB).
inline constexpr std::size_t kMaxProfileBytes = 4u << 20;

// Parse and validate a profile. Throws util::Error (exit_code::policy) whose message names the
// source, the JSON key (or line:column for syntax errors) and the problem. Besides the format's
// own rules: a key given twice in one object, a number out of range (1e400, an integer beyond
// 2^64-1), a control character in a syscall name, and more than kMaxFilterRules filter rules
// after expanding argument conditions (counted before anything is expanded) are refused.
Policy parse(std::string_view text, const std::string& source);
// The bytes of a profile file: a regular file of at most kMaxProfileBytes; a FIFO, directory or
// device is refused without blocking or reading. Throws util::Error(exit_code::policy).
std::string read_profile(const std::string& path);
// read_profile, then parse.
Policy load_file(const std::string& path);

// Bundled profiles (policies/*.json, compiled into the binary).
struct BundledProfile {
    std::string_view name; // file name without .json
    std::string_view json;
};
const std::vector<BundledProfile>& bundled_profiles();
Policy load_bundled(const std::string& name);
// A bundled profile's JSON as it is in policies/NAME.json (`sandbox policy show NAME`); an
// unknown name is util::Error(exit_code::policy) with the names there are.
std::string bundled_text(const std::string& name);

} // namespace policy
