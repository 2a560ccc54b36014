// SPDX-License-Identifier: Apache-2.0
// Containment: what a command inside could use to reach the host, tried from inside as an
// attacker would, as root and as uid 65534 (issue "a root caller's command stays inside"). Each
// attempt runs the escape helper (tests/helpers/escape.cpp) under sandbox's defaults and checks
// that it fails; where a control run outside shows the attempt would work, the test makes one, so
// it cannot pass by testing nothing. Every attempt is harmless if it succeeded: opens are closed
// unused, sysctls are written back unchanged, only the test's own pty gets a character.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/probe.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

namespace {

using testsupport::exists;
using testsupport::require_identity;
using testsupport::require_root;
using testsupport::RunOptions;
using testsupport::RunResult;
using testsupport::split_lines;
using testsupport::TempDir;
using testsupport::value_of;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string escape_bin = testsupport::helper_binary("ESCAPE_BIN", ESCAPE_BIN);

// `sandbox run [opts] -- escape actions...`, the trace off.
RunResult escape(Who who, std::vector<std::string> opts, const std::vector<std::string>& actions) {
    std::vector<std::string> args = {"run", "-e", "trace=none"};
    args.insert(args.end(), opts.begin(), opts.end());
    args.push_back("--");
    args.push_back(escape_bin);
    args.insert(args.end(), actions.begin(), actions.end());
    return testsupport::sandbox(sandbox_bin, who, args, testsupport::timeout(60));
}

// The same helper run directly on the host (the control).
RunResult escape_on_host(Who who, const std::vector<std::string>& actions) {
    std::vector<std::string> argv = {escape_bin};
    argv.insert(argv.end(), actions.begin(), actions.end());
    return testsupport::run(argv, testsupport::as(who));
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto end = std::min(s.find(sep, start), s.size());
        out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Host device nodes a command must never reach, among those this host has. Opening each is
// harmless (no watchdog, nothing read or written).
std::vector<std::string> host_devices() {
    std::vector<std::string> out;
    for (const char* d : {"/dev/loop-control", "/dev/kvm",           "/dev/console",
                          "/dev/tty0",         "/dev/tty1",          "/dev/kmsg",
                          "/dev/mem",          "/dev/port",          "/dev/fuse",
                          "/dev/net/tun",      "/dev/btrfs-control", "/dev/mapper/control",
                          "/dev/vda",          "/dev/sda",           "/dev/nvme0n1",
                          "/dev/loop0",        "/dev/hwrng",         "/dev/cpu_dma_latency",
                          "/dev/vhost-net",    "/dev/uinput"}) {
        struct stat st {};
        if (::stat(d, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
            out.emplace_back(d);
    }
    return out;
}

void minimal_dev(Who who) {
    require_identity(who);
    auto r = escape(who, {}, {"list", "/dev", "list", "/dev/pts", "list", "/dev/shm"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "list /dev") ==
          "fd,full,null,ptmx,pts,random,shm,stderr,stdin,stdout,tty,urandom,zero");
    // A new devpts instance: no pty of the host's. (Its ptmx node is not listed by every kernel.)
    const std::string pts = value_of(r.out, "list /dev/pts");
    CHECK((pts == "(empty)" || pts == "ptmx"));
    CHECK(value_of(r.out, "list /dev/shm") == "(empty)");
}

void no_host_device(Who who) {
    require_identity(who);
    const auto devices = host_devices();
    if (devices.empty()) skip_test("this host has none of the device nodes tried");
    std::vector<std::string> actions;
    for (const auto& d : devices) actions.insert(actions.end(), {"open-rw", d});
    auto r = escape(who, {}, actions);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    for (const auto& d : devices) {
        INFO(d);
        CHECK(value_of(r.out, "open-rw " + d) == "ENOENT");
    }
    // The few that are there work.
    auto ok = escape(who, {},
                     {"open-rw", "/dev/null", "open-rw", "/dev/zero", "open-rw", "/dev/urandom",
                      "open-rw", "/dev/full"});
    INFO(ok.describe());
    CHECK(value_of(ok.out, "open-rw /dev/null") == "ok");
    CHECK(value_of(ok.out, "open-rw /dev/zero") == "ok");
    CHECK(value_of(ok.out, "open-rw /dev/urandom") == "ok");
    CHECK(value_of(ok.out, "open-rw /dev/full") == "ok");
}

void dev_bind(Who who) {
    require_identity(who);
    auto r = escape(who, {"--dev-bind", "/dev/zero:/dev/zero2"},
                    {"open-rw", "/dev/zero2", "list", "/dev"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "open-rw /dev/zero2") == "ok");
    CHECK(value_of(r.out, "list /dev").find("zero2") != std::string::npos);
}

void no_sysctl(Who who) {
    require_identity(who);
    // Global (not namespaced) sysctls: writing the value back would change nothing if it worked.
    const std::vector<std::string> sysctls = {"/proc/sys/vm/overcommit_ratio",
                                              "/proc/sys/kernel/printk_ratelimit",
                                              "/proc/sys/kernel/domainname"};
    std::vector<std::string> actions;
    for (const auto& s : sysctls) actions.insert(actions.end(), {"write-back", s});
    actions.insert(actions.end(), {"open-wo", "/proc/sysrq-trigger", "mount-flags", "/proc/sys",
                                   "mount-flags", "/proc/irq"});
    auto r = escape(who, {}, actions);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    // EROFS where the command's uid could write the file (--userns=host); EACCES first where
    // it is not even that (the kernel checks permissions before the mount's read-only flag).
    const auto refused = [](const std::string& v) { return v == "EROFS" || v == "EACCES"; };
    for (const auto& s : sysctls) {
        INFO(s);
        CHECK(refused(value_of(r.out, "write-back " + s)));
    }
    if (exists("/proc/sysrq-trigger"))
        CHECK(refused(value_of(r.out, "open-wo /proc/sysrq-trigger")));
    CHECK(value_of(r.out, "mount-flags /proc/sys").rfind("ro", 0) == 0);
    CHECK(value_of(r.out, "mount-flags /proc/irq").rfind("ro", 0) == 0);
    if (::getuid() == 0 && who == Who::current) {
        // Even as the host's root (--userns=host), the read-only /proc/sys holds.
        auto as_host = escape(who, {"--userns=host"}, actions);
        INFO(as_host.describe());
        for (const auto& s : sysctls) {
            INFO(s);
            CHECK(value_of(as_host.out, "write-back " + s) == "EROFS");
        }
        // The control: root on the host may write it back (the value does not change).
        auto host = escape_on_host(who, {"write-back", "/proc/sys/kernel/domainname"});
        INFO(host.describe());
        CHECK(value_of(host.out, "write-back /proc/sys/kernel/domainname") == "ok");
    }
}

void masked_proc(Who who) {
    require_identity(who);
    // runc's masked files and directories, those this host has: each read empty inside.
    std::vector<std::string> actions, files, dirs;
    for (const char* f : {"/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/kcore"})
        if (exists(f)) {
            files.emplace_back(f);
            actions.insert(actions.end(), {"size", f});
        }
    for (const char* d : {"/proc/acpi", "/proc/scsi", "/sys/firmware", "/proc/asound"})
        if (exists(d)) {
            dirs.emplace_back(d);
            actions.insert(actions.end(), {"list", d});
        }
    if (actions.empty()) skip_test("this host has none of runc's masked paths");
    auto r = escape(who, {}, actions);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    for (const auto& f : files) {
        INFO(f);
        CHECK(value_of(r.out, "size " + f) == "0");
    }
    for (const auto& d : dirs) {
        INFO(d);
        CHECK(value_of(r.out, "list " + d) == "(empty)");
    }
    // The control: on the host they are not empty (timer_list always has lines).
    if (exists("/proc/timer_list") && ::getuid() == 0) {
        auto host = escape_on_host(Who::current, {"size", "/proc/timer_list"});
        CHECK(value_of(host.out, "size /proc/timer_list") != "0");
    }
}

void readonly_sys(Who who) {
    require_identity(who);
    std::vector<std::string> actions = {"mount-flags", "/sys",        "list", "/sys/kernel/debug",
                                        "list",        "/sys/fs/bpf", "list", "/sys/class/net"};
    const std::string thp = "/sys/kernel/mm/transparent_hugepage/enabled";
    if (exists(thp)) actions.insert(actions.end(), {"open-wo", thp});
    auto r = escape(who, {}, actions);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "mount-flags /sys").rfind("ro", 0) == 0);
    for (const char* d : {"/sys/kernel/debug", "/sys/fs/bpf"}) {
        const std::string v = value_of(r.out, std::string("list ") + d);
        INFO(d);
        CHECK((v == "(empty)" || v == "ENOENT" || v == "EACCES"));
    }
    CHECK(value_of(r.out, "list /sys/class/net") == "lo"); // its own network namespace's sysfs
    if (exists(thp)) CHECK(value_of(r.out, "open-wo " + thp) == "EROFS");
}

void own_cgroup_only(Who who) {
    require_identity(who);
    auto r = testsupport::sandbox(
        sandbox_bin, who,
        {"run", "-e", "trace=none", "--", "sh", "-c",
         "ls -A /sys/fs/cgroup | tr '\\n' ' '; echo; "
         "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max 2>/dev/null; "
         "touch /sys/fs/cgroup/x 2>&1 | grep -c 'Read-only'"},
        testsupport::timeout(60));
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const auto lines = split_lines(r.out);
    REQUIRE(lines.size() >= 2);
    // None of the host's other hierarchies or cgroups: at most the controllers of the sandbox's
    // own cgroup (cgroup v1), or its cgroup v2 files.
    for (const char* other : {"systemd", "devices", "freezer", "blkio", "user.slice", "init.scope"})
        CHECK(lines[0].find(other) == std::string::npos);
    if (lines[0].find_first_not_of(' ') != std::string::npos) {
        // The run has a cgroup (the default pids limit): its limit is what it reads there.
        CHECK(r.out.find("4096") != std::string::npos);
    }
    CHECK(lines.back() == "1"); // read-only
}

// A listening unix socket, removed at scope exit.
class Listener {
public:
    explicit Listener(const std::string& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
        ::unlink(path.c_str());
        ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0 &&
              ::chmod(path.c_str(), 0666) == 0 && ::listen(fd_, 8) == 0;
    }
    ~Listener() {
        if (fd_ >= 0) ::close(fd_);
        ::unlink(path_.c_str());
    }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    [[nodiscard]] bool ok() const { return ok_; }

private:
    std::string path_;
    int fd_ = -1;
    bool ok_ = false;
};

void no_run_sockets(Who who) {
    require_identity(who);
    const std::string path = "/run/sandbox-test-" + std::to_string(::getpid()) + ".sock";
    Listener listener(path);
    std::vector<std::string> actions = {"list", "/run", "list", "/var/run"};
    if (listener.ok()) actions.insert(actions.end(), {"connect", path});
    auto r = escape(who, {}, actions);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "list /run") == "(empty)");
    CHECK(value_of(r.out, "list /var/run") == "(empty)");
    if (!listener.ok()) return; // an ordinary user cannot create one under /run: the listing shows
    CHECK(value_of(r.out, "connect " + path) == "ENOENT");
    auto host = escape_on_host(who, {"connect", path});
    INFO(host.describe());
    CHECK(value_of(host.out, "connect " + path) == "ok"); // the control: it is reachable outside
    // Given back explicitly, it is reachable.
    auto bound = escape(who, {"--ro", path}, {"connect", path});
    INFO(bound.describe());
    CHECK(value_of(bound.out, "connect " + path) == "ok");
}

