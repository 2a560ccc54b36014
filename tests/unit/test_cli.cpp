// SPDX-License-Identifier: Apache-2.0
// Command-line parsing: plain option values out, usage errors with exit code 121.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "cli.hpp"
#include "launch/plan.hpp"
#include "supervise/emulate.hpp"
#include "supervise/selection.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"
#include "util/terminal.hpp"

namespace {
cli::Command parse(std::vector<std::string> a) {
    return cli::parse(a);
}

int usage_code(std::vector<std::string> a) {
    try {
        cli::parse(a);
    } catch (const util::Error& e) {
        return e.exit_code();
    }
    return 0;
}
} // namespace

TEST_CASE("run: options, then the command after --", "[cli]") {
    auto c = parse({"run",
                    "--ns",
                    "pid,mount,net",
                    "--rw",
                    "/var/tmp",
                    "--ro=/etc",
                    "--tmpfs",
                    "/mnt",
                    "--cap-add",
                    "NET_BIND_SERVICE",
                    "--env",
                    "A=1",
                    "-E",
                    "B=2",
                    "--clearenv",
                    "--cwd",
                    "/",
                    "--profile",
                    "deny-mkdir",
                    "--strict",
                    "--",
                    "sh",
                    "-c",
                    "echo --help"});
    auto* r = std::get_if<cli::Run>(&c);
    REQUIRE(r != nullptr);
    const auto& o = r->options;
    CHECK(o.namespaces_given);
    CHECK(o.namespaces.size() == 3);
    REQUIRE(o.mounts.size() == 3);
    CHECK(o.mounts[1].kind == options::MountRequest::Kind::ReadOnly);
    CHECK(o.mounts[1].path == "/etc");
    CHECK(o.cap_add == std::vector<std::string>{"NET_BIND_SERVICE"});
    CHECK(o.env == std::vector<std::string>{"A=1", "B=2"});
    CHECK(o.clear_env);
    CHECK(o.cwd == std::string("/"));
    CHECK(o.profile_name == std::string("deny-mkdir"));
    CHECK(o.strict);
    CHECK(o.command == std::vector<std::string>{"sh", "-c", "echo --help"});
}

TEST_CASE("run: the command may start without --, and its own flags stay its own", "[cli]") {
    auto c = parse({"run", "ls", "--help"});
    auto* r = std::get_if<cli::Run>(&c);
    REQUIRE(r != nullptr);
    CHECK(r->options.command == std::vector<std::string>{"ls", "--help"});
    CHECK(std::holds_alternative<cli::Help>(parse({"run", "--help"})));
    CHECK(std::holds_alternative<cli::Help>(parse({"run", "--ns", "pid", "-h", "--", "x"})));
}

TEST_CASE("usage errors", "[cli]") {
    CHECK(usage_code({"run"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "--"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "--bogus", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "--ns", "pid,bogus", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "--env", "NOEQUALS", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "--policy"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "--policy", "a.json", "--profile", "b", "--", "true"}) ==
          util::exit_code::usage);
    CHECK(usage_code({"frobnicate"}) == util::exit_code::usage);
    CHECK(usage_code({"policy", "validate"}) == util::exit_code::usage);
    CHECK(usage_code({"policy", "validate", "a", "b"}) == util::exit_code::usage);
    CHECK(usage_code({"policy", "frob", "a"}) == util::exit_code::usage);
    CHECK(usage_code({"doctor", "--bogus"}) == util::exit_code::usage);
}

TEST_CASE("run --ns with an empty list or an empty name is a usage error, never no namespaces",
          "[cli][ns]") {
    for (const char* list : {"", ",", ",,", "pid,", ",pid", "pid,,net"}) {
        INFO(list);
        try {
            cli::parse({"run", "--ns", list, "--", "true"});
            FAIL("accepted");
        } catch (const util::Error& e) {
            CHECK(e.exit_code() == util::exit_code::usage);
            CHECK_THAT(e.what(), Catch::Contains("--ns"));
            CHECK_THAT(e.what(), Catch::Contains("--no-ns"));
        }
    }
    CHECK(usage_code({"run", "--ns=", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"check", "--profile", "audit", "--ns", "", "--", "true"}) ==
          util::exit_code::usage);
    CHECK(std::get<cli::Run>(parse({"run", "--no-ns", "--", "true"})).options.namespaces.empty());
}

