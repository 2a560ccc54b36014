// SPDX-License-Identifier: Apache-2.0
#include "app.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <optional>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include "check_record.hpp"
#include "cli.hpp"
#include "commands/lesson.hpp"
#include "doctor/doctor.hpp"
#include "launch/plan.hpp"
#include "launch/spawn.hpp"
#include "policy/compile.hpp"
#include "policy/load.hpp"
#include "policy/route.hpp"
#include "policy_tools.hpp"
#include "report/policy_report.hpp"
#include "supervise/notify.hpp"
#include "supervise/ptrace.hpp"
#include "supervise/selection.hpp"
#include "supervise/session.hpp"
#include "trace/filters.hpp"
#include "trace/json_writer.hpp"
#include "trace/sinks.hpp"
#include "trace/strace_printer.hpp"
#include "trace/trace_stream.hpp"
#include "util/error.hpp"
#include "util/safe_file.hpp"
#include "util/terminal.hpp"

namespace app {
namespace {

void print_diagnostic(const char* level, const std::string& msg, const std::string& hint = {}) {
    const bool colour = util::colour_on(STDERR_FILENO);
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

// The trace goes to -o FILE or to a copy of stderr (diagnostics stay unbuffered on stderr
// itself). On a terminal each line is written as it comes, before the call it describes runs;
// to a file or a pipe it is buffered and written whenever the supervisor goes idle.
util::unique_fd open_trace_destination(const std::optional<std::string>& path) {
    // Never through a symlink, never into another user's file (util/safe_file.hpp).
    if (path) return util::open_output_stream(*path);
    util::unique_fd fd(::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3));
    if (!fd) util::throw_setup(util::syscall_error("dup", "stderr", errno));
    return fd;
}

trace::SortKey sort_key(const std::string& s, bool timed) {
    if (s == "name") return trace::SortKey::Name;
    if (s == "denied") return trace::SortKey::Denied;
    if (s == "time") return trace::SortKey::Time;
    if (s == "errors") return trace::SortKey::Errors;
    if (s.empty() && timed) return trace::SortKey::Time; // strace -c's default
    return trace::SortKey::Calls;
}

// The tracing settings both engines share, from the options of run (or attach).
supervise::Settings trace_settings(const options::Run& o) {
    supervise::Settings settings;
    settings.routing = supervise::parse_trace_set(o.trace);
    for (const auto& spec : o.injections) {
        settings.injections.push_back(supervise::parse_injection(spec));
        for (const auto& n : settings.injections.back().syscalls)
            settings.routing.always_notify.insert(n);
    }
    if (!o.emulations.empty()) {
        // The nodename the command would see: the sandbox's hostname in its own UTS namespace.
        const auto ns = launch::effective_namespaces(o, ::getuid() == 0);
        std::string nodename = o.hostname;
        if (std::find(ns.begin(), ns.end(), options::Namespace::Uts) == ns.end()) {
            struct utsname real {};
            ::uname(&real);
            nodename = real.nodename;
        }
        settings.emulation = supervise::parse_emulation(o.emulations, nodename);
        settings.routing.always_notify.insert("uname"); // it must reach sandbox to be answered
    }
    settings.audit = o.audit;
    const bool trace_lines = !o.summary_only || o.summary_too;
    settings.decode = trace_lines || !o.trace_paths.empty(); // -P reads the arguments to match
    settings.streaming = trace_lines;
    settings.thread_groups = o.json;
    settings.fd_paths = o.fd_paths || !o.trace_paths.empty(); // -P matches fds by their path
    settings.fd_details = o.fd_details;
    settings.decode_options.string_limit = o.string_limit;
    settings.decode_options.verbose = o.verbose;
    return settings;
}

// What the tracing options cannot do together, as usage errors before anything runs.
void check_trace_options(const options::Run& o) {
    if (o.output_separately && (o.summary_only || o.summary_too))
        util::throw_usage("-ff cannot go with -c or -C",
                          "the summary counts every thread together, and -ff writes each "
                          "thread's file (as strace refuses them too); run twice, or drop -ff");
}

// Where events go: strace lines or JSON lines to the trace stream (or with -ff one file per
// thread), through the -P and status filters; and the -c summary, which counts every call.
class TraceOutput {
public:
    explicit TraceOutput(const options::Run& o)
        : TraceOutput(o, separate(o) ? util::unique_fd() : open_trace_destination(o.output_file)) {}
    trace::EventSink& sink() {
        return o_.trace_paths.empty() ? static_cast<trace::EventSink&>(sinks_) : paths_;
    }
    [[nodiscard]] bool trace_lines() const { return !o_.summary_only || o_.summary_too; }

