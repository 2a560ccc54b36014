#pragma once
// Architecture names in their three spellings: the profile's (SCMP_ARCH_X86_64), libseccomp's
// token (SCMP_ARCH_X86_64 == AUDIT_ARCH_X86_64) and Go's (amd64, used by Docker's includes.arches).
#include <cstdint>
#include <optional>
#include <string>

namespace policy::arch {

struct Info {
    const char* profile_name; // "SCMP_ARCH_X86_64"
    std::uint32_t token;      // libseccomp/audit arch value
    const char* go_name;      // "amd64"
};

std::optional<Info> from_profile_name(const std::string& name);
std::optional<Info> from_token(std::uint32_t token);
Info native();

} // namespace policy::arch
