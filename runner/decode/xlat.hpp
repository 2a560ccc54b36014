// SPDX-License-Identifier: Apache-2.0
#pragma once
// The named constants the decoder prints, as data (strace keeps the same facts in xlat/*.in): one
// table per set of names, value -> name, in strace's print order (entries covering several bits
// before the single bits they contain). The kinds table (decode/kinds.cpp) says which table an
// argument kind prints with; decoder.cpp's building blocks look names up here. Adding a constant
// is one entry in xlat.cpp.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace decode::xlat {

struct Named {
    std::uint64_t value;
    std::string_view name;
};
using Xlat = std::span<const Named>;

// The name of `value` in `table`.
std::optional<std::string_view> lookup(Xlat table, std::uint64_t value);

inline constexpr int kSigRtMin = 32; // the kernel's; glibc reserves the first two for itself
inline constexpr int kSigRtMax = 64;
inline constexpr std::uint64_t kFutexLockPi2 = 13;
inline constexpr std::uint64_t kIpc64 = 0x100;

extern const Xlat kOpenAccess;
extern const Xlat kOpenFlags;
extern const Xlat kAtFlags;
extern const Xlat kStatxSync;
extern const Xlat kUnlinkFlags;
extern const Xlat kAccessAtFlags;
extern const Xlat kStatxMask;
extern const Xlat kRenameFlags;
extern const Xlat kAccessMode;
extern const Xlat kWhence;
extern const Xlat kFileTypes;
extern const Xlat kProt;
extern const Xlat kMapType;
extern const Xlat kMapFlags;
extern const Xlat kMremapFlags;
extern const Xlat kMsyncFlags;
extern const Xlat kMlockFlags;
extern const Xlat kMlockallFlags;
extern const Xlat kMadvise;
extern const Xlat kFadvise;
extern const Xlat kCloneFlags;
extern const Xlat kNsFlags;
extern const Xlat kSignals;
extern const Xlat kSigHow;
extern const Xlat kFamilies;
extern const Xlat kIpProtocols;
extern const Xlat kNetlinkProtocols;
extern const Xlat kEthProtocols;
extern const Xlat kSockTypes;
extern const Xlat kSockFlags;
extern const Xlat kMsgFlags;
extern const Xlat kSockLevels;
extern const Xlat kSocketOptions;
extern const Xlat kTcpOptions;
extern const Xlat kIpOptions;
extern const Xlat kIpv6Options;
extern const Xlat kShutHow;
extern const Xlat kFcntlCmds;
extern const Xlat kFdFlags;
extern const Xlat kLeaseTypes;
extern const Xlat kNotifyFlags;
extern const Xlat kSeals;
extern const Xlat kFlockOps;
extern const Xlat kEpollOps;
extern const Xlat kEpollFlags;
extern const Xlat kEventfdFlags;
extern const Xlat kSignalfdFlags;
extern const Xlat kTimerfdFlags;
extern const Xlat kTimerfdSetFlags;
extern const Xlat kTimerFlags;
extern const Xlat kInotifyFlags;
extern const Xlat kInotifyMask;
extern const Xlat kMemfdFlags;
extern const Xlat kPidfdFlags;
extern const Xlat kRandomFlags;
extern const Xlat kClocks;
extern const Xlat kFutexCmds;
extern const Xlat kRlimits;
extern const Xlat kIdTypes;
extern const Xlat kWaitOptions;
extern const Xlat kRusageWho;
extern const Xlat kPrioWhich;
extern const Xlat kItimerWhich;
extern const Xlat kSchedPolicies;
extern const Xlat kPrctlOptions;
extern const Xlat kCapAmbientOps;
extern const Xlat kSuidDump;
extern const Xlat kSeccompModes;
extern const Xlat kArchPrctl;
extern const Xlat kMountFlags;
extern const Xlat kUmountFlags;
extern const Xlat kIpcFlags;
extern const Xlat kShmatFlags;
extern const Xlat kIpcMsgFlags;
extern const Xlat kIpcCmds;
extern const Xlat kShmCmds;
extern const Xlat kSemCmds;
extern const Xlat kMsgCmds;
extern const Xlat kSeccompOps;
extern const Xlat kSeccompFlags;
extern const Xlat kPtraceRequests;
extern const Xlat kIoctls;
extern const Xlat kCloseRangeFlags;
extern const Xlat kFallocModes;
extern const Xlat kSpliceFlags;
// CAP_* by number (capability(7)).
extern const std::span<const std::string_view> kCapabilities;

} // namespace decode::xlat
