#pragma once
// `sandbox doctor`: probe what this machine allows (data), then render it.
#include <string>
#include <vector>

namespace doctor {

enum class Status { Ok, Warn, Fail, Info };

struct Finding {
    std::string check; // "user namespaces"
    Status status = Status::Info;
    std::string detail; // what was found
    std::string remedy; // what to do, when not Ok
};

// Runs every probe (some fork a short-lived child to try a feature for real).
std::vector<Finding> probe();

std::string render_text(const std::vector<Finding>& findings, bool colour);
std::string render_json(const std::vector<Finding>& findings);

// 0 when nothing is Fail, 1 otherwise.
int exit_code(const std::vector<Finding>& findings);

} // namespace doctor
