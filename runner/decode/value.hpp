// SPDX-License-Identifier: Apache-2.0
#pragma once
// A decoded syscall argument as data. Decoders produce Values; printers own the syntax
// (trace/strace_printer renders strace's, trace/json_writer renders JSON).
#include <cstdint>
#include <string>
#include <vector>

namespace decode {

// -yy: a socket fd as strace describes it, as data: TCP:[127.0.0.1:40000->127.0.0.1:22],
// UNIX:[5914614,"/tmp/usock"]. Read from the target's /proc: `path` is the command's to choose.
struct SocketInfo {
    std::string protocol; // TCP, TCPv6, UDP, UDPv6, UNIX, UNIX-STREAM, NETLINK, ...; "": none
    std::string address;  // "LOCAL->REMOTE", "LOCAL", or the inode when neither is known
    std::string path;     // a unix socket's bound path (@NAME for an abstract one); "" if none
};

struct Value {
    enum class Kind {
        Signed,     // number: 3, -1
        Unsigned,   // number: 4096
        Hex,        // number: 0x7ffd1234
        Octal,      // number: 0755 (modes)
        Pointer,    // an address printed as hex (NULL for 0); unread memory
        String,     // text: bytes read from the target (may contain any byte); truncated => "..."
        Symbol,     // text: a constant's name: AT_FDCWD, AF_INET, SIGTERM
        Flags,      // items: Symbol values OR-ed; number: leftover bits not named (printed as hex)
        Array,      // items: elements ([...]); truncated => "..." after the elements
        Struct,     // items + field_names: {sa_family=AF_INET, sin_port=htons(80), ...}
        Unreadable, // number: the address that could not be read
    };
    Kind kind = Kind::Hex;
    std::int64_t number = 0;  // Signed/Unsigned/Hex/Octal/Pointer/Unreadable/Flags(rest)
    std::string text;         // String/Symbol
    bool truncated = false;   // String/Array
    std::vector<Value> items; // Flags/Array/Struct
    std::vector<std::string> field_names; // Struct
    std::string comment; // printed after the value: "/* 23 vars */", an fd's path for -y
    std::string device;  // -yy: the device an fd is open on, "char 1:3" or "block 8:0"
    SocketInfo socket;   // -yy: what a socket fd is (protocol empty when not a socket or no -yy)
};

} // namespace decode
