// SPDX-License-Identifier: Apache-2.0
#pragma once
// The OCI/Docker seccomp profile as plain values. Produced by policy::load (which validates and
// names the failing JSON key), consumed by policy::compile. No logic here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace policy {

enum class Action { Allow, Errno, KillThread, KillProcess, Trap, Trace, Log, Notify };

struct ActionSpec {
    Action action = Action::Allow;
    // errno for Errno, message for Trace; nullopt means "the profile did not say"
    std::optional<std::uint32_t> data;
};

enum class Op { NotEqual, LessThan, LessEqual, Equal, GreaterEqual, GreaterThan, MaskedEqual };

struct ArgCondition {
    unsigned index = 0;
    std::uint64_t value = 0;
    std::uint64_t value_two = 0;
    Op op = Op::Equal;
};

// Docker's includes/excludes: a rule applies only on matching runs (moby profiles/seccomp).
struct RuleFilter {
    std::vector<std::string> caps;         // "CAP_SYS_ADMIN"
    std::vector<std::string> arches;       // Go names: "amd64", "arm64", "386", ...
    std::optional<std::string> min_kernel; // "4.8"
    [[nodiscard]] bool empty() const { return caps.empty() && arches.empty() && !min_kernel; }
};

struct Rule {
    std::vector<std::string> names;
    ActionSpec action;
    std::vector<ArgCondition> args;
    RuleFilter includes;
    RuleFilter excludes;
    std::string comment;
    std::string key; // "syscalls[3]": where the rule stands in the file
    // The rule gave its syscall as Docker's "name" (not "names"): Docker reads it, containerd and
    // runc do not (the OCI runtime-spec has only "names"), so on a Kubernetes node it does nothing.
    bool uses_name_key = false;
};

struct ArchMapEntry {
    std::string architecture; // "SCMP_ARCH_X86_64"
    std::vector<std::string> sub_architectures;
};

struct Policy {
    std::string source; // file name or "profile NAME", for messages
    ActionSpec default_action;
    std::vector<std::string> architectures; // "SCMP_ARCH_X86_64", ...
    std::vector<ArchMapEntry> arch_map;
    std::vector<Rule> rules;
    std::vector<std::string> flags;           // "SECCOMP_FILTER_FLAG_LOG", ...
    std::optional<std::string> listener_path; // "listenerPath": the seccomp agent's socket
    std::vector<std::string> warnings;        // found while loading (unknown keys, ...)
    std::vector<std::string> unknown_keys;    // "sycalls", "syscalls[2].nmes": --strict refuses
};

// The filter rules a profile rule becomes in compile, as runc makes them (libcontainer/seccomp,
// matchCall; the same in runc 1.1 and 1.2): one per name; when no argument index repeats, all the
// conditions in one rule (all must hold); when any index repeats, every condition becomes a rule
// of its own (any one suffices), even those on other indexes.
bool repeats_an_index(const std::vector<ArgCondition>& args);
std::vector<std::vector<ArgCondition>>
filter_rule_conditions(const std::vector<ArgCondition>& args);
// How many filter rules each name of a rule becomes, and all its names together (saturating at
// UINT64_MAX), counted without building them.
std::uint64_t expanded_rule_count(const Rule& rule);
std::uint64_t condition_combinations(const std::vector<ArgCondition>& args);
// At most this many filter rules after expansion, in all of a profile's rules together: the
// kernel runs at most 4096 BPF instructions (BPF_MAXINSNS) and every rule takes at least one.
inline constexpr std::uint64_t kMaxFilterRules = 4096;

std::string action_name(Action a);           // "SCMP_ACT_ERRNO"
std::string describe(const ActionSpec& a);   // "ERRNO(EPERM)", "ALLOW", "KILL_PROCESS"
std::string op_name(Op op);                  // "SCMP_CMP_EQ"
std::string op_symbol(Op op);                // "==", "&"
std::string describe(const ArgCondition& c); // "arg1 == 0x1ed", "arg0 & 0x3 == 0x1"

} // namespace policy
