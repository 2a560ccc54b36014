// SPDX-License-Identifier: Apache-2.0
#include "report/lesson_report.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string_view>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_schema.hpp"

#include "util/number.hpp"
#include "util/table.hpp"

namespace report {
namespace {

// Columns on a terminal: UTF-8 continuation bytes take none ("—", "…" are one column).
std::size_t columns(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

struct Token {
    std::size_t begin = 0, end = 0; // offsets into the paragraph
};

// Words between spaces; a `backtick span` stays in one token with spaces and all, together with
// what is attached to it ("(`sandbox attach PID`,").
std::vector<Token> tokenize(const std::string& s, std::size_t from) {
    std::vector<Token> out;
    std::size_t i = from;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        if (i >= s.size()) break;
        const std::size_t begin = i;
        while (i < s.size() && s[i] != ' ') {
            if (s[i] == '`') {
                if (const auto close = s.find('`', i + 1); close != std::string::npos) {
                    i = close + 1;
                    continue;
                }
            }
            ++i;
        }
        out.push_back({begin, i});
    }
    return out;
}

// Finding command lines in prose (hints say `sandbox run --rw DIR -o trace1.txt -- touch
// DIR/error.log ; then the same with ...` without backticks). A command starts with a command
// word followed closely by something only a command has (an option, a path, a redirection, a
// quote), at the start of the paragraph, after a colon or after an opening parenthesis; it ends
// where prose begins again: two plain words, one of them a small English word, or a
// parenthesis.

bool is_command_word(std::string_view t) {
    static const std::vector<std::string_view> words = {
        "sandbox", "echo",   "printf", "sed",      "grep",  "awk",   "install", "cat",
        "kill",    "mkdir",  "touch",  "readlink", "sleep", "chmod", "ls",      "env",
        "sh",      "strace", "dmesg",  "unshare",  "id",    "uname", "cd",      "test"};
    if (std::find(words.begin(), words.end(), t) != words.end()) return true;
    // a path to a program: /usr/bin/x, ./x (the lesson's {sandbox} and {bin}/... are expanded)
    return (t.size() > 1 && t[0] == '/') || (t.size() > 2 && t.substr(0, 2) == "./");
}

bool is_assignment(std::string_view t) {
    static const std::regex re("^[A-Z_][A-Z0-9_]*=\\S*$");
    return std::regex_match(t.begin(), t.end(), re);
}

bool is_codeish(std::string_view t) {
    if (t.size() > 1 && t[0] == '-') return true;
    if (t.find_first_of("/{}$=|<>'\"*[]&") != std::string_view::npos) return true;
    const auto dot = t.find('.');
    return dot != std::string_view::npos && dot + 1 < t.size() &&
           std::isalnum(static_cast<unsigned char>(t[dot + 1]));
}

bool is_plain(std::string_view t) {
    static const std::regex re("^\\(?[A-Za-z]+('[a-z]+)?[,.;:)]*$");
    return std::regex_match(t.begin(), t.end(), re);
}

bool is_small_word(std::string_view t) {
    std::string w;
    for (char c : t)
        if (std::isalpha(static_cast<unsigned char>(c)))
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::vector<std::string_view> words = {
        "a",     "an",   "the",  "and",  "or",    "but",  "of",    "to",    "in",   "into",
        "on",    "at",   "for",  "with", "from",  "by",   "as",    "is",    "are",  "be",
        "it",    "its",  "that", "this", "which", "what", "one",   "per",   "so",   "not",
        "would", "will", "can",  "your", "you",   "when", "where", "there", "than", "without"};
    return std::find(words.begin(), words.end(), w) != words.end();
}

class Paragraph {
public:
    explicit Paragraph(const std::string& text, std::size_t from)
        : text_(text), tokens_(tokenize(text, from)) {}