TEST_CASE("every numeric option goes through one strict parser: overflow is a usage error",
          "[cli][number]") {
    const std::string huge = "99999999999999999999999999";
    const auto message = [](std::vector<std::string> a) -> std::string {
        try {
            cli::parse(a);
        } catch (const util::Error& e) {
            CHECK(e.exit_code() == util::exit_code::usage);
            return e.what();
        }
        return "(accepted)";
    };
    for (const std::string& bad : {huge, std::string("-1"), std::string("1e3"), std::string(" 5"),
                                   std::string("0x10"), std::string("")}) {
        INFO(bad);
        CHECK_THAT(message({"run", "-s", bad, "--", "true"}), Catch::Contains("-s " + bad));
        CHECK_THAT(message({"run", "--kill-after", bad, "--", "true"}),
                   Catch::Contains("--kill-after " + bad));
        CHECK_THAT(message({"attach", "--seconds", bad, "1"}), Catch::Contains("--seconds"));
        CHECK(usage_code({"attach", bad.empty() ? "0" : bad}) == util::exit_code::usage);
        CHECK_THAT(message({"check", "--profile", "audit", "-s", bad, "--", "true"}),
                   Catch::Contains("-s"));
    }
    CHECK(usage_code({"lesson", huge}) == util::exit_code::usage);
    CHECK(usage_code({"lesson", "show", "-1"}) == util::exit_code::usage);
    CHECK(std::get<cli::Run>(parse({"run", "-s", "999999", "--", "true"})).options.string_limit ==
          999999);
    CHECK(std::get<cli::Attach>(parse({"attach", "2147483647"})).options.pid == 2147483647);
    CHECK(usage_code({"attach", "2147483648"}) == util::exit_code::usage);
    CHECK(std::get<cli::Lesson>(parse({"lesson", "12"})).number == 12);
    // --inject is parsed when the run is set up, by the same parser.
    for (const std::string& spec : std::vector<std::string>{
             "openat:error=ENOENT:when=" + huge, "openat:error=ENOENT:when=1.." + huge,
             "openat:error=ENOENT:when=" + huge + "+", "openat:error=ENOENT:when=x",
             "openat:error=ENOENT:when=0", "openat:error=" + huge, "openat:error=-1"}) {
        INFO(spec);
        try {
            supervise::parse_injection(spec);
            FAIL("accepted");
        } catch (const util::Error& e) {
            CHECK(e.exit_code() == util::exit_code::usage);
            CHECK_THAT(e.what(), Catch::Contains("--inject " + spec));
        }
    }
    CHECK(supervise::parse_injection("openat:error=2:when=18446744073709551615").first ==
          18446744073709551615ULL);
}

TEST_CASE("help and version", "[cli]") {
    CHECK(std::holds_alternative<cli::Help>(parse({})));
    CHECK(std::holds_alternative<cli::Help>(parse({"--help"})));
    CHECK(std::holds_alternative<cli::Version>(parse({"--version"})));
    CHECK(std::get<cli::Help>(parse({"help", "policy"})).topic == "policy");
    CHECK(std::get<cli::Help>(parse({"policy", "explain", "--help"})).topic == "policy explain");
    CHECK(std::get<cli::Help>(parse({"help", "policy", "lint"})).topic == "policy lint");
    for (const char* topic : {"", "run", "policy", "doctor", "attach", "lesson", "check"}) {
        INFO(topic);
        CHECK_THAT(cli::help_text(topic), Catch::StartsWith("Usage: sandbox"));
    }
    CHECK_THAT(cli::help_text("run"), Catch::Contains("159") && Catch::Contains("123"));
    // Each policy command has its own page, which starts with its own usage line.
    for (const char* sub : {"validate", "explain", "list", "show", "record", "lint", "diff",
                            "export", "install", "audit-log"}) {
        INFO(sub);
        CHECK_THAT(cli::help_text(std::string("policy ") + sub),
                   Catch::StartsWith(std::string("Usage: sandbox policy ") + sub));
    }
    // An unknown topic is a usage error (exit 121), with the nearest topic.
    CHECK(usage_code({"help", "bogus"}) == util::exit_code::usage);
    CHECK(usage_code({"help", "policy", "lnt"}) == util::exit_code::usage);
    try {
        cli::help_text("polcy");
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::usage);
        CHECK_THAT(e.what(), Catch::Contains("did you mean \"policy\""));
    }
}

