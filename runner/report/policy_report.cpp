// SPDX-License-Identifier: Apache-2.0
#include "report/policy_report.hpp"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/explain.hpp"
#include "policy/load.hpp"
#include "util/arch.hpp"
#include "util/json_schema.hpp"
#include "util/table.hpp"

namespace report {
namespace {

std::string arch_list(const policy::CompiledFilter& f) {
    std::string out;
    const auto native = util::arch::native().token;
    for (auto a : f.arches) {
        auto info = util::arch::from_token(a);
        out += (out.empty() ? "" : ", ") + std::string(info ? info->profile_name : "?");
        if (a == native) out += " (native)";
    }
    return out;
}

std::size_t named_syscalls(const policy::Policy& p) {
    std::size_t n = 0;
    for (const auto& r : p.rules) n += r.names.size();
    return n;
}

} // namespace

std::string validate_text(const policy::Policy& p, const policy::CompiledFilter& f) {
    return fmt::format("{}: valid\n"
                       "  defaultAction   {}\n"
                       "  rules           {} (naming {} syscalls)\n"
                       "  architectures   {}\n"
                       "  compiled filter {} BPF instructions (the kernel allows 4096)\n",
                       p.source, policy::describe(p.default_action), p.rules.size(),
                       named_syscalls(p), arch_list(f), f.program.size());
}

std::string validate_json(const policy::Policy& p, const policy::CompiledFilter& f) {
    auto j = util::report_object();
    j["source"] = p.source;
    j["valid"] = true;
    j["default_action"] = policy::describe(p.default_action);
    j["rules"] = p.rules.size();
    j["instructions"] = f.program.size();
    j["warnings"] = f.warnings;
    return util::json_line(j);
}

std::string validate_error_json(const std::string& source, const std::string& error) {
    auto j = util::report_object();
    j["source"] = source;
    j["valid"] = false;
    j["error"] = error;
    return util::json_line(j);
}

std::string explain_text(const policy::Policy& p, const policy::CompiledFilter& f, bool all,
                         bool pseudo_code) {
    std::string out = fmt::format("Profile {}\n  defaultAction  {}\n  architectures  {}\n\n",
                                  p.source, policy::describe_ret(f.default_ret), arch_list(f));
    const auto verdicts = policy::explain(f);
    util::Table t({"SYSCALL", "NR", "VERDICT", "RULE", "WHEN"});
    std::map<std::string, std::size_t> hidden; // verdict -> count of syscalls not listed
    for (const auto& v : verdicts) {
        const bool plain_default = v.cases.empty() && v.rule == "defaultAction";
        if (plain_default && !all) {
            ++hidden[policy::describe_ret(v.ret)];
            continue;
        }
        if (v.cases.empty()) {
            t.add({v.name, std::to_string(v.nr), policy::describe_ret(v.ret), v.rule, ""});
            continue;
        }
        bool first = true;
        for (const auto& c : v.cases) {
            t.add({first ? v.name : "", first ? std::to_string(v.nr) : "",
                   policy::describe_ret(c.ret), c.rule, c.when});
            first = false;
        }
        t.add({"", "", policy::describe_ret(v.ret), v.rule, "otherwise"});
    }
    out += "Effective verdict per syscall (the compiled filter, evaluated):\n";
    out += t.empty() ? "  (no syscall differs from the default action)\n" : t.render(2);
    for (const auto& [verdict, n] : hidden)
        out += fmt::format("  ... and {} other syscalls: {} (defaultAction); --all lists them\n", n,
                           verdict);
    for (const auto& e : f.enosys)
        out += fmt::format("  {}: syscall numbers above {} (newer than any the profile names) get "
                           "ERRNO(ENOSYS) (runc's stub).\n",
                           e.abi, e.above & ~0x40000000U);
    if (pseudo_code) out += "\nCompiled filter (libseccomp pseudo-code):\n" + f.pseudo_code;
    return out;
}

std::string explain_json(const policy::Policy& p, const policy::CompiledFilter& f,
                         bool pseudo_code) {
    using Json = nlohmann::ordered_json;
    auto j = util::report_object();
    j["source"] = p.source;
    j["default_action"] = policy::describe_ret(f.default_ret);
    j["enosys_above"] = f.enosys_above;
    j["enosys_stub"] = Json::array();
    for (const auto& e : f.enosys)
        j["enosys_stub"].push_back({{"arch", e.abi}, {"above", e.above & ~0x40000000U}});
    j["syscalls"] = Json::array();
    for (const auto& v : policy::explain(f)) {
        Json s{{"syscall", v.name},
               {"nr", v.nr},
               {"action", policy::describe_ret(v.ret)},
               {"rule", v.rule}};
        if (!v.cases.empty()) {
            s["cases"] = Json::array();
            for (const auto& c : v.cases)
                s["cases"].push_back(
                    {{"when", c.when}, {"action", policy::describe_ret(c.ret)}, {"rule", c.rule}});
        }
        j["syscalls"].push_back(std::move(s));
    }
    j["warnings"] = f.warnings;
    if (pseudo_code) j["pseudo_code"] = f.pseudo_code;
    return util::json_line(j);
}

std::string bundled_list_text() {
    util::Table t({"NAME", "DEFAULT", "RULES", "USE"});
    for (const auto& b : policy::bundled_profiles()) {
        auto p = policy::parse(b.json, std::string(b.name));
        t.add({std::string(b.name), policy::describe(p.default_action),
               std::to_string(p.rules.size()), "--profile " + std::string(b.name)});
    }
    return t.render() + "Each is described in policies/README.md.\n";
}

std::string bundled_list_json() {
    auto j = util::report_object();
    j["profiles"] = nlohmann::ordered_json::array();
    for (const auto& b : policy::bundled_profiles()) {
        auto p = policy::parse(b.json, std::string(b.name));
        j["profiles"].push_back({{"profile", std::string(b.name)},
                                 {"default_action", policy::describe(p.default_action)},
                                 {"rules", p.rules.size()}});
    }
    return util::json_line(j);
}

} // namespace report
