// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox doctor`: probe what this machine allows (data), then render it.
#include <string>
#include <vector>

#include "launch/limits.hpp"

namespace doctor {

enum class Status { Ok, Warn, Fail, Info };

struct Finding {
    std::string check; // "user namespaces"
    Status status = Status::Info;
    std::string detail; // what was found
    std::string remedy; // what to do, when not Ok
};

// Runs every probe (some fork a short-lived child to try a feature for real).
std::vector<Finding> probe();

// "cgroup delegation" (what sandbox can make here) and "resource limits" (which mechanism holds
// --pids-limit, --memory and --cpus in a run with the default namespaces), from a probed host.
std::vector<Finding> limits_findings(const launch::limits::Host& host,
                                     const launch::limits::Context& ctx);

std::string render_text(const std::vector<Finding>& findings, bool colour);
std::string render_json(const std::vector<Finding>& findings);

// 0 when nothing is Fail, 1 otherwise.
int exit_code(const std::vector<Finding>& findings);

} // namespace doctor