namespace {
std::string usage_message(std::vector<std::string> a) {
    try {
        cli::parse(a);
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::usage);
        return e.what();
    }
    return "(no error)";
}
} // namespace

TEST_CASE("typos get the nearest command, option, action or syscall", "[cli]") {
    CHECK_THAT(usage_message({"rnu", "--", "true"}), Catch::Contains("did you mean \"run\""));
    CHECK_THAT(usage_message({"policy", "lnt", "x.json"}),
               Catch::Contains("did you mean \"lint\""));
    CHECK_THAT(usage_message({"run", "--polcy", "x.json", "--", "true"}),
               Catch::Contains("did you mean \"--policy\""));
    CHECK_THAT(usage_message({"run", "--time-limt=3", "--", "true"}),
               Catch::Contains("did you mean \"--time-limit\""));
    CHECK_THAT(usage_message({"policy", "explain", "--no-pcf", "x.json"}),
               Catch::Contains("did you mean \"--no-pfc\""));
    CHECK_THAT(usage_message({"lesson", "verfy", "1"}), Catch::Contains("did you mean \"verify\""));
    CHECK_THAT(usage_message({"doctor", "--jsn"}), Catch::Contains("did you mean \"--json\""));
    // Nothing near: no suggestion at all, rather than a far one.
    CHECK_THAT(usage_message({"frobnicate"}), !Catch::Contains("did you mean"));
    CHECK_THAT(usage_message({"run", "--zzzzzzzz", "--", "true"}),
               !Catch::Contains("did you mean"));
    try {
        supervise::parse_trace_set("opnat");
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("did you mean \"openat\""));
    }
}

TEST_CASE("docker's --security-opt and --color", "[cli]") {
    auto run = [](std::vector<std::string> a) { return std::get<cli::Run>(parse(a)).options; };
    CHECK(run({"run", "--security-opt", "seccomp=p.json", "--", "true"}).policy_file == "p.json");
    CHECK(run({"run", "--security-opt=seccomp:p.json", "--", "true"}).policy_file == "p.json");
    CHECK(run({"run", "--security-opt", "seccomp=unconfined", "--", "true"}).profile_name ==
          "unconfined");
    CHECK(run({"run", "--security-opt", "no-new-privileges", "--", "true"}).command ==
          std::vector<std::string>{"true"});
    CHECK(usage_code({"run", "--security-opt", "no-new-privileges=false", "--", "true"}) ==
          util::exit_code::usage);
    CHECK(usage_code({"run", "--security-opt", "apparmor=unconfined", "--", "true"}) ==
          util::exit_code::usage);
    CHECK(usage_code({"run", "--policy", "a.json", "--security-opt", "seccomp=b.json", "--",
                      "true"}) == util::exit_code::usage);
    // --color before or after the command; a bad WHEN is a usage error; the command's own
    // --color (after --) is the command's.
    CHECK(std::holds_alternative<cli::Doctor>(parse({"--color=never", "doctor"})));
    CHECK(std::holds_alternative<cli::Doctor>(parse({"doctor", "--color", "always"})));
    CHECK(usage_code({"--color=sometimes", "doctor"}) == util::exit_code::usage);
    CHECK(run({"run", "--color", "never", "--", "ls", "--color=always"}).command ==
          std::vector<std::string>{"ls", "--color=always"});
    CHECK(std::holds_alternative<cli::PolicyLint>(parse({"policy", "lint", "--color", "x.json"})));
    CHECK(std::get<cli::Lesson>(parse({"lesson", "--color=never", "status"})).action == "status");
    util::set_colour_mode(util::ColourMode::Auto);
}

