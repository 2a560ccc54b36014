// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <csignal>

#include "launch/plan.hpp"

namespace launch {

// Runs in the child after clone, as PID 1 of the new PID namespace (or a subreaper without one):
// finishes the isolation, forks the command, forwards signals and reaps until the command exits.
// Never returns and never throws; failures go to the parent over `report_fd` as errno records.
// The signal that makes init end the whole run at once (--time-limit): SIGKILL with a PID
// namespace (the kernel kills the namespace with its init); without one, the signal on which init,
// a subreaper, kills every process of the run and exits.
int tree_kill_signal(const Plan& plan) noexcept;

[[noreturn]] void init_main(const Plan& plan, int report_fd, const sigset_t& caller_mask) noexcept;

} // namespace launch
