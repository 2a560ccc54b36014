#include "lessons/command.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

#include <fmt/format.h>

#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"
#include "output/lesson_report.hpp"
#include "util/error.hpp"

namespace lessons {

int command(const cli::Lesson& c) {
    const auto all = load_all(lessons_root());
    Progress progress = Progress::load();
    const Lesson* lesson = nullptr;
    for (const auto& l : all)
        if (l.number == c.number) lesson = &l;
    if (c.number != 0 && lesson == nullptr)
        util::throw_usage(fmt::format("there is no lesson {}", c.number),
                          "`sandbox lesson` lists them");
    const bool colour = ::isatty(STDOUT_FILENO) == 1;

    const auto hint = [&](const Lesson& l) {
        auto& e = progress.lessons[l.number];
        e.hints_shown = std::min<int>(e.hints_shown + 1, static_cast<int>(l.hints.size()));
        progress.save();
        for (int i = 0; i < e.hints_shown; ++i)
            std::cout << output::lesson_paragraph(fmt::format(
                             "Hint {} of {}: {}", i + 1, l.hints.size(),
                             expand(l.hints[static_cast<std::size_t>(i)], workspace(l))))
                      << "\n";
    };
    const auto solution = [&](const Lesson& l) {
        progress.lessons[l.number].solution_shown = true;
        progress.save();
        std::cout << "The reference solution (run it in " << workspace(l) << "):\n";
        for (const auto& cmd : l.solution) std::cout << "  " << expand(cmd, workspace(l)) << "\n";
    };
    // Returns the exit status: 0 passed, 1 not yet.
    const auto check = [&](const Lesson& l, bool json) {
        const auto v = verify(l, workspace(l));
        std::cout << (json ? output::lesson_verification_json(l, v)
                           : output::lesson_verification(l, v, colour));
        if (v.passed()) {
            auto& e = progress.lessons[l.number];
            if (!e.passed) {
                e.passed = true;
                std::time_t t = std::time(nullptr);
                char when[32];
                std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
                e.passed_at = when;
                progress.save();
            }
        }
        return v.passed() ? 0 : 1;
    };
    const auto skipped = [&](const Lesson& l) -> std::optional<int> {
        if (auto why = missing_need(l)) {
            std::cout << fmt::format("Lesson {} cannot run here: {}\n", l.number, *why);
            return 2;
        }
        return std::nullopt;
    };

    if (c.action == "list" || c.action == "status") {
        std::cout << output::lesson_list(all, progress);
        if (c.action == "status") std::cout << "Progress file: " << Progress::path() << "\n";
        return 0;
    }
    if (c.action == "reset") {
        for (const auto& l : all) {
            if (c.number != 0 && l.number != c.number) continue;
            progress.lessons.erase(l.number);
            std::error_code ec;
            std::filesystem::remove_all(state_dir() + "/work/" + l.slug, ec);
        }
        progress.save();
        std::cout << (c.number != 0 ? fmt::format("Lesson {} reset.\n", c.number)
                                    : std::string("All lessons reset.\n"));
        return 0;
    }
    if (c.action == "selftest") {
        int failed = 0, passed = 0, skipped_n = 0;
        for (const auto& l : all) {
            if (c.number != 0 && l.number != c.number) continue;
            auto r = selftest(l);
            switch (r.status) {
            case SelftestResult::Status::Passed:
                ++passed;
                std::cout << fmt::format("lesson {:>2}: passed   {}\n", l.number, l.title);
                break;
            case SelftestResult::Status::Skipped:
                ++skipped_n;
                std::cout << fmt::format("lesson {:>2}: skipped  {}: {}\n", l.number, l.title,
                                         r.detail);
                break;
            case SelftestResult::Status::Failed:
                ++failed;
                std::cout << fmt::format("lesson {:>2}: FAILED   {}\n{}\n", l.number, l.title,
                                         r.detail);
                break;
            }
        }
        std::cout << fmt::format("lessons: {} passed, {} failed, {} skipped\n", passed, failed,
                                 skipped_n);
        return failed == 0 ? 0 : 1;
    }
    const Lesson& l = *lesson;
    if (c.action == "show") {
        std::cout << output::lesson_intro(l);
        for (const auto& st : l.steps)
            std::cout << expand(st.say, "") << "\n  $ " << st.run << "\n\n";
        std::cout << output::lesson_task(l, workspace(l));
        return 0;
    }
    if (c.action == "hint") {
        hint(l);
        return 0;
    }
    if (c.action == "solution") {
        solution(l);
        return 0;
    }
    if (auto s = skipped(l)) return *s;
    if (c.action == "verify") return check(l, c.json);

    // Run it: explain, show each step's command and its output, then the task and the checks.
    const bool interactive = !c.no_input && ::isatty(STDIN_FILENO) == 1;
    const std::string dir = workspace(l);
    const auto pause = [&]() {
        if (!interactive) return;
        std::cout << "\n[Enter] to continue " << std::flush;
        std::string ignored;
        std::getline(std::cin, ignored);
    };
    std::cout << output::lesson_intro(l);
    for (const auto& st : l.steps) {
        if (!st.say.empty()) std::cout << output::lesson_paragraph(expand(st.say, dir)) << "\n";
        if (!st.run.empty()) {
            std::cout << "  $ " << expand(st.run, dir) << "\n" << std::flush;
            shell(expand(st.run, dir), dir, true);
        }
        pause();
        std::cout << "\n";
    }
    std::cout << output::lesson_task(l, dir);
    if (!interactive) return check(l, c.json);
    for (;;) {
        std::cout << "\n[Enter] check your work   [h] hint   [s] solution   [q] quit: "
                  << std::flush;
        std::string answer;
        if (!std::getline(std::cin, answer) || answer == "q") return 1;
        if (answer == "h")
            hint(l);
        else if (answer == "s")
            solution(l);
        else if (check(l, false) == 0)
            return 0;
    }
}

} // namespace lessons