TEST_CASE("capability names in Docker and Kubernetes spellings", "[cli][caps]") {
    CHECK(launch::capability_number("NET_BIND_SERVICE") == 10);
    CHECK(launch::capability_number("CAP_NET_BIND_SERVICE") == 10);
    CHECK(launch::capability_number("cap_net_bind_service") == 10);
    CHECK(launch::capability_name(10) == "CAP_NET_BIND_SERVICE");
    CHECK_THROWS_AS(launch::capability_number("NET_BIND_SERVIC"), util::Error);
    options::Run r;
    r.cap_add = {"NET_ADMIN", "CAP_CHOWN"};
    r.cap_drop = {"ALL"};
    CHECK(launch::kept_capabilities(r) == std::vector<std::string>{"CAP_CHOWN", "CAP_NET_ADMIN"});
    r.cap_add = {"ALL"};
    r.cap_drop = {"NET_RAW"};
    auto kept = launch::kept_capabilities(r);
    // ALL: every capability this process may hold (its bounding set), NET_RAW dropped again
    std::ifstream status("/proc/self/status");
    std::uint64_t bounding = 0;
    for (std::string line; std::getline(status, line);)
        if (line.rfind("CapBnd:", 0) == 0) bounding = std::stoull(line.substr(7), nullptr, 16);
    std::size_t may_hold = 0;
    for (int i = 0; i <= launch::cap_last_cap(); ++i)
        if ((bounding >> i) & 1U) ++may_hold;
    CHECK(kept.size() == may_hold - ((bounding >> 13) & 1U)); // 13: CAP_NET_RAW
    CHECK(std::find(kept.begin(), kept.end(), "CAP_NET_RAW") == kept.end());
}

TEST_CASE("namespaces: defaults, user for non-root, --share-net, --no-ns", "[cli][ns]") {
    using options::Namespace;
    options::Run r;
    // Root gets a user namespace too: it is what keeps uid 0 inside from being the host's root.
    auto root = launch::effective_namespaces(r, true);
    CHECK(root.front() == Namespace::User);
    CHECK(root.size() == 7);
    auto user = launch::effective_namespaces(r, false);
    CHECK(user.front() == Namespace::User);
    r.share_net = true;
    auto shared = launch::effective_namespaces(r, true);
    CHECK(std::find(shared.begin(), shared.end(), Namespace::Net) == shared.end());
    options::Run none;
    none.namespaces_given = true;
    CHECK(launch::effective_namespaces(none, false).empty());
    options::Run host;
    host.userns = options::Run::Userns::Host;
    auto hosted = launch::effective_namespaces(host, true);
    CHECK(std::find(hosted.begin(), hosted.end(), Namespace::User) == hosted.end());
    CHECK(hosted.size() == 6);
    // An ordinary user cannot have the host's: --userns=host changes nothing for it.
    CHECK(launch::effective_namespaces(host, false).front() == Namespace::User);
}

TEST_CASE("run: the --userns spellings", "[cli]") {
    const auto mode = [](std::vector<std::string> a) {
        a.insert(a.begin(), "run");
        a.insert(a.end(), {"--", "true"});
        return std::get<cli::Run>(cli::parse(a)).options.userns;
    };
    CHECK(mode({}) == options::Run::Userns::Auto);
    CHECK(mode({"--userns"}) == options::Run::Userns::Auto);
    CHECK(mode({"--userns=host"}) == options::Run::Userns::Host);
    CHECK(mode({"--userns", "host"}) == options::Run::Userns::Host);
    CHECK(mode({"--userns", "auto"}) == options::Run::Userns::Auto);
    CHECK_THROWS_AS(mode({"--userns=nobody"}), util::Error);
}

