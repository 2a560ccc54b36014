// SPDX-License-Identifier: Apache-2.0
#include "policy/diff.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "policy/load.hpp"
#include "util/arch.hpp"

namespace policy {
namespace {

// The argument-dependent cases that change something, in a canonical order: a case with the
// fallback's own verdict is no case at all (a rule with the default's action, say).
std::vector<std::pair<std::string, std::uint32_t>> effective_cases(const SyscallVerdict& v) {
    std::vector<std::pair<std::string, std::uint32_t>> out;
    for (const auto& c : v.cases)
        if (c.ret != v.ret) out.emplace_back(c.when, c.ret);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> arch_names(const CompiledFilter& f) {
    std::vector<std::string> out;
    for (auto token : f.arches) {
        auto info = util::arch::from_token(token);
        out.emplace_back(info ? info->profile_name : "?");
    }
    // The native one stays first (compile puts it there); the rest in a canonical order.
    if (out.size() > 1) std::sort(out.begin() + 1, out.end());
    return out;
}

} // namespace

Policy load_side(const std::string& spec) {
    static const std::string prefix = "profile:";
    if (spec.rfind(prefix, 0) == 0) return load_bundled(spec.substr(prefix.size()));
    return load_file(spec);
}

PolicyDiff diff(const Policy& a, const CompiledFilter& fa, const Policy& b,
                const CompiledFilter& fb) {
    PolicyDiff d;
    d.source_a = a.source;
    d.source_b = b.source;
    d.arches_a = arch_names(fa);
    d.arches_b = arch_names(fb);
    const auto va = explain(fa);
    const auto vb = explain(fb);
    std::map<int, const SyscallVerdict*> by_nr;
    for (const auto& v : vb) by_nr[v.nr] = &v;
    for (const auto& x : va) {
        auto it = by_nr.find(x.nr);
        if (it == by_nr.end()) continue; // both come from the same libseccomp: never happens
        const SyscallVerdict& y = *it->second;
        ++d.compared;
        if (x.ret == y.ret && effective_cases(x) == effective_cases(y)) continue;
        d.changed.push_back({x.name, x.nr, x, y});
    }
    return d;
}

std::string summarize(const SyscallVerdict& v) {
    std::string out;
    for (const auto& [when, ret] : effective_cases(v))
        out += describe_ret(ret) + " if " + when + "; ";
    return out.empty() ? describe_ret(v.ret) : out + "else " + describe_ret(v.ret);
}

std::string summarize_rules(const SyscallVerdict& v) {
    std::vector<std::string> rules;
    for (const auto& c : v.cases)
        if (c.ret != v.ret && std::find(rules.begin(), rules.end(), c.rule) == rules.end())
            rules.push_back(c.rule);
    std::string out;
    for (const auto& r : rules) out += (out.empty() ? "" : ", ") + r;
    return out.empty() ? v.rule : out + "; else " + v.rule;
}

} // namespace policy
