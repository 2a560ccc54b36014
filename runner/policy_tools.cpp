// SPDX-License-Identifier: Apache-2.0
#include "policy_tools.hpp"

#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "launch/plan.hpp"
#include "policy/audit_log.hpp"
#include "policy/compile.hpp"
#include "policy/diff.hpp"
#include "policy/export.hpp"
#include "policy/lint.hpp"
#include "policy/load.hpp"
#include "report/policy_tools.hpp"
#include "util/error.hpp"

namespace app {

std::vector<std::string> container_capabilities(const std::vector<std::string>& cap_add) {
    options::Run run;
    run.cap_add = cap_add;
    return launch::kept_capabilities(run);
}

namespace {

using Warn = std::function<void(const std::string&)>;

// The text of a profile exactly as given (install copies these bytes), and its source name.
std::pair<std::string, std::string> profile_text(const std::optional<std::string>& file,
                                                 const std::optional<std::string>& profile) {
    if (profile) {
        for (const auto& b : policy::bundled_profiles())
            if (b.name == *profile) return {std::string(b.json), "profile " + *profile};
        policy::load_bundled(*profile); // throws, listing the bundled names
    }
    return {policy::read_profile(*file), *file}; // a regular file of at most 4 MiB
}

policy::CompiledFilter compile_quietly(const policy::Policy& p,
                                       const std::vector<std::string>& cap_add = {}) {
    return policy::compile(
        p, policy::CompileContext::for_this_kernel(container_capabilities(cap_add), false));
}

// Validates like `policy validate` (throws 122 when invalid) and points at lint's warnings.
policy::Policy validated(const std::string& text, const std::string& source, const Warn& warn) {
    policy::Policy p = policy::parse(text, source);
    compile_quietly(p);
    const auto report = policy::lint(p);
    const auto warnings = report.count(policy::Severity::Warning);
    if (warnings > 0)
        warn(fmt::format("{}: {} lint warning{}; see `sandbox policy lint {}`", source, warnings,
                         warnings == 1 ? "" : "s",
                         source.rfind("profile ", 0) == 0 ? "--profile " + source.substr(8)
                                                          : source));
    return p;
}

int lint(const options::PolicyLint& o) {
    policy::LintReport r;
    if (o.profile) {
        auto [text, source] = profile_text(std::nullopt, o.profile);
        r = policy::lint_text(text, source);
    } else {
        r = policy::lint_file(*o.file);
    }
    std::cout << (o.json ? report::lint_json(r) : report::lint_text(r));
    return r.exit_code();
}

int diff(const options::PolicyDiff& o, const Warn& warn) {
    const policy::Policy a = policy::load_side(o.a);
    const policy::Policy b = policy::load_side(o.b);
    const policy::CompiledFilter fa = compile_quietly(a, o.cap_add);
    const policy::CompiledFilter fb = compile_quietly(b, o.cap_add);
    if (!o.json)
        for (const auto* f : {&fa, &fb})
            for (const auto& w : f->warnings) warn(w);
    const policy::PolicyDiff d = policy::diff(a, fa, b, fb);
    std::cout << (o.json ? report::diff_json(d) : report::diff_text(d));
    return d.equal() ? 0 : 1;
}

std::string name_for(const std::optional<std::string>& given, const std::string& source) {
    if (given) {
        policy::check_profile_name(*given);
        return *given;
    }
    return policy::default_profile_name(source);
}

int export_profile(const options::PolicyExport& o, const Warn& warn) {
    auto [text, source] = profile_text(o.file, o.profile);
    const policy::Policy p = validated(text, source, warn);
    const std::string name = name_for(o.name, source);
    // --json: the same Kubernetes object as JSON (kubectl's -o json), without the YAML's comment
    // lines: a document for the API server, not a report (no schema_version; docs/json.md).
    if (o.format == "pod") {
        const auto snippet = policy::pod_snippet(policy::localhost_profile(name));
        if (o.json) {
            std::cout << report::to_json(snippet);
            return 0;
        }
        std::cout << fmt::format("# the profile installed as <kubelet root>/seccomp/{} (sandbox "
                                 "policy install {} --name {})\n",
                                 policy::localhost_profile(name),
                                 o.profile ? "--profile " + *o.profile : source, name)
                  << report::to_yaml(snippet);
        return 0;
    }
    const policy::SpoExport spo = policy::spo_object(p, name, container_capabilities(o.cap_add));
    for (const auto& d : spo.dropped) warn(fmt::format("{}: {}", source, d));
    if (o.json) {
        std::cout << report::to_json(spo.object);
        return 0;
    }
    std::cout << report::to_yaml(spo.object)
              << fmt::format(
                     "# a Pod refers to it as localhostProfile: operator/<namespace>/{}.json "
                     "(the operator's status.localhostProfile)\n",
                     name);
    return 0;
}

int install(const options::PolicyInstall& o, const Warn& warn) {
    auto [text, source] = profile_text(o.file, o.profile);
    validated(text, source, warn);
    const std::string name = name_for(o.name, source);
    const policy::InstallResult r = policy::install(text, o.kubelet_root, name, o.force);
    if (o.json) {
        std::cout << report::install_json(r, name, policy::localhost_profile(name));
        return 0;
    }
    std::cout << fmt::format("# {} {}\n",
                             r.unchanged  ? "already installed, unchanged:"
                             : r.replaced ? "installed (replacing a different file):"
                                          : "installed:",
                             r.path)
              << report::to_yaml(policy::pod_snippet(policy::localhost_profile(name)));
    return 0;
}

int audit_log(const options::PolicyAuditLog& o) {
    policy::AuditLog log;
    if (o.input == "-") {
        log = policy::parse_audit_log(std::cin);
    } else {
        std::ifstream in(o.input, std::ios::binary);
        if (!in)
            util::throw_usage(util::syscall_error("open", o.input, errno),
                              "give an audit log (/var/log/audit/audit.log), a saved `dmesg` or "
                              "`journalctl -k`, or - for stdin");
        log = policy::parse_audit_log(in);
    }
    const bool with_policy = o.policy_file || o.profile;
    if (with_policy) {
        const policy::Policy p =
            o.policy_file ? policy::load_file(*o.policy_file) : policy::load_bundled(*o.profile);
        policy::judge(log, compile_quietly(p));
    }
    std::cout << (o.json ? report::audit_log_json(log) : report::audit_log_text(log, with_policy));
    return 0;
}

} // namespace

std::optional<int> policy_tool_command(const cli::Command& cmd, const Warn& warn) {
    if (const auto* l = std::get_if<cli::PolicyLint>(&cmd)) return lint(l->options);
    if (const auto* d = std::get_if<cli::PolicyDiff>(&cmd)) return diff(d->options, warn);
    if (const auto* e = std::get_if<cli::PolicyExport>(&cmd))
        return export_profile(e->options, warn);
    if (const auto* i = std::get_if<cli::PolicyInstall>(&cmd)) return install(i->options, warn);
    if (const auto* a = std::get_if<cli::PolicyAuditLog>(&cmd)) return audit_log(a->options);
    return std::nullopt;
}

} // namespace app
