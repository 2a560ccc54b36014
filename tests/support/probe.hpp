// SPDX-License-Identifier: Apache-2.0
#pragma once
// The probe helper (helpers/probe.cpp) under sandbox: its command line, and reading its answers
// ("label: value" lines on stdout).
#include <string>
#include <vector>

namespace testsupport {

// The arguments of `sandbox run [run_opts] -- probe_bin actions...`.
std::vector<std::string> probe_run_args(const std::string& probe_bin,
                                        const std::vector<std::string>& run_opts,
                                        const std::vector<std::string>& actions);

// What probe printed for `label` ("label: value"); a marker string when there is no such line.
std::string value_of(const std::string& out, const std::string& label);

// One field of probe's `caps` line ("CapEff=0000000000000400 ..."), as a number; throws when the
// field is missing.
unsigned long long cap_field(const std::string& out, const std::string& field);

} // namespace testsupport
