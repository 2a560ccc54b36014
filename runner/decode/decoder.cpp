// SPDX-License-Identifier: Apache-2.0
#include "decode/decoder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "decode/syscalls.hpp"

namespace decode {
namespace {

// ---------------------------------------------------------------- constant tables
// Values come from the system headers where glibc has them (so they are right for the build's
// architecture), literals from include/uapi otherwise. Order is strace's print order; entries
// covering several bits come before the single bits they contain.

struct Named {
    std::uint64_t value;
    std::string_view name;
};
using Xlat = std::span<const Named>;

// clang-format off
#define X(c) Named{static_cast<std::uint64_t>(c), #c}

constexpr Named kOpenAccess[] = {X(O_RDONLY), X(O_WRONLY), X(O_RDWR), X(O_ACCMODE)};
constexpr Named kOpenFlags[] = {
    X(O_CREAT),    X(O_EXCL),     X(O_NOCTTY),   X(O_TRUNC),   X(O_APPEND), X(O_NONBLOCK),
    X(O_SYNC),     X(O_DSYNC),    X(O_DIRECT),
#if defined(__x86_64__) || defined(__i386__)
    {0100000, "O_LARGEFILE"}, // the kernel's value; glibc defines O_LARGEFILE as 0 on 64-bit
#endif
    X(O_NOFOLLOW), X(O_NOATIME),  X(O_CLOEXEC),  X(O_PATH),    X(O_TMPFILE), X(O_DIRECTORY),
    {O_ASYNC, "FASYNC"}};
constexpr Named kAtFlags[] = {X(AT_SYMLINK_NOFOLLOW), X(AT_SYMLINK_FOLLOW), X(AT_NO_AUTOMOUNT),
                              X(AT_EMPTY_PATH), {0x8000, "AT_RECURSIVE"}};
constexpr Named kStatxSync[] = {X(AT_STATX_SYNC_AS_STAT), X(AT_STATX_FORCE_SYNC),
                                X(AT_STATX_DONT_SYNC)};
constexpr Named kUnlinkFlags[] = {X(AT_REMOVEDIR)};
constexpr Named kAccessAtFlags[] = {X(AT_SYMLINK_NOFOLLOW), X(AT_EACCESS), X(AT_EMPTY_PATH)};
constexpr Named kStatxMask[] = {
    {0xfff, "STATX_ALL"},    {0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"},
    {0x2, "STATX_MODE"},     {0x4, "STATX_NLINK"},         {0x8, "STATX_UID"},
    {0x10, "STATX_GID"},     {0x20, "STATX_ATIME"},        {0x40, "STATX_MTIME"},
    {0x80, "STATX_CTIME"},   {0x100, "STATX_INO"},         {0x200, "STATX_SIZE"},
    {0x400, "STATX_BLOCKS"}, {0x800, "STATX_BTIME"},       {0x1000, "STATX_MNT_ID"},
    {0x2000, "STATX_DIOALIGN"}};
constexpr Named kRenameFlags[] = {{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"},
                                  {4, "RENAME_WHITEOUT"}};
constexpr Named kAccessMode[] = {X(R_OK), X(W_OK), X(X_OK)};
constexpr Named kWhence[] = {X(SEEK_SET), X(SEEK_CUR), X(SEEK_END), X(SEEK_DATA), X(SEEK_HOLE)};
constexpr Named kFileTypes[] = {X(S_IFREG), X(S_IFDIR), X(S_IFCHR), X(S_IFBLK),
                                X(S_IFIFO), X(S_IFLNK), X(S_IFSOCK)};

constexpr Named kProt[] = {X(PROT_READ), X(PROT_WRITE), X(PROT_EXEC), {0x8, "PROT_SEM"},
                           X(PROT_GROWSDOWN), X(PROT_GROWSUP)};
constexpr Named kMapType[] = {{0, "MAP_FILE"}, X(MAP_SHARED), X(MAP_PRIVATE),
                              X(MAP_SHARED_VALIDATE)};
constexpr Named kMapFlags[] = {
    X(MAP_FIXED),     X(MAP_ANONYMOUS),
#ifdef MAP_32BIT
    X(MAP_32BIT),
#endif
    X(MAP_GROWSDOWN), X(MAP_DENYWRITE), X(MAP_EXECUTABLE), X(MAP_LOCKED),
    X(MAP_NORESERVE), X(MAP_POPULATE),  X(MAP_NONBLOCK),   X(MAP_STACK),
    X(MAP_HUGETLB),   X(MAP_SYNC),      X(MAP_FIXED_NOREPLACE)};
constexpr Named kMremapFlags[] = {{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"},
                                  {4, "MREMAP_DONTUNMAP"}};
constexpr Named kMsyncFlags[] = {X(MS_ASYNC), X(MS_INVALIDATE), X(MS_SYNC)};
constexpr Named kMlockFlags[] = {{1, "MLOCK_ONFAULT"}};
constexpr Named kMlockallFlags[] = {X(MCL_CURRENT), X(MCL_FUTURE), {4, "MCL_ONFAULT"}};
constexpr Named kMadvise[] = {
    X(MADV_NORMAL),         X(MADV_RANDOM),          X(MADV_SEQUENTIAL),    X(MADV_WILLNEED),
    X(MADV_DONTNEED),       {8, "MADV_FREE"},        X(MADV_REMOVE),        X(MADV_DONTFORK),
    X(MADV_DOFORK),         X(MADV_MERGEABLE),       X(MADV_UNMERGEABLE),   X(MADV_HUGEPAGE),
    X(MADV_NOHUGEPAGE),     X(MADV_DONTDUMP),        X(MADV_DODUMP),        {18, "MADV_WIPEONFORK"},
    {19, "MADV_KEEPONFORK"}, {20, "MADV_COLD"},      {21, "MADV_PAGEOUT"},  {22, "MADV_POPULATE_READ"},
    {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"},
    X(MADV_HWPOISON),       {101, "MADV_SOFT_OFFLINE"}};
constexpr Named kFadvise[] = {X(POSIX_FADV_NORMAL), X(POSIX_FADV_RANDOM), X(POSIX_FADV_SEQUENTIAL),
                              X(POSIX_FADV_WILLNEED), X(POSIX_FADV_DONTNEED), X(POSIX_FADV_NOREUSE)};

// Low byte (exit signal) handled apart; 0x400000 (CLONE_DETACHED) is ignored by the kernel and
// strace prints it as a number too.
constexpr Named kCloneFlags[] = {
    {0x100, "CLONE_VM"},               {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},            {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"},           {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},           {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"},         {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"},        {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x800000, "CLONE_UNTRACED"},      {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"},    {0x4000000, "CLONE_NEWUTS"},
    {0x8000000, "CLONE_NEWIPC"},       {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},      {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},          {0x100000000, "CLONE_CLEAR_SIGHAND"},
    {0x200000000, "CLONE_INTO_CGROUP"}};
// unshare/setns: the namespace bits, plus what unshare also accepts.
constexpr Named kNsFlags[] = {
    {0x80, "CLONE_NEWTIME"},       {0x100, "CLONE_VM"},         {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},        {0x800, "CLONE_SIGHAND"},    {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},      {0x40000, "CLONE_SYSVSEM"},  {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},   {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},  {0x40000000, "CLONE_NEWNET"}};

constexpr Named kSignals[] = {
    X(SIGHUP),  X(SIGINT),  X(SIGQUIT),   X(SIGILL),  X(SIGTRAP), X(SIGABRT), X(SIGBUS),
    X(SIGFPE),  X(SIGKILL), X(SIGUSR1),   X(SIGSEGV), X(SIGUSR2), X(SIGPIPE), X(SIGALRM),
    X(SIGTERM),
#ifdef SIGSTKFLT
    X(SIGSTKFLT),
#endif
    X(SIGCHLD), X(SIGCONT), X(SIGSTOP),   X(SIGTSTP), X(SIGTTIN), X(SIGTTOU), X(SIGURG),
    X(SIGXCPU), X(SIGXFSZ), X(SIGVTALRM), X(SIGPROF), X(SIGWINCH), X(SIGIO),  X(SIGPWR),
    X(SIGSYS)};
constexpr int kSigRtMin = 32; // the kernel's; glibc reserves the first two for itself
constexpr int kSigRtMax = 64;
constexpr Named kSigHow[] = {X(SIG_BLOCK), X(SIG_UNBLOCK), X(SIG_SETMASK)};

constexpr Named kFamilies[] = {
    X(AF_UNSPEC),     X(AF_UNIX),      X(AF_INET),     X(AF_AX25),     X(AF_IPX),
    X(AF_APPLETALK),  X(AF_NETROM),    X(AF_BRIDGE),   X(AF_ATMPVC),   X(AF_X25),
    X(AF_INET6),      X(AF_ROSE),      X(AF_DECnet),   X(AF_NETBEUI),  X(AF_SECURITY),
    X(AF_KEY),        X(AF_NETLINK),   X(AF_PACKET),   X(AF_ASH),      X(AF_ECONET),
    X(AF_ATMSVC),     X(AF_RDS),       X(AF_SNA),      X(AF_IRDA),     X(AF_PPPOX),
    X(AF_WANPIPE),    X(AF_LLC),       X(AF_IB),       X(AF_MPLS),     X(AF_CAN),
    X(AF_TIPC),       X(AF_BLUETOOTH), X(AF_IUCV),     X(AF_RXRPC),    X(AF_ISDN),
    X(AF_PHONET),     X(AF_IEEE802154), X(AF_CAIF),    X(AF_ALG),      X(AF_NFC),
    X(AF_VSOCK),      X(AF_KCM),       X(AF_QIPCRTR),  X(AF_SMC),      X(AF_XDP),
    {45, "AF_MCTP"}};
constexpr Named kIpProtocols[] = {
    X(IPPROTO_IP),    X(IPPROTO_ICMP),   X(IPPROTO_IGMP),   X(IPPROTO_IPIP),    X(IPPROTO_TCP),
    X(IPPROTO_EGP),   X(IPPROTO_PUP),    X(IPPROTO_UDP),    X(IPPROTO_IDP),     X(IPPROTO_TP),
    X(IPPROTO_DCCP),  X(IPPROTO_IPV6),   X(IPPROTO_RSVP),   X(IPPROTO_GRE),     X(IPPROTO_ESP),
    X(IPPROTO_AH),    X(IPPROTO_ICMPV6), X(IPPROTO_MTP),    X(IPPROTO_BEETPH),  X(IPPROTO_ENCAP),
    X(IPPROTO_PIM),   X(IPPROTO_COMP),   X(IPPROTO_SCTP),   X(IPPROTO_UDPLITE), X(IPPROTO_MPLS),
    {143, "IPPROTO_ETHERNET"}, X(IPPROTO_RAW), {262, "IPPROTO_MPTCP"}};
constexpr Named kNetlinkProtocols[] = {
    {0, "NETLINK_ROUTE"},         {1, "NETLINK_UNUSED"},      {2, "NETLINK_USERSOCK"},
    {3, "NETLINK_FIREWALL"},      {4, "NETLINK_SOCK_DIAG"},   {5, "NETLINK_NFLOG"},
    {6, "NETLINK_XFRM"},          {7, "NETLINK_SELINUX"},     {8, "NETLINK_ISCSI"},
    {9, "NETLINK_AUDIT"},         {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"},
    {12, "NETLINK_NETFILTER"},    {13, "NETLINK_IP6_FW"},     {14, "NETLINK_DNRTMSG"},
    {15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"},  {18, "NETLINK_SCSITRANSPORT"},
    {19, "NETLINK_ECRYPTFS"},     {20, "NETLINK_RDMA"},       {21, "NETLINK_CRYPTO"},
    {22, "NETLINK_SMC"}};
constexpr Named kEthProtocols[] = {{0x0003, "ETH_P_ALL"}, {0x0800, "ETH_P_IP"},
                                   {0x0806, "ETH_P_ARP"}, {0x86DD, "ETH_P_IPV6"},
                                   {0x8100, "ETH_P_8021Q"}};
constexpr Named kSockTypes[] = {X(SOCK_STREAM), X(SOCK_DGRAM), X(SOCK_RAW), X(SOCK_RDM),
                                X(SOCK_SEQPACKET), X(SOCK_DCCP), X(SOCK_PACKET)};
constexpr Named kSockFlags[] = {X(SOCK_CLOEXEC), X(SOCK_NONBLOCK)};
constexpr Named kMsgFlags[] = {
    X(MSG_OOB),      X(MSG_PEEK),       X(MSG_DONTROUTE), X(MSG_CTRUNC),   X(MSG_PROXY),
    X(MSG_TRUNC),    X(MSG_DONTWAIT),   X(MSG_EOR),       X(MSG_WAITALL),  X(MSG_FIN),
    X(MSG_SYN),      X(MSG_CONFIRM),    X(MSG_RST),       X(MSG_ERRQUEUE), X(MSG_NOSIGNAL),
    X(MSG_MORE),     X(MSG_WAITFORONE), X(MSG_BATCH),     X(MSG_ZEROCOPY), X(MSG_FASTOPEN),
    X(MSG_CMSG_CLOEXEC)};
constexpr Named kSockLevels[] = {
    {0, "SOL_IP"},     {SOL_SOCKET, "SOL_SOCKET"}, {6, "SOL_TCP"},      {17, "SOL_UDP"},
    {41, "SOL_IPV6"},  {58, "SOL_ICMPV6"},         {255, "SOL_RAW"},    {263, "SOL_PACKET"},
    {270, "SOL_NETLINK"}, {279, "SOL_ALG"},        {282, "SOL_TLS"}};
constexpr Named kSocketOptions[] = {
    X(SO_DEBUG),         X(SO_REUSEADDR),      X(SO_TYPE),          X(SO_ERROR),
    X(SO_DONTROUTE),     X(SO_BROADCAST),      X(SO_SNDBUF),        X(SO_RCVBUF),
    X(SO_KEEPALIVE),     X(SO_OOBINLINE),      X(SO_NO_CHECK),      X(SO_PRIORITY),
    X(SO_LINGER),        X(SO_BSDCOMPAT),      X(SO_REUSEPORT),     X(SO_PASSCRED),
    X(SO_PEERCRED),      X(SO_RCVLOWAT),       X(SO_SNDLOWAT),      X(SO_RCVTIMEO_OLD),
    X(SO_SNDTIMEO_OLD),  X(SO_BINDTODEVICE),   X(SO_ATTACH_FILTER), X(SO_DETACH_FILTER),
    X(SO_PEERNAME),      X(SO_TIMESTAMP_OLD),  X(SO_ACCEPTCONN),    X(SO_PEERSEC),
    X(SO_SNDBUFFORCE),   X(SO_RCVBUFFORCE),    X(SO_PASSSEC),       X(SO_MARK),
    X(SO_PROTOCOL),      X(SO_DOMAIN),         X(SO_RXQ_OVFL),      X(SO_BUSY_POLL),
    X(SO_INCOMING_CPU),  X(SO_COOKIE),         X(SO_PEERGROUPS),    X(SO_ZEROCOPY),
    X(SO_RCVTIMEO_NEW),  X(SO_SNDTIMEO_NEW)};
constexpr Named kTcpOptions[] = {
    {1, "TCP_NODELAY"},      {2, "TCP_MAXSEG"},        {3, "TCP_CORK"},
    {4, "TCP_KEEPIDLE"},     {5, "TCP_KEEPINTVL"},     {6, "TCP_KEEPCNT"},
    {7, "TCP_SYNCNT"},       {8, "TCP_LINGER2"},       {9, "TCP_DEFER_ACCEPT"},
    {10, "TCP_WINDOW_CLAMP"}, {11, "TCP_INFO"},        {12, "TCP_QUICKACK"},
    {13, "TCP_CONGESTION"},  {18, "TCP_USER_TIMEOUT"}, {23, "TCP_FASTOPEN"},
    {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"}};
constexpr Named kIpOptions[] = {
    {1, "IP_TOS"},             {2, "IP_TTL"},              {3, "IP_HDRINCL"},
    {4, "IP_OPTIONS"},         {8, "IP_PKTINFO"},          {10, "IP_MTU_DISCOVER"},
    {11, "IP_RECVERR"},        {15, "IP_FREEBIND"},        {19, "IP_TRANSPARENT"},
    {32, "IP_MULTICAST_IF"},   {33, "IP_MULTICAST_TTL"},   {34, "IP_MULTICAST_LOOP"},
    {35, "IP_ADD_MEMBERSHIP"}, {36, "IP_DROP_MEMBERSHIP"}, {49, "IP_BIND_ADDRESS_NO_PORT"}};
constexpr Named kIpv6Options[] = {
    {16, "IPV6_UNICAST_HOPS"},   {17, "IPV6_MULTICAST_IF"},    {18, "IPV6_MULTICAST_HOPS"},
    {19, "IPV6_MULTICAST_LOOP"}, {20, "IPV6_ADD_MEMBERSHIP"},  {21, "IPV6_DROP_MEMBERSHIP"},
    {25, "IPV6_RECVERR"},        {26, "IPV6_V6ONLY"},          {49, "IPV6_RECVPKTINFO"},
    {67, "IPV6_TCLASS"}};
constexpr Named kShutHow[] = {X(SHUT_RD), X(SHUT_WR), X(SHUT_RDWR)};

constexpr Named kFcntlCmds[] = {
    X(F_DUPFD),          X(F_GETFD),          X(F_SETFD),         X(F_GETFL),
    X(F_SETFL),          X(F_GETLK),          X(F_SETLK),         X(F_SETLKW),
    X(F_SETOWN),         X(F_GETOWN),         X(F_SETSIG),        X(F_GETSIG),
    X(F_SETOWN_EX),      X(F_GETOWN_EX),      X(F_OFD_GETLK),     X(F_OFD_SETLK),
    X(F_OFD_SETLKW),     X(F_SETLEASE),       X(F_GETLEASE),      X(F_NOTIFY),
    X(F_DUPFD_CLOEXEC),  X(F_SETPIPE_SZ),     X(F_GETPIPE_SZ),    X(F_ADD_SEALS),
    X(F_GET_SEALS),      X(F_GET_RW_HINT),    X(F_SET_RW_HINT),   X(F_GET_FILE_RW_HINT),
    X(F_SET_FILE_RW_HINT)};
constexpr Named kFdFlags[] = {X(FD_CLOEXEC)};
constexpr Named kLeaseTypes[] = {X(F_RDLCK), X(F_WRLCK), X(F_UNLCK)};
constexpr Named kNotifyFlags[] = {X(DN_ACCESS), X(DN_MODIFY), X(DN_CREATE), X(DN_DELETE),
                                  X(DN_RENAME), X(DN_ATTRIB), X(DN_MULTISHOT)};
constexpr Named kSeals[] = {X(F_SEAL_SEAL), X(F_SEAL_SHRINK), X(F_SEAL_GROW), X(F_SEAL_WRITE),
                            X(F_SEAL_FUTURE_WRITE)};
constexpr Named kFlockOps[] = {X(LOCK_SH), X(LOCK_EX), X(LOCK_NB), X(LOCK_UN)};

constexpr Named kEpollOps[] = {X(EPOLL_CTL_ADD), X(EPOLL_CTL_DEL), X(EPOLL_CTL_MOD)};
constexpr Named kEpollFlags[] = {X(EPOLL_CLOEXEC)};
constexpr Named kEventfdFlags[] = {X(EFD_SEMAPHORE), X(EFD_CLOEXEC), X(EFD_NONBLOCK)};
constexpr Named kSignalfdFlags[] = {X(SFD_CLOEXEC), X(SFD_NONBLOCK)};
constexpr Named kTimerfdFlags[] = {X(TFD_CLOEXEC), X(TFD_NONBLOCK)};
constexpr Named kTimerfdSetFlags[] = {X(TFD_TIMER_ABSTIME), X(TFD_TIMER_CANCEL_ON_SET)};
constexpr Named kTimerFlags[] = {X(TIMER_ABSTIME)};
constexpr Named kInotifyFlags[] = {X(IN_NONBLOCK), X(IN_CLOEXEC)};
constexpr Named kInotifyMask[] = {
    X(IN_ACCESS),       X(IN_MODIFY),      X(IN_ATTRIB),       X(IN_CLOSE_WRITE),
    X(IN_CLOSE_NOWRITE), X(IN_OPEN),       X(IN_MOVED_FROM),   X(IN_MOVED_TO),
    X(IN_CREATE),       X(IN_DELETE),      X(IN_DELETE_SELF),  X(IN_MOVE_SELF),
    X(IN_UNMOUNT),      X(IN_Q_OVERFLOW),  X(IN_IGNORED),      X(IN_ONLYDIR),
    X(IN_DONT_FOLLOW),  X(IN_EXCL_UNLINK), {0x10000000, "IN_MASK_CREATE"}, X(IN_MASK_ADD),
    X(IN_ISDIR),        X(IN_ONESHOT)};
constexpr Named kMemfdFlags[] = {{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
                                 {8, "MFD_NOEXEC_SEAL"}, {0x10, "MFD_EXEC"}};
constexpr Named kPidfdFlags[] = {{O_NONBLOCK, "PIDFD_NONBLOCK"}};
constexpr Named kRandomFlags[] = {X(GRND_NONBLOCK), X(GRND_RANDOM), X(GRND_INSECURE)};

constexpr Named kClocks[] = {
    X(CLOCK_REALTIME),          X(CLOCK_MONOTONIC),        X(CLOCK_PROCESS_CPUTIME_ID),
    X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW),    X(CLOCK_REALTIME_COARSE),
    X(CLOCK_MONOTONIC_COARSE),  X(CLOCK_BOOTTIME),         X(CLOCK_REALTIME_ALARM),
    X(CLOCK_BOOTTIME_ALARM),    {10, "CLOCK_SGI_CYCLE"},   X(CLOCK_TAI)};
constexpr Named kFutexCmds[] = {
    X(FUTEX_WAIT),            X(FUTEX_WAKE),         X(FUTEX_FD),           X(FUTEX_REQUEUE),
    X(FUTEX_CMP_REQUEUE),     X(FUTEX_WAKE_OP),      X(FUTEX_LOCK_PI),      X(FUTEX_UNLOCK_PI),
    X(FUTEX_TRYLOCK_PI),      X(FUTEX_WAIT_BITSET),  X(FUTEX_WAKE_BITSET),  X(FUTEX_WAIT_REQUEUE_PI),
    X(FUTEX_CMP_REQUEUE_PI),  {13, "FUTEX_LOCK_PI2"}};
constexpr std::uint64_t kFutexLockPi2 = 13;
constexpr Named kRlimits[] = {
    X(RLIMIT_CPU),      X(RLIMIT_FSIZE), X(RLIMIT_DATA),   X(RLIMIT_STACK),
    X(RLIMIT_CORE),     X(RLIMIT_RSS),   X(RLIMIT_NPROC),  X(RLIMIT_NOFILE),
    X(RLIMIT_MEMLOCK),  X(RLIMIT_AS),    X(RLIMIT_LOCKS),  X(RLIMIT_SIGPENDING),
    X(RLIMIT_MSGQUEUE), X(RLIMIT_NICE),  X(RLIMIT_RTPRIO), X(RLIMIT_RTTIME)};
constexpr Named kIdTypes[] = {X(P_ALL), X(P_PID), X(P_PGID), {3, "P_PIDFD"}};
constexpr Named kWaitOptions[] = {X(WNOHANG), X(WEXITED),     X(WSTOPPED), X(WCONTINUED),
                                  X(WNOWAIT), X(__WNOTHREAD), X(__WALL),   X(__WCLONE)};
constexpr Named kRusageWho[] = {{0, "RUSAGE_SELF"}, {1, "RUSAGE_THREAD"},
                                {static_cast<std::uint32_t>(-1), "RUSAGE_CHILDREN"}};
constexpr Named kPrioWhich[] = {X(PRIO_PROCESS), X(PRIO_PGRP), X(PRIO_USER)};
constexpr Named kItimerWhich[] = {{0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"}};
constexpr Named kSchedPolicies[] = {{0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"},
                                    {3, "SCHED_BATCH"}, {4, "SCHED_ISO"},  {5, "SCHED_IDLE"},
                                    {6, "SCHED_DEADLINE"}};

constexpr Named kPrctlOptions[] = {
    {1, "PR_SET_PDEATHSIG"},           {2, "PR_GET_PDEATHSIG"},
    {3, "PR_GET_DUMPABLE"},            {4, "PR_SET_DUMPABLE"},
    {5, "PR_GET_UNALIGN"},             {6, "PR_SET_UNALIGN"},
    {7, "PR_GET_KEEPCAPS"},            {8, "PR_SET_KEEPCAPS"},
    {9, "PR_GET_FPEMU"},               {10, "PR_SET_FPEMU"},
    {11, "PR_GET_FPEXC"},              {12, "PR_SET_FPEXC"},
    {13, "PR_GET_TIMING"},             {14, "PR_SET_TIMING"},
    {15, "PR_SET_NAME"},               {16, "PR_GET_NAME"},
    {19, "PR_GET_ENDIAN"},             {20, "PR_SET_ENDIAN"},
    {21, "PR_GET_SECCOMP"},            {22, "PR_SET_SECCOMP"},
    {23, "PR_CAPBSET_READ"},           {24, "PR_CAPBSET_DROP"},
    {25, "PR_GET_TSC"},                {26, "PR_SET_TSC"},
    {27, "PR_GET_SECUREBITS"},         {28, "PR_SET_SECUREBITS"},
    {29, "PR_SET_TIMERSLACK"},         {30, "PR_GET_TIMERSLACK"},
    {31, "PR_TASK_PERF_EVENTS_DISABLE"}, {32, "PR_TASK_PERF_EVENTS_ENABLE"},
    {33, "PR_MCE_KILL"},               {34, "PR_MCE_KILL_GET"},
    {35, "PR_SET_MM"},                 {36, "PR_SET_CHILD_SUBREAPER"},
    {37, "PR_GET_CHILD_SUBREAPER"},    {38, "PR_SET_NO_NEW_PRIVS"},
    {39, "PR_GET_NO_NEW_PRIVS"},       {40, "PR_GET_TID_ADDRESS"},
    {41, "PR_SET_THP_DISABLE"},        {42, "PR_GET_THP_DISABLE"},
    {43, "PR_MPX_ENABLE_MANAGEMENT"},  {44, "PR_MPX_DISABLE_MANAGEMENT"},
    {45, "PR_SET_FP_MODE"},            {46, "PR_GET_FP_MODE"},
    {47, "PR_CAP_AMBIENT"},            {50, "PR_SVE_SET_VL"},
    {51, "PR_SVE_GET_VL"},             {52, "PR_GET_SPECULATION_CTRL"},
    {53, "PR_SET_SPECULATION_CTRL"},   {54, "PR_PAC_RESET_KEYS"},
    {55, "PR_SET_TAGGED_ADDR_CTRL"},   {56, "PR_GET_TAGGED_ADDR_CTRL"},
    {57, "PR_SET_IO_FLUSHER"},         {58, "PR_GET_IO_FLUSHER"},
    {59, "PR_SET_SYSCALL_USER_DISPATCH"}, {60, "PR_PAC_SET_ENABLED_KEYS"},
    {61, "PR_PAC_GET_ENABLED_KEYS"},   {62, "PR_SCHED_CORE"},
    {63, "PR_SME_SET_VL"},             {64, "PR_SME_GET_VL"},
    {65, "PR_SET_MDWE"},               {66, "PR_GET_MDWE"},
    {0x59616d61, "PR_SET_PTRACER"},    {0x53564d41, "PR_SET_VMA"}};
constexpr Named kCapAmbientOps[] = {{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"},
                                    {3, "PR_CAP_AMBIENT_LOWER"},  {4, "PR_CAP_AMBIENT_CLEAR_ALL"}};
constexpr Named kSuidDump[] = {{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"},
                               {2, "SUID_DUMP_ROOT"}};
constexpr Named kSeccompModes[] = {{1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}};
constexpr std::string_view kCapabilities[] = {
    "CAP_CHOWN",         "CAP_DAC_OVERRIDE",    "CAP_DAC_READ_SEARCH",  "CAP_FOWNER",
    "CAP_FSETID",        "CAP_KILL",            "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETPCAP",       "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",     "CAP_NET_RAW",         "CAP_IPC_LOCK",         "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",    "CAP_SYS_RAWIO",       "CAP_SYS_CHROOT",       "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",     "CAP_SYS_ADMIN",       "CAP_SYS_BOOT",         "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",  "CAP_SYS_TIME",        "CAP_SYS_TTY_CONFIG",   "CAP_MKNOD",
    "CAP_LEASE",         "CAP_AUDIT_WRITE",     "CAP_AUDIT_CONTROL",    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",  "CAP_MAC_ADMIN",       "CAP_SYSLOG",           "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",      "CAP_PERFMON",          "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE"};
constexpr Named kArchPrctl[] = {
    {0x1001, "ARCH_SET_GS"},           {0x1002, "ARCH_SET_FS"},
    {0x1003, "ARCH_GET_FS"},           {0x1004, "ARCH_GET_GS"},
    {0x1011, "ARCH_GET_CPUID"},        {0x1012, "ARCH_SET_CPUID"},
    {0x1021, "ARCH_GET_XCOMP_SUPP"},   {0x1022, "ARCH_GET_XCOMP_PERM"},
    {0x1023, "ARCH_REQ_XCOMP_PERM"},   {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
    {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"}, {0x2001, "ARCH_MAP_VDSO_X32"},
    {0x2002, "ARCH_MAP_VDSO_32"},      {0x2003, "ARCH_MAP_VDSO_64"}};

constexpr Named kMountFlags[] = {
    {0xC0ED0000, "MS_MGC_VAL"}, X(MS_RDONLY),     X(MS_NOSUID),      X(MS_NODEV),
    X(MS_NOEXEC),      X(MS_SYNCHRONOUS),  X(MS_REMOUNT),     X(MS_MANDLOCK),
    X(MS_DIRSYNC),     {256, "MS_NOSYMFOLLOW"}, X(MS_NOATIME), X(MS_NODIRATIME),
    X(MS_BIND),        X(MS_MOVE),         X(MS_REC),         X(MS_SILENT),
    X(MS_POSIXACL),    X(MS_UNBINDABLE),   X(MS_PRIVATE),     X(MS_SLAVE),
    X(MS_SHARED),      X(MS_RELATIME),     X(MS_KERNMOUNT),   X(MS_I_VERSION),
    X(MS_STRICTATIME), X(MS_LAZYTIME),     X(MS_ACTIVE),      X(MS_NOUSER)};
constexpr Named kUmountFlags[] = {X(MNT_FORCE), X(MNT_DETACH), X(MNT_EXPIRE), X(UMOUNT_NOFOLLOW)};

constexpr Named kIpcFlags[] = {X(IPC_CREAT), X(IPC_EXCL), X(IPC_NOWAIT)};
constexpr Named kShmatFlags[] = {X(SHM_RDONLY), X(SHM_RND), X(SHM_REMAP), X(SHM_EXEC)};
constexpr Named kIpcMsgFlags[] = {X(MSG_NOERROR), X(MSG_EXCEPT), X(MSG_COPY), X(IPC_NOWAIT)};
constexpr Named kIpcCmds[] = {X(IPC_RMID), X(IPC_SET), X(IPC_STAT), X(IPC_INFO)};
constexpr Named kShmCmds[] = {X(SHM_LOCK), X(SHM_UNLOCK), X(SHM_STAT), X(SHM_INFO),
                              X(SHM_STAT_ANY)};
constexpr Named kSemCmds[] = {{11, "GETPID"},  {12, "GETVAL"},   {13, "GETALL"},
                              {14, "GETNCNT"}, {15, "GETZCNT"},  {16, "SETVAL"},
                              {17, "SETALL"},  {18, "SEM_STAT"}, {19, "SEM_INFO"},
                              {20, "SEM_STAT_ANY"}};
constexpr Named kMsgCmds[] = {X(MSG_STAT), X(MSG_INFO), X(MSG_STAT_ANY)};
constexpr std::uint64_t kIpc64 = 0x100;

constexpr Named kSeccompOps[] = {{0, "SECCOMP_SET_MODE_STRICT"},  {1, "SECCOMP_SET_MODE_FILTER"},
                                 {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}};
constexpr Named kSeccompFlags[] = {
    {1, "SECCOMP_FILTER_FLAG_TSYNC"},        {2, "SECCOMP_FILTER_FLAG_LOG"},
    {4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},   {8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"},
    {16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"}, {32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}};
constexpr Named kPtraceRequests[] = {
    {0, "PTRACE_TRACEME"},          {1, "PTRACE_PEEKTEXT"},        {2, "PTRACE_PEEKDATA"},
    {3, "PTRACE_PEEKUSER"},         {4, "PTRACE_POKETEXT"},        {5, "PTRACE_POKEDATA"},
    {6, "PTRACE_POKEUSER"},         {7, "PTRACE_CONT"},            {8, "PTRACE_KILL"},
    {9, "PTRACE_SINGLESTEP"},       {12, "PTRACE_GETREGS"},        {13, "PTRACE_SETREGS"},
    {14, "PTRACE_GETFPREGS"},       {15, "PTRACE_SETFPREGS"},      {16, "PTRACE_ATTACH"},
    {17, "PTRACE_DETACH"},          {18, "PTRACE_GETFPXREGS"},     {19, "PTRACE_SETFPXREGS"},
    {24, "PTRACE_SYSCALL"},         {0x4200, "PTRACE_SETOPTIONS"}, {0x4201, "PTRACE_GETEVENTMSG"},
    {0x4202, "PTRACE_GETSIGINFO"},  {0x4203, "PTRACE_SETSIGINFO"}, {0x4204, "PTRACE_GETREGSET"},
    {0x4205, "PTRACE_SETREGSET"},   {0x4206, "PTRACE_SEIZE"},      {0x4207, "PTRACE_INTERRUPT"},
    {0x4208, "PTRACE_LISTEN"},      {0x4209, "PTRACE_PEEKSIGINFO"}, {0x420a, "PTRACE_GETSIGMASK"},
    {0x420b, "PTRACE_SETSIGMASK"},  {0x420c, "PTRACE_SECCOMP_GET_FILTER"},
    {0x420d, "PTRACE_SECCOMP_GET_METADATA"}, {0x420e, "PTRACE_GET_SYSCALL_INFO"},
    {0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"}};
constexpr Named kIoctls[] = {
    X(TCGETS),     X(TCSETS),     X(TCSETSW),   X(TCSETSF),    X(TCGETA),    X(TCSETA),
    X(TIOCSCTTY),  X(TIOCGPGRP),  X(TIOCSPGRP), X(TIOCOUTQ),   X(TIOCSTI),   X(TIOCGWINSZ),
    X(TIOCSWINSZ), X(FIONREAD),   X(TIOCNOTTY), X(TIOCGPTN),   X(TIOCSPTLCK), X(FIONBIO),
    X(FIONCLEX),   X(FIOCLEX),    X(FIOASYNC),  X(TIOCGSID)};
constexpr Named kCloseRangeFlags[] = {{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}};
constexpr Named kFallocModes[] = {
    X(FALLOC_FL_KEEP_SIZE),      X(FALLOC_FL_PUNCH_HOLE),  X(FALLOC_FL_NO_HIDE_STALE),
    X(FALLOC_FL_COLLAPSE_RANGE), X(FALLOC_FL_ZERO_RANGE),  X(FALLOC_FL_INSERT_RANGE),
    X(FALLOC_FL_UNSHARE_RANGE)};
constexpr Named kSpliceFlags[] = {X(SPLICE_F_MOVE), X(SPLICE_F_NONBLOCK), X(SPLICE_F_MORE),
                                  X(SPLICE_F_GIFT)};

#undef X
// clang-format on

// ---------------------------------------------------------------- values

Value number(Value::Kind kind, std::int64_t n) {
    Value v;
    v.kind = kind;
    v.number = n;
    return v;
}
Value u64_value(Value::Kind kind, std::uint64_t n) {
    return number(kind, static_cast<std::int64_t>(n));
}
Value symbol(std::string_view name) {
    Value v;
    v.kind = Value::Kind::Symbol;
    v.text = name;
    return v;
}
Value pointer(std::uint64_t address) {
    return u64_value(Value::Kind::Pointer, address);
}
Value unreadable(std::uint64_t address) {
    return u64_value(Value::Kind::Unreadable, address);
}
Value hex(std::uint64_t n) {
    return u64_value(Value::Kind::Hex, n);
}
Value octal(std::uint64_t n) {
    return u64_value(Value::Kind::Octal, n);
}
Value unsigned_value(std::uint64_t n) {
    return u64_value(Value::Kind::Unsigned, n);
}
Value signed_value(std::int64_t n) {
    return number(Value::Kind::Signed, n);
}

std::int32_t low_int(std::uint64_t raw) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
}
std::uint32_t low_uint(std::uint64_t raw) {
    return static_cast<std::uint32_t>(raw);
}

std::optional<std::string_view> lookup(Xlat table, std::uint64_t value) {
    for (const auto& n : table)
        if (n.value == value) return n.name;
    return std::nullopt;
}

// A named constant, or the number in hex with strace's "/* PREFIX??? */" remark.
Value enum_value(Xlat table, std::uint64_t value, std::string_view unknown) {
    if (auto name = lookup(table, value)) return symbol(*name);
    Value v = hex(value);
    v.comment = std::string(unknown);
    return v;
}

// Names for the bits in `rest` (clearing them), in table order.
void add_flags(Value& out, std::uint64_t& rest, Xlat table) {
    for (const auto& n : table) {
        if (n.value != 0 && (rest & n.value) == n.value) {
            out.items.push_back(symbol(n.name));
            rest &= ~n.value;
        }
    }
}

Value flags_value(Xlat table, std::uint64_t value, std::string_view zero = {}) {
    Value v;
    v.kind = Value::Kind::Flags;
    if (value == 0 && !zero.empty()) {
        v.items.push_back(symbol(zero));
        return v;
    }
    std::uint64_t rest = value;
    add_flags(v, rest, table);
    v.number = static_cast<std::int64_t>(rest);
    return v;
}

Value open_flags(std::uint64_t raw, bool with_access_mode) {
    const std::uint64_t value = low_uint(raw);
    Value v;
    v.kind = Value::Kind::Flags;
    std::uint64_t rest = value;
    if (with_access_mode) {
        const std::uint64_t access = value & O_ACCMODE;
        v.items.push_back(symbol(*lookup(kOpenAccess, access)));
        rest &= ~static_cast<std::uint64_t>(O_ACCMODE);
    }
    add_flags(v, rest, kOpenFlags);
    v.number = static_cast<std::int64_t>(rest);
    return v;
}

bool open_creates(std::uint64_t flags) {
    return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

Value mode_with_type(std::uint64_t raw) {
    const std::uint64_t mode = low_uint(raw);
    const std::uint64_t type = mode & S_IFMT;
    if (type == 0) return octal(mode);
    auto name = lookup(kFileTypes, type);
    if (!name) return octal(mode);
    Value v;
    v.kind = Value::Kind::Flags;
    v.items.push_back(symbol(*name));
    v.items.push_back(octal(mode & ~static_cast<std::uint64_t>(S_IFMT)));
    return v;
}

std::string hex_text(std::uint64_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    if (n == 0) return "0";
    std::string s;
    while (n != 0) {
        s.insert(s.begin(), kDigits[n & 0xf]);
        n >>= 4;
    }
    return "0x" + s;
}

Value signal_value(std::int64_t s) {
    if (s <= 0 || s > kSigRtMax) return signed_value(s);
    return symbol(signal_name(static_cast<int>(s)));
}

Value capability(std::uint64_t raw) {
    const std::uint64_t c = low_uint(raw);
    if (c < std::size(kCapabilities)) return symbol(kCapabilities[c]);
    return unsigned_value(c);
}

// ---------------------------------------------------------------- reading the tracee

constexpr std::uint64_t kPage = 4096;
constexpr std::size_t kStringChunk = 64;
constexpr std::size_t kBufferChunk = 4096;

// Bytes that may be read at `address` without crossing a page boundary or wrapping around.
std::size_t page_room(std::uint64_t address, std::size_t want, std::size_t chunk) {
    const std::uint64_t in_page = kPage - (address % kPage);
    std::uint64_t n = std::min<std::uint64_t>({want, chunk, in_page});
    if (address > UINT64_MAX - n) n = UINT64_MAX - address;
    return static_cast<std::size_t>(n);
}

// Reads up to `length` bytes at `address` in page-bounded chunks, stopping at the first failed or
// short read (a chunk may end where the mapping ends), or after a NUL when `stop_at_nul`.
// Returns the bytes read; `terminated` tells whether the NUL was seen (it is not included).
std::string read_bytes(Memory& memory, std::uint64_t address, std::size_t length, bool stop_at_nul,
                       std::size_t chunk, bool& terminated) {
    std::string out;
    terminated = false;
    // Small first reads (most strings are short), larger ones after that.
    for (; out.size() < length; chunk = std::min(chunk * 2, kBufferChunk)) {
        const std::uint64_t at = address + out.size();
        if (at < address) break; // wrapped
        const std::size_t want = page_room(at, length - out.size(), chunk);
        if (want == 0) break;
        char buffer[kBufferChunk];
        const long got = memory.read(at, buffer, want);
        if (got <= 0) break;
        const auto n = std::min(static_cast<std::size_t>(got), want);
        if (stop_at_nul) {
            if (const void* nul = std::memchr(buffer, 0, n)) {
                out.append(buffer,
                           static_cast<std::size_t>(static_cast<const char*>(nul) - buffer));
                terminated = true;
                return out;
            }
        }
        out.append(buffer, n);
        if (n < want) break;
    }
    return out;
}

// A NUL-terminated string, at most `limit` bytes shown (limit+1 read to know whether it ends).
Value read_cstring(Memory& memory, std::uint64_t address, std::size_t limit) {
    if (address == 0) return pointer(0);
    bool terminated = false;
    const std::size_t want = limit < SIZE_MAX ? limit + 1 : limit;
    std::string bytes = read_bytes(memory, address, want, true, kStringChunk, terminated);
    // Not one byte readable, or the string runs into unreadable memory before its NUL (the kernel
    // would fail such a call with EFAULT): the address, as strace prints it, not a string that
    // looks complete.
    if (!terminated && bytes.size() <= limit) return unreadable(address);
    Value v;
    v.kind = Value::Kind::String;
    if (!terminated && bytes.size() > limit) {
        bytes.resize(limit);
        v.truncated = true;
    }
    v.text = std::move(bytes);
    return v;
}

// A buffer of `count` bytes: at most `limit` shown.
Value read_buffer(Memory& memory, std::uint64_t address, std::uint64_t count, std::size_t limit) {
    if (address == 0) return pointer(0);
    Value v;
    v.kind = Value::Kind::String;
    if (count == 0) return v;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(count, limit));
    bool terminated = false;
    std::string bytes = read_bytes(memory, address, want, false, kBufferChunk, terminated);
    if (bytes.empty() && want > 0) return unreadable(address);
    v.truncated = bytes.size() < count;
    v.text = std::move(bytes);
    return v;
}

struct WordArray {
    std::vector<std::uint64_t> words; // up to the NULL (not included)
    bool terminated = false;          // the NULL was seen
    bool failed = false;              // a read failed at words.size()
};

// A NULL-terminated array of pointers, at most `max_entries` entries.
WordArray read_word_array(Memory& memory, std::uint64_t address, std::size_t word_size,
                          std::size_t max_entries) {
    WordArray out;
    if (word_size != 4 && word_size != 8) word_size = 8;
    unsigned char buffer[512];
    while (out.words.size() < max_entries) {
        const std::uint64_t at = address + out.words.size() * word_size;
        if (at < address || at > UINT64_MAX - word_size) {
            out.failed = true;
            return out;
        }
        std::size_t want =
            page_room(at, (max_entries - out.words.size()) * word_size, sizeof buffer);
        want -= want % word_size;
        if (want == 0) want = word_size; // a word straddling a page boundary
        const long got = memory.read(at, buffer, want);
        const std::size_t n = got <= 0 ? 0 : std::min(static_cast<std::size_t>(got), want);
        const std::size_t whole = n / word_size;
        for (std::size_t i = 0; i < whole; ++i) {
            std::uint64_t w = 0;
            if (word_size == 8) {
                std::memcpy(&w, buffer + i * 8, 8);
            } else {
                std::uint32_t w32 = 0;
                std::memcpy(&w32, buffer + i * 4, 4);
                w = w32;
            }
            if (w == 0) {
                out.terminated = true;
                return out;
            }
            out.words.push_back(w);
            if (out.words.size() >= max_entries) return out;
        }
        if (whole * word_size < want) {
            out.failed = true;
            return out;
        }
    }
    return out;
}

// argv (and envp with -v): ["a", "b", ...].
Value string_array(Memory& memory, std::uint64_t address, const Options& o,
                   std::size_t max_elements) {
    if (address == 0) return pointer(0);
    max_elements = std::min(max_elements, kMaxArrayEntries);
    WordArray a = read_word_array(memory, address, o.word_size, max_elements + 1);
    if (a.words.empty() && !a.terminated) return unreadable(address);
    Value v;
    v.kind = Value::Kind::Array;
    const std::size_t shown = std::min(a.words.size(), max_elements);
    for (std::size_t i = 0; i < shown; ++i)
        v.items.push_back(read_cstring(memory, a.words[i], o.string_limit));
    if (a.words.size() > max_elements) {
        v.truncated = true;
    } else if (a.failed) {
        v.items.push_back(unreadable(address + a.words.size() * o.word_size));
    }
    return v;
}

// envp without -v: the address and how many variables it holds.
Value environment_count(Memory& memory, std::uint64_t address, const Options& o) {
    if (address == 0) return pointer(0);
    WordArray a = read_word_array(memory, address, o.word_size, kMaxArrayEntries + 1);
    if (a.words.empty() && !a.terminated) return unreadable(address);
    Value v = pointer(address);
    const std::size_t n = std::min(a.words.size(), kMaxArrayEntries);
    const bool exact = a.terminated;
    v.comment = std::to_string(n) + (exact ? "" : "+") + (n == 1 && exact ? " var" : " vars");
    return v;
}

// ---------------------------------------------------------------- sockaddr

std::uint16_t load16(const std::string& b, std::size_t at) {
    std::uint16_t x = 0;
    std::memcpy(&x, b.data() + at, 2);
    return x;
}
std::uint32_t load32(const std::string& b, std::size_t at) {
    std::uint32_t x = 0;
    std::memcpy(&x, b.data() + at, 4);
    return x;
}

void field(Value& s, std::string name, Value v) {
    s.field_names.push_back(std::move(name));
    s.items.push_back(std::move(v));
}

Value text_value(std::string text) {
    Value v;
    v.kind = Value::Kind::String;
    v.text = std::move(text);
    return v;
}

Value sockaddr_value(Memory& memory, std::uint64_t address, std::uint64_t raw_length,
                     const Options& o) {
    if (address == 0) return pointer(0);
    const std::int32_t length = low_int(raw_length);
    if (length <= 0) return pointer(address);
    constexpr std::size_t kStorage = sizeof(sockaddr_storage);
    const std::size_t want = std::min(static_cast<std::size_t>(length), kStorage);
    bool terminated = false;
    const std::string b = read_bytes(memory, address, want, false, kBufferChunk, terminated);
    if (b.size() < sizeof(sa_family_t)) return unreadable(address);

    Value s;
    s.kind = Value::Kind::Struct;
    const auto family = load16(b, 0);
    if (auto name = lookup(kFamilies, family))
        field(s, "sa_family", symbol(*name));
    else
        field(s, "sa_family", unsigned_value(family));

    const std::size_t n = b.size();
    if (family == AF_UNIX) {
        if (n > 2) {
            std::string path = b.substr(2);
            if (path[0] != '\0') {
                // A file name: up to the first NUL. An abstract name (leading NUL) is all bytes.
                if (auto nul = path.find('\0'); nul != std::string::npos) path.resize(nul);
            }
            field(s, "sun_path", text_value(std::move(path)));
        }
    } else if (family == AF_INET && n >= 8) {
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, b.data() + 4, text, sizeof text);
        field(s, "sin_port", unsigned_value(ntohs(load16(b, 2))));
        field(s, "sin_addr", text_value(text));
    } else if (family == AF_INET6 && n >= 24) {
        char text[INET6_ADDRSTRLEN] = {};
        inet_ntop(AF_INET6, b.data() + 8, text, sizeof text);
        field(s, "sin6_port", unsigned_value(ntohs(load16(b, 2))));
        field(s, "sin6_flowinfo", unsigned_value(ntohl(load32(b, 4))));
        field(s, "sin6_addr", text_value(text));
        if (n >= 28) field(s, "sin6_scope_id", unsigned_value(load32(b, 24)));
    } else if (family == AF_NETLINK && n >= 12) {
        field(s, "nl_pid", unsigned_value(load32(b, 4)));
        field(s, "nl_groups", hex(load32(b, 8)));
    } else if (n > 2) {
        Value data = text_value(b.substr(2, std::min<std::size_t>(n - 2, o.string_limit)));
        data.truncated = n - 2 > o.string_limit;
        field(s, "sa_data", std::move(data));
    }
    return s;
}

// ---------------------------------------------------------------- per-call context

struct Call {
    const std::array<std::uint64_t, 6>& args;
    Memory& memory;
    const Options& options;
    const FdPath& fd_path;
};

std::uint64_t ref_value(const Call& c, const ArgSpec& spec) {
    return spec.ref >= 0 && spec.ref < 6 ? c.args[static_cast<std::size_t>(spec.ref)] : 0;
}

Value fd_value(const Call& c, std::uint64_t raw) {
    const std::int32_t fd = low_int(raw);
    Value v = signed_value(fd);
    if (fd >= 0 && c.fd_path) {
        FdInfo info = c.fd_path(fd);
        v.comment = std::move(info.path);
        v.device = std::move(info.device);
        v.socket = std::move(info.socket);
    }
    return v;
}

Value dirfd_value(const Call& c, std::uint64_t raw) {
    if (low_int(raw) != AT_FDCWD) return fd_value(c, raw);
    Value v = symbol("AT_FDCWD");
    if (c.fd_path) v.comment = c.fd_path(AT_FDCWD).path;
    return v;
}

// futex: which of the last three arguments the op uses.
enum class FutexUse { Absent, Pointer, Number, Bitset, Hex };

FutexUse futex_use(std::uint64_t op_raw, int index) {
    const auto cmd = static_cast<std::uint64_t>(low_int(op_raw) & FUTEX_CMD_MASK);
    if (!lookup(kFutexCmds, cmd)) return FutexUse::Hex;
    switch (index) {
    case 3: // timeout or val2
        switch (cmd) {
        case FUTEX_WAIT:
        case FUTEX_WAIT_BITSET:
        case FUTEX_LOCK_PI:
        case kFutexLockPi2:
        case FUTEX_WAIT_REQUEUE_PI:
            return FutexUse::Pointer;
        case FUTEX_REQUEUE:
        case FUTEX_CMP_REQUEUE:
        case FUTEX_WAKE_OP:
        case FUTEX_CMP_REQUEUE_PI:
            return FutexUse::Number;
        default:
            return FutexUse::Absent;
        }
    case 4: // uaddr2
        switch (cmd) {
        case FUTEX_REQUEUE:
        case FUTEX_CMP_REQUEUE:
        case FUTEX_WAKE_OP:
        case FUTEX_CMP_REQUEUE_PI:
        case FUTEX_WAIT_REQUEUE_PI:
            return FutexUse::Pointer;
        default:
            return FutexUse::Absent;
        }
    default: // val3
        switch (cmd) {
        case FUTEX_CMP_REQUEUE:
        case FUTEX_CMP_REQUEUE_PI:
            return FutexUse::Number;
        case FUTEX_WAIT_BITSET:
        case FUTEX_WAKE_BITSET:
            return FutexUse::Bitset;
        case FUTEX_WAKE_OP:
            return FutexUse::Hex;
        default:
            return FutexUse::Absent;
        }
    }
}

Value futex_op(std::uint64_t raw) {
    const std::int32_t op = low_int(raw);
    const auto cmd = static_cast<std::uint64_t>(op & FUTEX_CMD_MASK);
    auto name = lookup(kFutexCmds, cmd);
    if (!name) {
        Value v = hex(low_uint(raw));
        v.comment = "FUTEX_???";
        return v;
    }
    Value v;
    v.kind = Value::Kind::Flags;
    std::string text(*name);
    if ((op & FUTEX_PRIVATE_FLAG) != 0) text += "_PRIVATE";
    v.items.push_back(symbol(text));
    if ((op & FUTEX_CLOCK_REALTIME) != 0) v.items.push_back(symbol("FUTEX_CLOCK_REALTIME"));
    return v;
}

std::optional<Value> futex_arg(std::uint64_t op, int index, std::uint64_t raw) {
    switch (futex_use(op, index)) {
    case FutexUse::Absent:
        return std::nullopt;
    case FutexUse::Pointer:
        return pointer(raw);
    case FutexUse::Number:
        return unsigned_value(low_uint(raw));
    case FutexUse::Bitset:
        if (low_uint(raw) == FUTEX_BITSET_MATCH_ANY) return symbol("FUTEX_BITSET_MATCH_ANY");
        return hex(low_uint(raw));
    case FutexUse::Hex:
        break;
    }
    return hex(raw);
}

// prctl's arguments 2..5 (index 1..4) per option.
std::optional<Value> prctl_arg(const Call& c, std::uint64_t option_raw, int index,
                               std::uint64_t raw) {
    const bool first = index == 1;
    const auto only_first = [&](Value v) -> std::optional<Value> {
        if (first) return v;
        return std::nullopt;
    };
    switch (low_int(option_raw)) {
    case PR_GET_DUMPABLE:
    case PR_GET_KEEPCAPS:
    case PR_GET_SECCOMP:
    case PR_GET_SECUREBITS:
    case PR_GET_TIMERSLACK:
    case PR_TASK_PERF_EVENTS_DISABLE:
    case PR_TASK_PERF_EVENTS_ENABLE:
    case PR_GET_THP_DISABLE:
    case PR_GET_IO_FLUSHER:
        return std::nullopt; // no arguments
    case PR_SET_PDEATHSIG:
        return only_first(signal_value(low_int(raw)));
    case PR_SET_DUMPABLE:
        return only_first(enum_value(kSuidDump, low_uint(raw), "SUID_DUMP_???"));
    case PR_SET_NAME:
        return only_first(read_cstring(c.memory, raw, 15)); // the kernel keeps 16
    case PR_GET_PDEATHSIG:
    case PR_GET_NAME:
    case PR_GET_CHILD_SUBREAPER:
    case PR_GET_TID_ADDRESS:
    case PR_GET_UNALIGN:
    case PR_GET_FPEMU:
    case PR_GET_FPEXC:
    case PR_GET_ENDIAN:
    case PR_GET_TSC:
        return only_first(pointer(raw));
    case PR_SET_KEEPCAPS:
    case PR_SET_CHILD_SUBREAPER:
    case PR_SET_TIMERSLACK:
    case PR_SET_SECUREBITS:
    case PR_SET_IO_FLUSHER:
    case PR_SET_PTRACER:
        return only_first(unsigned_value(raw));
    case PR_CAPBSET_READ:
    case PR_CAPBSET_DROP:
        return only_first(capability(raw));
    case PR_SET_SECCOMP:
        if (first) return enum_value(kSeccompModes, low_uint(raw), "SECCOMP_MODE_???");
        if (index == 2) return pointer(raw);
        return std::nullopt;
    case PR_CAP_AMBIENT:
        if (first) return enum_value(kCapAmbientOps, low_uint(raw), "PR_CAP_AMBIENT_???");
        if (index == 2 && low_uint(c.args[1]) != PR_CAP_AMBIENT_CLEAR_ALL) return capability(raw);
        return unsigned_value(raw);
    case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS:
    case PR_SET_THP_DISABLE:
        return unsigned_value(raw);
    default:
        return hex(raw);
    }
}

std::optional<Value> fcntl_arg(std::uint64_t cmd_raw, std::uint64_t raw) {
    switch (low_int(cmd_raw)) {
    case F_GETFD:
    case F_GETFL:
    case F_GETOWN:
    case F_GETSIG:
    case F_GETLEASE:
    case F_GETPIPE_SZ:
    case F_GET_SEALS:
        return std::nullopt;
    case F_SETFD:
        return flags_value(kFdFlags, low_uint(raw), "0");
    case F_SETFL:
        return open_flags(raw, true);
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_SETOWN:
    case F_SETPIPE_SZ:
        return signed_value(low_int(raw));
    case F_SETSIG:
        return signal_value(low_int(raw));
    case F_SETLEASE:
        return enum_value(kLeaseTypes, low_uint(raw), "F_???");
    case F_NOTIFY:
        return flags_value(kNotifyFlags, low_uint(raw), "0");
    case F_ADD_SEALS:
        return flags_value(kSeals, low_uint(raw), "0");
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
    case F_GETOWN_EX:
    case F_SETOWN_EX:
        return pointer(raw);
    default:
        return hex(raw);
    }
}

Value ipc_cmd(std::uint64_t raw, Xlat extra) {
    std::uint64_t v = low_uint(raw);
    Value out;
    out.kind = Value::Kind::Flags;
    if ((v & kIpc64) != 0) {
        out.items.push_back(symbol("IPC_64"));
        v &= ~kIpc64;
    }
    if (auto name = lookup(kIpcCmds, v)) {
        out.items.push_back(symbol(*name));
    } else if (auto other = lookup(extra, v)) {
        out.items.push_back(symbol(*other));
    } else {
        out.number = static_cast<std::int64_t>(v);
    }
    return out;
}

Value ipc_flags(std::uint64_t raw) {
    const std::uint64_t value = low_uint(raw);
    Value v;
    v.kind = Value::Kind::Flags;
    std::uint64_t rest = value & ~std::uint64_t{0777};
    add_flags(v, rest, kIpcFlags);
    v.items.push_back(octal(value & 0777));
    v.number = static_cast<std::int64_t>(rest);
    return v;
}

Value sock_protocol(std::uint64_t family_raw, std::uint64_t raw) {
    const std::int32_t family = low_int(family_raw);
    const std::uint32_t proto = low_uint(raw);
    if (family == AF_INET || family == AF_INET6)
        return enum_value(kIpProtocols, proto, "IPPROTO_???");
    if (family == AF_NETLINK) return enum_value(kNetlinkProtocols, proto, "NETLINK_???");
    if (family == AF_PACKET) {
        const auto eth = ntohs(static_cast<std::uint16_t>(proto));
        if (auto name = lookup(kEthProtocols, eth))
            return symbol("htons(" + std::string(*name) + ")");
    }
    return signed_value(low_int(raw));
}

Value sock_option(std::uint64_t level_raw, std::uint64_t raw) {
    const std::uint32_t opt = low_uint(raw);
    switch (low_int(level_raw)) {
    case SOL_SOCKET:
        return enum_value(kSocketOptions, opt, "SO_???");
    case 6:
        return enum_value(kTcpOptions, opt, "TCP_???");
    case 0:
        return enum_value(kIpOptions, opt, "IP_???");
    case 41:
        return enum_value(kIpv6Options, opt, "IPV6_???");
    default:
        return signed_value(low_int(raw));
    }
}

Value clone_flags(std::uint64_t raw) {
    Value v;
    v.kind = Value::Kind::Flags;
    std::uint64_t rest = raw & ~std::uint64_t{0xff};
    add_flags(v, rest, kCloneFlags);
    const auto sig = static_cast<int>(raw & 0xff);
    if (sig != 0) {
        if (sig <= kSigRtMax)
            v.items.push_back(symbol(signal_name(sig)));
        else
            rest |= static_cast<std::uint64_t>(sig);
    }
    v.number = static_cast<std::int64_t>(rest);
    return v;
}

Value map_flags(std::uint64_t raw) {
    const std::uint64_t value = low_uint(raw);
    Value v;
    v.kind = Value::Kind::Flags;
    std::uint64_t rest = value;
    if (auto type = lookup(kMapType, value & MAP_TYPE)) {
        v.items.push_back(symbol(*type));
        rest &= ~static_cast<std::uint64_t>(MAP_TYPE);
    }
    add_flags(v, rest, kMapFlags);
    const std::uint64_t huge = (rest >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
    if (huge != 0) {
        rest &= ~(static_cast<std::uint64_t>(MAP_HUGE_MASK) << MAP_HUGE_SHIFT);
        if (huge == 21)
            v.items.push_back(symbol("MAP_HUGE_2MB"));
        else if (huge == 30)
            v.items.push_back(symbol("MAP_HUGE_1GB"));
        else
            v.items.push_back(symbol(std::to_string(huge) + "<<MAP_HUGE_SHIFT"));
    }
    v.number = static_cast<std::int64_t>(rest);
    return v;
}

Value statx_flags(std::uint64_t raw) {
    const std::uint64_t value = low_uint(raw);
    Value v;
    v.kind = Value::Kind::Flags;
    const std::uint64_t sync = value & AT_STATX_SYNC_TYPE;
    std::uint64_t rest = value & ~static_cast<std::uint64_t>(AT_STATX_SYNC_TYPE);
    if (auto name = lookup(kStatxSync, sync))
        v.items.push_back(symbol(*name));
    else
        rest |= sync;
    add_flags(v, rest, kAtFlags);
    v.number = static_cast<std::int64_t>(rest);
    return v;
}

Value device(std::uint64_t raw) {
    // The kernel's new_decode_dev for the 32-bit dev_t mknod takes.
    const std::uint32_t dev = low_uint(raw);
    const std::uint32_t major = (dev & 0xfff00U) >> 8;
    const std::uint32_t minor = (dev & 0xffU) | ((dev >> 12) & 0xfff00U);
    return symbol("makedev(" + hex_text(major) + ", " + hex_text(minor) + ")");
}

// One argument; nullopt when the call does not use it (see decode_arguments).
std::optional<Value> decode_one(const Call& c, const ArgSpec& spec, int index) {
    // The bits the kernel reads (decode::kind_bits): socket(0x100000028, ...) is AF_VSOCK.
    const std::uint64_t full = c.args[static_cast<std::size_t>(index)];
    const unsigned bits = kind_bits(spec.kind);
    const std::uint64_t raw = bits >= 64 ? full : full & ((std::uint64_t{1} << bits) - 1);
    const Options& o = c.options;
    switch (spec.kind) {
    case Arg::Int:
        return signed_value(low_int(raw));
    case Arg::Long:
        return signed_value(static_cast<std::int64_t>(raw));
    case Arg::UInt:
        return unsigned_value(low_uint(raw));
    case Arg::Unsigned:
        return unsigned_value(raw);
    case Arg::Hex:
    case Arg::Hex32:
        return hex(raw);
    case Arg::Ptr:
    case Arg::Out:
    case Arg::OutBuf: // at entry only the address: decode_results() fills these at the exit
    case Arg::OutStat:
    case Arg::OutDirents:
    case Arg::OutUtsname:
        return pointer(raw);
    case Arg::Fd:
        return fd_value(c, raw);
    case Arg::DirFd:
        return dirfd_value(c, raw);
    case Arg::Mode:
        return octal(low_uint(raw));
    case Arg::ModeType:
        return mode_with_type(raw);
    case Arg::Dev: {
        const std::uint64_t type = low_uint(ref_value(c, spec)) & S_IFMT;
        if (type != S_IFCHR && type != S_IFBLK) return std::nullopt;
        return device(raw);
    }
    case Arg::Path:
        return read_cstring(c.memory, raw, o.path_limit);
    case Arg::Str:
        return read_cstring(c.memory, raw, o.string_limit);
    case Arg::Buf:
        return read_buffer(c.memory, raw, ref_value(c, spec), o.string_limit);
    case Arg::Argv:
        return string_array(c.memory, raw, o, o.verbose ? kMaxArrayEntries : o.string_limit);
    case Arg::Envp:
        if (o.verbose) return string_array(c.memory, raw, o, kMaxArrayEntries);
        return environment_count(c.memory, raw, o);
    case Arg::SockAddr:
        return sockaddr_value(c.memory, raw, ref_value(c, spec), o);
    case Arg::Signal:
        return signal_value(low_int(raw));
    case Arg::SigHow:
        return enum_value(kSigHow, low_uint(raw), "SIG_???");
    case Arg::Whence:
        return enum_value(kWhence, low_uint(raw), "SEEK_???");
    case Arg::AccessMode:
        return flags_value(kAccessMode, low_uint(raw), "F_OK");
    case Arg::Family:
        return enum_value(kFamilies, low_uint(raw), "AF_???");
    case Arg::SockProto:
        return sock_protocol(ref_value(c, spec), raw);
    case Arg::SockLevel:
        return enum_value(kSockLevels, low_uint(raw), "SOL_???");
    case Arg::SockOpt:
        return sock_option(ref_value(c, spec), raw);
    case Arg::ShutHow:
        return enum_value(kShutHow, low_uint(raw), "SHUT_???");
    case Arg::FcntlCmd:
        return enum_value(kFcntlCmds, low_uint(raw), "F_???");
    case Arg::FcntlArg:
        return fcntl_arg(ref_value(c, spec), raw);
    case Arg::EpollOp:
        return enum_value(kEpollOps, low_uint(raw), "EPOLL_CTL_???");
    case Arg::ClockId:
        return enum_value(kClocks, low_uint(raw), "CLOCK_???");
    case Arg::FutexOp:
        return futex_op(raw);
    case Arg::FutexTimeout:
        return futex_arg(ref_value(c, spec), 3, raw);
    case Arg::FutexUaddr2:
        return futex_arg(ref_value(c, spec), 4, raw);
    case Arg::FutexVal3:
        return futex_arg(ref_value(c, spec), 5, raw);
    case Arg::Rlimit:
        return enum_value(kRlimits, low_uint(raw), "RLIMIT_???");
    case Arg::IdType:
        return enum_value(kIdTypes, low_uint(raw), "P_???");
    case Arg::PrctlOption:
        return enum_value(kPrctlOptions, low_uint(raw), "PR_???");
    case Arg::PrctlArg:
        return prctl_arg(c, ref_value(c, spec), index, raw);
    case Arg::ArchPrctlCode:
        return enum_value(kArchPrctl, low_uint(raw), "ARCH_???");
    case Arg::Madvise:
        return enum_value(kMadvise, low_uint(raw), "MADV_???");
    case Arg::Fadvise:
        return enum_value(kFadvise, low_uint(raw), "POSIX_FADV_???");
    case Arg::IpcKey:
        if (low_int(raw) == IPC_PRIVATE) return symbol("IPC_PRIVATE");
        return hex(low_uint(raw));
    case Arg::ShmCmd:
        return ipc_cmd(raw, kShmCmds);
    case Arg::SemCmd:
        return ipc_cmd(raw, kSemCmds);
    case Arg::MsgCmd:
        return ipc_cmd(raw, kMsgCmds);
    case Arg::SeccompOp:
        return enum_value(kSeccompOps, low_uint(raw), "SECCOMP_???");
    case Arg::PtraceRequest:
        return enum_value(kPtraceRequests, raw, "PTRACE_???");
    case Arg::IoctlRequest:
        if (auto name = lookup(kIoctls, low_uint(raw))) return symbol(*name);
        return hex(low_uint(raw));
    case Arg::RusageWho:
        return enum_value(kRusageWho, low_uint(raw), "RUSAGE_???");
    case Arg::PrioWhich:
        return enum_value(kPrioWhich, low_uint(raw), "PRIO_???");
    case Arg::ItimerWhich:
        return enum_value(kItimerWhich, low_uint(raw), "ITIMER_???");
    case Arg::SchedPolicy:
        return enum_value(kSchedPolicies, low_uint(raw), "SCHED_???");
    case Arg::OpenFlags:
        return open_flags(raw, true);
    case Arg::ModeIfCreate:
        if (!open_creates(ref_value(c, spec))) return std::nullopt;
        return octal(low_uint(raw));
    case Arg::PtrIfCreate:
        if (!open_creates(ref_value(c, spec))) return std::nullopt;
        return pointer(raw);
    case Arg::FdFlags:
        return open_flags(raw, false);
    case Arg::AtFlags:
        return flags_value(kAtFlags, low_uint(raw));
    case Arg::StatxFlags:
        return statx_flags(raw);
    case Arg::UnlinkFlags:
        return flags_value(kUnlinkFlags, low_uint(raw));
    case Arg::AccessAtFlags:
        return flags_value(kAccessAtFlags, low_uint(raw));
    case Arg::StatxMask:
        return flags_value(kStatxMask, low_uint(raw));
    case Arg::RenameFlags:
        return flags_value(kRenameFlags, low_uint(raw));
    case Arg::Prot:
        return flags_value(kProt, raw, "PROT_NONE");
    case Arg::MapFlags:
        return map_flags(raw);
    case Arg::MremapFlags:
        return flags_value(kMremapFlags, raw);
    case Arg::MsyncFlags:
        return flags_value(kMsyncFlags, low_uint(raw));
    case Arg::MlockFlags:
        return flags_value(kMlockFlags, low_uint(raw));
    case Arg::MlockallFlags:
        return flags_value(kMlockallFlags, low_uint(raw));
    case Arg::CloneFlags:
        return clone_flags(raw);
    case Arg::NsFlags:
    case Arg::NsType:
        return flags_value(kNsFlags, raw);
    case Arg::SockType: {
        const std::uint64_t value = low_uint(raw);
        Value v;
        v.kind = Value::Kind::Flags;
        std::uint64_t rest = value;
        if (auto type = lookup(kSockTypes, value & 0xf)) {
            v.items.push_back(symbol(*type));
            rest &= ~std::uint64_t{0xf};
        }
        add_flags(v, rest, kSockFlags);
        v.number = static_cast<std::int64_t>(rest);
        return v;
    }
    case Arg::SockFlags:
        return flags_value(kSockFlags, low_uint(raw));
    case Arg::MsgFlags:
        return flags_value(kMsgFlags, low_uint(raw));
    case Arg::WaitOptions:
        return flags_value(kWaitOptions, low_uint(raw));
    case Arg::EpollFlags:
        return flags_value(kEpollFlags, low_uint(raw));
    case Arg::EventfdFlags:
        return flags_value(kEventfdFlags, low_uint(raw));
    case Arg::SignalfdFlags:
        return flags_value(kSignalfdFlags, low_uint(raw));
    case Arg::TimerfdFlags:
        return flags_value(kTimerfdFlags, low_uint(raw));
    case Arg::TimerfdSetFlags:
        return flags_value(kTimerfdSetFlags, low_uint(raw));
    case Arg::TimerFlags:
        return flags_value(kTimerFlags, low_uint(raw));
    case Arg::InotifyFlags:
        return flags_value(kInotifyFlags, low_uint(raw));
    case Arg::InotifyMask:
        return flags_value(kInotifyMask, low_uint(raw));
    case Arg::MemfdFlags:
        return flags_value(kMemfdFlags, low_uint(raw));
    case Arg::PidfdFlags:
        return flags_value(kPidfdFlags, low_uint(raw));
    case Arg::RandomFlags:
        return flags_value(kRandomFlags, low_uint(raw));
    case Arg::FlockOp:
        return flags_value(kFlockOps, low_uint(raw));
    case Arg::MountFlags:
        return flags_value(kMountFlags, raw);
    case Arg::UmountFlags:
        return flags_value(kUmountFlags, low_uint(raw));
    case Arg::IpcFlags:
        return ipc_flags(raw);
    case Arg::ShmatFlags:
        return flags_value(kShmatFlags, low_uint(raw));
    case Arg::IpcMsgFlags:
        return flags_value(kIpcMsgFlags, low_uint(raw));
    case Arg::SeccompFlags:
        return flags_value(kSeccompFlags, low_uint(raw));
    case Arg::CloseRangeFlags:
        return flags_value(kCloseRangeFlags, low_uint(raw));
    case Arg::FallocMode:
        return flags_value(kFallocModes, low_uint(raw));
    case Arg::SpliceFlags:
        return flags_value(kSpliceFlags, low_uint(raw));
    }
    return hex(raw);
}

} // namespace

std::vector<Value> decode_arguments(std::string_view name, const std::array<std::uint64_t, 6>& args,
                                    Memory& memory, const Options& options, const FdPath& fd_path) {
    std::vector<Value> out;
    const SyscallInfo* info = find(name);
    if (info == nullptr) return out;
    const Call call{args, memory, options, fd_path};
    std::vector<std::optional<Value>> values;
    values.reserve(info->nargs);
    for (std::size_t i = 0; i < info->nargs; ++i)
        values.push_back(decode_one(call, info->args[i], static_cast<int>(i)));
    // Unused arguments at the end are left out; one in the middle shows its raw value.
    while (!values.empty() && !values.back()) values.pop_back();
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out.push_back(values[i] ? std::move(*values[i]) : hex(args[i]));
    return out;
}

namespace {

Value stat_value(Memory& memory, std::uint64_t address) {
    struct stat st {};
    if (memory.read(address, &st, sizeof st) != static_cast<long>(sizeof st))
        return unreadable(address);
    Value v;
    v.kind = Value::Kind::Struct;
    v.field_names = {"st_mode", "st_size"};
    v.items = {mode_with_type(st.st_mode), unsigned_value(static_cast<std::uint64_t>(st.st_size))};
    v.truncated = true; // strace's "...": the other fields are left out
    return v;
}

Value dirents_value(Memory& memory, std::uint64_t address, long length) {
    // linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name
    std::vector<unsigned char> buf(static_cast<std::size_t>(std::min<long>(length, 1 << 20)));
    const long got = buf.empty() ? 0 : memory.read(address, buf.data(), buf.size());
    Value v = pointer(address);
    if (got <= 0) return v;
    std::size_t entries = 0;
    for (std::size_t off = 0; off + 19 <= static_cast<std::size_t>(got); ++entries) {
        const std::uint16_t reclen =
            static_cast<std::uint16_t>(buf[off + 16] | (buf[off + 17] << 8));
        if (reclen == 0) break;
        off += reclen;
    }
    v.comment = std::to_string(entries) + (entries == 1 ? " entry" : " entries");
    return v;
}

// strace's uname: sysname and nodename, "..." for the rest unless -v.
Value utsname_value(Memory& memory, std::uint64_t address, bool verbose) {
    struct utsname u {};
    if (memory.read(address, &u, sizeof u) != static_cast<long>(sizeof u))
        return unreadable(address);
    const auto field = [](const char* s, std::size_t n) {
        Value v;
        v.kind = Value::Kind::String;
        v.text.assign(s, strnlen(s, n));
        return v;
    };
    Value v;
    v.kind = Value::Kind::Struct;
    v.field_names = {"sysname", "nodename"};
    v.items = {field(u.sysname, sizeof u.sysname), field(u.nodename, sizeof u.nodename)};
    if (!verbose) {
        v.truncated = true;
        return v;
    }
    v.field_names.insert(v.field_names.end(), {"release", "version", "machine", "domainname"});
    v.items.push_back(field(u.release, sizeof u.release));
    v.items.push_back(field(u.version, sizeof u.version));
    v.items.push_back(field(u.machine, sizeof u.machine));
    v.items.push_back(field(u.domainname, sizeof u.domainname));
    return v;
}

} // namespace

void decode_results(std::string_view name, const std::array<std::uint64_t, 6>& args, long result,
                    Memory& memory, const Options& options, std::vector<Value>& decoded) {
    const SyscallInfo* info = find(name);
    if (info == nullptr || result < 0) return;
    for (std::size_t i = 0; i < info->nargs && i < decoded.size(); ++i) {
        const std::uint64_t raw = args[i];
        switch (info->args[i].kind) {
        case Arg::OutBuf:
            decoded[i] =
                read_buffer(memory, raw, static_cast<std::uint64_t>(result), options.string_limit);
            break;
        case Arg::OutStat:
            if (result == 0) decoded[i] = stat_value(memory, raw);
            break;
        case Arg::OutDirents:
            decoded[i] = dirents_value(memory, raw, result);
            break;
        case Arg::OutUtsname:
            if (result == 0) decoded[i] = utsname_value(memory, raw, options.verbose);
            break;
        default:
            break;
        }
    }
}

std::string signal_name(int signal) {
    if (signal >= kSigRtMin && signal <= kSigRtMax) {
        if (signal == kSigRtMin) return "SIGRTMIN";
        return "SIGRT_" + std::to_string(signal - kSigRtMin);
    }
    if (auto name = lookup(kSignals, static_cast<std::uint64_t>(signal)); name && signal > 0)
        return std::string(*name);
    return std::to_string(signal);
}

std::string errno_name(int error) {
    // Kernel-internal codes a tracer can see (restart requests), which libc does not name.
    static constexpr Named kKernel[] = {{512, "ERESTARTSYS"},
                                        {513, "ERESTARTNOINTR"},
                                        {514, "ERESTARTNOHAND"},
                                        {515, "ENOIOCTLCMD"},
                                        {516, "ERESTART_RESTARTBLOCK"},
                                        {517, "EPROBE_DEFER"},
                                        {518, "EOPENSTALE"},
                                        {519, "ENOPARAM"},
                                        {521, "EBADHANDLE"},
                                        {522, "ENOTSYNC"},
                                        {523, "EBADCOOKIE"},
                                        {524, "ENOTSUPP"},
                                        {525, "ETOOSMALL"},
                                        {526, "ESERVERFAULT"},
                                        {527, "EBADTYPE"},
                                        {528, "EJUKEBOX"},
                                        {529, "EIOCBQUEUED"},
                                        {530, "ERECALLCONFLICT"}};
    if (error > 0) {
        if (const char* name = strerrorname_np(error)) return name;
        if (auto k = lookup(kKernel, static_cast<std::uint64_t>(error))) return std::string(*k);
    }
    return std::to_string(error);
}

std::string errno_text(int error) {
    if (const char* text = strerrordesc_np(error)) return text;
    return "Unknown error " + std::to_string(error);
}

} // namespace decode
