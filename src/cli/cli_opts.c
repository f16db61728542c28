/* cli_opts: see cli_opts.h. */
#include "cli_opts.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "data/dataset.h"

/* Long options without a letter get values past any character, so getopt
 * can tell them apart from short ones and cli_bad_option from letters. */
enum { LONG_ONLY = 256 };

static int takes_value(const CliOpt *o)
{
    return o->kind != CLI_OPT_FLAG;
}

/* Store arg as option o asks; EXIT_OK or a printed usage error. */
static int store(const char *cmd, const CliOpt *o, const char *arg)
{
    char opt[64];
    snprintf(opt, sizeof opt, "--%s", o->name);
    switch (o->kind) {
    case CLI_OPT_FLAG: *(bool *)o->dst = true; return EXIT_OK;
    case CLI_OPT_STRING: *(const char **)o->dst = arg; return EXIT_OK;
    case CLI_OPT_LONG: return cli_parse_long(cmd, opt, arg, o->lmin, o->lmax, o->dst);
    case CLI_OPT_DOUBLE: return cli_parse_double(cmd, opt, arg, o->dmin, o->dmax, o->dst);
    case CLI_OPT_CALL: return o->fn(cmd, opt, arg, o->dst);
    }
    return EXIT_USAGE;
}

int cli_parse_opts(const char *cmd, int argc, char **argv, int first, const CliOpt *opts,
                   void (*help)(void), int *operands)
{
    /* The getopt tables: every spec, then help; ':' first in the letters so a
     * missing value comes back as ':' and not as '?'. */
    struct option lo[CLI_MAX_OPTS + 2];
    char letters[3 * CLI_MAX_OPTS + 4] = ":";
    size_t nl = 1;
    int n = 0;
    for (; opts[n].name; n++) {
        if (n == CLI_MAX_OPTS) {
            fprintf(stderr, "zspace: %s: more than %d options in its table\n", cmd, CLI_MAX_OPTS);
            abort(); /* a programming error, caught by any test of the command */
        }
        const CliOpt *o = &opts[n];
        lo[n] = (struct option){o->name, takes_value(o) ? required_argument : no_argument, NULL,
                                o->letter ? o->letter : LONG_ONLY + n};
        if (o->letter) {
            letters[nl++] = o->letter;
            if (takes_value(o))
                letters[nl++] = ':';
        }
    }
    lo[n] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n + 1] = (struct option){0, 0, 0, 0};
    letters[nl++] = 'h';
    letters[nl] = '\0';

    cli_getopt_begin(first);
    int c;
    while ((c = operands ? getopt_long(argc, argv, letters, lo, NULL)
                         : cli_getopt(argc, argv, letters, lo)) != -1) {
        if (c == 'h') {
            help();
            return CLI_HELP;
        }
        int i = c >= LONG_ONLY ? c - LONG_ONLY : 0;
        if (c < LONG_ONLY)
            while (i < n && opts[i].letter != c)
                i++;
        if (c == '?' || c == ':' || c == CLI_OPT_OPERAND || i >= n)
            return cli_bad_option(cmd, c, argv);
        if (store(cmd, &opts[i], optarg) != EXIT_OK)
            return EXIT_USAGE;
    }
    if (operands)
        *operands = optind;
    return EXIT_OK;
}

int cli_opt_precision(const char *cmd, const char *opt, const char *arg, void *dst)
{
    if (nn_precision_parse(arg, dst))
        return cli_usage(cmd, "%s '%s': expected auto, fp32 or bf16", opt, arg);
    return EXIT_OK;
}

int cli_check_dataset(const char *cmd, const char *name)
{
    if (name && !dataset_find(name))
        return cli_usage(cmd, "--dataset '%s': expected mnist or fashion", name);
    return EXIT_OK;
}

int cli_opt_dataset(const char *cmd, const char *opt, const char *arg, void *dst)
{
    (void)opt;
    if (cli_check_dataset(cmd, arg))
        return EXIT_USAGE;
    *(const char **)dst = arg;
    return EXIT_OK;
}