    struct Unit {
        std::string text;
        bool command = false; // a command line, or a `backtick` span
    };
    // The units to lay out: words, and commands kept whole.
    std::vector<Unit> units() const {
        std::vector<Unit> out;
        for (std::size_t i = 0; i < tokens_.size();) {
            std::size_t end = i + 1;
            const bool command = candidate(i) && command_at(i);
            if (command) end = command_end(i);
            Unit u{text_.substr(tokens_[i].begin, tokens_[end - 1].end - tokens_[i].begin),
                   command};
            u.command = u.command || u.text.find('`') != std::string::npos;
            out.push_back(std::move(u));
            i = end;
        }
        return out;
    }

private:
    std::string_view tok(std::size_t i) const {
        return std::string_view(text_).substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
    }
    bool candidate(std::size_t i) const {
        if (i == 0 || tok(i).front() == '(') return true;
        return tok(i - 1).back() == ':';
    }
    bool command_at(std::size_t i) const {
        std::string_view t = tok(i);
        if (t.front() == '`') return false;
        if (t.front() == '(') t.remove_prefix(1);
        std::size_t k = i;
        if (is_assignment(t)) {
            if (++k >= tokens_.size()) return false;
            t = tok(k);
        }
        if (!is_command_word(t)) return false;
        const std::size_t look = (t == "sandbox" || t.front() == '/') ? 3 : 2;
        for (std::size_t j = k + 1; j < tokens_.size() && j <= k + look; ++j)
            if (is_codeish(tok(j))) return true;
        return false;
    }
    // Tokens i.. that belong to the command starting at i (exclusive end).
    std::size_t command_end(std::size_t i) const {
        const std::size_t n = tokens_.size();
        // Which tokens lie in or hold shell quotes (only when the quotes balance: an apostrophe
        // of prose is no quote).
        std::vector<bool> quoted(n, false);
        {
            char state = 0;
            std::size_t k = i;
            for (std::size_t p = tokens_[i].begin; p < text_.size(); ++p) {
                while (k < n && tokens_[k].end <= p) ++k;
                const char c = text_[p];
                if (state == 0 && (c == '\'' || c == '"'))
                    state = c;
                else if (state != 0 && c == state)
                    state = 0;
                else if (state == 0 && c == '\\')
                    ++p;
                if (k < n && p >= tokens_[k].begin && (state != 0 || c == '\'' || c == '"'))
                    quoted[k] = true;
            }
            if (state != 0) std::fill(quoted.begin(), quoted.end(), false);
        }
        for (std::size_t k = i + 1; k < n; ++k) {
            if (quoted[k]) continue;
            if (tok(k).front() == '(') return k;
            if (k >= i + 2 && k + 1 < n && !quoted[k + 1] && is_plain(tok(k)) &&
                is_plain(tok(k + 1)) && (is_small_word(tok(k)) || is_small_word(tok(k + 1)))) {
                std::size_t p = k;
                while (p > i + 1 && !quoted[p - 1] && is_plain(tok(p - 1))) --p;
                return p;
            }
        }
        return n;
    }

    const std::string& text_;
    std::vector<Token> tokens_;
};

// One line of text (no newlines) laid out; `hang`: the indent of the lines after the first
// (default: the leading spaces, plus a list marker's width).
std::string wrap_line(const std::string& text, std::size_t width,
                      std::optional<std::size_t> hang = std::nullopt) {
    const std::size_t lead = std::min(text.find_first_not_of(' '), text.size());
    if (lead == text.size()) return "";
    if (!hang) {
        static const std::regex marker("^(\\d+[.:)]|[-*]) +");
        std::smatch m;
        const std::string rest = text.substr(lead);
        hang = lead + (std::regex_search(rest, m, marker) ? static_cast<std::size_t>(m.length(0))
                                                          : std::size_t{0});
    }
    const Paragraph p(text, lead);
    std::string out, line(lead, ' ');
    bool empty = true;
    for (const auto& u : p.units()) {
        const std::string& unit = u.text;
        if (empty) {
            line += unit;
            empty = false;
        } else if (columns(line) + 1 + columns(unit) <= width) {
            line += " " + unit;
        } else {
            out += line + "\n";
            line = std::string(*hang, ' ') + unit;
        }
    }
    return out + line;
}

std::string wrap_text(const std::string& text, std::size_t width,
                      std::optional<std::size_t> hang = std::nullopt) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = text.find('\n', start);
        out +=
            wrap_line(text.substr(start, nl == std::string::npos ? nl : nl - start), width, hang);
        if (nl == std::string::npos) break;
        out += "\n";
        start = nl + 1;
    }
    return out;
}

std::string paragraphs(const std::vector<std::string>& ps, const std::string& dir,
                       std::size_t width) {
    std::string out;
    for (const auto& p : ps) out += wrap_text(lessons::expand(p, dir), width) + "\n\n";
    return out;
}

