// SPDX-License-Identifier: Apache-2.0
// The time-of-check/time-of-use race for lesson 11: why a seccomp supervisor cannot judge paths.
// Usage: race-demo DIR [N]. DIR holds file-A ("allowed") and file-S ("secret"); the lesson creates
// them, and the program creates DIR and the files if they are missing. The main thread opens the
// path in one buffer, "file-A", N times (default 2000), while a second thread keeps flipping the
// buffer's last byte between 'A' and 'S'. A tracer that reads the path from our memory at syscall
// entry logs one name; the kernel copies the path again later and may open the other file. For
// every call the program prints which file the kernel really opened (judged by its content), one
// "opened file-X" line per iteration, then a summary; the lesson compares the i-th openat line of
// the trace with the i-th "opened" line.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[] = "file-A";
static atomic_bool stop;

// A short busy wait, so each name stays in the buffer for a while (about as long as the other).
static void pause_briefly(void) {
    for (volatile int i = 0; i < 200; ++i) continue;
}

// Flip path[5] with single-byte stores: the string is always "file-A" or "file-S", never torn.
static void* flipper(void* arg) {
    (void)arg;
    volatile char* last = &path[5];
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        *last = 'S';
        pause_briefly();
        *last = 'A';
        pause_briefly();
    }
    return NULL;
}

// Create name with content unless it exists. The file is written under a temporary name and
// renamed, so no openat of "file-A"/"file-S" other than the race's own shows up in a trace.
static int ensure_file(const char* name, const char* content) {
    if (access(name, F_OK) == 0) return 0;
    FILE* f = fopen(".race-demo.tmp", "w");
    if (!f) return -1;
    fputs(content, f);
    if (fclose(f) != 0) return -1;
    return rename(".race-demo.tmp", name);
}

// Keep this thread on the CPU it runs on and start the flipper on another one, if there is one. A
// seccomp supervisor and the opener take turns on one CPU (the kernel wakes the supervisor where
// the opener waits); a flipper sharing that CPU would hardly ever run inside the race window.
static void split_cpus(pthread_attr_t* flipper_attr) {
    cpu_set_t allowed, mine, other;
    int me = sched_getcpu();
    if (me < 0 || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    CPU_ZERO(&mine);
    CPU_ZERO(&other);
    CPU_SET(me, &mine);
    for (int cpu = 0; cpu < CPU_SETSIZE && CPU_COUNT(&other) == 0; ++cpu) {
        if (cpu != me && CPU_ISSET(cpu, &allowed)) CPU_SET(cpu, &other);
    }
    if (CPU_COUNT(&other) == 0) return; // one CPU only: the scheduler decides
    sched_setaffinity(0, sizeof mine, &mine);
    pthread_attr_setaffinity_np(flipper_attr, sizeof other, &other);
}

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: race-demo DIR [N]\n");
        return 2;
    }
    long n = argc == 3 ? strtol(argv[2], NULL, 10) : 2000;
    if (n <= 0) {
        fprintf(stderr, "race-demo: N must be a positive number\n");
        return 2;
    }
    mkdir(argv[1], 0755);
    if (chdir(argv[1]) != 0) {
        fprintf(stderr, "race-demo: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (ensure_file("file-A", "allowed\n") != 0 || ensure_file("file-S", "secret\n") != 0) {
        fprintf(stderr, "race-demo: cannot create file-A/file-S: %s\n", strerror(errno));
        return 1;
    }

    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    split_cpus(&attr);
    pthread_t t;
    if (pthread_create(&t, &attr, flipper, NULL) != 0) {
        fprintf(stderr, "race-demo: pthread_create failed\n");
        return 1;
    }
    pthread_attr_destroy(&attr);
    long opened_a = 0, opened_s = 0, failed = 0;
    for (long i = 0; i < n; ++i) {
        int fd = openat(AT_FDCWD, path, O_RDONLY);
        if (fd < 0) {
            printf("open failed: %s\n", strerror(errno));
            ++failed;
            continue;
        }
        char c = 0;
        ssize_t got = read(fd, &c, 1);
        close(fd);
        if (got == 1 && c == 'a') {
            puts("opened file-A");
            ++opened_a;
        } else if (got == 1 && c == 's') {
            puts("opened file-S");
            ++opened_s;
        } else {
            puts("open failed: unexpected content");
            ++failed;
        }
    }
    atomic_store(&stop, true);
    pthread_join(t, NULL);
    printf("kernel opened A: %ld times, S: %ld times, failed: %ld times\n", opened_a, opened_s,
           failed);
    fflush(stdout);
    return 0;
}
