#include "policy/explain.hpp"

#include <cstdlib>
#include <memory>

#include <seccomp.h>

#include "policy/arch.hpp"

namespace policy {
namespace {

// Argument values that make one condition true.
std::uint64_t witness(const ArgCondition& c) {
    switch (c.op) {
    case Op::NotEqual:
        return c.value + 1;
    case Op::LessThan:
        return c.value == 0 ? 0 : c.value - 1;
    case Op::LessEqual:
    case Op::Equal:
    case Op::GreaterEqual:
        return c.value;
    case Op::GreaterThan:
        return c.value + 1;
    case Op::MaskedEqual:
        return c.value_two;
    }
    return c.value;
}

// An argument value that makes one condition false (for the "otherwise" line).
std::uint64_t counter_witness(const ArgCondition& c) {
    switch (c.op) {
    case Op::NotEqual:
        return c.value;
    case Op::LessThan:
    case Op::LessEqual:
        return ~0ULL;
    case Op::GreaterEqual:
    case Op::GreaterThan:
        return 0;
    case Op::Equal:
        return c.value + 1;
    case Op::MaskedEqual:
        return c.value_two ^ (c.value & (~c.value + 1)); // flip the lowest bit of the mask
    }
    return c.value + 1;
}

} // namespace

std::vector<SyscallVerdict> explain(const CompiledFilter& filter) {
    std::vector<SyscallVerdict> out;
    const std::uint32_t native = arch::native().token;
    for (int nr = 0; nr < 1024; ++nr) {
        std::unique_ptr<char, decltype(&::free)> name(seccomp_syscall_resolve_num_arch(native, nr),
                                                      &::free);
        if (!name) continue;
        SyscallVerdict v;
        v.name = name.get();
        v.nr = nr;
        seccomp_data d{};
        d.nr = nr;
        d.arch = native;

        std::vector<std::string> conditional_rules;
        for (const auto& r : filter.rules) {
            if (r.conditions.empty() || r.name != v.name) continue;
            SyscallVerdict::Case c;
            seccomp_data w = d;
            for (const auto& cond : r.conditions) {
                w.args[cond.index] = witness(cond);
                c.when += (c.when.empty() ? "" : " && ") + describe(cond);
            }
            Verdict got = filter.decide(w);
            c.ret = got.ret;
            c.rule = got.rule;
            conditional_rules.push_back(r.key);
            v.cases.push_back(std::move(c));
        }
        // "Otherwise": arguments that satisfy none of the conditions, tried from a few candidates.
        Verdict fallback = filter.decide(d);
        std::vector<seccomp_data> candidates;
        for (std::uint64_t candidate : {0ULL, ~0ULL, 0x5a5a5a5a5a5a5a5aULL, 0x7fffffffULL}) {
            seccomp_data t = d;
            for (auto& a : t.args) a = candidate;
            candidates.push_back(t);
        }
        // ... and, per conditional rule, arguments that make each of its conditions false
        // (`arg0 != 40` holds for every candidate above).
        for (const auto& r : filter.rules) {
            if (r.conditions.empty() || r.name != v.name) continue;
            seccomp_data t = d;
            for (const auto& cond : r.conditions) t.args[cond.index] = counter_witness(cond);
            candidates.push_back(t);
        }
        for (const seccomp_data& t : candidates) {
            Verdict got = filter.decide(t);
            bool from_condition = false;
            for (const auto& key : conditional_rules)
                if (got.rule == key) from_condition = true;
            if (!from_condition) {
                fallback = got;
                break;
            }
        }
        v.ret = fallback.ret;
        v.rule = fallback.rule;
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace policy
