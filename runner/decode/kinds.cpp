// SPDX-License-Identifier: Apache-2.0
// The kinds table (decode/kinds.hpp): one row per argument kind, in the enum's order.
#include "decode/kinds.hpp"

#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/stat.h>

#include "decode/parts.hpp"

namespace decode {
namespace {

using namespace detail;
using namespace xlat;

// ---------------------------------------------------------------- decoders at entry
// Each gets the register cut to the kind's bits.

std::optional<Value> as_int(const Call&, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    return signed_value(low_int(raw));
}
std::optional<Value> as_long(const Call&, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    return signed_value(static_cast<std::int64_t>(raw));
}
std::optional<Value> as_unsigned(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                 const KindInfo&) {
    return unsigned_value(raw);
}
std::optional<Value> as_hex(const Call&, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    return hex(raw);
}
std::optional<Value> as_octal(const Call&, const ArgSpec&, int, std::uint64_t raw,
                              const KindInfo&) {
    return octal(raw);
}
// An address the decoder does not follow, or whose memory is read at the exit.
std::optional<Value> as_address(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                const KindInfo&) {
    return pointer(raw);
}
// A named constant from the row's table; the row's fallback remarks an unknown value.
std::optional<Value> as_enum(const Call&, const ArgSpec&, int, std::uint64_t raw,
                             const KindInfo& k) {
    return enum_value(*k.names, raw, k.fallback);
}
// Flags from the row's table; the row's fallback names 0.
std::optional<Value> as_flags(const Call&, const ArgSpec&, int, std::uint64_t raw,
                              const KindInfo& k) {
    return flags_value(*k.names, raw, k.fallback);
}

std::optional<Value> fd(const Call& c, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    return fd_value(c, raw);
}
std::optional<Value> dir_fd(const Call& c, const ArgSpec&, int, std::uint64_t raw,
                            const KindInfo&) {
    return dirfd_value(c, raw);
}
std::optional<Value> mode_type(const Call&, const ArgSpec&, int, std::uint64_t raw,
                               const KindInfo&) {
    return mode_with_type(raw);
}
// mknod's dev: only for a character or block device in the mode at `ref`.
std::optional<Value> dev(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                         const KindInfo&) {
    const std::uint64_t type = low_uint(ref_value(c, spec)) & S_IFMT;
    if (type != S_IFCHR && type != S_IFBLK) return std::nullopt;
    return device(raw);
}
std::optional<Value> path(const Call& c, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    return read_cstring(c.memory, raw, c.options.path_limit);
}
std::optional<Value> str(const Call& c, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    return read_cstring(c.memory, raw, c.options.string_limit);
}
std::optional<Value> buf(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                         const KindInfo&) {
    return read_buffer(c.memory, raw, ref_value(c, spec), c.options.string_limit);
}
std::optional<Value> argv(const Call& c, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    const Options& o = c.options;
    return string_array(c.memory, raw, o, o.verbose ? kMaxArrayEntries : o.string_limit);
}
// envp: a count of variables unless -v.
std::optional<Value> envp(const Call& c, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    if (c.options.verbose) return string_array(c.memory, raw, c.options, kMaxArrayEntries);
    return environment_count(c.memory, raw, c.options);
}
std::optional<Value> sock_address(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                                  const KindInfo&) {
    return sockaddr_value(c.memory, raw, ref_value(c, spec), c.options);
}
std::optional<Value> signal_arg(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                const KindInfo&) {
    return signal_value(low_int(raw));
}
std::optional<Value> sock_proto(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                                const KindInfo&) {
    return sock_protocol(ref_value(c, spec), raw);
}
std::optional<Value> sock_opt(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                              const KindInfo&) {
    return sock_option(ref_value(c, spec), raw);
}
std::optional<Value> fcntl_argument(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                                    const KindInfo&) {
    return fcntl_arg(ref_value(c, spec), raw);
}
std::optional<Value> futex_operation(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                     const KindInfo&) {
    return futex_op(raw);
}
// futex's arguments 4..6 (index 3..5), per the op at `ref`.
std::optional<Value> futex_argument(const Call& c, const ArgSpec& spec, int index,
                                    std::uint64_t raw, const KindInfo&) {
    return futex_arg(ref_value(c, spec), index, raw);
}
std::optional<Value> prctl_argument(const Call& c, const ArgSpec& spec, int index,
                                    std::uint64_t raw, const KindInfo&) {
    return prctl_arg(c, ref_value(c, spec), index, raw);
}
std::optional<Value> ipc_key(const Call&, const ArgSpec&, int, std::uint64_t raw, const KindInfo&) {
    if (low_int(raw) == IPC_PRIVATE) return symbol("IPC_PRIVATE");
    return hex(raw);
}
// shmctl/semctl/msgctl: IPC_64, the IPC_* commands, then the row's own.
std::optional<Value> ipc_command(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                 const KindInfo& k) {
    return ipc_cmd(raw, *k.names);
}
std::optional<Value> ioctl_request(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                   const KindInfo& k) {
    if (auto name = lookup(*k.names, raw)) return symbol(*name);
    return hex(raw);
}
std::optional<Value> open_flags_(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                 const KindInfo&) {
    return open_flags(raw, true);
}
// open's mode: only with O_CREAT or O_TMPFILE in the flags at `ref`.
std::optional<Value> mode_if_create(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                                    const KindInfo&) {
    if (!open_creates(ref_value(c, spec))) return std::nullopt;
    return octal(raw);
}
// mq_open's attr: only with O_CREAT in the flags at `ref`.
std::optional<Value> pointer_if_create(const Call& c, const ArgSpec& spec, int, std::uint64_t raw,
                                       const KindInfo&) {
    if (!open_creates(ref_value(c, spec))) return std::nullopt;
    return pointer(raw);
}
std::optional<Value> fd_flags(const Call&, const ArgSpec&, int, std::uint64_t raw,
                              const KindInfo&) {
    return open_flags(raw, false);
}
std::optional<Value> statx_flags_(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                  const KindInfo&) {
    return statx_flags(raw);
}
std::optional<Value> map_flags_(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                const KindInfo&) {
    return map_flags(raw);
}
std::optional<Value> clone_flags_(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                  const KindInfo&) {
    return clone_flags(raw);
}
std::optional<Value> sock_type_(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                const KindInfo&) {
    return sock_type(raw);
}
std::optional<Value> ipc_flags_(const Call&, const ArgSpec&, int, std::uint64_t raw,
                                const KindInfo&) {
    return ipc_flags(raw);
}

// ---------------------------------------------------------------- decoders at exit

std::optional<Value> filled_buffer(Memory& memory, std::uint64_t raw, long result,
                                   const Options& o) {
    return read_buffer(memory, raw, static_cast<std::uint64_t>(result), o.string_limit);
}
std::optional<Value> filled_stat(Memory& memory, std::uint64_t raw, long result, const Options&) {
    if (result != 0) return std::nullopt;
    return stat_value(memory, raw);
}
std::optional<Value> filled_dirents(Memory& memory, std::uint64_t raw, long result,
                                    const Options&) {
    return dirents_value(memory, raw, result);
}
std::optional<Value> filled_utsname(Memory& memory, std::uint64_t raw, long result,
                                    const Options& o) {
    if (result != 0) return std::nullopt;
    return utsname_value(memory, raw, o.verbose);
}

// ---------------------------------------------------------------- the rows

#define KIND(k) Arg::k, #k

// A number, flags or an fd in the register.
constexpr KindInfo value(Arg k, std::string_view name, unsigned bits, EntryDecoder decode,
                         const Xlat* names = nullptr, Role role = Role::None) {
    return {k, name, bits, Reads::Register, role, names, {}, decode, nullptr};
}
// A named constant; `unknown` remarks a value the table does not name.
constexpr KindInfo enumeration(Arg k, std::string_view name, unsigned bits, const Xlat* names,
                               std::string_view unknown) {
    return {k, name, bits, Reads::Register, Role::None, names, unknown, as_enum, nullptr};
}
// Flags; `zero` names 0 (empty: 0 prints as 0).
constexpr KindInfo flags(Arg k, std::string_view name, unsigned bits, const Xlat* names,
                         std::string_view zero = {}) {
    return {k, name, bits, Reads::Register, Role::None, names, zero, as_flags, nullptr};
}
// An address the decoder does not follow.
constexpr KindInfo address(Arg k, std::string_view name, EntryDecoder decode = as_address) {
    return {k, name, 64, Reads::Address, Role::None, nullptr, {}, decode, nullptr};
}
// An address of memory read at entry.
constexpr KindInfo in_memory(Arg k, std::string_view name, EntryDecoder decode,
                             Role role = Role::None) {
    return {k, name, 64, Reads::AtEntry, role, nullptr, {}, decode, nullptr};
}
// An address of memory the kernel fills, read at the exit; the address at entry.
constexpr KindInfo filled(Arg k, std::string_view name, ExitDecoder at_exit) {
    return {k, name, 64, Reads::AtExit, Role::None, nullptr, {}, as_address, at_exit};
}

// Widths from the kernel's prototypes: 64 for long, unsigned long, size_t, loff_t, off_t and
// pointers; 32 for int, unsigned int and the narrower uid_t, pid_t, clockid_t, key_t, u32 (an fd
// is 32 even where a prototype says unsigned long, readv or mmap: fdget() takes unsigned int);
// 16 for umode_t (SYSCALL_DEFINE casts the register to unsigned short).
// clang-format off
constexpr KindInfo kKinds[] = {
    value(KIND(Int), 32, as_int),
    value(KIND(Long), 64, as_long),
    value(KIND(UInt), 32, as_unsigned),
    value(KIND(Unsigned), 64, as_unsigned),
    value(KIND(Hex), 64, as_hex),
    value(KIND(Hex32), 32, as_hex),
    address(KIND(Ptr)),
    address(KIND(Out)),
    filled(KIND(OutBuf), filled_buffer),
    filled(KIND(OutStat), filled_stat),
    filled(KIND(OutDirents), filled_dirents),
    filled(KIND(OutUtsname), filled_utsname),
    value(KIND(Fd), 32, fd, nullptr, Role::Fd),
    value(KIND(DirFd), 32, dir_fd, nullptr, Role::Fd),
    value(KIND(Mode), 16, as_octal),
    value(KIND(ModeType), 16, mode_type, &kFileTypes),
    value(KIND(Dev), 32, dev),
    in_memory(KIND(Path), path, Role::FileName),
    in_memory(KIND(Str), str),
    in_memory(KIND(Buf), buf),
    in_memory(KIND(Argv), argv),
    in_memory(KIND(Envp), envp),
    in_memory(KIND(SockAddr), sock_address),
    value(KIND(Signal), 32, signal_arg, &kSignals),
    enumeration(KIND(SigHow), 32, &kSigHow, "SIG_???"),
    enumeration(KIND(Whence), 32, &kWhence, "SEEK_???"),
    flags(KIND(AccessMode), 32, &kAccessMode, "F_OK"),
    enumeration(KIND(Family), 32, &kFamilies, "AF_???"),
    value(KIND(SockProto), 32, sock_proto),
    enumeration(KIND(SockLevel), 32, &kSockLevels, "SOL_???"),
    value(KIND(SockOpt), 32, sock_opt),
    enumeration(KIND(ShutHow), 32, &kShutHow, "SHUT_???"),
    enumeration(KIND(FcntlCmd), 32, &kFcntlCmds, "F_???"),
    value(KIND(FcntlArg), 64, fcntl_argument),            // unsigned long
    enumeration(KIND(EpollOp), 32, &kEpollOps, "EPOLL_CTL_???"),
    enumeration(KIND(ClockId), 32, &kClocks, "CLOCK_???"),
    value(KIND(FutexOp), 32, futex_operation, &kFutexCmds),
    value(KIND(FutexTimeout), 64, futex_argument),        // a pointer, or val2 passed as one
    value(KIND(FutexUaddr2), 64, futex_argument),         // a pointer
    value(KIND(FutexVal3), 32, futex_argument),
    enumeration(KIND(Rlimit), 32, &kRlimits, "RLIMIT_???"),
    enumeration(KIND(IdType), 32, &kIdTypes, "P_???"),
    enumeration(KIND(PrctlOption), 32, &kPrctlOptions, "PR_???"),
    value(KIND(PrctlArg), 64, prctl_argument),            // unsigned long
    enumeration(KIND(ArchPrctlCode), 32, &kArchPrctl, "ARCH_???"),
    enumeration(KIND(Madvise), 32, &kMadvise, "MADV_???"),
    enumeration(KIND(Fadvise), 32, &kFadvise, "POSIX_FADV_???"),
    value(KIND(IpcKey), 32, ipc_key),
    value(KIND(ShmCmd), 32, ipc_command, &kShmCmds),
    value(KIND(SemCmd), 32, ipc_command, &kSemCmds),
    value(KIND(MsgCmd), 32, ipc_command, &kMsgCmds),
    enumeration(KIND(SeccompOp), 32, &kSeccompOps, "SECCOMP_???"),
    enumeration(KIND(PtraceRequest), 64, &kPtraceRequests, "PTRACE_???"), // long request
    value(KIND(IoctlRequest), 32, ioctl_request, &kIoctls),
    enumeration(KIND(RusageWho), 32, &kRusageWho, "RUSAGE_???"),
    enumeration(KIND(PrioWhich), 32, &kPrioWhich, "PRIO_???"),
    enumeration(KIND(ItimerWhich), 32, &kItimerWhich, "ITIMER_???"),
    enumeration(KIND(SchedPolicy), 32, &kSchedPolicies, "SCHED_???"),
    value(KIND(OpenFlags), 32, open_flags_, &kOpenFlags),
    value(KIND(ModeIfCreate), 16, mode_if_create),
    address(KIND(PtrIfCreate), pointer_if_create),
    value(KIND(FdFlags), 32, fd_flags, &kOpenFlags),
    flags(KIND(AtFlags), 32, &kAtFlags),
    value(KIND(StatxFlags), 32, statx_flags_, &kAtFlags),
    flags(KIND(UnlinkFlags), 32, &kUnlinkFlags),
    flags(KIND(AccessAtFlags), 32, &kAccessAtFlags),
    flags(KIND(StatxMask), 32, &kStatxMask),
    flags(KIND(RenameFlags), 32, &kRenameFlags),
    flags(KIND(Prot), 64, &kProt, "PROT_NONE"),             // unsigned long
    value(KIND(MapFlags), 64, map_flags_, &kMapFlags),      // unsigned long
    flags(KIND(MremapFlags), 64, &kMremapFlags),            // unsigned long
    flags(KIND(MsyncFlags), 32, &kMsyncFlags),
    flags(KIND(MlockFlags), 32, &kMlockFlags),
    flags(KIND(MlockallFlags), 32, &kMlockallFlags),
    value(KIND(CloneFlags), 64, clone_flags_, &kCloneFlags), // unsigned long
    flags(KIND(NsFlags), 64, &kNsFlags),                    // unshare: unsigned long
    flags(KIND(NsType), 32, &kNsFlags),                     // setns: int
    value(KIND(SockType), 32, sock_type_, &kSockTypes),
    flags(KIND(SockFlags), 32, &kSockFlags),
    flags(KIND(MsgFlags), 32, &kMsgFlags),
    flags(KIND(WaitOptions), 32, &kWaitOptions),
    flags(KIND(EpollFlags), 32, &kEpollFlags),
    flags(KIND(EventfdFlags), 32, &kEventfdFlags),
    flags(KIND(SignalfdFlags), 32, &kSignalfdFlags),
    flags(KIND(TimerfdFlags), 32, &kTimerfdFlags),
    flags(KIND(TimerfdSetFlags), 32, &kTimerfdSetFlags),
    flags(KIND(TimerFlags), 32, &kTimerFlags),
    flags(KIND(InotifyFlags), 32, &kInotifyFlags),
    flags(KIND(InotifyMask), 32, &kInotifyMask),
    flags(KIND(MemfdFlags), 32, &kMemfdFlags),
    flags(KIND(PidfdFlags), 32, &kPidfdFlags),
    flags(KIND(RandomFlags), 32, &kRandomFlags),
    flags(KIND(FlockOp), 32, &kFlockOps),
    flags(KIND(MountFlags), 64, &kMountFlags),              // unsigned long
    flags(KIND(UmountFlags), 32, &kUmountFlags),
    value(KIND(IpcFlags), 32, ipc_flags_, &kIpcFlags),
    flags(KIND(ShmatFlags), 32, &kShmatFlags),
    flags(KIND(IpcMsgFlags), 32, &kIpcMsgFlags),
    flags(KIND(SeccompFlags), 32, &kSeccompFlags),
    flags(KIND(CloseRangeFlags), 32, &kCloseRangeFlags),
    flags(KIND(FallocMode), 32, &kFallocModes),
    flags(KIND(SpliceFlags), 32, &kSpliceFlags),
};
// clang-format on
#undef KIND

// Every kind has one row, in the enum's order, and every row is whole.
consteval bool rows_complete() {
    for (std::size_t i = 0; i < std::size(kKinds); ++i) {
        const KindInfo& k = kKinds[i];
        if (k.kind != static_cast<Arg>(i)) return false;
        if (k.bits != 16 && k.bits != 32 && k.bits != 64) return false;
        if (k.decode == nullptr) return false;
        if ((k.reads == Reads::AtExit) != (k.at_exit != nullptr)) return false;
        if (k.reads != Reads::Register && k.bits != 64) return false; // addresses are 64 bits
        // (That a table-driven row has its table is checked by the unit tests: whether the
        // address of an extern table is null is no constant expression under -fsanitize.)
    }
    return true;
}
static_assert(std::size(kKinds) == kKindCount, "every argument kind needs a row in kKinds");
static_assert(rows_complete(), "kKinds: a row out of the enum's order or incomplete");

} // namespace

const KindInfo& kind_info(Arg kind) {
    const auto i = static_cast<std::size_t>(kind);
    return kKinds[i < kKindCount ? i : static_cast<std::size_t>(Arg::Hex)];
}

std::span<const KindInfo> kinds() {
    return kKinds;
}

unsigned kind_bits(Arg kind) {
    return kind_info(kind).bits;
}

bool kind_is_pointer(Arg kind) {
    return kind_info(kind).reads != Reads::Register;
}

} // namespace decode
