// SPDX-License-Identifier: Apache-2.0
// The one strict number parser of the command line: digits only, within range, overflow refused.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "util/number.hpp"

TEST_CASE("parse_decimal takes plain digits within the range", "[util][number]") {
    using util::parse_decimal;
    CHECK(parse_decimal("0") == 0u);
    CHECK(parse_decimal("42") == 42u);
    CHECK(parse_decimal("007") == 7u);
    CHECK(parse_decimal("18446744073709551615") == UINT64_MAX);
    CHECK(parse_decimal("5", 1, 5) == 5u);
    CHECK(parse_decimal("1", 1, 5) == 1u);
}

TEST_CASE("parse_decimal refuses everything else, an overflow included", "[util][number]") {
    using util::parse_decimal;
    for (const char* bad :
         {"", " 1", "1 ", "+1", "-1", "0x10", "1e3", "1.5", "12a", "a", "18446744073709551616",
          "99999999999999999999999999999", "1\n", "\xd9\xa1"}) {
        INFO(bad);
        CHECK_FALSE(parse_decimal(bad).has_value());
    }
    CHECK_FALSE(parse_decimal("0", 1).has_value());
    CHECK_FALSE(parse_decimal("6", 1, 5).has_value());
    const std::string with_nul = std::string("12") + '\0' + "3";
    CHECK_FALSE(parse_decimal(with_nul).has_value());
}
