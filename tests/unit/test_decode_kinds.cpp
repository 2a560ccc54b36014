// SPDX-License-Identifier: Apache-2.0
// The kinds table (decode/kinds.*): one complete row per argument kind, and the facts the
// decoder, the compiler's --strict-args and lint read from it agree with the syscalls using it.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "decode/decoder.hpp"
#include "decode/kinds.hpp"
#include "decode/syscalls.hpp"
#include "fake_memory.hpp"
#include "policy/lint.hpp"

namespace {

using decode::Arg;
using decode::Reads;
using decode::Role;

// The syscall and argument index of the first use of `kind` in the table, if any.
bool first_use(Arg kind, std::string_view& name, unsigned& index) {
    for (const auto& s : decode::table())
        for (std::size_t i = 0; i < s.nargs; ++i)
            if (s.args[i].kind == kind && s.args[i].ref < 0) {
                name = s.name;
                index = static_cast<unsigned>(i);
                return true;
            }
    return false;
}

} // namespace

TEST_CASE("kinds: one row per kind, in order, each named once", "[decode][kinds]") {
    const auto rows = decode::kinds();
    REQUIRE(rows.size() == decode::kKindCount);
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("row " << i << " " << rows[i].name);
        CHECK(rows[i].kind == static_cast<Arg>(i));
        CHECK(&decode::kind_info(rows[i].kind) == &rows[i]);
        CHECK_FALSE(rows[i].name.empty());
        CHECK(names.insert(rows[i].name).second);
        CHECK(rows[i].decode != nullptr);
        // An enum or flags row prints from its table; its fallback belongs to that table.
        if (!rows[i].fallback.empty()) CHECK(rows[i].names != nullptr);
    }
    for (Arg k : {Arg::Whence, Arg::MsgFlags, Arg::ShmCmd, Arg::IoctlRequest, Arg::AtFlags})
        CHECK(decode::kind_info(k).names != nullptr);
    CHECK(decode::kind_info(Arg::OpenFlags).name == "OpenFlags");
}

TEST_CASE("kinds: addresses, when memory is read, and the filters' roles", "[decode][kinds]") {
    for (const auto& k : decode::kinds()) {
        INFO(k.name);
        // An address is a whole register; only what the kernel fills is read at the exit.
        CHECK(decode::kind_is_pointer(k.kind) == (k.reads != Reads::Register));
        if (k.reads != Reads::Register) CHECK(k.bits == 64);
        CHECK((k.at_exit != nullptr) == (k.reads == Reads::AtExit));
    }
    // What lint calls a pointer argument is what the table calls one: uname's buffer too.
    CHECK(policy::argument_is_pointer("uname", 0));
    CHECK(policy::argument_is_pointer("read", 1));
    CHECK(policy::argument_is_pointer("mq_open", 3)); // attr, used with O_CREAT
    CHECK_FALSE(policy::argument_is_pointer("read", 0));
    CHECK_FALSE(policy::argument_is_pointer("futex", 1));
    CHECK(decode::kind_info(Arg::Path).role == Role::FileName);
    CHECK(decode::kind_info(Arg::Str).role == Role::None); // sethostname's name is no file
    CHECK(decode::kind_info(Arg::Fd).role == Role::Fd);
    CHECK(decode::kind_info(Arg::DirFd).role == Role::Fd);
    CHECK(decode::kind_info(Arg::Int).role == Role::None);
}

TEST_CASE("kinds: widths are what --strict-args and lint read for every syscall",
          "[decode][kinds]") {
    for (const auto& s : decode::table())
        for (std::size_t i = 0; i < s.nargs; ++i) {
            const auto& k = decode::kind_info(s.args[i].kind);
            INFO(s.name << " arg" << i << " " << k.name);
            CHECK(decode::argument_bits(s.name, static_cast<unsigned>(i)) == k.bits);
            CHECK(decode::argument_is_32bit(s.name, static_cast<unsigned>(i)) == (k.bits < 64));
        }
}

TEST_CASE("kinds: an enum kind prints every value of its table by name", "[decode][kinds]") {
    // For each enum kind (a "PREFIX???" fallback) used by a syscall: each value of its table,
    // decoded as that syscall's argument, is the first name listed for the value.
    testsupport::FakeMemory memory;
    unsigned checked = 0;
    for (const auto& k : decode::kinds()) {
        if (k.names == nullptr || !k.fallback.ends_with("???")) continue;
        std::string_view name;
        unsigned index = 0;
        if (!first_use(k.kind, name, index)) continue;
        std::set<std::uint64_t> seen;
        for (const auto& n : *k.names) {
            if (!seen.insert(n.value).second) continue; // a second name for a value
            if (k.bits < 64 && n.value >> k.bits != 0) continue;
            std::array<std::uint64_t, 6> args{};
            args[index] = n.value;
            const auto decoded = decode::decode_arguments(name, args, memory, {}, {});
            INFO(k.name << " as " << name << " arg" << index << ": " << n.name);
            // The table is the kind's own: its names carry the prefix of the fallback.
            CHECK(n.name.starts_with(k.fallback.substr(0, k.fallback.size() - 3)));
            REQUIRE(decoded.size() > index);
            CHECK(decoded[index].kind == decode::Value::Kind::Symbol);
            CHECK(decoded[index].text == n.name);
            ++checked;
        }
        // A value no entry names is the number with the fallback as its remark.
        std::array<std::uint64_t, 6> args{};
        args[index] = 0x7fff1234;
        if (!decode::xlat::lookup(*k.names, args[index])) {
            const auto decoded = decode::decode_arguments(name, args, memory, {}, {});
            REQUIRE(decoded.size() > index);
            CHECK(decoded[index].comment == k.fallback);
        }
    }
    CHECK(checked > 100);
}
