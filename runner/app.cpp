#include "app.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "doctor/doctor.hpp"
#include "launch/plan.hpp"
#include "launch/spawn.hpp"
#include "output/policy_report.hpp"
#include "policy/compile.hpp"
#include "policy/load.hpp"
#include "util/error.hpp"

namespace app {
namespace {

bool stderr_tty() {
    return ::isatty(STDERR_FILENO) == 1;
}

void print_diagnostic(const char* level, const std::string& msg, const std::string& hint = {}) {
    const bool colour = stderr_tty();
    const char* on = colour ? (std::string(level) == "error" ? "\033[1;31m" : "\033[1;33m") : "";
    const char* off = colour ? "\033[0m" : "";
    std::string text = fmt::format("sandbox: {}{}{}: {}\n", on, level, off, msg);
    if (!hint.empty()) text += fmt::format("  hint: {}\n", hint);
    std::fputs(text.c_str(), stderr);
}

void warn(const std::string& msg) {
    print_diagnostic("warning", msg);
}

policy::Policy load_policy(const std::optional<std::string>& file,
                           const std::optional<std::string>& profile) {
    if (file) return policy::load_file(*file);
    return policy::load_bundled(profile ? *profile : "baseline");
}

int run_command(const options::Run& o) {
    policy::Policy pol = load_policy(o.policy_file, o.profile_name);
    auto ctx = policy::CompileContext::for_this_kernel(launch::kept_capabilities(o), o.strict);
    policy::CompiledFilter filter = policy::compile(pol, ctx);
    for (const auto& w : filter.warnings) warn(w);
    launch::Plan plan = launch::make_plan(o, filter);
    launch::Outcome out = launch::run(plan, warn);
    if (out.signaled) {
        const char* abbrev = sigabbrev_np(out.signal);
        std::string name =
            abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(out.signal);
        std::string why =
            out.signal == SIGSYS ? " (a seccomp filter killed it: the policy's KILL action)" : "";
        print_diagnostic("note", fmt::format("{} was killed by {}{}; exit status {}", o.command[0],
                                             name, why, out.exit_code));
    }
    return out.exit_code;
}

policy::CompiledFilter compile_for_report(const options::PolicyFile& o, policy::Policy& p) {
    p = load_policy(o.file, o.profile);
    return policy::compile(p, policy::CompileContext::for_this_kernel({}, o.strict));
}

int policy_validate(const options::PolicyFile& o) {
    policy::Policy p;
    try {
        policy::CompiledFilter f = compile_for_report(o, p);
        if (o.json) {
            std::cout << output::validate_json(p, f);
        } else {
            for (const auto& w : f.warnings) warn(w);
            std::cout << output::validate_text(p, f);
        }
    } catch (const util::Error& e) {
        if (o.json && e.exit_code() == util::exit_code::policy)
            std::cout << nlohmann::json{{"source", p.source.empty()
                                                       ? o.file.value_or(o.profile.value_or(""))
                                                       : p.source},
                                        {"valid", false},
                                        {"error", e.what()}}
                             .dump()
                      << "\n";
        throw;
    }
    return 0;
}

int policy_explain(const options::PolicyFile& o) {
    policy::Policy p;
    policy::CompiledFilter f = compile_for_report(o, p);
    if (o.json) {
        std::cout << output::explain_json(p, f, o.pseudo_code);
    } else {
        for (const auto& w : f.warnings) warn(w);
        std::cout << output::explain_text(p, f, o.all, o.pseudo_code);
    }
    return 0;
}

int dispatch(const cli::Command& cmd) {
    if (const auto* h = std::get_if<cli::Help>(&cmd)) {
        std::cout << cli::help_text(h->topic);
        return 0;
    }
    if (std::holds_alternative<cli::Version>(cmd)) {
        std::cout << cli::version_text();
        return 0;
    }
    if (const auto* r = std::get_if<cli::Run>(&cmd)) return run_command(r->options);
    if (const auto* v = std::get_if<cli::PolicyValidate>(&cmd)) return policy_validate(v->options);
    if (const auto* e = std::get_if<cli::PolicyExplain>(&cmd)) return policy_explain(e->options);
    if (std::holds_alternative<cli::PolicyList>(cmd)) {
        std::cout << output::bundled_list_text();
        return 0;
    }
    if (const auto* d = std::get_if<cli::Doctor>(&cmd)) {
        auto findings = doctor::probe();
        std::cout << (d->options.json
                          ? doctor::render_json(findings)
                          : doctor::render_text(findings, ::isatty(STDOUT_FILENO) == 1));
        return doctor::exit_code(findings);
    }
    return util::exit_code::internal;
}

} // namespace

int run(const std::vector<std::string>& args) noexcept {
    try {
        int rc = dispatch(cli::parse(args));
        std::cout.flush();
        return rc;
    } catch (const util::Error& e) {
        std::cout.flush();
        print_diagnostic("error", e.what(), e.hint());
        return e.exit_code();
    } catch (const std::exception& e) {
        print_diagnostic("error", std::string("internal error: ") + e.what(),
                         "please report this as a bug");
        return util::exit_code::internal;
    } catch (...) {
        print_diagnostic("error", "internal error", "please report this as a bug");
        return util::exit_code::internal;
    }
}

} // namespace app
