// SPDX-License-Identifier: Apache-2.0
#include "report/policy_tools.hpp"

#include <ctime>

#include <fmt/format.h>

#include "util/json_schema.hpp"
#include "util/table.hpp"

namespace report {
namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string arches(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& a : v) out += (out.empty() ? "" : ", ") + a;
    return out;
}

using Json = nlohmann::ordered_json;

// One side of a diff: the action (as `policy explain` names it), its rule, the cases.
Json verdict_json(const policy::SyscallVerdict& v) {
    Json j{{"action", policy::describe_ret(v.ret)},
           {"rule", v.rule},
           {"summary", policy::summarize(v)}};
    if (!v.cases.empty()) {
        j["cases"] = Json::array();
        for (const auto& c : v.cases)
            j["cases"].push_back(
                {{"when", c.when}, {"action", policy::describe_ret(c.ret)}, {"rule", c.rule}});
    }
    return j;
}

// A plain YAML scalar when it cannot be read as anything else, otherwise a JSON string (JSON's
// double-quoted strings are valid YAML).
std::string yaml_scalar(const nlohmann::ordered_json& j) {
    if (!j.is_string()) return j.dump();
    const std::string s = j.get<std::string>();
    bool plain = !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") ==
                                   std::string::npos;
    plain = plain && s.find_first_not_of("0123456789.-") != std::string::npos; // not a number
    plain = plain && s.front() != '-' && s.front() != '.';
    for (const char* word : {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "True",
                             "False", "Null", "NULL", "Yes", "No", "On", "Off", "TRUE", "FALSE"})
        plain = plain && s != word;
    return plain ? s : j.dump();
}

bool is_collection(const nlohmann::ordered_json& j) {
    return (j.is_object() || j.is_array()) && !j.empty();
}

void emit(const nlohmann::ordered_json& j, std::size_t indent, std::string& out);

void emit_value_after_key(const nlohmann::ordered_json& v, std::size_t indent, std::string& out) {
    if (!is_collection(v)) {
        out += " " +
               (v.is_object()  ? std::string("{}")
                : v.is_array() ? "[]"
                               : yaml_scalar(v)) +
               "\n";
        return;
    }
    out += "\n";
    // kubectl's layout: a sequence under a key is not indented further, a mapping is.
    emit(v, v.is_array() ? indent : indent + 2, out);
}

void emit(const nlohmann::ordered_json& j, std::size_t indent, std::string& out) {
    const std::string pad(indent, ' ');
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            out += pad + yaml_scalar(it.key()) + ":";
            emit_value_after_key(it.value(), indent, out);
        }
    } else if (j.is_array()) {
        for (const auto& item : j) {
            if (!is_collection(item)) {
                out += pad + "- " +
                       (item.is_object()  ? "{}"
                        : item.is_array() ? "[]"
                                          : yaml_scalar(item)) +
                       "\n";
                continue;
            }
            // The item's first line goes after "- ", the rest is indented under it.
            std::string nested;
            emit(item, indent + 2, nested);
            out += pad + "- " + nested.substr(indent + 2);
        }
    } else {
        out += pad + yaml_scalar(j) + "\n";
    }
}

// "2023-11-14 22:13:20.123" (UTC) from the record's "1700000000.123".
std::string audit_time(const std::string& stamp) {
    if (stamp.empty()) return "-";
    const auto dot = stamp.find('.');
    const std::string secs = stamp.substr(0, dot);
    if (secs.empty() || secs.find_first_not_of("0123456789") != std::string::npos) return stamp;
    const std::time_t t = static_cast<std::time_t>(std::stoll(secs));
    std::tm tm{};
    if (::gmtime_r(&t, &tm) == nullptr) return stamp;
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return std::string(buf) + (dot == std::string::npos ? "" : stamp.substr(dot));
}

std::string policy_column(const policy::AuditRecord& r) {
    if (!r.verdict) return "-";
    std::string s = fmt::format("{} by {}", policy::describe_ret(r.verdict->ret), r.verdict->rule);
    if (!r.verdict_matches) s += " (not what the kernel logged: another profile?)";
    if (r.depends_on_arguments) s += " (with arguments 0: the record has none)";
    return s;
}

} // namespace

std::string lint_text(const policy::LintReport& r) {
    const auto errors = r.count(policy::Severity::Error);
    const auto warnings = r.count(policy::Severity::Warning);
    const auto infos = r.count(policy::Severity::Info);
    std::string out;
    if (!r.findings.empty()) {
        util::Table t({"SEVERITY", "KEY", "REASON"});
        for (const auto& f : r.findings)
            t.add({policy::severity_name(f.severity), f.key.empty() ? "-" : f.key, f.message});
        out += t.render();
    }
    out += fmt::format("{}: {}, {}, {}\n", r.source, plural(errors, "error", "errors"),
                       plural(warnings, "warning", "warnings"), plural(infos, "note", "notes"));
    return out;
}

std::string lint_json(const policy::LintReport& r) {
    auto j = util::report_object();
    j["source"] = r.source;
    j["errors"] = r.count(policy::Severity::Error);
    j["warnings"] = r.count(policy::Severity::Warning);
    j["infos"] = r.count(policy::Severity::Info);
    j["exit_code"] = r.exit_code();
    j["findings"] = Json::array();
    for (const auto& f : r.findings)
        j["findings"].push_back({{"severity", policy::severity_name(f.severity)},
                                 {"key", f.key},
                                 {"check", f.check},
                                 {"message", f.message}});
    return util::json_line(j);
}

