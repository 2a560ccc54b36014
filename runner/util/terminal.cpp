// SPDX-License-Identifier: Apache-2.0
#include "util/terminal.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace util {
namespace {

std::atomic<ColourMode> g_mode{ColourMode::Auto};

bool environment_allows() noexcept {
    if (const char* no = std::getenv("NO_COLOR"); no != nullptr && *no != '\0') return false;
    if (const char* term = std::getenv("TERM"); term != nullptr && std::strcmp(term, "dumb") == 0)
        return false;
    return true;
}

} // namespace

void set_colour_mode(ColourMode mode) noexcept {
    g_mode.store(mode);
}

bool colour_for_terminal(bool terminal) noexcept {
    switch (g_mode.load()) {
    case ColourMode::Always:
        return true;
    case ColourMode::Never:
        return false;
    case ColourMode::Auto:
        break;
    }
    return terminal && environment_allows();
}

bool colour_on(int fd) noexcept {
    return colour_for_terminal(::isatty(fd) == 1);
}

} // namespace util
