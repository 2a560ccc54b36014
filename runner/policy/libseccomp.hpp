#pragma once
// What policy::compile and policy::route share about libseccomp: an owned filter context, the
// comparison operators, and reading back what it exports (BPF, pseudo-code) through a memfd.
#include <cstdint>
#include <string>
#include <vector>

#include <linux/filter.h>
#include <seccomp.h>

#include "policy/model.hpp"

namespace policy::libseccomp {

// An owned scmp_filter_ctx (seccomp_init .. seccomp_release).
struct Ctx {
    scmp_filter_ctx ctx;
    explicit Ctx(std::uint32_t default_action) : ctx(seccomp_init(default_action)) {}
    ~Ctx() {
        if (ctx) seccomp_release(ctx);
    }
    Ctx(const Ctx&) = delete;
    Ctx& operator=(const Ctx&) = delete;
};

scmp_compare to_scmp(Op op);

// The BPF program libseccomp generates (empty when it fails: the caller says why).
std::vector<sock_filter> export_bpf(const Ctx& ctx, int& error);
// libseccomp's pseudo-code ("" when it fails).
std::string export_pfc(const Ctx& ctx);

} // namespace policy::libseccomp
