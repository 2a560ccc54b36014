// SPDX-License-Identifier: Apache-2.0
#pragma once
// The effective verdict per syscall of a compiled filter, as data (rendered by report/).
#include <cstdint>
#include <string>
#include <vector>

#include "policy/compile.hpp"

namespace policy {

struct SyscallVerdict {
    std::string name;
    int nr = 0;
    std::uint32_t ret = 0; // the verdict when no argument condition applies
    std::string rule;
    struct Case {
        std::string when; // "arg0 == 0x2 && arg1 & 0x1 == 0x1"
        std::uint32_t ret = 0;
        std::string rule;
    };
    std::vector<Case> cases; // verdicts that depend on arguments
};

// Every syscall libseccomp knows on the native architecture, in number order. Verdicts come from
// running the compiled program (policy::bpf), not from re-reading the rules.
std::vector<SyscallVerdict> explain(const CompiledFilter& filter);

} // namespace policy
