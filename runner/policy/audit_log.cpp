// SPDX-License-Identifier: Apache-2.0
#include "policy/audit_log.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "util/arch.hpp"

namespace policy {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\x1d'; // \x1d: ENRICHED logs
}

template <typename T>
std::optional<T> number(std::string_view s, int base = 10) {
    if (base == 16 && (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0)) s.remove_prefix(2);
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// audit_log_untrustedstring: a value with spaces or quotes is written as bare hex.
std::string untrusted(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
        return std::string(v.substr(1, v.size() - 2));
    if (v.empty() || v.size() % 2 != 0 || v == "(null)") return std::string(v);
    std::string out;
    for (std::size_t i = 0; i < v.size(); i += 2) {
        auto byte = number<unsigned>(v.substr(i, 2), 16);
        if (!byte) return std::string(v);
        out += static_cast<char>(*byte);
    }
    return out;
}

std::string syscall_name(std::uint32_t arch, int nr) {
    std::unique_ptr<char, decltype(&::free)> name(seccomp_syscall_resolve_num_arch(arch, nr),
                                                  &::free);
    return name ? std::string(name.get()) : std::string();
}

// The key=value fields after the record type, quoted values kept with their quotes.
std::vector<std::pair<std::string_view, std::string_view>> fields(std::string_view s) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) ++i;
        const std::size_t start = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '=') ++i;
        if (i >= s.size() || s[i] != '=') {
            while (i < s.size() && !is_space(s[i])) ++i;
            continue;
        }
        std::string_view key = s.substr(start, i - start);
        const std::size_t vstart = ++i;
        if (i < s.size() && s[i] == '"') {
            const auto close = s.find('"', i + 1);
            i = close == std::string_view::npos ? s.size() : close + 1;
        } else {
            while (i < s.size() && !is_space(s[i])) ++i;
        }
        out.emplace_back(key, s.substr(vstart, i - vstart));
    }
    return out;
}

} // namespace

std::string audit_action_name(std::uint32_t code) {
    const std::uint32_t data = code & SECCOMP_RET_DATA;
    switch (code & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_ERRNO:
        // The kernel logs the action without its errno; a non-zero data part is still shown.
        return data == 0 ? "ERRNO" : describe_ret(code);
    case SECCOMP_RET_TRACE:
        return "TRACE";
    default:
        return describe_ret(code);
    }
}

std::optional<AuditRecord> parse_audit_line(std::string_view line, std::size_t line_number) {
    std::size_t type = line.find("type=1326");
    std::size_t type_len = 9;
    if (type == std::string_view::npos) {
        type = line.find("type=SECCOMP");
        type_len = 12;
    }
    if (type == std::string_view::npos) return std::nullopt;
    const std::size_t after = type + type_len;
    if (after < line.size() && !is_space(line[after])) return std::nullopt; // type=13260?

    AuditRecord r;
    r.line = line_number;
    std::string_view rest = line.substr(after);
    if (auto open = rest.find("audit("); open != std::string_view::npos) {
        const auto close = rest.find(')', open);
        if (close != std::string_view::npos) {
            std::string_view stamp = rest.substr(open + 6, close - open - 6);
            const auto colon = stamp.rfind(':');
            r.timestamp = std::string(stamp.substr(0, colon));
            if (colon != std::string_view::npos) r.serial = std::string(stamp.substr(colon + 1));
            rest = rest.substr(close + 1);
        }
    }
    std::string_view syscall_field;
    for (const auto& [key, value] : fields(rest)) {
        if (key == "pid")
            r.pid = number<long long>(value);
        else if (key == "uid")
            r.uid = number<long long>(value);
        else if (key == "comm")
            r.comm = untrusted(value);
        else if (key == "exe")
            r.exe = untrusted(value);
        else if (key == "sig")
            r.signal = number<int>(value).value_or(0);
        else if (key == "arch") {
            if (auto token = number<std::uint32_t>(value, 16);
                token && util::arch::from_token(*token)) {
                r.arch = token;
            } else {
                // ausearch -i writes the name: arch=x86_64
                const std::string name(value);
                const std::uint32_t t = seccomp_arch_resolve_name(name.c_str());
                if (t != 0) r.arch = t;
            }
            auto info = r.arch ? util::arch::from_token(*r.arch) : std::nullopt;
            r.arch_name = info ? info->profile_name : std::string(value);
        } else if (key == "syscall") {
            syscall_field = value;
        } else if (key == "code") {
            r.code = number<std::uint32_t>(value, 16);
            r.action = r.code ? audit_action_name(*r.code) : std::string(value);
        }
    }
    if (!syscall_field.empty()) {
        r.nr = number<int>(syscall_field);
        if (r.nr && r.arch && *r.arch == SCMP_ARCH_X86_64 && (*r.nr & 0x40000000) != 0) {
            // An x32 call: the kernel reports x86-64 with bit 30 of the number set.
            r.syscall = syscall_name(SCMP_ARCH_X32, *r.nr);
            r.arch_name = "SCMP_ARCH_X32";
        } else if (r.nr && r.arch) {
            r.syscall = syscall_name(*r.arch, *r.nr);
        } else if (!r.nr && r.arch) {
            // ausearch -i writes the name: syscall=mkdir
            const std::string name(syscall_field);
            const int nr = seccomp_syscall_resolve_name_arch(*r.arch, name.c_str());
            if (nr >= 0) r.nr = nr;
        }
        if (r.syscall.empty()) r.syscall = std::string(syscall_field);
    }
    return r;
}

AuditLog parse_audit_log(std::istream& in) {
    AuditLog log;
    std::string line;
    while (std::getline(in, line)) {
        ++log.lines;
        if (auto r = parse_audit_line(line, log.lines))
            log.records.push_back(std::move(*r));
        else
            ++log.skipped;
    }
    return log;
}

void judge(AuditLog& log, const CompiledFilter& filter) {
    for (auto& r : log.records) {
        if (!r.arch || !r.nr) continue;
        seccomp_data d{};
        d.arch = *r.arch;
        d.nr = *r.nr;
        r.verdict = filter.decide(d);
        r.depends_on_arguments =
            std::any_of(filter.rules.begin(), filter.rules.end(), [&](const CompiledRule& cr) {
                return !cr.conditions.empty() &&
                       std::any_of(cr.numbers.begin(), cr.numbers.end(), [&](const auto& an) {
                           return an.first == d.arch && an.second == d.nr;
                       });
            });
        if (r.code)
            r.verdict_matches =
                (r.verdict->ret & SECCOMP_RET_ACTION_FULL) == (*r.code & SECCOMP_RET_ACTION_FULL);
    }
}

} // namespace policy
