// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where events go: the strace-style printer, the JSON-lines writer, the -c summary, ...
#include "trace/event.hpp"

namespace trace {

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void event(const Event& e) = 0;
    // Called when the supervisor is about to wait: write out what is buffered.
    virtual void flush() {}
    // Whether events are written as they come (the trace is on a terminal): the supervisor then
    // hands over each event before it lets the call run, so a call's line is out before anything
    // the call writes to the same terminal.
    [[nodiscard]] virtual bool in_step() const { return false; }
};

} // namespace trace
