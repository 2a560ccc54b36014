// SPDX-License-Identifier: Apache-2.0
#include "supervise/selection.hpp"

#include <limits>

#include <fmt/format.h>
#include <seccomp.h>

#include "decode/syscalls.hpp"
#include "util/error.hpp"
#include "util/number.hpp"

namespace supervise {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find(sep, start);
        if (end == std::string::npos) end = s.size();
        out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

void check_syscall_name(const std::string& name, const char* where) {
    if (seccomp_syscall_resolve_name(name.c_str()) == __NR_SCMP_ERROR)
        util::throw_usage(
            fmt::format("{}: unknown syscall \"{}\"{}", where, name, decode::did_you_mean(name)),
            "names are libseccomp's (e.g. openat, execve); classes start with %: "
            "%file %desc %network %process %signal %ipc %memory %creds %clock");
}

std::uint64_t parse_count(const std::string& s, const std::string& spec) {
    if (auto n = util::parse_decimal(s, 1)) return *n;
    util::throw_usage(fmt::format("--inject {}: \"{}\" is not an occurrence number (1 to {})", spec,
                                  s, std::numeric_limits<std::uint64_t>::max()));
}

} // namespace

policy::Routing parse_trace_set(const std::string& set_in) {
    policy::Routing r;
    std::string set = set_in;
    bool negate = false;
    if (!set.empty() && set[0] == '!') {
        negate = true;
        set = set.substr(1);
    }
    if (set == "all" || set.empty()) {
        r.all = !negate;
        return r;
    }
    if (set == "none") {
        r.all = negate;
        return r;
    }
    for (const auto& item : split(set, ',')) {
        if (item.empty()) continue;
        if (item[0] == '%') {
            if (!decode::is_class(item))
                util::throw_usage(
                    fmt::format("-e trace: unknown class \"{}\"", item),
                    "classes: %file %desc %network %process %signal %ipc %memory %creds %clock");
            for (const auto& n : decode::class_members(item)) r.names.insert(n);
        } else {
            check_syscall_name(item, "-e trace");
            r.names.insert(item);
        }
    }
    r.all = negate;
    return r;
}

Injection parse_injection(const std::string& spec) {
    Injection inj;
    inj.spec = spec;
    auto parts = split(spec, ':');
    if (parts.size() < 2 || parts[0].empty())
        util::throw_usage(
            fmt::format("--inject {}: expected SYSCALL:error=ERRNO[:when=N|N+|N..M]", spec));
    for (const auto& n : split(parts[0], ',')) {
        check_syscall_name(n, "--inject");
        inj.syscalls.push_back(n);
    }
    bool have_error = false;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string& p = parts[i];
        if (p.rfind("error=", 0) == 0) {
            std::string e = p.substr(6);
            int err = util::errno_from_name(e);
            if (auto n = util::parse_decimal(e, 1, 4095); err < 0 && n) err = static_cast<int>(*n);
            if (err <= 0 || err > 4095)
                util::throw_usage(fmt::format("--inject {}: unknown errno \"{}\"", spec, e),
                                  "use a name like ENOENT or EACCES");
            inj.error = err;
            have_error = true;
        } else if (p.rfind("when=", 0) == 0) {
            std::string w = p.substr(5);
            if (auto dots = w.find(".."); dots != std::string::npos) {
                inj.first = parse_count(w.substr(0, dots), spec);
                inj.last = parse_count(w.substr(dots + 2), spec);
                if (inj.last < inj.first)
                    util::throw_usage(
                        fmt::format("--inject {}: when={} is an empty range", spec, w));
            } else if (!w.empty() && w.back() == '+') {
                inj.first = parse_count(w.substr(0, w.size() - 1), spec);
                inj.last = std::numeric_limits<std::uint64_t>::max();
            } else {
                inj.first = inj.last = parse_count(w, spec);
            }
        } else {
            util::throw_usage(fmt::format(
                "--inject {}: unknown part \"{}\" (expected error= or when=)", spec, p));
        }
    }
    if (!have_error) util::throw_usage(fmt::format("--inject {}: missing error=ERRNO", spec));
    if (parts.size() == 2) { // no when=: every occurrence, as strace
        inj.first = 1;
        inj.last = std::numeric_limits<std::uint64_t>::max();
    }
    return inj;
}

} // namespace supervise
