// SPDX-License-Identifier: Apache-2.0
#pragma once
// Parsing of the tracing controls: -e trace=SET and --inject SPEC (strace's syntax).
#include <cstdint>
#include <string>
#include <vector>

#include "policy/route.hpp"

namespace supervise {

// "-e trace=SET": names and classes (%file, %desc, %network, %process, %signal, %ipc, %memory,
// %creds, %clock), comma-separated; a leading "!" negates; "all" and "none". Throws a usage error
// naming an unknown syscall or class.
policy::Routing parse_trace_set(const std::string& set);

struct Injection {
    std::vector<std::string> syscalls;
    int error = 0;           // errno to return
    std::uint64_t first = 1; // 1-based occurrence numbers, counted per syscall over the whole run
    std::uint64_t last = 1;  // inclusive; UINT64_MAX for "N+"
    std::string spec;        // as typed, for messages
};

// "SYSCALL[,SYSCALL...]:error=ERRNO[:when=N|N+|N..M]". Throws a usage error on bad input.
Injection parse_injection(const std::string& spec);

} // namespace supervise
