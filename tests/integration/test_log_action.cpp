// SCMP_ACT_LOG is the kernel's: a call the profile LOGs runs in the kernel, which writes its audit
// record (type=1326, code=0x7ffc0000) as on a node, and the workflow the kubernetes.io tutorial
// teaches (`sandbox run --profile audit -- CMD; dmesg | sandbox policy audit-log`) finds it.
// Naming the call in -e trace= trades the record for a trace line. Skipped unless the kernel log
// is readable here (root, /dev/kmsg) and the kernel logs LOG actions (actions_logged).
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace {

using testsupport::RunResult;
using testsupport::TempDir;
using testsupport::value_of;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);

// The kernel log from now on: /dev/kmsg, positioned at its end.
class KernelLog {
public:
    KernelLog() {
        if (::geteuid() != 0) skip_test("reading the kernel log needs root here");
        fd_ = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd_ < 0) skip_test(std::string("/dev/kmsg: ") + std::strerror(errno));
        const std::string logged =
            testsupport::read_file("/proc/sys/kernel/seccomp/actions_logged");
        if (logged.find("log") == std::string::npos)
            skip_test("the kernel does not log SCMP_ACT_LOG here (actions_logged: " + logged + ")");
        ::lseek(fd_, 0, SEEK_END);
    }
    KernelLog(const KernelLog&) = delete;
    KernelLog& operator=(const KernelLog&) = delete;
    ~KernelLog() { ::close(fd_); }

    // The records written since, one per line. kauditd writes them a little after the call:
    // read until `done` says they are all there, for at most `seconds`.
    template <typename Done>
    std::vector<std::string> records(Done done, double seconds = 5) {
        std::vector<std::string> out;
        const auto until = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(static_cast<int>(seconds * 1000));
        char buf[8192];
        for (;;) {
            const ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n < 0 && errno == EPIPE) continue; // overwritten records: go on
            if (n > 0) {
                out.emplace_back(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (done(out) || std::chrono::steady_clock::now() > until) return out;
            ::usleep(20 * 1000);
        }
    }

private:
    int fd_ = -1;
};

// The seccomp LOG records among `records` of `nr` made by the probe.
int log_records(const std::vector<std::string>& records, long nr) {
    int n = 0;
    const std::string syscall = " syscall=" + std::to_string(nr) + " ";
    for (const auto& r : records)
        if (r.find("type=1326") != std::string::npos &&
            r.find("exe=\"" + probe_bin + "\"") != std::string::npos &&
            r.find(syscall) != std::string::npos && r.find("code=0x7ffc0000") != std::string::npos)
            ++n;
    return n;
}

RunResult run_probe(std::vector<std::string> run_opts, std::vector<std::string> actions) {
    return testsupport::sandbox(sandbox_bin, Who::current,
                                testsupport::probe_run_args(probe_bin, run_opts, actions),
                                testsupport::timeout(60));
}

bool suppressed(const std::vector<std::string>& records) {
    for (const auto& r : records)
        if (r.find("callbacks suppressed") != std::string::npos) return true;
    return false;
}

// Runs the probe and reads the records its run left. The kernel rate-limits kauditd's printing
// (10 in 5 s): when it says it suppressed some, the run is made again once the limit has passed.
std::vector<std::string> run_and_read(KernelLog& log, const std::vector<std::string>& opts,
                                      const std::vector<std::string>& calls, RunResult& r,
                                      bool expect_getpid) {
    std::vector<std::string> records;
    for (int attempt = 0; attempt < 4; ++attempt) {
        r = run_probe(opts, calls);
        records = log.records(
            [&](const std::vector<std::string>& got) {
                return !expect_getpid || log_records(got, SYS_getpid) > 0;
            },
            expect_getpid ? 3 : 1);
        if (!suppressed(records) && (!expect_getpid || log_records(records, SYS_getpid) > 0)) break;
        ::sleep(6);
        (void)log.records([](const auto&) { return false; }, 0.1);
    }
    return records;
}

} // namespace

TEST_CASE("SCMP_ACT_LOG leaves the kernel's audit record; -e trace= naming the call trades it",
          "[integration][audit]") {
    KernelLog log;
    TempDir dir("/var/tmp", 0755);
    const std::string profile =
        dir.write("log.json", R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
            {"names": ["getppid", "getpid"], "action": "SCMP_ACT_LOG"}]})");
    const std::vector<std::string> calls{"syscall", std::to_string(SYS_getppid), "syscall",
                                         std::to_string(SYS_getpid)};
    RunResult r;
    // Traced (the default mode), -e trace=none, --results: the kernel logs both calls.
    for (const std::vector<std::string>& mode :
         std::vector<std::vector<std::string>>{{}, {"-e", "trace=none"}, {"--results"}}) {
        std::vector<std::string> opts = mode;
        opts.insert(opts.end(), {"--policy", profile});
        const auto records = run_and_read(log, opts, calls, r, true);
        INFO(r.describe());
        INFO("records: " << records.size());
        REQUIRE(r.exit_code == 0);
        CHECK(r.err.find("the profile LOGs getpid, getppid") != std::string::npos);
        CHECK(log_records(records, SYS_getppid) == 1);
        CHECK(log_records(records, SYS_getpid) == 1);
    }
    // Named in -e trace=: a trace line, a warning, and no record for that call.
    auto records = run_and_read(log, {"-e", "trace=getppid", "--policy", profile}, calls, r, true);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("getppid()") != std::string::npos);
    CHECK(r.err.find("-e trace= names getppid, which the profile LOGs") != std::string::npos);
    CHECK(log_records(records, SYS_getppid) == 0);
    CHECK(log_records(records, SYS_getpid) == 1);
    // Control: without a LOG profile, no record.
    records = run_and_read(log, {}, calls, r, false);
    REQUIRE(r.exit_code == 0);
    CHECK(log_records(records, SYS_getpid) == 0);
}
