// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: bytes -> policy::parse -> policy::compile -> CompiledFilter::decide and
// policy::explain, the path `sandbox policy validate/explain` and `sandbox run` take with a
// profile. Bad input must end in util::Error (a policy error, exit 122), never in a crash, a
// sanitizer report, a hang, or a filter the kernel would refuse for its size.
//
// Built only with -DSANDBOX_FUZZ=ON and clang (see tests/fuzz/CMakeLists.txt); run with
// `./dev.sh fuzz [SECONDS]`, seeded from policies/*.json and tests/fixtures/*.json.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <linux/audit.h>
#include <seccomp.h>
#include <sys/syscall.h>

#include "policy/compile.hpp"
#include "policy/explain.hpp"
#include "policy/load.hpp"
#include "util/arch.hpp"
#include "util/error.hpp"

namespace {

seccomp_data call(std::uint32_t arch, int nr, std::uint64_t a0 = 0, std::uint64_t a1 = 0) {
    seccomp_data d{};
    d.arch = arch;
    d.nr = nr;
    d.args[0] = a0;
    d.args[1] = a1;
    return d;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // Alternate --strict and the capabilities includes/excludes see, from the input itself.
    const bool strict = size % 2 == 1;
    // libseccomp gets 2 s of CPU time per input (10 s in sandbox): an input it never finishes
    // (libseccomp 2.5.4 loops on some rules) is then a policy error, within libFuzzer's timeout.
    static const auto with_limit = [](policy::CompileContext c) {
        c.libseccomp_cpu_seconds = 2;
        return c;
    };
    static const auto lax = with_limit(policy::CompileContext::for_this_kernel({}, false));
    static const auto strict_admin = with_limit(
        policy::CompileContext::for_this_kernel({"CAP_SYS_ADMIN", "CAP_NET_ADMIN"}, true));
    try {
        const policy::Policy p = policy::parse(text, "fuzz.json");
        const policy::CompiledFilter f = policy::compile(p, strict ? strict_admin : lax);
        // compile promises a program the kernel accepts: never empty, never over 4096.
        if (f.program.empty() || f.program.size() > 4096) std::abort();
        const std::uint32_t native = util::arch::native().token;
        const seccomp_data calls[] = {
            call(native, SYS_getpid),
            call(native, SYS_mkdir, 0x1000, 0700),
            call(native, SYS_socket, 2, 1),
            call(native, SYS_ioctl, 0, 0x100005412ULL),
            call(native, SYS_clone3),
            call(native, 1000),
            call(native, -1),
            call(native, 0x40000000 | 2), // x32 bit on x86-64
            call(AUDIT_ARCH_I386, 39),
            call(0xdeadbeef, 0),
        };
        for (const auto& c : calls) {
            const policy::Verdict v = f.decide(c);
            if (v.rule.empty()) std::abort(); // every verdict names its source
        }
        (void)policy::explain(f);
    } catch (const util::Error&) {
        // a policy error: what bad input must produce
    }
    return 0;
}
