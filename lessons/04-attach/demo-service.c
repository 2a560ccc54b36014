// SPDX-License-Identifier: Apache-2.0
// A small multi-threaded "service" for lesson 4. The main thread waits for its workers; a
// worker thread wakes up every 50 ms and calls getppid; another one sends the process SIGUSR2 every
// 200 ms (and handles it). Which thread is it, and which signal? Attach and find out.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t received;

static void on_signal(int sig) {
    (void)sig;
    ++received;
}

static void* poller(void* arg) {
    (void)arg;
    for (;;) {
        usleep(50000);
        syscall(SYS_getppid);
    }
    return NULL;
}

static void* signaller(void* arg) {
    (void)arg;
    for (;;) {
        usleep(200000);
        kill(getpid(), SIGUSR2);
    }
    return NULL;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);
    pthread_t a, b;
    pthread_create(&a, NULL, poller, NULL);
    pthread_create(&b, NULL, signaller, NULL);
    printf("demo-service running as pid %d\n", getpid());
    fflush(stdout);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
