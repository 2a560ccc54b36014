// SPDX-License-Identifier: Apache-2.0
#pragma once
// strace's output filters, as sinks, where strace 6.1 applies them:
//   StatusFilter  -z, -Z, -e status=SET: only calls that ended that way; in front of the trace
//                 lines only (strace -c -z counts every call)
//   PathFilter    -P PATH: only calls that name PATH or use an fd open on it; in front of the
//                 lines and the -c summary (strace -c -P counts only those)
#include <string>
#include <vector>

#include "options.hpp"
#include "trace/sink.hpp"

namespace trace {

// How a call ended, as strace's status= names it (options::status bits). Calls the notify
// supervisor let through have no result: unavailable.
unsigned call_status(const Event& e);

// Passes on the calls whose status is in `mask`. A call split across other threads' lines
// (Unfinished, then Resumed) is decided at its exit and passed on whole, as strace does.
class StatusFilter final : public EventSink {
public:
    StatusFilter(EventSink& next, unsigned mask) : next_(next), mask_(mask) {}
    void event(const Event& e) override;
    void flush() override { next_.flush(); }
    [[nodiscard]] bool in_step() const override { return next_.in_step(); }

private:
    EventSink& next_;
    unsigned mask_;
};

// Passes on the calls with a file-name argument equal to one of `paths` or an fd argument
// (dirfd included) open on one of them. fd paths come from the engine (decode's FdPath, the
// /proc/TID/fd link read when the call was seen); without -y they are matched, then dropped from
// what is printed. Each path is also matched as its realpath (fd links are canonical).
class PathFilter final : public EventSink {
public:
    PathFilter(EventSink& next, const std::vector<std::string>& paths, bool show_fd_paths);
    void event(const Event& e) override;
    void flush() override { next_.flush(); }
    [[nodiscard]] bool in_step() const override { return next_.in_step(); }
    [[nodiscard]] bool matches(const Event& e) const;

private:
    EventSink& next_;
    std::vector<std::string> paths_;
    bool show_fd_paths_;
};

} // namespace trace
