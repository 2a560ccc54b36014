// SPDX-License-Identifier: Apache-2.0
#include "report/denials.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trace/json_writer.hpp"
#include "trace/strace_printer.hpp"
#include "util/json_schema.hpp"
#include "util/table.hpp"

namespace report {
namespace {

// `name(args)` without a result or verdict: the call as the program made it.
std::string call_text(const trace::Event& e) {
    trace::Event c = e;
    c.verdict = trace::Verdict::Allowed;
    c.result.reset();
    c.err = 0;
    c.restarted = false;
    c.duration.reset();
    c.unknown_result = false;
    c.phase = trace::Phase::Whole;
    std::string line = trace::format_line(c, false, trace::PrintOptions{});
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    return line;
}

std::string errno_of(const std::string& action) {
    const std::string prefix = "ERRNO(";
    if (action.rfind(prefix, 0) != 0 || action.back() != ')') return {};
    return action.substr(prefix.size(), action.size() - prefix.size() - 1);
}

std::string join_command(const std::vector<std::string>& cmd) {
    std::string out;
    for (const auto& a : cmd) out += (out.empty() ? "" : " ") + a;
    return out;
}

// `killed by SIGSYS (seccomp KILL) at CALL: ACTION by RULE`, or the rules that could have done it.
std::string kill_text(const trace::SeccompKill& k) {
    if (!k.syscall.empty())
        return fmt::format("killed by SIGSYS (seccomp KILL) at {}: {} by {}\n", k.call, k.action,
                           k.rule);
    std::string rules;
    for (const auto& c : k.candidates) {
        std::string names;
        for (const auto& n : c.syscalls) names += (names.empty() ? "" : ", ") + n;
        rules += fmt::format("{}{} {}{}", rules.empty() ? "" : "; ", c.rule, c.action,
                             names.empty() ? "" : " (" + names + ")");
    }
    return fmt::format("killed by SIGSYS (seccomp KILL); which call is not known (the kernel "
                       "kills before sandbox hears of it); the policy's rules that kill: {}\n",
                       rules);
}

} // namespace

void DenialSink::event(const trace::Event& e) {
    if (e.verdict != trace::Verdict::WouldDeny && e.verdict != trace::Verdict::Denied &&
        e.verdict != trace::Verdict::Killed)
        return;
    if (e.restarted || e.phase == trace::Phase::Unfinished) return;
    auto [it, fresh] = index_.try_emplace({e.name, e.rule}, denials_.size());
    if (fresh) {
        Denial d;
        d.syscall = e.name;
        d.rule = e.rule;
        d.action = e.action;
        d.errno_name = errno_of(e.action);
        d.pid = e.pid;
        d.first_call = call_text(e);
        const auto j = nlohmann::json::parse(trace::event_json(e), nullptr, false);
        d.first_json = j.is_object() && j.contains("decoded") ? j["decoded"].dump() : "[]";
        denials_.push_back(std::move(d));
    }
    ++denials_[it->second].calls;
}

std::string check_text(const CheckReport& r, const std::vector<Denial>& denials) {
    const std::string mode = r.enforce ? "denied" : "would deny";
    std::string out;
    if (denials.empty() && r.killed)
        return fmt::format("sandbox check: {} killed `{}` (exit status {}): {}", r.policy,
                           join_command(r.command), r.exit_code, kill_text(*r.killed));
    if (denials.empty()) {
        out = fmt::format("sandbox check: {} denies nothing `{}` did (exit status {})\n", r.policy,
                          join_command(r.command), r.exit_code);
        return out;
    }
    std::uint64_t calls = 0;
    for (const auto& d : denials) calls += d.calls;
    out = fmt::format("sandbox check: {} {} {} {} ({} {}) of `{}` (exit status {}{})\n", r.policy,
                      mode, denials.size(), denials.size() == 1 ? "syscall" : "syscalls", calls,
                      calls == 1 ? "call" : "calls", join_command(r.command), r.exit_code,
                      r.enforce ? "" : ", nothing was denied: audit mode");
    util::Table t({"syscall", "calls", "action", "rule", "first call"});
    for (const auto& d : denials)
        t.add({d.syscall, std::to_string(d.calls), d.action, d.rule, d.first_call});
    return out + t.render() + (r.killed ? "and then " + kill_text(*r.killed) : "");
}

std::string check_json(const CheckReport& r, const std::vector<Denial>& denials) {
    using Json = nlohmann::ordered_json;
    Json rows = Json::array();
    std::uint64_t calls = 0;
    for (const auto& d : denials) {
        calls += d.calls;
        Json decoded = Json::parse(d.first_json, nullptr, false);
        rows.push_back({{"syscall", d.syscall},
                        {"calls", d.calls},
                        {"action", d.action},
                        {"errno", d.errno_name.empty() ? Json(nullptr) : Json(d.errno_name)},
                        {"rule", d.rule},
                        {"pid", d.pid},
                        {"first_call", d.first_call},
                        {"decoded", decoded.is_discarded() ? Json::array() : decoded}});
    }
    Json j = util::report_object();
    j["policy"] = r.policy;
    j["command"] = r.command;
    j["mode"] = r.enforce ? "enforce" : "audit";
    j["exit_code"] = r.exit_code;
    j["verdict"] = r.killed          ? "killed"
                   : denials.empty() ? "allowed"
                   : r.enforce       ? "denied"
                                     : "would-deny";
    j["denied"] = r.enforce ? calls : 0;
    j["would_deny"] = r.enforce ? 0 : calls;
    j["seccomp_kill"] = r.killed ? trace::seccomp_kill_object(*r.killed) : Json(nullptr);
    j["syscalls"] = std::move(rows);
    return util::json_line(j);
}

} // namespace report
