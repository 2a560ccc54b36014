// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox policy lint`: what a profile will do that its author may not expect, as data (findings
// with a severity, the JSON key and a one-line reason). Rendered by report/policy_tools.
//
// Structure errors come from policy::parse (one error finding); everything else is checked on the
// parsed Policy and, where libseccomp's merging decides (conflicting rules), on the compiled
// filter's own verdicts.
#include <string>
#include <string_view>
#include <vector>

#include "policy/model.hpp"

namespace policy {

enum class Severity { Info, Warning, Error };

struct LintFinding {
    Severity severity = Severity::Warning;
    std::string key;     // "syscalls[3].names[1]", "defaultAction", "" for the whole file
    std::string check;   // a stable id: "clone3-errno", "io-uring", "docker-only", ...
    std::string message; // one line: what is wrong and what it changes
};

struct LintReport {
    std::string source;
    std::vector<LintFinding> findings;
    [[nodiscard]] std::size_t count(Severity s) const;
    // 0: clean (info only), 1: warnings, 2: errors. Documented in `sandbox policy --help`.
    [[nodiscard]] int exit_code() const;
};

// Lint the text of a profile; `source` names it in messages. Never throws for a bad profile: an
// invalid one is a report with one error finding.
LintReport lint_text(std::string_view text, const std::string& source);
// Lint a file; an unreadable file is an error finding too.
LintReport lint_file(const std::string& path);
// The checks on an already parsed profile.
LintReport lint(const Policy& p);

std::string severity_name(Severity s); // "error", "warning", "info"

// True when argument `index` of `syscall` is an address (a path, a buffer, a struct): a seccomp
// filter compares the address, never what it points to. From decode's syscall table; false for
// syscalls the table does not know.
bool argument_is_pointer(std::string_view syscall, unsigned index);

} // namespace policy
