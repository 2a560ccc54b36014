// SPDX-License-Identifier: Apache-2.0
#include "policy/setid.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

#include <seccomp.h>

#include "policy/libseccomp.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"

namespace policy {
namespace {

constexpr std::uint64_t kTmpfile = 020000000; // __O_TMPFILE, without O_DIRECTORY
constexpr int kFchmodat2 = 452;               // Linux 6.6; the same number on every architecture

} // namespace

std::vector<sock_filter> setid_filter(const std::vector<std::uint32_t>& arches) {
    libseccomp::BuildSpec spec;
    spec.default_action = SCMP_ACT_ALLOW;
    const std::uint32_t native = util::arch::native().token;
    for (std::uint32_t a : arches)
        if (a != native) spec.extra_arches.push_back(a);
    const auto bit = [](unsigned index, std::uint64_t mask) {
        return scmp_arg_cmp{index, SCMP_CMP_MASKED_EQ, mask, mask};
    };
    const auto deny = [&](int nr, std::vector<scmp_arg_cmp> cmps) {
        if (nr == __NR_SCMP_ERROR) return;
        spec.rules.push_back({SCMP_ACT_ERRNO(EPERM), nr, std::move(cmps)});
    };
    for (std::uint64_t setid : {std::uint64_t{S_ISUID}, std::uint64_t{S_ISGID}}) {
        // The mode is the argument at this index.
        for (auto [name, mode] : {std::pair{"chmod", 1U},
                                  {"fchmod", 1U},
                                  {"fchmodat", 2U},
                                  {"creat", 1U},
                                  {"mknod", 1U},
                                  {"mknodat", 2U}})
            deny(seccomp_syscall_resolve_name(name), {bit(mode, setid)});
        deny(kFchmodat2, {bit(2, setid)});
        // open and openat: only when they create (O_CREAT, or O_TMPFILE).
        for (std::uint64_t creates : {std::uint64_t{O_CREAT}, kTmpfile}) {
            deny(seccomp_syscall_resolve_name("open"), {bit(1, creates), bit(2, setid)});
            deny(seccomp_syscall_resolve_name("openat"), {bit(2, creates), bit(3, setid)});
        }
    }
    spec.rules.push_back({SCMP_ACT_ERRNO(ENOSYS), seccomp_syscall_resolve_name("openat2"), {}});
    for (const char* name : {"io_uring_setup", "io_uring_enter", "io_uring_register"})
        deny(seccomp_syscall_resolve_name(name), {});
    libseccomp::BuildResult r = libseccomp::build(spec);
    if (r.failure != libseccomp::BuildResult::Failure::None || r.program.empty())
        throw util::Error(util::exit_code::internal,
                          "could not build the filter that refuses setuid and setgid files: "
                          "libseccomp: " +
                              util::describe_errno(r.error));
    return r.program;
}

} // namespace policy
