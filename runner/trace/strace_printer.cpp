// SPDX-License-Identifier: Apache-2.0
#include "trace/strace_printer.hpp"

#include <cmath>
#include <ctime>
#include <sys/wait.h>

#include <fmt/format.h>

#include "decode/decoder.hpp"
#include "decode/syscalls.hpp"

namespace trace {
namespace {

using decode::Value;

constexpr std::size_t kResultColumn = 40; // strace's -a default
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kReset = "\x1b[0m";

std::uint64_t bits(const Value& v) {
    return static_cast<std::uint64_t>(v.number);
}

std::string hex_text(std::uint64_t n) {
    return n == 0 ? "0" : fmt::format("{:#x}", n);
}

// strace's "%#03o": 000, 0644, 07755.
std::string octal_text(std::uint64_t n) {
    return fmt::format("0{:02o}", n);
}

// strace's string_quote: \t \n \v \f \r \\ \" escaped, other unprintable bytes in octal (three
// digits when an octal digit follows, so the escape cannot swallow it). `extra` are more bytes to
// write in octal (-y paths escape < and >).
// With -x (hex 1) a string with any byte outside printable ASCII and the named escapes is
// written whole as \xHH, with -xx (hex 2) every string, as strace does.
bool needs_hex(std::string_view bytes, int hex) {
    if (hex >= 2) return true;
    if (hex <= 0) return false;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 || c >= 0x7f) && c != '\t' && c != '\n' && c != '\v' && c != '\f' &&
            c != '\r')
            return true;
    }
    return false;
}

std::string escape(std::string_view bytes, std::string_view extra = {}, int hex = 0) {
    std::string out;
    if (needs_hex(bytes, hex)) {
        out.reserve(bytes.size() * 4);
        for (const char ch : bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(ch));
        return out;
    }
    out.reserve(bytes.size() + 2);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\f':
            out += "\\f";
            continue;
        case '\n':
            out += "\\n";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\t':
            out += "\\t";
            continue;
        case '\v':
            out += "\\v";
            continue;
        default:
            break;
        }
        if (c >= 0x20 && c < 0x7f && extra.find(static_cast<char>(c)) == std::string_view::npos) {
            out += static_cast<char>(c);
            continue;
        }
        const bool octal_digit_follows =
            i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
        out += octal_digit_follows ? fmt::format("\\{:03o}", c) : fmt::format("\\{:o}", c);
    }
    return out;
}

std::string quoted(const Value& v, int hex) {
    return "\"" + escape(v.text, {}, hex) + "\"" + (v.truncated ? "..." : "");
}

std::string c_comment(const Value& v) {
    return v.comment.empty() ? "" : " /* " + v.comment + " */";
}

// An fd's path for -y: 3</etc/passwd>; with -yy a device's numbers too, 1</dev/null<char 1:3>>,
// and a socket's protocol and addresses instead of socket:[INODE], 3<TCP:[10.0.0.1:22->...]>.
std::string fd_path(const Value& v) {
    // The protocol is the kernel's name, the address sandbox's own digits: only the path, which
    // the command chose, is quoted and escaped.
    if (!v.socket.protocol.empty())
        return "<" + v.socket.protocol + ":[" + v.socket.address +
               (v.socket.path.empty() ? "" : "," + quote_string(v.socket.path)) + "]>";
    if (v.comment.empty()) return "";
    return "<" + escape(v.comment, "<>") + (v.device.empty() ? "" : "<" + v.device + ">") + ">";
}

std::string join(const std::vector<Value>& items, std::string_view separator, int hex) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += format_value(item, hex);
    }
    return out;
}

