#include "check_record.hpp"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output/denials.hpp"
#include "output/sinks.hpp"
#include "policy/load.hpp"
#include "policy/record.hpp"
#include "supervise/selection.hpp"
#include "supervise/session.hpp"
#include "util/error.hpp"

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
    std::FILE* f = std::fopen(path->c_str(), "we");
    if (f == nullptr)
        util::throw_usage(util::syscall_error("open", *path, errno),
                          "-o needs a file you can write");
    const bool ok = std::fputs(text.c_str(), f) >= 0;
    const int err = errno;
    if (std::fclose(f) != 0 || !ok)
        util::throw_setup(util::syscall_error("write", *path, ok ? errno : err));
}

// Write next to the target, then rename: a failed run never leaves half a profile behind.
void write_file_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::trunc);
        if (!f)
            util::throw_usage(util::syscall_error("open", tmp, errno),
                              "-o needs a directory you can write");
        f << text;
        f.flush();
        if (!f) util::throw_setup(util::syscall_error("write", tmp, errno));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        util::throw_setup(util::syscall_error("rename", tmp + " to " + path, err));
    }
}

} // namespace

int check_command(const options::Check& c, const Diagnostics& d) {
    const options::Run& o = c.run;
    const policy::Policy pol = load(o);

    // Nothing is logged but what the policy denies: those calls always reach the supervisor
    // (routing trace=none), everything else runs in the kernel.
    supervise::Settings settings;
    settings.routing = supervise::parse_trace_set("none");
    settings.audit = !c.enforce;
    settings.decode = true;
    settings.streaming = false;
    settings.thread_groups = true;
    settings.decode_options.string_limit = o.string_limit;

    output::DenialSink denials;
    const supervise::SessionResult r =
        supervise::run_session(o, pol, settings, denials, d.warn, d.note);
    if (r.outcome.signaled) {
        const auto& say = r.outcome.timed_out ? d.warn : d.note; // a time limit cut it short
        say(supervise::describe_signal_exit(o.command[0], r));
    }

    output::CheckReport report;
    report.policy = pol.source;
    report.command = o.command;
    report.enforce = c.enforce;
    report.exit_code = r.outcome.exit_code;
    report.killed = r.seccomp_kill; // the kernel's kill, which no event shows
    write_text(o.output_file, c.json ? output::check_json(report, denials.denials())
                                     : output::check_text(report, denials.denials()));
    return denials.empty() && !report.killed ? 0 : 1;
}

int record_command(const options::Record& rec, const Diagnostics& d) {
    const options::Run& o = rec.run;
    const policy::Policy pol = load(o);

    // --append: the existing file must load as a profile before anything runs.
    std::optional<nlohmann::ordered_json> existing;
    if (rec.append && std::filesystem::exists(rec.output)) {
        (void)policy::load_file(rec.output);
        std::ifstream in(rec.output);
        std::stringstream text;
        text << in.rdbuf();
        existing = nlohmann::ordered_json::parse(text.str());
    }

    supervise::Settings settings;
    settings.routing = supervise::parse_trace_set("all");
    settings.decode = false; // names are enough
    settings.streaming = false;

    policy::RecordSink names;
    output::DenialSink denials;
    output::FanOut sinks;
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
    write_file_atomically(rec.output, text);
    d.note(fmt::format("{} {} syscalls of `{}` (exit status {}) {} {}",
                       existing ? "merged" : "recorded", names.names().size(), join(o.command),
                       r.outcome.exit_code, existing ? "into" : "in", rec.output));
    return r.outcome.exit_code;
}

} // namespace app
