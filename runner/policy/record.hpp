// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox policy record`: the syscalls a command made, as an OCI seccomp profile that allows
// exactly those (plus what a container runtime needs to start the process) and denies the rest.
// The collection is an event sink fed by the notify supervisor; the profile is built as data.
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trace/sink.hpp"

namespace policy {

// Collects the names of the calls that ran (allowed by the policy the command was recorded
// under). Calls that policy denied are left out: they failed while recording too, and the
// recorded profile's default keeps them failing. Names libseccomp does not know are left out too
// (a profile cannot name them) and counted.
class RecordSink final : public trace::EventSink {
public:
    void event(const trace::Event& e) override;
    [[nodiscard]] const std::set<std::string>& names() const { return names_; }
    [[nodiscard]] const std::set<std::string>& unnamed() const { return unnamed_; }

private:
    std::set<std::string> names_;
    std::set<std::string> unnamed_; // "syscall_1234"
};

// What runc and crun call between installing the container's filter and (including) the
// container's execve, and what the Go runtime of `runc init` may call meanwhile
// (policies/README.md, "Recorded profiles", says why each is there). Sorted.
const std::vector<std::string>& runtime_syscalls();

// The host's architectures in profile spelling: the native one and those it can also run
// (x86-64: SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32).
std::vector<std::string> host_architectures();

// The recorded profile: defaultAction SCMP_ACT_ERRNO (EPERM), the host's architectures, one
// SCMP_ACT_ALLOW rule with `observed` and runtime_syscalls() sorted, and clone3 -> ENOSYS unless
// clone3 itself was observed. `comment` goes into the allow rule.
nlohmann::ordered_json recorded_profile(const std::set<std::string>& observed,
                                        const std::string& comment);

// --append: `existing` (a recorded profile, already validated) with `observed` merged in: the
// names join its first unconditional SCMP_ACT_ALLOW rule (one is added when there is none);
// everything else is kept. Throws util::Error (exit_code::policy) when `existing` does not deny by
// default (an allow-list merged into an allow-all profile would change nothing).
nlohmann::ordered_json merge_recorded(nlohmann::ordered_json existing,
                                      const std::set<std::string>& observed,
                                      const std::string& source, const std::string& comment);

} // namespace policy
