// SPDX-License-Identifier: Apache-2.0
// The workload of lesson 12's final lab: a tiny file server that also misbehaves, silently.
// Usage: suspicious-service WWWDIR [SIDECAR_PID]. Before it serves, it tries four things a file
// server has no business doing, and ignores whether they fail: it sends SIGTERM to SIDECAR_PID (a
// sibling), creates a user namespace, opens /etc/shadow and opens a raw ICMP socket. None of this
// is printed: the learner finds it with the tracer and stops each with the layer that can. Then it
// listens on 127.0.0.1:8080, forks a client that fetches /index.html, answers that one request
// from WWWDIR (created with a default index.html if missing) and exits with the client's status.
// Its only output is the client's line, "served /index.html: <first line of the page>".
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORT 8080
#define REQUEST "GET /index.html HTTP/1.0\r\n\r\n"
#define DEFAULT_PAGE "<h1>hello from the suspicious service</h1>\n"

static _Noreturn void fail(const char* what) {
    fprintf(stderr, "suspicious-service: %s: %s\n", what, strerror(errno));
    exit(1);
}

// The four things to find in the trace. Every failure is ignored on purpose.
static void misbehave(const char* sidecar) {
    if (sidecar) {
        long pid = strtol(sidecar, NULL, 10);
        if (pid > 0) kill((pid_t)pid, SIGTERM); // signal a sibling process
    }
    unshare(CLONE_NEWUSER);                 // try to become "root" in a new user namespace
    int fd = open("/etc/shadow", O_RDONLY); // read the password hashes
    if (fd >= 0) {
        char buf[64];
        if (read(fd, buf, sizeof buf) < 0) buf[0] = 0;
        close(fd);
    }
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); // craft packets, e.g. to ping around
    if (raw >= 0) close(raw);
}

static int write_all(int fd, const char* data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

// Create WWWDIR/index.html with a default page unless it is there already.
static void prepare_www(const char* dir) {
    char index[4096];
    snprintf(index, sizeof index, "%s/index.html", dir);
    if (access(index, F_OK) == 0) return;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) fail(dir);
    int fd = open(index, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail(index);
    if (write_all(fd, DEFAULT_PAGE, strlen(DEFAULT_PAGE)) != 0 || close(fd) != 0) fail(index);
}

static struct sockaddr_in loopback_8080(void) {
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

// The client child: fetch /index.html and print the first line of the page. Returns the exit code.
static int client(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = loopback_8080();
    if (fd < 0 || connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) {
        printf("request failed: connect: %s\n", strerror(errno));
        return 1;
    }
    if (write_all(fd, REQUEST, strlen(REQUEST)) != 0) {
        printf("request failed: send: %s\n", strerror(errno));
        return 1;
    }
    static char response[65536];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof response - 1 && (n = read(fd, response + len, sizeof response - 1 - len))) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            printf("request failed: receive: %s\n", strerror(errno));
            return 1;
        }
        len += (size_t)n;
    }
    close(fd);
    response[len] = 0;
    char* body = strstr(response, "\r\n\r\n");
    response[strcspn(response, "\r\n")] = 0; // cut the status line
    if (strcmp(response, "HTTP/1.0 200 OK") != 0 || !body) {
        printf("request failed: %s\n", len ? response : "empty response");
        return 1;
    }
    body += 4;
    body[strcspn(body, "\n")] = 0;
    printf("served /index.html: %s\n", body);
    return 0;
}

// Answer one request on conn: the file under dir, or 404 for anything else. Returns 0, or -1 with
// errno set and the file it could not open in failed.
static int serve(int conn, const char* dir, char* failed, size_t failed_size) {
    char request[2048];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof request - 1 &&
           (n = read(conn, request + len, sizeof request - 1 - len)) > 0) {
        len += (size_t)n;
        request[len] = 0;
        if (strstr(request, "\r\n\r\n")) break;
    }
    request[len] = 0;

    char method[16], target[1024];
    int fd = -1;
    if (sscanf(request, "%15s %1023s", method, target) == 2 && strcmp(method, "GET") == 0 &&
        target[0] == '/' && !strstr(target, "..")) {
        char file[4096];
        snprintf(file, sizeof file, "%s%s", dir, target);
        fd = open(file, O_RDONLY);
        if (fd < 0 && errno != ENOENT && errno != ENOTDIR && errno != EISDIR) {
            snprintf(failed, failed_size, "%s", file);
            return -1;
        }
    }
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const char* reply = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        write_all(conn, reply, strlen(reply));
        if (fd >= 0) close(fd);
        return 0;
    }
    char header[128];
    int hlen = snprintf(header, sizeof header, "HTTP/1.0 200 OK\r\nContent-Length: %lld\r\n\r\n",
                        (long long)st.st_size);
    write_all(conn, header, (size_t)hlen);
    char buf[4096];
    while ((n = read(fd, buf, sizeof buf)) > 0) write_all(conn, buf, (size_t)n);
    close(fd);
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: suspicious-service WWWDIR [SIDECAR_PID]\n");
        return 2;
    }
    const char* dir = argv[1];
    misbehave(argc == 3 ? argv[2] : NULL);

    prepare_www(dir);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) fail("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = loopback_8080();
    if (bind(listener, (struct sockaddr*)&addr, sizeof addr) != 0) fail("bind 127.0.0.1:8080");
    if (listen(listener, 1) != 0) fail("listen");

    fflush(NULL);
    pid_t child = fork();
    if (child < 0) fail("fork");
    if (child == 0) {
        close(listener);
        exit(client());
    }
    char what[4096] = "accept";
    int conn = accept(listener, NULL, NULL);
    int served = conn >= 0 ? serve(conn, dir, what, sizeof what) : -1;
    int saved_errno = errno;
    // Closing the sockets ends the client's wait for an answer, so it exits even after a failure.
    if (conn >= 0) close(conn);
    close(listener);
    int status;
    pid_t waited = waitpid(child, &status, 0);
    if (served != 0) {
        errno = saved_errno;
        fail(what);
    }
    if (waited != child) fail("waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
