// SPDX-License-Identifier: Apache-2.0
#include "commands/lesson.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

#include <fmt/format.h>

#include "commands/lesson_session.hpp"
#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"
#include "report/lesson_report.hpp"
#include "util/error.hpp"
#include "util/terminal.hpp"

namespace lessons {
namespace {

// Ctrl-C: the command a check or a step runs is in a process group of its own, which the
// terminal's SIGINT misses; stop it, say how to come back, and exit 130 as a shell would.
std::array<char, 2048> interrupt_message{};
volatile std::size_t interrupt_length = 0;

void on_interrupt(int) {
    kill_running_command();
    ssize_t ignored = ::write(STDOUT_FILENO, interrupt_message.data(), interrupt_length);
    (void)ignored;
    ::_exit(130);
}

void on_interrupt_say(const std::string& text) {
    const std::string msg = "\n" + text;
    const std::size_t n = std::min(msg.size(), interrupt_message.size());
    interrupt_length = 0;
    std::memcpy(interrupt_message.data(), msg.data(), n);
    interrupt_length = n;
}

void install_interrupt_handler() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

} // namespace

int command(const cli::Lesson& c) {
    const auto all = load_all(lessons_root());
    Progress progress = Progress::load();
    const Lesson* lesson = nullptr;
    for (const auto& l : all)
        if (l.number == c.number) lesson = &l;
    if (c.number != 0 && lesson == nullptr)
        util::throw_usage(fmt::format("there is no lesson {}", c.number),
                          "`sandbox lesson` lists them");
    report::LessonStyle style;
    style.width = report::terminal_width();
    style.colour = util::colour_on(STDOUT_FILENO);
    style.sandbox = sandbox_command();
    install_interrupt_handler();

    const auto say = [&](const std::string& text) {
        std::cout << report::wrap(text, style.width) << "\n";
    };
    const auto come_back = [&](const Lesson& l, const std::string& dir) {
        return report::wrap(fmt::format("Your work stays in {}. To check it later:", dir),
                            style.width) +
               fmt::format("\n  {0} lesson verify {1}\nand for the task and this prompt "
                           "again:\n  {0} lesson {1} --task\n",
                           style.sandbox, l.number);
    };
    const auto hint = [&](const Lesson& l, bool json) {
        progress = Progress::load();
        auto& e = progress.lessons[l.number];
        e.hints_shown = std::min<int>(e.hints_shown + 1, static_cast<int>(l.hints.size()));
        progress.save();
        std::cout << (json ? report::lesson_hints_json(l, workspace(l), e.hints_shown)
                           : report::lesson_hints(l, workspace(l), e.hints_shown, style));
    };
    const auto solution = [&](const Lesson& l, bool json) {
        progress = Progress::load();
        progress.lessons[l.number].solution_shown = true;
        progress.save();
        std::cout << (json ? report::lesson_solution_json(l, workspace(l))
                           : report::lesson_solution(l, workspace(l), style));
    };
    // The checks' report, and whether they passed. A pass is recorded, and the next lesson
    // offered.
    const auto checked = [&](const Lesson& l, bool json, bool at_prompt) {
        const auto v = verify(l, workspace(l));
        report::LessonStyle s = style;
        s.prompt = at_prompt;
        std::string text =
            json ? report::lesson_verification_json(l, v) : report::lesson_verification(l, v, s);
        if (v.passed()) {
            progress = Progress::load(); // another terminal may have asked for hints meanwhile
            auto& e = progress.lessons[l.number];
            if (!e.passed) {
                e.passed = true;
                std::time_t t = std::time(nullptr);
                char when[32];
                std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
                e.passed_at = when;
                progress.save();
            }
            if (!json) text += report::lesson_next(all, progress, l.number, style);
        }
        return std::make_pair(v.passed(), text);
    };
    // Returns the exit status: 0 passed, 1 not yet.
    const auto check = [&](const Lesson& l, bool json, bool at_prompt) {
        const auto [passed, text] = checked(l, json, at_prompt);
        std::cout << text << std::flush;
        return passed ? 0 : 1;
    };
    const auto skipped = [&](const Lesson& l, bool json) -> std::optional<int> {
        if (auto why = missing_need(l)) {
            if (json)
                std::cout << report::lesson_skipped_json(l, *why);
            else
                say(fmt::format("Lesson {} cannot run here: {}", l.number, *why));
            return 2;
        }
        return std::nullopt;
    };

    if (c.action == "list" || c.action == "status") {
        if (c.json) {
            std::cout << report::lesson_list_json(all, progress, Progress::path());
            return 0;
        }
        std::cout << report::lesson_list(all, progress, style);
        if (c.action == "status") std::cout << "Progress file: " << Progress::path() << "\n";
        return 0;
    }
    if (c.action == "reset") {
        // The parser insists on a number or --all: forgetting everything is never a default.
        for (const auto& l : all) {
            if (!c.all && l.number != c.number) continue;
            progress.lessons.erase(l.number);
            std::error_code ec;
            std::filesystem::remove_all(state_dir() + "/work/" + l.slug, ec);
        }
        progress.save();
        say(c.all ? std::string("Every lesson reset: progress and work directories.")
                  : fmt::format("Lesson {} reset: its progress and its work directory "
                                "({}/work/{}).",
                                c.number, state_dir(), lesson->slug));
        return 0;
    }
    if (c.action == "selftest") {
        int failed = 0, passed = 0, skipped_n = 0;
        std::vector<report::SelftestRow> report;
        for (const auto& l : all) {
            if (c.number != 0 && l.number != c.number) continue;
            auto r = selftest(l);
            std::string status;
            switch (r.status) {
            case SelftestResult::Status::Passed:
                ++passed;
                status = "passed";
                if (!c.json)
                    std::cout << fmt::format("lesson {:>2}: passed   {}\n", l.number, l.title);
                break;
            case SelftestResult::Status::Skipped:
                ++skipped_n;
                status = "skipped";
                if (!c.json)
                    std::cout << fmt::format("lesson {:>2}: skipped  {}: {}\n", l.number, l.title,
                                             r.detail);
                break;
            case SelftestResult::Status::Failed:
                ++failed;
                status = "failed";
                if (!c.json)
                    std::cout << fmt::format("lesson {:>2}: FAILED   {}\n{}\n", l.number, l.title,
                                             r.detail);
                break;
            }
            std::cout << std::flush;
            report.push_back({l.number, l.title, status, r.detail});
        }
        if (c.json)
            std::cout << report::lesson_selftest_json(report);
        else
            std::cout << fmt::format("lessons: {} passed, {} failed, {} skipped\n", passed, failed,
                                     skipped_n);
        return failed == 0 ? 0 : 1;
    }
    const Lesson& l = *lesson;
    const std::string dir = workspace(l);
    if (c.action == "show") {
        if (c.json) {
            std::cout << report::lesson_show_json(l, dir);
            return 0;
        }
        std::cout << report::lesson_intro(l, dir, style);
        for (const auto& st : l.steps) std::cout << report::lesson_step(st, dir, style) << "\n";
        std::cout << report::lesson_task(l, dir, style, false);
        return 0;
    }
    if (c.action == "hint") {
        hint(l, c.json);
        return 0;
    }
    if (c.action == "solution") {
        solution(l, c.json);
        return 0;
    }
    if (c.action == "shell") {
        const int status = lesson_shell(l, dir);
        say(fmt::format("Left the lesson {} shell.", l.number));
        return status;
    }
    if (auto s = skipped(l, c.json)) return *s;
    if (c.action == "verify") return check(l, c.json, false);
    if (c.action == "watch") {
        on_interrupt_say("Stopped watching.\n");
        say(fmt::format("Lesson {}: {}", l.number, l.title));
        say(fmt::format("Watching {}: the checks run again whenever a file there changes. Ctrl-C "
                        "stops.",
                        dir));
        std::cout << std::flush;
        return watch_directory(
            dir, [&]() { return checked(l, false, false); },
            [&](const std::string& what) {
                std::time_t t = std::time(nullptr);
                char when[16];
                std::strftime(when, sizeof when, "%H:%M:%S", std::localtime(&t));
                std::cout << fmt::format("\n--- {} {} changed: checking again ---\n", when, what)
                          << std::flush;
            });
    }

    // Run it: explain, show each step's command and its output, then the task and the checks.
    const bool interactive = !c.no_input && ::isatty(STDIN_FILENO) == 1;
    on_interrupt_say(come_back(l, dir));
    // false: the learner asked to quit.
    const auto pause = [&]() {
        if (!interactive) return true;
        std::cout << "\n[Enter] to continue, [q] to quit " << std::flush;
        std::string answer;
        if (!std::getline(std::cin, answer) || trim(answer) == "q") return false;
        return true;
    };
    if (c.task_only) {
        const std::string head = fmt::format("Lesson {}: {}", l.number, l.title);
        std::cout << head << "\n" << std::string(head.size(), '=') << "\n\n";
    } else {
        std::cout << report::lesson_intro(l, dir, style);
        for (const auto& st : l.steps) {
            std::cout << report::lesson_step(st, dir, style) << std::flush;
            if (!st.run.empty()) shell(expand(st.run, dir), dir, true);
            if (!pause()) {
                std::cout << "\n" << come_back(l, dir);
                return 1;
            }
            std::cout << "\n";
        }
    }
    std::cout << report::lesson_task(l, dir, style, interactive);
    if (!interactive) return check(l, false, false);

    const auto prompt_help = [&]() {
        std::cout << fmt::format(
            "At this prompt:\n"
            "  Enter, check   check your work\n"
            "  h, hint        the next hint\n"
            "  s, solution    the reference solution (the lesson then counts as [s])\n"
            "  shell          a shell in the lesson directory (exit comes back here)\n"
            "  t, task        the task again\n"
            "  q, quit        leave; `{} lesson {} --task` comes back\n",
            style.sandbox, l.number);
        say("Commands are not run here: type them in your second terminal, or in `shell`.");
    };
    for (;;) {
        // Input typed after the prompt must not wrap straight away.
        std::cout << (style.width >= 72
                          ? "\n[Enter] check  [h]int  [s]olution  [shell]  [t]ask  [q]uit  [?] > "
                          : "\n[Enter] check  h  s  shell  t  q  [?] help > ")
                  << std::flush;
        std::string line;
        if (!std::getline(std::cin, line)) {
            std::cout << "\n" << come_back(l, dir);
            return 1;
        }
        const std::string typed = trim(line);
        std::string answer = typed; // the prompt's own words, in any case
        std::transform(answer.begin(), answer.end(), answer.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (answer.empty() || answer == "c" || answer == "check") {
            if (check(l, false, true) == 0) return 0;
        } else if (answer == "h" || answer == "hint") {
            hint(l, false);
        } else if (answer == "s" || answer == "solution") {
            std::cout << report::wrap("The lesson then counts as solved with help ([s] in the "
                                      "list). Show the solution? [y/N]",
                                      style.width)
                      << " " << std::flush;
            std::string yes;
            std::string reply;
            if (std::getline(std::cin, yes)) reply = trim(yes);
            for (auto& ch : reply)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (reply == "y" || reply == "yes") solution(l, false);
        } else if (answer == "shell" || answer == "sh") {
            lesson_shell(l, dir);
            say(fmt::format("Back at lesson {}.", l.number));
        } else if (answer == "t" || answer == "task") {
            std::cout << report::lesson_task(l, dir, style, true);
        } else if (answer == "q" || answer == "quit" || answer == "exit") {
            std::cout << come_back(l, dir);
            return 1;
        } else if (answer == "?" || answer == "help") {
            prompt_help();
        } else {
            say(fmt::format("`{}` was not run: this prompt only checks your work. Type commands "
                            "in your second terminal (in {}), or type `shell` here for a shell "
                            "in the lesson directory (exit comes back here), or run `{} lesson "
                            "shell {}` in another terminal.",
                            typed, dir, style.sandbox, l.number));
        }
    }
}

} // namespace lessons
