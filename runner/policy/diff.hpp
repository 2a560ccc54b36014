// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox policy diff A B`: the syscalls whose verdict differs between two compiled profiles, as
// data (rendered by report/policy_tools). Verdicts come from policy::explain on each compiled
// filter, so libseccomp's merging, Docker's includes and sandbox's ENOSYS rules are all counted.
#include <string>
#include <vector>

#include "policy/compile.hpp"
#include "policy/explain.hpp"
#include "policy/model.hpp"

namespace policy {

struct SyscallChange {
    std::string name;
    int nr = 0;
    SyscallVerdict a; // the verdict on each side
    SyscallVerdict b;
};

struct PolicyDiff {
    std::string source_a, source_b;
    std::vector<std::string> arches_a, arches_b; // profile names, the native one first
    std::vector<SyscallChange> changed;          // in syscall number order
    std::size_t compared = 0;                    // syscalls of the native architecture
    [[nodiscard]] bool arches_differ() const { return arches_a != arches_b; }
    [[nodiscard]] bool equal() const { return changed.empty() && !arches_differ(); }
};

// A side of the diff: a file, or "profile:NAME" for a bundled profile. Throws util::Error
// (exit_code::policy) like policy::load_file.
Policy load_side(const std::string& spec);

PolicyDiff diff(const Policy& a, const CompiledFilter& fa, const Policy& b,
                const CompiledFilter& fb);

// One verdict in a line: "ALLOW", "ERRNO(EACCES) if arg0 == 0x2; else ALLOW".
std::string summarize(const SyscallVerdict& v);
// The rules behind it: "syscalls[0]; else defaultAction".
std::string summarize_rules(const SyscallVerdict& v);

} // namespace policy
