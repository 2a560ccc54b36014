// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include "app.hpp"
#include "util/exit_codes.hpp"
#include "util/safe_file.hpp"

int main(int argc, char** argv) {
    // Before anything opens a file: started with stdin, stdout or stderr closed (from cron or a
    // daemon), the next file opened would get that number, and output would land in it.
    if (!util::open_missing_standard_fds()) return util::exit_code::setup;
    return app::run(std::vector<std::string>(argv + 1, argv + argc));
}
