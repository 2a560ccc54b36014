// SPDX-License-Identifier: Apache-2.0
#include "supervise/judge.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>
#include <seccomp.h>

#include "util/arch.hpp"
#include "util/kernel_compat.hpp"

namespace supervise {

namespace {
constexpr int kTable = 1024;
}

Judge::Judge(const policy::CompiledFilter& policy, std::vector<Injection> injections, bool audit,
             Emulation emulation)
    : policy_(policy), injections_(std::move(injections)), audit_(audit), emulation_(emulation),
      native_arch_(util::arch::native().token), verdict_cache_(kTable), conditional_(kTable, false),
      native_names_(kTable) {
    for (const auto& r : policy_.rules)
        if (!r.conditions.empty())
            for (const auto& [arch, nr] : r.numbers)
                if (arch == native_arch_ && nr >= 0 && nr < kTable)
                    conditional_[static_cast<std::size_t>(nr)] = true;
}

const policy::Verdict& Judge::decide(const seccomp_data& d, policy::Verdict& scratch) {
    const bool cacheable = d.arch == native_arch_ && d.nr >= 0 && d.nr < kTable &&
                           !conditional_[static_cast<std::size_t>(d.nr)];
    if (!cacheable) return scratch = policy_.decide(d);
    auto& slot = verdict_cache_[static_cast<std::size_t>(d.nr)];
    if (!slot) slot = policy_.decide(d);
    return *slot;
}

bool Judge::inject(const std::string& name, int& error) {
    bool counted = false;
    std::uint64_t occurrence = 0;
    for (const auto& inj : injections_) {
        if (std::find(inj.syscalls.begin(), inj.syscalls.end(), name) == inj.syscalls.end())
            continue;
        if (!counted) {
            occurrence = ++occurrences_[name];
            counted = true;
        }
        if (occurrence >= inj.first && occurrence <= inj.last) {
            error = inj.error;
            return true;
        }
    }
    return false;
}

void Judge::judge(const seccomp_data& data, trace::Event& e) {
    policy::Verdict scratch;
    const policy::Verdict& v = decide(data, scratch);
    const bool denies = policy::ret_denies(v.ret);
    e.rule = v.rule;
    e.action = policy::describe_ret(v.ret);
    int inject_error = 0;
    if (denies && !audit_) {
        e.verdict = trace::Verdict::Denied;
        e.result = -1;
        if ((v.ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
            e.err = static_cast<int>(v.ret & SECCOMP_RET_DATA);
        else
            e.err = ENOSYS; // TRACE without a tracer, as on a node; KILL or TRAP that the kernel
                            // did not carry out: fail closed
        return;
    }
    if (!e.restarted && inject(e.name, inject_error)) {
        e.verdict = trace::Verdict::Injected;
        e.err = inject_error;
        e.result = -1;
        return;
    }
    if (emulation_.handles(e.name)) { // allowed (or only "would deny"): sandbox answers it
        e.verdict = trace::Verdict::Emulated;
        e.result = 0;
        return;
    }
    e.verdict = denies ? trace::Verdict::WouldDeny : trace::Verdict::Allowed;
}

const std::string& Judge::syscall_name(std::uint32_t arch, int nr) {
    const bool native = arch == native_arch_ && nr >= 0 && nr < kTable;
    if (native && !native_names_[static_cast<std::size_t>(nr)].empty())
        return native_names_[static_cast<std::size_t>(nr)];
    if (!native)
        if (auto it = other_names_.find({arch, nr}); it != other_names_.end()) return it->second;
    std::string name;
    if (char* n = seccomp_syscall_resolve_num_arch(arch, nr)) {
        name = n;
        std::free(n);
    } else {
        name = fmt::format("syscall_{}", nr);
    }
    if (native) return native_names_[static_cast<std::size_t>(nr)] = std::move(name);
    return other_names_[{arch, nr}] = std::move(name);
}

} // namespace supervise
