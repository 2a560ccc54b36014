// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every JSON document sandbox writes as a report shares (docs/json.md; one JSON Schema per
// kind of document in docs/schema/): "schema_version" first, snake_case keys, `syscall` for a
// syscall's name, libseccomp's SCMP_ARCH_* for an architecture, `denied` a count. The version
// changes when a key is renamed or removed or changes type; new keys come with a new version of
// the schema files, not of this number.
#include <nlohmann/json.hpp>

namespace util {

inline constexpr int kSchemaVersion = 1;

// An object whose first key is "schema_version"; the printers add theirs in order.
inline nlohmann::ordered_json report_object() {
    nlohmann::ordered_json j;
    j["schema_version"] = kSchemaVersion;
    return j;
}

// One line of JSON: compact, invalid UTF-8 replaced rather than thrown, "\n" at the end.
inline std::string json_line(const nlohmann::ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace util
