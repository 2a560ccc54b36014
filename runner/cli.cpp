// SPDX-License-Identifier: Apache-2.0
#include "cli.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "launch/limits.hpp"
#include "util/error.hpp"
#include "util/number.hpp"
#include "util/suggest.hpp"
#include "util/terminal.hpp"

#ifndef SANDBOX_VERSION
#define SANDBOX_VERSION "0.0.0"
#endif

namespace cli {
namespace {

using options::Namespace;

const std::vector<std::string> kCommands = {"run",    "attach", "lesson", "check",
                                            "policy", "doctor", "help",   "version"};
const std::vector<std::string> kPolicyCommands = {"validate", "explain",  "list", "show",
                                                  "record",   "lint",     "diff", "export",
                                                  "install",  "audit-log"};

[[noreturn]] void usage_error(const std::string& msg, const std::string& topic) {
    util::throw_usage(msg, fmt::format("see `sandbox {}--help`", topic.empty() ? "" : topic + " "));
}

// A tiny argument cursor: "--flag VALUE", "--flag=VALUE" and "-fVALUE" spellings.
class Args {
public:
    Args(const std::vector<std::string>& a, std::size_t start, std::string topic)
        : a_(a), i_(start), topic_(std::move(topic)) {}
    [[nodiscard]] bool done() const { return i_ >= a_.size(); }
    [[nodiscard]] const std::string& peek() const { return a_[i_]; }
    std::string next() { return a_[i_++]; }
    std::vector<std::string> rest() {
        std::vector<std::string> r(a_.begin() + static_cast<long>(i_), a_.end());
        i_ = a_.size();
        return r;
    }
    // If the current arg is FLAG (or FLAG=VALUE), consume it and return its value.
    bool take_value(const std::string& flag, std::string& value) {
        tried_.push_back(flag);
        const std::string& cur = a_[i_];
        if (cur == flag) {
            if (i_ + 1 >= a_.size()) usage_error(flag + " needs a value", topic_);
            value = a_[i_ + 1];
            i_ += 2;
            return true;
        }
        if (cur.size() > flag.size() && cur.compare(0, flag.size() + 1, flag + "=") == 0) {
            value = cur.substr(flag.size() + 1);
            ++i_;
            return true;
        }
        return false;
    }
    bool take_flag(const std::string& flag) {
        tried_.push_back(flag);
        if (a_[i_] == flag) {
            ++i_;
            return true;
        }
        return false;
    }
    // --color[=WHEN] / --colour[=WHEN], as GNU ls and grep take it (alone: always), in any
    // command's options.
    bool take_colour() {
        const std::string& cur = a_[i_];
        tried_.push_back("--color");
        for (const char* flag : {"--color", "--colour"}) {
            std::string v;
            if (cur == flag) {
                ++i_;
                v = "always";
                if (!done() && (peek() == "auto" || peek() == "always" || peek() == "never"))
                    v = next();
            } else if (!take_value(flag, v)) {
                continue;
            }
            set_colour(v, topic_);
            return true;
        }
        return false;
    }
    static void set_colour(const std::string& v, const std::string& topic) {
        if (v == "auto")
            util::set_colour_mode(util::ColourMode::Auto);
        else if (v == "always")
            util::set_colour_mode(util::ColourMode::Always);
        else if (v == "never")
            util::set_colour_mode(util::ColourMode::Never);
        else
            usage_error(fmt::format("--color {}: expected auto, always or never", v), topic);
    }
    // The current argument is an option none of the take_* calls before took: a usage error,
    // with the nearest option of those tried (this command's options) when it looks like a typo.
    [[noreturn]] void unknown_option(const std::string& what_for) const {
        const std::string& cur = a_[i_];
        std::vector<std::string> near;
        for (const auto& t : tried_)
            if (t.size() > 2 && t.rfind("--", 0) == 0) near.push_back(t);
        const std::string typed = cur.substr(0, cur.find('='));
        usage_error(fmt::format("unknown option \"{}\"{}{}", cur, what_for,
                                typed.rfind("--", 0) == 0 ? util::did_you_mean(typed, near) : ""),
                    topic_);
    }
    [[nodiscard]] const std::string& topic() const { return topic_; }
    [[nodiscard]] std::size_t position() const { return i_; }

private:
    const std::vector<std::string>& a_;
    std::size_t i_;
    std::string topic_;
    std::vector<std::string> tried_; // every option asked about: the candidates for a typo
};

// --color for the loops that walk the arguments by index (lesson, doctor, before the command):
// consumes it (and a separate WHEN) and returns true.
bool take_colour_at(const std::vector<std::string>& a, std::size_t& i, const std::string& topic) {
    Args args(a, i, topic);
    if (!args.take_colour()) return false;
    i = args.position() - 1; // the caller's loop steps past the last argument taken
    return true;
}

// The value of a numeric option, by the one strict parser (digits only, within range), or a
// usage error naming the option and what it takes.
std::uint64_t number_option(const std::string& option, const std::string& value, std::uint64_t min,
                            std::uint64_t max, const std::string& what, const std::string& topic) {
    if (auto n = util::parse_decimal(value, min, max)) return *n;
    usage_error(fmt::format("{} {}: expected {} ({} to {})", option, value, what, min, max), topic);
}

std::vector<Namespace> parse_namespaces(const std::string& list) {
    // An empty list is a mistake (a variable that expanded to nothing), not "no namespaces":
    // that is --no-ns.
    if (list.empty())
        usage_error("--ns: empty list of namespaces (for no namespaces at all, use --no-ns)",
                    "run");
    std::vector<Namespace> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string n = list.substr(start, end - start);
        if (n == "user")
            out.push_back(Namespace::User);
        else if (n == "pid")
            out.push_back(Namespace::Pid);
        else if (n == "mount" || n == "mnt")
            out.push_back(Namespace::Mount);
        else if (n == "uts")
            out.push_back(Namespace::Uts);
        else if (n == "ipc")
            out.push_back(Namespace::Ipc);
        else if (n == "net" || n == "network")
            out.push_back(Namespace::Net);
        else if (n == "cgroup")
            out.push_back(Namespace::Cgroup);
        else if (n.empty())
            usage_error(fmt::format("--ns {}: an empty name in the list (expected names like "
                                    "pid,mount,net; --no-ns for none)",
                                    list),
                        "run");
        else
            usage_error(fmt::format("--ns: unknown namespace \"{}\" (expected user, pid, mount, "
                                    "uts, ipc, net, cgroup)",
                                    n),
                        "run");
        start = end + 1;
    }
    return out;
}

// --cap-add/--cap-drop take one name or a comma list (as docker does: NET_RAW,SYS_ADMIN); each
// name is checked whole later (launch::capability_number), an empty item here.
void take_capabilities(const std::string& option, const std::string& v,
                       std::vector<std::string>& out, const std::string& topic) {
    std::size_t start = 0;
    while (true) {
        const std::size_t end = v.find(',', start);
        const std::string name = v.substr(start, end == std::string::npos ? end : end - start);
        if (name.empty())
            usage_error(fmt::format("{} {}: an empty name in the list (expected names like "
                                    "NET_BIND_SERVICE,SYS_ADMIN)",
                                    option, v),
                        topic);
        out.push_back(name);
        if (end == std::string::npos) break;
        start = end + 1;
    }
}

// docker run's --security-opt, for the part sandbox has: seccomp=FILE (also docker's older
// seccomp:FILE), seccomp=unconfined (the bundled "unconfined"), and no-new-privileges, which
// sandbox always sets. AppArmor, SELinux labels and the rest are refused by name.
void take_security_opt(const std::string& v, options::Run& o, const std::string& topic) {
    const std::size_t sep = v.find_first_of("=:");
    const std::string key = v.substr(0, sep);
    const std::string value = sep == std::string::npos ? "" : v.substr(sep + 1);
    if (key == "seccomp") {
        if (value.empty())
            usage_error("--security-opt seccomp=: give a profile file, or unconfined", topic);
        if (o.policy_file || o.profile_name)
            usage_error(fmt::format("--security-opt {}: a profile is already given", v), topic);
        if (value == "unconfined")
            o.profile_name = "unconfined";
        else
            o.policy_file = value;
        return;
    }
    if (key == "no-new-privileges") {
        if (value.empty() || value == "true") return; // always set: the filter needs it
        usage_error(fmt::format("--security-opt {}: sandbox always sets no_new_privs (an "
                                "unprivileged process may only install a seccomp filter with "
                                "it, and a setuid program must not gain what the filter forbids)",
                                v),
                    topic);
    }
    usage_error(fmt::format("--security-opt {}: not supported (sandbox has seccomp=FILE, "
                            "seccomp=unconfined and no-new-privileges; no AppArmor or SELinux)",
                            v),
                topic);
}

// strace's -e status=SET: successful, failed, unfinished, unavailable, detached, all, none; a
// leading ! inverts the set.
unsigned parse_status(const std::string& set, const std::string& topic) {
    namespace st = options::status;
    static const std::vector<std::pair<std::string, unsigned>> kNames = {
        {"successful", st::Successful},
        {"failed", st::Failed},
        {"unfinished", st::Unfinished},
        {"unavailable", st::Unavailable},
        {"detached", st::Detached},
        {"all", st::All},
        {"none", 0}};
    const bool invert = !set.empty() && set[0] == '!';
    const std::string list = invert ? set.substr(1) : set;
    unsigned mask = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = list.find(',', start);
        const std::string name = list.substr(start, end == std::string::npos ? end : end - start);
        const auto it = std::find_if(kNames.begin(), kNames.end(),
                                     [&](const auto& n) { return n.first == name; });
        if (it == kNames.end()) {
            std::vector<std::string> names;
            for (const auto& n : kNames) names.push_back(n.first);
            usage_error(fmt::format("-e status={}: unknown status \"{}\"{} (expected successful, "
                                    "failed, unfinished, unavailable, detached, all or none)",
                                    set, name, util::did_you_mean(name, names)),
                        topic);
        }
        mask |= it->second;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return invert ? st::All & ~mask : mask;
}

// The tracing options `run` and `attach` share (strace's spellings). Consumes one and returns
// true, or returns false when the current argument is not one of them.
bool take_trace_option(Args& args, options::Run& o) {
    std::string v;
    if (args.take_value("-e", v) || args.take_value("--expr", v)) {
        if (v.rfind("trace=", 0) == 0)
            o.trace = v.substr(6);
        else if (v.rfind("inject=", 0) == 0)
            o.injections.push_back(v.substr(7));
        else if (v.rfind("status=", 0) == 0)
            o.status = parse_status(v.substr(7), args.topic());
        else if (v.find('=') == std::string::npos)
            o.trace = v; // strace's shorthand: -e openat,read is -e trace=openat,read
        else
            usage_error(
                fmt::format("-e {}: expected trace=SET, status=SET, inject=SPEC or a syscall list",
                            v),
                args.topic());
    } else if (args.take_colour()) {
    } else if (args.take_flag("-f") || args.take_flag("--follow-forks")) {
        // strace's "follow forks": sandbox always follows every process and thread.
    } else if (args.take_flag("-ff") || args.take_flag("--output-separately")) {
        o.output_separately = true; // with -o FILE: FILE.TID per thread
    } else if (args.take_value("--status", v)) {
        o.status = parse_status(v, args.topic());
    } else if (args.take_flag("-z") || args.take_flag("--successful-only")) {
        o.status = options::status::Successful;
    } else if (args.take_flag("-Z") || args.take_flag("--failed-only")) {
        o.status = options::status::Failed;
    } else if (args.take_value("-P", v) || args.take_value("--trace-path", v)) {
        if (v.empty()) usage_error("-P: give a path", args.topic());
        o.trace_paths.push_back(v);
    } else if (args.take_value("--trace", v)) {
        o.trace = v;
    } else if (args.take_value("--inject", v)) {
        o.injections.push_back(v);
    } else if (args.take_value("--emulate", v)) {
        o.emulations.push_back(v);
    } else if (args.take_flag("--audit")) {
        o.audit = true;
    } else if (args.take_value("-o", v) || args.take_value("--output", v)) {
        o.output_file = v;
    } else if (args.take_value("-s", v) || args.take_value("--string-limit", v)) {
        o.string_limit = number_option("-s", v, 0, 999999, "a number of characters", args.topic());
    } else if (args.take_flag("-v") || args.take_flag("--verbose")) {
        o.verbose = true;
    } else if (args.take_flag("-y") || args.take_flag("--decode-fds") ||
               args.take_flag("--decode-fds=path")) {
        if (o.fd_paths) o.fd_details = true; // -y -y is -yy, as in strace
        o.fd_paths = true;
    } else if (args.take_flag("-yy") || args.take_flag("--decode-fds=all")) {
        o.fd_paths = o.fd_details = true;
    } else if (args.take_flag("-x")) {
        o.hex_strings = std::max(o.hex_strings, 1);
    } else if (args.take_flag("-xx")) {
        o.hex_strings = 2;
    } else if (args.take_flag("-t")) {
        o.timestamps = std::max(o.timestamps + 1, 1);
    } else if (args.take_flag("-tt")) {
        o.timestamps = 2;
    } else if (args.take_flag("-ttt")) {
        o.timestamps = 3;
    } else if (args.take_flag("--json")) {
        o.json = true;
    } else if (args.take_flag("-c") || args.take_flag("--summary-only")) {
        o.summary_only = true;
    } else if (args.take_flag("-C") || args.take_flag("--summary")) {
        o.summary_too = true;
    } else if (args.take_value("-S", v) || args.take_value("--sort", v)) {
        if (v != "calls" && v != "name" && v != "denied" && v != "time" && v != "errors")
            usage_error(fmt::format("-S {}: sort by calls, name, denied, time or errors", v),
                        args.topic());
        o.sort = v;
    } else if (args.take_flag("--results")) {
        o.results = true;
    } else if (args.take_flag("-T")) {
        o.durations = true;
    } else {
        return false;
    }
    return true;
}

Command parse_run(Args& args) {
    Run r;
    auto& o = r.options;
    while (!args.done()) {
        std::string v;
        const std::string& cur = args.peek();
        if (cur == "--") {
            args.next();
            o.command = args.rest();
            break;
        }
        if (cur == "-h" || cur == "--help") return Help{"run"};
        if (args.take_value("--ns", v)) {
            o.namespaces = parse_namespaces(v);
            o.namespaces_given = true;
        } else if (args.take_flag("--no-ns")) {
            o.namespaces.clear();
            o.namespaces_given = true;
        } else if (cur == "--userns" || cur.rfind("--userns=", 0) == 0) {
            // --userns alone (an older spelling) is the default; --userns=MODE or --userns MODE
            std::string mode = "auto";
            if (cur != "--userns") {
                args.take_value("--userns", mode);
            } else {
                args.next();
                if (!args.done() && (args.peek() == "auto" || args.peek() == "host"))
                    mode = args.next();
            }
            if (mode == "auto")
                o.userns = options::Run::Userns::Auto;
            else if (mode == "host")
                o.userns = options::Run::Userns::Host;
            else
                usage_error(fmt::format("--userns {}: expected auto or host", mode), args.topic());
        } else if (args.take_flag("--map-root-user")) {
            o.map_root_user = true;
        } else if (args.take_flag("--share-net")) {
            o.share_net = true;
        } else if (args.take_value("--rw", v)) {
            o.mounts.push_back({options::MountRequest::Kind::ReadWrite, v});
        } else if (args.take_value("--ro", v)) {
            o.mounts.push_back({options::MountRequest::Kind::ReadOnly, v});
        } else if (args.take_value("--tmpfs", v)) {
            o.mounts.push_back({options::MountRequest::Kind::Tmpfs, v});
        } else if (args.take_value("--dev-bind", v)) {
            o.mounts.push_back({options::MountRequest::Kind::Device, v});
        } else if (args.take_value("--hostname", v)) {
            if (v.empty() || v.size() > 64) usage_error("--hostname: 1 to 64 characters", "run");
            o.hostname = v;
        } else if (args.take_value("--user", v) || args.take_value("-u", v)) {
            o.user = v;
        } else if (args.take_value("--cap-add", v)) {
            take_capabilities("--cap-add", v, o.cap_add, "run");
        } else if (args.take_value("--cap-drop", v)) {
            take_capabilities("--cap-drop", v, o.cap_drop, "run");
        } else if (args.take_value("--env", v) || args.take_value("-E", v)) {
            if (v.find('=') == std::string::npos || v[0] == '=')
                usage_error(fmt::format("--env {}: expected KEY=VALUE", v), "run");
            o.env.push_back(v);
        } else if (args.take_flag("--clearenv")) {
            o.clear_env = true;
        } else if (args.take_value("--cwd", v)) {
            o.cwd = v;
        } else if (args.take_value("--kill-after", v)) {
            o.kill_after_seconds = static_cast<int>(number_option(
                "--kill-after", v, 0, 999999, "a number of seconds, 0 for never", "run"));
        } else if (args.take_value("--pids-limit", v)) {
            o.pids_limit = launch::limits::parse_pids(v);
        } else if (args.take_value("--memory", v)) {
            o.memory_bytes = launch::limits::parse_memory(v);
        } else if (args.take_value("--cpus", v)) {
            o.cpu_nanos = launch::limits::parse_cpus(v);
        } else if (args.take_value("--time-limit", v)) {
            o.time_limit_seconds = launch::limits::parse_time_limit(v);
        } else if (args.take_value("--policy", v)) {
            o.policy_file = v;
        } else if (args.take_value("--profile", v)) {
            o.profile_name = v;
        } else if (args.take_value("--security-opt", v)) {
            take_security_opt(v, o, args.topic());
        } else if (args.take_flag("--strict")) {
            o.strict = true;
        } else if (args.take_flag("--strict-args")) {
            o.strict_args = true;
        } else if (take_trace_option(args, o)) {
        } else if (!cur.empty() && cur[0] == '-') {
            args.unknown_option(" for run");
        } else {
            o.command = args.rest(); // the command starts at the first non-option
        }
    }
    if (o.command.empty())
        util::throw_usage("run: no command given",
                          "usage: sandbox run [OPTIONS] -- COMMAND [ARGS...]");
    if (o.policy_file && o.profile_name)
        usage_error("give --policy FILE or --profile NAME, not both", "run");
    return r;
}

Command parse_attach(Args& args) {
    Attach a;
    auto& o = a.options;
    while (!args.done()) {
        std::string v;
        const std::string& cur = args.peek();
        if (cur == "-h" || cur == "--help") return Help{"attach"};
        if (take_trace_option(args, o.trace)) continue;
        if (args.take_value("--seconds", v)) {
            o.seconds = static_cast<int>(
                number_option("--seconds", v, 0, 9999999, "a number of seconds", "attach"));
        } else if (args.take_value("--policy", v) || args.take_value("--profile", v)) {
            util::throw_usage("a policy cannot be added to a process that is already running",
                              "a seccomp filter is installed by a process itself, before it runs "
                              "the program; start "
                              "the program under one with `sandbox run --policy FILE -- COMMAND`");
        } else if (args.take_flag("-p")) {
            // strace's spelling: sandbox attach -p PID
        } else if (!cur.empty() && cur[0] == '-') {
            args.unknown_option(" for attach");
        } else {
            if (o.pid != 0)
                usage_error(fmt::format("unexpected argument \"{}\": give one PID", cur), "attach");
            const auto pid = util::parse_decimal(cur, 1, std::numeric_limits<pid_t>::max());
            if (!pid) usage_error(fmt::format("\"{}\" is not a process id", cur), "attach");
            o.pid = static_cast<pid_t>(*pid);
            args.next();
        }
    }
    if (o.pid == 0) usage_error("attach: no process id given", "attach");
    if (o.trace.results) usage_error("--results is implied: attach always shows results", "attach");
    return a;
}

options::PolicyFile parse_policy_file(Args& args, bool explain) {
    options::PolicyFile o;
    while (!args.done()) {
        std::string v;
        const std::string& cur = args.peek();
        if (args.take_value("--profile", v)) {
            o.profile = v;
        } else if (args.take_colour()) {
        } else if (args.take_flag("--json")) {
            o.json = true;
        } else if (args.take_flag("--strict")) {
            o.strict = true;
        } else if (args.take_value("--cap-add", v)) {
            take_capabilities("--cap-add", v, o.cap_add, "policy");
        } else if (explain && args.take_flag("--all")) {
            o.all = true;
        } else if (explain && args.take_flag("--no-pfc")) {
            o.pseudo_code = false;
        } else if (!cur.empty() && cur[0] == '-' && cur != "-") {
            args.unknown_option(" for " + args.topic());
        } else {
            if (o.file)
                usage_error(fmt::format("unexpected argument \"{}\": give one profile", cur),
                            args.topic());
            o.file = args.next();
        }
    }
    if (!o.file && !o.profile) usage_error("give a profile: FILE or --profile NAME", args.topic());
    if (o.file && o.profile) usage_error("give FILE or --profile NAME, not both", args.topic());
    return o;
}

// `policy lint | diff | export | install | audit-log`; nullopt for any other subcommand.
std::optional<Command> parse_policy_tool(const std::string& sub, Args& args) {
    if (sub != "lint" && sub != "diff" && sub != "export" && sub != "install" && sub != "audit-log")
        return std::nullopt;
    std::vector<std::string> positional;
    std::optional<std::string> profile, policy_file, name, format, root;
    std::vector<std::string> cap_add;
    bool json = false, force = false;
    while (!args.done()) {
        std::string v;
        const std::string& cur = args.peek();
        if (args.take_colour()) {
        } else if (sub != "diff" && args.take_value("--profile", v)) {
            profile = v;
        } else if (sub == "audit-log" && args.take_value("--policy", v)) {
            policy_file = v;
        } else if ((sub == "export" || sub == "install") && args.take_value("--name", v)) {
            name = v;
        } else if (sub == "export" && args.take_value("--format", v)) {
            if (v != "pod" && v != "spo")
                usage_error(fmt::format("--format {}: expected pod or spo", v), "policy");
            format = v;
        } else if ((sub == "diff" || sub == "export") && args.take_value("--cap-add", v)) {
            take_capabilities("--cap-add", v, cap_add, "policy");
        } else if (sub == "install" && args.take_value("--kubelet-root", v)) {
            root = v;
        } else if (sub == "install" && args.take_flag("--force")) {
            force = true;
        } else if (args.take_flag("--json")) {
            json = true;
        } else if (!cur.empty() && cur[0] == '-' && cur != "-") {
            args.unknown_option(" for policy " + sub);
        } else {
            positional.push_back(args.next());
        }
    }
    const std::size_t want = sub == "diff" ? 2 : 1;
    if (positional.size() > want)
        usage_error(fmt::format("policy {}: unexpected argument \"{}\"", sub, positional[want]),
                    "policy");
    if (sub == "diff") {
        if (positional.size() != 2)
            usage_error("policy diff: give two profiles: A B (FILE or profile:NAME)", "policy");
        return PolicyDiff{{positional[0], positional[1], json, cap_add}};
    }
    if (sub == "audit-log") {
        if (policy_file && profile)
            usage_error("give --policy FILE or --profile NAME, not both", "policy");
        return PolicyAuditLog{
            {positional.empty() ? "-" : positional[0], policy_file, profile, json}};
    }
    std::optional<std::string> file;
    if (!positional.empty()) file = positional[0];
    if (!file && !profile)
        usage_error(fmt::format("policy {}: give a profile: FILE or --profile NAME", sub),
                    "policy");
    if (file && profile) usage_error("give FILE or --profile NAME, not both", "policy");
    if (sub == "lint") return PolicyLint{{file, profile, json}};
    if (sub == "export") {
        if (!format) usage_error("policy export: give --format pod or --format spo", "policy");
        return PolicyExport{{file, profile, *format, name, cap_add, json}};
    }
    PolicyInstall i{{file, profile, root.value_or("/var/lib/kubelet"), name, force, json}};
    if (i.options.kubelet_root.empty()) usage_error("--kubelet-root: give a directory", "policy");
    return i;
}

bool wants_help(const std::vector<std::string>& a, std::size_t from) {
    for (std::size_t i = from; i < a.size(); ++i) {
        if (a[i] == "--") return false;
        if (a[i] == "-h" || a[i] == "--help") return true;
    }
    return false;
}

// `check` and `policy record` take run's isolation and policy options: their own flags are taken
// out (up to "--"), the rest is parsed by parse_run; tracing options are refused.
options::Run parse_run_like(const std::vector<std::string>& a, std::size_t from,
                            const std::string& topic,
                            const std::function<bool(const std::string&)>& own) {
    std::vector<std::string> rest;
    bool in_command = false;
    for (std::size_t i = from; i < a.size(); ++i) {
        if (!in_command && a[i] == "--") in_command = true;
        if (in_command || !own(a[i])) rest.push_back(a[i]);
    }
    if (rest.empty() || rest == std::vector<std::string>{"--"})
        util::throw_usage(topic + ": no command given",
                          fmt::format("usage: sandbox {} [OPTIONS] -- COMMAND [ARGS...]", topic));
    Args args(rest, 0, topic);
    Command c = Help{topic};
    try {
        c = parse_run(args);
    } catch (const util::Error& e) {
        if (std::string(e.what()) != "run: no command given") throw;
        util::throw_usage(topic + ": no command given",
                          fmt::format("usage: sandbox {} [OPTIONS] -- COMMAND [ARGS...]", topic));
    }
    options::Run o = std::get<Run>(c).options;
    if (o.trace != "all" || !o.injections.empty() || !o.emulations.empty() || o.audit ||
        o.summary_only || o.summary_too || o.results || o.durations || o.timestamps != 0 ||
        o.verbose || o.fd_paths || o.hex_strings != 0 || !o.sort.empty() ||
        o.status != options::status::All || !o.trace_paths.empty() || o.output_separately)
        usage_error(
            fmt::format("{} takes run's isolation and policy options, not its tracing "
                        "options (-e, --inject, --emulate, --audit, -c, -C, -S, -t, -v, -x, -y, "
                        "-z, -Z, -P, -ff, --results)",
                        topic),
            topic);
    return o;
}

Command parse_check(const std::vector<std::string>& a) {
    Check c;
    auto own = [&c](const std::string& arg) {
        if (arg == "--enforce") return c.options.enforce = true;
        return false;
    };
    c.options.run = parse_run_like(a, 1, "check", own);
    c.options.json = c.options.run.json;
    if (!c.options.run.policy_file && !c.options.run.profile_name)
        usage_error("check: give the profile to check: --policy FILE or --profile NAME", "check");
    return c;
}

Command parse_record(const std::vector<std::string>& a) {
    PolicyRecord r;
    auto own = [&r](const std::string& arg) {
        if (arg == "--append") return r.options.append = true;
        return false;
    };
    r.options.run = parse_run_like(a, 2, "policy record", own);
    r.options.json = r.options.run.json; // what was recorded: the last line on stderr
    if (!r.options.run.output_file)
        usage_error("policy record: give the profile to write: -o OUT.json", "policy");
    r.options.output = *r.options.run.output_file;
    r.options.run.output_file.reset();
    return r;
}

} // namespace

