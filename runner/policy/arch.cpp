#include "policy/arch.hpp"

#include <array>

#include <seccomp.h>

namespace policy::arch {
namespace {

const std::array kArches = {
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
    Info{"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC, "parisc"},
    Info{"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64, "parisc64"},
    Info{"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64, "riscv64"},
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

} // namespace policy::arch
