#pragma once
#include <functional>
#include <string>

#include "launch/plan.hpp"

namespace launch {

struct Outcome {
    bool signaled = false;
    int exit_code = 0; // the command's code, or 128+signal
    int signal = 0;
    int pid_inside = 0;
};

using WarningSink = std::function<void(const std::string& message)>;

// Clone into the planned namespaces, let init finish the isolation and exec the command, forward
// signals, and wait. Setup failures throw util::Error (exit_code::setup, not_found, cannot_exec)
// with the failed step, its object, errno and a hint; the command has not run then.
Outcome run(const Plan& plan, const WarningSink& warn);

} // namespace launch
