// SPDX-License-Identifier: Apache-2.0
#include "util/arch.hpp"

#include <algorithm>
#include <array>

#include <seccomp.h>

namespace util::arch {
namespace {

// The audit values of the architectures libseccomp 2.5 has no token for (linux/audit.h:
// EM_* | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE), for a libseccomp that lacks them.
constexpr std::uint32_t kAudit64 = 0x80000000U, kAuditLe = 0x40000000U;
#ifdef SCMP_ARCH_LOONGARCH64
constexpr Info kLoongarch64{
    "SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64, "loong64", true, true, false};
#else
constexpr Info kLoongarch64{
    "SCMP_ARCH_LOONGARCH64", 258 | kAudit64 | kAuditLe, "loong64", false, true, false};
#endif
#ifdef SCMP_ARCH_M68K
constexpr Info kM68k{"SCMP_ARCH_M68K", SCMP_ARCH_M68K, "m68k", true, false, false};
#else
constexpr Info kM68k{"SCMP_ARCH_M68K", 4, "m68k", false, false, false};
#endif
#ifdef SCMP_ARCH_SH
constexpr Info kSh{"SCMP_ARCH_SH", SCMP_ARCH_SH, "sh", true, false, false};
constexpr Info kSheb{"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB, "sheb", true, false, false};
#else
constexpr Info kSh{"SCMP_ARCH_SH", 42 | kAuditLe, "sh", false, false, false};
constexpr Info kSheb{"SCMP_ARCH_SHEB", 42, "sheb", false, false, false};
#endif

// The runtime-spec's list (config-linux.md, seccomp "architectures"), in its order.
constexpr std::array kArches = {
    Info{"SCMP_ARCH_X86", SCMP_ARCH_X86, "386"},
    Info{"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, "amd64"},
    Info{"SCMP_ARCH_X32", SCMP_ARCH_X32, "amd64"},
    Info{"SCMP_ARCH_ARM", SCMP_ARCH_ARM, "arm"},
    Info{"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, "arm64"},
    Info{"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS, "mips"},
    Info{"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64, "mips64"},
    Info{"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32, "mips64"},
    Info{"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL, "mipsle"},
    Info{"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64, "mips64le"},
    Info{"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32, "mips64le"},
    Info{"SCMP_ARCH_PPC", SCMP_ARCH_PPC, "ppc"},
    Info{"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64, "ppc64"},
    Info{"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE, "ppc64le"},
    Info{"SCMP_ARCH_S390", SCMP_ARCH_S390, "s390"},
    Info{"SCMP_ARCH_S390X", SCMP_ARCH_S390X, "s390x"},
    Info{"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC, "parisc", true, false},
    Info{"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64, "parisc64", true, false},
    Info{"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64, "riscv64"},
    kLoongarch64,
    kM68k,
    kSh,
    kSheb,
};

// The ABIs a kernel of each architecture runs besides its own (its compat syscall entries).
struct Compat {
    std::uint32_t native;
    std::array<std::uint32_t, 2> also;
};
constexpr std::array kCompat = {
    Compat{SCMP_ARCH_X86_64, {SCMP_ARCH_X86, SCMP_ARCH_X32}},
    Compat{SCMP_ARCH_AARCH64, {SCMP_ARCH_ARM, 0}},
    Compat{SCMP_ARCH_MIPS64, {SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32}},
    Compat{SCMP_ARCH_MIPSEL64, {SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32}},
    Compat{SCMP_ARCH_PPC64, {SCMP_ARCH_PPC, 0}},
    Compat{SCMP_ARCH_S390X, {SCMP_ARCH_S390, 0}},
    Compat{SCMP_ARCH_PARISC64, {SCMP_ARCH_PARISC, 0}},
};

} // namespace

std::optional<Info> from_profile_name(const std::string& name) {
    for (const auto& a : kArches)
        if (name == a.profile_name) return a;
    return std::nullopt;
}

std::optional<Info> from_token(std::uint32_t token) {
    for (const auto& a : kArches)
        if (a.token == token) return a;
    return std::nullopt;
}

Info native() {
    auto a = from_token(seccomp_arch_native());
    return a ? *a : Info{"SCMP_ARCH_NATIVE", seccomp_arch_native(), "unknown"};
}

bool applies_here(std::uint32_t token) {
    const std::uint32_t n = native().token;
    if (token == n) return true;
    return std::any_of(kCompat.begin(), kCompat.end(), [&](const Compat& c) {
        return c.native == n && std::find(c.also.begin(), c.also.end(), token) != c.also.end();
    });
}

std::string all_names() {
    std::string out;
    for (const auto& a : kArches) out += std::string(out.empty() ? "" : ", ") + a.profile_name;
    return out;
}

} // namespace util::arch
