// SPDX-License-Identifier: Apache-2.0
// util/safe_file: reading a file sandbox was given without blocking or reading too much, writing
// one without following a planted symlink or (as root) clobbering another user's file.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/skip.hpp"
#include "util/error.hpp"
#include "util/safe_file.hpp"

namespace {

// A fresh directory (removed at the end) with helpers to put things in it.
struct Scratch {
    std::string dir;
    Scratch() {
        char tmpl[] = "/tmp/sandbox-safe-file-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir = tmpl;
    }
    ~Scratch() { (void)std::system(("rm -rf '" + dir + "'").c_str()); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    [[nodiscard]] std::string operator/(const std::string& name) const { return dir + "/" + name; }
};

void put(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
}

std::string get(const std::string& path) {
    return util::read_regular_file(path, 1u << 20, util::exit_code::usage, "a test file", "");
}

// The message of the util::Error `f` throws (and its exit code), or "(no error)".
template <typename F>
std::pair<int, std::string> error_of(F&& f) {
    try {
        f();
    } catch (const util::Error& e) {
        return {e.exit_code(), e.what()};
    }
    return {0, "(no error)"};
}

std::size_t entries(const std::string& dir) {
    std::size_t n = 0;
    DIR* d = ::opendir(dir.c_str());
    REQUIRE(d != nullptr);
    while (const dirent* e = ::readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
    ::closedir(d);
    return n;
}

mode_t current_umask() {
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
}

} // namespace

TEST_CASE("read_regular_file reads a regular file and refuses the rest without blocking",
          "[util][safe_file]") {
    Scratch s;
    put(s / "a", "hello");
    CHECK(get(s / "a") == "hello");
    put(s / "empty", "");
    CHECK(get(s / "empty").empty());
    REQUIRE(::mkfifo((s / "fifo").c_str(), 0600) == 0);
    auto [code, what] = error_of([&] { get(s / "fifo"); });
    CHECK(code == util::exit_code::usage);
    CHECK_THAT(what, Catch::Contains("is a FIFO") && Catch::Contains("must be a regular file"));
    CHECK_THAT(error_of([&] { get(s.dir); }).second, Catch::Contains("is a directory"));
    CHECK_THAT(error_of([&] { get("/dev/zero"); }).second, Catch::Contains("character device"));
    put(s / "big", std::string((1u << 20) + 1, 'x'));
    CHECK_THAT(error_of([&] { get(s / "big"); }).second,
               Catch::Contains("1048577 bytes is too large for a test file"));
    CHECK_THAT(error_of([&] { get(s / "missing"); }).second, Catch::Contains("ENOENT"));
}

TEST_CASE("write_file_atomically writes the whole file through a temporary one",
          "[util][safe_file]") {
    Scratch s;
    util::write_file_atomically(s / "out.json", "first\n");
    CHECK(get(s / "out.json") == "first\n");
    struct stat st {};
    REQUIRE(::stat((s / "out.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == (0644 & ~current_umask()));
    util::write_file_atomically(s / "out.json", "second\n");
    CHECK(get(s / "out.json") == "second\n");
    util::write_file_atomically(s / "state.json", "{}", 0600);
    REQUIRE(::stat((s / "state.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0077) == 0);
    CHECK(entries(s.dir) == 2); // no temporary file left behind
    // /dev/null takes anything.
    CHECK_NOTHROW(util::write_file_atomically("/dev/null", "gone"));
}

TEST_CASE("write_file_atomically refuses a planted symlink and leaves its target alone",
          "[util][safe_file]") {
    Scratch s;
    put(s / "victim", "precious");
    REQUIRE(::symlink((s / "victim").c_str(), (s / "out.json").c_str()) == 0);
    auto [code, what] = error_of([&] { util::write_file_atomically(s / "out.json", "evil"); });
    CHECK(code == util::exit_code::usage);
    CHECK_THAT(what, Catch::Contains("out.json: is a symlink"));
    CHECK(get(s / "victim") == "precious");
    struct stat st {};
    REQUIRE(::lstat((s / "out.json").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    // A dangling one: nothing is created where it points.
    REQUIRE(::symlink((s / "nowhere").c_str(), (s / "dangling").c_str()) == 0);
    CHECK_THAT(error_of([&] { util::write_file_atomically(s / "dangling", "x"); }).second,
               Catch::Contains("is a symlink"));
    CHECK(::access((s / "nowhere").c_str(), F_OK) != 0);
    // Not a regular file.
    REQUIRE(::mkdir((s / "dir").c_str(), 0700) == 0);
    CHECK_THAT(error_of([&] { util::write_file_atomically(s / "dir", "x"); }).second,
               Catch::Contains("is a directory, not a regular file"));
    REQUIRE(::mkfifo((s / "fifo").c_str(), 0600) == 0);
    CHECK_THAT(error_of([&] { util::write_file_atomically(s / "fifo", "x"); }).second,
               Catch::Contains("is a FIFO"));
    CHECK(entries(s.dir) == 5); // victim, out.json, dangling, dir, fifo: no temporary file
    // check_output_target says the same before any work is done.
    CHECK_THAT(error_of([&] { util::check_output_target(s / "out.json"); }).second,
               Catch::Contains("is a symlink"));
    CHECK_NOTHROW(util::check_output_target(s / "new.json"));
    CHECK_NOTHROW(util::check_output_target(s / "victim"));
}

TEST_CASE("open_output_stream opens a regular file without following a symlink",
          "[util][safe_file]") {
    Scratch s;
    put(s / "trace.txt", "old content");
    {
        util::unique_fd fd = util::open_output_stream(s / "trace.txt");
        REQUIRE(fd.valid());
        CHECK((::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
        CHECK((::fcntl(fd.get(), F_GETFL) & O_NONBLOCK) == 0);
        REQUIRE(::write(fd.get(), "new", 3) == 3);
    }
    CHECK(get(s / "trace.txt") == "new"); // truncated once checked
    {
        util::unique_fd fd = util::open_output_stream(s / "fresh.txt");
        CHECK(fd.valid());
    }
    put(s / "victim", "precious");
    REQUIRE(::symlink((s / "victim").c_str(), (s / "link.txt").c_str()) == 0);
    auto [code, what] = error_of([&] { util::open_output_stream(s / "link.txt"); });
    CHECK(code == util::exit_code::usage);
    CHECK_THAT(what, Catch::Contains("link.txt: is a symlink"));
    CHECK(get(s / "victim") == "precious");
    // A FIFO without a reader: refused, never waited on.
    REQUIRE(::mkfifo((s / "fifo").c_str(), 0600) == 0);
    CHECK_THAT(error_of([&] { util::open_output_stream(s / "fifo"); }).second,
               Catch::Contains("is a FIFO"));
    // The caller's own fds and /dev/null.
    util::unique_fd null = util::open_output_stream("/dev/null");
    CHECK(null.valid());
    util::unique_fd err = util::open_output_stream("/dev/stderr");
    REQUIRE(err.valid());
    CHECK(err.get() > 2);
    struct stat a {};
    struct stat b {};
    REQUIRE(::fstat(err.get(), &a) == 0);
    REQUIRE(::fstat(2, &b) == 0);
    CHECK((a.st_dev == b.st_dev && a.st_ino == b.st_ino));
    CHECK_THAT(error_of([&] { util::open_output_stream("/dev/fd/987"); }).second,
               Catch::Contains("dup(/dev/fd/987)"));
}

TEST_CASE("as root, another user's file and a hard-linked one are refused",
          "[util][safe_file][root]") {
    if (::geteuid() != 0) skip_test("needs root (chown to another user)");
    Scratch s;
    put(s / "theirs", "their data");
    REQUIRE(::chown((s / "theirs").c_str(), 65534, 65534) == 0);
    auto [code, what] = error_of([&] { util::write_file_atomically(s / "theirs", "mine"); });
    CHECK(code == util::exit_code::usage);
    CHECK_THAT(what, Catch::Contains("belongs to uid 65534"));
    CHECK_THAT(error_of([&] { util::open_output_stream(s / "theirs"); }).second,
               Catch::Contains("belongs to uid 65534"));
    CHECK(get(s / "theirs") == "their data");
    // A hard link to a root-owned file elsewhere (what protected_hardlinks normally prevents).
    put(s / "elsewhere", "keep");
    REQUIRE(::link((s / "elsewhere").c_str(), (s / "trace.txt").c_str()) == 0);
    CHECK_THAT(error_of([&] { util::open_output_stream(s / "trace.txt"); }).second,
               Catch::Contains("has 2 hard links"));
    CHECK(get(s / "elsewhere") == "keep");
    // Replacing the name does not touch the other link: allowed.
    util::write_file_atomically(s / "trace.txt", "new");
    CHECK(get(s / "elsewhere") == "keep");
}

TEST_CASE("ensure_private_directory makes a 0700 directory and refuses a doubtful one",
          "[util][safe_file]") {
    Scratch s;
    util::ensure_private_directory(s / "state");
    struct stat st {};
    REQUIRE(::lstat((s / "state").c_str(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK((st.st_mode & 0777) == 0700);
    CHECK_NOTHROW(util::ensure_private_directory(s / "state")); // ours already
    REQUIRE(::mkdir((s / "target").c_str(), 0700) == 0);
    REQUIRE(::symlink((s / "target").c_str(), (s / "link").c_str()) == 0);
    auto [code, what] = error_of([&] { util::ensure_private_directory(s / "link"); });
    CHECK(code == util::exit_code::setup);
    CHECK_THAT(what, Catch::Contains("is a symlink"));
    REQUIRE(::mkdir((s / "open").c_str(), 0700) == 0);
    REQUIRE(::chmod((s / "open").c_str(), 0777) == 0);
    CHECK_THAT(error_of([&] { util::ensure_private_directory(s / "open"); }).second,
               Catch::Contains("writable by others (mode 0777)"));
    put(s / "file", "");
    CHECK_THAT(error_of([&] { util::ensure_private_directory(s / "file"); }).second,
               Catch::Contains("not a directory"));
    if (::geteuid() == 0) {
        REQUIRE(::mkdir((s / "theirs").c_str(), 0700) == 0);
        REQUIRE(::chown((s / "theirs").c_str(), 65534, 65534) == 0);
        CHECK_THAT(error_of([&] { util::ensure_private_directory(s / "theirs"); }).second,
                   Catch::Contains("belongs to uid 65534"));
    }
}

TEST_CASE("open_missing_standard_fds puts /dev/null on closed 0, 1 and 2", "[util][safe_file]") {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(0);
        ::close(2);
        if (!util::open_missing_standard_fds()) ::_exit(10);
        for (int fd : {0, 2}) {
            struct stat st {};
            if (::fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                ::_exit(11 + fd);
            if ((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0) ::_exit(20); // the command inherits it
        }
        // An open fd is left alone.
        struct stat before {};
        struct stat after {};
        ::fstat(1, &before);
        util::open_missing_standard_fds();
        ::fstat(1, &after);
        ::_exit(before.st_ino == after.st_ino ? 0 : 30);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
