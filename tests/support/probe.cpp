// SPDX-License-Identifier: Apache-2.0
#include "support/probe.hpp"
#include "support/files.hpp"

#include <sstream>
#include <stdexcept>

namespace testsupport {

std::vector<std::string> probe_run_args(const std::string& probe_bin,
                                        const std::vector<std::string>& run_opts,
                                        const std::vector<std::string>& actions) {
    std::vector<std::string> args{"run"};
    args.insert(args.end(), run_opts.begin(), run_opts.end());
    args.push_back("--");
    args.push_back(probe_bin);
    args.insert(args.end(), actions.begin(), actions.end());
    return args;
}

std::string value_of(const std::string& out, const std::string& label) {
    for (const auto& line : split_lines(out))
        if (line.rfind(label + ": ", 0) == 0) return line.substr(label.size() + 2);
    return "<no line for '" + label + "'>";
}

unsigned long long cap_field(const std::string& out, const std::string& field) {
    std::istringstream in(value_of(out, "caps"));
    for (std::string item; in >> item;)
        if (item.rfind(field + "=", 0) == 0)
            return std::stoull(item.substr(field.size() + 1), nullptr, 16);
    throw std::runtime_error("no " + field + " in probe output:\n" + out);
}

} // namespace testsupport
