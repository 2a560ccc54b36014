// SPDX-License-Identifier: Apache-2.0
#include "policy/explain.hpp"

#include <array>
#include <cstdlib>
#include <memory>

#include <seccomp.h>

#include "util/arch.hpp"

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

// The verdict when rule `r`'s conditions hold, with the arguments it leaves free chosen so that
// the other rules of the syscall do not hold where that can be (socket's "arg0 == 2" row must not
// be decided by another rule's "arg1 == 0" because the free arguments happened to be 0). When no
// choice lets `r` decide, the verdict names the rule that does.
Verdict decide_for(const CompiledFilter& filter, const CompiledRule& r, const seccomp_data& d) {
    seccomp_data w = d;
    std::array<bool, 6> fixed{};
    for (const auto& cond : r.conditions) {
        w.args[cond.index] = witness(cond);
        fixed[cond.index] = true;
    }
    // Per free argument, the values to try: those that make another rule's condition on it
    // false, then a few plain ones.
    std::array<std::vector<std::uint64_t>, 6> pool;
    for (const auto& o : filter.rules) {
        if (&o == &r || o.name != r.name) continue;
        for (const auto& cond : o.conditions)
            if (!fixed[cond.index]) pool[cond.index].push_back(counter_witness(cond));
    }
    std::vector<unsigned> free;
    for (unsigned i = 0; i < 6; ++i) {
        if (fixed[i]) continue;
        for (std::uint64_t x : {0ULL, ~0ULL, 0x7fffffffULL, 1ULL}) pool[i].push_back(x);
        free.push_back(i);
    }
    // Odometer over the pools, first values first; bounded (the first try nearly always does).
    std::array<std::size_t, 6> at{};
    Verdict first;
    for (int tries = 0; tries < 256; ++tries) {
        for (unsigned i : free) w.args[i] = pool[i][at[i]];
        const Verdict got = filter.decide(w);
        if (tries == 0) first = got;
        if (got.rule == r.key) return got;
        std::size_t k = 0;
        for (; k < free.size(); ++k) {
            const unsigned i = free[k];
            if (++at[i] < pool[i].size()) break;
            at[i] = 0;
        }
        if (k == free.size()) break; // every combination tried
    }
    return first;
}

} // namespace

std::vector<SyscallVerdict> explain(const CompiledFilter& filter) {
    std::vector<SyscallVerdict> out;
    const std::uint32_t native = util::arch::native().token;
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
            for (const auto& cond : r.conditions)
                c.when += (c.when.empty() ? "" : " && ") + describe(cond);
            const Verdict got = decide_for(filter, r, d);
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
