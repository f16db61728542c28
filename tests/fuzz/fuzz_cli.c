/* fuzz_cli: the zspace command line on arbitrary words. The input is split
 * at newlines into argv words after "zspace" and run through the binary's
 * own dispatcher (src/cli/main.c, built here as zspace_main) with
 * cli_parse_only set, so every command parses and checks its options and
 * returns before loading, training or writing anything.
 *
 * What must hold for every input: the exit status is 0 (parsed, or --help)
 * or 2 (usage error); a usage error says so on stderr as "zspace: ...";
 * a clean parse prints nothing on stderr; no message holds a NUL byte (no
 * argument can contain one, so a NUL is a formatting bug).
 * stdout and stderr are captured in memory streams per input.
 * Thread rule: single-threaded (libFuzzer calls one input at a time). */
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int zspace_main(int argc, char **argv);

enum { MAX_WORDS = 64 };

/* GNU getopt keeps the position inside a group of short options between
 * calls; a command that returned halfway through "-hx" would leave it
 * pointing into the previous input's (freed) words. optind = 0 makes the
 * next call start afresh, which a process parsing once never needs. */
static void getopt_reset(void)
{
    char arg0[] = "zspace";
    char *argv[] = {arg0, NULL};
    optind = 0;
    opterr = 0;
    while (getopt(1, argv, ":") != -1) {
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static char arg0[] = "zspace";
    char *argv[MAX_WORDS + 2];
    int argc = 0;
    argv[argc++] = arg0;
    for (char *p = text; argc <= MAX_WORDS;) {
        char *nl = strchr(p, '\n');
        argv[argc++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    if (size == 0)
        argc = 1; /* plain `zspace`: the explorer's defaults */
    argv[argc] = NULL;

    char *out = NULL, *err = NULL;
    size_t out_n = 0, err_n = 0;
    FILE *fo = open_memstream(&out, &out_n), *fe = open_memstream(&err, &err_n);
    if (!fo || !fe)
        abort();
    FILE *old_out = stdout, *old_err = stderr;
    stdout = fo;
    stderr = fe;
    cli_parse_only = true;
    getopt_reset();
    int rc = zspace_main(argc, argv);
    stdout = old_out;
    stderr = old_err;
    fclose(fo);
    fclose(fe);

    if (rc != EXIT_OK && rc != EXIT_USAGE)
        abort();
    if (rc == EXIT_USAGE && (err_n == 0 || strncmp(err, "zspace", 6) != 0))
        abort();
    if (rc == EXIT_OK && err_n != 0)
        abort();
    if (memchr(out, '\0', out_n) || memchr(err, '\0', err_n))
        abort();
    free(out);
    free(err);
    free(text);
    return 0;
}
