// SPDX-License-Identifier: Apache-2.0
#include "lessons/lesson.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/load.hpp"
#include "util/error.hpp"

// The install prefix's directories (GNUInstallDirs' FULL ones), the last place each lookup tries:
// a binary copied out of its prefix still finds what `cmake --install` put there. Never the
// source or build tree: an installed binary must not depend on a checkout.
#ifndef SANDBOX_INSTALL_LESSONS_DIR
#define SANDBOX_INSTALL_LESSONS_DIR "/usr/local/share/sandbox/lessons"
#endif
#ifndef SANDBOX_INSTALL_PROGRAMS_DIR
#define SANDBOX_INSTALL_PROGRAMS_DIR "/usr/local/libexec/sandbox"
#endif

namespace lessons {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& what) {
    throw util::Error(util::exit_code::usage, fmt::format("{}: {}: {}", file, key, what),
                      "the lesson format is described in lessons/README.md");
}

std::string str(const json& j, const std::string& file, const std::string& key) {
    if (!j.is_string()) bad(file, key, "expected a string");
    return j.get<std::string>();
}

std::vector<std::string> strings(const json& obj, const char* name, const std::string& file,
                                 bool required) {
    std::vector<std::string> out;
    if (!obj.contains(name)) {
        if (required) bad(file, name, "missing");
        return out;
    }
    const json& j = obj[name];
    if (j.is_string()) return {j.get<std::string>()};
    if (!j.is_array()) bad(file, name, "expected a string or an array of strings");
    for (std::size_t i = 0; i < j.size(); ++i)
        out.push_back(str(j[i], file, fmt::format("{}[{}]", name, i)));
    return out;
}

} // namespace

