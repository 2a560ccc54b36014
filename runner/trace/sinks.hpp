// SPDX-License-Identifier: Apache-2.0
#pragma once
// The event sinks `sandbox run` assembles from its options: strace lines or JSON lines to the
// trace stream, and the -c summary. Each event is one record of the stream: buffered and written
// when the supervisor goes idle for files and pipes, written at once, whole, on a terminal
// (trace/trace_stream.hpp).
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "trace/sink.hpp"
#include "trace/strace_printer.hpp"
#include "trace/summary.hpp"
#include "trace/trace_stream.hpp"

namespace trace {

class TraceLines final : public EventSink {
public:
    TraceLines(TraceStream& out, PrintOptions options) : out_(out), options_(options) {}
    void event(const Event& e) override;
    void flush() override { out_.flush(); }
    [[nodiscard]] bool in_step() const override { return out_.in_step(); }
    [[nodiscard]] bool show_pid() const { return tids_.size() > 1; }

private:
    TraceStream& out_;
    PrintOptions options_;
    std::set<pid_t> tids_;
};

class JsonLines final : public EventSink {
public:
    explicit JsonLines(TraceStream& out) : out_(out) {}
    void event(const Event& e) override;
    void flush() override { out_.flush(); }
    [[nodiscard]] bool in_step() const override { return out_.in_step(); }

private:
    TraceStream& out_;
};

// strace -ff -o FILE: each thread's lines in FILE.TID, without the [pid N] prefix, strace lines
// or JSON lines. A file is opened at its thread's first event.
class PerThreadFiles final : public EventSink {
public:
    using Open = std::function<util::unique_fd(const std::string& path)>;
    PerThreadFiles(std::string base, bool json, PrintOptions options, Open open)
        : base_(std::move(base)), json_(json), options_(options), open_(std::move(open)) {}
    void event(const Event& e) override;
    void flush() override;
    // A record for TID's file (the command's exit line), opening it if need be.
    void put(pid_t tid, const std::string& record) { file(tid).stream->put(record); }

private:
    struct File {
        std::unique_ptr<TraceStream> stream;
        std::unique_ptr<EventSink> lines;
    };
    File& file(pid_t tid);

    std::string base_;
    bool json_;
    PrintOptions options_;
    Open open_;
    std::map<pid_t, File> files_;
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
    [[nodiscard]] bool in_step() const override {
        return std::any_of(sinks_.begin(), sinks_.end(), [](auto* s) { return s->in_step(); });
    }

private:
    std::vector<EventSink*> sinks_;
};

} // namespace trace
