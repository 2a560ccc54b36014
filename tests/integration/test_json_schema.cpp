// SPDX-License-Identifier: Apache-2.0
// One JSON schema (issue #14, docs/json.md): the real output of every command that writes JSON,
// from the built binary, validated against its file in docs/schema/ by python3-jsonschema
// (tests/schema/validate_json.py); the schemas themselves closed (additionalProperties: false,
// snake_case, schema_version), so a renamed or camelCase key fails here; and the mistakes the issue
// found (arch "x86_64", a boolean "denied", a summary line without a type, "exitCode") refused.
// Without python3-jsonschema the cases are skipped (exit 77), never passed.
#include "support/files.hpp"
#include "support/identity.hpp"
#include "support/process.hpp"
#include "support/skip.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "lessons/lesson.hpp"
#include "report/lesson_report.hpp"

namespace {

using testsupport::require_identity;
using testsupport::RunResult;
using testsupport::TempDir;
using testsupport::Who;

const std::string sandbox_bin = testsupport::configured_path("SANDBOX_BIN", SANDBOX_BIN);
const std::string probe_bin = testsupport::helper_binary("PROBE_BIN", PROBE_BIN);
const std::string source_dir =
    testsupport::configured_path("SANDBOX_SOURCE_DIR", SANDBOX_SOURCE_DIR);
const std::string schema_dir = source_dir + "/docs/schema";
const std::string validator = source_dir + "/tests/schema/validate_json.py";
const std::string policies = source_dir + "/policies";
const std::string fixtures = source_dir + "/tests/fixtures";

// The Python that has jsonschema: $SANDBOX_PYTHON, else Debian's (python3-jsonschema installs
// for /usr/bin/python3), else python3 on PATH. Skips the case when none has it.
const std::string& python() {
    static const std::optional<std::string> found = []() -> std::optional<std::string> {
        std::vector<std::string> candidates;
        if (const char* p = std::getenv("SANDBOX_PYTHON"); p != nullptr && *p != '\0')
            candidates.emplace_back(p);
        else
            candidates = {"/usr/bin/python3", "python3"};
        for (const auto& c : candidates)
            if (testsupport::run({c, "-c", "import jsonschema"}, testsupport::timeout(60))
                    .exit_code == 0)
                return c;
        return std::nullopt;
    }();
    if (!found)
        skip_test("python3-jsonschema is not installed (apt-get install python3-jsonschema; "
                  "SANDBOX_PYTHON names another interpreter)");
    return *found;
}

enum class Kind { document, lines, kubernetes };

// The validator's verdict on `text` against docs/schema/SCHEMA.schema.json.
RunResult validation(const std::string& schema, const std::string& text, Kind kind) {
    const std::string& py = python(); // skips before anything is made
    const TempDir dir;
    std::vector<std::string> argv{py, validator, schema_dir + "/" + schema + ".schema.json",
                                  dir.write("output.json", text)};
    if (kind == Kind::lines) argv.emplace_back("--lines");
    if (kind == Kind::kubernetes) argv.emplace_back("--kubernetes");
    return testsupport::run(argv, testsupport::timeout(60));
}

void valid(const std::string& schema, const std::string& text, Kind kind = Kind::document) {
    const RunResult v = validation(schema, text, kind);
    INFO("output:\n" << text.substr(0, 4000));
    INFO(v.describe());
    CHECK(v.exit_code == 0);
}

void invalid(const std::string& schema, const std::string& text, const std::string& why,
             Kind kind = Kind::document) {
    const RunResult v = validation(schema, text, kind);
    INFO("document: " << text);
    INFO(v.describe());
    CHECK(v.exit_code == 1);
    CHECK(v.out.find(why) != std::string::npos);
}

RunResult sandbox(std::vector<std::string> args) {
    return testsupport::sandbox(sandbox_bin, Who::current, std::move(args),
                                testsupport::timeout(120));
}

// The last line of `text` (a report that follows the notes on stderr).
std::string last_line(const std::string& text) {
    const auto lines = testsupport::split_lines(text);
    return lines.empty() ? std::string() : lines.back() + "\n";
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("json: every schema is closed, snake_case, and requires schema_version", "[json]") {
    const RunResult r =
        testsupport::run({python(), validator, "--closed", schema_dir}, testsupport::timeout(60));
    INFO(r.describe());
    CHECK(r.exit_code == 0);
}

TEST_CASE("json: run --json under a denying policy, with -C: every line has a type", "[json]") {
    require_identity(Who::current);
    const TempDir dir;
    const RunResult r = sandbox({"run", "--json", "-C", "-o", dir / "trace.json", "--profile",
                                 "deny-mkdir", "--", probe_bin, "mkdir", "/tmp/x"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const std::string trace = testsupport::read_file(dir / "trace.json");
    CHECK(contains(trace, R"("verdict":"denied")"));
    CHECK(contains(trace, R"("arch":"SCMP_ARCH_)"));
    CHECK(contains(trace, R"("type":"exit")"));
    CHECK(contains(last_line(trace), R"("type":"summary")"));
    valid("run", trace, Kind::lines);
}

TEST_CASE("json: run -c --json: the summary alone is a typed line", "[json]") {
    require_identity(Who::current);
    const TempDir dir;
    const RunResult r = sandbox({"run", "-c", "--json", "-o", dir / "summary.json", "--profile",
                                 "deny-mkdir", "--", probe_bin, "mkdir", "/tmp/x"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    const std::string summary = testsupport::read_file(dir / "summary.json");
    CHECK(testsupport::split_lines(summary).size() == 1);
    valid("run", summary, Kind::lines);
}

TEST_CASE("json: run --json: a KILL's exit line with seccomp_kill - --results -T", "[json]") {
    require_identity(Who::current);
    const TempDir dir;
    const RunResult k = sandbox({"run", "--json", "-o", dir / "kill.json", "--profile",
                                 "kill-ptrace", "--", probe_bin, "ptrace-traceme"});
    INFO(k.describe());
    const std::string kill = testsupport::read_file(dir / "kill.json");
    CHECK(contains(kill, R"("seccomp_kill")"));
    valid("run", kill, Kind::lines);

    const RunResult t = sandbox({"run", "--results", "-T", "-C", "--json", "-o",
                                 dir / "results.json", "--", probe_bin, "getpid"});
    INFO(t.describe());
    const std::string results = testsupport::read_file(dir / "results.json");
    CHECK(contains(results, R"("duration")"));
    valid("run", results, Kind::lines);
}

TEST_CASE("json: attach --json -C", "[json]") {
    const TempDir dir;
    // sh starts a sleeper and becomes sandbox, which attaches to its own child for a second.
    const RunResult r = testsupport::run(
        {"/bin/sh", "-c", "sleep 3 & exec \"$0\" attach -C --json --seconds 1 -o \"$1\" $!",
         sandbox_bin, dir / "attach.json"},
        testsupport::timeout(60));
    INFO(r.describe());
    if (r.exit_code != 0 && contains(r.err, "PTRACE_SEIZE"))
        skip_test("ptrace is not permitted here: " + r.err);
    REQUIRE(r.exit_code == 0);
    valid("run", testsupport::read_file(dir / "attach.json"), Kind::lines);
}

TEST_CASE("json: check --json, audit, --enforce with a KILL, and a profile that allows all",
          "[json]") {
    require_identity(Who::current);
    const TempDir dir;
    const RunResult audit = sandbox({"check", "--profile", "deny-mkdir", "--json", "-o",
                                     dir / "audit.json", "--", probe_bin, "mkdir", "/tmp/a"});
    INFO(audit.describe());
    CHECK(audit.exit_code == 1);
    const std::string a = testsupport::read_file(dir / "audit.json");
    CHECK(contains(a, R"("denied":0,"would_deny":1)"));
    valid("check", a);

    const RunResult kill = sandbox({"check", "--enforce", "--profile", "kill-ptrace", "--json",
                                    "-o", dir / "kill.json", "--", probe_bin, "ptrace-traceme"});
    INFO(kill.describe());
    const std::string k = testsupport::read_file(dir / "kill.json");
    CHECK(contains(k, R"("verdict":"killed")"));
    valid("check", k);

    const RunResult fine = sandbox({"check", "--profile", "baseline", "--json", "--", "true"});
    INFO(fine.describe());
    CHECK(fine.exit_code == 0);
    CHECK(contains(fine.err, R"("verdict":"allowed")"));
    valid("check", last_line(fine.err)); // no -o: the report is stderr's last line
}

TEST_CASE("json: policy validate --json, valid and invalid", "[json]") {
    const RunResult ok = sandbox({"policy", "validate", "--json", policies + "/deny-mkdir.json"});
    INFO(ok.describe());
    CHECK(ok.exit_code == 0);
    valid("policy-validate", ok.out);
    const TempDir dir;
    const RunResult bad = sandbox({"policy", "validate", "--json",
                                   dir.write("bad.json", R"({"defaultAction": "SCMP_ACT_FOO"})")});
    INFO(bad.describe());
    CHECK(bad.exit_code == 122);
    valid("policy-validate", bad.out);
}

TEST_CASE("json: policy explain --json, with the pseudo-code, cases and runc's stub", "[json]") {
    const RunResult all = sandbox({"policy", "explain", "--json", "--profile", "runtime-default"});
    INFO(all.describe());
    CHECK(all.exit_code == 0);
    CHECK(contains(all.out, R"("pseudo_code")"));
    valid("policy-explain", all.out);
    const RunResult cases =
        sandbox({"policy", "explain", "--json", "--no-pfc", "--profile", "deny-network"});
    INFO(cases.describe());
    CHECK(contains(cases.out, R"("cases")"));
    valid("policy-explain", cases.out);
}

TEST_CASE("json: policy lint, diff and audit-log --json", "[json]") {
    const RunResult lint =
        sandbox({"policy", "lint", "--json", fixtures + "/lint-acceptance.json"});
    INFO(lint.describe());
    CHECK(lint.exit_code == 1);
    valid("policy-lint", lint.out);

    const RunResult diff =
        sandbox({"policy", "diff", "--json", "profile:baseline", "profile:deny-network"});
    INFO(diff.describe());
    CHECK(diff.exit_code == 1);
    valid("policy-diff", diff.out);

    const RunResult log =
        sandbox({"policy", "audit-log", "--json", "--policy", policies + "/kill-ptrace.json",
                 fixtures + "/seccomp-audit.log"});
    INFO(log.describe());
    CHECK(log.exit_code == 0);
    valid("policy-audit-log", log.out);
}

TEST_CASE("json: policy list, install and record --json - export --json is the Kubernetes object",
          "[json]") {
    const RunResult list = sandbox({"policy", "list", "--json"});
    INFO(list.describe());
    CHECK(list.exit_code == 0);
    valid("policy-list", list.out);

    const TempDir root;
    const RunResult install = sandbox({"policy", "install", "--json", "--kubelet-root", root.path(),
                                       policies + "/deny-mkdir.json"});
    INFO(install.describe());
    CHECK(install.exit_code == 0);
    CHECK(contains(install.out, R"("status":"installed")"));
    valid("policy-install", install.out);

    for (const char* format : {"pod", "spo"}) {
        const RunResult e = sandbox(
            {"policy", "export", "--json", "--format", format, "--profile", "runtime-default"});
        INFO(e.describe());
        CHECK(e.exit_code == 0);
        CHECK(e.out.rfind('{', 0) == 0); // JSON, not YAML with a comment first
        valid("policy-export", e.out, Kind::kubernetes);
    }
    // A report's schema refuses Kubernetes' camelCase keys, which the key check would name.
    invalid("policy-list", R"({"schema_version":1,"profiles":[],"apiVersion":"v1"})", "apiVersion");
}

TEST_CASE("json: policy record --json: the report is stderr's last line", "[json]") {
    require_identity(Who::current);
    const TempDir dir;
    const RunResult r = sandbox({"policy", "record", "--json", "-o", dir / "p.json", "--profile",
                                 "deny-mkdir", "--", probe_bin, "mkdir", "/tmp/a"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    const std::string report = last_line(r.err);
    CHECK(contains(report, R"("denied_syscalls":["mkdir)"));
    valid("policy-record", report);
}

TEST_CASE("json: doctor --json", "[json]") {
    const RunResult r = sandbox({"doctor", "--json"});
    INFO(r.describe());
    valid("doctor", r.out);
}

TEST_CASE("json: lesson list, status, show, hint, solution, verify and selftest --json",
          "[json][lessons]") {
    const TempDir state("/var/tmp", 0777);
    testsupport::RunOptions o = testsupport::timeout(600);
    o.env = testsupport::current_environment();
    o.env->push_back("SANDBOX_LESSONS=" + source_dir + "/lessons");
    o.env->push_back("XDG_STATE_HOME=" + state.path());
    const auto lesson = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "lesson");
        return testsupport::sandbox(sandbox_bin, Who::current, std::move(args), o);
    };
    for (const auto& [args, schema] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"--json"}, "lesson-list"},
             {{"status", "--json"}, "lesson-list"},
             {{"show", "1", "--json"}, "lesson-show"},
             {{"hint", "1", "--json"}, "lesson-hint"},
             {{"solution", "1", "--json"}, "lesson-solution"},
             {{"verify", "1", "--json"}, "lesson-verify"},
             {{"selftest", "1", "--json"}, "lesson-selftest"}}) {
        const RunResult r = lesson(args);
        INFO(r.describe());
        CHECK(r.exit_code <= 2); // verify: 1 not yet, 2 cannot run here
        valid(schema, r.out);
    }
    // A lesson this machine cannot run: the same document, skipped with the reason.
    lessons::Lesson l;
    l.number = 7;
    l.title = "needs something";
    valid("lesson-verify", report::lesson_skipped_json(l, "needs root"));
    // No --json where there is no report: a usage error, never silently ignored.
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"1", "--json"}, {"watch", "1", "--json"}, {"reset", "1", "--json"}}) {
        const RunResult r = lesson(args);
        INFO(r.describe());
        CHECK(r.exit_code == 121);
        CHECK(contains(r.err, "--json"));
    }
}

TEST_CASE("json: the schemas refuse the spellings issue #14 found", "[json]") {
    // The architecture as libseccomp names it, not the kernel's "x86_64".
    invalid("run",
            R"({"schema_version":1,"type":"syscall","time":1.5,"pid":2,"tid":2,"syscall":"getpid",)"
            R"("nr":39,"arch":"x86_64","args":["0x0","0x0","0x0","0x0","0x0","0x0"],"decoded":[],)"
            R"("verdict":"allowed","rule":null,"action":null,"result":null,"restarted":false})",
            "does not match", Kind::lines);
    // The -c summary without a type; a line without schema_version.
    invalid("run", R"({"schema_version":1,"syscalls":[],"total":{}})", "'type' is a required",
            Kind::lines);
    invalid("run", R"({"type":"exit","pid":2,"code":0})", "'schema_version' is a required",
            Kind::lines);
    // denied is a count, never a boolean.
    invalid("check",
            R"({"schema_version":1,"policy":"p","command":["true"],"mode":"audit","exit_code":0,)"
            R"("verdict":"allowed","denied":false,"would_deny":0,"seccomp_kill":null,)"
            R"("syscalls":[]})",
            "is not of type 'integer'");
    // camelCase: refused by the schema (additionalProperties) and named by the key check.
    invalid("policy-lint",
            R"({"schema_version":1,"source":"p","errors":0,"warnings":0,"infos":0,"exit_code":0,)"
            R"("exitCode":0,"findings":[]})",
            "key 'exitCode' is not snake_case");
    // The syscall is "syscall", not "name".
    invalid("policy-explain",
            R"({"schema_version":1,"source":"p","default_action":"ALLOW","enosys_above":-1,)"
            R"("enosys_stub":[],"syscalls":[{"name":"read","nr":0,"action":"ALLOW",)"
            R"("rule":"defaultAction"}],"warnings":[]})",
            "'syscall' is a required");
    // A version this reader does not know.
    invalid("doctor", R"({"schema_version":2,"findings":[],"ok":true})", "was expected");
}
