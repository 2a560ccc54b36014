// SPDX-License-Identifier: Apache-2.0
#pragma once
// Architecture names in their three spellings: the profile's (SCMP_ARCH_X86_64), the kernel's
// audit value (AUDIT_ARCH_X86_64, which libseccomp uses as its token; x32 has a token of its own)
// and Go's (amd64, used by Docker's includes.arches). Every architecture the OCI runtime-spec
// lists is here, also those this build's libseccomp does not know (LOONGARCH64, M68K, SH, SHEB
// before libseccomp 2.6): a profile may name them, and only an architecture whose calls this
// machine can make must be known to libseccomp.
#include <cstdint>
#include <optional>
#include <string>

namespace util::arch {

struct Info {
    const char* profile_name; // "SCMP_ARCH_X86_64"
    std::uint32_t token;      // libseccomp's token (the audit value; x32 its own)
    const char* go_name;      // "amd64"
    bool libseccomp_knows = true;
    bool runc_knows = true; // in runc 1.2's list (libcontainer/seccomp/config.go); else refused
    bool spo_lists = true;  // in the SeccompProfile CRD's Arch enum (security-profiles-operator)
};

std::optional<Info> from_profile_name(const std::string& name);
std::optional<Info> from_token(std::uint32_t token);
Info native();
// Whether this machine's kernel can report calls of `token`: the native architecture and the
// ABIs it runs besides (x86-64: i386 and x32; aarch64: arm; ...).
bool applies_here(std::uint32_t token);
// "SCMP_ARCH_X86, SCMP_ARCH_X86_64, ...": every name, for messages.
std::string all_names();

} // namespace util::arch
