#include "policy/load.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/arch.hpp"
#include "util/error.hpp"

namespace policy {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxProfileBytes = 16u << 20; // the largest real profiles are ~30 KiB
constexpr int kMaxDepth = 32;                       // real profiles nest 4 deep

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& what) {
    std::string where = key.empty() ? source : source + ": " + key;
    throw util::Error(
        util::exit_code::policy, where + ": " + what,
        "the format is the OCI/Docker seccomp profile; see `sandbox policy validate`");
}

std::string type_name(const json& j) {
    switch (j.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "an integer";
    case json::value_t::number_float:
        return "a number with a fraction";
    default:
        return "something else";
    }
}

std::pair<int, int> line_column(std::string_view text, std::size_t byte) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

// Reject pathological nesting before the parser sees it: bounded time and memory.
void check_depth(std::string_view text, const std::string& source) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth) {
                auto [l, col] = line_column(text, i);
                fail(source, fmt::format("line {} column {}", l, col),
                     fmt::format("nested more than {} levels deep; a seccomp profile nests 4",
                                 kMaxDepth));
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
}

class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail_at(const std::string& key, const std::string& what) const {
        fail(source_, key, what);
    }

    void expect(const json& j, json::value_t t, const std::string& key, const char* wanted) const {
        bool ok = j.type() == t ||
                  (t == json::value_t::number_unsigned &&
                   j.type() == json::value_t::number_integer && j.get<std::int64_t>() >= 0);
        if (!ok) fail_at(key, fmt::format("expected {}, got {}", wanted, type_name(j)));
    }

    std::string string(const json& j, const std::string& key) const {
        expect(j, json::value_t::string, key, "a string");
        return j.get<std::string>();
    }

    std::uint64_t unsigned_number(const json& j, const std::string& key) const {
        if (j.is_number_integer() && j.get<std::int64_t>() < 0)
            fail_at(key,
                    fmt::format("expected a non-negative integer, got {}", j.get<std::int64_t>()));
        expect(j, json::value_t::number_unsigned, key, "a non-negative integer");
        return j.get<std::uint64_t>();
    }

    std::vector<std::string> strings(const json& j, const std::string& key) const {
        expect(j, json::value_t::array, key, "an array of strings");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < j.size(); ++i)
            out.push_back(string(j[i], fmt::format("{}[{}]", key, i)));
        return out;
    }

    void warn_unknown_keys(const json& obj, const std::string& key,
                           const std::set<std::string>& known,
                           std::vector<std::string>& warnings) const {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (known.count(it.key()) == 0) {
                std::string where = key.empty() ? it.key() : key + "." + it.key();
                warnings.push_back(
                    fmt::format("{}: {}: unknown key, ignored (a typo?)", source_, where));
            }
        }
    }

    Action action(const json& j, const std::string& key) const {
        static const std::vector<std::pair<std::string, Action>> names = {
            {"SCMP_ACT_ALLOW", Action::Allow},
            {"SCMP_ACT_ERRNO", Action::Errno},
            {"SCMP_ACT_KILL", Action::KillThread}, // libseccomp's SCMP_ACT_KILL kills the thread
            {"SCMP_ACT_KILL_THREAD", Action::KillThread},
            {"SCMP_ACT_KILL_PROCESS", Action::KillProcess},
            {"SCMP_ACT_TRAP", Action::Trap},
            {"SCMP_ACT_TRACE", Action::Trace},
            {"SCMP_ACT_LOG", Action::Log},
            {"SCMP_ACT_NOTIFY", Action::Notify},
        };
        std::string s = string(j, key);
        for (const auto& [n, a] : names)
            if (s == n) return a;
        fail_at(key,
                fmt::format(
                    "unknown action \"{}\" (expected one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, "
                    "SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, "
                    "SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_NOTIFY)",
                    s));
    }

    Op op(const json& j, const std::string& key) const {
        static const std::vector<std::pair<std::string, Op>> names = {
            {"SCMP_CMP_NE", Op::NotEqual},           {"SCMP_CMP_LT", Op::LessThan},
            {"SCMP_CMP_LE", Op::LessEqual},          {"SCMP_CMP_EQ", Op::Equal},
            {"SCMP_CMP_GE", Op::GreaterEqual},       {"SCMP_CMP_GT", Op::GreaterThan},
            {"SCMP_CMP_MASKED_EQ", Op::MaskedEqual},
        };
        std::string s = string(j, key);
        for (const auto& [n, o] : names)
            if (s == n) return o;
        fail_at(key,
                fmt::format("unknown op \"{}\" (expected SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
                            "SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT or SCMP_CMP_MASKED_EQ)",
                            s));
    }

    std::uint32_t errno_value(const json& j, const std::string& key) const {
        std::uint64_t v = unsigned_number(j, key);
        if (v > 4095)
            fail_at(key,
                    fmt::format("{} is not an errno: the kernel takes 0 to 4095 (SECCOMP_RET_DATA)",
                                v));
        return static_cast<std::uint32_t>(v);
    }

    RuleFilter rule_filter(const json& j, const std::string& key,
                           std::vector<std::string>& warnings) const {
        expect(j, json::value_t::object, key, "an object");
        warn_unknown_keys(j, key, {"caps", "arches", "minKernel"}, warnings);
        RuleFilter f;
        if (j.contains("caps")) f.caps = strings(j["caps"], key + ".caps");
        if (j.contains("arches")) f.arches = strings(j["arches"], key + ".arches");
        if (j.contains("minKernel")) {
            std::string v = string(j["minKernel"], key + ".minKernel");
            unsigned a = 0, b = 0;
            char tail = 0;
            if (std::sscanf(v.c_str(), "%u.%u%c", &a, &b, &tail) != 2)
                fail_at(key + ".minKernel",
                        fmt::format("\"{}\" is not a kernel version like \"4.8\"", v));
            f.min_kernel = v;
        }
        return f;
    }

    std::string source_;
};

