// SPDX-License-Identifier: Apache-2.0
#pragma once
// Argument kinds: what an argument of a syscall is, and the one table of what each kind means.
// The syscall table (decode/syscalls.*) says which kind each argument is; this table says, per
// kind:
//   - how many bits of its register the kernel reads (the kernel's prototypes: 64 for long,
//     unsigned long, size_t, loff_t and pointers; 32 for int and unsigned int; 16 for umode_t).
//     The decoder reads that many bits (as the kernel acts on them), `run --strict-args` narrows
//     comparisons to them, and lint reports conditions whose verdict the ignored high bits can
//     change (a seccomp filter sees all 64 bits: CVE-2019-10063, TIOCSTI with high bits set);
//   - whether the register is a value or an address, and when the memory behind an address is
//     read: at entry (a path, a buffer the tracee passes in) or at exit (what the kernel filled;
//     the ptrace engine sees the exit, the notify supervisor prints the address);
//   - its role for the filters (-P matches file names and fds, -y shows fd paths);
//   - the named constants it prints with (decode/xlat.*) and the function that decodes it.
// decode (decoder.cpp), the policy compiler's --strict-args and lint read only this table.
// A kind without a row does not compile (a static_assert in kinds.cpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "decode/value.hpp"
#include "decode/xlat.hpp"

