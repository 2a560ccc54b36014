// SPDX-License-Identifier: Apache-2.0
#include "policy/model.hpp"

#include <limits>

#include <fmt/format.h>

#include "util/error.hpp"

namespace policy {

bool repeats_an_index(const std::vector<ArgCondition>& args) {
    unsigned per_index[6] = {};
    for (const auto& a : args)
        if (a.index < 6 && ++per_index[a.index] > 1) return true;
    return false;
}

std::vector<std::vector<ArgCondition>>
filter_rule_conditions(const std::vector<ArgCondition>& args) {
    if (!repeats_an_index(args)) return {args};
    std::vector<std::vector<ArgCondition>> out;
    out.reserve(args.size());
    for (const auto& a : args) out.push_back({a});
    return out;
}

std::uint64_t condition_combinations(const std::vector<ArgCondition>& args) {
    return repeats_an_index(args) ? args.size() : 1;
}

std::uint64_t expanded_rule_count(const Rule& rule) {
    const std::uint64_t combinations = condition_combinations(rule.args);
    const std::uint64_t names = rule.names.size();
    if (names != 0 && combinations > std::numeric_limits<std::uint64_t>::max() / names)
        return std::numeric_limits<std::uint64_t>::max();
    return names * combinations;
}

std::string action_name(Action a) {
    switch (a) {
    case Action::Allow:
        return "SCMP_ACT_ALLOW";
    case Action::Errno:
        return "SCMP_ACT_ERRNO";
    case Action::KillThread:
        return "SCMP_ACT_KILL_THREAD";
    case Action::KillProcess:
        return "SCMP_ACT_KILL_PROCESS";
    case Action::Trap:
        return "SCMP_ACT_TRAP";
    case Action::Trace:
        return "SCMP_ACT_TRACE";
    case Action::Log:
        return "SCMP_ACT_LOG";
    case Action::Notify:
        return "SCMP_ACT_NOTIFY";
    }
    return "?";
}

std::string describe(const ActionSpec& a) {
    std::string base = action_name(a.action).substr(9); // drop "SCMP_ACT_"
    if (a.action == Action::Errno && a.data)
        return base + "(" + util::errno_name(int(*a.data)) + ")";
    if (a.action == Action::Trace && a.data) return fmt::format("{}({})", base, *a.data);
    return base;
}

std::string op_name(Op op) {
    switch (op) {
    case Op::NotEqual:
        return "SCMP_CMP_NE";
    case Op::LessThan:
        return "SCMP_CMP_LT";
    case Op::LessEqual:
        return "SCMP_CMP_LE";
    case Op::Equal:
        return "SCMP_CMP_EQ";
    case Op::GreaterEqual:
        return "SCMP_CMP_GE";
    case Op::GreaterThan:
        return "SCMP_CMP_GT";
    case Op::MaskedEqual:
        return "SCMP_CMP_MASKED_EQ";
    }
    return "?";
}

std::string op_symbol(Op op) {
    switch (op) {
    case Op::NotEqual:
        return "!=";
    case Op::LessThan:
        return "<";
    case Op::LessEqual:
        return "<=";
    case Op::Equal:
        return "==";
    case Op::GreaterEqual:
        return ">=";
    case Op::GreaterThan:
        return ">";
    case Op::MaskedEqual:
        return "&";
    }
    return "?";
}

std::string describe(const ArgCondition& c) {
    // An equality compiled at the kernel's 32-bit width (see policy::compile).
    if (c.op == Op::MaskedEqual && c.value == 0xffffffffULL)
        return fmt::format("arg{} == {:#x} (32-bit)", c.index, c.value_two);
    if (c.op == Op::MaskedEqual)
        return fmt::format("arg{} & {:#x} == {:#x}", c.index, c.value, c.value_two);
    return fmt::format("arg{} {} {:#x}", c.index, op_symbol(c.op), c.value);
}

} // namespace policy