// Whether a command in `text` (a command line, a `backtick` span) runs `sandbox`.
bool runs_sandbox(const std::string& text) {
    static const std::regex word("(^|[\\s`(;|&])sandbox\\s");
    for (const auto& u : Paragraph(text, 0).units())
        if (u.command && std::regex_search(u.text, word)) return true;
    return false;
}

std::string passed_count(const lessons::Verification& v) {
    return std::to_string(
        std::count_if(v.checks.begin(), v.checks.end(), [](const auto& c) { return c.passed; }));
}

} // namespace

std::size_t terminal_width() {
    if (const char* c = std::getenv("COLUMNS"); c != nullptr)
        if (auto n = util::parse_decimal(c, 1, 10000)) return std::max<std::size_t>(*n, 20);
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return std::max<std::size_t>(ws.ws_col, 20);
    return 80;
}

std::string wrap(const std::string& text, std::size_t width) {
    return wrap_text(text, width);
}

std::string lesson_paragraph(const std::string& text, std::size_t width) {
    return wrap_text(text, width);
}

std::string public_evidence(const std::string& slice) {
    // verify() puts a run check's command first: "    $ COMMAND   (exit status N)\n".
    static const std::regex command("^ *\\$ [\\s\\S]*?   \\(exit status (-?\\d+)\\)\\n");
    std::smatch m;
    if (!std::regex_search(slice, m, command)) return slice;
    return fmt::format("    (the check's command exited with status {})\n", m[1].str()) +
           m.suffix().str();
}

std::string lesson_list(const std::vector<lessons::Lesson>& all, const lessons::Progress& progress,
                        const LessonStyle& style) {
    util::Table t({"#", "DONE", "LESSON", "NEEDS"});
    int done = 0;
    const lessons::Lesson* next = nullptr;
    for (const auto& l : all) {
        auto it = progress.lessons.find(l.number);
        std::string mark = "[ ]";
        if (it != progress.lessons.end() && it->second.passed) {
            mark = it->second.solution_shown ? "[s]" : "[x]";
            ++done;
        } else if (next == nullptr) {
            next = &l;
        }
        std::string needs;
        for (const auto& n : l.needs) needs += (needs.empty() ? "" : ", ") + n;
        t.add({std::to_string(l.number), mark, l.title, needs.empty() ? "-" : needs});
    }
    std::string last =
        fmt::format("{} of {} done ([s]: solved after seeing the solution).", done, all.size());
    if (next != nullptr)
        last += fmt::format(" {} with `{} lesson {}`.", done == 0 ? "Start" : "Go on",
                            style.sandbox, next->number);
    return t.render() + "\n" + wrap_text(last, style.width) + "\n";
}

std::string lesson_list_json(const std::vector<lessons::Lesson>& all,
                             const lessons::Progress& progress, const std::string& progress_file) {
    auto j = util::report_object();
    j["lessons"] = nlohmann::ordered_json::array();
    int done = 0;
    for (const auto& l : all) {
        lessons::Progress::Entry e;
        if (auto it = progress.lessons.find(l.number); it != progress.lessons.end()) e = it->second;
        if (e.passed) ++done;
        j["lessons"].push_back(
            {{"lesson", l.number},
             {"slug", l.slug},
             {"title", l.title},
             {"summary", l.summary},
             {"needs", l.needs},
             {"passed", e.passed},
             {"solution_shown", e.solution_shown},
             {"hints_shown", e.hints_shown},
             {"passed_at", e.passed_at.empty() ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(e.passed_at)}});
    }
    j["done"] = done;
    j["total"] = all.size();
    j["progress_file"] = progress_file;
    return util::json_line(j);
}

std::string lesson_intro(const lessons::Lesson& l, const std::string& dir,
                         const LessonStyle& style) {
    const std::string head = fmt::format("Lesson {}: {}", l.number, l.title);
    return head + "\n" + std::string(columns(head), '=') + "\n\n" +
           paragraphs(l.text, dir, style.width);
}

std::string lesson_step(const lessons::Step& step, const std::string& dir,
                        const LessonStyle& style) {
    std::string out;
    if (!step.say.empty()) out += wrap_text(lessons::expand(step.say, dir), style.width) + "\n";
    if (!step.run.empty()) out += "  $ " + lessons::expand(step.run, dir) + "\n";
    return out;
}

