// SPDX-License-Identifier: Apache-2.0
// The lesson checks that parse what they read: a Pod manifest (lessons/pod.hpp) and a predictions
// file (lessons/checks.hpp), each with the answers a tired learner gives.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "lessons/checks.hpp"
#include "lessons/pod.hpp"

namespace {

using lessons::pod::Expect;

std::string problems(const std::string& yaml, const Expect& e = {}, const std::string& dir = "/") {
    std::string out;
    for (const auto& p : lessons::pod::judge(lessons::pod::parse(yaml), e, dir)) out += p + "\n";
    return out;
}

const char* const kGood = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile:
      type: Localhost
      localhostProfile: profiles/web.json
  containers:
  - name: web
    image: nginx:1.25
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
        add: [NET_BIND_SERVICE]
)";

Expect installed_expect() {
    Expect e;
    e.seccomp = "Localhost";
    e.profiles_under = "kubelet/seccomp";
    return e;
}

Expect restricted() {
    Expect e;
    e.seccomp = "Localhost";
    e.non_root = true;
    e.drop_all = true;
    e.add_only = std::vector<std::string>{"NET_BIND_SERVICE"};
    e.no_privilege_escalation = true;
    e.no_host = true;
    return e;
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("pod: a restricted Pod passes - container settings override the Pod's", "[lesson][pod]") {
    CHECK(problems(kGood, restricted()).empty());
    const auto parsed = lessons::pod::parse(kGood);
    REQUIRE(parsed.pod);
    REQUIRE(parsed.pod->containers.size() == 1);
    const auto& c = parsed.pod->containers[0];
    CHECK(c.seccomp_type == "Localhost"); // from the Pod
    CHECK(c.localhost_profile == "profiles/web.json");
    CHECK(c.run_as_user == 1000);
    // The container's own seccompProfile wins over the Pod's.
    const auto own = lessons::pod::parse(replaced(kGood, "      allowPrivilegeEscalation: false\n",
                                                  "      allowPrivilegeEscalation: false\n"
                                                  "      seccompProfile:\n"
                                                  "        type: Unconfined\n"));
    REQUIRE(own.pod);
    CHECK(own.pod->containers[0].seccomp_type == "Unconfined");
    CHECK_THAT(problems(replaced(kGood, "      allowPrivilegeEscalation: false\n",
                                 "      allowPrivilegeEscalation: false\n"
                                 "      seccompProfile:\n        type: Unconfined\n"),
                        restricted()),
               Catch::Contains("type is Unconfined"));
}

TEST_CASE("pod: what the API server refuses", "[lesson][pod]") {
    const Expect e = restricted();
    // Not a Pod: the securityContext lines alone, a Deployment, no containers.
    CHECK_THAT(problems("securityContext:\n  seccompProfile:\n    type: Localhost\n", e),
               Catch::Contains("unknown field of a Pod"));
    CHECK_THAT(problems(replaced(kGood, "kind: Pod", "kind: Deployment"), e),
               Catch::Contains("is not Pod"));
    CHECK_THAT(problems(replaced(kGood, "apiVersion: v1", "apiVersion: apps/v1"), e),
               Catch::Contains("apiVersion"));
    CHECK_THAT(
        problems("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n"),
        Catch::Contains("at least one container"));
    CHECK_THAT(problems(replaced(kGood, "    image: nginx:1.25\n", "")), Catch::Contains("image"));
    CHECK_THAT(problems(replaced(kGood, "name: web\nspec", "name: Web_1\nspec")),
               Catch::Contains("not a valid name"));
    // Types: a quoted number or boolean is a string.
    CHECK_THAT(problems(replaced(kGood, "runAsUser: 1000", "runAsUser: \"1000\""), e),
               Catch::Contains("is a string; the field is an integer"));
    CHECK_THAT(problems(replaced(kGood, "allowPrivilegeEscalation: false",
                                 "allowPrivilegeEscalation: 'false'"),
                        e),
               Catch::Contains("is a string; the field is a boolean"));
    // YAML 1.1 booleans are booleans.
    CHECK(problems(
              replaced(kGood, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: no"), e)
              .empty());
    // The right text in the wrong place: capabilities belong to a container.
    CHECK_THAT(problems(replaced(kGood, "    runAsNonRoot: true\n",
                                 "    runAsNonRoot: true\n    capabilities:\n      drop: [ALL]\n"),
                        e),
               Catch::Contains("spec.securityContext.capabilities"));
    // seccompProfile: the type's case, a missing or absolute localhostProfile.
    CHECK_THAT(problems(replaced(kGood, "type: Localhost", "type: localhost"), e),
               Catch::Contains("the case counts"));
    CHECK_THAT(problems(replaced(kGood, "      localhostProfile: profiles/web.json\n", ""), e),
               Catch::Contains("required with type Localhost"));
    CHECK_THAT(
        problems(replaced(kGood, "profiles/web.json", "/var/lib/kubelet/seccomp/profiles/web.json"),
                 e),
        Catch::Contains("not an absolute path"));
    CHECK_THAT(problems(replaced(kGood, "profiles/web.json", "../web.json"), e),
               Catch::Contains(".."));
    // Duplicate keys, broken YAML, two documents, an empty file.
    CHECK_THAT(problems(replaced(kGood, "    runAsUser: 1000\n",
                                 "    runAsUser: 1000\n    runAsUser: 0\n")),
               Catch::Contains("given twice"));
    CHECK_THAT(problems("a: [b\n"), Catch::Contains("not valid YAML"));
    CHECK_THAT(problems(std::string(kGood) + "---\n" + kGood), Catch::Contains("2 YAML documents"));
    CHECK_THAT(problems(""), Catch::Contains("empty"));
    CHECK_THAT(problems("# seccompProfile:\n#   type: Localhost\n"), Catch::Contains("empty"));
    // runAsNonRoot with uid 0.
    CHECK_THAT(problems(replaced(kGood, "runAsUser: 1000", "runAsUser: 0")),
               Catch::Contains("CreateContainerConfigError"));
}

TEST_CASE("pod: what the lesson asks, with the lazy answers", "[lesson][pod]") {
    const Expect e = restricted();
    CHECK_THAT(problems(replaced(kGood, "drop: [\"ALL\"]", "add: [\"ALL\"]"), e),
               Catch::Contains("does not drop ALL"));
    CHECK_THAT(problems(replaced(kGood, "add: [NET_BIND_SERVICE]", "add: [NET_RAW]"), e),
               Catch::Contains("adds NET_RAW"));
    // CAP_-prefixed names: containerd adds the prefix itself (CAP_CAP_NET_BIND_SERVICE).
    CHECK_THAT(
        problems(replaced(kGood, "add: [NET_BIND_SERVICE]", "add: [CAP_NET_BIND_SERVICE]"), e),
        Catch::Contains("without CAP_"));
    // Init containers run in the Pod too.
    CHECK_THAT(problems(replaced(kGood, "  containers:\n",
                                 "  initContainers:\n  - name: init\n    image: busybox\n"
                                 "    securityContext:\n      privileged: true\n  containers:\n"),
                        e),
               Catch::Contains("container \"init\" is privileged"));
    // Unquoted numbers are not strings; a uid beyond int32; SYS_ADMIN without escalation.
    CHECK_THAT(problems(replaced(kGood, "image: nginx:1.25", "image: 1.25")),
               Catch::Contains("quote it"));
    CHECK_THAT(problems(replaced(kGood, "runAsUser: 1000", "runAsUser: 4294967296")),
               Catch::Contains("between 0 and 2147483647"));
    CHECK_THAT(problems(replaced(kGood, "add: [NET_BIND_SERVICE]", "add: [SYS_ADMIN]")),
               Catch::Contains("SYS_ADMIN"));
    // A self-referencing alias does not hang or crash the check.
    CHECK_THAT(problems("a: &x [*x]\n"), !Catch::Contains("nothing"));
    // The exact profile, when the lesson names it.
    Expect exact;
    exact.seccomp = "Localhost";
    exact.localhost_profile = "profiles/other.json";
    CHECK_THAT(problems(kGood, exact), Catch::Contains("not the profile the task installed"));
    exact.localhost_profile = "profiles/web.json";
    CHECK(problems(kGood, exact).empty());
    // An empty localhostProfile is refused, not read past its end.
    CHECK_THAT(
        problems(replaced(kGood, "localhostProfile: profiles/web.json", "localhostProfile: \"\""),
                 installed_expect()),
        Catch::Contains("required with type Localhost"));
    CHECK_THAT(problems(replaced(kGood, "runAsUser: 1000", "runAsUser: 0").replace(0, 0, ""), e),
               Catch::Contains("runs as root"));
    CHECK_THAT(problems(replaced(kGood, "      allowPrivilegeEscalation: false\n", ""), e),
               Catch::Contains("may gain privileges"));
    CHECK_THAT(problems(replaced(kGood, "spec:\n", "spec:\n  hostNetwork: true\n"), e),
               Catch::Contains("hostNetwork"));
    CHECK_THAT(problems(replaced(kGood, "      allowPrivilegeEscalation: false\n",
                                 "      privileged: true\n"),
                        e),
               Catch::Contains("is privileged"));
    CHECK_THAT(
        problems(replaced(kGood, "type: Localhost", "type: RuntimeDefault").replace(0, 0, ""), e),
        Catch::Contains("localhostProfile"));

    // A localhostProfile must name an installed file when the lesson says where.
    char tmpl[] = "/tmp/sandbox-pod-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    const std::string dir = tmpl;
    Expect installed;
    installed.seccomp = "Localhost";
    installed.profiles_under = "kubelet/seccomp";
    CHECK_THAT(problems(kGood, installed, dir), Catch::Contains("names no file"));
    std::filesystem::create_directories(dir + "/kubelet/seccomp/profiles");
    std::ofstream(dir + "/kubelet/seccomp/profiles/web.json") << "{}";
    CHECK(problems(kGood, installed, dir).empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("predictions: exact NAME VERDICT pairs against the profile's verdicts",
          "[lesson][predictions]") {
    char tmpl[] = "/tmp/sandbox-predict-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    const std::string dir = tmpl;
    lessons::Check c;
    c.predictions = "p.txt";
    c.profile = "runtime-default";
    c.syscalls = {"unshare", "clone3", "getpid"};
    c.reason = "r";
    const auto verdict = [&](const std::string& text) {
        std::ofstream(dir + "/p.txt") << text;
        return lessons::check_predictions(c, dir);
    };
    CHECK(verdict("unshare EPERM\nclone3 ENOSYS\ngetpid ALLOW\n").passed);
    // Case and blanks as typed, comments and empty lines.
    CHECK(verdict("  Unshare eperm\n# comment\n\nclone3\tenosys  # libc falls back\ngetpid allow\n")
              .passed);
    const auto wrong = verdict("unshare EPERM\nclone3 EPERM\ngetpid ALLOW\n");
    CHECK_FALSE(wrong.passed);
    CHECK_THAT(wrong.slice, Catch::Contains("clone3"));
    CHECK_THAT(wrong.slice, !Catch::Contains("ENOSYS"));            // the answer is not given away
    CHECK_FALSE(verdict("unshare E\nclone3 E\ngetpid A\n").passed); // partial words
    CHECK_FALSE(verdict("unshare\nclone3\ngetpid\n").passed);       // no verdicts
    CHECK_FALSE(verdict("unshare EPERM clone3 ENOSYS getpid ALLOW\n").passed); // one line
    CHECK_FALSE(verdict("unshare EPERM\nclone3 ENOSYS\n").passed);             // one missing
    CHECK_FALSE(
        verdict("unshare EPERM\nclone3 ENOSYS\ngetpid ALLOW\ngetpid EPERM\n").passed); // twice
    CHECK_FALSE(verdict("").passed);
    std::filesystem::remove(dir + "/p.txt");
    CHECK_THAT(lessons::check_predictions(c, dir).slice, Catch::Contains("there is no p.txt"));
    std::filesystem::remove_all(dir);
}
