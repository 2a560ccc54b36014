// SPDX-License-Identifier: Apache-2.0
// trace/trace_stream: whole records; in step, one write(2) each, at once; buffered, held until
// idle or full, and a buffer boundary never inside a record.
#include <catch2/catch.hpp>

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/trace_stream.hpp"

namespace {

using trace::Pacing;
using trace::TraceStream;

// A pipe big enough for every test here, read without blocking.
struct Pipe {
    util::unique_fd r, w;
    Pipe() {
        int fds[2];
        REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
        r.reset(fds[0]);
        w.reset(fds[1]);
        REQUIRE(::fcntl(w.get(), F_SETPIPE_SZ, 1 << 20) >= (1 << 20));
        // the writer blocks as a terminal or a file would
        REQUIRE(::fcntl(w.get(), F_SETFL, 0) == 0);
    }
    // What one read(2) returns: with a pipe, exactly what one write(2) put there when it is read
    // after each write.
    std::string read_once() {
        std::string buf(4 << 20, '\0');
        const ssize_t n = ::read(r.get(), buf.data(), buf.size());
        if (n <= 0) return {};
        buf.resize(static_cast<std::size_t>(n));
        return buf;
    }
};

std::string line(char c, std::size_t length) {
    return std::string(length - 1, c) + "\n";
}

} // namespace

TEST_CASE("trace stream: in step, each record is written at once, with one write",
          "[unit][trace_stream]") {
    Pipe p;
    TraceStream s(util::unique_fd(::dup(p.w.get())), Pacing::InStep);
    CHECK(s.in_step());
    s.put("write(1, \"X1\\n\", 3)\n");
    CHECK(p.read_once() == "write(1, \"X1\\n\", 3)\n");
    s.put("getpid()\n");
    CHECK(p.read_once() == "getpid()\n");
    // a record larger than the buffer size is still one write
    const std::string big = line('a', TraceStream::kBufferSize * 2);
    s.put(big);
    const bool whole = p.read_once() == big;
    CHECK(whole);
    // a summary table: several lines, one record, one write
    s.put("calls  syscall\n    1  write\n");
    CHECK(p.read_once() == "calls  syscall\n    1  write\n");
    s.flush(); // nothing held
    CHECK(p.read_once().empty());
}

TEST_CASE("trace stream: buffered, records wait for flush, in one write", "[unit][trace_stream]") {
    Pipe p;
    TraceStream s(util::unique_fd(::dup(p.w.get())), Pacing::Buffered);
    CHECK_FALSE(s.in_step());
    s.put("one()\n");
    s.put("two()\n");
    CHECK(p.read_once().empty());
    s.flush();
    CHECK(p.read_once() == "one()\ntwo()\n");
    s.flush();
    CHECK(p.read_once().empty());
}

TEST_CASE("trace stream: buffered, a full buffer is written at a record boundary",
          "[unit][trace_stream]") {
    Pipe p;
    TraceStream s(util::unique_fd(::dup(p.w.get())), Pacing::Buffered);
    // 100-byte lines: 655 fit in 64 KiB, the 656th does not
    const std::size_t fit = TraceStream::kBufferSize / 100;
    std::string expected;
    for (std::size_t i = 0; i < fit; ++i) {
        const std::string l = line(static_cast<char>('a' + i % 26), 100);
        s.put(l);
        expected += l;
    }
    CHECK(p.read_once().empty()); // all of it still fits
    s.put(line('z', 100));
    const std::string first = p.read_once();
    CHECK(first.size() == fit * 100); // written before the record that did not fit
    const bool same = first == expected;
    CHECK(same);
    s.flush();
    CHECK(p.read_once() == line('z', 100));

    // a record larger than the buffer: what was held first, then the record
    s.put("held()\n");
    const std::string big = line('b', TraceStream::kBufferSize + 10);
    s.put(big);
    const bool in_order = p.read_once() == "held()\n" + big; // (a pipe joins the two writes)
    CHECK(in_order);
}

TEST_CASE("trace stream: the destructor writes out what is held", "[unit][trace_stream]") {
    Pipe p;
    {
        TraceStream s(util::unique_fd(::dup(p.w.get())), Pacing::Buffered);
        s.put("+++ exited with 0 +++\n");
    }
    CHECK(p.read_once() == "+++ exited with 0 +++\n");
}

TEST_CASE("trace stream: a destination set O_NONBLOCK by the command loses nothing",
          "[unit][trace_stream]") {
    // The command shares the terminal's open file description and may make it non-blocking;
    // a full destination then waits instead of dropping the rest of the record.
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
    const int capacity = ::fcntl(fds[1], F_GETPIPE_SZ);
    REQUIRE(capacity > 0);
    const std::string big = line('c', static_cast<std::size_t>(capacity) * 3);
    const pid_t reader = ::fork();
    REQUIRE(reader >= 0);
    if (reader == 0) { // drains slowly, so that the writer meets EAGAIN
        ::close(fds[1]);
        std::string all;
        char buf[4096];
        for (;;) {
            ::usleep(1000);
            const ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n > 0) all.append(buf, static_cast<std::size_t>(n));
            if (n == 0) break;
            if (n < 0 && errno == EAGAIN) {
                pollfd pf{fds[0], POLLIN, 0};
                ::poll(&pf, 1, 1000);
            }
        }
        ::_exit(all == big ? 0 : 1);
    }
    ::close(fds[0]);
    {
        TraceStream s(util::unique_fd(fds[1]), Pacing::InStep);
        s.put(big);
    }
    int status = 0;
    REQUIRE(::waitpid(reader, &status, 0) == reader);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