    // strace's last lines: the exit of `pid` (with what is known of a seccomp kill), then the
    // summary.
    void finish(pid_t pid, std::optional<int> wait_status,
                const trace::SeccompKill* kill = nullptr) {
        if (trace_lines() && wait_status) {
            const bool show_pid = !separate(o_) && lines_.show_pid();
            const std::string end = o_.json ? trace::exit_json(pid, *wait_status, kill)
                                            : trace::format_exit(pid, *wait_status, show_pid, kill);
            if (separate(o_))
                files_.put(pid, end);
            else
                stream_.put(end);
        }
        files_.flush();
        if (o_.summary_only || o_.summary_too) {
            const auto& s = summary_.summary();
            const std::string table =
                o_.json ? s.render_json() : s.render_text(sort_key(o_.sort, s.timed()));
            stream_.put(table); // one record: on a terminal, one write
        }
        stream_.flush();
    }

private:
    // -ff with -o FILE (strace: -ff without -o is -f).
    static bool separate(const options::Run& o) { return o.output_separately && o.output_file; }

    // FILE.TID, opened as -o FILE is; one that cannot be opened loses its lines, with a warning,
    // and the run goes on.
    static util::unique_fd open_thread_file(const std::string& path) {
        try {
            return util::open_output_stream(path);
        } catch (const util::Error& e) {
            warn(fmt::format("-ff: {}: that thread's trace is lost", e.what()));
            return {};
        }
    }

    TraceOutput(const options::Run& o, util::unique_fd fd)
        : o_(o),
          terminal_(fd && ::isatty(fd.get()) == 1), print_{o.timestamps,
                                                           !o.json &&
                                                               util::colour_for_terminal(terminal_),
                                                           o.durations, o.hex_strings},
          stream_(std::move(fd), trace::pacing_for(terminal_)), lines_(stream_, print_),
          json_(stream_), files_(o.output_file.value_or(""), o.json, print_, open_thread_file),
          status_(writer(o), o.status), summary_(), sinks_(),
          paths_(sinks_, o.trace_paths, o.fd_paths) {
        if (trace_lines()) sinks_.add(&lines_for(o));
        if (o.summary_only || o.summary_too) sinks_.add(&summary_);
    }

    // What writes the trace: one file per thread, JSON lines or strace lines.
    trace::EventSink& writer(const options::Run& o) {
        if (separate(o)) return files_;
        return o.json ? static_cast<trace::EventSink&>(json_) : lines_;
    }
    // The writer behind the status filter (-P is in front of everything: strace -c -P counts
    // only the calls that touch the path, while -c -z counts every call).
    trace::EventSink& lines_for(const options::Run& o) {
        if (o.status != options::status::All) return status_;
        return writer(o);
    }

    const options::Run& o_;
    bool terminal_;
    trace::PrintOptions print_;
    trace::TraceStream stream_;
    trace::TraceLines lines_;
    trace::JsonLines json_;
    trace::PerThreadFiles files_;
    trace::StatusFilter status_;
    trace::SummarySink summary_;
    trace::FanOut sinks_;     // the trace writer (behind the status filter) and the summary
    trace::PathFilter paths_; // -P: in front of both
};

int run_command(const options::Run& o) {
    // Decide everything first: policy, routing, tracing options, the plan.
    policy::Policy pol = load_policy(o.policy_file, o.profile_name);
    if (o.durations && !o.results)
        util::throw_usage("-T needs --results",
                          "durations come from the ptrace engine: sandbox run --results -T");
    check_trace_options(o);
    if (o.status != options::status::All && !o.results)
        util::throw_usage("-z, -Z and -e status= need --results",
                          "the notify supervisor never learns what a call returned; the ptrace "
                          "engine does: sandbox run --results -Z -- COMMAND");

    TraceOutput output(o);
    const supervise::SessionResult r =
        supervise::run_session(o, pol, trace_settings(o), output.sink(), warn,
                               [](const std::string& m) { print_diagnostic("note", m); });
    output.finish(r.pid, r.wait_status, r.seccomp_kill ? &*r.seccomp_kill : nullptr);
    if (r.outcome.signaled)
        print_diagnostic(r.outcome.timed_out ? "error" : "note",
                         supervise::describe_signal_exit(o.command[0], r));
    return r.outcome.exit_code;
}

// `sandbox attach PID`: seize every thread, log with results until Ctrl-C, --seconds or the end.
int attach_command(const options::Attach& a) {
    const options::Run& o = a.trace;
    // No policy: judge every call against an allow-all profile (nothing is denied).
    const policy::Policy allow_all =
        policy::parse(R"({"defaultAction": "SCMP_ACT_ALLOW"})", "attach");
    const policy::CompiledFilter filter =
        policy::compile(allow_all, policy::CompileContext::for_this_kernel({}, false));
    check_trace_options(o);
    supervise::Settings settings = trace_settings(o);
    if (!settings.injections.empty() || settings.audit || !o.emulations.empty())
        util::throw_usage("--inject, --emulate and --audit need a run that sandbox starts",
                          "use sandbox run");

    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&set, sig);
    sigset_t saved;
    ::sigprocmask(SIG_BLOCK, &set, &saved);
    util::unique_fd sfd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!sfd) util::throw_setup(util::syscall_error("signalfd", "SIGINT, SIGTERM, SIGCHLD", errno));