TEST_CASE("a root caller's id range: /etc/subuid's root entry, else sandbox's own", "[cli]") {
    auto def = launch::root_id_range("", "");
    CHECK(def.host_uid == launch::kDefaultRootRangeStart);
    CHECK(def.count == 65536);
    auto sub =
        launch::root_id_range("alice:100000:65536\nroot:200000:131072\n", "root:300000:65536\n");
    CHECK(sub.host_uid == 200000);
    CHECK(sub.host_gid == 300000);
    CHECK(sub.count == 65536); // the smaller of the two
    // Too small, starting at 0 (the host's root), or running past 2^32-2: not used.
    CHECK(launch::root_id_range("root:100000:1000\n", "root:100000:1000\n").host_uid ==
          launch::kDefaultRootRangeStart);
    CHECK(launch::root_id_range("root:0:65536\n", "root:0:65536\n").host_uid ==
          launch::kDefaultRootRangeStart);
    CHECK(launch::root_id_range("root:4294960000:65536\n", "root:1:65536\n").host_uid ==
          launch::kDefaultRootRangeStart);
    CHECK(launch::root_id_range("0:500000:65536\n", "0:500000:65536\n").host_uid == 500000);
}

TEST_CASE("command resolution before anything runs", "[cli][exec]") {
    CHECK(launch::resolve_executable("sh", {"PATH=/usr/bin:/bin"}).find("/sh") !=
          std::string::npos);
    try {
        launch::resolve_executable("definitely-not-a-command", {"PATH=/usr/bin"});
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::not_found);
    }
    char path[] = "/tmp/sandbox-noexec-XXXXXX";
    int fd = ::mkstemp(path); // mode 0600: not executable
    REQUIRE(fd >= 0);
    ::close(fd);
    try {
        launch::resolve_executable(path, {});
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::cannot_exec);
    }
    ::unlink(path);
}

TEST_CASE("run --user: numbers, names, the default group, and what is refused", "[cli][user]") {
    auto u = launch::parse_user("1000:1001");
    CHECK(u.uid == 1000);
    CHECK(u.gid == 1001);
    auto nobody = launch::parse_user("nobody"); // Debian's passwd: 65534, primary group 65534
    CHECK(nobody.uid == 65534);
    CHECK(nobody.gid == 65534);
    auto root = launch::parse_user("0:root");
    CHECK(root.uid == 0);
    CHECK(root.gid == 0);
    auto unknown = launch::parse_user("4242"); // no passwd entry: gid = uid
    CHECK(unknown.gid == 4242);
    for (const std::string bad : {"", ":1", "1:", "no-such-user-xyz", "1:no-such-group-xyz",
                                  "4294967295", "-1", "12345678901"}) {
        INFO(bad);
        try {
            launch::parse_user(bad);
            FAIL("accepted");
        } catch (const util::Error& e) {
            CHECK(e.exit_code() == 121);
        }
    }
    CHECK(std::get<cli::Run>(parse({"run", "-u", "7", "--", "true"})).options.user == "7");
    CHECK(std::get<cli::Run>(parse({"run", "--user", "a:b", "--", "true"})).options.user == "a:b");
}

TEST_CASE("run --emulate: uname only, with release= and version= fields", "[cli][emulate]") {
    auto e = supervise::parse_emulation({"uname"}, "lab");
    CHECK(e.handles("uname"));
    CHECK_FALSE(e.handles("openat"));
    CHECK(std::string(e.uts.sysname) == "Linux");
    CHECK(std::string(e.uts.nodename) == "lab");
    CHECK(std::string(e.uts.release) == "4.19.0-gvisor");
    auto r = supervise::parse_emulation({"uname:release=5.0-x:version=#7"}, "n");
    CHECK(std::string(r.uts.release) == "5.0-x");
    CHECK(std::string(r.uts.version) == "#7");
    CHECK_FALSE(supervise::parse_emulation({}, "n").any());
    for (const std::string& bad : std::vector<std::string>{
             "openat", "", "uname:", "uname:release", "uname:release=", "uname:colour=red",
             "uname:release=" + std::string(80, 'x')}) {
        INFO(bad);
        try {
            supervise::parse_emulation({bad}, "n");
            FAIL("accepted");
        } catch (const util::Error& e2) {
            CHECK(e2.exit_code() == 121);
        }
    }
}

