// SPDX-License-Identifier: Apache-2.0
// The BPF interpreter on hand-written programs, including malformed ones.
#include <catch2/catch.hpp>

#include <vector>

#include "policy/bpf.hpp"

namespace {
seccomp_data data(int nr, std::uint64_t a0 = 0) {
    seccomp_data d{};
    d.nr = nr;
    d.args[0] = a0;
    return d;
}
} // namespace

TEST_CASE("bpf: jumps, loads of the upper argument word, returns", "[bpf]") {
    // if nr == 5: return (args[0].hi == 1) ? ERRNO(1) : ALLOW; else KILL
    std::vector<sock_filter> p = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args) + 4),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD),
    };
    CHECK(policy::bpf::run(p, data(5, 1ULL << 32)) == (SECCOMP_RET_ERRNO | 1));
    CHECK(policy::bpf::run(p, data(5, 1)) == SECCOMP_RET_ALLOW);
    CHECK(policy::bpf::run(p, data(6)) == SECCOMP_RET_KILL_THREAD);
}

TEST_CASE("bpf: ALU, scratch memory, X register, JSET/JGT/JGE", "[bpf]") {
    std::vector<sock_filter> p = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 10),
        BPF_STMT(BPF_ST, 3),
        BPF_STMT(BPF_LDX | BPF_MEM, 3),
        BPF_STMT(BPF_MISC | BPF_TXA, 0),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 20, 0, 1),
        BPF_STMT(BPF_RET | BPF_A, 0),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 111),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 15, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 222),
        BPF_STMT(BPF_RET | BPF_K, 333),
    };
    CHECK(policy::bpf::run(p, data(20)) == 30); // 30 > 20: return A
    CHECK(policy::bpf::run(p, data(1)) == 111); // 11 is odd
    CHECK(policy::bpf::run(p, data(6)) == 222); // 16 >= 15
    CHECK(policy::bpf::run(p, data(2)) == 333); // 12 < 15
}

TEST_CASE("bpf: malformed programs fail closed", "[bpf]") {
    CHECK(policy::bpf::run({}, data(1)) == SECCOMP_RET_KILL_PROCESS);
    std::vector<sock_filter> past_end = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64)};
    CHECK(policy::bpf::run(past_end, data(1)) == SECCOMP_RET_KILL_PROCESS);
    std::vector<sock_filter> div0 = {BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
                                     BPF_STMT(BPF_RET | BPF_K, 0)};
    CHECK(policy::bpf::run(div0, data(1)) == SECCOMP_RET_KILL_PROCESS);
    std::vector<sock_filter> jump_out = {BPF_JUMP(BPF_JMP | BPF_JA, 10, 0, 0),
                                         BPF_STMT(BPF_RET | BPF_K, 0)};
    CHECK(policy::bpf::run(jump_out, data(1)) == SECCOMP_RET_KILL_PROCESS);
    std::vector<sock_filter> no_ret = {BPF_STMT(BPF_LD | BPF_IMM, 7)};
    CHECK(policy::bpf::run(no_ret, data(1)) == SECCOMP_RET_KILL_PROCESS);
}
