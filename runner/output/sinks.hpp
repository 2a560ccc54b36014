#pragma once
// The event sinks `sandbox run` assembles from its options: strace lines or JSON lines to a
// stream, and the -c summary. Output is buffered and written when the supervisor goes idle, so
// printing stays off the notification's critical path.
#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "output/sink.hpp"
#include "output/strace_printer.hpp"
#include "output/summary.hpp"

namespace output {

class TraceLines final : public EventSink {
public:
    TraceLines(std::FILE* out, PrintOptions options) : out_(out), options_(options) {}
    void event(const Event& e) override;
    void flush() override { std::fflush(out_); }
    [[nodiscard]] bool show_pid() const { return tids_.size() > 1; }

private:
    std::FILE* out_;
    PrintOptions options_;
    std::set<pid_t> tids_;
};

class JsonLines final : public EventSink {
public:
    explicit JsonLines(std::FILE* out) : out_(out) {}
    void event(const Event& e) override;
    void flush() override { std::fflush(out_); }

private:
    std::FILE* out_;
};

class SummarySink final : public EventSink {
public:
    void event(const Event& e) override {
        if (e.phase != Phase::Unfinished) summary_.add(e); // counted once, when complete
    }
    [[nodiscard]] const Summary& summary() const { return summary_; }

private:
    Summary summary_;
};

class FanOut final : public EventSink {
public:
    void add(EventSink* sink) { sinks_.push_back(sink); }
    void event(const Event& e) override {
        for (auto* s : sinks_) s->event(e);
    }
    void flush() override {
        for (auto* s : sinks_) s->flush();
    }

private:
    std::vector<EventSink*> sinks_;
};

} // namespace output
