// SPDX-License-Identifier: Apache-2.0
// ticker [THREADS]: a small multi-threaded service for attach tests. Each thread wakes every
// 20 ms and calls getppid; the main thread also sends itself SIGUSR1 (ignored) now and then.
// Prints "ready" once all threads run; runs until killed.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static void* tick(void* arg) {
    (void)arg;
    for (;;) {
        usleep(20000);
        syscall(SYS_getppid);
    }
    return NULL;
}

int main(int argc, char** argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 3;
    signal(SIGUSR1, SIG_IGN);
    for (int i = 0; i < threads; ++i) {
        pthread_t t;
        if (pthread_create(&t, NULL, tick, NULL) != 0) return 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        usleep(100000);
        kill(getpid(), SIGUSR1);
    }
}
