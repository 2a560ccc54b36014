// SPDX-License-Identifier: Apache-2.0
// old_runtime: run a command under the seccomp filter of a container runtime that predates
// clone3, as sandbox meets it inside such a container. clone3 fails with ENOSYS (Docker's default
// profile before 20.10.10, and runc's stub for calls newer than a profile); with --docker, clone
// and unshare with namespace flags also fail with EPERM, as Docker's default does without
// CAP_SYS_ADMIN (clone: arg0 & 0x7e020000 must be 0).
//
//   old_runtime [--docker] COMMAND [ARGS...]
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
    int first = 1;
    int docker = 0;
    if (argc > 1 && strcmp(argv[1], "--docker") == 0) {
        docker = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: old_runtime [--docker] COMMAND [ARGS...]\n");
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) return 1;
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (rc == 0 && docker) {
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, 0x7e020000, 0x7e020000));
        // MASKED_EQ with the mask as the value is "all bits set"; any one bit is a rule each.
        const unsigned long flags[] = {0x02000000, 0x04000000, 0x08000000, 0x10000000,
                                       0x20000000, 0x40000000, 0x00020000};
        for (unsigned i = 0; rc == 0 && i < sizeof flags / sizeof flags[0]; ++i)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                  SCMP_A0(SCMP_CMP_MASKED_EQ, flags[i], flags[i]));
        if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 0);
    }
    if (rc == 0) rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc != 0) {
        fprintf(stderr, "old_runtime: installing the filter: %s\n", strerror(-rc));
        return 1;
    }
    execvp(argv[first], argv + first);
    fprintf(stderr, "old_runtime: %s: %s\n", argv[first], strerror(errno));
    return 127;
}
