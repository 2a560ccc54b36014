#pragma once
// Where events go: the strace-style printer, the JSON-lines writer, the -c summary, ...
#include "output/event.hpp"

namespace output {

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void event(const Event& e) = 0;
    // Called when the supervisor is about to wait: write out what is buffered.
    virtual void flush() {}
};

} // namespace output