ArgCondition parse_arg(const Reader& r, const json& j, const std::string& key,
                       std::vector<std::string>& warnings) {
    r.expect(j, json::value_t::object, key, "an object with index, value, op");
    r.warn_unknown_keys(j, key, {"index", "value", "valueTwo", "op"}, warnings);
    for (const char* required : {"index", "value", "op"})
        if (!j.contains(required)) r.fail_at(key, fmt::format("missing \"{}\"", required));
    ArgCondition c;
    std::uint64_t index = r.unsigned_number(j["index"], key + ".index");
    if (index >= 6)
        r.fail_at(key + ".index",
                  fmt::format("{} is out of range: a syscall has arguments 0 to 5", index));
    c.index = static_cast<unsigned>(index);
    c.value = r.unsigned_number(j["value"], key + ".value");
    if (j.contains("valueTwo")) c.value_two = r.unsigned_number(j["valueTwo"], key + ".valueTwo");
    c.op = r.op(j["op"], key + ".op");
    return c;
}

Rule parse_rule(const Reader& r, const json& j, const std::string& key,
                std::vector<std::string>& warnings) {
    r.expect(j, json::value_t::object, key, "an object");
    r.warn_unknown_keys(
        j, key, {"names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"},
        warnings);
    Rule rule;
    rule.key = key;
    if (j.contains("name") && j.contains("names"))
        r.fail_at(key, "both \"name\" and \"names\" are given; use only \"names\"");
    if (j.contains("names"))
        rule.names = r.strings(j["names"], key + ".names");
    else if (j.contains("name"))
        rule.names = {r.string(j["name"], key + ".name")};
    else
        r.fail_at(key, "missing \"names\": the syscalls this rule is about");
    for (std::size_t i = 0; i < rule.names.size(); ++i)
        if (rule.names[i].empty())
            r.fail_at(fmt::format("{}.names[{}]", key, i), "empty syscall name");
    if (rule.names.empty())
        warnings.push_back(
            fmt::format("{}: {}.names: empty list; the rule does nothing", r.source_, key));
    if (!j.contains("action")) r.fail_at(key, "missing \"action\"");
    rule.action.action = r.action(j["action"], key + ".action");
    if (j.contains("errnoRet")) {
        if (rule.action.action != Action::Errno && rule.action.action != Action::Trace)
            r.fail_at(key + ".errnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take errnoRet");
        rule.action.data = r.errno_value(j["errnoRet"], key + ".errnoRet");
    }
    if (j.contains("args") && !j["args"].is_null()) {
        const json& args = j["args"];
        r.expect(args, json::value_t::array, key + ".args", "an array of conditions");
        for (std::size_t i = 0; i < args.size(); ++i)
            rule.args.push_back(
                parse_arg(r, args[i], fmt::format("{}.args[{}]", key, i), warnings));
    }
    if (j.contains("comment")) rule.comment = r.string(j["comment"], key + ".comment");
    if (j.contains("includes"))
        rule.includes = r.rule_filter(j["includes"], key + ".includes", warnings);
    if (j.contains("excludes"))
        rule.excludes = r.rule_filter(j["excludes"], key + ".excludes", warnings);
    return rule;
}

} // namespace

