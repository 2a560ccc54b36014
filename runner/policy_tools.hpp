#pragma once
// `sandbox policy lint | diff | export | install | audit-log`: load, compute (policy/lint, diff,
// export, audit_log), render (output/policy_tools), print. Called from app::dispatch, which
// catches what they throw.
#include <functional>
#include <optional>
#include <string>

#include "cli.hpp"

namespace app {

// The exit status when `cmd` is one of these commands, nullopt otherwise. `warn` prints
// "sandbox: warning: ..." to stderr.
std::optional<int> policy_tool_command(const cli::Command& cmd,
                                       const std::function<void(const std::string&)>& warn);

} // namespace app
