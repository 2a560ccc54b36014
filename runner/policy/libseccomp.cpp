#include "policy/libseccomp.hpp"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#include "util/unique_fd.hpp"

namespace policy::libseccomp {
namespace {

std::string read_all(int fd) {
    std::string out;
    ::lseek(fd, 0, SEEK_SET);
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

} // namespace

scmp_compare to_scmp(Op op) {
    switch (op) {
    case Op::NotEqual:
        return SCMP_CMP_NE;
    case Op::LessThan:
        return SCMP_CMP_LT;
    case Op::LessEqual:
        return SCMP_CMP_LE;
    case Op::Equal:
        return SCMP_CMP_EQ;
    case Op::GreaterEqual:
        return SCMP_CMP_GE;
    case Op::GreaterThan:
        return SCMP_CMP_GT;
    case Op::MaskedEqual:
        return SCMP_CMP_MASKED_EQ;
    }
    return SCMP_CMP_EQ;
}

std::vector<sock_filter> export_bpf(const Ctx& ctx, int& error) {
    util::unique_fd mem(::memfd_create("sandbox-bpf", MFD_CLOEXEC));
    if (!mem) {
        error = errno;
        return {};
    }
    if (int rc = seccomp_export_bpf(ctx.ctx, mem.get()); rc != 0) {
        error = -rc;
        return {};
    }
    const std::string bytes = read_all(mem.get());
    std::vector<sock_filter> program(bytes.size() / sizeof(sock_filter));
    std::memcpy(program.data(), bytes.data(), program.size() * sizeof(sock_filter));
    error = 0;
    return program;
}

std::string export_pfc(const Ctx& ctx) {
    util::unique_fd mem(::memfd_create("sandbox-pfc", MFD_CLOEXEC));
    if (!mem || seccomp_export_pfc(ctx.ctx, mem.get()) != 0) return {};
    return read_all(mem.get());
}

} // namespace policy::libseccomp
