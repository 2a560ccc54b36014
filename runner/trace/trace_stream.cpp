// SPDX-License-Identifier: Apache-2.0
#include "trace/trace_stream.hpp"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace trace {

TraceStream::TraceStream(util::unique_fd fd, Pacing pacing) : fd_(std::move(fd)), pacing_(pacing) {
    if (pacing_ == Pacing::Buffered) buffer_.reserve(kBufferSize);
}

TraceStream::~TraceStream() {
    flush();
}

void TraceStream::put(std::string_view record) {
    if (record.empty()) return;
    if (pacing_ == Pacing::InStep) return write_out(record);
    if (buffer_.size() + record.size() > kBufferSize) flush();
    if (record.size() >= kBufferSize) return write_out(record); // larger than the buffer
    buffer_.append(record);
}

void TraceStream::flush() {
    if (buffer_.empty()) return;
    write_out(buffer_);
    buffer_.clear();
}

// All of `bytes`, in one write(2) unless the kernel takes less (a signal, a full disk). The
// destination may be shared with the command, which can set O_NONBLOCK on that open file
// description: EAGAIN waits until it takes more. Another error drops the rest, as stdio would:
// the trace is lost, the run goes on.
void TraceStream::write_out(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd_.get(), POLLOUT, 0};
            if (::poll(&p, 1, -1) < 0 && errno != EINTR) return;
        } else {
            return;
        }
    }
}

} // namespace trace
