// SPDX-License-Identifier: Apache-2.0
#pragma once
// THE syscall table: for each syscall name (libseccomp's spelling; numbers come from libseccomp),
// what kind each argument is and which trace classes the syscall belongs to. What a kind is (its
// width, whether it points at memory, how it decodes) lives in decode/kinds.*; how a decoded value
// looks lives in trace/. Adding a syscall with existing kinds is one row in syscalls.cpp (plus
// one test line): docs/adding-a-syscall.md.
//
// The argument lists follow the x86-64 kernel prototypes (clone is flags, stack, parent_tid,
// child_tid, tls there; other architectures order clone differently).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decode/kinds.hpp"

namespace decode {

// Trace classes, following strace's meanings (strace(1), "-e trace=%...").
//   %file     takes a file name (open, stat, execve, chdir, mount, ... and their *at forms)
//   %desc     takes or returns a file descriptor (read, close, dup, epoll, mmap, *at, ...;
//             sandbox adds close_range, which strace 6.1 leaves out)
//   %network  the socket calls
//   %process  process lifecycle: clone fork vfork execve exit wait kill ...; sandbox adds unshare
//             and setns (they change which namespaces a process lives in), strace does not
//   %signal   signal handling and sending (rt_sig*, kill, sigaltstack, signalfd, ...)
//   %ipc      System V IPC (shm*, sem*, msg*) and POSIX message queues (mq_*: strace files
//             these under %desc only; sandbox counts them as IPC too)
//   %memory   memory mapping (mmap munmap mprotect brk madvise mremap mlock shmat ...)
//   %creds    user/group ids and capabilities (get/set*id, setgroups, capget/capset, prctl)
//   %clock    reading or changing clocks (clock_*, gettimeofday, time, adjtimex, settimeofday)
namespace cls {
inline constexpr unsigned File = 1U << 0;
inline constexpr unsigned Desc = 1U << 1;
inline constexpr unsigned Network = 1U << 2;
inline constexpr unsigned Process = 1U << 3;
inline constexpr unsigned Signal = 1U << 4;
inline constexpr unsigned Ipc = 1U << 5;
inline constexpr unsigned Memory = 1U << 6;
inline constexpr unsigned Creds = 1U << 7;
inline constexpr unsigned Clock = 1U << 8;
} // namespace cls

// How the return value reads (for the engines that learn it).
enum class Ret : std::uint8_t { Signed, Hex, Octal };

struct SyscallInfo {
    std::string_view name;
    std::array<ArgSpec, 6> args{};
    std::size_t nargs = 0;
    unsigned classes = 0; // cls::* bits
    Ret ret = Ret::Signed;
};

// The row for a syscall name, nullptr when the table does not know it.
const SyscallInfo* find(std::string_view name);

// The width of argument `index` of `name` (decode::kind_bits of its kind); 0 when the table
// does not know the syscall or it has fewer arguments.
unsigned argument_bits(std::string_view name, unsigned index);
// The kernel reads fewer than 64 bits of it (argument_bits is 16 or 32).
bool argument_is_32bit(std::string_view name, unsigned index);
// Every row, in table order.
std::span<const SyscallInfo> table();
std::size_t table_size();
// Every syscall name of the table, for "did you mean" and shell completion.
std::vector<std::string_view> names();
// " (did you mean \"openat\"?)" for a name that is not a syscall, or "".
std::string did_you_mean(std::string_view name);

// Class names as strace spells them: "%file", "%desc", ... ("%net" is accepted for "%network").
std::vector<std::string_view> class_names();
bool is_class(std::string_view cls);
// The syscall names in a class (table order); empty for an unknown class.
std::vector<std::string> class_members(std::string_view cls);
// The classes of one row, as names ("%file", "%desc").
std::vector<std::string_view> classes_of(const SyscallInfo& info);

} // namespace decode
