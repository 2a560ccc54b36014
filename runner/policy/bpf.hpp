// SPDX-License-Identifier: Apache-2.0
#pragma once
// A classic-BPF interpreter for seccomp programs: the verdict of a compiled filter for one
// syscall, computed exactly as the kernel would, without a kernel. Used to attribute verdicts to
// rules (policy explain, the supervisor) and by the tests to cross-check the live filter.
#include <cstdint>
#include <span>

#include <linux/filter.h>
#include <linux/seccomp.h>

namespace policy::bpf {

// Returns the filter's SECCOMP_RET_* value. A malformed program (out-of-range jump or load,
// division by zero, no return) yields SECCOMP_RET_KILL_PROCESS, as the kernel would refuse it.
std::uint32_t run(std::span<const sock_filter> program, const seccomp_data& data) noexcept;

} // namespace policy::bpf