Command parse(const std::vector<std::string>& all) {
    // --color before the command applies to every command (sandbox --color=never policy lint).
    std::size_t skip = 0;
    while (skip < all.size() &&
           (all[skip].rfind("--color", 0) == 0 || all[skip].rfind("--colour", 0) == 0)) {
        take_colour_at(all, skip, "");
        ++skip;
    }
    const std::vector<std::string> a(all.begin() + static_cast<long>(skip), all.end());
    if (a.empty()) return Help{""};
    const std::string& cmd = a[0];
    if (cmd == "-h" || cmd == "--help") return Help{""};
    if (cmd == "-V" || cmd == "--version" || cmd == "version") {
        if (a.size() > 1)
            usage_error(fmt::format("{} takes no arguments (\"{}\"): it prints one line of text, "
                                    "\"sandbox {}\"",
                                    cmd, a[1], SANDBOX_VERSION),
                        "");
        return Version{};
    }
    if (cmd == "help") {
        std::string topic;
        for (std::size_t i = 1; i < a.size(); ++i) topic += (i > 1 ? " " : "") + a[i];
        help_text(topic); // an unknown topic is a usage error here, before anything is printed
        return Help{topic};
    }
    if (cmd == "run") {
        Args args(a, 1, "run");
        return parse_run(args);
    }
    if (cmd == "policy") {
        if (a.size() < 2 || a[1] == "-h" || a[1] == "--help") return Help{"policy"};
        const std::string& sub = a[1];
        if (std::find(kPolicyCommands.begin(), kPolicyCommands.end(), sub) == kPolicyCommands.end())
            usage_error(fmt::format("unknown policy command \"{}\"{}", sub,
                                    util::did_you_mean(sub, kPolicyCommands)),
                        "policy");
        if (wants_help(a, 2)) return Help{"policy " + sub};
        if (sub == "validate") {
            Args args(a, 2, "policy");
            return PolicyValidate{parse_policy_file(args, false)};
        }
        if (sub == "explain") {
            Args args(a, 2, "policy");
            return PolicyExplain{parse_policy_file(args, true)};
        }
        if (sub == "record") return parse_record(a);
        if (Args args(a, 2, "policy"); auto tool = parse_policy_tool(sub, args)) return *tool;
        if (sub == "list") {
            PolicyList l;
            for (std::size_t i = 2; i < a.size(); ++i) {
                if (a[i] == "--json")
                    l.json = true;
                else
                    usage_error(
                        fmt::format("policy list: unknown option \"{}\"{}", a[i],
                                    util::did_you_mean(a[i], std::vector<std::string>{"--json"})),
                        "policy list");
            }
            return l;
        }
        if (sub == "show") {
            // The profile is JSON already: --json is accepted (scripts pass it everywhere) and
            // changes nothing.
            std::vector<std::string> names;
            for (std::size_t i = 2; i < a.size(); ++i) {
                if (a[i] == "--json") continue;
                if (a[i].empty() || a[i][0] == '-')
                    usage_error(
                        fmt::format("policy show: unknown option \"{}\"{}", a[i],
                                    util::did_you_mean(a[i], std::vector<std::string>{"--json"})),
                        "policy show");
                names.push_back(a[i]);
            }
            if (names.size() != 1)
                usage_error("policy show: give one bundled profile's name (`sandbox policy list`)",
                            "policy show");
            return PolicyShow{names[0]};
        }
        throw util::Error(util::exit_code::internal,
                          fmt::format("policy command \"{}\" has no parser", sub));
    }
    if (cmd == "lesson" || cmd == "lessons") {
        Lesson l{"list", 0, false, false, false, false};
        static const std::vector<std::string> actions = {
            "show", "hint", "solution", "verify", "watch", "shell", "status", "reset", "selftest"};
        for (std::size_t i = 1; i < a.size(); ++i) {
            const std::string& x = a[i];
            if (x == "-h" || x == "--help") return Help{"lesson"};
            if (take_colour_at(a, i, "lesson")) continue;
            if (x == "--json")
                l.json = true;
            else if (x == "--no-input")
                l.no_input = true;
            else if (x == "--task")
                l.task_only = true;
            else if (x == "--all")
                l.all = true;
            else if (std::find(actions.begin(), actions.end(), x) != actions.end() &&
                     l.action == "list")
                l.action = x;
            else if (auto n = util::parse_decimal(x, 1, 999); n && l.number == 0)
                l.number = static_cast<int>(*n);
            else
                usage_error(fmt::format("lesson: unexpected \"{}\"{}", x,
                                        x.rfind("--", 0) == 0
                                            ? util::did_you_mean(x,
                                                                 std::vector<std::string_view>{
                                                                     "--json", "--no-input",
                                                                     "--task", "--all", "--color"})
                                            : util::did_you_mean(x, actions)),
                            "lesson");
        }
        if (l.action == "list" && l.number != 0) l.action = "run";
        const std::string& act = l.action;
        const bool needs_number = act == "show" || act == "hint" || act == "solution" ||
                                  act == "verify" || act == "watch" || act == "shell";
        if (needs_number && l.number == 0)
            usage_error(fmt::format("lesson {}: which lesson? (a number)", act), "lesson");
        if ((act == "list" || act == "status") && l.number != 0)
            usage_error(fmt::format("lesson {} takes no lesson number", act), "lesson");
        if (act == "reset" && l.number == 0 && !l.all)
            usage_error("lesson reset: which lesson? (a number, or --all to forget every "
                        "lesson's progress and work directory)",
                        "lesson");
        if (act == "reset" && l.number != 0 && l.all)
            usage_error("lesson reset: a lesson number or --all, not both", "lesson");
        if (l.all && act != "reset") usage_error("--all goes with `lesson reset` only", "lesson");
        if (l.task_only && act != "run")
            usage_error("--task goes with `lesson N` only (the task and the check prompt)",
                        "lesson");
        if (l.json && act == "run")
            usage_error("lesson N: no --json for the lesson itself (`sandbox lesson verify N "
                        "--json` checks your work as JSON, `sandbox lesson show N --json` prints "
                        "the lesson)",
                        "lesson");
        if (l.json && act == "watch")
            usage_error("lesson watch: no --json (`sandbox lesson verify N --json` checks once, "
                        "as JSON)",
                        "lesson");
        if (l.json && (act == "reset" || act == "shell"))
            usage_error(fmt::format("lesson {}: no --json (there is no report to print)", act),
                        "lesson");
        return l;
    }
    if (cmd == "check") {
        if (wants_help(a, 1)) return Help{"check"};
        return parse_check(a);
    }
    if (cmd == "attach") {
        Args args(a, 1, "attach");
        return parse_attach(args);
    }
    if (cmd == "doctor") {
        if (wants_help(a, 1)) return Help{"doctor"};
        Doctor d;
        for (std::size_t i = 1; i < a.size(); ++i) {
            if (take_colour_at(a, i, "doctor")) continue;
            if (a[i] == "--json")
                d.options.json = true;
            else
                usage_error(
                    fmt::format("unknown option \"{}\" for doctor{}", a[i],
                                util::did_you_mean(
                                    a[i], std::vector<std::string_view>{"--json", "--color"})),
                    "doctor");
        }
        return d;
    }
    if (!cmd.empty() && cmd[0] == '-')
        usage_error(
            fmt::format("unknown option \"{}\"{}", cmd,
                        util::did_you_mean(
                            cmd, std::vector<std::string_view>{"--help", "--version", "--color"})),
            "");
    usage_error(fmt::format("unknown command \"{}\"{}", cmd, util::did_you_mean(cmd, kCommands)),
                "");
}