TEST_CASE("lesson: commands, numbers, and the flags each one takes", "[cli][lessons]") {
    const auto lesson = [](std::vector<std::string> a) { return std::get<cli::Lesson>(parse(a)); };
    CHECK(lesson({"lesson"}).action == "list");
    CHECK(lesson({"lesson", "3"}).action == "run");
    CHECK(lesson({"lesson", "3", "--task"}).task_only);
    CHECK(lesson({"lesson", "watch", "5"}).action == "watch");
    CHECK(lesson({"lesson", "shell", "5"}).number == 5);
    CHECK(usage_code({"lesson", "watch"}) == util::exit_code::usage);
    CHECK(usage_code({"lesson", "shell"}) == util::exit_code::usage);
    // Forgetting everything takes --all, never a missing number.
    CHECK(usage_code({"lesson", "reset"}) == util::exit_code::usage);
    CHECK(lesson({"lesson", "reset", "--all"}).all);
    CHECK(lesson({"lesson", "reset", "4"}).number == 4);
    CHECK(usage_code({"lesson", "reset", "4", "--all"}) == util::exit_code::usage);
    CHECK(usage_code({"lesson", "verify", "4", "--all"}) == util::exit_code::usage);
    CHECK(usage_code({"lesson", "verify", "4", "--task"}) == util::exit_code::usage);
    CHECK(usage_code({"lesson", "status", "4"}) == util::exit_code::usage);
    // --json is honoured where there is a report, refused where there is none.
    for (const auto& a :
         std::vector<std::vector<std::string>>{{"lesson", "--json"},
                                               {"lesson", "status", "--json"},
                                               {"lesson", "show", "1", "--json"},
                                               {"lesson", "hint", "1", "--json"},
                                               {"lesson", "solution", "1", "--json"},
                                               {"lesson", "verify", "1", "--json"},
                                               {"lesson", "selftest", "--json"}}) {
        INFO(a[1]);
        CHECK(lesson(a).json);
    }
    for (const auto& a :
         std::vector<std::vector<std::string>>{{"lesson", "1", "--json"},
                                               {"lesson", "reset", "1", "--json"},
                                               {"lesson", "shell", "1", "--json"},
                                               {"lesson", "watch", "1", "--json"}}) {
        INFO(a[1]);
        CHECK(usage_code(a) == util::exit_code::usage);
    }
}

TEST_CASE("cli: --json on every policy command that reports (docs/json.md)", "[cli][json]") {
    CHECK(std::get<cli::PolicyList>(parse({"policy", "list", "--json"})).json);
    CHECK_FALSE(std::get<cli::PolicyList>(parse({"policy", "list"})).json);
    CHECK(usage_code({"policy", "list", "--yaml"}) == util::exit_code::usage);
    CHECK(std::get<cli::PolicyExport>(
              parse({"policy", "export", "a.json", "--format", "spo", "--json"}))
              .options.json);
    CHECK(std::get<cli::PolicyInstall>(parse({"policy", "install", "a.json", "--json"}))
              .options.json);
    const auto rec = std::get<cli::PolicyRecord>(
                         parse({"policy", "record", "--json", "-o", "p.json", "--", "true"}))
                         .options;
    CHECK(rec.json);
    CHECK(rec.output == "p.json");
    for (const auto& a : std::vector<std::vector<std::string>>{
             {"policy", "validate", "a.json", "--json"},
             {"policy", "explain", "a.json", "--json"},
             {"policy", "lint", "a.json", "--json"},
             {"policy", "diff", "a.json", "b.json", "--json"},
             {"policy", "audit-log", "--json"},
             {"check", "--profile", "baseline", "--json", "--", "true"},
             {"run", "--json", "--", "true"},
             {"attach", "--json", "1"},
             {"doctor", "--json"}}) {
        INFO(a[0] << " " << a[1]);
        CHECK_NOTHROW(parse(a));
    }
}

