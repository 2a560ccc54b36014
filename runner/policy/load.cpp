// SPDX-License-Identifier: Apache-2.0
#include "policy/load.hpp"

#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/kubernetes.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"
#include "util/safe_file.hpp"
#include "util/suggest.hpp"

namespace policy {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 32; // real profiles nest 4 deep

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

// `s` with control characters as \u00XX, for a message.
std::string printable(const std::string& s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(u));
        else
            out += c;
    }
    return out;
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

// A char iterator that tells where the parser is: nlohmann's SAX events carry no position, so the
// input is read through this one, which records how far the lexer has read.
class TrackedChars {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    TrackedChars(const char* p, const char** read_up_to) : p_(p), read_up_to_(read_up_to) {}
    reference operator*() const { return *p_; }
    TrackedChars& operator++() {
        *read_up_to_ = ++p_;
        return *this;
    }
    TrackedChars operator++(int) {
        TrackedChars before = *this;
        ++*this;
        return before;
    }
    bool operator==(const TrackedChars& other) const { return p_ == other.p_; }
    bool operator!=(const TrackedChars& other) const { return p_ != other.p_; }

private:
    const char* p_;
    const char** read_up_to_;
};

// Builds the document as nlohmann's own parser does, and refuses what that parser lets pass: a
// key given twice in one object (a reviewer reads the first, nlohmann, Go and runc keep the last)
// and a number out of range (1e400, or an integer beyond 64 bits, which nlohmann would turn into
// a float). Each is named by its key path, as the Reader names keys, and its line and column.
class StrictSax {
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    struct Failure {
        std::string key;  // the key path, or "" for a syntax error
        std::string what; // the problem
        std::size_t byte; // where (an offset into the text)
        bool syntax = false;
    };

    StrictSax(json& root, std::string_view text, const char* const* read_up_to)
        : dom_(root, false), text_(text), read_up_to_(read_up_to) {}

    bool null() { return value(dom_.null()); }
    bool boolean(bool v) { return value(dom_.boolean(v)); }
    bool number_integer(number_integer_t v) { return value(dom_.number_integer(v)); }
    bool number_unsigned(number_unsigned_t v) { return value(dom_.number_unsigned(v)); }
    bool number_float(number_float_t v, const string_t& raw) {
        // nlohmann reads an integer too large for 64 bits as a float: it is not the number given.
        if (raw.find_first_of(".eE") == std::string::npos)
            return refuse(path(),
                          fmt::format("the integer {} is out of range (at most {}, 2^64-1)", raw,
                                      std::numeric_limits<std::uint64_t>::max()),
                          start_of(raw));
        return value(dom_.number_float(v, raw));
    }
    bool string(string_t& v) { return value(dom_.string(v)); }
    bool binary(binary_t& v) { return value(dom_.binary(v)); }
    bool start_object(std::size_t n) {
        frames_.push_back(Frame{});
        return dom_.start_object(n);
    }
    bool key(string_t& k) {
        Frame& f = frames_.back();
        const std::size_t at = key_start();
        f.key = k;
        if (auto [it, fresh] = f.keys.emplace(k, at); !fresh) {
            const auto [line, col] = line_column(text_, it->second);
            return refuse(path(),
                          fmt::format("duplicate key \"{}\" (the first is at line {} column {}): "
                                      "a reader sees the first, runc and containerd (Go's "
                                      "encoding/json) use the last; give each key once",
                                      k, line, col),
                          at);
        }
        return dom_.key(k);
    }
    bool end_object() {
        frames_.pop_back();
        return value(dom_.end_object());
    }
    bool start_array(std::size_t n) {
        frames_.push_back(Frame{});
        frames_.back().array = true;
        return dom_.start_array(n);
    }
    bool end_array() {
        frames_.pop_back();
        return value(dom_.end_array());
    }
    bool parse_error(std::size_t position, const std::string& last_token,
                     const nlohmann::detail::exception& ex) {
        if (ex.id == 406) // out_of_range: "number overflow parsing '1e400'"
            return refuse(
                path(),
                fmt::format("the number {} is out of range (it overflows a double)", last_token),
                start_of(last_token, position));
        failure_ = Failure{"", ex.what(), position == 0 ? 0 : position - 1, true};
        return false;
    }

