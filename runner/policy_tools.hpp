// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox policy lint | diff | export | install | audit-log`: load, compute (policy/lint, diff,
// export, audit_log), render (report/policy_tools), print. Called from app::dispatch, which
// catches what they throw.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"

namespace app {

// The exit status when `cmd` is one of these commands, nullopt otherwise. `warn` prints
// "sandbox: warning: ..." to stderr.
std::optional<int> policy_tool_command(const cli::Command& cmd,
                                       const std::function<void(const std::string&)>& warn);

// The container's capabilities for Docker's includes/excludes.caps: what `--cap-add` gives a
// command under `sandbox run` (none by default; "ALL" is the bounding set), as "CAP_NET_ADMIN".
std::vector<std::string> container_capabilities(const std::vector<std::string>& cap_add);

} // namespace app