std::string lesson_task(const lessons::Lesson& l, const std::string& dir, const LessonStyle& style,
                        bool interactive) {
    const std::string self = lessons::self_exe();
    const bool on_path = style.sandbox == "sandbox";
    std::string out = "Your task\n---------\n" + paragraphs(l.task, dir, style.width);
    out += "Where to work: the lesson directory is\n  " + dir + "\n";
    out += wrap_text(
               fmt::format("Type the commands in a second terminal, in that directory (`cd` there "
                           "first); `sandbox` in them is {}{}. Or open a shell there with "
                           "`sandbox` on PATH{}:",
                           self, on_path ? "" : ", which is not on your PATH: type the full path",
                           interactive ? " (`shell` at the prompt below, or this in another "
                                         "terminal; exit returns)"
                                       : " (exit returns)"),
               style.width) +
           "\n";
    out += fmt::format("  {} lesson shell {}\n", style.sandbox, l.number);
    out += wrap_text(interactive
                         ? std::string("Then come back here and press Enter to check your work.")
                         : fmt::format("Then check your work with `{} lesson verify {}` (or "
                                       "`{} lesson watch {}`: it checks on every change).",
                                       style.sandbox, l.number, style.sandbox, l.number),
                     style.width) +
           "\n";
    return out;
}

std::string lesson_hints(const lessons::Lesson& l, const std::string& dir, int shown,
                         const LessonStyle& style) {
    std::string out;
    bool sandbox_word = false;
    const int n = std::min<int>(shown, static_cast<int>(l.hints.size()));
    for (int i = 0; i < n; ++i) {
        const std::string text = lessons::expand(l.hints[static_cast<std::size_t>(i)], dir);
        sandbox_word = sandbox_word || runs_sandbox(text);
        out += wrap_text(fmt::format("Hint {} of {}: {}", i + 1, l.hints.size(), text), style.width,
                         2) +
               "\n";
    }
    if (sandbox_word && style.sandbox != "sandbox")
        out += wrap_text(fmt::format("(`sandbox` here is {}, which is not on your PATH: type the "
                                     "full path, or work in `{} lesson shell {}`, where `sandbox` "
                                     "is on PATH.)",
                                     style.sandbox, style.sandbox, l.number),
                         style.width) +
               "\n";
    return out;
}

std::string lesson_solution(const lessons::Lesson& l, const std::string& dir,
                            const LessonStyle& style) {
    std::string out =
        wrap_text(fmt::format("The reference solution (run it in {}):", dir), style.width) + "\n";
    for (const auto& cmd : l.solution) out += "  " + lessons::expand(cmd, dir) + "\n";
    return out;
}

std::string lesson_verification(const lessons::Lesson& l, const lessons::Verification& v,
                                const LessonStyle& style) {
    const std::string green = style.colour ? "\033[32m" : "";
    const std::string red = style.colour ? "\033[31m" : "";
    const std::string off = style.colour ? "\033[0m" : "";
    std::string out;
    // Every reason, but the evidence only for the first few: a lab with a dozen checks would
    // otherwise bury the first thing to fix under the output of the rest.
    constexpr int kSlices = 3;
    int failed = 0;
    for (const auto& c : v.checks) {
        if (c.passed) continue;
        const std::string prefix = "not yet:";
        const std::string text = wrap_text(prefix + " " + c.reason, style.width, prefix.size() + 1);
        out += red + prefix + off + text.substr(prefix.size()) + "\n" +
               (++failed <= kSlices ? public_evidence(c.slice) : std::string());
    }
    if (v.passed())
        out += fmt::format("{}Lesson {} passed.{} All {} checks hold.\n", green, l.number, off,
                           v.checks.size());
    else
        out +=
            wrap_text(fmt::format("({} of {} checks hold; {}.)", passed_count(v), v.checks.size(),
                                  style.prompt ? std::string("type h for a hint")
                                               : fmt::format("`{} lesson hint {}` gives a hint",
                                                             style.sandbox, l.number)),
                      style.width) +
            "\n";
    return out;
}

std::string lesson_verification(const lessons::Lesson& l, const lessons::Verification& v,
                                bool colour) {
    LessonStyle style;
    style.colour = colour;
    return lesson_verification(l, v, style);
}

