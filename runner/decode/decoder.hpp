// SPDX-License-Identifier: Apache-2.0
#pragma once
// The generic decoder: a syscall's raw arguments (+ the tracee's memory) -> one decode::Value per
// argument, driven by the table in decode/syscalls.*. Pure apart from the reads through `Memory`:
// no kernel, no printing. Output syntax lives in trace/strace_printer and trace/json_writer.
//
// Robustness: any argument values and any memory contents decode without crashing. Unreadable
// memory becomes Value::Kind::Unreadable (the address); strings are read in small chunks that
// never cross a page boundary, at most limit+1 bytes; arrays (argv/envp) at most kMaxArrayEntries.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "decode/value.hpp"

namespace decode {

// The tracee's memory. The supervisor implements it with process_vm_readv or /proc/PID/mem and
// re-checks the notification id afterwards (the values may be stale; that is the caller's job).
class Memory {
public:
    virtual ~Memory() = default;
    // Bytes read (possibly fewer than asked), or -1 when nothing could be read. Must not throw.
    virtual long read(std::uint64_t address, void* out, std::size_t length) = 0;
};

struct Options {
    std::size_t string_limit = 32; // -s: bytes of a string or buffer, entries of argv
    bool verbose = false;          // -v: envp in full, argv not cut at string_limit entries
    // File names are not cut at -s (strace prints paths up to PATH_MAX); set this to string_limit
    // to cut them too.
    std::size_t path_limit = 4096;
    // Pointer size in the tracee's memory (argv/envp arrays): 8, or 4 for 32-bit tracees.
    std::size_t word_size = sizeof(void*);
};

// -y: what is behind an fd of the tracee: its path ("/etc/passwd", "pipe:[1234]"; "" when
// unknown), and with -yy a socket's protocol and addresses in place of "socket:[INODE]"
// (TCP, 127.0.0.1:40000->127.0.0.1:22; the path stays "socket:[INODE]") and a device's numbers.
// Called with AT_FDCWD (-100) for the tracee's working directory. An empty std::function: no
// -y. Must not throw.
struct FdInfo {
    std::string path;
    std::string device; // "char 1:3", "block 8:0"; "" when not a device or without -yy
    SocketInfo socket;  // protocol "" unless a socket and -yy
    FdInfo() = default;
    FdInfo(std::string p) : path(std::move(p)) {} // NOLINT: a plain path converts
};
using FdPath = std::function<FdInfo(int fd)>;

inline constexpr std::size_t kMaxArrayEntries = 4096;

// One Value per argument the table lists for `name`; an empty vector when the table does not know
// the syscall (the printer then prints the six raw arguments in hex).
//
// decoded[i] always describes args[i]. Trailing arguments the call does not use are left out, as
// strace does: open's mode without O_CREAT/O_TMPFILE, fcntl's third argument for F_GETFD/F_GETFL,
// futex's arguments the op ignores, prctl's arguments for options that take none, mknod's dev
// unless the mode is a device.
//
// Value conventions (what the printers rely on):
//   - fd arguments are Kind::Signed (AT_FDCWD: Kind::Symbol); with -y their `comment` is the path.
//     On every other kind `comment` is a remark printed as a C comment ("23 vars", "PR_???").
//   - Kind::Flags items are Symbols (or, for modes, one Octal item for the permission bits); its
//     `number` holds leftover bits no name covers.
//   - sockaddrs are Kind::Struct with strace's field names (sa_family, sin_port, sin_addr,
//     sin6_port, sin6_flowinfo, sin6_addr, sin6_scope_id, sun_path, nl_pid, nl_groups, sa_data);
//     ports are the host-order number, addresses the inet_ntop text, sun_path the raw bytes (an
//     abstract name starts with a NUL byte).
std::vector<Value> decode_arguments(std::string_view name, const std::array<std::uint64_t, 6>& args,
                                    Memory& memory, const Options& options, const FdPath& fd_path);

// At a call's exit (the ptrace engine knows the result): fill in what the kernel wrote into the
// arguments the table marks OutBuf/OutStat/OutDirents (read's buffer up to the result, a struct
// stat, the number of directory entries). Nothing changes for failed calls.
void decode_results(std::string_view name, const std::array<std::uint64_t, 6>& args, long result,
                    Memory& memory, const Options& options, std::vector<Value>& decoded);

// "SIGTERM", "SIGRTMIN", "SIGRT_3"; the number as text when it has no name.
std::string signal_name(int signal);
// "EPERM"; the number as text when it has no name.
std::string errno_name(int error);
// strerror's text ("Operation not permitted"), thread-safe.
std::string errno_text(int error);

} // namespace decode