// sockaddr fields are printed the way strace prints them, as C that would build the struct.
std::string struct_field(const std::string& name, const Value& v, int hex) {
    if ((name == "sin_port" || name == "sin6_port") && v.kind == Value::Kind::Unsigned)
        return name + "=htons(" + std::to_string(bits(v)) + ")";
    if (name == "sin6_flowinfo" && v.kind == Value::Kind::Unsigned)
        return name + "=htonl(" + std::to_string(bits(v)) + ")";
    if (name == "sin_addr" && v.kind == Value::Kind::String)
        return name + "=inet_addr(" + quoted(v, hex) + ")";
    if (name == "sin6_addr" && v.kind == Value::Kind::String)
        return "inet_pton(AF_INET6, " + quoted(v, hex) + ", &sin6_addr)";
    if (name == "nl_groups" && v.kind == Value::Kind::Hex)
        return name + "=" + fmt::format("{:08x}", bits(v));
    if (name == "sun_path" && v.kind == Value::Kind::String && !v.text.empty() &&
        v.text[0] == '\0') {
        Value rest = v;
        rest.text.erase(0, 1);
        return name + "=@" + quoted(rest, hex); // an abstract socket name
    }
    if (name.empty()) return format_value(v, hex);
    return name + "=" + format_value(v, hex);
}

std::string arguments(const Event& e, int hex) {
    const decode::SyscallInfo* info = decode::find(e.name);
    if (e.decoded.empty() && !(info != nullptr && info->nargs == 0)) {
        std::string out;
        for (std::size_t i = 0; i < e.args.size(); ++i)
            out += (i == 0 ? "" : ", ") + hex_text(e.args[i]);
        return out;
    }
    return join(e.decoded, ", ", hex);
}

std::string error_text(int err) {
    return fmt::format("-1 {} ({})", decode::errno_name(err), decode::errno_text(err));
}

std::string result_text(const Event& e) {
    if (e.err > 0 && (!e.result || *e.result == -1)) return error_text(e.err);
    if (!e.result) return "?";
    const decode::SyscallInfo* info = decode::find(e.name);
    const auto ret = info != nullptr ? info->ret : decode::Ret::Signed;
    const auto value = static_cast<std::uint64_t>(*e.result);
    if (ret == decode::Ret::Hex && *e.result != -1) return hex_text(value);
    if (ret == decode::Ret::Octal && *e.result >= 0) return octal_text(value);
    return std::to_string(*e.result);
}

// " = " after the call, padded to strace's result column.
void append_result(std::string& line, const std::string& result) {
    line += ' ';
    if (line.size() < kResultColumn) line.append(kResultColumn - line.size(), ' ');
    line += "= " + result;
}

std::string by_rule(const std::string& rule) {
    return rule.empty() ? "" : " by " + rule;
}

std::string timestamp(double time, int style) {
    if (!std::isfinite(time) || time < 0) time = 0;
    auto seconds = static_cast<std::time_t>(std::floor(time));
    auto micros = static_cast<long>(std::llround((time - std::floor(time)) * 1e6));
    if (micros >= 1000000) {
        ++seconds;
        micros -= 1000000;
    }
    if (style >= 3) return fmt::format("{}.{:06}", seconds, micros);
    std::tm tm{};
    localtime_r(&seconds, &tm);
    std::string hms = fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (style == 2) hms += fmt::format(".{:06}", micros);
    return hms;
}

std::string pid_prefix(pid_t pid) {
    return fmt::format("[pid {:>5}] ", pid);
}

} // namespace

std::string quote_string(const std::string& bytes) {
    return "\"" + escape(bytes) + "\"";
}