std::string version_text() {
    return fmt::format("sandbox {}\n", SANDBOX_VERSION);
}

// One page per policy command (`sandbox policy lint --help`, `sandbox help policy lint`).
std::optional<std::string> policy_help(const std::string& sub) {
    static const char* const kProfileArg =
        R"(A profile is a FILE (the OCI/Docker/Kubernetes JSON a kubelet reads from
/var/lib/kubelet/seccomp/profiles; a Security Profiles Operator SeccompProfile object in YAML is
read as its spec) or --profile NAME, a bundled one (`sandbox policy list`).
)";
    if (sub == "validate")
        return fmt::format(
            R"(Usage: sandbox policy validate (FILE | --profile NAME) [--strict] [--cap-add CAP] [--json]

Check a profile the way `sandbox run` loads it, and compile it for this machine: its structure,
every key and value, the architectures, the rule count and the BPF filter's size.

{}
Options:
      --profile NAME       a bundled profile instead of FILE
      --strict             unknown syscall names and unknown keys are errors, not warnings
      --cap-add NAME       the container runs with this capability (Docker's includes.caps and
                           excludes.caps; none by default)
      --json               the result as one JSON object

Exit status: 0 valid, 122 invalid (the message names the JSON key), 121 usage error.

Examples:
  sandbox policy validate my-profile.json
  sandbox policy validate --strict --profile runtime-default
)",
            kProfileArg);
    if (sub == "explain")
        return fmt::format(
            R"(Usage: sandbox policy explain (FILE | --profile NAME) [--all] [--no-pfc] [--cap-add CAP] [--json]

The effective verdict per syscall (the action, errno and the rule that decides it, conditional
rules with the arguments they test), the ENOSYS stub per ABI, and the compiled filter as
libseccomp's pseudo-code.

{}
Options:
      --profile NAME       a bundled profile instead of FILE
      --all                every syscall, not only those off the default action
      --no-pfc             leave out the pseudo-code
      --cap-add NAME       the container runs with this capability (Docker's includes/excludes)
      --strict             unknown syscall names and unknown keys are errors
      --json               the verdicts as one JSON object

Examples:
  sandbox policy explain --profile deny-mkdir
  sandbox policy explain --all --no-pfc my-profile.json
)",
            kProfileArg);
    if (sub == "list")
        return std::string(R"(Usage: sandbox policy list [--json]

The bundled profiles, compiled into sandbox: their names (for --profile NAME and profile:NAME),
default action and what each is for. `sandbox policy show NAME` prints one.

Options:
      --json               the list as one JSON object

Examples:
  sandbox policy list
  sandbox policy list --json
)");
    if (sub == "show")
        return std::string(R"(Usage: sandbox policy show NAME [--json]

Print a bundled profile's JSON, as it would be saved under /var/lib/kubelet/seccomp/profiles:
a starting point for your own (`sandbox policy show runtime-default > my-profile.json`). The
profile is JSON already, so --json changes nothing.

Examples:
  sandbox policy show deny-mkdir
  sandbox policy show runtime-default > my-profile.json
)");
    if (sub == "record")
        return std::string(
            R"(Usage: sandbox policy record -o OUT.json [--append] [--json] [RUN OPTIONS] [--] COMMAND [ARGS...]

Run COMMAND as `sandbox run` would and write a profile that allows exactly the syscalls it made
(every process and thread), plus what a container runtime needs to start it (see
policies/README.md); everything else gets EPERM, on this host's architectures.

Options:
  -o FILE                  the profile to write
      --append             merge the recorded calls into FILE's allow rule instead
      --json               what was recorded, as one JSON object: the last line on stderr
      --policy FILE, --profile NAME
                           the profile the command runs under while recorded (default: baseline)
  Isolation options and resource limits as for `sandbox run` (--rw, --ro, --ns, --cap-add, ...).

Exit status: the command's own.

Examples:
  sandbox policy record -o ls.json -- ls /
  sandbox policy record -o ls.json --append -- ls -l /etc
)");
    if (sub == "lint")
        return fmt::format(R"(Usage: sandbox policy lint (FILE | --profile NAME) [--json]

Findings, each with a severity, the JSON key and a reason: invalid structure, unknown syscalls,
clone3 without ENOSYS, io_uring allowed, Docker-only keys (includes, excludes, minKernel, archMap),
NOTIFY on calls the runtime needs, missing or foreign architectures, duplicate, conflicting and
no-op rules, conditions on pointer arguments, a KILL default, bad errnoRet; and what the node does
differently: repeated argument indexes (runc ORs every condition), conditions high bits can
bypass, clone3 below newer names, Docker's "name", "flags" (runc < 1.2), NOTIFY without
listenerPath, architectures libseccomp does not know, duplicate keys.

{}
Options:
      --profile NAME       a bundled profile instead of FILE
      --json               the findings as one JSON object

Exit status: 0 clean (notes only), 1 warnings, 2 errors (an unreadable or invalid file is an
error).

Examples:
  sandbox policy lint my-profile.json
  sandbox policy lint --json my-profile.json
)",
                           kProfileArg);
    if (sub == "diff")
        return std::string(R"(Usage: sandbox policy diff A B [--cap-add CAP] [--json]

The syscalls whose verdict differs between two profiles, each a FILE or profile:NAME for a
bundled one, with the verdict and the rule on each side, evaluated as for `sandbox run` (without
capabilities unless --cap-add).

Options:
      --cap-add NAME       both containers run with this capability (Docker's includes/excludes)
      --json               the differences as one JSON object

Exit status: 0 equal, 1 different, 122 when a profile is invalid.

Examples:
  sandbox policy diff ls.json profile:runtime-default
  sandbox policy diff old.json new.json --json
)");
    if (sub == "export")
        return fmt::format(
            R"(Usage: sandbox policy export (FILE | --profile NAME) --format pod|spo [--name NAME] [--cap-add CAP] [--json]

YAML for Kubernetes, on stdout:
  pod   the securityContext.seccompProfile snippet of a Pod whose node has the profile
        installed as /var/lib/kubelet/seccomp/profiles/NAME.json
  spo   a Security Profiles Operator SeccompProfile object (Docker's includes/excludes decided
        for a container with the --cap-add capabilities, none by default)

{}
Options:
      --format pod|spo     what to write
      --name NAME          the profile's name (default: the file's name without .json)
      --cap-add NAME       the container runs with this capability (spo)
      --json               the same object as JSON, as `kubectl get -o json` prints it

Examples:
  sandbox policy export my-profile.json --format pod
  sandbox policy export my-profile.json --format spo | kubectl apply -f -
)",
            kProfileArg);
    if (sub == "install")
        return fmt::format(
            R"(Usage: sandbox policy install (FILE | --profile NAME) [--kubelet-root DIR] [--name NAME] [--force] [--json]

Validate the profile, copy it to DIR/seccomp/profiles/NAME.json (where a kubelet with --root-dir
DIR reads Localhost profiles) and print the Pod snippet that refers to it. A different file
already there is kept unless --force.

{}
Options:
      --kubelet-root DIR   the kubelet's root directory (default: /var/lib/kubelet)
      --name NAME          the file name without .json (default: FILE's)
      --force              replace a different profile of that name
      --json               what was done (status, path, the Pod snippet) as one JSON object

Examples:
  sudo sandbox policy install my-profile.json
  sandbox policy install --profile deny-mkdir --kubelet-root /tmp/kubelet
)",
            kProfileArg);
    if (sub == "audit-log")
        return std::string(
            R"(Usage: sandbox policy audit-log [FILE | -] [--policy FILE | --profile NAME] [--json]

Read kernel audit, dmesg or journal lines (stdin without FILE or with -) and print each SECCOMP
record (type=1326: what SCMP_ACT_LOG and the kill actions log) with the syscall's name and the
action; with a policy, also its verdict and rule for that call. Other lines are skipped and
counted.

Options:
      --policy FILE        the profile to judge each call by
      --profile NAME       a bundled profile instead
      --json               one JSON object per record

Examples:
  journalctl -k | sandbox policy audit-log --policy my-profile.json
  sandbox policy audit-log /var/log/audit/audit.log --json
)");
    return std::nullopt;
}