void bound_tmp_hides_sockets(Who who) {
    require_identity(who);
    // The test's own agent-like socket and directory in the host's /tmp.
    const std::string tag = "sandbox-test-" + std::to_string(::getpid());
    const std::string sock = "/tmp/" + tag + ".sock";
    const std::string agent = "/tmp/ssh-" + tag;
    Listener listener(sock);
    REQUIRE(listener.ok());
    std::filesystem::create_directories(agent);
    ::chmod(agent.c_str(), 0755);
    testsupport::write_file(agent + "/agent", "x\n");
    struct Remove {
        std::string d;
        ~Remove() { std::filesystem::remove_all(d); }
    } remove{agent};
    auto r = escape(who, {"--ro", "/tmp"}, {"connect", sock, "list", agent});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "connect " + sock) == "ECONNREFUSED"); // /dev/null is there instead
    CHECK(value_of(r.out, "list " + agent) == "(empty)");
    auto host = escape_on_host(who, {"connect", sock}); // the control
    INFO(host.describe());
    CHECK(value_of(host.out, "connect " + sock) == "ok");
    // Asked for by itself, it is there.
    auto asked = escape(who, {"--ro", "/tmp", "--ro", agent, "--ro", sock},
                        {"connect", sock, "list", agent});
    INFO(asked.describe());
    CHECK(value_of(asked.out, "connect " + sock) == "ok");
    CHECK(value_of(asked.out, "list " + agent) == "agent");
}

