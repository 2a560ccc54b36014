// SPDX-License-Identifier: Apache-2.0
#include "supervise/emulate.hpp"

#include <cerrno>
#include <cstring>
#include <sys/uio.h>

#include <fmt/format.h>

#include "supervise/memory.hpp"
#include "util/error.hpp"

namespace supervise {

namespace {

// What gVisor's Sentry reports (its kernel/version package; releases before 2026 said 4.4.0): a
// fixed, old release, so the answer is recognisably not the host's.
constexpr const char* kRelease = "4.19.0-gvisor";
constexpr const char* kVersion = "#1 SMP Sun Jan 10 15:06:54 PST 2016";

template <std::size_t N>
void set_field(char (&field)[N], const std::string& value) {
    std::memset(field, 0, N);
    std::memcpy(field, value.data(), std::min(value.size(), N - 1));
}

} // namespace

Emulation parse_emulation(const std::vector<std::string>& specs, const std::string& nodename) {
    Emulation e;
    for (const auto& spec : specs) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (;;) {
            const std::size_t colon = spec.find(':', start);
            parts.push_back(spec.substr(start, colon - start));
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
        if (parts[0] != "uname")
            util::throw_usage(
                fmt::format("--emulate {}: sandbox can answer only uname itself", spec),
                "--emulate uname, or uname:release=R (the rest of the calls run in the kernel)");
        struct utsname real {};
        ::uname(&real);
        e.uname = true;
        set_field(e.uts.sysname, "Linux");
        set_field(e.uts.nodename, nodename);
        set_field(e.uts.release, kRelease);
        set_field(e.uts.version, kVersion);
        set_field(e.uts.machine, real.machine);
        set_field(e.uts.domainname, "(none)");
        for (std::size_t i = 1; i < parts.size(); ++i) {
            const std::string& p = parts[i];
            const auto eq = p.find('=');
            const std::string key = p.substr(0, eq);
            const std::string value = eq == std::string::npos ? "" : p.substr(eq + 1);
            if (eq == std::string::npos || value.empty() || value.size() >= sizeof e.uts.release)
                util::throw_usage(
                    fmt::format("--emulate {}: expected release=R or version=V (1 to 64 "
                                "characters), not \"{}\"",
                                spec, p));
            if (key == "release")
                set_field(e.uts.release, value);
            else if (key == "version")
                set_field(e.uts.version, value);
            else
                util::throw_usage(fmt::format(
                    "--emulate {}: unknown field \"{}\" (release, version)", spec, key));
        }
    }
    return e;
}

namespace {

long write_answer(const Emulation& emulation, std::string_view name,
                  const std::array<std::uint64_t, 6>& args, pid_t tid) {
    if (!emulation.handles(name)) return -ENOSYS;
    // uname(struct utsname *buf): the whole struct, as the kernel's copy_to_user would.
    if (args[0] == 0) return -EFAULT;
    struct utsname copy = emulation.uts;
    iovec local{&copy, sizeof copy};
    iovec remote{reinterpret_cast<void*>(args[0]), sizeof copy};
    const ssize_t n = ::process_vm_writev(tid, &local, 1, &remote, 1, 0);
    return n == static_cast<ssize_t>(sizeof copy) ? 0 : -EFAULT;
}

} // namespace

long answer(const Emulation& emulation, trace::Event& e, pid_t tid, const decode::Options* decode) {
    const long r = write_answer(emulation, e.name, e.args, tid);
    if (r < 0) {
        e.result = -1;
        e.err = static_cast<int>(-r);
        return r;
    }
    e.result = r;
    if (decode != nullptr && !e.decoded.empty()) {
        RemoteMemory memory(tid);
        decode::decode_results(e.name, e.args, r, memory, *decode, e.decoded);
    }
    return r;
}

} // namespace supervise
