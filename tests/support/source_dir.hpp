// SPDX-License-Identifier: Apache-2.0
#pragma once
// The source tree the unit tests read fixtures from: the build's, unless SANDBOX_SOURCE_DIR says
// otherwise (`./dev.sh test` points every suite at a staged copy that uid 65534 can read).
#include <cstdlib>
#include <string>

namespace testsupport {

inline std::string source_dir() {
    const char* v = std::getenv("SANDBOX_SOURCE_DIR");
    return v != nullptr && *v != '\0' ? std::string(v) : std::string(SANDBOX_SOURCE_DIR);
}

} // namespace testsupport