std::string help_text(const std::string& topic) {
    if (topic == "run")
        return R"(Usage: sandbox run [OPTIONS] [--] COMMAND [ARGS...]

Run COMMAND in new Linux namespaces with every capability dropped, no_new_privs set and a
seccomp filter compiled from a JSON profile (the OCI/Docker/Kubernetes format).

By default the command gets new user, pid, mount, uts, ipc, net and cgroup namespaces: it is
PID 1's child with its own /proc, has the hostname "sandbox" and only the loopback interface.

Namespaces:
      --ns LIST            these namespaces: user,pid,mount,uts,ipc,net,cgroup (user is added
                           unless root asks for --userns=host)
      --no-ns              no namespaces at all (capabilities and the filter still apply; as
                           root, the command is then the host's root without capabilities)
      --userns MODE        auto (default): as root, uid 0 inside is an unprivileged host uid
                           (root's range in /etc/subuid, else 1878982656-1879048191), so no
                           check of the kernel (files, sysctls, keys, devices) takes it for the
                           host's root; the host's files show as owned by nobody.
                           host: as root, no user namespace: uid 0 inside IS the host's root
                           for every uid check; only for commands you trust
      --map-root-user      map your uid/gid to 0 inside (an ordinary user)
      --share-net          keep the host's network (no net namespace), and with it the host's
                           abstract unix sockets, as Kubernetes' hostNetwork does
      --hostname NAME      hostname inside (default: sandbox)

Filesystem (with a mount namespace): the host's root, read-only, nosuid and nodev; a fresh /proc
with runc's masked paths empty (/proc/kcore, /proc/keys, /proc/timer_list, ...) and /proc/sys,
/proc/sysrq-trigger, /proc/irq, /proc/bus, /proc/fs read-only; /sys read-only (a fresh one, with
its own network namespace); a minimal /dev: null, zero, full, random, urandom, tty, its own devpts
(/dev/pts, /dev/ptmx) and /dev/shm; empty tmpfs on /run, /var/run, /tmp and your home (the
working directory under it is bound read-only). No host device or pty, and no socket of those
places (docker.sock, D-Bus, systemd --user, X11, ssh-agent, gpg-agent, tmux) is reachable unless
you bind it in (a bound host /tmp comes without the sockets and agents' directories it has
at the start: a best effort). What a bind brings, it brings whole, sockets included:
      --rw PATH            bind PATH from the host, writable
      --ro PATH            bind PATH from the host, read-only (--ro /run/app.sock)
                           (both also SRC:DEST: the host's SRC at DEST inside, e.g.
                           --ro $PWD/www:/srv; DEST must exist, or lie inside a tmpfs).
                           Binds are nosuid and nodev; as root they are id-mapped, so their
                           files keep their owners inside (with a writable bind, no setuid
                           or setgid file can be made, and SETFCAP is refused)
      --dev-bind PATH      bind a host device node, or a directory of them, where devices
                           open (also SRC:DEST; bwrap's --dev-bind): --dev-bind /dev/kvm
      --tmpfs PATH         mount an empty tmpfs on PATH

User (default: your own uid; as root, uid 0 of an unprivileged range, see --userns):
  -u, --user UID[:GID]     run the command as this uid and gid inside (or NAME[:GROUP], looked
                           up on this host); without GID, the user's primary group or GID=UID.
                           As an ordinary user, your uid is mapped to UID (Kubernetes' runAsUser)

Capabilities (all dropped by default):
      --cap-add NAME       keep a capability: NET_BIND_SERVICE or CAP_NET_BIND_SERVICE; ALL;
                           a comma list (NET_RAW,SYS_ADMIN) as docker takes it
                           (SYS_ADMIN or ALL lets the command undo the mount layout)
      --cap-drop NAME      drop a capability again (ALL: drop everything not added)

Environment:
      --env KEY=VALUE      set a variable (-E KEY=VALUE); the rest is inherited unchanged
      --clearenv           start from an empty environment
      --cwd DIR            working directory inside (default: the current one, else /)

Signals:
  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH are forwarded to the command.
      --kill-after SECONDS a command still running this long after a forwarded SIGINT, SIGTERM,
                           SIGHUP or SIGQUIT gets SIGKILL (default 10; 0: never)

Resource limits (docker's spellings):
      --pids-limit N       at most N processes and threads, sandbox's init included. Default
                           4096, so a fork bomb cannot take the host's pids; 0 lifts it
                           (docker's --pids-limit -1)
      --memory BYTES       memory, e.g. 512m, 1G (K, M, G, T: powers of 1024; at least 6M)
      --cpus FRACTION      CPU time, as docker: 0.5 is half of one CPU, 2 two CPUs
      --time-limit SECONDS kill the command and everything it started after this wall time
                           (exit status 137, with a message)
  sandbox makes a cgroup for the run, a child of your own: cgroup v2 where your cgroup is
  delegated to you (root; or run sandbox in a scope of its own, systemd-run --user --scope -p
  Delegate=yes sandbox run ...), cgroup v1 pids, memory and cpu as root. There, memory counts
  swap too where the kernel accounts it (cgroup v1 memory.memsw, v2 memory.swap.max), and the OOM
  killer ends the command (137). Without a usable cgroup, rlimits set right
  before the command starts hold them: RLIMIT_NPROC for --pids-limit, counted in the sandbox's
  own user namespace (without one, as with --no-ns, it would count all your processes: the
  default is skipped and an explicit limit refused), RLIMIT_AS for --memory (per process, and
  address space rather than memory used). --cpus needs a cgroup. A limit that cannot be held
  here is refused (123) before anything runs; a note says which mechanism holds each limit you
  asked for, and `sandbox doctor` shows what this machine offers.

Tracing (strace's spelling; every process and thread of the command is traced):
  -e trace=SET             log only these: names, classes (%file %desc %network %process
                           %signal %ipc %memory %creds %clock), !SET to negate, all, none.
                           Calls not logged and allowed run in the kernel without a stop;
                           denials are always logged (a KILL is the kernel's, before
                           any log: the exit names the KILL rules; --results names the
                           call). Default: all. -e SET alone means -e trace=SET
  -f                       accepted for strace's habit; every process is followed anyway
  -o FILE                  write the trace (and summary) to FILE instead of stderr
  -ff                      with -o FILE: each thread's lines in FILE.TID, without [pid N]
                           (not with -c or -C)
  -P PATH                  log and count only calls that name PATH or use an fd open on it
                           (repeatable)
  -s N                     print at most N characters of each string (default 32)
  -v                       print execve's environment in full, not as /* N vars */
  -y                       print the path of each file descriptor: 3</etc/passwd>
  -yy                      also a socket's protocol and addresses, 3<TCP:[10.0.0.2:22->...]>,
                           and a device's numbers, 1</dev/null<char 1:3>>
  -x, -xx                  strings with non-ASCII bytes in hex (\x7f\x45...); -xx: every string
  -t, -tt, -ttt            time of day; with microseconds; seconds since the epoch
      --json               one JSON object per line, each with a type: syscall, exit,
                           summary (docs/json.md)
      --color WHEN         colour the trace: auto (on a terminal, unless NO_COLOR is set or
                           TERM=dumb), always, never
  -c                       print only a summary table at the end: calls, denied, % of calls
  -C                       print the trace and the summary
  -S calls|name|denied|time|errors
                           sort the summary (default: calls; time with --results)
      --audit              run the policy dry: log what it "would deny", deny nothing
      --inject SPEC        fail chosen calls: SYSCALL:error=ERRNO[:when=N|N+|N..M]
                           (e.g. openat:error=ENOENT:when=3); also -e inject=SPEC
      --emulate uname      the supervisor answers uname itself, as gVisor's Sentry does: the
                           kernel never runs it (4.19.0-gvisor, gVisor's answer); uname:release=R
                           answers release R instead
  A call the supervisor lets through has no return value in the log: the kernel reports results
  only to a tracer (strace). Denied and injected calls end with their result.
      --results            return values through a ptrace engine instead: the filter stops the
                           selected calls (SECCOMP_RET_TRACE), sandbox reads each result at the
                           call's exit; -c then has strace's % time, seconds, usecs/call, errors
  -T                       with --results: how long each call took (<0.000012>)
  -z, -Z                   with --results: print only calls that succeeded (-z) or failed (-Z)
  -e status=SET            with --results: only calls that ended so: successful, failed,
                           unfinished (exit_group, killed), all, none; !SET to negate. The
                           -c summary still counts every call, as strace's does

Seccomp policy:
      --policy FILE        an OCI/Docker seccomp profile (JSON)
      --profile NAME       a bundled profile (`sandbox policy list`)
      --security-opt seccomp=FILE|unconfined
                           docker's spelling of --policy FILE (unconfined: the bundled profile
                           that denies nothing); also no-new-privileges, which is always set
      --strict             unknown syscall names and keys in the profile are errors, not
                           warnings
      --strict-args        compare == and masks on arguments the kernel reads as 32-bit ints
                           (or 16-bit modes) at that width, so high bits cannot slip past them
                           (stricter than the node: runc compares all 64 bits; != < <= > >=
                           stay at 64 bits, with a warning; `sandbox policy lint` shows where
                           the node and the kernel differ)
  Without a policy, every syscall is allowed except io_uring (profile "baseline").

Exit status:
  the command's own exit code, or 128+N when it died by signal N (159: killed by seccomp, SIGSYS;
  137: SIGKILL, as by --time-limit or the OOM killer at --memory).
  sandbox's own failures: 120 internal error, 121 usage, 122 invalid policy,
  123 setup failed (the command never ran), 126 command not executable, 127 command not found.

Examples:
  sandbox run -- touch /tmp/error.log
  sandbox run -c -- sh -c 'ls / >/dev/null'
  sandbox run -e trace=%file -- cat /etc/hostname
  sandbox run --inject openat:error=EACCES:when=3 -- cat /etc/hostname
  sandbox run -e trace=none -- sh -c 'echo $$; hostname; grep CapEff /proc/self/status'
  sandbox run --profile deny-mkdir -- mkdir /tmp/x
  sandbox run --policy ./profile.json --rw "$PWD" -- make test
  sandbox run --pids-limit 100 --memory 512m --time-limit 60 -- make -j4
)";
    if (topic == "policy")
        return R"(Usage: sandbox policy COMMAND [OPTIONS] (FILE | --profile NAME)

Work with seccomp profiles in the OCI/Docker/Kubernetes JSON format (what a kubelet reads from
/var/lib/kubelet/seccomp/profiles).

Commands:
  validate FILE        check the profile the way `sandbox run` loads it, and compile it
  explain FILE         the effective verdict per syscall and the compiled filter as pseudo-code
  list                 the bundled profiles (use them with --profile NAME)
  show NAME            print a bundled profile's JSON
  record -o OUT.json [--append] [RUN OPTIONS] -- COMMAND [ARGS...]
                       run COMMAND and write a profile that allows exactly the syscalls it made
                       (plus what a container runtime needs to start it; see policies/README.md);
                       --append merges them into OUT.json; --profile/--policy is the profile the
                       command runs under while recorded (default: baseline). Exit status: the
                       command's own
  lint FILE [--json]   findings with a severity, the JSON key and a reason: invalid structure,
                       unknown syscalls, clone3 without ENOSYS, io_uring allowed, Docker-only keys
                       (includes, excludes, minKernel, archMap), NOTIFY on calls the runtime
                       needs, missing or foreign architectures, duplicate, conflicting and no-op
                       rules, conditions on pointer arguments, a KILL default, bad errnoRet;
                       what the node does differently: repeated argument indexes (runc ORs
                       every condition), conditions high bits can bypass, clone3 below newer
                       names, Docker's "name", "flags" (runc < 1.2), NOTIFY without
                       listenerPath, architectures libseccomp does not know, duplicate keys.
                       Exit status: 0 clean (notes only), 1 warnings, 2 errors (an unreadable or
                       invalid file is an error)
  diff A B [--json]    the syscalls whose verdict differs between two profiles (each a FILE, or
                       profile:NAME for a bundled one), with the verdict and rule on each side,
                       evaluated as for `sandbox run` (without capabilities unless --cap-add).
                       Exit status: 0 equal, 1 different
  export FILE --format pod|spo [--name NAME]
                       YAML for Kubernetes: pod, the securityContext.seccompProfile snippet for
                       a profile installed as profiles/NAME.json; spo, a Security Profiles
                       Operator SeccompProfile object (Docker's includes/excludes decided for a
                       container with the --cap-add capabilities, none by default). NAME
                       defaults to the file's name
  install FILE [--kubelet-root DIR] [--name NAME] [--force]
                       validate FILE, copy it to DIR/seccomp/profiles/NAME.json (DIR defaults to
                       /var/lib/kubelet; a different file there is kept unless --force), and
                       print the snippet that refers to it
  audit-log [FILE|-] [--policy FILE | --profile NAME] [--json]
                       read kernel audit, dmesg or journal lines (stdin without FILE or with -)
                       and print each SECCOMP record (type=1326) with the syscall's name and the
                       action; with a policy, also its verdict and rule for that call. Other
                       lines are skipped and counted

Options:
      --profile NAME       a bundled profile instead of FILE
      --strict             unknown syscall names and keys are errors, not warnings
      --json               machine-readable output, for every command (docs/json.md); export:
                           the same Kubernetes object as JSON (kubectl's -o json), not YAML
      --all                explain: list every syscall, not only those off the default action
      --no-pfc             explain: leave out the pseudo-code
      --cap-add NAME       validate, explain, diff, export: the container runs with this
                           capability (as `sandbox run --cap-add`; none by default), for Docker's
                           includes.caps and excludes.caps (e.g. CAP_SYS_CHROOT)

Profiles are read as strictly as `sandbox run` reads them (exit status 122 with the JSON key):
  - a regular file of at most 4 MiB (a FIFO, directory or device is refused without blocking;
    "-" is a file named -, not stdin)
  - every key at most once in each object (duplicate keys: a reader sees the first, JSON
    parsers keep the last); integers from 0 to 2^64-1; no control characters in syscall names
  - at most 4096 filter rules after expanding argument conditions as runc does: each name of a
    rule counts once, or once per condition when an argument index repeats (runc then makes
    every condition a rule of its own), counted before anything is built
  - a compiled filter of at most 4096 BPF instructions, estimated before libseccomp builds it;
    libseccomp gets 10 s of CPU time (2.5.4 never finishes some combinations of conditions)

Exit status: 0 valid, 122 invalid (the message names the JSON key), 121 usage error; lint and
diff have their own (above).

`sandbox policy COMMAND --help` describes one command.

Examples:
  sandbox policy validate policies/deny-mkdir.json
  sandbox policy explain --profile deny-mkdir
  sandbox policy record -o ls.json -- ls /
  sandbox policy lint my-profile.json
  sandbox policy diff ls.json profile:baseline
  sandbox policy export my-profile.json --format spo
  sudo sandbox policy install my-profile.json
  journalctl -k | sandbox policy audit-log --policy my-profile.json
)";
    if (topic == "check")
        return R"(Usage: sandbox check (--policy FILE | --profile NAME) [--json] [--enforce] [-o FILE]
                     [RUN OPTIONS] [--] COMMAND [ARGS...]

Run COMMAND as `sandbox run` would (same isolation), with the profile in audit mode: nothing is
denied, and each call the profile would deny is collected instead of printed. At the end, one row
per syscall the profile would deny: how often, the action and errno, the rule (syscalls[i] or
defaultAction) and the first such call with its decoded arguments. The command's own output passes
through; the report goes to stderr (or -o FILE).

Options:
      --policy FILE        the profile to check (OCI/Docker/Kubernetes JSON)
      --profile NAME       a bundled profile instead
      --enforce            really deny (the command sees the errors, as under a runtime; a
                           KILL is the kernel's: the report names the KILL rules)
      --json               the report as one JSON object
  -o FILE                  write the report to FILE
  -s N                     print at most N characters of each string argument (default 32)
  Isolation options and resource limits as for `sandbox run` (--rw, --ro, --ns, --cap-add,
  --env, --pids-limit, --memory, --cpus, --time-limit, ...).

Exit status: 0 when the profile denies nothing the command did, 1 when it denies (or would deny)
something, 121-127 for sandbox's own errors (see `sandbox run --help`).

Examples:
  sandbox policy record -o /tmp/p.json -- ls /
  sandbox check --policy /tmp/p.json -- ls /
  sandbox check --policy /tmp/p.json -- mkdir /tmp/d
  sandbox check --profile runtime-default --json -- unshare -r true
)";
    if (topic == "lesson")
        return R"(Usage: sandbox lesson [N | COMMAND [N]] [--task] [--no-input] [--json]

Self-checking lessons, from the execve line to a CKS-style lab. Each lesson explains, runs its
example commands through sandbox and shows the output, gives you a task, and checks the outcome.
You do the task in a second terminal, in the lesson directory, or in `sandbox lesson shell N`.

Commands:
  sandbox lesson               the lessons, with your progress (--json)
  sandbox lesson N             run lesson N: pauses on a terminal, then the check prompt
                               (--task: straight to the task; --no-input: no prompts)
  sandbox lesson shell N       a shell ($SHELL) in lesson N's directory, with this sandbox as
                               `sandbox` on PATH; exit comes back
  sandbox lesson verify N      check your work (--json for a grader)
  sandbox lesson watch N       check again whenever a file in the lesson directory changes;
                               exits 0 once the lesson passes, 130 on Ctrl-C
  sandbox lesson hint N        the next hint (concept, then command shape, then full command)
  sandbox lesson solution N    the reference solution (recorded: the lesson counts as [s])
  sandbox lesson show N        print lesson N without running anything (--json)
  sandbox lesson status        your progress, and where it is kept (--json)
  sandbox lesson reset N       forget lesson N's progress and remove its work directory
  sandbox lesson reset --all   the same for every lesson
  sandbox lesson selftest [N]  run each lesson's solution and wrong answers against its checks

At the check prompt: Enter checks, h gives a hint, s the solution, `shell` opens the lesson
shell, t shows the task again, q leaves (`sandbox lesson N --task` comes back). Commands typed
there are not run. Text is wrapped to the terminal (COLUMNS, else its width, else 80 columns);
commands are never broken.

--json is for list, status, show, hint, solution, verify and selftest.

Exit status: 0 passed, 1 not yet, 2 could not run here (skipped: the reason and the remedy are
printed), 130 stopped with Ctrl-C. Progress is kept in $XDG_STATE_HOME/sandbox/progress.json
(~/.local/state/sandbox/), the lessons' work directories next to it (work/NN-slug).

Examples:
  sandbox lesson 1
  sandbox lesson shell 1
  sandbox lesson watch 1
  sandbox lesson verify 1 --json
)";
    if (topic == "attach")
        return R"(Usage: sandbox attach [OPTIONS] PID

Trace a process that is already running, like `strace -f -p PID`: every thread of it (and the
children it starts) is seized with ptrace and its syscalls are printed with their results. On
Ctrl-C, after --seconds, or when it exits, sandbox detaches and the process goes on as before.

Options (as for `sandbox run`):
  -e trace=SET, -e status=SET, -o FILE, -ff, -P PATH, -s N, -v, -y, -yy, -x, -xx,
  -t/-tt/-ttt, -T, -z, -Z, --json, -c, -C, -S KEY
      --seconds N          detach after N seconds

A policy cannot be added to a running process: a seccomp filter is installed by the process itself
before it runs the program. Attaching needs ptrace rights over the process: your own process (and,
with Yama ptrace_scope 1, only your descendants) or CAP_SYS_PTRACE; sandbox says which is missing.

Examples:
  sandbox attach 4242
  sandbox attach -c --seconds 10 4242
  sandbox attach -e trace=kill,tgkill 4242
)";
    if (topic == "doctor")
        return R"(Usage: sandbox doctor [--json]

Report what this machine allows and what it means for sandbox: kernel version, seccomp actions,
user namespaces (tried, not guessed), AppArmor's user-namespace restriction, whether sandbox
already runs under a seccomp filter (inside a container), Yama ptrace scope, cgroup version, the
cgroups sandbox can make for resource limits (v2 delegation, v1 controllers) and so which limits
it can enforce and how, and the notify listener's synchronous wake-up. Each problem comes with
its remedy.

Exit status: 0 when everything sandbox needs works, 1 when something is missing.
)";
    if (topic.rfind("policy ", 0) == 0)
        if (auto page = policy_help(topic.substr(7))) return *page;
    if (!topic.empty() && topic != "help") {
        std::vector<std::string> topics = kCommands;
        for (const auto& sub : kPolicyCommands) topics.push_back("policy " + sub);
        util::throw_usage(
            fmt::format("no help for \"{}\"{}", topic, util::did_you_mean(topic, topics)),
            "help topics: the commands (run, attach, lesson, check, policy, doctor) "
            "and policy's (`sandbox help policy lint`); `sandbox help` lists them");
    }
    return R"(Usage: sandbox COMMAND [OPTIONS]

See and control what crosses the line between a program and the Linux kernel: run it in
namespaces under a seccomp profile (the format Docker, containerd, CRI-O and the kubelet read).

Commands:
  run        run a command in namespaces, capabilities dropped, under a seccomp policy
  attach     trace a running process (like strace -p)
  lesson     self-checking lessons: `sandbox lesson 1` starts the first
  check      which calls of a command a profile would deny, and by which rule
  policy     validate, explain, list, record, lint, diff and export seccomp profiles
  doctor     what this machine's kernel allows, and how to fix what it does not
  help       help for a command (also: sandbox COMMAND --help)

Options:
  -h, --help       this help (`sandbox help COMMAND`, `sandbox help policy lint`)
  -V, --version    print the version
      --color WHEN colour in tables, traces and messages: auto (default: on a terminal, unless
                   NO_COLOR is set or TERM=dumb), always, never; before or after the command

Typos get a suggestion: `sandbox rnu` says did you mean "run".

Examples:
  sandbox lesson 1
  sandbox run -- touch /tmp/error.log
  sandbox run --profile deny-mkdir -- mkdir /tmp/x
  sandbox policy explain policies/deny-mkdir.json
  sandbox doctor

Exit status: the command's own, or 128+N for signal N; sandbox's own errors use 120-127
(see `sandbox run --help`).
)";
}

} // namespace cli
