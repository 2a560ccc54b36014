// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where the trace goes (-o FILE or a copy of stderr) and how it gets there, in whole records: a
// trace line, a JSON line, the exit line, a summary table. Never part of one.
//
// On a terminal the trace is in step with the program (Pacing::InStep): every record is written
// when it is put, with one write(2), and the supervisor puts a call's line before it lets the call
// run. A write(2) to a terminal holds the tty's write lock to its end, so the program's own output
// on the same terminal can neither split a line nor come before the line of the call that wrote it.
//
// Anywhere else, files and pipes (Pacing::Buffered), records collect in a 64 KiB buffer written
// out when the supervisor goes idle or when the next record would not fit: printing stays off the
// notification's critical path, and a buffer boundary never falls inside a record.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace trace {

enum class Pacing {
    Buffered, // files, pipes: a big buffer, written when idle or full
    InStep,   // a terminal: each record written as it is put
};

// The pacing for a destination: in step on a terminal, buffered anywhere else.
constexpr Pacing pacing_for(bool terminal) {
    return terminal ? Pacing::InStep : Pacing::Buffered;
}

class TraceStream {
public:
    static constexpr std::size_t kBufferSize = std::size_t{64} * 1024;

    TraceStream(util::unique_fd fd, Pacing pacing);
    ~TraceStream(); // writes out what is buffered
    TraceStream(const TraceStream&) = delete;
    TraceStream& operator=(const TraceStream&) = delete;

    // One whole record: complete lines. In step: written now, with one write(2). Buffered:
    // appended, after writing out the buffer if the record does not fit (a record larger than
    // the buffer is written by itself).
    void put(std::string_view record);
    // Writes out what is buffered (in step nothing ever is).
    void flush();

    [[nodiscard]] bool in_step() const { return pacing_ == Pacing::InStep; }
    [[nodiscard]] int fd() const { return fd_.get(); }

private:
    void write_out(std::string_view bytes);

    util::unique_fd fd_;
    Pacing pacing_;
    std::string buffer_;
};

} // namespace trace
