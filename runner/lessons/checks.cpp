// SPDX-License-Identifier: Apache-2.0
#include "lessons/checks.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "lessons/pod.hpp"
#include "policy/compile.hpp"
#include "policy/explain.hpp"
#include "policy/load.hpp"
#include "util/error.hpp"

namespace lessons {
namespace {

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The learner's file, or nullopt with the result's evidence saying it is missing.
std::optional<std::string> learner_file(const std::string& dir, const std::string& name,
                                        CheckResult& r) {
    auto text = read_text(dir + "/" + name);
    if (!text) r.slice = fmt::format("    (there is no {} in {})\n", name, dir);
    return text;
}

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The verdict word a learner writes for a filter return value: ALLOW, EPERM, ENOSYS, KILL...
std::string verdict_word(std::uint32_t ret) {
    const std::string d = policy::describe_ret(ret); // "ALLOW", "ERRNO(EPERM)", "KILL_THREAD"
    if (d.rfind("ERRNO(", 0) == 0 && d.back() == ')') return d.substr(6, d.size() - 7);
    return d;
}

} // namespace

CheckResult check_predictions(const Check& c, const std::string& dir) {
    CheckResult r;
    r.reason = c.reason;
    const auto text = learner_file(dir, c.predictions, r);
    if (!text) return r;
    // The profile's verdicts, from the compiled filter (what sandbox run would do).
    const auto filter = policy::compile(policy::load_bundled(c.profile),
                                        policy::CompileContext::for_this_kernel({}, false));
    std::map<std::string, std::string> truth;
    for (const auto& v : policy::explain(filter))
        if (std::find(c.syscalls.begin(), c.syscalls.end(), v.name) != c.syscalls.end())
            truth[v.name] = verdict_word(v.ret);

    std::vector<std::string> problems;
    std::map<std::string, std::string> said;
    std::istringstream in(*text);
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string x; words >> x;) w.push_back(x);
        if (w.empty()) continue;
        if (w.size() != 2) {
            problems.push_back(
                fmt::format("line {}: \"{}\" is not NAME VERDICT (two words)", line_no, line));
            continue;
        }
        for (auto& ch : w[0]) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (std::find(c.syscalls.begin(), c.syscalls.end(), w[0]) == c.syscalls.end()) {
            problems.push_back(
                fmt::format("line {}: {} is not one of the syscalls asked about ({})", line_no,
                            w[0], join(c.syscalls)));
            continue;
        }
        const std::string verdict = upper(w[1]);
        if (verdict != "ALLOW" && util::errno_from_name(verdict) < 0 &&
            verdict.rfind("KILL", 0) != 0) {
            problems.push_back(fmt::format("line {}: \"{}\" is not a verdict (ALLOW, or an errno "
                                           "name such as EPERM)",
                                           line_no, w[1]));
            continue;
        }
        if (!said.emplace(w[0], verdict).second)
            problems.push_back(fmt::format("line {}: {} is predicted twice", line_no, w[0]));
    }
    std::vector<std::string> missing, wrong;
    for (const auto& s : c.syscalls) {
        const auto it = said.find(s);
        if (it == said.end())
            missing.push_back(s);
        else if (truth.count(s) == 0 || truth[s] != it->second)
            wrong.push_back(s);
    }
    if (!missing.empty()) problems.push_back("no prediction for " + join(missing));
    if (!wrong.empty())
        problems.push_back(fmt::format("your prediction for {} is not the profile's verdict "
                                       "(sandbox policy explain --profile {} shows it)",
                                       join(wrong), c.profile));
    r.passed = problems.empty();
    for (const auto& p : problems) r.slice += "    " + p + "\n";
    return r;
}

CheckResult check_pod(const Check& c, const std::string& dir) {
    CheckResult r;
    r.reason = c.reason;
    const auto text = learner_file(dir, c.pod, r);
    if (!text) return r;
    const auto problems = pod::judge(pod::parse(*text), c.pod_expect, dir);
    r.passed = problems.empty();
    for (const auto& p : problems) r.slice += "    " + c.pod + ": " + p + "\n";
    return r;
}

} // namespace lessons
