// SPDX-License-Identifier: Apache-2.0
// T threads, each making N cheap syscalls concurrently.
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long per_thread;

static void* work(void* arg) {
    (void)arg;
    for (long i = 0; i < per_thread; ++i) syscall(SYS_getppid);
    return NULL;
}

int main(int argc, char** argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 8;
    per_thread = argc > 2 ? atol(argv[2]) : 25000;
    pthread_t t[256];
    if (threads < 1 || threads > 256) return 2;
    for (int i = 0; i < threads; ++i)
        if (pthread_create(&t[i], NULL, work, NULL) != 0) return 1;
    for (int i = 0; i < threads; ++i) pthread_join(t[i], NULL);
    return 0;
}
