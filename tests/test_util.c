/* test_util: see test_util.h. */
#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[512];

static void cleanup(void)
{
    if (dir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
}

const char *tu_tmpdir(void)
{
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/zspace-test-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(cleanup);
    }
    return dir;
}

const char *tu_path(const char *name)
{
    static char bufs[8][768];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tu_tmpdir(), name);
    return b;
}

const char *tu_write(const char *name, const void *data, size_t len)
{
    const char *p = tu_path(name);
    FILE *f = fopen(p, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len)) {
        perror(p);
        exit(1);
    }
    fclose(f);
    return p;
}

static pid_t xvfb_pid;

static void xvfb_stop(void)
{
    if (xvfb_pid > 0) {
        kill(xvfb_pid, SIGTERM);
        waitpid(xvfb_pid, NULL, 0);
        xvfb_pid = 0;
    }
}

const char *tu_xvfb(void)
{
    static char display[32];
    if (display[0])
        return display;
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid < 0)
        return NULL;
    if (pid == 0) {
        close(fds[0]);
        char fd[16];
        snprintf(fd, sizeof fd, "%d", fds[1]);
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        execlp("Xvfb", "Xvfb", "-displayfd", fd, "-screen", "0", "1280x800x24", "-nolisten",
               "tcp", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[32] = {0};
    size_t n = 0;
    while (n < sizeof buf - 1) {
        ssize_t got = read(fds[0], buf + n, sizeof buf - 1 - n);
        if (got <= 0 || memchr(buf + n, '\n', (size_t)got))
            break;
        n += (size_t)got;
    }
    close(fds[0]);
    int num = atoi(buf);
    if (buf[0] < '0' || buf[0] > '9') {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return NULL;
    }
    xvfb_pid = pid;
    atexit(xvfb_stop);
    snprintf(display, sizeof display, ":%d", num);
    return display;
}

void tu_skip(const char *why)
{
    printf("SKIP: %s\n", why);
    exit(77);
}

void tu_assert_contains_at(const char *haystack, const char *needle, const char *file, int line)
{
    if (!haystack || !strstr(haystack, needle)) {
        print_error("expected \"%s\" in \"%s\"\n", needle, haystack ? haystack : "(null)");
        _fail(file, line);
    }
}
