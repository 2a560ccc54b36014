// SPDX-License-Identifier: Apache-2.0
#pragma once
// JSON lines: one object per event, ending in "\n". Always valid UTF-8 JSON, whatever bytes the
// tracee's strings hold (a byte that is not part of valid UTF-8 becomes the code point of the same
// value, U+0080..U+00FF, as in Latin-1). The schema: docs/schema/run.schema.json (docs/json.md);
// every line starts with "schema_version" and has a "type".
//
// Syscall events:
//   {"schema_version":1,"type":"syscall","time":1700000000.123456,"pid":2,"tid":2,
//    "syscall":"openat","nr":257,"arch":"SCMP_ARCH_X86_64" (null when unknown),
//    "args":["0xffffff9c","0x7ffd...",...],                             raw, six hex strings
//    "decoded":[...],                                                   see below
//    "verdict":"allowed|denied|killed|would-deny|injected|emulated",
//    "rule":"syscalls[3]"|null,"action":"ERRNO(EPERM)"|null,"result":-1|null,"errno":"EPERM"
//    (only when known),"restarted":false,"duration":0.000012 (-T only)}
// Decoded values: numbers (signed, unsigned) as numbers; hex numbers, pointers and octal modes as
// strings ("0x7ffd1234", "0755"; NULL is null); strings as strings; symbols and flags as strings
// ("AT_FDCWD", "O_RDONLY|O_CLOEXEC"); arrays as arrays; structs as objects; unreadable memory as
// {"unreadable":"0x..."}. A cut string or array is {"string":"...","truncated":true} /
// {"array":[...],"truncated":true}. A value with a remark is {"value":V,"comment":"23 vars"}; an fd
// with its -y path is {"value":3,"path":"/etc/passwd"}. An abstract AF_UNIX name is "@name".
//
// Exit lines: {"schema_version":1,"type":"exit","pid":2,"code":0} or {...,"type":"exit","pid":2,
// "signal":"SIGSYS","core_dumped":false}; a death the policy's KILL explains adds "seccomp_kill":
// the known call {"syscall":"ptrace","call":"ptrace(PTRACE_TRACEME, ...)","rule":"syscalls[0]",
// "action":"KILL_PROCESS","candidates":[]}, or null for those four and the rules that could have
// done it in "candidates":[{"rule":"syscalls[0]","action":"KILL_PROCESS","syscalls":["ptrace"]}].
// The -c summary is a line of its own: trace/summary.hpp.
#include <string>
#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "trace/event.hpp"

namespace trace {

std::string event_json(const Event& e);
std::string exit_json(pid_t pid, int status, const SeccompKill* kill = nullptr);
// The "seccomp_kill" object of an exit line (also `sandbox check --json`'s).
nlohmann::ordered_json seccomp_kill_object(const SeccompKill& kill);

// "allowed", "denied", "killed", "would-deny", "injected", "emulated".
std::string verdict_name(Verdict v);
// libseccomp's name for an AUDIT_ARCH_* token ("SCMP_ARCH_X86_64"), "" when unknown.
std::string arch_name(std::uint32_t token);

} // namespace trace