void no_keys(Who who) {
    require_identity(who);
    // The test's own session keyring, with a key in it, is what sandbox is started with.
    if (::syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, nullptr) < 0)
        skip_test(std::string("no keyrings here: keyctl: ") + std::strerror(errno));
    const std::string desc = "sandbox-test-" + std::to_string(::getpid());
    const long id = ::syscall(SYS_add_key, "user", desc.c_str(), "secret", 6, -3L);
    REQUIRE(id > 0);
    // Its default permissions: everything for a possessor (whoever has the keyring), view for
    // its owner, nothing for anyone else.
    const std::string sid = std::to_string(id);
    auto host = escape_on_host(Who::current, {"key-read", sid, "key-search", "@s", desc});
    INFO(host.describe());
    CHECK(value_of(host.out, "key-read " + sid) == "ok secret");
    auto r = escape(who, {},
                    {"key-read", sid, "key-search", "@s", desc, "key-search", "@u", desc, "key-add",
                     "inside-key"});
    INFO(r.describe());
    ::syscall(SYS_keyctl, 3 /* KEYCTL_REVOKE */, id);
    REQUIRE(r.exit_code == 0);
    const std::string read = value_of(r.out, "key-read " + sid);
    CHECK((read == "EACCES" || read == "ENOKEY"));
    CHECK(value_of(r.out, "key-search @s " + desc) == "ENOKEY");
    CHECK(value_of(r.out, "key-search @u " + desc) == "ENOKEY");
    // Keys still work inside: the command has a keyring of its own.
    const std::string added = value_of(r.out, "key-add inside-key");
    CHECK(added.find_first_not_of("0123456789") == std::string::npos);
}

