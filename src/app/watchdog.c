/* watchdog: see watchdog.h. The handler only calls async-signal-safe
 * functions (write, backtrace_symbols_fd, abort) plus backtrace(), whose
 * first call may load libgcc and allocate: watchdog_start calls it once so
 * the handler's call does neither. */
#include "watchdog.h"

#include <errno.h>
#include <execinfo.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef ZSPACE_WATCHDOG_DEFAULT
#define ZSPACE_WATCHDOG_DEFAULT 0
#endif

#define WATCHDOG_SIGNAL SIGUSR2
#define POLL_MS 100

/* What the handler prints before and after the stack: written at start. */
static char alarm_msg[160], alarm_tail[4200];
static size_t alarm_len, alarm_tail_len;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_alarm(int sig)
{
    (void)sig;
    void *frames[64];
    ssize_t wr = write(STDERR_FILENO, alarm_msg, alarm_len);
    (void)wr;
    int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, STDERR_FILENO);
    wr = write(STDERR_FILENO, alarm_tail, alarm_tail_len);
    (void)wr;
    abort();
}

double watchdog_limit_from_env(void)
{
    const char *s = getenv("ZSPACE_WATCHDOG");
    if (s && *s) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (errno == 0 && *end == '\0' && isfinite(v) && v >= 0)
            return v;
    }
    return ZSPACE_WATCHDOG_DEFAULT;
}

/* The monitor counts a frame's time in its own polls, each worth at most
 * two poll intervals: a process stopped in a debugger or by SIGSTOP (every
 * thread still, the clock running) does not count as a frozen frame. */
static void *monitor(void *arg)
{
    Watchdog *w = arg;
    long long limit_ms = (long long)(w->limit * 1000);
    long long watching = 0, counted = 0, last = now_ms();
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += POLL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
        long long t = now_ms(), gap = t - last;
        last = t;
        long long start = atomic_load(&w->frame_start);
        if (start != watching) { /* a new frame, or none */
            watching = start;
            counted = start ? t - start : 0;
            continue;
        }
        counted += gap < 2 * POLL_MS ? gap : 2 * POLL_MS;
        if (w->stop || start == 0 || counted <= limit_ms)
            continue;
        /* the UI thread prints its own stack; if it cannot take the
         * signal within a second, abort from here */
        pthread_kill(w->watched, WATCHDOG_SIGNAL);
        pthread_mutex_unlock(&w->mu);
        sleep(1);
        static const char late[] = "zspace: watchdog: the UI thread did not take the signal\n";
        ssize_t wr = write(STDERR_FILENO, late, sizeof late - 1);
        (void)wr;
        abort();
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int watchdog_start(Watchdog *w, double seconds, Err *e)
{
    memset(w, 0, sizeof *w);
    if (!(seconds > 0))
        return ERR_OK;
    w->limit = seconds;
    w->watched = pthread_self();
    snprintf(alarm_msg, sizeof alarm_msg,
             "zspace: watchdog: a frame of the window ran for more than %.1f s "
             "(ZSPACE_WATCHDOG); the UI thread was here:\n", seconds);
    alarm_len = strlen(alarm_msg);
    /* static functions have no names above: the offsets (+0x...) do */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    snprintf(alarm_tail, sizeof alarm_tail,
             "zspace: watchdog: name the +0x offsets with: addr2line -f -e %s OFFSET...\n",
             n > 0 ? exe : "BINARY");
    alarm_tail_len = strlen(alarm_tail);
    void *warm[4];
    (void)backtrace(warm, 4); /* loads the unwinder now, not in the handler */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    if (sigaction(WATCHDOG_SIGNAL, &sa, NULL) != 0)
        return err_set(e, ERR_IO, "watchdog: cannot install its signal handler: %s",
                       strerror(errno));
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_store(&w->frame_start, 0);
    int rc = pthread_create(&w->monitor, NULL, monitor, w);
    if (rc != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        return err_set(e, ERR_IO, "watchdog: cannot start its thread: %s", strerror(rc));
    }
    w->running = true;
    return ERR_OK;
}

void watchdog_frame_begin(Watchdog *w)
{
    if (w->running)
        atomic_store(&w->frame_start, now_ms());
}

void watchdog_frame_end(Watchdog *w)
{
    if (w->running)
        atomic_store(&w->frame_start, 0);
}

void watchdog_stop(Watchdog *w)
{
    if (!w->running)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->monitor, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->running = false;
}
