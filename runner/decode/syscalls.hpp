// SPDX-License-Identifier: Apache-2.0
#pragma once
// THE syscall table: for each syscall name (libseccomp's spelling; numbers come from libseccomp),
// what kind each argument is and which trace classes the syscall belongs to. How a kind is decoded
// lives in decode/decoder.cpp; how a decoded value looks lives in output/. Adding a syscall is one
// row in syscalls.cpp (plus one test line).
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
};

struct ArgSpec {
    Arg kind = Arg::Hex;
    std::int8_t ref = -1; // the argument this one depends on (see Arg), -1: none
    constexpr ArgSpec() = default;
    constexpr ArgSpec(Arg k, int r = -1) : kind(k), ref(static_cast<std::int8_t>(r)) {} // NOLINT
};

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

// How many bits of its register the kernel reads for an argument of this kind, from the kernel's
// prototypes: 64 for long, unsigned long, size_t, loff_t and pointers; 32 for int and unsigned int
// (an fd, ioctl's cmd, open's flags, a signal); 16 for umode_t (modes). The one table of widths:
// the decoder reads that many bits (as the kernel acts on them), `run --strict-args` narrows
// comparisons to them, and lint reports conditions whose verdict the ignored high bits can change
// (a seccomp filter sees all 64 bits: CVE-2019-10063, TIOCSTI with high bits set). Every kind has
// a width: a kind left out of the switch is a -Wswitch error in the dev build.
unsigned kind_bits(Arg kind);
// The width of argument `index` of `name`; 0 when the table does not know the syscall or it has
// fewer arguments.
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