Policy parse(std::string_view text, const std::string& source) {
    if (text.size() > kMaxProfileBytes)
        fail(source, "",
             fmt::format("{} bytes is too large for a seccomp profile (limit {} bytes)",
                         text.size(), kMaxProfileBytes));
    check_depth(text, source);
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        auto [line, col] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
        std::string what = e.what();
        // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1, column 5:
        // syntax error ..."
        auto pos = what.find("syntax error");
        if (pos == std::string::npos)
            pos = what.find(": ") == std::string::npos ? 0 : what.find(": ") + 2;
        fail(source, fmt::format("line {} column {}", line, col),
             "invalid JSON: " + what.substr(pos));
    }

    Reader r(source);
    Policy p;
    p.source = source;
    r.expect(root, json::value_t::object, "", "a JSON object at the top level");
    r.warn_unknown_keys(root, "",
                        {"defaultAction", "defaultErrnoRet", "architectures", "archMap", "syscalls",
                         "flags", "listenerPath", "listenerMetadata"},
                        p.warnings);
    if (!root.contains("defaultAction"))
        r.fail_at("defaultAction",
                  "missing: every profile needs a defaultAction (e.g. \"SCMP_ACT_ERRNO\")");
    p.default_action.action = r.action(root["defaultAction"], "defaultAction");
    if (p.default_action.action == Action::Notify)
        r.fail_at(
            "defaultAction",
            "SCMP_ACT_NOTIFY cannot be the default action: the syscalls that hand the listener to "
            "the "
            "supervisor would wait on a supervisor that has no listener yet (runc refuses it too)");
    if (root.contains("defaultErrnoRet")) {
        if (p.default_action.action != Action::Errno && p.default_action.action != Action::Trace)
            r.fail_at("defaultErrnoRet",
                      "only a default action of SCMP_ACT_ERRNO or SCMP_ACT_TRACE takes an errno");
        p.default_action.data = r.errno_value(root["defaultErrnoRet"], "defaultErrnoRet");
    }
    if (root.contains("architectures") && !root["architectures"].is_null()) {
        p.architectures = r.strings(root["architectures"], "architectures");
        for (std::size_t i = 0; i < p.architectures.size(); ++i)
            if (!arch::from_profile_name(p.architectures[i]))
                r.fail_at(fmt::format("architectures[{}]", i),
                          fmt::format(
                              "unknown architecture \"{}\" (expected a name like SCMP_ARCH_X86_64)",
                              p.architectures[i]));
    }
    if (root.contains("archMap") && !root["archMap"].is_null()) {
        const json& am = root["archMap"];
        r.expect(am, json::value_t::array, "archMap", "an array");
        for (std::size_t i = 0; i < am.size(); ++i) {
            std::string key = fmt::format("archMap[{}]", i);
            r.expect(am[i], json::value_t::object, key,
                     "an object with architecture and subArchitectures");
            r.warn_unknown_keys(am[i], key, {"architecture", "subArchitectures"}, p.warnings);
            if (!am[i].contains("architecture")) r.fail_at(key, "missing \"architecture\"");
            ArchMapEntry e;
            e.architecture = r.string(am[i]["architecture"], key + ".architecture");
            if (!arch::from_profile_name(e.architecture))
                r.fail_at(key + ".architecture",
                          fmt::format("unknown architecture \"{}\"", e.architecture));
            if (am[i].contains("subArchitectures") && !am[i]["subArchitectures"].is_null())
                e.sub_architectures =
                    r.strings(am[i]["subArchitectures"], key + ".subArchitectures");
            for (std::size_t k = 0; k < e.sub_architectures.size(); ++k)
                if (!arch::from_profile_name(e.sub_architectures[k]))
                    r.fail_at(fmt::format("{}.subArchitectures[{}]", key, k),
                              fmt::format("unknown architecture \"{}\"", e.sub_architectures[k]));
            p.arch_map.push_back(std::move(e));
        }
        if (!p.architectures.empty() && !p.arch_map.empty())
            r.fail_at(
                "archMap",
                "give either \"architectures\" or \"archMap\", not both (Docker refuses both)");
    }
    if (root.contains("flags") && !root["flags"].is_null()) {
        p.flags = r.strings(root["flags"], "flags");
        static const std::set<std::string> known = {
            "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
        for (std::size_t i = 0; i < p.flags.size(); ++i)
            if (known.count(p.flags[i]) == 0)
                r.fail_at(fmt::format("flags[{}]", i),
                          fmt::format("unknown flag \"{}\" (expected SECCOMP_FILTER_FLAG_TSYNC, "
                                      "_LOG, _SPEC_ALLOW "
                                      "or _WAIT_KILLABLE_RECV)",
                                      p.flags[i]));
    }
    if (root.contains("listenerPath"))
        p.warnings.push_back(source + ": listenerPath: ignored; sandbox is its own seccomp agent");
    if (root.contains("syscalls") && !root["syscalls"].is_null()) {
        const json& sc = root["syscalls"];
        r.expect(sc, json::value_t::array, "syscalls", "an array of rules");
        for (std::size_t i = 0; i < sc.size(); ++i)
            p.rules.push_back(parse_rule(r, sc[i], fmt::format("syscalls[{}]", i), p.warnings));
    }
    return p;
}

Policy load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        throw util::Error(
            util::exit_code::policy, util::syscall_error("open", path, err),
            "give the path of a JSON seccomp profile, or --profile NAME for a bundled one "
            "(`sandbox policy list`)");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path);
}

Policy load_bundled(const std::string& name) {
    std::string names;
    for (const auto& b : bundled_profiles()) {
        if (b.name == name) return parse(b.json, "profile " + name);
        names += (names.empty() ? "" : ", ") + std::string(b.name);
    }
    throw util::Error(util::exit_code::policy, fmt::format("unknown bundled profile \"{}\"", name),
                      "bundled profiles: " + names);
}

} // namespace policy
