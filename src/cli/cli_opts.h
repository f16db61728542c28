/* cli_opts: a command's options as a table of specs, and the one parser that
 * runs getopt_long over them. A command lists what each option is (a flag, a
 * string, a whole number or a number in a range, or a callback for anything
 * more) and where its value goes; the parser builds the getopt tables, checks
 * every value with cli_parse_long / cli_parse_double (so every command words
 * its range errors alike) and handles --help, unknown options, missing values
 * and leftover words the same way for all. Checks that involve several
 * options (exclusions, "missing -m") stay with the command, after the parse. */
#ifndef ZSPACE_CLI_CLI_OPTS_H
#define ZSPACE_CLI_CLI_OPTS_H

#include <limits.h>
#include <stdbool.h>

#include "nn/gemm.h"
#include "nn/nn.h"

typedef enum {
    CLI_OPT_FLAG,   /* no value: sets a bool to true */
    CLI_OPT_STRING, /* the value as given (a pointer into argv) */
    CLI_OPT_LONG,   /* a whole number in [lmin, lmax] */
    CLI_OPT_DOUBLE, /* a finite number in [dmin, dmax] */
    CLI_OPT_CALL,   /* the value goes to fn, which stores and checks it itself */
} CliOptKind;

/* A callback option's handler: store what arg means in dst, or print a usage
 * error naming opt ("--name") for cmd and return EXIT_USAGE. */
typedef int (*CliOptFn)(const char *cmd, const char *opt, const char *arg, void *dst);

typedef struct {
    const char *name; /* the long name, without "--"; NULL ends a table */
    char letter;      /* the short option, 0 when there is none */
    CliOptKind kind;
    void *dst; /* bool *, const char **, long *, double *, or fn's own */
    long lmin, lmax;
    double dmin, dmax;
    CliOptFn fn;
} CliOpt;

/* The specs. The (1 ? (p) : (T *)0) makes the compiler reject a dst of the
 * wrong type, which the void * in the table would otherwise hide. */
/* (Not clang-formatted: its brace layout spreads each spec over four lines.) */
/* clang-format off */
#define CLI_FLAG(name_, letter_, p) \
    {.name = name_, .letter = letter_, .kind = CLI_OPT_FLAG, .dst = (1 ? (p) : (bool *)0)}
#define CLI_STRING(name_, letter_, p) \
    {.name = name_, .letter = letter_, .kind = CLI_OPT_STRING, \
     .dst = (1 ? (p) : (const char **)0)}
#define CLI_LONG(name_, letter_, p, min, max) \
    {.name = name_, .letter = letter_, .kind = CLI_OPT_LONG, .dst = (1 ? (p) : (long *)0), \
     .lmin = (min), .lmax = (max)}
#define CLI_DOUBLE(name_, letter_, p, min, max) \
    {.name = name_, .letter = letter_, .kind = CLI_OPT_DOUBLE, .dst = (1 ? (p) : (double *)0), \
     .dmin = (min), .dmax = (max)}
#define CLI_CALL(name_, letter_, fn_, p) \
    {.name = name_, .letter = letter_, .kind = CLI_OPT_CALL, .dst = (p), .fn = (fn_)}
/* A command's table: CLI_OPTS(CLI_MODEL(&model), CLI_LONG(...), ...), ended for it. */
#define CLI_OPTS(...) ((const CliOpt[]){__VA_ARGS__, {0}})
/* clang-format on */

/* Options that mean the same in every command that has them. */
#define CLI_MODEL(p) CLI_STRING("model", 'm', p)
#define CLI_DATASET(p) CLI_STRING("dataset", 'd', p)
#define CLI_OUTPUT(p) CLI_STRING("output", 'o', p)
#define CLI_SEED(p) CLI_LONG("seed", 's', p, 0, LONG_MAX)
#define CLI_THREADS(p) CLI_LONG("threads", 't', p, 1, NN_MAX_THREADS)
#define CLI_JSON(p) CLI_FLAG("json", 0, p)
#define CLI_PRECISION(p) CLI_CALL("precision", 0, cli_opt_precision, (1 ? (p) : (NnPrecision *)0))

enum { CLI_MAX_OPTS = 31, CLI_HELP = -1 };

/* Parse argv[first..] against opts (--help/-h is added to every table).
 * Returns EXIT_OK; EXIT_USAGE after printing why; or CLI_HELP after printing
 * help() (cli_parsed_exit turns that into exit 0). With operands NULL a word
 * left after the options is a usage error; otherwise *operands is the index
 * of the first such word (getopt moves them all to the end of argv). */
int cli_parse_opts(const char *cmd, int argc, char **argv, int first, const CliOpt *opts,
                   void (*help)(void), int *operands);

/* --precision P: auto, fp32 or bf16, into an NnPrecision. */
int cli_opt_precision(const char *cmd, const char *opt, const char *arg, void *dst);
/* --dataset NAME checked as it is parsed, into a const char *. */
int cli_opt_dataset(const char *cmd, const char *opt, const char *arg, void *dst);
/* Usage error unless name (NULL: not given, fine) is a dataset zspace knows. */
int cli_check_dataset(const char *cmd, const char *name);

#endif
