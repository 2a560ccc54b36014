#include "supervise/session.hpp"

#include <csignal>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "launch/plan.hpp"
#include "policy/compile.hpp"
#include "policy/route.hpp"
#include "supervise/ptrace.hpp"

namespace supervise {

SessionResult run_session(const options::Run& o, const policy::Policy& pol, Settings settings,
                          output::EventSink& sink, const launch::WarningSink& warn,
                          const launch::WarningSink& note) {
    auto ctx = policy::CompileContext::for_this_kernel(launch::kept_capabilities(o), o.strict);
    policy::CompiledFilter filter = policy::compile(pol, ctx);
    for (const auto& w : filter.warnings) warn(w);

    // The notify supervisor (USER_NOTIF), or the ptrace engine for results (TRACE).
    const std::uint32_t stop = o.results ? SECCOMP_RET_TRACE : SECCOMP_RET_USER_NOTIF;
    const policy::RoutedFilter routed = policy::route(pol, filter, settings.routing, stop);
    launch::Plan plan =
        launch::make_plan(o, routed.program, filter.install_flags, routed.notifies && !o.results);
    plan.traced = o.results && routed.notifies;
    if (note && !plan.limits.note.empty()) note(plan.limits.note);

    std::optional<Supervisor> supervisor;
    std::optional<Tracer> tracer;
    if (o.results)
        tracer.emplace(filter, std::move(settings), sink, Tracer::Mode::Seccomp);
    else
        supervisor.emplace(filter, std::move(settings), sink);

    SessionResult r;
    r.outcome = launch::run(plan, warn, plan.listener ? &*supervisor : nullptr,
                            plan.traced ? &*tracer : nullptr);
    launch::Outcome& out = r.outcome;

    // The policy's KILL, carried out by sandbox, is reported as the kernel would: SIGSYS.
    const bool policy_kill =
        out.command_pid > 0 && ((supervisor && supervisor->killed_by_policy(out.command_pid)) ||
                                (tracer && tracer->killed_by_policy(out.command_pid)));
    if (out.signaled && out.signal == SIGKILL && policy_kill && !out.timed_out) {
        out.signal = SIGSYS;
        out.exit_code = 128 + SIGSYS;
    }
    r.wait_status = out.signaled ? out.signal : (out.exit_code << 8);
    r.pid = out.command_pid > 0 ? out.command_pid : out.pid_inside;
    return r;
}

std::string describe_signal_exit(const std::string& command, const launch::Outcome& out) {
    if (out.timed_out)
        return fmt::format("{} exceeded --time-limit {}s and was killed (SIGKILL, with everything "
                           "it started); exit status {}",
                           command, out.time_limit_seconds, out.exit_code);
    const char* abbrev = sigabbrev_np(out.signal);
    std::string name = abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(out.signal);
    std::string why = out.signal == SIGSYS ? " (the seccomp policy's KILL action)" : "";
    if (out.oom_killed) why = " (the OOM killer: the sandbox reached its --memory limit)";
    return fmt::format("{} was killed by {}{}; exit status {}", command, name, why, out.exit_code);
}

} // namespace supervise
