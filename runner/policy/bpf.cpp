// SPDX-License-Identifier: Apache-2.0
#include "policy/bpf.hpp"

#include <cstring>

#include "util/kernel_compat.hpp"

namespace policy::bpf {

std::uint32_t run(std::span<const sock_filter> program, const seccomp_data& data) noexcept {
    constexpr std::uint32_t kInvalid = SECCOMP_RET_KILL_PROCESS;
    std::uint32_t a = 0, x = 0;
    std::uint32_t mem[BPF_MEMWORDS] = {};
    unsigned char bytes[sizeof(seccomp_data)];
    std::memcpy(bytes, &data, sizeof data);

    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const sock_filter& in = program[pc];
        const std::uint32_t k = in.k;
        switch (in.code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (k > sizeof data - 4 || k % 4 != 0) return kInvalid;
            std::memcpy(&a, bytes + k, 4);
            break;
        case BPF_LD | BPF_W | BPF_LEN:
            a = sizeof data;
            break;
        case BPF_LDX | BPF_W | BPF_LEN:
            x = sizeof data;
            break;
        case BPF_LD | BPF_IMM:
            a = k;
            break;
        case BPF_LDX | BPF_IMM:
            x = k;
            break;
        case BPF_LD | BPF_MEM:
            if (k >= BPF_MEMWORDS) return kInvalid;
            a = mem[k];
            break;
        case BPF_LDX | BPF_MEM:
            if (k >= BPF_MEMWORDS) return kInvalid;
            x = mem[k];
            break;
        case BPF_ST:
            if (k >= BPF_MEMWORDS) return kInvalid;
            mem[k] = a;
            break;
        case BPF_STX:
            if (k >= BPF_MEMWORDS) return kInvalid;
            mem[k] = x;
            break;
        case BPF_MISC | BPF_TAX:
            x = a;
            break;
        case BPF_MISC | BPF_TXA:
            a = x;
            break;
        case BPF_ALU | BPF_ADD | BPF_K:
            a += k;
            break;
        case BPF_ALU | BPF_ADD | BPF_X:
            a += x;
            break;
        case BPF_ALU | BPF_SUB | BPF_K:
            a -= k;
            break;
        case BPF_ALU | BPF_SUB | BPF_X:
            a -= x;
            break;
        case BPF_ALU | BPF_MUL | BPF_K:
            a *= k;
            break;
        case BPF_ALU | BPF_MUL | BPF_X:
            a *= x;
            break;
        case BPF_ALU | BPF_DIV | BPF_K:
            if (k == 0) return kInvalid;
            a /= k;
            break;
        case BPF_ALU | BPF_DIV | BPF_X:
            if (x == 0) return kInvalid;
            a /= x;
            break;
        case BPF_ALU | BPF_MOD | BPF_K:
            if (k == 0) return kInvalid;
            a %= k;
            break;
        case BPF_ALU | BPF_MOD | BPF_X:
            if (x == 0) return kInvalid;
            a %= x;
            break;
        case BPF_ALU | BPF_AND | BPF_K:
            a &= k;
            break;
        case BPF_ALU | BPF_AND | BPF_X:
            a &= x;
            break;
        case BPF_ALU | BPF_OR | BPF_K:
            a |= k;
            break;
        case BPF_ALU | BPF_OR | BPF_X:
            a |= x;
            break;
        case BPF_ALU | BPF_XOR | BPF_K:
            a ^= k;
            break;
        case BPF_ALU | BPF_XOR | BPF_X:
            a ^= x;
            break;
        case BPF_ALU | BPF_LSH | BPF_K:
            a = k < 32 ? a << k : 0;
            break;
        case BPF_ALU | BPF_LSH | BPF_X:
            a = x < 32 ? a << x : 0;
            break;
        case BPF_ALU | BPF_RSH | BPF_K:
            a = k < 32 ? a >> k : 0;
            break;
        case BPF_ALU | BPF_RSH | BPF_X:
            a = x < 32 ? a >> x : 0;
            break;
        case BPF_ALU | BPF_NEG:
            a = 0u - a;
            break;
        case BPF_JMP | BPF_JA:
            pc += k;
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
            pc += (a == k) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JEQ | BPF_X:
            pc += (a == x) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JGT | BPF_K:
            pc += (a > k) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JGT | BPF_X:
            pc += (a > x) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JGE | BPF_K:
            pc += (a >= k) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JGE | BPF_X:
            pc += (a >= x) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JSET | BPF_K:
            pc += (a & k) ? in.jt : in.jf;
            break;
        case BPF_JMP | BPF_JSET | BPF_X:
            pc += (a & x) ? in.jt : in.jf;
            break;
        case BPF_RET | BPF_K:
            return k;
        case BPF_RET | BPF_A:
            return a;
        default:
            return kInvalid;
        }
    }
    return kInvalid; // fell off the end: the kernel's checker rejects such programs
}

} // namespace policy::bpf