std::string format_value(const Value& v, int hex) {
    switch (v.kind) {
    case Value::Kind::Signed:
        return std::to_string(v.number) + fd_path(v);
    case Value::Kind::Unsigned:
        return std::to_string(bits(v)) + c_comment(v);
    case Value::Kind::Hex:
        return hex_text(bits(v)) + c_comment(v);
    case Value::Kind::Octal:
        return octal_text(bits(v)) + c_comment(v);
    case Value::Kind::Pointer:
        return (v.number == 0 ? "NULL" : hex_text(bits(v))) + c_comment(v);
    case Value::Kind::String:
        return quoted(v, hex) + c_comment(v);
    case Value::Kind::Symbol:
        return v.text + fd_path(v);
    case Value::Kind::Flags: {
        std::string out = join(v.items, "|", hex);
        if (v.number != 0) out += (out.empty() ? "" : "|") + hex_text(bits(v));
        return (out.empty() ? "0" : out) + c_comment(v);
    }
    case Value::Kind::Array: {
        std::string out = "[" + join(v.items, ", ", hex);
        if (v.truncated) out += v.items.empty() ? "..." : ", ...";
        return out + "]" + c_comment(v);
    }
    case Value::Kind::Struct: {
        std::string out = "{";
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            if (i != 0) out += ", ";
            out += struct_field(i < v.field_names.size() ? v.field_names[i] : "", v.items[i], hex);
        }
        if (v.truncated) out += v.items.empty() ? "..." : ", ..."; // fields left out, as strace
        return out + "}" + c_comment(v);
    }
    case Value::Kind::Unreadable:
        return hex_text(bits(v)) + c_comment(v);
    }
    return hex_text(bits(v));
}

std::string format_line(const Event& e, bool show_pid, const PrintOptions& o) {
    std::string line;
    if (show_pid) line += pid_prefix(e.tid);
    if (o.timestamps > 0) line += timestamp(e.time, o.timestamps) + " ";
    if (e.phase == Phase::Unfinished)
        return line + e.name + "(" + arguments(e, o.hex_strings) + " <unfinished ...>\n";
    if (e.phase == Phase::Resumed)
        line += "<... " + e.name + " resumed>)";
    else
        line += e.name + "(" + arguments(e, o.hex_strings) + ")";

    std::string_view colour;
    switch (e.verdict) {
    case Verdict::Allowed:
        if (e.unknown_result)
            append_result(line, "?");
        else if (e.result || e.err > 0)
            append_result(line, result_text(e));
        break;
    case Verdict::Denied:
        append_result(line, result_text(e));
        line += " <denied" + by_rule(e.rule) + ">";
        colour = kRed;
        break;
    case Verdict::WouldDeny:
        if (e.result || e.err > 0) append_result(line, result_text(e)); // it ran (ptrace engine)
        line += " <would deny" + (e.action.empty() ? "" : ": " + e.action) + by_rule(e.rule) + ">";
        colour = kYellow;
        break;
    case Verdict::Injected:
        append_result(line, result_text(e));
        line += " (INJECTED)";
        break;
    case Verdict::Emulated:
        append_result(line, result_text(e));
        line += " <emulated by sandbox>";
        break;
    case Verdict::Killed:
        append_result(line, "?");
        line += " <killed by seccomp: " + (e.action.empty() ? std::string("KILL") : e.action) +
                by_rule(e.rule) + ">";
        colour = kRed;
        break;
    }
    if (o.durations && e.duration) line += fmt::format(" <{:.6f}>", *e.duration);
    if (e.restarted) line += " <restarted>";
    if (o.colour && !colour.empty()) line = std::string(colour) + line + std::string(kReset);
    return line + "\n";
}

std::string format_exit(pid_t pid, int status, bool show_pid, const SeccompKill* kill) {
    std::string line = show_pid ? pid_prefix(pid) : "";
    if (WIFEXITED(status)) {
        line += fmt::format("+++ exited with {} +++", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        std::string why;
        if (kill != nullptr && !kill->syscall.empty()) {
            why = fmt::format(" (seccomp {} at {} by {})", kill->action, kill->syscall, kill->rule);
        } else if (kill != nullptr) {
            for (const auto& c : kill->candidates) why += (why.empty() ? "" : " or ") + c.rule;
            why = " (seccomp KILL: " + why + ")";
        }
        line += fmt::format("+++ killed by {}{}{} +++", decode::signal_name(WTERMSIG(status)),
                            WCOREDUMP(status) ? " (core dumped)" : "", why);
    } else {
        line += fmt::format("+++ status {:#x} +++", static_cast<unsigned>(status));
    }
    return line + "\n";
}

} // namespace trace
