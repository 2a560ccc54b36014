// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox check` and `sandbox policy record`: a run of the command under the notify supervisor
// (supervise::run_session, as `sandbox run`) whose events go to a collector instead of a printer.
#include <functional>
#include <string>

#include "options.hpp"

namespace app {

struct Diagnostics {
    std::function<void(const std::string&)> warn; // "sandbox: warning: ..."
    std::function<void(const std::string&)> note; // "sandbox: note: ..."
};

// Exit status: 0 when the policy denies nothing the command did, 1 when it denies (or would
// deny) something; sandbox's own errors as util::Error (121-127).
int check_command(const options::Check& c, const Diagnostics& d);

// Writes the recorded profile; returns the command's own exit status.
int record_command(const options::Record& r, const Diagnostics& d);

} // namespace app
