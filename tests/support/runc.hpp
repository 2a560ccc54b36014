// SPDX-License-Identifier: Apache-2.0
#pragma once
// runc as the reference: a minimal OCI bundle whose linux.seccomp is the profile under test, and
// what Docker hands runc for a profile (includes/excludes and archMap evaluated). The tests that
// compare sandbox with the runtime (test_runc.cpp, test_runc_differential.cpp) share these.
#include "support/files.hpp"
#include "support/process.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace testsupport {

// runc's path, or "" when it is not installed.
std::string find_runc();

// The probe's "label: answer" lines as a map.
std::map<std::string, std::string> answers(const std::string& out);

// What Docker hands to runc: the profile with its includes/excludes evaluated for a container
// with none of the capabilities they name on this kernel and architecture (runc does not know
// these keys), archMap's native entry turned into architectures, "name" into "names", and
// sandbox's own keys left out.
nlohmann::json as_runtime_sees_it(nlohmann::json profile);

class Bundle {
public:
    // `probe` is the probe helper's path: its directory is bound into the container.
    Bundle(const std::string& runc, const std::string& probe);
    Bundle(const Bundle&) = delete;
    Bundle& operator=(const Bundle&) = delete;

    // Runs args in a new container under `seccomp` (null: none). runc installs the filter right
    // before execve with no_new_privs (runc spec's default), and earlier, before it sets the
    // process's ids and capabilities, without (Docker's and the kubelet's default).
    RunResult run(const std::vector<std::string>& args, const nlohmann::json& seccomp,
                  bool no_new_privs = true);

    [[nodiscard]] const std::string& runc() const { return runc_; }

private:
    std::string runc_;
    TempDir dir_; // the bundle directory, removed with the Bundle
    std::vector<std::string> extra_binds_;
    int runs_ = 0;
};

// The Bundle, or the test is skipped with the reason (runc missing, not root, no container).
std::unique_ptr<Bundle> require_runc(const std::string& probe);

// runc's version ("1.1.5"), from `runc --version`.
std::string runc_version(const Bundle& bundle);

} // namespace testsupport
