// SPDX-License-Identifier: Apache-2.0
#pragma once
// What to do with one syscall, for both engines (the notify supervisor and the ptrace engine):
// the policy's verdict (CompiledFilter::decide, cached for calls that do not depend on arguments),
// then --audit and --inject. Pure with respect to the kernel: it only fills in the Event.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <linux/seccomp.h>

#include "policy/compile.hpp"
#include "supervise/emulate.hpp"
#include "supervise/selection.hpp"
#include "trace/event.hpp"

namespace supervise {

class Judge {
public:
    Judge(const policy::CompiledFilter& policy, std::vector<Injection> injections, bool audit,
          Emulation emulation);

    // Sets e.rule, e.action, e.verdict and, for calls answered with an error, e.result = -1 and
    // e.err; a call --emulate answers gets Emulated and e.result = 0 (the engine writes the answer
    // with supervise::answer and corrects the result if that fails). e.name and e.restarted must
    // be set (a restarted call is not counted for --inject). Engines never kill: the policy's KILL
    // and TRAP are the kernel's (the kill filter, policy/route.hpp), so such a call does not reach
    // an engine outside --audit; if one does anyway it is Denied with ENOSYS, and never runs.
    void judge(const seccomp_data& data, trace::Event& e);

    // "openat"; "syscall_1234" for numbers libseccomp does not know. Cached.
    const std::string& syscall_name(std::uint32_t arch, int nr);

private:
    const policy::Verdict& decide(const seccomp_data& data, policy::Verdict& scratch);
    bool inject(const std::string& name, int& error);

    const policy::CompiledFilter& policy_;
    std::vector<Injection> injections_;
    bool audit_;
    Emulation emulation_;
    std::uint32_t native_arch_;
    std::vector<std::optional<policy::Verdict>>
        verdict_cache_; // native syscalls without conditions
    std::vector<bool> conditional_;
    std::map<std::string, std::uint64_t> occurrences_; // per syscall name, for --inject when=
    std::vector<std::string> native_names_;
    std::map<std::pair<std::uint32_t, int>, std::string> other_names_;
};

} // namespace supervise
