// SPDX-License-Identifier: Apache-2.0
// util::yaml::load_all: yaml-cpp's LoadAll, except that it ends on the inputs yaml-cpp 0.7 loops
// on for ever (jbeder/yaml-cpp#1040). Each case here hung the fuzzer or a plain LoadAll.
#include <catch2/catch.hpp>

#include <string>

#include "lessons/pod.hpp"
#include "policy/load.hpp"
#include "util/error.hpp"
#include "util/yaml.hpp"

TEST_CASE("load_all reads documents as LoadAll does", "[util][yaml]") {
    using util::yaml::load_all;
    CHECK(load_all("").empty());
    CHECK(load_all("# only a comment\n").empty());
    CHECK(load_all("a: 1\n").size() == 1);
    CHECK(load_all("a: 1\n---\nb: 2\n").size() == 2);
    // Empty documents are documents: each is a null, at its own place.
    CHECK(load_all("---\n---\n").size() == 2);
    CHECK(load_all("---\n...\n---\n...\n").size() == 2);
    CHECK(load_all("~\n---\n~\n").size() == 2);
    CHECK(load_all("--- |\n--- >\n").size() == 2);
    const auto docs = load_all("kind: Pod\nspec:\n  containers: [{name: a}]\n");
    REQUIRE(docs.size() == 1);
    CHECK(docs[0]["spec"]["containers"][0]["name"].as<std::string>() == "a");
}

TEST_CASE("load_all ends with an error where yaml-cpp 0.7 loops", "[util][yaml]") {
    using util::yaml::load_all;
    for (const char* text :
         {",", ",x", "  ,SCMP_{\n  \"dgfaultAction\"\n", "---\n,\n", "a: b\n---\n,", "|\n,", "&a ,",
          "!t ,", "- macro: x\n  condition:\n    (a in (\n\"b\",\n    \"c\"\n    )  )\n"}) {
        INFO(text);
        CHECK_THROWS_AS(load_all(text), YAML::ParserException);
    }
    try {
        load_all("a: b\n---\n,");
        FAIL("no exception");
    } catch (const YAML::ParserException& e) {
        CHECK(e.mark.line == 2);
        CHECK(e.mark.column == 0);
    }
}

TEST_CASE("a profile or a Pod that yaml-cpp 0.7 loops on is an error", "[util][yaml]") {
    // The fuzzer's input: not JSON, so read as YAML, which used to never return.
    const std::string text = "  ,SCMP_{\n  \"dgfaultAction\"\n";
    CHECK_THROWS_AS(policy::parse(text, "p.json"), util::Error);
    const auto parsed = lessons::pod::parse("apiVersion: v1\n---\n,\n");
    REQUIRE_FALSE(parsed.problems.empty());
    CHECK_THAT(parsed.problems[0], Catch::Contains("not valid YAML: line 3, column 1"));
}
