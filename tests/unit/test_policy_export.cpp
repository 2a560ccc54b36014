// SPDX-License-Identifier: Apache-2.0
// policy export / install: names, the Pod snippet and the SPO object as YAML (golden strings),
// and installing into a kubelet root.
#include <catch2/catch.hpp>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>

#include "policy/export.hpp"
#include "policy/load.hpp"
#include "report/policy_tools.hpp"
#include "util/error.hpp"

namespace {

class TempDir {
public:
    TempDir() {
        std::string tmpl = "/tmp/sandbox-export-test.XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int usage_code(const std::function<void()>& f) {
    try {
        f();
    } catch (const util::Error& e) {
        return e.exit_code();
    }
    return 0;
}

} // namespace

TEST_CASE("export: profile names from file names, and checked names", "[policy][export]") {
    CHECK(policy::default_profile_name("./My Profile.json") == "my-profile");
    CHECK(policy::default_profile_name("/x/ls.recorded.json") == "ls.recorded");
    CHECK(policy::default_profile_name("profile deny-mkdir") == "deny-mkdir");
    CHECK(policy::default_profile_name("___.json") == "profile");
    CHECK_NOTHROW(policy::check_profile_name("deny-mkdir.v2"));
    for (const char* bad : {"", "Bad", "a/b", "../x", "-x", "x-", "a b"})
        CHECK(usage_code([&] { policy::check_profile_name(bad); }) == util::exit_code::usage);
    CHECK(policy::localhost_profile("x") == "profiles/x.json");
}

TEST_CASE("export: the Pod snippet as YAML", "[policy][export]") {
    CHECK(report::to_yaml(policy::pod_snippet("profiles/deny-mkdir.json")) ==
          "securityContext:\n"
          "  seccompProfile:\n"
          "    type: Localhost\n"
          "    localhostProfile: profiles/deny-mkdir.json\n");
}

TEST_CASE("export: a SeccompProfile object in SPO's field names", "[policy][export]") {
    const auto p = policy::parse(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": [
          {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "comment": "io"},
          {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
           "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
          {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
          {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}}
        ]})",
                                 "t.json");
    const auto spo = policy::spo_object(p, "demo");
    CHECK(report::to_yaml(spo.object) == "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
                                         "kind: SeccompProfile\n"
                                         "metadata:\n"
                                         "  name: demo\n"
                                         "spec:\n"
                                         "  defaultAction: SCMP_ACT_ERRNO\n"
                                         "  architectures:\n"
                                         "  - SCMP_ARCH_X86_64\n"
                                         "  syscalls:\n"
                                         "  - names:\n"
                                         "    - read\n"
                                         "    - write\n"
                                         "    action: SCMP_ACT_ALLOW\n"
                                         "  - names:\n"
                                         "    - socket\n"
                                         "    action: SCMP_ACT_ERRNO\n"
                                         "    errnoRet: 13\n"
                                         "    args:\n"
                                         "    - index: 0\n"
                                         "      value: 2\n"
                                         "      op: SCMP_CMP_EQ\n"
                                         "  - names:\n"
                                         "    - clone\n"
                                         "    action: SCMP_ACT_ALLOW\n");
    REQUIRE(spo.dropped.size() == 2);
    CHECK(spo.dropped[0].find("syscalls[2] (mount)") != std::string::npos);
    CHECK(spo.dropped[0].find("left out") != std::string::npos);
    CHECK(spo.dropped[1].find("syscalls[3] (clone)") != std::string::npos);
    CHECK(spo.dropped[1].find("kept") != std::string::npos);
}

TEST_CASE("export: a MIPS archMap flattens into a set of architectures", "[policy][export]") {
    // Docker's MIPS entries name SCMP_ARCH_MIPS under several architectures: the CRD's list is a
    // set, and the API server refuses a repeated item.
    const auto p = policy::parse(R"({"defaultAction": "SCMP_ACT_ERRNO", "archMap": [
        {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
        {"architecture": "SCMP_ARCH_MIPS64", "subArchitectures": ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"]},
        {"architecture": "SCMP_ARCH_MIPS64N32", "subArchitectures": ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"]},
        {"architecture": "SCMP_ARCH_LOONGARCH64", "subArchitectures": null}]})",
                                 "mips.json");
    const auto e = policy::spo_object(p, "mips");
    const std::vector<std::string> arches = e.object["spec"]["architectures"];
    CHECK(arches == std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                                             "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS",
                                             "SCMP_ARCH_MIPS64N32"});
    // LOONGARCH64 is in the runtime-spec but not in the CRD's enum: left out, with a warning.
    const auto dropped = std::find_if(e.dropped.begin(), e.dropped.end(), [](const auto& d) {
        return d.find("SCMP_ARCH_LOONGARCH64 left out") != std::string::npos;
    });
    CHECK(dropped != e.dropped.end());
}

TEST_CASE("export: YAML quotes what would read as something else", "[policy][export]") {
    nlohmann::ordered_json j;
    j["a"] = "true";
    j["b"] = "1.5";
    j["c"] = "";
    j["d"] = "a b";
    j["e"] = nlohmann::ordered_json::array();
    j["f"] = "-x";
    j["g"] = "plain_value-1";
    CHECK(report::to_yaml(j) == "a: \"true\"\nb: \"1.5\"\nc: \"\"\nd: \"a b\"\ne: []\n"
                                "f: \"-x\"\ng: plain_value-1\n");
}

TEST_CASE("install: writes DIR/seccomp/profiles/NAME.json, keeps a different file unless forced",
          "[policy][install]") {
    TempDir root;
    const std::string kubelet = root.path() + "/kubelet";
    auto r = policy::install("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", kubelet, "p", false);
    CHECK(r.path == kubelet + "/seccomp/profiles/p.json");
    CHECK_FALSE(r.unchanged);
    CHECK(read(r.path) == "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");
    struct stat st {};
    REQUIRE(::stat(r.path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);

    r = policy::install("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", kubelet, "p", false);
    CHECK(r.unchanged);

    CHECK(usage_code([&] {
              policy::install("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", kubelet, "p", false);
          }) == util::exit_code::usage);
    CHECK(read(r.path) == "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}");

    r = policy::install("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", kubelet, "p", true);
    CHECK(r.replaced);
    CHECK(read(r.path) == "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}");
    // Nothing else is left in the directory (the temporary file was renamed).
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator(kubelet + "/seccomp/profiles"))
        ++files;
    CHECK(files == 1);
}

TEST_CASE("install: a root that cannot be created names the path and errno", "[policy][install]") {
    TempDir root;
    const std::string file = root.path() + "/file";
    std::ofstream(file) << "x";
    try {
        policy::install("{}", file + "/kubelet", "p", false);
        FAIL("no error");
    } catch (const util::Error& e) {
        CHECK(e.exit_code() == util::exit_code::usage);
        CHECK(std::string(e.what()).find(file) != std::string::npos);
        CHECK(std::string(e.what()).find("ENOTDIR") != std::string::npos);
        CHECK(e.hint().find("--kubelet-root") != std::string::npos);
    }
}