// A pty pair of the test's own on the host: /dev/pts/N, closed at scope exit.
class HostPty {
public:
    HostPty() {
        master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (master_ >= 0 && ::grantpt(master_) == 0 && ::unlockpt(master_) == 0)
            name_ = ::ptsname(master_);
        if (!name_.empty()) ::chmod(name_.c_str(), 0666); // uid 65534 could open it outside
    }
    ~HostPty() {
        if (master_ >= 0) ::close(master_);
    }
    HostPty(const HostPty&) = delete;
    HostPty& operator=(const HostPty&) = delete;
    [[nodiscard]] const std::string& name() const { return name_; }
    // What was typed into the pty (its input queue, read on the slave side).
    [[nodiscard]] std::string pending_input() const {
        const int s = ::open(name_.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (s < 0) return "";
        char buf[64];
        const ssize_t n = ::read(s, buf, sizeof buf);
        ::close(s);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    }

private:
    int master_ = -1;
    std::string name_;
};

void no_host_pty(Who who) {
    require_identity(who);
    HostPty pty;
    if (pty.name().empty()) skip_test("cannot open a pty on the host (/dev/ptmx)");
    auto r = escape(who, {}, {"open-rw", pty.name(), "tty-inject", pty.name(), "new-pty"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "open-rw " + pty.name()) == "ENOENT");
    CHECK(value_of(r.out, "tty-inject " + pty.name()) == "open ENOENT");
    // A spare pty is the sandbox's own, from its own devpts instance: it may become the
    // command's terminal, and what is typed into it stays inside.
    const std::string spare = value_of(r.out, "new-pty");
    CHECK(spare.rfind("/dev/pts/0 ctty", 0) == 0);
    CHECK(pty.pending_input().empty());
    auto host = escape_on_host(who, {"open-rw", pty.name()}); // the control
    INFO(host.describe());
    CHECK(value_of(host.out, "open-rw " + pty.name()) == "ok");
}

void init_out_of_reach(Who who) {
    require_identity(who);
    // init keeps the capabilities of the sandbox's user namespace: even CAP_SYS_PTRACE does not
    // let the command at it (it could have init undo the layout). The control: a child of the
    // command's own can be attached.
    auto r = escape(who, {"--cap-add", "SYS_PTRACE"}, {"attach", "1", "attach-child"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "attach-child") == "ok");
    CHECK(value_of(r.out, "attach 1") == "EPERM");
    CHECK(value_of(r.out, "read-mem 1") == "EACCES");
}

void host_filesystems_nodev(Who who) {
    require_identity(who);
    require_root("a device node planted on a host filesystem (mknod)");
    TempDir dir("/var/tmp", 0755);
    const std::string node = dir / "null-twin";
    REQUIRE(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
    REQUIRE(::chmod(node.c_str(), 0666) == 0); // only nodev may refuse it, not its mode
    auto host = escape_on_host(who, {"open-rw", node});
    INFO(host.describe());
    REQUIRE(value_of(host.out, "open-rw " + node) == "ok"); // the control
    auto r = escape(who, {}, {"open-rw", node, "mount-flags", "/", "mount-flags", dir.path()});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "open-rw " + node) == "EACCES");
    CHECK(value_of(r.out, "mount-flags /") == "ro nodev nosuid");
    auto bound = escape(who, {"--rw", dir.path()}, {"open-rw", node, "mount-flags", dir.path()});
    INFO(bound.describe());
    CHECK(value_of(bound.out, "open-rw " + node) == "EACCES");
    CHECK(value_of(bound.out, "mount-flags " + dir.path()) == "rw nodev nosuid");
    auto dev = escape(who, {"--dev-bind", dir.path()}, {"open-rw", node});
    INFO(dev.describe());
    CHECK(value_of(dev.out, "open-rw " + node) == "ok");
}

