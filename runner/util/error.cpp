// SPDX-License-Identifier: Apache-2.0
#include "util/error.hpp"

#include <cstring>
#include <string.h>

namespace util {

std::string errno_name(int err) {
    if (const char* name = strerrorname_np(err)) return name;
    return "errno " + std::to_string(err);
}

int errno_from_name(const std::string& name) {
    for (int e = 1; e < 4096; ++e) {
        const char* n = strerrorname_np(e);
        if (n != nullptr && name == n) return e;
    }
    return -1;
}

std::string describe_errno(int err) {
    return std::string(strerror(err)) + " (" + errno_name(err) + ")";
}

std::string syscall_error(const std::string& operation, const std::string& object, int err) {
    std::string msg = operation;
    if (!object.empty()) msg += "(" + object + ")";
    return msg + ": " + describe_errno(err);
}

} // namespace util