Lesson load(const std::string& path, int number, const std::string& slug) {
    std::ifstream in(path);
    if (!in) throw util::Error(util::exit_code::usage, util::syscall_error("open", path, errno));
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        bad(path, "JSON", e.what());
    }
    if (!j.is_object()) bad(path, "", "expected a JSON object");
    Lesson l;
    l.number = number;
    l.slug = slug;
    l.dir = std::filesystem::path(path).parent_path().string();
    if (!j.contains("title")) bad(path, "title", "missing");
    l.title = str(j["title"], path, "title");
    if (j.contains("summary")) l.summary = str(j["summary"], path, "summary");
    l.needs = strings(j, "needs", path, false);
    for (const auto& n : l.needs)
        if (n != "root" && n != "userns" && n != "strace" && n != "ptrace")
            bad(path, "needs",
                fmt::format("unknown need \"{}\" (root, userns, strace, ptrace)", n));
    l.text = strings(j, "text", path, true);
    l.task = strings(j, "task", path, true);
    l.hints = strings(j, "hints", path, true);
    l.solution = strings(j, "solution", path, true);
    if (j.contains("steps")) {
        if (!j["steps"].is_array()) bad(path, "steps", "expected an array");
        for (std::size_t i = 0; i < j["steps"].size(); ++i) {
            const json& s = j["steps"][i];
            std::string key = fmt::format("steps[{}]", i);
            if (!s.is_object()) bad(path, key, "expected an object with say and run");
            Step st;
            if (s.contains("say")) st.say = str(s["say"], path, key + ".say");
            if (s.contains("run")) st.run = str(s["run"], path, key + ".run");
            l.steps.push_back(std::move(st));
        }
    }
    if (!j.contains("checks") || !j["checks"].is_array() || j["checks"].empty())
        bad(path, "checks", "expected a non-empty array");
    for (std::size_t i = 0; i < j["checks"].size(); ++i) {
        const json& c = j["checks"][i];
        const std::string key = fmt::format("checks[{}]", i);
        if (!c.is_object()) bad(path, key, "expected an object");
        Check ch;
        const auto get = [&](const char* name, std::string& field) {
            if (c.contains(name)) field = str(c[name], path, key + "." + name);
        };
        get("file", ch.file);
        get("matches", ch.matches);
        get("absent", ch.absent);
        get("capture", ch.capture);
        get("run", ch.run);
        get("output_matches", ch.output_matches);
        get("compare", ch.compare);
        get("equals", ch.equals);
        get("differs", ch.differs);
        get("reason", ch.reason);
        get("show", ch.show);
        if (c.contains("exit")) ch.exit = c["exit"].get<int>();
        if (c.contains("exit_not")) ch.exit_not = c["exit_not"].get<int>();
        get("predictions", ch.predictions);
        get("profile", ch.profile);
        if (c.contains("syscalls")) ch.syscalls = strings(c, "syscalls", path, false);
        if (!ch.predictions.empty()) {
            if (ch.profile.empty() || ch.syscalls.empty())
                bad(path, key, "a predictions check needs profile and syscalls");
            const auto& b = policy::bundled_profiles();
            if (std::none_of(b.begin(), b.end(),
                             [&](const auto& x) { return x.name == ch.profile; }))
                bad(path, key + ".profile", fmt::format("no bundled profile \"{}\"", ch.profile));
        }
        get("pod", ch.pod);
        if (c.contains("expect")) {
            const json& e = c["expect"];
            const std::string ek = key + ".expect";
            if (!e.is_object()) bad(path, ek, "expected an object");
            for (auto item = e.begin(); item != e.end(); ++item) {
                // Not a structured binding: clang 14 cannot capture one in the lambda below.
                const std::string k = item.key();
                const json& v = item.value();
                const std::string at = ek + "." + k;
                const auto flag = [&]() {
                    if (!v.is_boolean()) bad(path, at, "expected true or false");
                    return v.get<bool>();
                };
                if (k == "seccompProfile")
                    ch.pod_expect.seccomp = str(v, path, at);
                else if (k == "profilesUnder")
                    ch.pod_expect.profiles_under = str(v, path, at);
                else if (k == "localhostProfile")
                    ch.pod_expect.localhost_profile = str(v, path, at);
                else if (k == "dropAll")
                    ch.pod_expect.drop_all = flag();
                else if (k == "addOnly")
                    ch.pod_expect.add_only = strings(e, "addOnly", path, true);
                else if (k == "nonRoot")
                    ch.pod_expect.non_root = flag();
                else if (k == "noPrivilegeEscalation")
                    ch.pod_expect.no_privilege_escalation = flag();
                else if (k == "noHost")
                    ch.pod_expect.no_host = flag();
                else
                    bad(path, at,
                        "unknown (seccompProfile, profilesUnder, localhostProfile, dropAll, "
                        "addOnly, "
                        "nonRoot, noPrivilegeEscalation, noHost)");
            }
        }
        const int kinds = !ch.file.empty() + !ch.run.empty() + !ch.compare.empty() +
                          !ch.predictions.empty() + !ch.pod.empty();
        if (kinds != 1) bad(path, key, "give exactly one of file, run, compare, predictions, pod");
        if (ch.reason.empty())
            bad(path, key + ".reason", "missing: every check says why it failed");
        if (!ch.file.empty() && ch.matches.empty() && ch.absent.empty())
            bad(path, key, "a file check needs matches or absent");
        if (!ch.compare.empty() && ch.equals.empty() == ch.differs.empty())
            bad(path, key, "a compare check needs equals or differs");
        for (const auto* re : {&ch.matches, &ch.absent, &ch.output_matches, &ch.show}) {
            try {
                if (!re->empty()) std::regex check(*re, std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                bad(path, key, fmt::format("invalid regex \"{}\": {}", *re, e.what()));
            }
        }
        l.checks.push_back(std::move(ch));
    }
    if (j.contains("wrong")) {
        if (!j["wrong"].is_array()) bad(path, "wrong", "expected an array of command lists");
        for (std::size_t i = 0; i < j["wrong"].size(); ++i) {
            std::vector<std::string> attempt;
            const json& w = j["wrong"][i];
            if (!w.is_array())
                bad(path, fmt::format("wrong[{}]", i), "expected an array of commands");
            for (std::size_t k = 0; k < w.size(); ++k)
                attempt.push_back(str(w[k], path, fmt::format("wrong[{}][{}]", i, k)));
            l.wrong.push_back(std::move(attempt));
        }
    }
    if (l.wrong.empty())
        bad(path, "wrong", "missing: every lesson needs wrong answers that its checks reject");
    return l;
}