void root_binds_keep_owners() {
    require_root("a root caller's id-mapped binds");
    TempDir dir("/var/tmp", 0755); // root's, 0755: only its owner may create files in it
    auto r = testsupport::sandbox(
        sandbox_bin, Who::current,
        {"run", "-e", "trace=none", "--rw", dir.path(), "--", "sh", "-c",
         "id -u; touch \"$0/made-inside\" && stat -c '%u %g' \"$0\" \"$0/made-inside\"; "
         "stat -c %U /etc/hostname",
         dir.path()},
        testsupport::timeout(60));
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    // Inside, the bind's owner is uid 0, the command's own; elsewhere host files are nobody's.
    CHECK(r.out == "0\n0 0\n0 0\nnobody\n");
    struct stat st {};
    REQUIRE(::stat((dir / "made-inside").c_str(), &st) == 0);
    CHECK(st.st_uid == 0); // on the host it is root's file again
    CHECK(st.st_gid == 0);
}

void root_binds_no_setid() {
    require_root("a root caller's id-mapped writable binds");
    TempDir dir("/var/tmp", 0755);
    const std::string f = dir / "prog";
    const std::string allow_all =
        dir.write("allow-all.json", R"({"defaultAction": "SCMP_ACT_ALLOW"})");
    auto host = escape_on_host(
        Who::current, {"setid", dir / "control", "setfcap", dir / "control-caps"}); // the control
    INFO(host.describe());
    CHECK(value_of(host.out, "setid " + (dir / "control")).find("chmod=ok") != std::string::npos);
    CHECK(value_of(host.out, "setfcap " + (dir / "control-caps")) == "ok");
    // Under a profile that allows everything (io_uring too), with and without the ptrace engine:
    // the kernel refuses every way to a setuid or setgid file there, which would be host uid 0's.
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--policy", allow_all},
          std::vector<std::string>{"--policy", allow_all, "--results"},
          std::vector<std::string>{}}) {
        std::vector<std::string> opts = {"--rw", dir.path()};
        opts.insert(opts.end(), extra.begin(), extra.end());
        auto r = escape(Who::current, opts, {"setid", f});
        INFO(r.describe());
        REQUIRE(r.exit_code == 0);
        CHECK(value_of(r.out, "setid " + f) ==
              "open=EPERM openat=EPERM mknod=EPERM create=ok chmod=EPERM chmod-g=EPERM "
              "fchmod=EPERM fchmodat=EPERM fchmodat2=EPERM creat=EPERM tmpfile=EPERM "
              "openat2=ENOSYS io_uring=EPERM");
        std::filesystem::remove(f);
    }
    // A --dev-bind directory is writable too (its files would belong to the range's uid, which
    // every root-run sandbox shares).
    {
        TempDir dev("/var/tmp", 01777);
        auto r = escape(Who::current, {"--dev-bind", dev.path()}, {"setid", dev / "prog"});
        INFO(r.describe());
        CHECK(value_of(r.out, "setid " + (dev / "prog")).find("chmod=EPERM") != std::string::npos);
    }
    // A file capability is as good as a setuid bit: CAP_SETFCAP with a writable bind is refused
    // before anything runs; read-only, it is fine.
    for (const char* cap : {"SETFCAP", "ALL"}) {
        auto caps =
            escape(Who::current, {"--rw", dir.path(), "--cap-add", cap}, {"setfcap", dir / "caps"});
        INFO(caps.describe());
        CHECK(caps.exit_code == 121);
        CHECK(caps.out.empty());
        CHECK(caps.err.find("SETFCAP") != std::string::npos);
    }
    testsupport::write_file(dir / "caps", "");
    auto ro = escape(Who::current, {"--ro", dir.path(), "--cap-add", "SETFCAP"},
                     {"setfcap", dir / "caps"});
    INFO(ro.describe());
    CHECK(value_of(ro.out, "setfcap " + (dir / "caps")) == "EROFS");
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        if (e.path().filename().string().rfind("control", 0) == 0) continue;
        struct stat st {};
        REQUIRE(::stat(e.path().c_str(), &st) == 0);
        INFO(e.path());
        CHECK((st.st_mode & (S_ISUID | S_ISGID)) == 0);
        char buf[64];
        CHECK(::getxattr(e.path().c_str(), "security.capability", buf, sizeof buf) < 0);
    }
}

