// SPDX-License-Identifier: Apache-2.0
#include "util/terminal.hpp"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace util {

bool colour_on(int fd) noexcept {
    return ::isatty(fd) == 1 && colour_wanted();
}

bool colour_wanted() noexcept {
    if (const char* no = std::getenv("NO_COLOR"); no != nullptr && *no != '\0') return false;
    if (const char* term = std::getenv("TERM"); term != nullptr && std::strcmp(term, "dumb") == 0)
        return false;
    return true;
}

} // namespace util
