// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

namespace app {

// The one place that catches exceptions and maps them to exit codes.
int run(const std::vector<std::string>& args) noexcept;

} // namespace app