    [[nodiscard]] const std::optional<Failure>& failure() const { return failure_; }

private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;                   // of the element being read, in an array
        std::string key;                         // of the value being read, in an object
        std::map<std::string, std::size_t> keys; // every key so far, and where it starts
    };

    // A value is complete: the next one in an array has the next index.
    bool value(bool ok) {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
        return ok;
    }
    bool refuse(std::string key, std::string what, std::size_t byte) {
        failure_ = Failure{std::move(key), std::move(what), byte};
        return false;
    }
    // The key path of the value being read: syscalls[0].args[1].value.
    [[nodiscard]] std::string path() const {
        std::string out;
        for (const Frame& f : frames_) {
            if (f.array)
                out += fmt::format("[{}]", f.index);
            else
                out += (out.empty() ? "" : ".") + f.key;
        }
        return out;
    }
    [[nodiscard]] std::size_t read() const {
        return static_cast<std::size_t>(*read_up_to_ - text_.data());
    }
    // Where the key just read starts: its closing quote is the last character read; the opening
    // one is the first quote before it that is not escaped (a JSON string has no other).
    [[nodiscard]] std::size_t key_start() const {
        std::size_t i = read() == 0 ? 0 : read() - 1;
        while (i > 0) {
            --i;
            if (text_[i] != '"') continue;
            std::size_t backslashes = 0;
            while (i > backslashes && text_[i - 1 - backslashes] == '\\') ++backslashes;
            if (backslashes % 2 == 0) return i;
        }
        return 0;
    }
    [[nodiscard]] std::size_t start_of(const std::string& token, std::size_t before = 0) const {
        const std::size_t end = before != 0 ? before : read();
        const std::size_t at = text_.rfind(token, end);
        return at == std::string::npos ? end : at;
    }

    nlohmann::detail::json_sax_dom_parser<json> dom_;
    std::string_view text_;
    const char* const* read_up_to_;
    std::vector<Frame> frames_;
    std::optional<Failure> failure_;
};

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
        // Up to 2^64-1: nlohmann keeps a non-negative integer as number_unsigned (read as a
        // signed one, 18446744073709551615 would be -1).
        if (j.is_number_unsigned()) return j.get<std::uint64_t>();
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

    // Keys the format does not have: a warning each, with the nearest known key, and the list
    // kept (Policy::unknown_keys) for --strict, which refuses them. A top-level one takes what
    // is under it along ("sycalls": no rules at all), so its warning says so.
    void warn_unknown_keys(const json& obj, const std::string& key,
                           const std::set<std::string>& known,
                           std::vector<std::string>& warnings) const {
        const std::vector<std::string> names(known.begin(), known.end());
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (known.count(it.key()) != 0) continue;
            std::string where = key.empty() ? it.key() : key + "." + it.key();
            const std::string guess = util::did_you_mean(it.key(), names);
            warnings.push_back(
                key.empty()
                    ? fmt::format("{}: {}: unknown top-level key{}; ignored, with everything "
                                  "under it (--strict refuses it)",
                                  source_, where, guess)
                    : fmt::format("{}: {}: unknown key{}; ignored (--strict refuses it)", source_,
                                  where, guess.empty() ? " (a typo?)" : guess));
            if (unknown_keys_ != nullptr) unknown_keys_->push_back(where);
        }
    }
    std::vector<std::string>* unknown_keys_ = nullptr;

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
        std::vector<std::string> known;
        for (const auto& entry : names) known.push_back(entry.first);
        const std::string guess = util::did_you_mean(s, known);
        fail_at(key, guess.empty()
                         ? fmt::format("unknown action \"{}\" (expected one of SCMP_ACT_ALLOW, "
                                       "SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, "
                                       "SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, "
                                       "SCMP_ACT_LOG, SCMP_ACT_NOTIFY)",
                                       s)
                         : fmt::format("unknown action \"{}\"{}", s, guess));
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
        std::vector<std::string> known;
        for (const auto& entry : names) known.push_back(entry.first);
        if (const std::string guess = util::did_you_mean(s, known); !guess.empty())
            fail_at(key, fmt::format("unknown op \"{}\"{}", s, guess));
        fail_at(key,
                fmt::format("unknown op \"{}\" (expected SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
                            "SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT or SCMP_CMP_MASKED_EQ)",
                            s));
    }

    // An errno libseccomp accepts: 0 to 4094 (it refuses MAX_ERRNO, 4095, and above, so runc
    // fails to start such a container; the kernel would cap it at 4095). Above 16 bits, runc
    // silently keeps the low 16 bits (libseccomp-golang's int16 return code).
    std::uint32_t errno_value(const json& j, const std::string& key) const {
        const std::uint64_t v = unsigned_number(j, key);
        constexpr std::uint64_t kMax = 4094;
        if (v > kMax) {
            const std::uint64_t low = v & 0xffff;
            const std::string runc =
                v > 0xffff && low <= kMax
                    ? fmt::format("; runc would silently keep the low 16 bits and return {} ({})",
                                  low, util::errno_name(static_cast<int>(low)))
                    : "; runc would fail to start the container";
            fail_at(key, fmt::format("{} is not an errno libseccomp accepts (0 to {}; the kernel "
                                     "caps errnos at 4095){}",
                                     v, kMax, runc));
        }
        return static_cast<std::uint32_t>(v);
    }

    // SCMP_ACT_TRACE's message for the tracer: 16 bits (libseccomp masks the rest; without a
    // tracer the call fails with ENOSYS whatever it is).
    std::uint32_t trace_value(const json& j, const std::string& key) const {
        const std::uint64_t v = unsigned_number(j, key);
        if (v > 0xffff)
            fail_at(key, fmt::format("{} does not fit SCMP_ACT_TRACE's 16-bit message (0 to "
                                     "65535); runc would silently keep the low 16 bits ({})",
                                     v, v & 0xffff));
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
        r.fail_at(key, "both \"name\" and \"names\" are given: Docker refuses the profile, runc "
                       "would silently use \"names\" and ignore \"name\"; use only \"names\"");
    if (j.contains("names"))
        rule.names = r.strings(j["names"], key + ".names");
    else if (j.contains("name")) {
        rule.names = {r.string(j["name"], key + ".name")};
        rule.uses_name_key = true;
    } else
        r.fail_at(key, "missing \"names\": the syscalls this rule is about");
    for (std::size_t i = 0; i < rule.names.size(); ++i) {
        const std::string& n = rule.names[i];
        const std::string name_key =
            j.contains("names") ? fmt::format("{}.names[{}]", key, i) : key + ".name";
        if (n.empty()) r.fail_at(name_key, "empty syscall name");
        // libseccomp would read "mkdir\u0000x" as mkdir, while a reader sees something else.
        for (char c : n)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                r.fail_at(name_key,
                          fmt::format("control character \\u{:04x} in the syscall name \"{}\"",
                                      static_cast<unsigned>(static_cast<unsigned char>(c)),
                                      printable(n)));
    }
    if (rule.names.empty())
        warnings.push_back(
            fmt::format("{}: {}.names: empty list; the rule does nothing", r.source_, key));
    if (!j.contains("action")) r.fail_at(key, "missing \"action\"");
    rule.action.action = r.action(j["action"], key + ".action");
    if (j.contains("errnoRet")) {
        if (rule.action.action != Action::Errno && rule.action.action != Action::Trace)
            r.fail_at(key + ".errnoRet",
                      fmt::format("only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take errnoRet; runc "
                                  "would silently ignore it on {}",
                                  action_name(rule.action.action)));
        rule.action.data = rule.action.action == Action::Trace
                               ? r.trace_value(j["errnoRet"], key + ".errnoRet")
                               : r.errno_value(j["errnoRet"], key + ".errnoRet");
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

// A profile, or (when `kubernetes`) a Kubernetes object holding one (policy/kubernetes.hpp).
Policy parse_text(std::string_view text, const std::string& source, bool kubernetes);

Policy parse_embedded(const kubernetes::Embedded& e) {
    Policy p = parse_text(e.json, e.source, false);
    p.warnings.insert(p.warnings.begin(), e.warnings.begin(), e.warnings.end());
    return p;
}

bool starts_like_json(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

Policy parse_text(std::string_view text, const std::string& source, bool kubernetes) {
    if (text.size() > kMaxProfileBytes)
        fail(source, "",
             fmt::format("{} bytes is too large for a seccomp profile (limit {} bytes)",
                         text.size(), kMaxProfileBytes));
    if (kubernetes && !starts_like_json(text))
        if (auto e = kubernetes::from_yaml(text, source)) return parse_embedded(*e);
    check_depth(text, source);
    json root;
    const char* read_up_to = text.data();
    StrictSax sax(root, text, &read_up_to);
    json::sax_parse(TrackedChars(text.data(), &read_up_to),
                    TrackedChars(text.data() + text.size(), &read_up_to), &sax);
    if (const auto& f = sax.failure()) {
        auto [line, col] = line_column(text, f->byte);
        if (f->syntax) {
            // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1, column
            // 5: syntax error ..."
            const std::string& what = f->what;
            auto pos = what.find("syntax error");
            if (pos == std::string::npos)
                pos = what.find(": ") == std::string::npos ? 0 : what.find(": ") + 2;
            fail(source, fmt::format("line {} column {}", line, col),
                 "invalid JSON: " + what.substr(pos));
        }
        fail(source, f->key.empty() ? fmt::format("line {} column {}", line, col) : f->key,
             fmt::format("line {} column {}: {}", line, col, f->what));
    }

    if (kubernetes)
        if (auto e = kubernetes::from_json(root, source)) return parse_embedded(*e);
    Reader r(source);
    Policy p;
    p.source = source;
    r.unknown_keys_ = &p.unknown_keys;
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
                      fmt::format("only a default action of SCMP_ACT_ERRNO or SCMP_ACT_TRACE "
                                  "takes an errno; runc would silently ignore it on {}",
                                  action_name(p.default_action.action)));
        p.default_action.data = p.default_action.action == Action::Trace
                                    ? r.trace_value(root["defaultErrnoRet"], "defaultErrnoRet")
                                    : r.errno_value(root["defaultErrnoRet"], "defaultErrnoRet");
    }
    if (root.contains("architectures") && !root["architectures"].is_null()) {
        p.architectures = r.strings(root["architectures"], "architectures");
        for (std::size_t i = 0; i < p.architectures.size(); ++i)
            if (!util::arch::from_profile_name(p.architectures[i]))
                r.fail_at(fmt::format("architectures[{}]", i),
                          fmt::format("unknown architecture \"{}\" (the runtime-spec's are {})",
                                      p.architectures[i], util::arch::all_names()));
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
            if (!util::arch::from_profile_name(e.architecture))
                r.fail_at(key + ".architecture",
                          fmt::format("unknown architecture \"{}\" (the runtime-spec's are {})",
                                      e.architecture, util::arch::all_names()));
            if (am[i].contains("subArchitectures") && !am[i]["subArchitectures"].is_null())
                e.sub_architectures =
                    r.strings(am[i]["subArchitectures"], key + ".subArchitectures");
            for (std::size_t k = 0; k < e.sub_architectures.size(); ++k)
                if (!util::arch::from_profile_name(e.sub_architectures[k]))
                    r.fail_at(fmt::format("{}.subArchitectures[{}]", key, k),
                              fmt::format("unknown architecture \"{}\" (the runtime-spec's are {})",
                                          e.sub_architectures[k], util::arch::all_names()));
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
    if (root.contains("listenerPath")) {
        p.listener_path = r.string(root["listenerPath"], "listenerPath");
        p.warnings.push_back(source + ": listenerPath: ignored; sandbox is its own seccomp agent");
    }
    if (root.contains("syscalls") && !root["syscalls"].is_null()) {
        const json& sc = root["syscalls"];
        r.expect(sc, json::value_t::array, "syscalls", "an array of rules");
        std::uint64_t filter_rules = 0;
        for (std::size_t i = 0; i < sc.size(); ++i) {
            p.rules.push_back(parse_rule(r, sc[i], fmt::format("syscalls[{}]", i), p.warnings));
            // Counted before compile builds them: 6 conditions on each of 6 arguments would be
            // 46656 rules, minutes of libseccomp's time for a filter the kernel refuses anyway.
            const Rule& rule = p.rules.back();
            const std::uint64_t n = expanded_rule_count(rule);
            filter_rules = n > kMaxFilterRules ? n : filter_rules + n;
            if (n > kMaxFilterRules)
                r.fail_at(rule.key,
                          fmt::format("becomes {} filter rules ({} name{} x {} rule{} for its "
                                      "argument conditions: when an index repeats, runc makes "
                                      "each condition a rule of its own); a profile may have at "
                                      "most {}",
                                      n, rule.names.size(), rule.names.size() == 1 ? "" : "s",
                                      condition_combinations(rule.args),
                                      condition_combinations(rule.args) == 1 ? "" : "s",
                                      kMaxFilterRules));
            if (filter_rules > kMaxFilterRules)
                r.fail_at(rule.key,
                          fmt::format("the profile has {} filter rules up to this one (a rule "
                                      "per name, or per name and condition where an index "
                                      "repeats); it "
                                      "may have at most {}",
                                      filter_rules, kMaxFilterRules));
        }
    }
    // No rules: what the default does to every call is the whole profile (the bundled
    // "unconfined" says so too: that is what Unconfined means).
    if (p.rules.empty()) {
        const Action a = p.default_action.action;
        const bool permissive = a == Action::Allow || a == Action::Log;
        const bool fatal = a == Action::Errno || a == Action::KillThread ||
                           a == Action::KillProcess || a == Action::Trap;
        p.warnings.push_back(fmt::format(
            "{}: no rules: every syscall gets defaultAction {}{}", source, action_name(a),
            permissive ? ", so the profile denies nothing (as Unconfined)"
            : fatal    ? ", so the command cannot even start (its execve is refused)"
                       : ""));
    }
    return p;
}

} // namespace

Policy parse(std::string_view text, const std::string& source) {
    return parse_text(text, source, true);
}

Policy load_file(const std::string& path) {
    return parse(read_profile(path), path);
}

std::string read_profile(const std::string& path) {
    return util::read_regular_file(
        path, kMaxProfileBytes, util::exit_code::policy, "a seccomp profile",
        path == "-" ? "a profile is read from a file, not from stdin (\"-\" is a file named -); "
                      "save it to a file and give its path"
                    : "give the path of a JSON seccomp profile, or --profile NAME for a bundled "
                      "one (`sandbox policy list`)");
}

std::string bundled_text(const std::string& name) {
    std::string names;
    std::vector<std::string_view> known;
    for (const auto& b : bundled_profiles()) {
        if (b.name == name) return std::string(b.json);
        names += (names.empty() ? "" : ", ") + std::string(b.name);
        known.push_back(b.name);
    }
    throw util::Error(
        util::exit_code::policy,
        fmt::format("unknown bundled profile \"{}\"{}", name, util::did_you_mean(name, known)),
        "bundled profiles: " + names + " (`sandbox policy list`)");
}

Policy load_bundled(const std::string& name) {
    return parse(bundled_text(name), "profile " + name);
}

} // namespace policy
