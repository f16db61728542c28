/* progress: see progress.h. */
#include "progress.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/timer.h"

/* The handler may only touch a lock-free atomic (C11 7.14.1.1). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free for the signal handler");

static atomic_int *interrupt_flag;

/* The first signal asks the work to stop (the flag); a second one, or one
 * while no flag is installed, ends the process cleanly. */
static void on_signal(int sig)
{
    atomic_int *flag = interrupt_flag;
    if (flag && !atomic_exchange_explicit(flag, 1, memory_order_acq_rel))
        return;
    afile_die_of_signal(sig); /* temp files of saves in progress go first */
}

static void install(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    /* SA_RESTART: a write or fsync of the model in progress completes
     * instead of failing with EINTR. */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_signals_default(void)
{
    interrupt_flag = NULL;
    install();
}

void cli_interrupt_install(atomic_int *flag)
{
    atomic_store(flag, 0);
    interrupt_flag = flag;
    install();
}

void cli_interrupt_remove(void)
{
    cli_signals_default();
}

void cli_bar_init(CliBar *b)
{
    b->tty = isatty(STDERR_FILENO);
    b->shown = 0;
    b->last = -1e30;
    b->t0 = timer_now();
}

void cli_bar_draw(CliBar *b, int force, const char *fmt, ...)
{
    if (!b->tty)
        return;
    double now = timer_now();
    if (!force && now - b->last < 0.1)
        return;
    b->last = now;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    b->shown = 1;
}

void cli_bar_clear(CliBar *b)
{
    if (b->tty && b->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    b->shown = 0;
}

void cli_fmt_duration(double seconds, char *buf, size_t size)
{
    if (!isfinite(seconds) || seconds < 0)
        seconds = 0;
    long s = lround(seconds);
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

void cli_fmt_eta(double elapsed, size_t done, size_t total, char *buf, size_t size)
{
    cli_fmt_duration(done ? elapsed * (double)(total - done) / (double)done : 0, buf, size);
}