std::vector<Lesson> load_all(const std::string& root) {
    std::vector<std::pair<int, std::string>> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(root, ec)) {
        if (!e.is_directory()) continue;
        const std::string name = e.path().filename().string();
        if (name.size() < 4 || !std::isdigit(static_cast<unsigned char>(name[0])) ||
            !std::isdigit(static_cast<unsigned char>(name[1])) || name[2] != '-')
            continue;
        if (std::filesystem::exists(e.path() / "lesson.json"))
            found.emplace_back(std::stoi(name.substr(0, 2)), name);
    }
    if (ec)
        throw util::Error(util::exit_code::usage, util::syscall_error("opendir", root, ec.value()),
                          "set SANDBOX_LESSONS to the lessons/ folder of a sandbox checkout");
    std::sort(found.begin(), found.end());
    std::vector<Lesson> out;
    for (const auto& [n, name] : found)
        out.push_back(load(root + "/" + name + "/lesson.json", n, name));
    return out;
}

namespace {

// The running binary's directory (/proc/self/exe: symlinks resolved, so /usr/bin/sandbox as a
// link to /opt/sandbox/bin/sandbox finds /opt/sandbox/share); empty if it cannot be read.
std::filesystem::path exe_dir() {
    char exe[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return {};
    std::string path(exe, static_cast<std::size_t>(n));
    // Rebuilt or upgraded while running: the kernel appends " (deleted)"; the directory stays.
    constexpr std::string_view deleted = " (deleted)";
    if (path.ends_with(deleted)) path.resize(path.size() - deleted.size());
    return std::filesystem::path(path).parent_path();
}

bool is_dir(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_directory(p, ec);
}

} // namespace

std::vector<std::string> lessons_search_path() {
    std::vector<std::string> out;
    if (const auto dir = exe_dir(); !dir.empty()) {
        out.push_back((dir.parent_path() / "share/sandbox/lessons").string()); // installed
        out.push_back(
            (dir / "share/sandbox/lessons").string()); // a build tree: a link the build makes
    }
    out.emplace_back(SANDBOX_INSTALL_LESSONS_DIR);
    return out;
}

std::string lessons_root() {
    if (const char* env = std::getenv("SANDBOX_LESSONS"); env != nullptr && *env != '\0') {
        if (!is_dir(env))
            throw util::Error(util::exit_code::usage,
                              fmt::format("SANDBOX_LESSONS={}: not a directory", env),
                              "point SANDBOX_LESSONS at a lessons/ folder (a sandbox checkout's "
                              "lessons/, or an installed share/sandbox/lessons), or unset it");
        return env;
    }
    const auto candidates = lessons_search_path();
    for (const auto& c : candidates)
        if (is_dir(c)) return c;
    std::string looked;
    for (const auto& c : candidates) looked += (looked.empty() ? "" : ", ") + c;
    throw util::Error(util::exit_code::usage,
                      fmt::format("the lessons are not installed: looked in {}", looked),
                      "set SANDBOX_LESSONS=DIR to the lessons/ folder of a sandbox checkout (or "
                      "reinstall the package, which puts them in share/sandbox/lessons)");
}

std::string programs_dir() {
    std::vector<std::filesystem::path> candidates;
    const auto dir = exe_dir();
    if (!dir.empty()) {
        candidates.push_back(dir.parent_path() / "libexec/sandbox"); // installed
        // a build tree (lessons/CMakeLists.txt builds them there) and dev.sh's staged copy
        candidates.push_back(dir / "lessons");
    }
    candidates.emplace_back(SANDBOX_INSTALL_PROGRAMS_DIR);
    for (const auto& c : candidates)
        if (is_dir(c)) return c.string();
    return candidates.front().string(); // the error the learner sees then names the right place
}

} // namespace lessons