void root_home_hidden() {
    require_root("a root caller's /root");
    char tmpl[] = "/root/sandbox-test.XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) skip_test("cannot create a directory under /root");
    const std::string dir = tmpl;
    struct Remove {
        std::string d;
        ~Remove() { std::filesystem::remove_all(d); }
    } remove{dir};
    ::chmod(dir.c_str(), 0755); // as a checkout is: the command is no uid that may pass 0700
    testsupport::write_file(dir + "/hello", "hi\n");
    RunOptions opts = testsupport::timeout(60);
    opts.cwd = dir;
    auto r = testsupport::sandbox(sandbox_bin, Who::current,
                                  {"run", "-e", "trace=none", "--", "sh", "-c",
                                   "pwd; cat hello; ls -A /root; touch new 2>&1 || true"},
                                  opts);
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const auto lines = split_lines(r.out);
    REQUIRE(lines.size() >= 4);
    CHECK(lines[0] == dir);  // the working directory is kept ...
    CHECK(lines[1] == "hi"); // ... readable ...
    CHECK(lines[2] == dir.substr(std::string("/root/").size()));     // ... and alone in /root
    CHECK(r.out.find("Read-only file system") != std::string::npos); // ... read-only
    CHECK(r.err.find("warning") == std::string::npos);
    CHECK_FALSE(exists(dir + "/new"));
    // A program there runs by its full path too: it is looked up through the same layout.
    std::filesystem::copy_file("/bin/true", dir + "/tool");
    auto tool = testsupport::sandbox(sandbox_bin, Who::current,
                                     {"run", "-e", "trace=none", "--", dir + "/tool"}, opts);
    INFO(tool.describe());
    CHECK(tool.exit_code == 0);
}

