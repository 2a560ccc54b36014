// SPDX-License-Identifier: Apache-2.0
#include "output/sinks.hpp"

#include "output/json_writer.hpp"

namespace output {

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

} // namespace output
