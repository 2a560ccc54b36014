#pragma once
// Text for `sandbox lesson ...`: the list with progress, a lesson's text, check results.
#include <string>
#include <vector>

#include "lessons/engine.hpp"
#include "lessons/lesson.hpp"

namespace output {

std::string lesson_list(const std::vector<lessons::Lesson>& all, const lessons::Progress& progress);
std::string lesson_paragraph(const std::string& text); // word-wrapped for the terminal
std::string lesson_intro(const lessons::Lesson& l);    // title, text
std::string lesson_task(const lessons::Lesson& l, const std::string& dir);
std::string lesson_verification(const lessons::Lesson& l, const lessons::Verification& v,
                                bool colour);
std::string lesson_verification_json(const lessons::Lesson& l, const lessons::Verification& v);

} // namespace output