void layout_as_host_root() {
    require_root("--userns=host");
    // The host's root, by explicit choice: the layout still holds (only uid checks change).
    auto r = escape(Who::current, {"--userns=host"},
                    {"list", "/dev", "list", "/run", "write-back", "/proc/sys/kernel/domainname"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(value_of(r.out, "list /dev") ==
          "fd,full,null,ptmx,pts,random,shm,stderr,stdin,stdout,tty,urandom,zero");
    CHECK(value_of(r.out, "list /run") == "(empty)");
    CHECK(value_of(r.out, "write-back /proc/sys/kernel/domainname") == "EROFS");
}

} // namespace

TEST_CASE("containment: as root, binds are id-mapped: their files keep their owners",
          "[integration][containment]") {
    root_binds_keep_owners();
}
TEST_CASE("containment: as root, a writable bind gets no setuid or setgid file",
          "[integration][containment]") {
    root_binds_no_setid();
}
TEST_CASE("containment: as root, /root is an empty tmpfs, the working directory under it read-only",
          "[integration][containment]") {
    root_home_hidden();
}
TEST_CASE("containment: --userns=host keeps the whole layout", "[integration][containment]") {
    layout_as_host_root();
}
TEST_CASE("containment: /dev is a minimal tmpfs with its own devpts (current user)",
          "[integration][containment]") {
    minimal_dev(Who::current);
}
TEST_CASE("containment: /dev is a minimal tmpfs with its own devpts (uid 65534)",
          "[integration][containment]") {
    minimal_dev(Who::nobody);
}
TEST_CASE("containment: no host device node opens (current user)", "[integration][containment]") {
    no_host_device(Who::current);
}
TEST_CASE("containment: no host device node opens (uid 65534)", "[integration][containment]") {
    no_host_device(Who::nobody);
}
TEST_CASE("containment: --dev-bind gives one device back (current user)",
          "[integration][containment]") {
    dev_bind(Who::current);
}
TEST_CASE("containment: --dev-bind gives one device back (uid 65534)",
          "[integration][containment]") {
    dev_bind(Who::nobody);
}
TEST_CASE("containment: sysctls and sysrq-trigger cannot be written (current user)",
          "[integration][containment]") {
    no_sysctl(Who::current);
}
TEST_CASE("containment: sysctls and sysrq-trigger cannot be written (uid 65534)",
          "[integration][containment]") {
    no_sysctl(Who::nobody);
}
TEST_CASE("containment: runc's masked /proc and /sys paths are empty (current user)",
          "[integration][containment]") {
    masked_proc(Who::current);
}
TEST_CASE("containment: runc's masked /proc and /sys paths are empty (uid 65534)",
          "[integration][containment]") {
    masked_proc(Who::nobody);
}
TEST_CASE("containment: /sys is read-only, without the host's kernel interfaces (current user)",
          "[integration][containment]") {
    readonly_sys(Who::current);
}
TEST_CASE("containment: /sys is read-only, without the host's kernel interfaces (uid 65534)",
          "[integration][containment]") {
    readonly_sys(Who::nobody);
}
TEST_CASE("containment: /sys/fs/cgroup shows only the sandbox's own cgroup (current user)",
          "[integration][containment]") {
    own_cgroup_only(Who::current);
}
TEST_CASE("containment: /sys/fs/cgroup shows only the sandbox's own cgroup (uid 65534)",
          "[integration][containment]") {
    own_cgroup_only(Who::nobody);
}
TEST_CASE("containment: no host socket under /run (current user)", "[integration][containment]") {
    no_run_sockets(Who::current);
}
TEST_CASE("containment: no host socket under /run (uid 65534)", "[integration][containment]") {
    no_run_sockets(Who::nobody);
}
TEST_CASE("containment: a bound host /tmp brings no agent's socket (current user)",
          "[integration][containment]") {
    bound_tmp_hides_sockets(Who::current);
}
TEST_CASE("containment: a bound host /tmp brings no agent's socket (uid 65534)",
          "[integration][containment]") {
    bound_tmp_hides_sockets(Who::nobody);
}
TEST_CASE("containment: the caller's session keyring is out of reach (current user)",
          "[integration][containment]") {
    no_keys(Who::current);
}
TEST_CASE("containment: the caller's session keyring is out of reach (uid 65534)",
          "[integration][containment]") {
    no_keys(Who::nobody);
}
TEST_CASE("containment: no host pty opens - a spare pty is the sandbox's own (current user)",
          "[integration][containment]") {
    no_host_pty(Who::current);
}
TEST_CASE("containment: no host pty opens - a spare pty is the sandbox's own (uid 65534)",
          "[integration][containment]") {
    no_host_pty(Who::nobody);
}
TEST_CASE(
    "containment: the sandbox's init is out of reach, even with CAP_SYS_PTRACE (current user)",
    "[integration][containment]") {
    init_out_of_reach(Who::current);
}
TEST_CASE("containment: the sandbox's init is out of reach, even with CAP_SYS_PTRACE (uid 65534)",
          "[integration][containment]") {
    init_out_of_reach(Who::nobody);
}
TEST_CASE("containment: device nodes on host filesystems do not open (nodev)",
          "[integration][containment]") {
    host_filesystems_nodev(Who::current);
}
