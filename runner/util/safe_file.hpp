// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files sandbox reads from a path it was given, and files it writes, done so that bad input and a
// hostile directory cannot hurt: nothing blocks on a FIFO or reads /dev/zero forever, nothing
// follows a symlink it did not expect, and root never clobbers another user's file. Every call
// site that reads a profile or writes an output file goes through here.
#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "util/unique_fd.hpp"

namespace util {

// Opens /dev/null on each of the fds 0, 1 and 2 that is closed, so that nothing sandbox opens
// later gets one of those numbers (and diagnostics or the command's output land in it). Called
// first in main. Returns false when /dev/null cannot be opened.
bool open_missing_standard_fds() noexcept;

// The whole content of the regular file at `path`. It is opened with O_NONBLOCK (a FIFO never
// blocks) and checked with fstat on the opened fd: a directory, FIFO, socket or device is refused
// without reading, and so is a file over `max_bytes` (before reading it into memory). Throws
// util::Error(exit_code) naming the path and the problem; `what` names the file's role in the
// message ("a seccomp profile"), `hint` is the hint for a file that cannot be opened.
std::string read_regular_file(const std::string& path, std::size_t max_bytes, int exit_code,
                              const std::string& what, const std::string& hint);

// A small file of the kernel's or the system's (/proc, /sys, /etc/subuid), read whole: their size
// is not known before reading. `err` is 0, or the errno of the failed open or read.
struct FileText {
    int err = 0;
    std::string text;
};
FileText read_text(const std::string& path);

// Writes `text` to `path` as a whole: into a temporary file created next to it (O_CREAT|O_EXCL|
// O_CLOEXEC, `mode` less the umask), fsynced, then renamed over `path`, so a reader never sees
// half a file and an existing symlink at `path` is never followed. Refused, with nothing
// written, when `path` exists and is a symlink or not a regular file, or (when sandbox runs as
// root) belongs to another user. /dev/null, /dev/stdout, /dev/stderr and /dev/fd/N are written
// to directly (the caller's own fds). Throws util::Error: exit_code::usage when the path is
// refused or cannot be created, exit_code::setup when writing fails.
void write_file_atomically(const std::string& path, std::string_view text, mode_t mode = 0644);

// Refuses `path` up front, as write_file_atomically would, before work whose result goes there
// (policy record runs the command first): nothing happens when it does not exist yet, is
// /dev/null or one of the caller's fds, or is a regular file sandbox may replace.
void check_output_target(const std::string& path);

// Opens `path` for output written while sandbox runs (the trace of `run -o FILE`): O_WRONLY|
// O_CREAT|O_NOFOLLOW|O_CLOEXEC (and O_NONBLOCK while opening), truncated only after fstat on the
// opened fd shows a regular file that (for root) is root's own and has no other hard link. The
// same refusals and exceptions as write_file_atomically; /dev/null, /dev/stdout, /dev/stderr and
// /dev/fd/N give a duplicate of that fd (close-on-exec).
unique_fd open_output_stream(const std::string& path, mode_t mode = 0644);

// Makes sure `path` is a private directory of the effective user: creates it with mode 0700 (its
// parent must exist), or accepts an existing one only if it is a real directory (not a symlink),
// owned by the effective uid, and not writable by group or others. Throws util::Error(
// exit_code::setup) naming the path, the problem and the remedy.
void ensure_private_directory(const std::string& path);

} // namespace util
