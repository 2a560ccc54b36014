// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox policy audit-log`: the kernel's SECCOMP audit records (type=1326), from audit.log,
// dmesg or the journal, as data: which process, which syscall (named from arch + number by
// libseccomp), which action (from `code`), and, given a policy, the rule behind that verdict.
// Rendered by report/policy_tools.
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/compile.hpp"

namespace policy {

struct AuditRecord {
    std::size_t line = 0;  // 1-based line number in the input
    std::string timestamp; // "1700000000.123" from audit(1700000000.123:42), "" if absent
    std::string serial;    // "42"
    std::optional<long long> pid;
    std::optional<long long> uid;
    std::string comm;                  // "mkdir"
    std::string exe;                   // "/usr/bin/mkdir"
    std::optional<std::uint32_t> arch; // AUDIT_ARCH_* (== SCMP_ARCH_*)
    std::string arch_name;             // "SCMP_ARCH_X86_64", or the field as written
    std::optional<int> nr;             // the syscall number
    std::string syscall;               // its name; the field as written when unknown
    std::optional<std::uint32_t> code; // SECCOMP_RET_* action (the kernel logs no errno)
    std::string action;                // "ERRNO", "KILL_PROCESS", "LOG", ... or as written
    int signal = 0;                    // sig=31 for a kill

    // With a policy: its verdict for this call, and whether arguments (absent from the record)
    // could change it.
    std::optional<Verdict> verdict;
    bool depends_on_arguments = false;
    bool verdict_matches = true; // the policy's action is the one the kernel logged
};

struct AuditLog {
    std::vector<AuditRecord> records;
    std::size_t lines = 0;
    std::size_t skipped = 0; // lines that are not SECCOMP records
};

// One line: a SECCOMP record ("type=1326" or "type=SECCOMP", with or without the dmesg/journal
// prefix), or nullopt.
std::optional<AuditRecord> parse_audit_line(std::string_view line, std::size_t line_number = 0);
AuditLog parse_audit_log(std::istream& in);

// The action the kernel logged, by name: 0x50000 -> "ERRNO", 0x80000000 -> "KILL_PROCESS".
std::string audit_action_name(std::uint32_t code);

// Fill in each record's verdict from a compiled policy (CompiledFilter::decide on the record's
// arch and number, arguments 0).
void judge(AuditLog& log, const CompiledFilter& filter);

} // namespace policy