TEST_CASE("strace and docker habits: -f, -e NAME, --cap-add lists", "[cli]") {
    const auto o =
        std::get<cli::Run>(parse({"run", "-f", "-e", "openat,read", "--cap-add",
                                  "NET_RAW,SYS_CHROOT", "--cap-drop", "NET_RAW", "--", "true"}))
            .options;
    CHECK(o.trace == "openat,read");
    CHECK(o.cap_add == std::vector<std::string>{"NET_RAW", "SYS_CHROOT"});
    CHECK(o.cap_drop == std::vector<std::string>{"NET_RAW"});
    CHECK(launch::kept_capabilities(o) == std::vector<std::string>{"CAP_SYS_CHROOT"});
    CHECK(usage_code({"run", "--cap-add", "NET_RAW,", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "-e", "foo=bar", "--", "true"}) == util::exit_code::usage);
    // One name, whole: libcap would read the first word of "NET_RAW garbage".
    options::Run bad;
    bad.cap_add = {"NET_RAW garbage"};
    CHECK_THROWS_AS(launch::kept_capabilities(bad), util::Error);
    bad.cap_add = {"NET_RAW;"};
    CHECK_THROWS_AS(launch::kept_capabilities(bad), util::Error);
    const auto p = std::get<cli::PolicyExplain>(
        parse({"policy", "explain", "--cap-add", "SYS_ADMIN,NET_ADMIN", "x.json"}));
    CHECK(p.options.cap_add == std::vector<std::string>{"SYS_ADMIN", "NET_ADMIN"});
}

TEST_CASE("strace's output options: -ff, -P, -z, -Z, -e status=, -yy", "[cli]") {
    namespace st = options::status;
    const auto run = [](std::vector<std::string> a) {
        a.insert(a.begin(), "run");
        a.insert(a.end(), {"--", "true"});
        return std::get<cli::Run>(parse(a)).options;
    };
    const auto plain = run({});
    CHECK(plain.status == st::All);
    CHECK(plain.trace_paths.empty());
    CHECK_FALSE(plain.output_separately);
    CHECK_FALSE(plain.fd_details);
    CHECK(run({"-ff", "-o", "t"}).output_separately);
    CHECK(run({"--output-separately"}).output_separately);
    CHECK(run({"-P", "/etc/hostname", "--trace-path=/tmp"}).trace_paths ==
          std::vector<std::string>{"/etc/hostname", "/tmp"});
    CHECK(run({"-z"}).status == st::Successful);
    CHECK(run({"-Z"}).status == st::Failed);
    CHECK(run({"--failed-only"}).status == st::Failed);
    CHECK(run({"-e", "status=successful,unfinished"}).status == (st::Successful | st::Unfinished));
    CHECK(run({"-e", "status=!failed"}).status == (st::All & ~st::Failed));
    CHECK(run({"--status=none"}).status == 0);
    CHECK(run({"-e", "status=all"}).status == st::All);
    const auto yy = run({"-yy"});
    CHECK((yy.fd_paths && yy.fd_details));
    const auto y2 = run({"-y", "-y"}); // strace: -y -y is -yy
    CHECK((y2.fd_paths && y2.fd_details));
    const auto y = run({"-y"});
    CHECK((y.fd_paths && !y.fd_details));
    CHECK(usage_code({"run", "-e", "status=sucessful", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "-e", "status=", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"run", "-P", "", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"check", "-P", "/x", "--", "true"}) == util::exit_code::usage);
    CHECK(usage_code({"policy", "record", "-o", "p.json", "-ff", "--", "true"}) ==
          util::exit_code::usage);
}

TEST_CASE("edit distance and the nearest word", "[cli][suggest]") {
    CHECK(util::edit_distance("", "") == 0);
    CHECK(util::edit_distance("run", "rnu") == 1);   // neighbours swapped
    CHECK(util::edit_distance("lint", "lnit") == 1); // neighbours swapped
    CHECK(util::edit_distance("openat", "opnat") == 1);
    CHECK(util::edit_distance("Syscalls", "syscalls") == 0); // case ignored
    CHECK(util::edit_distance("kitten", "sitting") == 3);
    CHECK(util::closest("verfy", std::vector<std::string>{"show", "verify", "watch"}) == "verify");
    CHECK_FALSE(util::closest("xyz", std::vector<std::string>{"run", "lint"}).has_value());
    CHECK_FALSE(util::closest("run", std::vector<std::string>{"run"}).has_value());
    CHECK(util::did_you_mean("sycalls", std::vector<std::string>{"syscalls", "flags"}) ==
          " (did you mean \"syscalls\"?)");
}