namespace decode {

// What an argument is. `ArgSpec::ref` names the other argument a kind needs (the length of a
// buffer or sockaddr, the flags that decide whether open's mode is used, the command or option
// that decides how fcntl/futex/prctl use the rest).
enum class Arg : std::uint8_t {
    // numbers
    Int,      // int (low 32 bits, signed)
    Long,     // long / off_t (signed 64 bits)
    UInt,     // unsigned int (low 32 bits)
    Unsigned, // size_t / unsigned long
    Hex,      // a number best read in hex (masks, keys, opaque values): unsigned long
    Hex32,    // the same for an int or unsigned int (personality, swapon's and setxattr's flags)
    Ptr,      // an address the decoder does not follow (a struct we do not decode): hex, NULL
    Out,      // an address the kernel writes that we do not decode: the address
    // Addresses the kernel fills, decoded at the call's exit when the result is known (the ptrace
    // engine; the notify supervisor sees entry only and prints the address):
    OutBuf,     // bytes; the count is the call's result (read's buf), cut at -s
    OutStat,    // struct stat: {st_mode=S_IFREG|0644, st_size=41603, ...}
    OutDirents, // linux_dirent64 records; the length is the call's result: /* 12 entries */
    OutUtsname, // struct utsname: {sysname="Linux", nodename="sandbox", ...} (all with -v)
    Fd,         // an fd; its path for -y
    DirFd,      // an fd or AT_FDCWD
    Mode,       // permission bits, octal
    ModeType,   // S_IFREG|0644 (mknod)
    Dev, // a device number (mknod): present only for S_IFCHR/S_IFBLK in the ModeType at `ref`
    // memory of the tracee
    Path,     // NUL-terminated file name (Options::path_limit, like strace: not cut at -s)
    Str,      // NUL-terminated string (Options::string_limit)
    Buf,      // bytes whose count is argument `ref` (write's buf), cut at -s
    Argv,     // NULL-terminated array of strings (execve's argv)
    Envp,     // NULL-terminated array of strings, shown as a count unless verbose
    SockAddr, // struct sockaddr whose length is argument `ref`
    // named constants: enums
    Signal,        // SIGTERM; 0 and unknown numbers as numbers
    SigHow,        // SIG_BLOCK...
    Whence,        // SEEK_*
    AccessMode,    // F_OK or R_OK|W_OK|X_OK
    Family,        // AF_*
    SockProto,     // the protocol for the family at `ref` (IPPROTO_*, NETLINK_*, htons(ETH_P_*))
    SockLevel,     // SOL_*
    SockOpt,       // SO_*, TCP_*, IP_*, IPV6_* for the level at `ref`
    ShutHow,       // SHUT_*
    FcntlCmd,      // F_*
    FcntlArg,      // fcntl's third argument, per the command at `ref` (absent for F_GETFD, ...)
    EpollOp,       // EPOLL_CTL_*
    ClockId,       // CLOCK_*
    FutexOp,       // FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME
    FutexTimeout,  // futex's 4th argument per the op at `ref`: timeout, val2, or absent
    FutexUaddr2,   // futex's 5th argument per the op at `ref`
    FutexVal3,     // futex's 6th argument per the op at `ref`
    Rlimit,        // RLIMIT_*
    IdType,        // P_*
    PrctlOption,   // PR_*
    PrctlArg,      // prctl's arguments 2..5, per the option at `ref`
    ArchPrctlCode, // ARCH_*
    Madvise,       // MADV_*
    Fadvise,       // POSIX_FADV_*
    IpcKey,        // IPC_PRIVATE or hex
    ShmCmd,        // IPC_RMID, SHM_LOCK, ... (+IPC_64)
    SemCmd,        // IPC_RMID, GETVAL, ...
    MsgCmd,        // IPC_RMID, MSG_STAT, ...
    SeccompOp,     // SECCOMP_SET_MODE_FILTER...
    PtraceRequest, // PTRACE_*
    IoctlRequest,  // TCGETS, FIONBIO, ... or hex
    RusageWho,     // RUSAGE_*
    PrioWhich,     // PRIO_*
    ItimerWhich,   // ITIMER_*
    SchedPolicy,   // SCHED_*
    // named constants: flags
    OpenFlags,       // O_RDONLY|O_CLOEXEC (access mode as strace prints it)
    ModeIfCreate,    // open's mode: absent unless the flags at `ref` have O_CREAT or O_TMPFILE
    PtrIfCreate,     // mq_open's attr: absent unless the flags at `ref` have O_CREAT
    FdFlags,         // O_CLOEXEC|O_NONBLOCK|O_DIRECT (pipe2, dup3)
    AtFlags,         // AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|...
    StatxFlags,      // AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW
    UnlinkFlags,     // AT_REMOVEDIR
    AccessAtFlags,   // AT_EACCESS|AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH
    StatxMask,       // STATX_*
    RenameFlags,     // RENAME_*
    Prot,            // PROT_*
    MapFlags,        // MAP_PRIVATE|MAP_ANONYMOUS
    MremapFlags,     // MREMAP_*
    MsyncFlags,      // MS_ASYNC...
    MlockFlags,      // MLOCK_ONFAULT
    MlockallFlags,   // MCL_*
    CloneFlags,      // CLONE_*|SIGCHLD (exit signal in the low byte)
    NsFlags,         // CLONE_NEW* (unshare: unsigned long)
    NsType,          // CLONE_NEW* or 0 (setns: int)
    SockType,        // SOCK_STREAM|SOCK_CLOEXEC
    SockFlags,       // SOCK_CLOEXEC|SOCK_NONBLOCK (accept4)
    MsgFlags,        // MSG_*
    WaitOptions,     // WNOHANG|__WALL
    EpollFlags,      // EPOLL_CLOEXEC
    EventfdFlags,    // EFD_*
    SignalfdFlags,   // SFD_*
    TimerfdFlags,    // TFD_CLOEXEC|TFD_NONBLOCK
    TimerfdSetFlags, // TFD_TIMER_*
    TimerFlags,      // TIMER_ABSTIME
    InotifyFlags,    // IN_CLOEXEC|IN_NONBLOCK
    InotifyMask,     // IN_*
    MemfdFlags,      // MFD_*
    PidfdFlags,      // PIDFD_NONBLOCK
    RandomFlags,     // GRND_*
    FlockOp,         // LOCK_*
    MountFlags,      // MS_*
    UmountFlags,     // MNT_*
    IpcFlags,        // IPC_CREAT|IPC_EXCL|0600
    ShmatFlags,      // SHM_*
    IpcMsgFlags,     // IPC_NOWAIT|MSG_NOERROR...
    SeccompFlags,    // SECCOMP_FILTER_FLAG_*
    CloseRangeFlags, // CLOSE_RANGE_*
    FallocMode,      // FALLOC_FL_*
    SpliceFlags,     // SPLICE_F_*
    Count,           // not a kind: how many there are (the kinds table has one row for each)
};

struct ArgSpec {
    Arg kind = Arg::Hex;
    std::int8_t ref = -1; // the argument this one depends on (see Arg), -1: none
    constexpr ArgSpec() = default;
    constexpr ArgSpec(Arg k, int r = -1) : kind(k), ref(static_cast<std::int8_t>(r)) {} // NOLINT
};

inline constexpr std::size_t kKindCount = static_cast<std::size_t>(Arg::Count);

// What the register holds, and when the decoder reads memory behind it.
enum class Reads : std::uint8_t {
    Register, // a number, flags or an fd: the value is the register (no memory)
    Address,  // an address the decoder does not follow (printed as the address)
    AtEntry,  // an address of memory the tracee passes in, read at the call's entry
    AtExit,   // an address of memory the kernel fills, read at the exit when the result is known
};

// What the trace filters look for in an argument.
enum class Role : std::uint8_t {
    None,
    FileName, // -P compares it with the paths
    Fd,       // -P compares its path; -y shows the path
};

class Memory;
struct Options;
namespace detail {
struct Call;
}
struct KindInfo;

// Decodes one argument at entry from its register, already cut to the kind's bits; nullopt when
// the call does not use the argument (open's mode without O_CREAT).
using EntryDecoder = std::optional<Value> (*)(const detail::Call& call, const ArgSpec& spec,
                                              int index, std::uint64_t raw, const KindInfo& kind);
// Decodes at the call's exit what the kernel wrote (Reads::AtExit); nullopt leaves the entry's
// value (the address) in place.
using ExitDecoder = std::optional<Value> (*)(Memory& memory, std::uint64_t raw, long result,
                                             const Options& options);

struct KindInfo {
    Arg kind;
    std::string_view name;   // the enumerator's name, "OpenFlags"
    unsigned bits;           // 64, 32 or 16
    Reads reads;             // value or address, and when memory is read
    Role role;               //
    const xlat::Xlat* names; // the constants it prints with, nullptr when none
    // For an enum kind the remark on an unknown value ("SEEK_???"); for a flags kind the name
    // of 0 ("F_OK", "PROT_NONE"), empty when 0 prints as 0.
    std::string_view fallback;
    EntryDecoder decode;
    ExitDecoder at_exit; // set exactly when reads is AtExit
};

// The row for a kind.
const KindInfo& kind_info(Arg kind);
// Every row, in the enum's order.
std::span<const KindInfo> kinds();

// How many bits of its register the kernel reads for this kind (see above).
unsigned kind_bits(Arg kind);
// The register is an address (Reads is not Register).
bool kind_is_pointer(Arg kind);

} // namespace decode
