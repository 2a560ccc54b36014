// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files for the integration tests: a temporary directory removed at scope exit, whole-file reads
// and writes that throw when the file cannot be opened, and the lines of a text.
#include <string>
#include <sys/types.h>
#include <vector>

namespace testsupport {

// A fresh directory under `parent` (mkdtemp) with `mode` (uid 65534 may need to read or write
// it), removed with everything in it at scope exit.
class TempDir {
public:
    explicit TempDir(const std::string& parent = "/var/tmp", mode_t mode = 0755);
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::string& path() const { return path_; }
    // The path of `name` inside the directory.
    [[nodiscard]] std::string operator/(const std::string& name) const {
        return path_ + "/" + name;
    }
    // Writes `text` to `name` inside the directory (write_file) and returns its path.
    [[nodiscard]] std::string write(const std::string& name, const std::string& text) const;

private:
    std::string path_;
};

// The whole file, byte for byte; throws when it cannot be opened.
std::string read_file(const std::string& path);

// Replaces the file's content with `text` and gives it `mode`; throws when it cannot be opened.
void write_file(const std::string& path, const std::string& text, mode_t mode = 0644);

// Whether anything is at `path` (lstat: a dangling symlink counts).
bool exists(const std::string& path);

// The lines of `text`, without their '\n' (a final '\n' adds no empty line).
std::vector<std::string> split_lines(const std::string& text);

} // namespace testsupport
