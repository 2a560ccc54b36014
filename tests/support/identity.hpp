// SPDX-License-Identifier: Apache-2.0
#pragma once
// Who a test runs sandbox as, the skips for what this machine cannot do for that identity, and
// sandbox run as it.
#include "support/process.hpp"

#include <string>
#include <vector>

namespace testsupport {

// Whoever runs the tests (root in CI), or uid/gid 65534 with no groups (see RunOptions).
enum class Who { current, nobody };

// Skips the case when sandbox cannot work for this identity on this machine: only root (or uid
// 65534 itself) can run a command as 65534, and any uid but root needs a user namespace with a
// usable mount namespace.
void require_identity(Who who);

// Skips the case unless the tests run as root; `why` says what needs it.
void require_root(const std::string& why);

// Default options for running something other than sandbox (a control run) as `who`.
RunOptions as(Who who);

// Runs `sandbox_bin args...` as `who` (sets opts.as_nobody), with the rest of `opts` as given.
RunResult sandbox(const std::string& sandbox_bin, Who who, std::vector<std::string> args,
                  RunOptions opts = {});

} // namespace testsupport
