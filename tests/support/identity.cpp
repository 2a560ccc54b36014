// SPDX-License-Identifier: Apache-2.0
#include "support/identity.hpp"
#include "support/skip.hpp"

#include <unistd.h>

namespace testsupport {

void require_identity(Who who) {
    if (who == Who::nobody) {
        if (::getuid() != 0 && ::getuid() != nobody_uid)
            skip_test("running a command as uid 65534 needs root (or running the tests as 65534)");
        if (!userns_available_for(nobody_uid))
            skip_test("uid 65534 cannot create a user namespace with a usable mount namespace "
                      "(user.max_user_namespaces, kernel.unprivileged_userns_clone or "
                      "kernel.apparmor_restrict_unprivileged_userns)");
    } else if (::getuid() != 0 && !userns_available_for(::getuid())) {
        skip_test("uid " + std::to_string(::getuid()) +
                  " cannot create a user namespace with a usable mount namespace");
    }
}

void require_root(const std::string& why) {
    if (::getuid() != 0) skip_test("needs root: " + why);
}

RunOptions as(Who who) {
    RunOptions o;
    o.as_nobody = who == Who::nobody;
    return o;
}

RunResult sandbox(const std::string& sandbox_bin, Who who, std::vector<std::string> args,
                  RunOptions opts) {
    opts.as_nobody = who == Who::nobody;
    args.insert(args.begin(), sandbox_bin);
    return run(args, opts);
}

} // namespace testsupport