    TraceOutput output(o);
    supervise::Tracer tracer(filter, std::move(settings), output.sink(),
                             supervise::Tracer::Mode::Attach);
    tracer.seize_process(a.pid);
    print_diagnostic("note", fmt::format("attached to process {}; Ctrl-C detaches", a.pid));

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(a.seconds);
    bool stop = false;
    while (!stop && tracer.tracing()) {
        int timeout = -1;
        if (a.seconds > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            timeout = static_cast<int>(left.count());
        }
        pollfd p{sfd.get(), POLLIN, 0};
        int n = ::poll(&p, 1, timeout);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) break; // --seconds elapsed
        signalfd_siginfo si{};
        while (::read(sfd.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
            if (si.ssi_signo == SIGCHLD) continue;
            stop = true; // Ctrl-C, SIGTERM, SIGHUP: detach
        }
        tracer.reap(0);
        tracer.idle();
    }
    const bool still_running = tracer.tracing();
    tracer.detach_all();
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    output.finish(a.pid, std::nullopt);
    print_diagnostic("note", still_running
                                 ? fmt::format("detached from process {}; it keeps running", a.pid)
                                 : fmt::format("process {} has exited", a.pid));
    return 0;
}

policy::CompiledFilter compile_for_report(const options::PolicyFile& o, policy::Policy& p) {
    p = load_policy(o.file, o.profile);
    return policy::compile(
        p, policy::CompileContext::for_this_kernel(container_capabilities(o.cap_add), o.strict));
}

int policy_validate(const options::PolicyFile& o) {
    policy::Policy p;
    try {
        policy::CompiledFilter f = compile_for_report(o, p);
        if (o.json) {
            std::cout << report::validate_json(p, f);
        } else {
            for (const auto& w : f.warnings) warn(w);
            std::cout << report::validate_text(p, f);
        }
    } catch (const util::Error& e) {
        if (o.json && e.exit_code() == util::exit_code::policy)
            std::cout << report::validate_error_json(
                p.source.empty() ? o.file.value_or(o.profile.value_or("")) : p.source, e.what());
        throw;
    }
    return 0;
}

int policy_explain(const options::PolicyFile& o) {
    policy::Policy p;
    policy::CompiledFilter f = compile_for_report(o, p);
    if (o.json) {
        std::cout << report::explain_json(p, f, o.pseudo_code);
    } else {
        for (const auto& w : f.warnings) warn(w);
        std::cout << report::explain_text(p, f, o.all, o.pseudo_code);
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
    if (const auto* at = std::get_if<cli::Attach>(&cmd)) return attach_command(at->options);
    if (const auto* le = std::get_if<cli::Lesson>(&cmd)) return lessons::command(*le);
    if (const auto* v = std::get_if<cli::PolicyValidate>(&cmd)) return policy_validate(v->options);
    if (const auto* e = std::get_if<cli::PolicyExplain>(&cmd)) return policy_explain(e->options);
    if (auto rc = policy_tool_command(cmd, warn)) return *rc; // lint, diff, export, ...
    if (const auto* c = std::get_if<cli::Check>(&cmd))
        return check_command(c->options,
                             {warn, [](const std::string& m) { print_diagnostic("note", m); }});
    if (const auto* rc = std::get_if<cli::PolicyRecord>(&cmd))
        return record_command(rc->options,
                              {warn, [](const std::string& m) { print_diagnostic("note", m); }});
    if (const auto* show = std::get_if<cli::PolicyShow>(&cmd)) {
        std::cout << policy::bundled_text(show->name);
        return 0;
    }
    if (const auto* l = std::get_if<cli::PolicyList>(&cmd)) {
        std::cout << (l->json ? report::bundled_list_json() : report::bundled_list_text());
        return 0;
    }
    if (const auto* d = std::get_if<cli::Doctor>(&cmd)) {
        auto findings = doctor::probe();
        std::cout << (d->options.json
                          ? doctor::render_json(findings)
                          : doctor::render_text(findings, util::colour_on(STDOUT_FILENO)));
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
