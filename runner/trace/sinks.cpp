// SPDX-License-Identifier: Apache-2.0
#include "trace/sinks.hpp"

#include "trace/json_writer.hpp"

namespace trace {

void TraceLines::event(const Event& e) {
    tids_.insert(e.tid);
    const std::string line = format_line(e, show_pid(), options_);
    out_.put(line);
}

void JsonLines::event(const Event& e) {
    if (e.phase == Phase::Unfinished) return; // one object per call: written when it is complete
    const std::string line = event_json(e);
    out_.put(line);
}

PerThreadFiles::File& PerThreadFiles::file(pid_t tid) {
    auto it = files_.find(tid);
    if (it != files_.end()) return it->second;
    File f;
    f.stream =
        std::make_unique<TraceStream>(open_(base_ + "." + std::to_string(tid)), Pacing::Buffered);
    if (json_)
        f.lines = std::make_unique<JsonLines>(*f.stream);
    else
        f.lines = std::make_unique<TraceLines>(*f.stream, options_);
    return files_.emplace(tid, std::move(f)).first->second;
}

void PerThreadFiles::event(const Event& e) {
    file(e.tid).lines->event(e);
}

void PerThreadFiles::flush() {
    for (auto& [tid, f] : files_) f.stream->flush();
}

} // namespace trace
