// SPDX-License-Identifier: Apache-2.0
#include "trace/summary.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/json_schema.hpp"
#include "util/table.hpp"

namespace trace {
namespace {

using Row = std::pair<std::string, Summary::Counts>;

std::vector<Row> sorted(const std::map<std::string, Summary::Counts>& counts, SortKey key) {
    std::vector<Row> rows(counts.begin(), counts.end()); // by name already
    const auto by_calls = [](const Row& a, const Row& b) {
        return a.second.calls > b.second.calls;
    };
    const auto by_denied = [](const Row& a, const Row& b) {
        if (a.second.denied != b.second.denied) return a.second.denied > b.second.denied;
        return a.second.calls > b.second.calls;
    };
    const auto by_time = [](const Row& a, const Row& b) {
        return a.second.seconds > b.second.seconds;
    };
    const auto by_errors = [](const Row& a, const Row& b) {
        return a.second.errors > b.second.errors;
    };
    if (key == SortKey::Time) std::stable_sort(rows.begin(), rows.end(), by_time);
    if (key == SortKey::Errors) std::stable_sort(rows.begin(), rows.end(), by_errors);
    if (key == SortKey::Calls) std::stable_sort(rows.begin(), rows.end(), by_calls);
    if (key == SortKey::Denied) std::stable_sort(rows.begin(), rows.end(), by_denied);
    return rows;
}

// strace -c leaves a zero error count blank.
std::string count_or_blank(std::uint64_t n) {
    return n == 0 ? "" : std::to_string(n);
}

Summary::Counts totals(const std::map<std::string, Summary::Counts>& counts) {
    Summary::Counts t;
    for (const auto& [name, c] : counts) {
        t.calls += c.calls;
        t.denied += c.denied;
        t.would_deny += c.would_deny;
        t.injected += c.injected;
        t.errors += c.errors;
        t.seconds += c.seconds;
    }
    return t;
}

} // namespace

void Summary::add(const Event& e) {
    if (e.restarted) return; // the same call again, not a new one
    Counts& c = counts_[e.name];
    ++c.calls;
    if (e.duration) {
        timed_ = true;
        c.seconds += *e.duration;
    }
    if (e.result && *e.result == -1 && e.verdict == Verdict::Allowed) ++c.errors;
    switch (e.verdict) {
    case Verdict::Denied:
    case Verdict::Killed:
        ++c.denied;
        break;
    case Verdict::WouldDeny:
        ++c.would_deny;
        break;
    case Verdict::Injected:
        ++c.injected;
        break;
    case Verdict::Allowed:
    case Verdict::Emulated:
        break;
    }
}

std::uint64_t Summary::total_calls() const {
    return totals(counts_).calls;
}

std::string Summary::render_text(SortKey key) const {
    const Counts total = totals(counts_);
    const bool show_would_deny = total.would_deny > 0;
    const bool show_injected = total.injected > 0;

    // Cells first (numbers right-aligned by padding them here), then util::Table lays them out.
    // With results (the ptrace engine) strace's columns: % time, seconds, usecs/call, calls,
    // errors.
    std::vector<std::string> header =
        timed_ ? std::vector<std::string>{"% time", "seconds", "usecs/call",
                                          "calls",  "errors",  "denied"}
               : std::vector<std::string>{"% calls", "calls", "denied"};
    if (show_would_deny) header.emplace_back("would deny");
    if (show_injected) header.emplace_back("injected");
    header.emplace_back("syscall");

    const auto cells = [&](const std::string& name, const Counts& c) {
        const double share = total.calls == 0 ? 0.0
                                              : 100.0 * static_cast<double>(c.calls) /
                                                    static_cast<double>(total.calls);
        std::vector<std::string> row;
        if (timed_) {
            const double time_share = total.seconds <= 0 ? 0.0 : 100.0 * c.seconds / total.seconds;
            const double usecs =
                c.calls == 0 ? 0.0 : 1e6 * c.seconds / static_cast<double>(c.calls);
            row = {fmt::format("{:.2f}", time_share), fmt::format("{:.6f}", c.seconds),
                   fmt::format("{:.0f}", usecs),      std::to_string(c.calls),
                   count_or_blank(c.errors),          count_or_blank(c.denied)};
        } else {
            row = {fmt::format("{:.2f}", share), std::to_string(c.calls), count_or_blank(c.denied)};
        }
        if (show_would_deny) row.push_back(count_or_blank(c.would_deny));
        if (show_injected) row.push_back(count_or_blank(c.injected));
        row.push_back(name);
        return row;
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& [name, c] : sorted(counts_, key)) rows.push_back(cells(name, c));
    std::vector<std::string> total_row = cells("total", total);

    const std::size_t columns = header.size();
    std::vector<std::size_t> width(columns, 0);
    const auto measure = [&](const std::vector<std::string>& r) {
        for (std::size_t i = 0; i < columns; ++i) width[i] = std::max(width[i], r[i].size());
    };
    measure(header);
    for (const auto& r : rows) measure(r);
    measure(total_row);
    const auto right_align = [&](std::vector<std::string>& r) {
        for (std::size_t i = 0; i + 1 < columns; ++i) r[i].insert(0, width[i] - r[i].size(), ' ');
    };
    std::vector<std::string> dashes;
    for (std::size_t i = 0; i < columns; ++i) dashes.emplace_back(width[i], '-');

    right_align(header);
    util::Table table(header);
    table.add(dashes);
    for (auto& r : rows) {
        right_align(r);
        table.add(std::move(r));
    }
    table.add(dashes);
    right_align(total_row);
    table.add(std::move(total_row));
    // Say which time is measured: the ptrace engine's wall-clock from entry to exit (strace -c -w).
    if (timed_)
        return "time: wall-clock between each call's entry and exit (as strace -c -w)\n" +
               table.render();
    return table.render();
}

std::string Summary::render_json() const {
    using Json = nlohmann::ordered_json;
    const auto counts_json = [](Json& o, const Counts& c) {
        o["calls"] = c.calls;
        o["denied"] = c.denied;
        o["would_deny"] = c.would_deny;
        o["injected"] = c.injected;
        o["errors"] = c.errors;
        o["seconds"] = c.seconds;
    };
    Json j = util::report_object();
    j["type"] = "summary";
    Json list = Json::array();
    for (const auto& [name, c] : sorted(counts_, SortKey::Calls)) {
        Json row;
        row["syscall"] = name;
        counts_json(row, c);
        list.push_back(std::move(row));
    }
    j["syscalls"] = std::move(list);
    Json total = Json::object();
    counts_json(total, totals(counts_));
    j["total"] = std::move(total);
    return util::json_line(j);
}

} // namespace trace
