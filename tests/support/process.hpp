// SPDX-License-Identifier: Apache-2.0
#pragma once
// Run a program the way the integration tests need it: stdout and stderr captured in full (both
// pipes drained together with poll, so a chatty program never deadlocks), the exit status as a
// shell reports it, a hard timeout, and optionally a different identity or a signal sent once a
// marker line appears.
#include <csignal>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace testsupport {

inline constexpr uid_t nobody_uid = 65534;

struct RunOptions {
    // Replaces the environment when set; otherwise the test's own environment is inherited.
    std::optional<std::vector<std::string>> env;
    // Run as uid/gid 65534 with no supplementary groups: through `setpriv` when we are root; a
    // non-root caller runs the program as itself.
    bool as_nobody = false;
    // After this many seconds the whole process group is killed with SIGKILL (timed_out = true).
    int timeout_seconds = 60;
    // Working directory of the program; empty: the test's own.
    std::string cwd;
    // Once stdout contains `signal_after`, send `signal_to_send` to the process itself (not to
    // its process group). Empty: never.
    std::string signal_after;
    int signal_to_send = SIGTERM;
    // An fd of ours the program inherits under the same number (-1: none). Everything else
    // except 0, 1 and 2 is closed; stdin is /dev/null.
    int inherit_fd = -1;
    // Of 0, 1 and 2: those the program starts with closed (as from cron or a daemon). Output to
    // a closed stdout or stderr is not captured, of course.
    std::vector<int> closed_fds;
};

struct RunResult {
    int exit_code = -1; // the exit code, or 128+N after signal N (as a shell reports it)
    std::string out;
    std::string err;
    bool timed_out = false;
    bool signal_sent = false;     // signal_after was seen and the signal delivered
    bool pipes_held_open = false; // it exited, yet something still held stdout/stderr open
    pid_t pid = -1;
    std::string command; // the command line as run (with the setpriv prefix, if any)

    // Everything above in a few lines, for INFO()/CAPTURE() in a failing test.
    [[nodiscard]] std::string describe() const;
};

// Default options but for the timeout.
RunOptions timeout(int seconds);

// Runs argv[0] (looked up in PATH when it has no slash). Never throws for the program's own
// failures: an exec failure shows up as exit code 127 with the reason on err.
RunResult run(const std::vector<std::string>& argv, const RunOptions& opts = {});

// The test process's environment as KEY=VALUE strings.
std::vector<std::string> current_environment();
// argv as run() starts it: behind setpriv to uid 65534 when opts.as_nobody and we are root.
std::vector<std::string> command_for(const std::vector<std::string>& argv, const RunOptions& opts);

// Whether `uid` (with gid = uid) can create a user namespace and, inside it, a mount namespace in
// which it can mount. Checked in a forked child with unshare(2), independently of sandbox. Only
// root can check another identity; for any other uid than ours a non-root caller gets false.
bool userns_available_for(uid_t uid);

// A path the build compiled in (SANDBOX_BIN, PROBE_BIN, SANDBOX_SOURCE_DIR), unless the
// environment variable of the same name overrides it: `./dev.sh test` runs the suite as uid 65534
// from a copy of the binaries in a world-readable directory.
std::string configured_path(const char* variable, const char* built_in);

// A helper program that runs inside the sandbox (the probe, ...): configured_path(), but when
// the build tree lies under /tmp (a private tmpfs inside the sandbox) a copy under /var/tmp that
// the sandbox can see, removed when the test process exits.
std::string helper_binary(const char* variable, const char* built_in);

// The processes whose command line is exactly `argv` (read from /proc/*/cmdline).
std::vector<pid_t> pids_with_cmdline(const std::vector<std::string>& argv);

// Waits up to `seconds` for no process with this command line to remain.
bool gone_within(const std::vector<std::string>& cmdline, int seconds);

// Kills what a failed test left behind (SIGKILL by pid, exact command line), so one failure does
// not leave sleepers around.
void kill_leftovers(const std::vector<std::string>& cmdline);

// A number (900000..989999) unlikely to be in anyone else's `sleep` command line on this machine.
std::string unique_sleep_seconds();

} // namespace testsupport
