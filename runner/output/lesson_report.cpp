#include "output/lesson_report.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "output/table.hpp"

namespace output {
namespace {

// Word-wrapped at 88 columns (lesson text is written as one line per paragraph).
std::string wrap(const std::string& text, std::size_t width = 88) {
    std::string out, line;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        start = end + 1;
    }
    return out + line;
}

std::string paragraphs(const std::vector<std::string>& ps, const std::string& dir) {
    std::string out;
    for (const auto& p : ps) out += wrap(lessons::expand(p, dir)) + "\n\n";
    return out;
}

} // namespace

std::string lesson_paragraph(const std::string& text) {
    return wrap(text);
}

namespace {} // namespace

std::string lesson_list(const std::vector<lessons::Lesson>& all,
                        const lessons::Progress& progress) {
    Table t({"#", "DONE", "LESSON", "NEEDS"});
    int done = 0;
    for (const auto& l : all) {
        auto it = progress.lessons.find(l.number);
        std::string mark = "[ ]";
        if (it != progress.lessons.end() && it->second.passed) {
            mark = it->second.solution_shown ? "[s]" : "[x]";
            ++done;
        }
        std::string needs;
        for (const auto& n : l.needs) needs += (needs.empty() ? "" : ", ") + n;
        t.add({std::to_string(l.number), mark, l.title, needs.empty() ? "-" : needs});
    }
    return t.render() +
           fmt::format("\n{} of {} done ([s]: solved after seeing the solution). Start with "
                       "`sandbox lesson {}`.\n",
                       done, all.size(), all.empty() ? 1 : all.front().number);
}

std::string lesson_intro(const lessons::Lesson& l) {
    return fmt::format("Lesson {}: {}\n{}\n\n", l.number, l.title,
                       std::string(10 + l.title.size(), '=')) +
           paragraphs(l.text, "");
}

std::string lesson_task(const lessons::Lesson& l, const std::string& dir) {
    return "Your task\n---------\n" + paragraphs(l.task, dir) +
           fmt::format("Work in {} (it is $LESSON_DIR in commands the lesson runs).\n", dir);
}

std::string lesson_verification(const lessons::Lesson& l, const lessons::Verification& v,
                                bool colour) {
    const char* green = colour ? "\033[32m" : "";
    const char* red = colour ? "\033[31m" : "";
    const char* off = colour ? "\033[0m" : "";
    std::string out;
    // Every reason, but the evidence only for the first few: a lab with a dozen checks would
    // otherwise bury the first thing to fix under the output of the rest.
    constexpr int kSlices = 3;
    int failed = 0;
    for (const auto& c : v.checks) {
        if (c.passed) continue;
        out += fmt::format("{}not yet:{} {}\n{}", red, off, c.reason,
                           ++failed <= kSlices ? c.slice : std::string());
    }
    if (v.passed())
        out += fmt::format("{}Lesson {} passed.{} All {} checks hold.\n", green, l.number, off,
                           v.checks.size());
    else
        out += fmt::format(
            "({} of {} checks hold; `sandbox lesson hint {}` gives a hint.)\n",
            std::count_if(v.checks.begin(), v.checks.end(), [](const auto& c) { return c.passed; }),
            v.checks.size(), l.number);
    return out;
}

std::string lesson_verification_json(const lessons::Lesson& l, const lessons::Verification& v) {
    nlohmann::json j;
    j["lesson"] = l.number;
    j["title"] = l.title;
    j["passed"] = v.passed();
    j["checks"] = nlohmann::json::array();
    for (const auto& c : v.checks)
        j["checks"].push_back({{"passed", c.passed}, {"reason", c.reason}, {"evidence", c.slice}});
    return j.dump() + "\n";
}

} // namespace output
