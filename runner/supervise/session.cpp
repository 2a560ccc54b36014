// SPDX-License-Identifier: Apache-2.0
#include "supervise/session.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <linux/capability.h>
#include <optional>
#include <string>
#include <sys/random.h>
#include <sys/syscall.h>

#include <fmt/format.h>

#include "launch/plan.hpp"
#include "policy/compile.hpp"
#include "policy/route.hpp"
#include "policy/setid.hpp"
#include "supervise/ptrace.hpp"
#include "trace/strace_printer.hpp"
#include "util/error.hpp"

namespace supervise {
namespace {

constexpr std::size_t kMaxTotalInstructions = 32768; // the kernel's MAX_INSNS_PER_PATH
constexpr std::size_t kPerFilterOverhead = 4;        // what it adds per filter when it counts

policy::InstallKey random_install_key() {
    policy::InstallKey key;
    std::uint64_t words[2] = {0, 0};
    if (::getrandom(words, sizeof words, 0) != static_cast<ssize_t>(sizeof words))
        util::throw_setup(util::syscall_error("getrandom", "the filter install key", errno));
    key.first = words[0];
    key.second = words[1];
    return key;
}

// The call as the program made it, in strace syntax, without result or verdict.
std::string call_text(const trace::Event& e) {
    trace::Event c = e;
    c.verdict = trace::Verdict::Allowed;
    c.result.reset();
    c.err = 0;
    c.unknown_result = false;
    c.duration.reset();
    c.phase = trace::Phase::Whole;
    std::string line = trace::format_line(c, false, trace::PrintOptions{});
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    return line;
}

// The command's own execve, as sandbox made it (the plan has every argument but the addresses).
std::string execve_text(const launch::Plan& plan) {
    std::string argv;
    for (const auto& a : plan.argv) argv += (argv.empty() ? "" : ", ") + trace::quote_string(a);
    return fmt::format("execve({}, [{}], /* {} vars */)", trace::quote_string(plan.exe), argv,
                       plan.envp.size());
}

bool kills(std::uint32_t ret) {
    const std::uint32_t a = ret & SECCOMP_RET_ACTION_FULL;
    return a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD;
}

std::optional<trace::SeccompKill> seccomp_kill(const launch::Outcome& out,
                                               const policy::CompiledFilter& filter,
                                               const launch::Plan& plan,
                                               const Supervisor* supervisor, const Tracer* tracer) {
    if (!out.signaled || out.signal != SIGSYS || plan.kill_filter.empty()) return std::nullopt;
    trace::SeccompKill k;
    if (tracer != nullptr && tracer->command_kill()) { // seen at its exit stop
        const trace::Event& e = *tracer->command_kill();
        k.syscall = e.name;
        k.call = call_text(e);
        k.rule = e.rule;
        k.action = e.action;
        return k;
    }
    if (supervisor != nullptr && supervisor->stats().notifications == 0) {
        // The command's execve is always notified: a command that died before the supervisor
        // heard of any call died at that execve, the only call it makes after the filters.
        seccomp_data d{};
        d.arch = filter.native_arch;
        d.nr = SYS_execve;
        const policy::Verdict v = filter.decide(d);
        if (kills(v.ret)) {
            k.syscall = "execve";
            k.call = execve_text(plan);
            k.rule = v.rule;
            k.action = policy::describe_ret(v.ret);
            return k;
        }
    }
    for (auto& r : policy::kill_rules(filter))
        k.candidates.push_back({std::move(r.key), std::move(r.action), std::move(r.syscalls)});
    if (k.candidates.empty()) return std::nullopt;
    return k;
}

} // namespace

SessionResult run_session(const options::Run& o, const policy::Policy& pol, Settings settings,
                          trace::EventSink& sink, const launch::WarningSink& warn,
                          const launch::WarningSink& note) {
    auto ctx = policy::CompileContext::for_this_kernel(launch::kept_capabilities(o), o.strict);
    ctx.strict_args = o.strict_args;
    policy::CompiledFilter filter = policy::compile(pol, ctx);
    for (const auto& w : filter.warnings) warn(w);

    // The notify supervisor (USER_NOTIF), or the ptrace engine for results (TRACE).
    const std::uint32_t stop = o.results ? SECCOMP_RET_TRACE : SECCOMP_RET_USER_NOTIF;
    const policy::RoutedFilter routed = policy::route(pol, filter, settings.routing, stop);
    // SCMP_ACT_LOG calls run in the kernel, which writes their audit record as on a node.
    if (settings.routing.log_in_kernel) {
        const policy::LogRouting logs = policy::log_routing(filter);
        const auto list = [](const std::vector<std::string>& v) {
            std::string s;
            for (std::size_t i = 0; i < v.size() && i < 8; ++i) s += (i ? ", " : "") + v[i];
            return v.size() > 8 ? s + fmt::format(" and {} more", v.size() - 8) : s;
        };
        const auto supervised = [&](const std::string& n) {
            return std::find(routed.log_supervised.begin(), routed.log_supervised.end(), n) !=
                   routed.log_supervised.end();
        };
        std::vector<std::string> in_kernel;
        for (const auto& n : logs.logged)
            if (!supervised(n)) in_kernel.push_back(n);
        const bool execve_logged =
            supervised("execve") &&
            (logs.log_default ||
             std::find(logs.logged.begin(), logs.logged.end(), "execve") != logs.logged.end());
        if (logs.log_default || !in_kernel.empty())
            note(fmt::format(
                "the profile LOGs {}: the kernel runs {} and writes an audit record for each "
                "(type=1326: `dmesg | sandbox policy audit-log`), so {} not in this {}{}",
                logs.log_default ? "every syscall without a rule of its own (defaultAction)"
                                 : list(in_kernel),
                logs.log_default || in_kernel.size() > 1 ? "them" : "it",
                logs.log_default || in_kernel.size() > 1 ? "they are" : "it is",
                settings.streaming ? "trace" : "run's counts",
                execve_logged ? " (execve excepted: sandbox's hand-off needs it, so it has no "
                                "record)"
                              : ""));
        // The ones sandbox takes besides execve, which the note covers.
        std::vector<std::string> taken;
        for (const auto& n : routed.log_supervised)
            if (n != "execve") taken.push_back(n);
        if (!taken.empty())
            warn(fmt::format("the profile may LOG {}, but sandbox handles {} (named in -e "
                             "trace= or --inject, or conditional rules only the supervisor can "
                             "decide), so the kernel writes no audit record for {}",
                             list(taken), taken.size() > 1 ? "them" : "it",
                             taken.size() > 1 ? "them" : "it"));
    }
    launch::Plan plan =
        launch::make_plan(o, routed.program, filter.install_flags, routed.notifies && !o.results);
    plan.traced = o.results && routed.notifies;
    if (note && !plan.limits.note.empty()) note(plan.limits.note);
    if (std::find(plan.keep_caps.begin(), plan.keep_caps.end(), CAP_SYS_ADMIN) !=
        plan.keep_caps.end())
        warn("--cap-add SYS_ADMIN: the command may undo the sandbox's mount layout inside its "
             "namespaces (unmount the masks and the empty /run, remount the host's root "
             "read-write as its own uid), as under runc; give it only to a command you trust");
    // A root caller's writable id-mapped binds: no setuid or setgid files (policy/setid.hpp).
    if (plan.guard_setid) plan.setid_filter = policy::setid_filter(filter.arches);
    // The policy's KILLs are the kernel's, in a filter of their own, with or without a supervisor.
    // Under --audit nothing may die: they stay routed to sandbox, which logs "would deny".
    if (!settings.audit && policy::kills_in_kernel(filter)) {
        const policy::InstallKey key = random_install_key();
        plan.kill_filter = policy::kill_filter(pol, filter, key);
        plan.install_key[0] = key.first;
        plan.install_key[1] = key.second;
    }
    std::size_t total = plan.filter.size() + kPerFilterOverhead;
    for (const auto* f : {&plan.kill_filter, &plan.setid_filter})
        if (!f->empty()) total += f->size() + kPerFilterOverhead;
    if (total > kMaxTotalInstructions)
        throw util::Error(util::exit_code::policy,
                          fmt::format("{}: sandbox's filters have {} BPF instructions together; "
                                      "the kernel accepts {}",
                                      pol.source, total, kMaxTotalInstructions),
                          "trace fewer syscalls (-e trace=...), or simplify the profile");

    std::optional<Supervisor> supervisor;
    std::optional<Tracer> tracer;
    if (o.results)
        tracer.emplace(filter, std::move(settings), sink, Tracer::Mode::Seccomp);
    else
        supervisor.emplace(filter, std::move(settings), sink);

    SessionResult r;
    r.outcome = launch::run(plan, warn, plan.listener ? &*supervisor : nullptr,
                            plan.traced ? &*tracer : nullptr);
    const launch::Outcome& out = r.outcome;
    r.traced = plan.traced;
    r.seccomp_kill = seccomp_kill(out, filter, plan, supervisor ? &*supervisor : nullptr,
                                  plan.traced ? &*tracer : nullptr);
    r.wait_status = out.signaled ? out.signal : (out.exit_code << 8);
    r.pid = out.command_pid > 0 ? out.command_pid : out.pid_inside;
    return r;
}

std::string describe_signal_exit(const std::string& command, const SessionResult& r) {
    const launch::Outcome& out = r.outcome;
    if (out.timed_out)
        return fmt::format("{} exceeded --time-limit {}s and was killed (SIGKILL, with everything "
                           "it started); exit status {}",
                           command, out.time_limit_seconds, out.exit_code);
    const char* abbrev = sigabbrev_np(out.signal);
    std::string name = abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(out.signal);
    if (out.oom_killed)
        return fmt::format("{} was killed by {} (the OOM killer: the sandbox reached its --memory "
                           "limit); exit status {}",
                           command, name, out.exit_code);
    if (!r.seccomp_kill)
        return fmt::format("{} was killed by {}; exit status {}", command, name, out.exit_code);
    const trace::SeccompKill& k = *r.seccomp_kill;
    if (!k.syscall.empty())
        return fmt::format("{} was killed by {} (seccomp KILL) at {}: {} by {}; exit status {}",
                           command, name, k.call, k.action, k.rule, out.exit_code);
    std::string rules;
    for (const auto& c : k.candidates) {
        std::string names;
        for (const auto& s : c.syscalls) names += (names.empty() ? "" : ", ") + s;
        rules += fmt::format("{}{} {}{}", rules.empty() ? "" : "; ", c.rule, c.action,
                             names.empty() ? "" : " (" + names + ")");
    }
    return fmt::format("{} was killed by {} (seccomp KILL); exit status {}. Which call is not "
                       "known: the kernel kills before sandbox hears of it{}. The policy's rules "
                       "that kill: {}",
                       command, name, out.exit_code,
                       r.traced ? "" : " (sandbox run --results shows it)", rules);
}

} // namespace supervise
