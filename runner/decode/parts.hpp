// SPDX-License-Identifier: Apache-2.0
#pragma once
// The decoder's building blocks (decode/decoder.cpp), which the kinds table (decode/kinds.cpp)
// composes into one decoder per argument kind. Internal to decode/: other modules use
// decode/decoder.hpp.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "decode/decoder.hpp"
#include "decode/kinds.hpp"
#include "decode/value.hpp"
#include "decode/xlat.hpp"

namespace decode::detail {

// One call being decoded.
struct Call {
    const std::array<std::uint64_t, 6>& args;
    Memory& memory;
    const Options& options;
    const FdPath& fd_path;
};
// The raw value of the argument `spec.ref` names (0 when none).
std::uint64_t ref_value(const Call& c, const ArgSpec& spec);

// ---- values
Value symbol(std::string_view name);
Value pointer(std::uint64_t address);
Value hex(std::uint64_t n);
Value octal(std::uint64_t n);
Value unsigned_value(std::uint64_t n);
Value signed_value(std::int64_t n);
std::int32_t low_int(std::uint64_t raw);
std::uint32_t low_uint(std::uint64_t raw);
// A named constant, or the number in hex with strace's "/* PREFIX??? */" remark.
Value enum_value(xlat::Xlat table, std::uint64_t value, std::string_view unknown);
// Names for the set bits, in table order; `zero` names 0 (empty: 0 prints as 0).
Value flags_value(xlat::Xlat table, std::uint64_t value, std::string_view zero = {});

// ---- kinds with their own rules
Value fd_value(const Call& c, std::uint64_t raw);
Value dirfd_value(const Call& c, std::uint64_t raw);
Value open_flags(std::uint64_t raw, bool with_access_mode);
bool open_creates(std::uint64_t flags);
Value mode_with_type(std::uint64_t raw);
Value device(std::uint64_t raw);
Value signal_value(std::int64_t s);
Value sock_type(std::uint64_t raw);
Value sock_protocol(std::uint64_t family_raw, std::uint64_t raw);
Value sock_option(std::uint64_t level_raw, std::uint64_t raw);
std::optional<Value> fcntl_arg(std::uint64_t cmd_raw, std::uint64_t raw);
Value futex_op(std::uint64_t raw);
std::optional<Value> futex_arg(std::uint64_t op, int index, std::uint64_t raw);
std::optional<Value> prctl_arg(const Call& c, std::uint64_t option_raw, int index,
                               std::uint64_t raw);
Value ipc_cmd(std::uint64_t raw, xlat::Xlat extra);
Value ipc_flags(std::uint64_t raw);
Value clone_flags(std::uint64_t raw);
Value map_flags(std::uint64_t raw);
Value statx_flags(std::uint64_t raw);

// ---- the tracee's memory
Value read_cstring(Memory& memory, std::uint64_t address, std::size_t limit);
Value read_buffer(Memory& memory, std::uint64_t address, std::uint64_t count, std::size_t limit);
Value string_array(Memory& memory, std::uint64_t address, const Options& o,
                   std::size_t max_elements);
Value environment_count(Memory& memory, std::uint64_t address, const Options& o);
Value sockaddr_value(Memory& memory, std::uint64_t address, std::uint64_t raw_length,
                     const Options& o);
Value stat_value(Memory& memory, std::uint64_t address);
Value dirents_value(Memory& memory, std::uint64_t address, long length);
Value utsname_value(Memory& memory, std::uint64_t address, bool verbose);

} // namespace decode::detail