std::string lesson_next(const std::vector<lessons::Lesson>& all, const lessons::Progress& progress,
                        int passed_number, const LessonStyle& style) {
    const auto open = [&](const lessons::Lesson& l) {
        auto it = progress.lessons.find(l.number);
        return it == progress.lessons.end() || !it->second.passed;
    };
    const lessons::Lesson* next = nullptr;
    for (const auto& l : all)
        if (l.number > passed_number && open(l)) {
            next = &l;
            break;
        }
    if (next == nullptr)
        for (const auto& l : all)
            if (l.number != passed_number && open(l)) {
                next = &l;
                break;
            }
    if (next == nullptr)
        return wrap_text(fmt::format("That was the last one: every lesson is done (`{} lesson "
                                     "status` lists them).",
                                     style.sandbox),
                         style.width) +
               "\n";
    return wrap_text(
               fmt::format("Next: `{} lesson {}` ({}).", style.sandbox, next->number, next->title),
               style.width) +
           "\n";
}

std::string lesson_verification_json(const lessons::Lesson& l, const lessons::Verification& v) {
    auto j = util::report_object();
    j["lesson"] = l.number;
    j["title"] = l.title;
    j["passed"] = v.passed();
    j["skipped"] = false;
    j["checks"] = nlohmann::ordered_json::array();
    for (const auto& c : v.checks) {
        if (c.passed)
            j["checks"].push_back({{"passed", true}});
        else
            j["checks"].push_back(
                {{"passed", false}, {"reason", c.reason}, {"evidence", public_evidence(c.slice)}});
    }
    return util::json_line(j);
}

std::string lesson_skipped_json(const lessons::Lesson& l, const std::string& why) {
    auto j = util::report_object();
    j["lesson"] = l.number;
    j["title"] = l.title;
    j["passed"] = false;
    j["skipped"] = true;
    j["reason"] = why;
    j["checks"] = nlohmann::ordered_json::array();
    return util::json_line(j);
}

std::string lesson_show_json(const lessons::Lesson& l, const std::string& dir) {
    auto j = util::report_object();
    j["lesson"] = l.number;
    j["title"] = l.title;
    j["summary"] = l.summary;
    j["needs"] = l.needs;
    j["dir"] = dir;
    j["text"] = nlohmann::ordered_json::array();
    for (const auto& p : l.text) j["text"].push_back(lessons::expand(p, dir));
    j["steps"] = nlohmann::ordered_json::array();
    for (const auto& s : l.steps)
        j["steps"].push_back(
            {{"say", lessons::expand(s.say, dir)}, {"run", lessons::expand(s.run, dir)}});
    j["task"] = nlohmann::ordered_json::array();
    for (const auto& p : l.task) j["task"].push_back(lessons::expand(p, dir));
    j["hints_total"] = l.hints.size();
    return util::json_line(j);
}

std::string lesson_hints_json(const lessons::Lesson& l, const std::string& dir, int shown) {
    auto j = util::report_object();
    j["lesson"] = l.number;
    j["hints_total"] = l.hints.size();
    j["hints"] = nlohmann::ordered_json::array();
    for (int i = 0; i < std::min<int>(shown, static_cast<int>(l.hints.size())); ++i)
        j["hints"].push_back(lessons::expand(l.hints[static_cast<std::size_t>(i)], dir));
    return util::json_line(j);
}

std::string lesson_solution_json(const lessons::Lesson& l, const std::string& dir) {
    auto j = util::report_object();
    j["lesson"] = l.number;
    j["dir"] = dir;
    j["solution"] = nlohmann::ordered_json::array();
    for (const auto& cmd : l.solution) j["solution"].push_back(lessons::expand(cmd, dir));
    return util::json_line(j);
}

std::string lesson_selftest_json(const std::vector<SelftestRow>& rows) {
    auto j = util::report_object();
    j["lessons"] = nlohmann::ordered_json::array();
    int passed = 0, failed = 0, skipped = 0;
    for (const auto& r : rows) {
        passed += r.status == "passed" ? 1 : 0;
        failed += r.status == "failed" ? 1 : 0;
        skipped += r.status == "skipped" ? 1 : 0;
        j["lessons"].push_back(
            {{"lesson", r.lesson}, {"title", r.title}, {"status", r.status}, {"detail", r.detail}});
    }
    j["lessons_passed"] = passed;
    j["lessons_failed"] = failed;
    j["lessons_skipped"] = skipped;
    return util::json_line(j);
}

} // namespace report
