// SPDX-License-Identifier: Apache-2.0
#pragma once
// The filter that keeps a root caller's command from making setuid or setgid files. Its binds are
// id-mapped (launch::Plan::id_mapped_binds): in a --rw bind, a file it creates belongs to host uid
// 0, and with the setuid bit it would be a setuid-root program for every user of the host. The
// kernel refuses, with EPERM, each call that would set S_ISUID or S_ISGID on a file (chmod,
// fchmod, fchmodat, fchmodat2, open/openat/creat with O_CREAT or O_TMPFILE, mknod, mknodat), and
// openat2 with ENOSYS (its mode is behind a pointer; libc falls back to openat), and io_uring,
// whose operations no seccomp filter sees (IORING_OP_OPENAT would create a setuid file). Whatever
// the policy says: it is installed as a filter of its own, first. (A file capability is as good
// as a setuid bit: make_plan refuses CAP_SETFCAP with such a bind.)
#include <cstdint>
#include <vector>

#include <linux/filter.h>

namespace policy {

// For these architectures (libseccomp tokens; the native one is always in), ALLOW for the rest.
std::vector<sock_filter> setid_filter(const std::vector<std::uint32_t>& arches);

} // namespace policy
