// SPDX-License-Identifier: Apache-2.0
#include "decode/syscalls.hpp"

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <unordered_map>

#include "util/suggest.hpp"

namespace decode {
namespace {

using enum Arg;

// Class shorthands for the rows.
constexpr unsigned F = cls::File;
constexpr unsigned D = cls::Desc;
constexpr unsigned N = cls::Network;
constexpr unsigned P = cls::Process;
constexpr unsigned S = cls::Signal;
constexpr unsigned I = cls::Ipc;
constexpr unsigned M = cls::Memory;
constexpr unsigned C = cls::Creds;
constexpr unsigned K = cls::Clock;

// One row. Checked at compile time: at most six arguments, every `ref` names another argument.
consteval SyscallInfo row(std::string_view name, std::initializer_list<ArgSpec> args,
                          unsigned classes = 0, Ret ret = Ret::Signed) {
    if (args.size() > 6) throw std::logic_error("a syscall has at most six arguments");
    SyscallInfo s;
    s.name = name;
    s.nargs = args.size();
    s.classes = classes;
    s.ret = ret;
    std::size_t i = 0;
    for (const auto& a : args) {
        if (a.ref >= static_cast<int>(args.size()) || a.ref == static_cast<int>(i))
            throw std::logic_error("ref must name another argument of the same syscall");
        s.args[i++] = a;
    }
    return s;
}

// clang-format off
constexpr SyscallInfo kTable[] = {
    // ---- files and descriptors
    row("read", {Fd, OutBuf, Unsigned}, D),
    row("write",             {Fd, {Buf, 2}, Unsigned}, D),
    row("open",              {Path, OpenFlags, {ModeIfCreate, 1}}, D | F),
    row("openat",            {DirFd, Path, OpenFlags, {ModeIfCreate, 2}}, D | F),
    row("openat2",           {DirFd, Path, Ptr, Unsigned}, D | F),
    row("creat",             {Path, Mode}, D | F),
    row("close",             {Fd}, D),
    row("close_range",       {UInt, UInt, CloseRangeFlags}, D),
    row("stat", {Path, OutStat}, F),
    row("lstat", {Path, OutStat}, F),
    row("fstat", {Fd, OutStat}, D),
    row("newfstatat", {DirFd, Path, OutStat, AtFlags}, D | F),
    row("statx",             {DirFd, Path, StatxFlags, StatxMask, Out}, D | F),
    row("access",            {Path, AccessMode}, F),
    row("faccessat",         {DirFd, Path, AccessMode}, D | F),
    row("faccessat2",        {DirFd, Path, AccessMode, AccessAtFlags}, D | F),
    row("lseek",             {Fd, Long, Whence}, D),
    row("ioctl",             {Fd, IoctlRequest, Hex}, D),
    row("pread64", {Fd, OutBuf, Unsigned, Long}, D),
    row("pwrite64",          {Fd, {Buf, 2}, Unsigned, Long}, D),
    row("readv",             {Fd, Ptr, Unsigned}, D),
    row("writev",            {Fd, Ptr, Unsigned}, D),
    row("preadv",            {Fd, Ptr, Unsigned, Long, Long}, D),
    row("pwritev",           {Fd, Ptr, Unsigned, Long, Long}, D),
    row("preadv2",           {Fd, Ptr, Unsigned, Long, Long, Hex32}, D),
    row("pwritev2",          {Fd, Ptr, Unsigned, Long, Long, Hex32}, D),
    row("pipe",              {Out}, D),
    row("pipe2",             {Out, FdFlags}, D),
    row("dup",               {Fd}, D),
    row("dup2",              {Fd, Fd}, D),
    row("dup3",              {Fd, Fd, FdFlags}, D),
    row("fcntl",             {Fd, FcntlCmd, {FcntlArg, 1}}, D),
    row("flock",             {Fd, FlockOp}, D),
    row("fsync",             {Fd}, D),
    row("fdatasync",         {Fd}, D),
    row("sync",              {}),
    row("syncfs",            {Fd}, D),
    row("sync_file_range",   {Fd, Long, Long, UInt}, D),
    row("truncate",          {Path, Long}, F),
    row("ftruncate",         {Fd, Long}, D),
    row("fallocate",         {Fd, FallocMode, Long, Long}, D),
    row("fadvise64",         {Fd, Long, Long, Fadvise}, D),
    row("readahead",         {Fd, Long, Unsigned}, D),
    row("getdents",          {Fd, Out, UInt}, D),
    row("getdents64", {Fd, OutDirents, UInt}, D),
    row("getcwd",            {Out, Unsigned}, F),
    row("chdir",             {Path}, F),
    row("fchdir",            {Fd}, D),
    row("chroot",            {Path}, F),
    row("pivot_root",        {Path, Path}, F),
    row("rename",            {Path, Path}, F),
    row("renameat",          {DirFd, Path, DirFd, Path}, D | F),
    row("renameat2",         {DirFd, Path, DirFd, Path, RenameFlags}, D | F),
    row("mkdir",             {Path, Mode}, F),
    row("mkdirat",           {DirFd, Path, Mode}, D | F),
    row("rmdir",             {Path}, F),
    row("link",              {Path, Path}, F),
    row("linkat",            {DirFd, Path, DirFd, Path, AtFlags}, D | F),
    row("unlink",            {Path}, F),
    row("unlinkat",          {DirFd, Path, UnlinkFlags}, D | F),
    row("symlink",           {Path, Path}, F),
    row("symlinkat",         {Path, DirFd, Path}, D | F),
    row("readlink",          {Path, Out, Int}, F),
    row("readlinkat",        {DirFd, Path, Out, Int}, D | F),
    row("chmod",             {Path, Mode}, F),
    row("fchmod",            {Fd, Mode}, D),
    row("fchmodat",          {DirFd, Path, Mode}, D | F),
    row("chown",             {Path, Int, Int}, F),
    row("fchown",            {Fd, Int, Int}, D),
    row("lchown",            {Path, Int, Int}, F),
    row("fchownat",          {DirFd, Path, Int, Int, AtFlags}, D | F),
    row("umask",             {Mode}, 0, Ret::Octal),
    row("utime",             {Path, Ptr}, F),
    row("utimes",            {Path, Ptr}, F),
    row("futimesat",         {DirFd, Path, Ptr}, D | F),
    row("utimensat",         {DirFd, Path, Ptr, AtFlags}, D | F),
    row("mknod",             {Path, ModeType, {Dev, 1}}, F),
    row("mknodat",           {DirFd, Path, ModeType, {Dev, 2}}, D | F),
    row("statfs",            {Path, Out}, F),
    row("fstatfs",           {Fd, Out}, D),
    row("mount",             {Str, Path, Str, MountFlags, Ptr}, F),
    row("umount2",           {Path, UmountFlags}, F),
    row("getxattr",          {Path, Str, Out, Unsigned}, F),
    row("lgetxattr",         {Path, Str, Out, Unsigned}, F),
    row("fgetxattr",         {Fd, Str, Out, Unsigned}, D),
    row("setxattr",          {Path, Str, {Buf, 3}, Unsigned, Hex32}, F),
    row("lsetxattr",         {Path, Str, {Buf, 3}, Unsigned, Hex32}, F),
    row("fsetxattr",         {Fd, Str, {Buf, 3}, Unsigned, Hex32}, D),
    row("listxattr",         {Path, Out, Unsigned}, F),
    row("flistxattr",        {Fd, Out, Unsigned}, D),
    row("removexattr",       {Path, Str}, F),
    row("fremovexattr",      {Fd, Str}, D),
    row("inotify_init",      {}, D),
    row("inotify_init1",     {InotifyFlags}, D),
    row("inotify_add_watch", {Fd, Path, InotifyMask}, D | F),
    row("inotify_rm_watch",  {Fd, Int}, D),
    row("copy_file_range",   {Fd, Ptr, Fd, Ptr, Unsigned, UInt}, D),
    row("sendfile",          {Fd, Fd, Ptr, Unsigned}, D | N),
    row("splice",            {Fd, Ptr, Fd, Ptr, Unsigned, SpliceFlags}, D),
    row("tee",               {Fd, Fd, Unsigned, SpliceFlags}, D),
    row("vmsplice",          {Fd, Ptr, Unsigned, SpliceFlags}, D),
    row("memfd_create",      {Str, MemfdFlags}, D),
    row("acct",              {Path}, F),
    row("swapon",            {Path, Hex32}, F),
    row("swapoff",           {Path}, F),
    row("name_to_handle_at", {DirFd, Path, Out, Out, AtFlags}, D | F),
    row("open_by_handle_at", {Fd, Ptr, OpenFlags}, D),
    // ---- polling and event fds
    row("poll",              {Ptr, UInt, Int}, D),
    row("ppoll",             {Ptr, UInt, Ptr, Ptr, Unsigned}, D),
    row("select",            {Int, Ptr, Ptr, Ptr, Ptr}, D),
    row("pselect6",          {Int, Ptr, Ptr, Ptr, Ptr, Ptr}, D),
    row("epoll_create",      {Int}, D),
    row("epoll_create1",     {EpollFlags}, D),
    row("epoll_ctl",         {Fd, EpollOp, Fd, Ptr}, D),
    row("epoll_wait",        {Fd, Out, Int, Int}, D),
    row("epoll_pwait",       {Fd, Out, Int, Int, Ptr, Unsigned}, D),
    row("epoll_pwait2",      {Fd, Out, Int, Ptr, Ptr, Unsigned}, D),
    row("eventfd",           {UInt}, D),
    row("eventfd2",          {UInt, EventfdFlags}, D),
    row("signalfd",          {Fd, Ptr, Unsigned}, D | S),
    row("signalfd4",         {Fd, Ptr, Unsigned, SignalfdFlags}, D | S),
    row("timerfd_create",    {ClockId, TimerfdFlags}, D),
    row("timerfd_settime",   {Fd, TimerfdSetFlags, Ptr, Out}, D),
    row("timerfd_gettime",   {Fd, Out}, D),
    row("io_uring_setup",    {UInt, Ptr}, D),
    row("io_uring_enter",    {Fd, UInt, UInt, Hex32, Ptr, Unsigned}, D | S),
    row("io_uring_register", {Fd, UInt, Ptr, UInt}, D | M),
    // ---- memory
    row("mmap",              {Ptr, Unsigned, Prot, MapFlags, Fd, Hex}, D | M, Ret::Hex),
    row("mprotect",          {Ptr, Unsigned, Prot}, M),
    row("pkey_mprotect",     {Ptr, Unsigned, Prot, Int}, M),
    row("munmap",            {Ptr, Unsigned}, M),
    row("brk",               {Ptr}, M, Ret::Hex),
    row("mremap",            {Ptr, Unsigned, Unsigned, MremapFlags, Ptr}, M, Ret::Hex),
    row("madvise",           {Ptr, Unsigned, Madvise}, M),
    row("msync",             {Ptr, Unsigned, MsyncFlags}, M),
    row("mincore",           {Ptr, Unsigned, Out}, M),
    row("mlock",             {Ptr, Unsigned}, M),
    row("mlock2",            {Ptr, Unsigned, MlockFlags}, M),
    row("munlock",           {Ptr, Unsigned}, M),
    row("mlockall",          {MlockallFlags}, M),
    row("munlockall",        {}, M),
    // ---- network
    row("socket",            {Family, SockType, {SockProto, 0}}, N),
    row("socketpair",        {Family, SockType, {SockProto, 0}, Out}, N),
    row("connect",           {Fd, {SockAddr, 2}, Int}, N),
    row("accept",            {Fd, Out, Out}, N),
    row("accept4",           {Fd, Out, Out, SockFlags}, N),
    row("bind",              {Fd, {SockAddr, 2}, Int}, N),
    row("listen",            {Fd, Int}, N),
    row("getsockname",       {Fd, Out, Out}, N),
    row("getpeername",       {Fd, Out, Out}, N),
    row("sendto",            {Fd, {Buf, 2}, Unsigned, MsgFlags, {SockAddr, 5}, Int}, N),
    row("recvfrom",          {Fd, Out, Unsigned, MsgFlags, Out, Out}, N),
    row("sendmsg",           {Fd, Ptr, MsgFlags}, N),
    row("recvmsg",           {Fd, Out, MsgFlags}, N),
    row("sendmmsg",          {Fd, Ptr, UInt, MsgFlags}, N),
    row("recvmmsg",          {Fd, Out, UInt, MsgFlags, Ptr}, N),
    row("shutdown",          {Fd, ShutHow}, N),
    row("setsockopt",        {Fd, SockLevel, {SockOpt, 1}, Ptr, Int}, N),
    row("getsockopt",        {Fd, SockLevel, {SockOpt, 1}, Out, Out}, N),
    // ---- processes
    row("clone",             {CloneFlags, Ptr, Ptr, Ptr, Hex}, P),
    row("clone3",            {Ptr, Unsigned}, P),
    row("fork",              {}, P),
    row("vfork",             {}, P),
    row("execve",            {Path, Argv, Envp}, F | P),
    row("execveat",          {DirFd, Path, Argv, Envp, AtFlags}, D | F | P),
    row("exit",              {Int}, P),
    row("exit_group",        {Int}, P),
    row("wait4",             {Int, Out, WaitOptions, Out}, P),
    row("waitid",            {IdType, Int, Out, WaitOptions, Out}, P),
    row("kill",              {Int, Signal}, P | S),
    row("tkill",             {Int, Signal}, P | S),
    row("tgkill",            {Int, Int, Signal}, P | S),
    row("unshare",           {NsFlags}, P),
    row("setns",             {Fd, NsType}, D | P),
    row("pidfd_open",        {Int, PidfdFlags}, D),
    row("pidfd_send_signal", {Fd, Signal, Ptr, UInt}, D | P | S),
    row("pidfd_getfd",       {Fd, Int, UInt}, D),
    row("getpid",            {}),
    row("getppid",           {}),
    row("gettid",            {}),
    row("getpgrp",           {}),
    row("setsid",            {}),
    row("getsid",            {Int}),
    row("setpgid",           {Int, Int}),
    row("getpgid",           {Int}),
    row("set_tid_address",   {Ptr}),
    row("set_robust_list",   {Ptr, Unsigned}),
    row("get_robust_list",   {Int, Out, Out}),
    row("rseq",              {Ptr, UInt, Hex32, Hex32}),
    row("futex",             {Ptr, FutexOp, UInt, {FutexTimeout, 1}, {FutexUaddr2, 1}, {FutexVal3, 1}}),
    row("prctl",             {PrctlOption, {PrctlArg, 0}, {PrctlArg, 0}, {PrctlArg, 0}, {PrctlArg, 0}}, C),
    row("arch_prctl",        {ArchPrctlCode, Hex}),
    row("personality",       {Hex32}),
    row("seccomp",           {SeccompOp, SeccompFlags, Ptr}),
    row("ptrace",            {PtraceRequest, Long, Ptr, Hex}),
    row("process_vm_readv",  {Int, Ptr, Unsigned, Ptr, Unsigned, Unsigned}),
    row("process_vm_writev", {Int, Ptr, Unsigned, Ptr, Unsigned, Unsigned}),
    row("kcmp",              {Int, Int, Int, Hex, Hex}),
    row("getrlimit",         {Rlimit, Out}),
    row("setrlimit",         {Rlimit, Ptr}),
    row("prlimit64",         {Int, Rlimit, Ptr, Out}),
    row("getrusage",         {RusageWho, Out}),
    row("getpriority",       {PrioWhich, Int}),
    row("setpriority",       {PrioWhich, Int, Int}),
    row("sched_yield",       {}),
    row("sched_getaffinity", {Int, UInt, Out}),
    row("sched_setaffinity", {Int, UInt, Ptr}),
    row("sched_getscheduler", {Int}),
    row("sched_setscheduler", {Int, SchedPolicy, Ptr}),
    row("sched_getparam",    {Int, Out}),
    row("sched_setparam",    {Int, Ptr}),
    row("sched_get_priority_max", {SchedPolicy}),
    row("sched_get_priority_min", {SchedPolicy}),
    row("getcpu",            {Out, Out, Ptr}),
    row("uname",             {OutUtsname}),
    row("sysinfo",           {Out}),
    row("sethostname",       {{Buf, 1}, Int}),
    row("setdomainname",     {{Buf, 1}, Int}),
    row("getrandom",         {Out, Unsigned, RandomFlags}),
    row("times",             {Out}),
    row("reboot",            {Hex32, Hex32, Hex32, Ptr}),
    // ---- credentials
    row("getuid",            {}, C),
    row("geteuid",           {}, C),
    row("getgid",            {}, C),
    row("getegid",           {}, C),
    row("setuid",            {Int}, C),
    row("setgid",            {Int}, C),
    row("setreuid",          {Int, Int}, C),
    row("setregid",          {Int, Int}, C),
    row("setresuid",         {Int, Int, Int}, C),
    row("setresgid",         {Int, Int, Int}, C),
    row("getresuid",         {Out, Out, Out}, C),
    row("getresgid",         {Out, Out, Out}, C),
    row("setfsuid",          {Int}, C),
    row("setfsgid",          {Int}, C),
    row("getgroups",         {Int, Out}, C),
    row("setgroups",         {Int, Ptr}, C),
    row("capget",            {Ptr, Out}, C),
    row("capset",            {Ptr, Ptr}, C),
    // ---- time
    row("nanosleep",         {Ptr, Out}),
    row("clock_nanosleep",   {ClockId, TimerFlags, Ptr, Out}),
    row("clock_gettime",     {ClockId, Out}, K),
    row("clock_settime",     {ClockId, Ptr}, K),
    row("clock_getres",      {ClockId, Out}, K),
    row("clock_adjtime",     {ClockId, Ptr}, K),
    row("gettimeofday",      {Out, Out}, K),
    row("settimeofday",      {Ptr, Ptr}, K),
    row("time",              {Out}, K),
    row("adjtimex",          {Ptr}, K),
    row("alarm",             {UInt}),
    row("getitimer",         {ItimerWhich, Out}),
    row("setitimer",         {ItimerWhich, Ptr, Out}),
    row("timer_create",      {ClockId, Ptr, Out}),
    row("timer_settime",     {Int, TimerFlags, Ptr, Out}),
    row("timer_gettime",     {Int, Out}),
    row("timer_getoverrun",  {Int}),
    row("timer_delete",      {Int}),
    // ---- signals
    row("rt_sigaction",      {Signal, Ptr, Out, Unsigned}, S),
    row("rt_sigprocmask",    {SigHow, Ptr, Out, Unsigned}, S),
    row("rt_sigreturn",      {}, S),
    row("rt_sigsuspend",     {Ptr, Unsigned}, S),
    row("rt_sigpending",     {Out, Unsigned}, S),
    row("rt_sigtimedwait",   {Ptr, Out, Ptr, Unsigned}, S),
    row("rt_sigqueueinfo",   {Int, Signal, Ptr}, P | S),
    row("rt_tgsigqueueinfo", {Int, Int, Signal, Ptr}, P | S),
    row("sigaltstack",       {Ptr, Out}, S),
    row("pause",             {}, S),
    // ---- System V IPC and POSIX message queues
    row("shmget",            {IpcKey, Unsigned, IpcFlags}, I),
    row("shmat",             {Int, Ptr, ShmatFlags}, I | M, Ret::Hex),
    row("shmdt",             {Ptr}, I | M),
    row("shmctl",            {Int, ShmCmd, Ptr}, I),
    row("semget",            {IpcKey, Int, IpcFlags}, I),
    row("semop",             {Int, Ptr, UInt}, I),
    row("semtimedop",        {Int, Ptr, UInt, Ptr}, I),
    row("semctl",            {Int, Int, SemCmd, Hex}, I),
    row("msgget",            {IpcKey, IpcFlags}, I),
    row("msgsnd",            {Int, Ptr, Unsigned, IpcMsgFlags}, I),
    row("msgrcv",            {Int, Out, Unsigned, Long, IpcMsgFlags}, I),
    row("msgctl",            {Int, MsgCmd, Ptr}, I),
    row("mq_open",           {Str, OpenFlags, {ModeIfCreate, 1}, {PtrIfCreate, 1}}, D | I),
    row("mq_unlink",         {Str}, I),
    row("mq_timedsend",      {Fd, {Buf, 2}, Unsigned, UInt, Ptr}, D | I),
    row("mq_timedreceive",   {Fd, Out, Unsigned, Out, Ptr}, D | I),
    row("mq_notify",         {Fd, Ptr}, D | I),
    row("mq_getsetattr",     {Fd, Ptr, Out}, D | I),
    // ---- security and kernel interfaces
    row("bpf",               {Int, Ptr, UInt}, D),
    row("perf_event_open",   {Ptr, Int, Int, Fd, Hex}, D),
    row("userfaultfd",       {FdFlags}, D),
    row("landlock_create_ruleset", {Ptr, Unsigned, Hex32}, D),
    row("landlock_add_rule", {Fd, Int, Ptr, Hex32}, D),
    row("landlock_restrict_self", {Fd, Hex32}, D),
    row("membarrier",        {Int, UInt, Int}),
};
// clang-format on

constexpr std::string_view kClassNames[] = {"%file", "%desc",   "%network", "%process", "%signal",
                                            "%ipc",  "%memory", "%creds",   "%clock"};
constexpr unsigned kClassBits[] = {F, D, N, P, S, I, M, C, K};

// 0 when the name is not a class.
unsigned class_bit(std::string_view cls) {
    if (cls == "%net") cls = "%network";
    for (std::size_t i = 0; i < std::size(kClassNames); ++i)
        if (cls == kClassNames[i]) return kClassBits[i];
    return 0;
}

} // namespace

const SyscallInfo* find(std::string_view name) {
    static const auto index = [] {
        std::unordered_map<std::string_view, const SyscallInfo*> m;
        for (const auto& s : kTable) m.emplace(s.name, &s);
        return m;
    }();
    auto it = index.find(name);
    return it == index.end() ? nullptr : it->second;
}

std::span<const SyscallInfo> table() {
    return kTable;
}

std::size_t table_size() {
    return std::size(kTable);
}

std::vector<std::string_view> names() {
    std::vector<std::string_view> out;
    out.reserve(std::size(kTable));
    for (const auto& row : kTable) out.push_back(row.name);
    return out;
}

std::string did_you_mean(std::string_view name) {
    return util::did_you_mean(name, names());
}

std::vector<std::string_view> class_names() {
    return {std::begin(kClassNames), std::end(kClassNames)};
}

bool is_class(std::string_view cls) {
    return class_bit(cls) != 0;
}

std::vector<std::string> class_members(std::string_view cls) {
    std::vector<std::string> out;
    const unsigned bit = class_bit(cls);
    if (bit == 0) return out;
    for (const auto& s : kTable)
        if ((s.classes & bit) != 0) out.emplace_back(s.name);
    return out;
}

std::vector<std::string_view> classes_of(const SyscallInfo& info) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < std::size(kClassNames); ++i)
        if ((info.classes & kClassBits[i]) != 0) out.push_back(kClassNames[i]);
    return out;
}

unsigned argument_bits(std::string_view name, unsigned index) {
    const SyscallInfo* info = find(name);
    if (info == nullptr || index >= info->nargs) return 0;
    return kind_bits(info->args[index].kind);
}

bool argument_is_32bit(std::string_view name, unsigned index) {
    const unsigned bits = argument_bits(name, index);
    return bits != 0 && bits <= 32;
}

} // namespace decode
