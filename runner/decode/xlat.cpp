// SPDX-License-Identifier: Apache-2.0
// The named constants (decode/xlat.hpp). Values come from the system headers where glibc has them
// (so they are right for the build's architecture), literals from include/uapi otherwise.
#include "decode/xlat.hpp"

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

namespace decode::xlat {
namespace {

// ---------------------------------------------------------------- constant tables
// Values come from the system headers where glibc has them (so they are right for the build's
// architecture), literals from include/uapi otherwise. Order is strace's print order; entries
// covering several bits come before the single bits they contain.

// clang-format off
#define X(c) Named{static_cast<std::uint64_t>(c), #c}

constexpr Named kOpenAccessRows[] = {X(O_RDONLY), X(O_WRONLY), X(O_RDWR), X(O_ACCMODE)};
constexpr Named kOpenFlagsRows[] = {
    X(O_CREAT),    X(O_EXCL),     X(O_NOCTTY),   X(O_TRUNC),   X(O_APPEND), X(O_NONBLOCK),
    X(O_SYNC),     X(O_DSYNC),    X(O_DIRECT),
#if defined(__x86_64__) || defined(__i386__)
    {0100000, "O_LARGEFILE"}, // the kernel's value; glibc defines O_LARGEFILE as 0 on 64-bit
#endif
    X(O_NOFOLLOW), X(O_NOATIME),  X(O_CLOEXEC),  X(O_PATH),    X(O_TMPFILE), X(O_DIRECTORY),
    {O_ASYNC, "FASYNC"}};
constexpr Named kAtFlagsRows[] = {X(AT_SYMLINK_NOFOLLOW), X(AT_SYMLINK_FOLLOW), X(AT_NO_AUTOMOUNT),
                              X(AT_EMPTY_PATH), {0x8000, "AT_RECURSIVE"}};
constexpr Named kStatxSyncRows[] = {X(AT_STATX_SYNC_AS_STAT), X(AT_STATX_FORCE_SYNC),
                                X(AT_STATX_DONT_SYNC)};
constexpr Named kUnlinkFlagsRows[] = {X(AT_REMOVEDIR)};
constexpr Named kAccessAtFlagsRows[] = {X(AT_SYMLINK_NOFOLLOW), X(AT_EACCESS), X(AT_EMPTY_PATH)};
constexpr Named kStatxMaskRows[] = {
    {0xfff, "STATX_ALL"},    {0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"},
    {0x2, "STATX_MODE"},     {0x4, "STATX_NLINK"},         {0x8, "STATX_UID"},
    {0x10, "STATX_GID"},     {0x20, "STATX_ATIME"},        {0x40, "STATX_MTIME"},
    {0x80, "STATX_CTIME"},   {0x100, "STATX_INO"},         {0x200, "STATX_SIZE"},
    {0x400, "STATX_BLOCKS"}, {0x800, "STATX_BTIME"},       {0x1000, "STATX_MNT_ID"},
    {0x2000, "STATX_DIOALIGN"}};
constexpr Named kRenameFlagsRows[] = {{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"},
                                  {4, "RENAME_WHITEOUT"}};
constexpr Named kAccessModeRows[] = {X(R_OK), X(W_OK), X(X_OK)};
constexpr Named kWhenceRows[] = {X(SEEK_SET), X(SEEK_CUR), X(SEEK_END), X(SEEK_DATA), X(SEEK_HOLE)};
constexpr Named kFileTypesRows[] = {X(S_IFREG), X(S_IFDIR), X(S_IFCHR), X(S_IFBLK),
                                X(S_IFIFO), X(S_IFLNK), X(S_IFSOCK)};

constexpr Named kProtRows[] = {X(PROT_READ), X(PROT_WRITE), X(PROT_EXEC), {0x8, "PROT_SEM"},
                           X(PROT_GROWSDOWN), X(PROT_GROWSUP)};
constexpr Named kMapTypeRows[] = {{0, "MAP_FILE"}, X(MAP_SHARED), X(MAP_PRIVATE),
                              X(MAP_SHARED_VALIDATE)};
constexpr Named kMapFlagsRows[] = {
    X(MAP_FIXED),     X(MAP_ANONYMOUS),
#ifdef MAP_32BIT
    X(MAP_32BIT),
#endif
    X(MAP_GROWSDOWN), X(MAP_DENYWRITE), X(MAP_EXECUTABLE), X(MAP_LOCKED),
    X(MAP_NORESERVE), X(MAP_POPULATE),  X(MAP_NONBLOCK),   X(MAP_STACK),
    X(MAP_HUGETLB),   X(MAP_SYNC),      X(MAP_FIXED_NOREPLACE)};
constexpr Named kMremapFlagsRows[] = {{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"},
                                  {4, "MREMAP_DONTUNMAP"}};
constexpr Named kMsyncFlagsRows[] = {X(MS_ASYNC), X(MS_INVALIDATE), X(MS_SYNC)};
constexpr Named kMlockFlagsRows[] = {{1, "MLOCK_ONFAULT"}};
constexpr Named kMlockallFlagsRows[] = {X(MCL_CURRENT), X(MCL_FUTURE), {4, "MCL_ONFAULT"}};
constexpr Named kMadviseRows[] = {
    X(MADV_NORMAL),         X(MADV_RANDOM),          X(MADV_SEQUENTIAL),    X(MADV_WILLNEED),
    X(MADV_DONTNEED),       {8, "MADV_FREE"},        X(MADV_REMOVE),        X(MADV_DONTFORK),
    X(MADV_DOFORK),         X(MADV_MERGEABLE),       X(MADV_UNMERGEABLE),   X(MADV_HUGEPAGE),
    X(MADV_NOHUGEPAGE),     X(MADV_DONTDUMP),        X(MADV_DODUMP),        {18, "MADV_WIPEONFORK"},
    {19, "MADV_KEEPONFORK"}, {20, "MADV_COLD"},      {21, "MADV_PAGEOUT"},  {22, "MADV_POPULATE_READ"},
    {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"},
    X(MADV_HWPOISON),       {101, "MADV_SOFT_OFFLINE"}};
constexpr Named kFadviseRows[] = {X(POSIX_FADV_NORMAL), X(POSIX_FADV_RANDOM), X(POSIX_FADV_SEQUENTIAL),
                              X(POSIX_FADV_WILLNEED), X(POSIX_FADV_DONTNEED), X(POSIX_FADV_NOREUSE)};

// Low byte (exit signal) handled apart; 0x400000 (CLONE_DETACHED) is ignored by the kernel and
// strace prints it as a number too.
constexpr Named kCloneFlagsRows[] = {
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
constexpr Named kNsFlagsRows[] = {
    {0x80, "CLONE_NEWTIME"},       {0x100, "CLONE_VM"},         {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},        {0x800, "CLONE_SIGHAND"},    {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},      {0x40000, "CLONE_SYSVSEM"},  {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},   {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},  {0x40000000, "CLONE_NEWNET"}};

constexpr Named kSignalsRows[] = {
    X(SIGHUP),  X(SIGINT),  X(SIGQUIT),   X(SIGILL),  X(SIGTRAP), X(SIGABRT), X(SIGBUS),
    X(SIGFPE),  X(SIGKILL), X(SIGUSR1),   X(SIGSEGV), X(SIGUSR2), X(SIGPIPE), X(SIGALRM),
    X(SIGTERM),
#ifdef SIGSTKFLT
    X(SIGSTKFLT),
#endif
    X(SIGCHLD), X(SIGCONT), X(SIGSTOP),   X(SIGTSTP), X(SIGTTIN), X(SIGTTOU), X(SIGURG),
    X(SIGXCPU), X(SIGXFSZ), X(SIGVTALRM), X(SIGPROF), X(SIGWINCH), X(SIGIO),  X(SIGPWR),
    X(SIGSYS)};
constexpr Named kSigHowRows[] = {X(SIG_BLOCK), X(SIG_UNBLOCK), X(SIG_SETMASK)};

constexpr Named kFamiliesRows[] = {
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
constexpr Named kIpProtocolsRows[] = {
    X(IPPROTO_IP),    X(IPPROTO_ICMP),   X(IPPROTO_IGMP),   X(IPPROTO_IPIP),    X(IPPROTO_TCP),
    X(IPPROTO_EGP),   X(IPPROTO_PUP),    X(IPPROTO_UDP),    X(IPPROTO_IDP),     X(IPPROTO_TP),
    X(IPPROTO_DCCP),  X(IPPROTO_IPV6),   X(IPPROTO_RSVP),   X(IPPROTO_GRE),     X(IPPROTO_ESP),
    X(IPPROTO_AH),    X(IPPROTO_ICMPV6), X(IPPROTO_MTP),    X(IPPROTO_BEETPH),  X(IPPROTO_ENCAP),
    X(IPPROTO_PIM),   X(IPPROTO_COMP),   X(IPPROTO_SCTP),   X(IPPROTO_UDPLITE), X(IPPROTO_MPLS),
    {143, "IPPROTO_ETHERNET"}, X(IPPROTO_RAW), {262, "IPPROTO_MPTCP"}};
constexpr Named kNetlinkProtocolsRows[] = {
    {0, "NETLINK_ROUTE"},         {1, "NETLINK_UNUSED"},      {2, "NETLINK_USERSOCK"},
    {3, "NETLINK_FIREWALL"},      {4, "NETLINK_SOCK_DIAG"},   {5, "NETLINK_NFLOG"},
    {6, "NETLINK_XFRM"},          {7, "NETLINK_SELINUX"},     {8, "NETLINK_ISCSI"},
    {9, "NETLINK_AUDIT"},         {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"},
    {12, "NETLINK_NETFILTER"},    {13, "NETLINK_IP6_FW"},     {14, "NETLINK_DNRTMSG"},
    {15, "NETLINK_KOBJECT_UEVENT"}, {16, "NETLINK_GENERIC"},  {18, "NETLINK_SCSITRANSPORT"},
    {19, "NETLINK_ECRYPTFS"},     {20, "NETLINK_RDMA"},       {21, "NETLINK_CRYPTO"},
    {22, "NETLINK_SMC"}};
constexpr Named kEthProtocolsRows[] = {{0x0003, "ETH_P_ALL"}, {0x0800, "ETH_P_IP"},
                                   {0x0806, "ETH_P_ARP"}, {0x86DD, "ETH_P_IPV6"},
                                   {0x8100, "ETH_P_8021Q"}};
constexpr Named kSockTypesRows[] = {X(SOCK_STREAM), X(SOCK_DGRAM), X(SOCK_RAW), X(SOCK_RDM),
                                X(SOCK_SEQPACKET), X(SOCK_DCCP), X(SOCK_PACKET)};
constexpr Named kSockFlagsRows[] = {X(SOCK_CLOEXEC), X(SOCK_NONBLOCK)};
constexpr Named kMsgFlagsRows[] = {
    X(MSG_OOB),      X(MSG_PEEK),       X(MSG_DONTROUTE), X(MSG_CTRUNC),   X(MSG_PROXY),
    X(MSG_TRUNC),    X(MSG_DONTWAIT),   X(MSG_EOR),       X(MSG_WAITALL),  X(MSG_FIN),
    X(MSG_SYN),      X(MSG_CONFIRM),    X(MSG_RST),       X(MSG_ERRQUEUE), X(MSG_NOSIGNAL),
    X(MSG_MORE),     X(MSG_WAITFORONE), X(MSG_BATCH),     X(MSG_ZEROCOPY), X(MSG_FASTOPEN),
    X(MSG_CMSG_CLOEXEC)};
constexpr Named kSockLevelsRows[] = {
    {0, "SOL_IP"},     {SOL_SOCKET, "SOL_SOCKET"}, {6, "SOL_TCP"},      {17, "SOL_UDP"},
    {41, "SOL_IPV6"},  {58, "SOL_ICMPV6"},         {255, "SOL_RAW"},    {263, "SOL_PACKET"},
    {270, "SOL_NETLINK"}, {279, "SOL_ALG"},        {282, "SOL_TLS"}};
constexpr Named kSocketOptionsRows[] = {
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
constexpr Named kTcpOptionsRows[] = {
    {1, "TCP_NODELAY"},      {2, "TCP_MAXSEG"},        {3, "TCP_CORK"},
    {4, "TCP_KEEPIDLE"},     {5, "TCP_KEEPINTVL"},     {6, "TCP_KEEPCNT"},
    {7, "TCP_SYNCNT"},       {8, "TCP_LINGER2"},       {9, "TCP_DEFER_ACCEPT"},
    {10, "TCP_WINDOW_CLAMP"}, {11, "TCP_INFO"},        {12, "TCP_QUICKACK"},
    {13, "TCP_CONGESTION"},  {18, "TCP_USER_TIMEOUT"}, {23, "TCP_FASTOPEN"},
    {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"}};
constexpr Named kIpOptionsRows[] = {
    {1, "IP_TOS"},             {2, "IP_TTL"},              {3, "IP_HDRINCL"},
    {4, "IP_OPTIONS"},         {8, "IP_PKTINFO"},          {10, "IP_MTU_DISCOVER"},
    {11, "IP_RECVERR"},        {15, "IP_FREEBIND"},        {19, "IP_TRANSPARENT"},
    {32, "IP_MULTICAST_IF"},   {33, "IP_MULTICAST_TTL"},   {34, "IP_MULTICAST_LOOP"},
    {35, "IP_ADD_MEMBERSHIP"}, {36, "IP_DROP_MEMBERSHIP"}, {49, "IP_BIND_ADDRESS_NO_PORT"}};
constexpr Named kIpv6OptionsRows[] = {
    {16, "IPV6_UNICAST_HOPS"},   {17, "IPV6_MULTICAST_IF"},    {18, "IPV6_MULTICAST_HOPS"},
    {19, "IPV6_MULTICAST_LOOP"}, {20, "IPV6_ADD_MEMBERSHIP"},  {21, "IPV6_DROP_MEMBERSHIP"},
    {25, "IPV6_RECVERR"},        {26, "IPV6_V6ONLY"},          {49, "IPV6_RECVPKTINFO"},
    {67, "IPV6_TCLASS"}};
constexpr Named kShutHowRows[] = {X(SHUT_RD), X(SHUT_WR), X(SHUT_RDWR)};

constexpr Named kFcntlCmdsRows[] = {
    X(F_DUPFD),          X(F_GETFD),          X(F_SETFD),         X(F_GETFL),
    X(F_SETFL),          X(F_GETLK),          X(F_SETLK),         X(F_SETLKW),
    X(F_SETOWN),         X(F_GETOWN),         X(F_SETSIG),        X(F_GETSIG),
    X(F_SETOWN_EX),      X(F_GETOWN_EX),      X(F_OFD_GETLK),     X(F_OFD_SETLK),
    X(F_OFD_SETLKW),     X(F_SETLEASE),       X(F_GETLEASE),      X(F_NOTIFY),
    X(F_DUPFD_CLOEXEC),  X(F_SETPIPE_SZ),     X(F_GETPIPE_SZ),    X(F_ADD_SEALS),
    X(F_GET_SEALS),      X(F_GET_RW_HINT),    X(F_SET_RW_HINT),   X(F_GET_FILE_RW_HINT),
    X(F_SET_FILE_RW_HINT)};
constexpr Named kFdFlagsRows[] = {X(FD_CLOEXEC)};
constexpr Named kLeaseTypesRows[] = {X(F_RDLCK), X(F_WRLCK), X(F_UNLCK)};
constexpr Named kNotifyFlagsRows[] = {X(DN_ACCESS), X(DN_MODIFY), X(DN_CREATE), X(DN_DELETE),
                                  X(DN_RENAME), X(DN_ATTRIB), X(DN_MULTISHOT)};
constexpr Named kSealsRows[] = {X(F_SEAL_SEAL), X(F_SEAL_SHRINK), X(F_SEAL_GROW), X(F_SEAL_WRITE),
                            X(F_SEAL_FUTURE_WRITE)};
constexpr Named kFlockOpsRows[] = {X(LOCK_SH), X(LOCK_EX), X(LOCK_NB), X(LOCK_UN)};

constexpr Named kEpollOpsRows[] = {X(EPOLL_CTL_ADD), X(EPOLL_CTL_DEL), X(EPOLL_CTL_MOD)};
constexpr Named kEpollFlagsRows[] = {X(EPOLL_CLOEXEC)};
constexpr Named kEventfdFlagsRows[] = {X(EFD_SEMAPHORE), X(EFD_CLOEXEC), X(EFD_NONBLOCK)};
constexpr Named kSignalfdFlagsRows[] = {X(SFD_CLOEXEC), X(SFD_NONBLOCK)};
constexpr Named kTimerfdFlagsRows[] = {X(TFD_CLOEXEC), X(TFD_NONBLOCK)};
constexpr Named kTimerfdSetFlagsRows[] = {X(TFD_TIMER_ABSTIME), X(TFD_TIMER_CANCEL_ON_SET)};
constexpr Named kTimerFlagsRows[] = {X(TIMER_ABSTIME)};
constexpr Named kInotifyFlagsRows[] = {X(IN_NONBLOCK), X(IN_CLOEXEC)};
constexpr Named kInotifyMaskRows[] = {
    X(IN_ACCESS),       X(IN_MODIFY),      X(IN_ATTRIB),       X(IN_CLOSE_WRITE),
    X(IN_CLOSE_NOWRITE), X(IN_OPEN),       X(IN_MOVED_FROM),   X(IN_MOVED_TO),
    X(IN_CREATE),       X(IN_DELETE),      X(IN_DELETE_SELF),  X(IN_MOVE_SELF),
    X(IN_UNMOUNT),      X(IN_Q_OVERFLOW),  X(IN_IGNORED),      X(IN_ONLYDIR),
    X(IN_DONT_FOLLOW),  X(IN_EXCL_UNLINK), {0x10000000, "IN_MASK_CREATE"}, X(IN_MASK_ADD),
    X(IN_ISDIR),        X(IN_ONESHOT)};
constexpr Named kMemfdFlagsRows[] = {{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
                                 {8, "MFD_NOEXEC_SEAL"}, {0x10, "MFD_EXEC"}};
constexpr Named kPidfdFlagsRows[] = {{O_NONBLOCK, "PIDFD_NONBLOCK"}};
constexpr Named kRandomFlagsRows[] = {X(GRND_NONBLOCK), X(GRND_RANDOM), X(GRND_INSECURE)};

constexpr Named kClocksRows[] = {
    X(CLOCK_REALTIME),          X(CLOCK_MONOTONIC),        X(CLOCK_PROCESS_CPUTIME_ID),
    X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW),    X(CLOCK_REALTIME_COARSE),
    X(CLOCK_MONOTONIC_COARSE),  X(CLOCK_BOOTTIME),         X(CLOCK_REALTIME_ALARM),
    X(CLOCK_BOOTTIME_ALARM),    {10, "CLOCK_SGI_CYCLE"},   X(CLOCK_TAI)};
constexpr Named kFutexCmdsRows[] = {
    X(FUTEX_WAIT),            X(FUTEX_WAKE),         X(FUTEX_FD),           X(FUTEX_REQUEUE),
    X(FUTEX_CMP_REQUEUE),     X(FUTEX_WAKE_OP),      X(FUTEX_LOCK_PI),      X(FUTEX_UNLOCK_PI),
    X(FUTEX_TRYLOCK_PI),      X(FUTEX_WAIT_BITSET),  X(FUTEX_WAKE_BITSET),  X(FUTEX_WAIT_REQUEUE_PI),
    X(FUTEX_CMP_REQUEUE_PI),  {13, "FUTEX_LOCK_PI2"}};
constexpr Named kRlimitsRows[] = {
    X(RLIMIT_CPU),      X(RLIMIT_FSIZE), X(RLIMIT_DATA),   X(RLIMIT_STACK),
    X(RLIMIT_CORE),     X(RLIMIT_RSS),   X(RLIMIT_NPROC),  X(RLIMIT_NOFILE),
    X(RLIMIT_MEMLOCK),  X(RLIMIT_AS),    X(RLIMIT_LOCKS),  X(RLIMIT_SIGPENDING),
    X(RLIMIT_MSGQUEUE), X(RLIMIT_NICE),  X(RLIMIT_RTPRIO), X(RLIMIT_RTTIME)};
constexpr Named kIdTypesRows[] = {X(P_ALL), X(P_PID), X(P_PGID), {3, "P_PIDFD"}};
constexpr Named kWaitOptionsRows[] = {X(WNOHANG), X(WEXITED),     X(WSTOPPED), X(WCONTINUED),
                                  X(WNOWAIT), X(__WNOTHREAD), X(__WALL),   X(__WCLONE)};
constexpr Named kRusageWhoRows[] = {{0, "RUSAGE_SELF"}, {1, "RUSAGE_THREAD"},
                                {static_cast<std::uint32_t>(-1), "RUSAGE_CHILDREN"}};
constexpr Named kPrioWhichRows[] = {X(PRIO_PROCESS), X(PRIO_PGRP), X(PRIO_USER)};
constexpr Named kItimerWhichRows[] = {{0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"}};
constexpr Named kSchedPoliciesRows[] = {{0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"},
                                    {3, "SCHED_BATCH"}, {4, "SCHED_ISO"},  {5, "SCHED_IDLE"},
                                    {6, "SCHED_DEADLINE"}};

constexpr Named kPrctlOptionsRows[] = {
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
constexpr Named kCapAmbientOpsRows[] = {{1, "PR_CAP_AMBIENT_IS_SET"}, {2, "PR_CAP_AMBIENT_RAISE"},
                                    {3, "PR_CAP_AMBIENT_LOWER"},  {4, "PR_CAP_AMBIENT_CLEAR_ALL"}};
constexpr Named kSuidDumpRows[] = {{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"},
                               {2, "SUID_DUMP_ROOT"}};
constexpr Named kSeccompModesRows[] = {{1, "SECCOMP_MODE_STRICT"}, {2, "SECCOMP_MODE_FILTER"}};
constexpr std::string_view kCapabilityRows[] = {
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
constexpr Named kArchPrctlRows[] = {
    {0x1001, "ARCH_SET_GS"},           {0x1002, "ARCH_SET_FS"},
    {0x1003, "ARCH_GET_FS"},           {0x1004, "ARCH_GET_GS"},
    {0x1011, "ARCH_GET_CPUID"},        {0x1012, "ARCH_SET_CPUID"},
    {0x1021, "ARCH_GET_XCOMP_SUPP"},   {0x1022, "ARCH_GET_XCOMP_PERM"},
    {0x1023, "ARCH_REQ_XCOMP_PERM"},   {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
    {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"}, {0x2001, "ARCH_MAP_VDSO_X32"},
    {0x2002, "ARCH_MAP_VDSO_32"},      {0x2003, "ARCH_MAP_VDSO_64"}};

constexpr Named kMountFlagsRows[] = {
    {0xC0ED0000, "MS_MGC_VAL"}, X(MS_RDONLY),     X(MS_NOSUID),      X(MS_NODEV),
    X(MS_NOEXEC),      X(MS_SYNCHRONOUS),  X(MS_REMOUNT),     X(MS_MANDLOCK),
    X(MS_DIRSYNC),     {256, "MS_NOSYMFOLLOW"}, X(MS_NOATIME), X(MS_NODIRATIME),
    X(MS_BIND),        X(MS_MOVE),         X(MS_REC),         X(MS_SILENT),
    X(MS_POSIXACL),    X(MS_UNBINDABLE),   X(MS_PRIVATE),     X(MS_SLAVE),
    X(MS_SHARED),      X(MS_RELATIME),     X(MS_KERNMOUNT),   X(MS_I_VERSION),
    X(MS_STRICTATIME), X(MS_LAZYTIME),     X(MS_ACTIVE),      X(MS_NOUSER)};
constexpr Named kUmountFlagsRows[] = {X(MNT_FORCE), X(MNT_DETACH), X(MNT_EXPIRE), X(UMOUNT_NOFOLLOW)};

constexpr Named kIpcFlagsRows[] = {X(IPC_CREAT), X(IPC_EXCL), X(IPC_NOWAIT)};
constexpr Named kShmatFlagsRows[] = {X(SHM_RDONLY), X(SHM_RND), X(SHM_REMAP), X(SHM_EXEC)};
constexpr Named kIpcMsgFlagsRows[] = {X(MSG_NOERROR), X(MSG_EXCEPT), X(MSG_COPY), X(IPC_NOWAIT)};
constexpr Named kIpcCmdsRows[] = {X(IPC_RMID), X(IPC_SET), X(IPC_STAT), X(IPC_INFO)};
constexpr Named kShmCmdsRows[] = {X(SHM_LOCK), X(SHM_UNLOCK), X(SHM_STAT), X(SHM_INFO),
                              X(SHM_STAT_ANY)};
constexpr Named kSemCmdsRows[] = {{11, "GETPID"},  {12, "GETVAL"},   {13, "GETALL"},
                              {14, "GETNCNT"}, {15, "GETZCNT"},  {16, "SETVAL"},
                              {17, "SETALL"},  {18, "SEM_STAT"}, {19, "SEM_INFO"},
                              {20, "SEM_STAT_ANY"}};
constexpr Named kMsgCmdsRows[] = {X(MSG_STAT), X(MSG_INFO), X(MSG_STAT_ANY)};

constexpr Named kSeccompOpsRows[] = {{0, "SECCOMP_SET_MODE_STRICT"},  {1, "SECCOMP_SET_MODE_FILTER"},
                                 {2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"}};
constexpr Named kSeccompFlagsRows[] = {
    {1, "SECCOMP_FILTER_FLAG_TSYNC"},        {2, "SECCOMP_FILTER_FLAG_LOG"},
    {4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},   {8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"},
    {16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"}, {32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}};
constexpr Named kPtraceRequestsRows[] = {
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
constexpr Named kIoctlsRows[] = {
    X(TCGETS),     X(TCSETS),     X(TCSETSW),   X(TCSETSF),    X(TCGETA),    X(TCSETA),
    X(TIOCSCTTY),  X(TIOCGPGRP),  X(TIOCSPGRP), X(TIOCOUTQ),   X(TIOCSTI),   X(TIOCGWINSZ),
    X(TIOCSWINSZ), X(FIONREAD),   X(TIOCNOTTY), X(TIOCGPTN),   X(TIOCSPTLCK), X(FIONBIO),
    X(FIONCLEX),   X(FIOCLEX),    X(FIOASYNC),  X(TIOCGSID)};
constexpr Named kCloseRangeFlagsRows[] = {{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}};
constexpr Named kFallocModesRows[] = {
    X(FALLOC_FL_KEEP_SIZE),      X(FALLOC_FL_PUNCH_HOLE),  X(FALLOC_FL_NO_HIDE_STALE),
    X(FALLOC_FL_COLLAPSE_RANGE), X(FALLOC_FL_ZERO_RANGE),  X(FALLOC_FL_INSERT_RANGE),
    X(FALLOC_FL_UNSHARE_RANGE)};
constexpr Named kSpliceFlagsRows[] = {X(SPLICE_F_MOVE), X(SPLICE_F_NONBLOCK), X(SPLICE_F_MORE),
                                  X(SPLICE_F_GIFT)};

#undef X
// clang-format on

} // namespace

const Xlat kOpenAccess{kOpenAccessRows};
const Xlat kOpenFlags{kOpenFlagsRows};
const Xlat kAtFlags{kAtFlagsRows};
const Xlat kStatxSync{kStatxSyncRows};
const Xlat kUnlinkFlags{kUnlinkFlagsRows};
const Xlat kAccessAtFlags{kAccessAtFlagsRows};
const Xlat kStatxMask{kStatxMaskRows};
const Xlat kRenameFlags{kRenameFlagsRows};
const Xlat kAccessMode{kAccessModeRows};
const Xlat kWhence{kWhenceRows};
const Xlat kFileTypes{kFileTypesRows};
const Xlat kProt{kProtRows};
const Xlat kMapType{kMapTypeRows};
const Xlat kMapFlags{kMapFlagsRows};
const Xlat kMremapFlags{kMremapFlagsRows};
const Xlat kMsyncFlags{kMsyncFlagsRows};
const Xlat kMlockFlags{kMlockFlagsRows};
const Xlat kMlockallFlags{kMlockallFlagsRows};
const Xlat kMadvise{kMadviseRows};
const Xlat kFadvise{kFadviseRows};
const Xlat kCloneFlags{kCloneFlagsRows};
const Xlat kNsFlags{kNsFlagsRows};
const Xlat kSignals{kSignalsRows};
const Xlat kSigHow{kSigHowRows};
const Xlat kFamilies{kFamiliesRows};
const Xlat kIpProtocols{kIpProtocolsRows};
const Xlat kNetlinkProtocols{kNetlinkProtocolsRows};
const Xlat kEthProtocols{kEthProtocolsRows};
const Xlat kSockTypes{kSockTypesRows};
const Xlat kSockFlags{kSockFlagsRows};
const Xlat kMsgFlags{kMsgFlagsRows};
const Xlat kSockLevels{kSockLevelsRows};
const Xlat kSocketOptions{kSocketOptionsRows};
const Xlat kTcpOptions{kTcpOptionsRows};
const Xlat kIpOptions{kIpOptionsRows};
const Xlat kIpv6Options{kIpv6OptionsRows};
const Xlat kShutHow{kShutHowRows};
const Xlat kFcntlCmds{kFcntlCmdsRows};
const Xlat kFdFlags{kFdFlagsRows};
const Xlat kLeaseTypes{kLeaseTypesRows};
const Xlat kNotifyFlags{kNotifyFlagsRows};
const Xlat kSeals{kSealsRows};
const Xlat kFlockOps{kFlockOpsRows};
const Xlat kEpollOps{kEpollOpsRows};
const Xlat kEpollFlags{kEpollFlagsRows};
const Xlat kEventfdFlags{kEventfdFlagsRows};
const Xlat kSignalfdFlags{kSignalfdFlagsRows};
const Xlat kTimerfdFlags{kTimerfdFlagsRows};
const Xlat kTimerfdSetFlags{kTimerfdSetFlagsRows};
const Xlat kTimerFlags{kTimerFlagsRows};
const Xlat kInotifyFlags{kInotifyFlagsRows};
const Xlat kInotifyMask{kInotifyMaskRows};
const Xlat kMemfdFlags{kMemfdFlagsRows};
const Xlat kPidfdFlags{kPidfdFlagsRows};
const Xlat kRandomFlags{kRandomFlagsRows};
const Xlat kClocks{kClocksRows};
const Xlat kFutexCmds{kFutexCmdsRows};
const Xlat kRlimits{kRlimitsRows};
const Xlat kIdTypes{kIdTypesRows};
const Xlat kWaitOptions{kWaitOptionsRows};
const Xlat kRusageWho{kRusageWhoRows};
const Xlat kPrioWhich{kPrioWhichRows};
const Xlat kItimerWhich{kItimerWhichRows};
const Xlat kSchedPolicies{kSchedPoliciesRows};
const Xlat kPrctlOptions{kPrctlOptionsRows};
const Xlat kCapAmbientOps{kCapAmbientOpsRows};
const Xlat kSuidDump{kSuidDumpRows};
const Xlat kSeccompModes{kSeccompModesRows};
const Xlat kArchPrctl{kArchPrctlRows};
const Xlat kMountFlags{kMountFlagsRows};
const Xlat kUmountFlags{kUmountFlagsRows};
const Xlat kIpcFlags{kIpcFlagsRows};
const Xlat kShmatFlags{kShmatFlagsRows};
const Xlat kIpcMsgFlags{kIpcMsgFlagsRows};
const Xlat kIpcCmds{kIpcCmdsRows};
const Xlat kShmCmds{kShmCmdsRows};
const Xlat kSemCmds{kSemCmdsRows};
const Xlat kMsgCmds{kMsgCmdsRows};
const Xlat kSeccompOps{kSeccompOpsRows};
const Xlat kSeccompFlags{kSeccompFlagsRows};
const Xlat kPtraceRequests{kPtraceRequestsRows};
const Xlat kIoctls{kIoctlsRows};
const Xlat kCloseRangeFlags{kCloseRangeFlagsRows};
const Xlat kFallocModes{kFallocModesRows};
const Xlat kSpliceFlags{kSpliceFlagsRows};
const std::span<const std::string_view> kCapabilities{kCapabilityRows};

std::optional<std::string_view> lookup(Xlat table, std::uint64_t value) {
    for (const auto& n : table)
        if (n.value == value) return n.name;
    return std::nullopt;
}

} // namespace decode::xlat
