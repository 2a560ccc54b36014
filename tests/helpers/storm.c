// SPDX-License-Identifier: Apache-2.0
// storm N [restart|norestart]: make N getppid calls while a child process showers us with
// SIGUSR1, so that signals keep interrupting calls that wait for the notify supervisor.
// Prints "calls=C interrupted=I signals=S": C getppid instructions executed (a call that failed
// with EINTR and was retried counts twice: the program made it twice).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t signals;

static void on_usr1(int sig) {
    (void)sig;
    ++signals;
}

int main(int argc, char** argv) {
    long n = argc > 1 ? atol(argv[1]) : 2000;
    int restart = !(argc > 2 && strcmp(argv[2], "norestart") == 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &sa, NULL);

    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
        for (;;) {
            if (kill(parent, SIGUSR1) != 0) _exit(0);
            usleep(50);
        }
    }
    long calls = 0, interrupted = 0;
    for (long done = 0; done < n;) {
        ++calls;
        if (syscall(SYS_getppid) < 0 && errno == EINTR) {
            ++interrupted;
            continue;
        }
        ++done;
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    printf("calls=%ld interrupted=%ld signals=%d\n", calls, interrupted, (int)signals);
    return 0;
}
