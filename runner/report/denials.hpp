// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sandbox check`'s collector: per syscall the policy denies (or would deny, in audit mode) and
// the rule that does it, how often, the action and errno, and the first call in strace syntax.
// Fed by the notify supervisor like every other sink; the report is rendered at the end.
//
//   syscall  calls  action        rule           first call
//   mkdir    1      ERRNO(EPERM)  defaultAction  mkdir("/tmp/d", 0777)
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "trace/sink.hpp"

namespace report {

struct Denial {
    std::string syscall;
    std::string rule;       // "syscalls[2]", "defaultAction", "implicit: ..."
    std::string action;     // "ERRNO(EPERM)", "KILL_PROCESS", "TRAP"
    std::string errno_name; // "EPERM" for ERRNO actions, "" otherwise
    std::uint64_t calls = 0;
    pid_t pid = 0;          // the process of the first occurrence
    std::string first_call; // `mkdir("/tmp/d", 0777)`
    std::string first_json; // the first call's decoded arguments, a JSON array
};

class DenialSink final : public trace::EventSink {
public:
    // Counts Denied, Killed and WouldDeny events, one row per (syscall, rule); a restarted call
    // is not counted again.
    void event(const trace::Event& e) override;
    // In the order of their first occurrence.
    [[nodiscard]] const std::vector<Denial>& denials() const { return denials_; }
    [[nodiscard]] bool empty() const { return denials_.empty(); }

private:
    std::vector<Denial> denials_;
    std::map<std::pair<std::string, std::string>, std::size_t> index_;
};

struct CheckReport {
    std::string policy;               // the profile's source (file name or "profile NAME")
    std::vector<std::string> command; // as run
    bool enforce = false;             // denied for real (else audit: nothing was denied)
    int exit_code = 0;                // the command's exit status
    // --enforce: the kernel killed the command for the policy (no event shows that call).
    std::optional<trace::SeccompKill> killed;
};

// The aligned table with a headline, ending in "\n"; a kill gets a line of its own.
std::string check_text(const CheckReport& r, const std::vector<Denial>& denials);
// {"schema_version":1,"policy":..,"command":[..],"mode":"audit"|"enforce","exit_code":N,
//  "verdict":"allowed"|"would-deny"|"denied"|"killed","denied":calls denied (enforce),
//  "would_deny":calls that would be (audit),"seccomp_kill":{the exit line's, see
//  json_writer.hpp}|null,"syscalls":[{"syscall","calls","action","errno","rule","pid",
//  "first_call","decoded"}]} + "\n" (docs/schema/check.schema.json).
std::string check_json(const CheckReport& r, const std::vector<Denial>& denials);

} // namespace report
