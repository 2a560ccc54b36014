// SPDX-License-Identifier: Apache-2.0
#include "policy/libseccomp.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.hpp"
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

// The child's reports to the parent: a tag, a length, the bytes.
enum Tag : char { kProgress = 'R', kFailure = 'F', kProgram = 'P', kPseudoCode = 'T', kDone = 'D' };

struct FailureRecord {
    std::uint32_t kind;
    std::uint64_t index;
    std::int32_t error;
};

void send(int fd, Tag tag, const void* data, std::uint64_t size) {
    std::string record(1, static_cast<char>(tag));
    record.append(reinterpret_cast<const char*>(&size), sizeof size);
    record.append(static_cast<const char*>(data), size);
    std::size_t done = 0;
    while (done < record.size()) {
        const ssize_t n = ::write(fd, record.data() + done, record.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ::_exit(3); // the parent is gone
        done += static_cast<std::size_t>(n);
    }
}

[[noreturn]] void fail_child(int fd, BuildResult::Failure kind, std::size_t index, int error) {
    const FailureRecord f{static_cast<std::uint32_t>(kind), index, error};
    send(fd, kFailure, &f, sizeof f);
    ::_exit(0);
}

// In the forked child: only libseccomp and the pipe, then _exit (no destructors, no atexit).
[[noreturn]] void build_in_child(const BuildSpec& spec, int fd) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    const rlimit cpu{spec.cpu_seconds, spec.cpu_seconds + 1}; // SIGXCPU, then SIGKILL
    ::setrlimit(RLIMIT_CPU, &cpu);
    try {
        Ctx ctx(spec.default_action);
        if (ctx.ctx == nullptr) fail_child(fd, BuildResult::Failure::Init, 0, ENOMEM);
        // We set no_new_privs ourselves, at the right step of the launch.
        seccomp_attr_set(ctx.ctx, SCMP_FLTATR_CTL_NNP, 0);
        // A call of an architecture the filter does not list kills the thread: libseccomp's
        // default, which runc keeps (the last thread's death is the process's, by SIGSYS).
        seccomp_attr_set(ctx.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_THREAD);
        for (std::size_t i = 0; i < spec.extra_arches.size(); ++i) {
            const int rc = seccomp_arch_add(ctx.ctx, spec.extra_arches[i]);
            if (rc != 0 && rc != -EEXIST) fail_child(fd, BuildResult::Failure::Arch, i, -rc);
        }
        for (std::size_t i = 0; i < spec.rules.size(); ++i) {
            const std::uint64_t at = i;
            send(fd, kProgress, &at, sizeof at);
            const RuleSpec& r = spec.rules[i];
            const int rc = seccomp_rule_add_array(
                ctx.ctx, r.ret, r.nr, static_cast<unsigned>(r.cmps.size()), r.cmps.data());
            if (rc != 0 && !(spec.tolerate_duplicates && rc == -EEXIST))
                fail_child(fd, BuildResult::Failure::Rule, i, -rc);
        }
        const std::uint64_t exporting = spec.rules.size();
        send(fd, kProgress, &exporting, sizeof exporting);
        int error = 0;
        const std::vector<sock_filter> program = export_bpf(ctx, error);
        if (program.empty()) fail_child(fd, BuildResult::Failure::Export, 0, error);
        send(fd, kProgram, program.data(), program.size() * sizeof(sock_filter));
        const std::string pfc = export_pfc(ctx);
        send(fd, kPseudoCode, pfc.data(), pfc.size());
        send(fd, kDone, nullptr, 0);
    } catch (...) {
        ::_exit(4);
    }
    ::_exit(0);
}

} // namespace

BuildResult build(const BuildSpec& spec) {
    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0)
        util::throw_setup(util::syscall_error("pipe2", "libseccomp build", errno));
    util::unique_fd read_end(fds[0]), write_end(fds[1]);
    const pid_t pid = ::fork();
    if (pid < 0)
        util::throw_setup(util::syscall_error("fork", "libseccomp build", errno),
                          "sandbox compiles the filter in a child process; allow it one more");
    if (pid == 0) {
        read_end.reset();
        build_in_child(spec, write_end.get());
    }
    write_end.reset();

    BuildResult out;
    bool done = false, failed = false;
    std::string buf;
    // A backstop in wall-clock time for a child that does not even use its CPU time.
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(4 * std::uint64_t(spec.cpu_seconds) + 30);
    char chunk[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd p{read_end.get(), POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) continue;
        const ssize_t n = ::read(read_end.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        buf.append(chunk, static_cast<std::size_t>(n));
        // Take every complete record.
        std::size_t at = 0;
        while (buf.size() - at >= 1 + sizeof(std::uint64_t)) {
            std::uint64_t size = 0;
            std::memcpy(&size, buf.data() + at + 1, sizeof size);
            if (buf.size() - at - 1 - sizeof size < size) break;
            const char* data = buf.data() + at + 1 + sizeof size;
            switch (buf[at]) {
            case kProgress:
                if (size == sizeof(std::uint64_t)) {
                    std::uint64_t i = 0;
                    std::memcpy(&i, data, sizeof i);
                    out.index = i;
                }
                break;
            case kFailure:
                if (size == sizeof(FailureRecord)) {
                    FailureRecord f{};
                    std::memcpy(&f, data, sizeof f);
                    out.failure = static_cast<BuildResult::Failure>(f.kind);
                    out.index = f.index;
                    out.error = f.error;
                    failed = true;
                }
                break;
            case kProgram:
                out.program.resize(size / sizeof(sock_filter));
                std::memcpy(out.program.data(), data, out.program.size() * sizeof(sock_filter));
                break;
            case kPseudoCode:
                out.pseudo_code.assign(data, size);
                break;
            case kDone:
                done = true;
                break;
            default:
                break;
            }
            at += 1 + sizeof size + size;
        }
        buf.erase(0, at);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (failed) {
        out.program.clear();
        return out;
    }
    if (!done) {
        out.program.clear();
        out.pseudo_code.clear();
        const bool out_of_time =
            WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL);
        out.failure = out_of_time ? BuildResult::Failure::Timeout : BuildResult::Failure::Crashed;
    }
    return out;
}

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
