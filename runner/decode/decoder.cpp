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

#include "decode/kinds.hpp"
#include "decode/parts.hpp"
#include "decode/syscalls.hpp"
#include "decode/xlat.hpp"

namespace decode {

using namespace xlat;

namespace detail {

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

Value flags_value(Xlat table, std::uint64_t value, std::string_view zero) {
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

Value sock_type(std::uint64_t raw) {
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

} // namespace detail

std::vector<Value> decode_arguments(std::string_view name, const std::array<std::uint64_t, 6>& args,
                                    Memory& memory, const Options& options, const FdPath& fd_path) {
    std::vector<Value> out;
    const SyscallInfo* info = find(name);
    if (info == nullptr) return out;
    const detail::Call call{args, memory, options, fd_path};
    std::vector<std::optional<Value>> values;
    values.reserve(info->nargs);
    for (std::size_t i = 0; i < info->nargs; ++i) {
        const ArgSpec& spec = info->args[i];
        const KindInfo& kind = kind_info(spec.kind);
        // The bits the kernel reads: socket(0x100000028, ...) is AF_VSOCK.
        const std::uint64_t raw =
            kind.bits >= 64 ? args[i] : args[i] & ((std::uint64_t{1} << kind.bits) - 1);
        values.push_back(kind.decode(call, spec, static_cast<int>(i), raw, kind));
    }
    // Unused arguments at the end are left out; one in the middle shows its raw value.
    while (!values.empty() && !values.back()) values.pop_back();
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out.push_back(values[i] ? std::move(*values[i]) : detail::hex(args[i]));
    return out;
}

namespace detail {

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

} // namespace detail

void decode_results(std::string_view name, const std::array<std::uint64_t, 6>& args, long result,
                    Memory& memory, const Options& options, std::vector<Value>& decoded) {
    const SyscallInfo* info = find(name);
    if (info == nullptr || result < 0) return;
    for (std::size_t i = 0; i < info->nargs && i < decoded.size(); ++i) {
        const KindInfo& kind = kind_info(info->args[i].kind);
        if (kind.at_exit == nullptr) continue;
        if (auto v = kind.at_exit(memory, args[i], result, options)) decoded[i] = std::move(*v);
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
