// SPDX-License-Identifier: Apache-2.0
// N cheap syscalls (getppid): the per-syscall cost of tracing, with nothing else in the way.
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    for (long i = 0; i < n; ++i) syscall(SYS_getppid);
    return 0;
}
