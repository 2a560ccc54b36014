// SPDX-License-Identifier: Apache-2.0
#pragma once
// What policy::compile and policy::route share about libseccomp: an owned filter context, the
// comparison operators, and reading back what it exports (BPF, pseudo-code) through a memfd.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <linux/filter.h>
#include <seccomp.h>

#include "policy/model.hpp"

namespace policy::libseccomp {

// An owned scmp_filter_ctx (seccomp_init .. seccomp_release).
struct Ctx {
    scmp_filter_ctx ctx;
    explicit Ctx(std::uint32_t default_action) : ctx(seccomp_init(default_action)) {}
    ~Ctx() {
        if (ctx) seccomp_release(ctx);
    }
    Ctx(const Ctx&) = delete;
    Ctx& operator=(const Ctx&) = delete;
};

scmp_compare to_scmp(Op op);

// A filter for libseccomp to build, as plain data.
struct RuleSpec {
    std::uint32_t ret = 0;
    int nr = 0;
    std::vector<scmp_arg_cmp> cmps;
};
struct BuildSpec {
    std::uint32_t default_action = 0;
    std::vector<std::uint32_t> extra_arches; // besides the native one
    std::vector<RuleSpec> rules;
    unsigned cpu_seconds = 10;        // the child's RLIMIT_CPU
    bool tolerate_duplicates = false; // a rule libseccomp already has (EEXIST) is no failure
};
struct BuildResult {
    enum class Failure { None, Init, Arch, Rule, Export, Timeout, Crashed };
    Failure failure = Failure::None;
    std::size_t index = 0; // the arch or rule that failed, or that was being added at a timeout
    int error = 0;         // errno of a failed libseccomp call
    std::vector<sock_filter> program;
    std::string pseudo_code;
};

// Builds the filter with libseccomp in a forked child with a CPU-time limit, so that no profile
// can keep sandbox busy for long: libseccomp 2.5.4 never returns from seccomp_rule_add for some
// pairs of rules (two rules on one syscall that share a first NE/LT/LE/GE/GT condition, then
// compare one argument with an ordering and then an equality), and its BPF generation grows
// steeply with the size of the program. Bad rules and exports come back as failures (with the
// index of the arch or rule), never as exceptions; a child that runs out of time is a Timeout.
BuildResult build(const BuildSpec& spec);

// The BPF program libseccomp generates (empty when it fails: the caller says why).
std::vector<sock_filter> export_bpf(const Ctx& ctx, int& error);
// libseccomp's pseudo-code ("" when it fails).
std::string export_pfc(const Ctx& ctx);

} // namespace policy::libseccomp
