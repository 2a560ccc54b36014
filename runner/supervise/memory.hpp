// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reading a notified target's memory (process_vm_readv). What is read is used only after the
// notification id is re-checked (SECCOMP_IOCTL_NOTIF_ID_VALID): a recycled PID must never leak
// another process's memory into the log. The supervisor does that check.
#include <string>
#include <sys/types.h>

#include "decode/decoder.hpp"

namespace supervise {

// What both engines read about a target besides its memory (procfs):
double wall_clock(); // CLOCK_REALTIME in seconds, for Event::time
// -y: the target of /proc/TID/fd/FD (AT_FDCWD: the cwd); with `details` (-yy) a socket as
// PROTO:[ADDRESSES] from its system.sockprotoname and /proc/TID/net/*, a device's numbers.
decode::FdInfo fd_path(pid_t tid, int fd, bool details = false);
pid_t read_tgid(pid_t tid); // TID's process now, through a pidfd or /proc (tid itself if unknown)

class RemoteMemory final : public decode::Memory {
public:
    explicit RemoteMemory(pid_t pid) : pid_(pid) {}
    long read(std::uint64_t address, void* out, std::size_t length) override;

private:
    pid_t pid_;
};

} // namespace supervise
