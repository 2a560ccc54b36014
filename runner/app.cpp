#include "app.hpp"

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <iostream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "doctor/doctor.hpp"
#include "launch/plan.hpp"
#include "launch/spawn.hpp"
#include "output/json_writer.hpp"
#include "output/policy_report.hpp"
#include "output/sinks.hpp"
#include "output/strace_printer.hpp"
#include "policy/compile.hpp"
#include "policy/load.hpp"
#include "policy/route.hpp"
#include "supervise/notify.hpp"
#include "supervise/selection.hpp"
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

// The trace goes to -o FILE or to a buffered copy of stderr (diagnostics stay unbuffered on
// stderr itself); it is written out whenever the supervisor goes idle.
struct TraceStream {
    std::FILE* file = nullptr;
    explicit TraceStream(const std::optional<std::string>& path) {
        if (path) {
            file = std::fopen(path->c_str(), "we");
            if (file == nullptr)
                util::throw_usage(util::syscall_error("open", *path, errno),
                                  "-o needs a file you can write");
        } else {
            int fd = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
            file = fd >= 0 ? ::fdopen(fd, "w") : nullptr;
            if (file == nullptr) util::throw_setup(util::syscall_error("dup", "stderr", errno));
        }
        std::setvbuf(file, nullptr, _IOFBF, 1 << 16);
    }
    ~TraceStream() {
        if (file != nullptr) std::fclose(file);
    }
    TraceStream(const TraceStream&) = delete;
    TraceStream& operator=(const TraceStream&) = delete;
};

output::SortKey sort_key(const std::string& s) {
    if (s == "name") return output::SortKey::Name;
    if (s == "denied") return output::SortKey::Denied;
    return output::SortKey::Calls;
}

int run_command(const options::Run& o) {
    // Decide everything first: policy, routing, tracing options, the plan.
    policy::Policy pol = load_policy(o.policy_file, o.profile_name);
    auto ctx = policy::CompileContext::for_this_kernel(launch::kept_capabilities(o), o.strict);
    policy::CompiledFilter filter = policy::compile(pol, ctx);
    for (const auto& w : filter.warnings) warn(w);

    supervise::Settings settings;
    settings.routing = supervise::parse_trace_set(o.trace);
    for (const auto& spec : o.injections) {
        settings.injections.push_back(supervise::parse_injection(spec));
        for (const auto& n : settings.injections.back().syscalls)
            settings.routing.always_notify.insert(n);
    }
    settings.audit = o.audit;
    const bool trace_lines = !o.summary_only || o.summary_too;
    settings.decode = trace_lines;
    settings.streaming = trace_lines;
    settings.thread_groups = o.json;
    settings.fd_paths = o.fd_paths;
    settings.decode_options.string_limit = o.string_limit;
    settings.decode_options.verbose = o.verbose;
    const policy::RoutedFilter routed = policy::route(pol, filter, settings.routing);

    launch::Plan plan = launch::make_plan(o, routed.program, filter.install_flags, routed.notifies);

    TraceStream stream(o.output_file);
    const bool colour = !o.json && ::isatty(::fileno(stream.file)) == 1;
    output::TraceLines lines(stream.file, output::PrintOptions{o.timestamps, colour});
    output::JsonLines json(stream.file);
    output::SummarySink summary;
    output::FanOut sinks;
    if (trace_lines) sinks.add(o.json ? static_cast<output::EventSink*>(&json) : &lines);
    if (o.summary_only || o.summary_too) sinks.add(&summary);
    supervise::Supervisor supervisor(filter, std::move(settings), sinks);

    launch::Outcome out = launch::run(plan, warn, routed.notifies ? &supervisor : nullptr);

    // The policy's KILL, carried out by the supervisor, is reported as the kernel would: SIGSYS.
    int status_for_log = out.signaled ? out.signal : 0;
    if (out.signaled && out.signal == SIGKILL && out.command_pid > 0 &&
        supervisor.killed_by_policy(out.command_pid)) {
        out.signal = SIGSYS;
        out.exit_code = 128 + SIGSYS;
        status_for_log = SIGSYS;
    }
    const int wait_status = out.signaled ? status_for_log : (out.exit_code << 8);
    if (trace_lines) {
        const pid_t shown = out.command_pid > 0 ? out.command_pid : out.pid_inside;
        const std::string end = o.json ? output::exit_json(shown, wait_status)
                                       : output::format_exit(shown, wait_status, lines.show_pid());
        std::fputs(end.c_str(), stream.file);
    }
    if (o.summary_only || o.summary_too) {
        const std::string table = o.json ? summary.summary().render_json()
                                         : summary.summary().render_text(sort_key(o.sort));
        std::fputs(table.c_str(), stream.file);
    }
    std::fflush(stream.file);
    if (out.signaled) {
        const char* abbrev = sigabbrev_np(out.signal);
        std::string name =
            abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(out.signal);
        std::string why = out.signal == SIGSYS ? " (the seccomp policy's KILL action)" : "";
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
