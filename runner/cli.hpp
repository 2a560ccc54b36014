// SPDX-License-Identifier: Apache-2.0
#pragma once
// Command line -> one of the plain option structs. Parsing only: no policy loading, no kernel.
#include <string>
#include <variant>
#include <vector>

#include "options.hpp"

namespace cli {

struct Help {
    std::string topic; // "" for the overview, else a command ("run", "policy", ...)
};
struct Version {};
struct Run {
    options::Run options;
};
struct PolicyValidate {
    options::PolicyFile options;
};
struct PolicyExplain {
    options::PolicyFile options;
};
struct PolicyList {
    bool json = false;
};
struct PolicyShow {
    std::string name; // a bundled profile
};
struct Doctor {
    options::Doctor options;
};
struct Attach {
    options::Attach options;
};
struct Lesson {
    // list, run, show, hint, solution, verify, watch, shell, status, reset, selftest
    std::string action;
    int number = 0; // 0: none given
    bool json = false;
    bool no_input = false;
    bool task_only = false; // run --task: no intro, no demonstration, the task and the prompt
    bool all = false;       // reset --all
};

struct Check {
    options::Check options;
};
struct PolicyRecord {
    options::Record options;
};
// policy lint | diff | export | install | audit-log
struct PolicyLint {
    options::PolicyLint options;
};
struct PolicyDiff {
    options::PolicyDiff options;
};
struct PolicyExport {
    options::PolicyExport options;
};
struct PolicyInstall {
    options::PolicyInstall options;
};
struct PolicyAuditLog {
    options::PolicyAuditLog options;
};

using Command = std::variant<Help, Version, Run, PolicyValidate, PolicyExplain, PolicyList, Doctor,
                             Attach, Lesson, Check, PolicyRecord, PolicyLint, PolicyDiff,
                             PolicyExport, PolicyInstall, PolicyAuditLog, PolicyShow>;

// Throws util::Error(exit_code::usage) with a message and a hint on bad input.
Command parse(const std::vector<std::string>& args);

// Help texts, written like the help of strace, docker and kubectl: "" (the overview), a command
// ("run"), or a policy command ("policy lint"). An unknown topic is a usage error (exit 121),
// with the nearest topic.
std::string help_text(const std::string& topic);
std::string version_text();

} // namespace cli
