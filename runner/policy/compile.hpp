// SPDX-License-Identifier: Apache-2.0
#pragma once
// Policy -> a BPF program for the kernel, plus what is needed to say which rule decided a call.
// Pure: nothing here touches the running process's seccomp state.
#include <cstdint>
#include <string>
#include <vector>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "policy/model.hpp"

namespace policy {

struct CompileContext {
    std::vector<std::string>
        capabilities; // the command's bounding set, "CAP_NET_ADMIN", for includes.caps
    unsigned kernel_major = 0;
    unsigned kernel_minor = 0;
    bool strict = false; // unknown syscall names are errors, not warnings
    // --strict-args: conditions on arguments the kernel reads as 32 bits compare the low 32 bits
    // only (EQ V becomes MASKED_EQ 0xffffffff V), stricter than the node, where runc compares
    // all 64 bits.
    bool strict_args = false;
    // libseccomp builds the filter in a child process with this much CPU time at most: some
    // profiles make it loop forever (see libseccomp::build); then the profile is refused (122).
    unsigned libseccomp_cpu_seconds = 10;

    static CompileContext for_this_kernel(std::vector<std::string> capabilities, bool strict);
};

// One libseccomp rule as it was added: a syscall, conditions that must all hold, a return value.
struct CompiledRule {
    std::string key;  // "syscalls[3]", or "implicit: ..." for rules sandbox adds
    std::string name; // syscall name
    std::vector<std::pair<std::uint32_t, int>> numbers; // (arch token, syscall number) per arch
    std::vector<ArgCondition> conditions;
    std::uint32_t ret = 0; // SECCOMP_RET_* | data
    bool same_as_default =
        false; // not in the program (libseccomp refuses it): kept to name the rule
};

struct Verdict {
    std::uint32_t ret = 0; // what the filter returns
    std::string rule;      // "syscalls[3]", "defaultAction", "implicit: ..."
};

struct CompiledFilter {
    std::vector<sock_filter> program;
    std::uint32_t default_ret = 0;
    std::vector<std::uint32_t> arches; // arch tokens the filter accepts
    std::vector<CompiledRule> rules;
    unsigned install_flags = 0; // SECCOMP_FILTER_FLAG_* from the profile's "flags"
    std::vector<std::string> warnings;
    std::string pseudo_code; // libseccomp's PFC export, for `policy explain`
    // runc's ENOSYS stub: per ABI, syscall numbers above the highest one the profile names get
    // ERRNO(ENOSYS). `arch` is the audit value the kernel reports (x32 calls come as x86-64 with
    // bit 30 of the number set: `x32`); `above` includes that bit.
    struct EnosysBound {
        std::uint32_t arch = 0;
        bool x32 = false;
        std::uint32_t above = 0;
        std::string abi; // "SCMP_ARCH_X86_64"
    };
    std::vector<EnosysBound> enosys;
    int enosys_above = -1; // the native ABI's bound (-1: no stub for it), for reports
    // instructions of the ENOSYS stub before libseccomp's program
    std::size_t prologue_length = 0;
    std::uint32_t native_arch = 0; // the native arch token

    // The verdict the kernel would give, computed by running the program, and the rule behind it.
    [[nodiscard]] Verdict decide(const seccomp_data& data) const;
};

CompiledFilter compile(const Policy& policy, const CompileContext& context);

// "ALLOW", "ERRNO(EPERM)", "KILL_PROCESS", ... for a SECCOMP_RET_* value.
std::string describe_ret(std::uint32_t ret);
// True when a filter return value stops the syscall (errno, kill, trap; trace, which fails with
// ENOSYS when no tracer is attached, as on a node).
bool ret_denies(std::uint32_t ret);
// Whether a rule's Docker includes/excludes let it apply to a run in `context` on this machine's
// architecture (what compile does with each rule).
bool rule_applies(const Rule& rule, const CompileContext& context);
// Whether runc builds its ENOSYS stub for a profile with this default (not for ALLOW, LOG, TRACE;
// sandbox leaves it out for ERRNO(ENOSYS) too, where it changes nothing).
bool wants_enosys_stub(const ActionSpec& default_action);
// Whether condition `c` holds for argument value `v`, at 64 bits as the filter compares.
bool condition_holds(const ArgCondition& c, std::uint64_t v);

} // namespace policy
