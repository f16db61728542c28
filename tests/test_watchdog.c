/* test_watchdog: the UI thread's watchdog turns a frozen frame into an
 * abort with a backtrace of the spinning code, and leaves frames that end
 * alone. The freeze runs in a forked child (which the watchdog kills); the
 * parent reads its stderr and exit status. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/watchdog.h"
#include "core/timer.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1 /* TSan defers signals to its interceptors: the monitor aborts instead */
#else
#define UNDER_TSAN 0
#endif

/* Exported (the test links with -rdynamic) so the backtrace can name it. The
 * bound only keeps a broken watchdog from hanging the test. */
volatile double spin_sink;
void watchdog_test_spin(double seconds)
{
    double end = timer_now() + seconds;
    while (timer_now() < end)
        for (int i = 0; i < 100000; i++)
            spin_sink += 1e-9;
}

/* Run body in a child with stderr to a pipe; returns the wait status and
 * fills err (NUL-terminated). */
static int in_child(void (*body)(void), char *err, size_t size)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDERR_FILENO);
        body();
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t got;
    while (n + 1 < size && (got = read(fd[0], err + n, size - 1 - n)) > 0)
        n += (size_t)got;
    err[n] = '\0';
    close(fd[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void frozen_frame(void)
{
    Watchdog w;
    Err e = {0};
    if (watchdog_start(&w, 0.5, &e) != ERR_OK)
        _exit(3);
    watchdog_frame_begin(&w);
    watchdog_test_spin(20); /* the watchdog ends this after 0.5 s */
    watchdog_frame_end(&w);
    watchdog_stop(&w);
    _exit(4);
}

static void test_freeze_aborts(void **state)
{
    (void)state;
    char err[16384];
    double t0 = timer_now();
    int st = in_child(frozen_frame, err, sizeof err);
    double took = timer_now() - t0;
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGABRT);
    assert_true(took < 10); /* not the spin's own 20 s bound */
    print_message("child's stderr:\n%s", err);
    if (UNDER_TSAN && strstr(err, "did not take the signal"))
        return;
    assert_non_null(strstr(err, "zspace: watchdog: a frame of the window ran for more than 0.5 s"));
    assert_non_null(strstr(err, "watchdog_test_spin")); /* where it spun */
}

static void quick_frames(void)
{
    Watchdog w;
    Err e = {0};
    if (watchdog_start(&w, 0.4, &e) != ERR_OK)
        _exit(3);
    for (int i = 0; i < 10; i++) {
        watchdog_frame_begin(&w);
        watchdog_test_spin(0.1);
        watchdog_frame_end(&w);
        watchdog_test_spin(0.5); /* between frames (an idle wait) nothing is watched */
    }
    watchdog_stop(&w);
    _exit(0);
}

static void test_frames_that_end(void **state)
{
    (void)state;
    char err[4096];
    int st = in_child(quick_frames, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_string_equal(err, "");
}

static void stopped_frame(void)
{
    Watchdog w;
    Err e = {0};
    if (watchdog_start(&w, 1.0, &e) != ERR_OK)
        _exit(3);
    watchdog_frame_begin(&w);
    watchdog_test_spin(0.5); /* stopped for 1.5 s in the middle (a debugger) */
    watchdog_frame_end(&w);
    watchdog_stop(&w);
    _exit(0);
}

/* SIGSTOP holds every thread while the clock runs on: not a freeze. */
static void test_stopped_process(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        stopped_frame();
    struct timespec d = {0, 150 * 1000000L};
    nanosleep(&d, NULL);
    kill(pid, SIGSTOP);
    d.tv_sec = 1;
    d.tv_nsec = 500 * 1000000L;
    nanosleep(&d, NULL);
    kill(pid, SIGCONT);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_off(void **state)
{
    (void)state;
    Watchdog w;
    Err e = {0};
    assert_int_equal(watchdog_start(&w, 0, &e), ERR_OK);
    assert_false(w.running);
    watchdog_frame_begin(&w);
    watchdog_frame_end(&w);
    watchdog_stop(&w);
    setenv("ZSPACE_WATCHDOG", "2.5", 1);
    assert_true(watchdog_limit_from_env() == 2.5);
    setenv("ZSPACE_WATCHDOG", "0", 1);
    assert_true(watchdog_limit_from_env() == 0);
    setenv("ZSPACE_WATCHDOG", "-1", 1); /* ignored: the build's default */
    double dflt = watchdog_limit_from_env();
    setenv("ZSPACE_WATCHDOG", "soon", 1);
    assert_true(watchdog_limit_from_env() == dflt);
    unsetenv("ZSPACE_WATCHDOG");
    assert_true(watchdog_limit_from_env() == dflt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_freeze_aborts),
        cmocka_unit_test(test_frames_that_end),
        cmocka_unit_test(test_stopped_process),
        cmocka_unit_test(test_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
