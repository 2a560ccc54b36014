// SPDX-License-Identifier: Apache-2.0
#pragma once
// One small error type for setup errors in the parent; caught only in app::run, which maps it to
// an exit code. Code after clone and in the notify loop never throws (see launch/child.cpp).
#include <stdexcept>
#include <string>

#include "util/exit_codes.hpp"

namespace util {

class Error : public std::runtime_error {
public:
    Error(int exit_code, std::string message, std::string hint = {})
        : std::runtime_error(std::move(message)), exit_code_(exit_code), hint_(std::move(hint)) {}

    [[nodiscard]] int exit_code() const noexcept { return exit_code_; }
    [[nodiscard]] const std::string& hint() const noexcept { return hint_; }

private:
    int exit_code_;
    std::string hint_;
};

// "OPERATION(OBJECT): strerror (ENAME)" — the shape of every system error message we print.
std::string describe_errno(int err);
std::string errno_name(int err);              // "EPERM"; "errno 1234" when unknown
int errno_from_name(const std::string& name); // -1 when unknown
std::string syscall_error(const std::string& operation, const std::string& object, int err);

[[noreturn]] inline void throw_usage(std::string message, std::string hint = {}) {
    throw Error(exit_code::usage, std::move(message), std::move(hint));
}
[[noreturn]] inline void throw_setup(std::string message, std::string hint = {}) {
    throw Error(exit_code::setup, std::move(message), std::move(hint));
}

} // namespace util
