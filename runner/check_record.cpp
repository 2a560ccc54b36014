// SPDX-License-Identifier: Apache-2.0
#include "check_record.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/load.hpp"
#include "policy/record.hpp"
#include "report/denials.hpp"
#include "report/policy_tools.hpp"
#include "supervise/selection.hpp"
#include "supervise/session.hpp"
#include "trace/sinks.hpp"
#include "util/error.hpp"
#include "util/safe_file.hpp"

namespace app {
namespace {

policy::Policy load(const options::Run& o) {
    if (o.policy_file) return policy::load_file(*o.policy_file);
    return policy::load_bundled(o.profile_name ? *o.profile_name : "baseline");
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& a : v) out += (out.empty() ? "" : " ") + a;
    return out;
}

void write_text(const std::optional<std::string>& path, const std::string& text) {
    if (!path) {
        std::fputs(text.c_str(), stderr);
        std::fflush(stderr);
        return;
    }
    // Written whole (a temporary file renamed over it): never through a symlink, never over
    // another user's file (util/safe_file.hpp).
    util::write_file_atomically(*path, text);
}

} // namespace

int check_command(const options::Check& c, const Diagnostics& d) {
    const options::Run& o = c.run;
    const policy::Policy pol = load(o);
    if (o.output_file) util::check_output_target(*o.output_file); // before the command runs

    // Nothing is logged but what the policy denies: those calls always reach the supervisor
    // (routing trace=none), everything else runs in the kernel.
    supervise::Settings settings;
    settings.routing = supervise::parse_trace_set("none");
    settings.audit = !c.enforce;
    settings.decode = true;
    settings.streaming = false;
    settings.thread_groups = true;
    settings.decode_options.string_limit = o.string_limit;

    report::DenialSink denials;
    const supervise::SessionResult r =
        supervise::run_session(o, pol, settings, denials, d.warn, d.note);
    if (r.outcome.signaled) {
        const auto& say = r.outcome.timed_out ? d.warn : d.note; // a time limit cut it short
        say(supervise::describe_signal_exit(o.command[0], r));
    }

    report::CheckReport report;
    report.policy = pol.source;
    report.command = o.command;
    report.enforce = c.enforce;
    report.exit_code = r.outcome.exit_code;
    report.killed = r.seccomp_kill; // the kernel's kill, which no event shows
    write_text(o.output_file, c.json ? report::check_json(report, denials.denials())
                                     : report::check_text(report, denials.denials()));
    return denials.empty() && !report.killed ? 0 : 1;
}

int record_command(const options::Record& rec, const Diagnostics& d) {
    const options::Run& o = rec.run;
    const policy::Policy pol = load(o);

    // Where the profile goes must be writable before the command runs, and with --append the
    // existing file must load as a profile (read once: what is checked is what is merged).
    util::check_output_target(rec.output);
    std::optional<nlohmann::ordered_json> existing;
    if (struct stat st{}; rec.append && ::lstat(rec.output.c_str(), &st) == 0) {
        const std::string text = policy::read_profile(rec.output);
        (void)policy::parse(text, rec.output);
        existing = nlohmann::ordered_json::parse(text);
    }

    supervise::Settings settings;
    settings.routing = supervise::parse_trace_set("all");
    settings.routing.log_in_kernel = false; // every call must reach the recorder
    settings.decode = false;                // names are enough
    settings.streaming = false;

    policy::RecordSink names;
    report::DenialSink denials;
    trace::FanOut sinks;
    sinks.add(&names);
    sinks.add(&denials);
    const supervise::SessionResult r =
        supervise::run_session(o, pol, settings, sinks, d.warn, d.note);
    if (r.outcome.signaled) {
        const auto& say = r.outcome.timed_out ? d.warn : d.note; // a time limit cut it short
        say(supervise::describe_signal_exit(o.command[0], r));
    }

    for (const auto& n : names.unnamed())
        d.warn(fmt::format("{} has no name libseccomp knows: it is not in the profile", n));
    if (!denials.empty()) {
        std::string list;
        for (const auto& x : denials.denials()) list += (list.empty() ? "" : ", ") + x.syscall;
        d.note(fmt::format("{} denied {} while recording; the recorded profile denies them too: {}",
                           pol.source,
                           denials.denials().size() == 1 ? "one syscall" : "some syscalls", list));
    }

    const std::string comment =
        fmt::format("recorded by `sandbox policy record` from `{}`, plus what a container runtime "
                    "needs to start the process (see policies/README.md, Recorded profiles)",
                    join(o.command));
    const nlohmann::ordered_json profile =
        existing ? policy::merge_recorded(*existing, names.names(), rec.output, comment)
                 : policy::recorded_profile(names.names(), comment);
    const std::string text = profile.dump(2) + "\n";
    (void)policy::parse(text, rec.output); // what we write must load
    util::write_file_atomically(rec.output, text);
    if (rec.json) {
        report::RecordReport report;
        report.output = rec.output;
        report.merged = existing.has_value();
        report.policy = pol.source;
        report.command = o.command;
        report.exit_code = r.outcome.exit_code;
        report.syscalls.assign(names.names().begin(), names.names().end());
        report.unnamed.assign(names.unnamed().begin(), names.unnamed().end());
        for (const auto& x : denials.denials()) {
            report.denied += x.calls;
            if (std::find(report.denied_syscalls.begin(), report.denied_syscalls.end(),
                          x.syscall) == report.denied_syscalls.end())
                report.denied_syscalls.push_back(x.syscall);
        }
        // Where `check` puts its report without -o, and the trace goes: stdout is the
        // command's. The report says what the note would.
        write_text(std::nullopt, report::record_json(report));
        return r.outcome.exit_code;
    }
    d.note(fmt::format("{} {} syscalls of `{}` (exit status {}) {} {}",
                       existing ? "merged" : "recorded", names.names().size(), join(o.command),
                       r.outcome.exit_code, existing ? "into" : "in", rec.output));
    return r.outcome.exit_code;
}

} // namespace app
