/* progress: the long-running commands' shared terminal manners (train, eval).
 *
 * A CliBar redraws one status line on stderr, at most ~10 times a second,
 * and only when stderr is a terminal (otherwise every call is a no-op, so
 * logs and pipes get plain lines from the command itself). The interrupt
 * hook turns the first SIGINT/SIGTERM into a flag the libraries poll as
 * their cancel hook; a second Ctrl-C (or any while no flag is installed)
 * deletes the temporary files of saves in progress and kills the process
 * the usual way (afile_unlink_temps). Thread rule: main thread only (the flag itself is
 * an atomic and may be read anywhere). */
#ifndef ZSPACE_CLI_PROGRESS_H
#define ZSPACE_CLI_PROGRESS_H

#include <stdatomic.h>
#include <stddef.h>

/* Exit status after an interrupt: 128 + SIGINT, what shells expect. */
enum { EXIT_INTERRUPTED = 130 };

typedef struct {
    int tty;     /* stderr is a terminal */
    int shown;   /* a line is on screen */
    double last; /* time of the last redraw */
    double t0;   /* time of cli_bar_init: the start of the work shown */
} CliBar;

void cli_bar_init(CliBar *b);
/* Redraw the line (printf-style) unless the last redraw was < 0.1 s ago;
 * force != 0 redraws anyway. */
void cli_bar_draw(CliBar *b, int force, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Erase the line, so ordinary output can follow. */
void cli_bar_clear(CliBar *b);
/* "1:05:09", "4:07", "0:03" into buf. */
void cli_fmt_duration(double seconds, char *buf, size_t size);
/* The time left, as cli_fmt_duration, if the rest of total goes at the rate
 * done went in elapsed seconds ("0:00" while done is 0). */
void cli_fmt_eta(double elapsed, size_t done, size_t total, char *buf, size_t size);

/* SIGINT/SIGTERM: delete the temporary files of saves in progress, then die
 * of the signal. main() installs it for every command but the explorer
 * (whose window library handles Ctrl-C itself). */
void cli_signals_default(void);
/* Clear *flag; the first SIGINT/SIGTERM sets it to 1, the next one acts as
 * above. */
void cli_interrupt_install(atomic_int *flag);
/* Back to cli_signals_default. */
void cli_interrupt_remove(void);

#endif