std::string diff_text(const policy::PolicyDiff& d) {
    std::string out = fmt::format("A  {}\nB  {}\n\n", d.source_a, d.source_b);
    if (d.arches_differ())
        out += fmt::format("Architectures differ:\n  A  {}\n  B  {}\n\n", arches(d.arches_a),
                           arches(d.arches_b));
    if (d.changed.empty()) {
        out += fmt::format("No syscall changes verdict ({} compared on {}).\n", d.compared,
                           d.arches_a.empty() ? "?" : d.arches_a.front());
        return out;
    }
    util::Table t({"SYSCALL", "NR", "A", "RULE (A)", "B", "RULE (B)"});
    for (const auto& c : d.changed)
        t.add({c.name, std::to_string(c.nr), policy::summarize(c.a), policy::summarize_rules(c.a),
               policy::summarize(c.b), policy::summarize_rules(c.b)});
    out += t.render();
    out += fmt::format("{} of {} syscalls change verdict (native {}).\n", d.changed.size(),
                       d.compared, d.arches_a.empty() ? "?" : d.arches_a.front());
    return out;
}

std::string diff_json(const policy::PolicyDiff& d) {
    auto j = util::report_object();
    j["a"] = {{"source", d.source_a}, {"architectures", d.arches_a}};
    j["b"] = {{"source", d.source_b}, {"architectures", d.arches_b}};
    j["equal"] = d.equal();
    j["compared"] = d.compared;
    j["changed"] = Json::array();
    for (const auto& c : d.changed)
        j["changed"].push_back({{"syscall", c.name},
                                {"nr", c.nr},
                                {"a", verdict_json(c.a)},
                                {"b", verdict_json(c.b)}});
    return util::json_line(j);
}

std::string to_yaml(const nlohmann::ordered_json& j) {
    std::string out;
    emit(j, 0, out);
    return out;
}

std::string to_json(const nlohmann::ordered_json& j) {
    return util::json_line(j);
}

std::string audit_log_text(const policy::AuditLog& log, bool with_policy) {
    std::string out;
    if (!log.records.empty()) {
        std::vector<std::string> header = {"TIME (UTC)", "PID",  "COMM",
                                           "SYSCALL",    "ARCH", "ACTION"};
        if (with_policy) header.emplace_back("POLICY");
        util::Table t(header);
        for (const auto& r : log.records) {
            std::string call = r.syscall.empty() ? "?" : r.syscall;
            if (r.nr && call != std::to_string(*r.nr)) call += fmt::format(" ({})", *r.nr);
            std::string action = r.action.empty() ? "?" : r.action;
            if (r.signal != 0) action += fmt::format(" sig={}", r.signal);
            std::vector<std::string> row = {audit_time(r.timestamp),
                                            r.pid ? std::to_string(*r.pid) : "-",
                                            r.comm.empty() ? "-" : r.comm,
                                            call,
                                            r.arch_name.empty() ? "-" : r.arch_name,
                                            action};
            if (with_policy) row.push_back(policy_column(r));
            t.add(std::move(row));
        }
        out += t.render();
    }
    out += fmt::format("{}; {} skipped (not SECCOMP records)\n",
                       plural(log.records.size(), "SECCOMP record", "SECCOMP records"),
                       plural(log.skipped, "other line", "other lines"));
    return out;
}

std::string audit_log_json(const policy::AuditLog& log) {
    const auto optional = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
    auto j = util::report_object();
    j["records"] = Json::array();
    for (const auto& r : log.records) {
        // The record's own field names (comm, exe, sig, code, serial); the arch as libseccomp
        // names it, null when the record has none sandbox knows (the line keeps what it said).
        Json x{{"line", r.line},       {"time", r.timestamp}, {"serial", r.serial},
               {"comm", r.comm},       {"exe", r.exe},        {"arch", nullptr},
               {"syscall", r.syscall}, {"action", r.action},  {"sig", r.signal}};
        if (r.arch_name.starts_with("SCMP_ARCH_")) x["arch"] = r.arch_name;
        x["pid"] = optional(r.pid);
        x["uid"] = optional(r.uid);
        x["nr"] = optional(r.nr);
        x["code"] = r.code ? Json(fmt::format("{:#x}", *r.code)) : Json(nullptr);
        if (r.verdict)
            x["policy"] = {{"action", policy::describe_ret(r.verdict->ret)},
                           {"rule", r.verdict->rule},
                           {"matches", r.verdict_matches},
                           {"depends_on_arguments", r.depends_on_arguments}};
        j["records"].push_back(std::move(x));
    }
    j["lines"] = log.lines;
    j["skipped"] = log.skipped;
    return util::json_line(j);
}

std::string install_json(const policy::InstallResult& r, const std::string& name,
                         const std::string& localhost_profile) {
    auto j = util::report_object();
    j["status"] = r.unchanged ? "unchanged" : r.replaced ? "replaced" : "installed";
    j["path"] = r.path;
    j["name"] = name;
    j["localhost_profile"] = localhost_profile;
    j["pod_snippet"] = policy::pod_snippet(localhost_profile);
    return util::json_line(j);
}

std::string record_json(const RecordReport& r) {
    auto j = util::report_object();
    j["output"] = r.output;
    j["merged"] = r.merged;
    j["policy"] = r.policy;
    j["command"] = r.command;
    j["exit_code"] = r.exit_code;
    j["syscalls"] = r.syscalls;
    j["unnamed"] = r.unnamed;
    j["denied"] = r.denied;
    j["denied_syscalls"] = r.denied_syscalls;
    return util::json_line(j);
}

} // namespace report
