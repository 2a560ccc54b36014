// SPDX-License-Identifier: Apache-2.0
#include "trace/json_writer.hpp"

#include <sys/wait.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "decode/decoder.hpp"
#include "trace/strace_printer.hpp"
#include "util/arch.hpp"
#include "util/json_schema.hpp"

namespace trace {
namespace {

using decode::Value;
using Json = nlohmann::ordered_json;

std::string hex_text(std::uint64_t n) {
    return fmt::format("{:#x}", n);
}

// Valid UTF-8 passes through; every byte that does not start or continue a valid sequence becomes
// U+00XX (its Latin-1 reading), so the JSON is always valid and no byte value is lost.
std::string utf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
    const auto continuation = [&](std::size_t i) {
        return i < in.size() && (byte(i) & 0xC0) == 0x80;
    };
    std::size_t i = 0;
    while (i < in.size()) {
        const unsigned char c = byte(i);
        std::size_t n = 0; // length of a valid sequence starting here, 0 if none
        if (c < 0x80) {
            n = 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = continuation(i + 1) ? 2 : 0;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (continuation(i + 1) && continuation(i + 2)) {
                const unsigned char c1 = byte(i + 1);
                const bool overlong = c == 0xE0 && c1 < 0xA0;
                const bool surrogate = c == 0xED && c1 >= 0xA0;
                n = overlong || surrogate ? 0 : 3;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (continuation(i + 1) && continuation(i + 2) && continuation(i + 3)) {
                const unsigned char c1 = byte(i + 1);
                const bool overlong = c == 0xF0 && c1 < 0x90;
                const bool too_big = c == 0xF4 && c1 >= 0x90;
                n = overlong || too_big ? 0 : 4;
            }
        }
        if (n == 0) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
            i += 1;
        } else {
            out.append(in.substr(i, n));
            i += n;
        }
    }
    return out;
}

Json value_json(const Value& v, std::string_view field = {});

Json with_comment(Json value, const Value& v) {
    if (v.comment.empty()) return value;
    return Json{{"value", std::move(value)}, {"comment", utf8(v.comment)}};
}

Json with_path(Json value, const Value& v) {
    if (v.comment.empty()) return value;
    Json out{{"value", std::move(value)}, {"path", utf8(v.comment)}};
    if (!v.device.empty()) out["device"] = v.device; // -yy: "char 1:3"
    if (!v.socket.protocol.empty()) {                // -yy
        Json s{{"protocol", utf8(v.socket.protocol)}, {"address", utf8(v.socket.address)}};
        if (!v.socket.path.empty()) s["path"] = utf8(v.socket.path);
        out["socket"] = std::move(s);
    }
    return out;
}

Json value_json(const Value& v, std::string_view field) {
    const auto bits = static_cast<std::uint64_t>(v.number);
    switch (v.kind) {
    case Value::Kind::Signed:
        return with_path(v.number, v);
    case Value::Kind::Unsigned:
        return with_comment(bits, v);
    case Value::Kind::Hex:
        return with_comment(hex_text(bits), v);
    case Value::Kind::Octal:
        return with_comment(fmt::format("0{:02o}", bits), v);
    case Value::Kind::Pointer:
        return with_comment(bits == 0 ? Json(nullptr) : Json(hex_text(bits)), v);
    case Value::Kind::String: {
        std::string text = v.text;
        if (field == "sun_path" && !text.empty() && text[0] == '\0') text[0] = '@';
        Json s = utf8(text);
        if (v.truncated) s = Json{{"string", std::move(s)}, {"truncated", true}};
        return with_comment(std::move(s), v);
    }
    case Value::Kind::Symbol:
        return with_path(utf8(v.text), v);
    case Value::Kind::Flags: {
        Value plain = v;
        plain.comment.clear();
        return with_comment(format_value(plain), v);
    }
    case Value::Kind::Array: {
        Json a = Json::array();
        for (const auto& item : v.items) a.push_back(value_json(item));
        if (v.truncated) a = Json{{"array", std::move(a)}, {"truncated", true}};
        return with_comment(std::move(a), v);
    }
    case Value::Kind::Struct: {
        Json o = Json::object();
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            std::string name = i < v.field_names.size() ? v.field_names[i] : "";
            if (name.empty()) name = std::to_string(i);
            o[utf8(name)] = value_json(v.items[i], name);
        }
        return with_comment(std::move(o), v);
    }
    case Value::Kind::Unreadable:
        return with_comment(Json{{"unreadable", hex_text(bits)}}, v);
    }
    return hex_text(bits);
}

Json optional_text(const std::string& s) {
    return s.empty() ? Json(nullptr) : Json(utf8(s));
}

std::string dump(const Json& j) {
    // Every string went through utf8(); `replace` is only a second line of defence.
    return util::json_line(j);
}

} // namespace

std::string verdict_name(Verdict v) {
    switch (v) {
    case Verdict::Allowed:
        return "allowed";
    case Verdict::Denied:
        return "denied";
    case Verdict::Killed:
        return "killed";
    case Verdict::WouldDeny:
        return "would-deny";
    case Verdict::Injected:
        return "injected";
    case Verdict::Emulated:
        return "emulated";
    }
    return "unknown";
}

std::string arch_name(std::uint32_t token) {
    const auto info = util::arch::from_token(token);
    return info ? std::string(info->profile_name) : std::string();
}

std::string event_json(const Event& e) {
    Json j = util::report_object();
    j["type"] = "syscall";
    j["time"] = e.time;
    j["pid"] = e.pid;
    j["tid"] = e.tid;
    j["syscall"] = utf8(e.name);
    j["nr"] = e.nr;
    j["arch"] = optional_text(arch_name(e.arch));
    Json args = Json::array();
    for (auto a : e.args) args.push_back(hex_text(a));
    j["args"] = std::move(args);
    Json decoded = Json::array();
    for (const auto& v : e.decoded) decoded.push_back(value_json(v));
    j["decoded"] = std::move(decoded);
    j["verdict"] = verdict_name(e.verdict);
    j["rule"] = optional_text(e.rule);
    j["action"] = optional_text(e.action);
    j["result"] = e.result ? Json(*e.result) : Json(nullptr);
    if (e.err > 0) j["errno"] = decode::errno_name(e.err);
    j["restarted"] = e.restarted;
    if (e.duration) j["duration"] = *e.duration;
    return dump(j);
}

namespace {

Json kill_object(const SeccompKill& k) {
    Json candidates = Json::array();
    for (const auto& c : k.candidates) {
        Json names = Json::array();
        for (const auto& n : c.syscalls) names.push_back(utf8(n));
        candidates.push_back(
            {{"rule", utf8(c.rule)}, {"action", utf8(c.action)}, {"syscalls", std::move(names)}});
    }
    return Json{{"syscall", optional_text(k.syscall)},
                {"call", optional_text(k.call)},
                {"rule", optional_text(k.rule)},
                {"action", optional_text(k.action)},
                {"candidates", std::move(candidates)}};
}

} // namespace

nlohmann::ordered_json seccomp_kill_object(const SeccompKill& kill) {
    return kill_object(kill);
}

std::string exit_json(pid_t pid, int status, const SeccompKill* kill) {
    Json j = util::report_object();
    j["type"] = "exit";
    j["pid"] = pid;
    if (WIFEXITED(status)) {
        j["code"] = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        j["signal"] = decode::signal_name(WTERMSIG(status));
        j["core_dumped"] = WCOREDUMP(status) != 0;
        if (kill != nullptr) j["seccomp_kill"] = kill_object(*kill);
    } else {
        j["status"] = status;
    }
    return dump(j);
}

} // namespace trace
