// SPDX-License-Identifier: Apache-2.0
#include "trace/filters.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "decode/syscalls.hpp"

namespace trace {

unsigned call_status(const Event& e) {
    namespace st = options::status;
    if (e.verdict == Verdict::Killed || e.unknown_result) return st::Unfinished;
    if (!e.result) return st::Unavailable;
    return *e.result == -1 && e.err > 0 ? st::Failed : st::Successful;
}

void StatusFilter::event(const Event& e) {
    if (e.phase == Phase::Unfinished) return; // decided at the exit, printed whole then
    if ((call_status(e) & mask_) == 0) return;
    if (e.phase == Phase::Whole) return next_.event(e);
    Event whole = e;
    whole.phase = Phase::Whole;
    next_.event(whole);
}

PathFilter::PathFilter(EventSink& next, const std::vector<std::string>& paths, bool show_fd_paths)
    : next_(next), show_fd_paths_(show_fd_paths) {
    for (const auto& p : paths) {
        paths_.push_back(p);
        char resolved[PATH_MAX];
        if (::realpath(p.c_str(), resolved) != nullptr && p != resolved)
            paths_.emplace_back(resolved);
    }
}

bool PathFilter::matches(const Event& e) const {
    const decode::SyscallInfo* info = decode::find(e.name);
    if (info == nullptr) return false;
    const auto selected = [this](const std::string& s) {
        return !s.empty() && std::find(paths_.begin(), paths_.end(), s) != paths_.end();
    };
    const std::size_t n = std::min(info->nargs, e.decoded.size());
    for (std::size_t i = 0; i < n; ++i) {
        const decode::Value& v = e.decoded[i];
        switch (decode::kind_info(info->args[i].kind).role) {
        case decode::Role::FileName:
            if (v.kind == decode::Value::Kind::String && !v.truncated && selected(v.text))
                return true;
            break;
        case decode::Role::Fd:
            // AT_FDCWD's comment is the working directory: strace does not match that.
            if (v.kind == decode::Value::Kind::Signed && selected(v.comment)) return true;
            break;
        case decode::Role::None:
            break;
        }
    }
    return false;
}

void PathFilter::event(const Event& e) {
    if (!matches(e)) return;
    if (show_fd_paths_) return next_.event(e);
    Event shown = e; // the fd paths were read for matching only: no -y
    const decode::SyscallInfo* info = decode::find(e.name);
    for (std::size_t i = 0; i < std::min(info->nargs, shown.decoded.size()); ++i)
        if (decode::kind_info(info->args[i].kind).role == decode::Role::Fd)
            shown.decoded[i].comment.clear();
    next_.event(shown);
}

} // namespace trace
