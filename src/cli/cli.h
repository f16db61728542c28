/* cli: shared pieces of the subcommands. Each subcommand is one file,
 * cmd_<name>.c, thin: it parses options (a table for cli_opts.h), calls the
 * libraries and prints.
 * Conventions (../shared/DESIGN.md): exit 0 success, 1 runtime failure,
 * 2 usage error; errors on stderr as "zspace: <what>: <why>". */
#ifndef ZSPACE_CLI_CLI_H
#define ZSPACE_CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *name;
    const char *summary; /* one line for `zspace --help` */
    int (*run)(int argc, char **argv);
} CliCommand;

/* Parse-only mode, for the argument fuzzer (tests/fuzz/fuzz_cli.c): every
 * command returns EXIT_OK once its options are parsed and checked, before it
 * reads a model or dataset or writes anything. False in the zspace binary. */
extern bool cli_parse_only;

/* Print "zspace: <msg>" for a library error; returns EXIT_FAIL. */
int cli_fail(const Err *e);
/* Print "zspace: <cmd>: <message>" and a hint to use --help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Turn a getopt_long '?' or ':' result, or cli_getopt's CLI_OPT_OPERAND,
 * into a usage error naming the option or the word. */
int cli_bad_option(const char *cmd, int c, char **argv);

/* getopt keeps its place in globals and the fuzzer runs many commands in one
 * process: each parse starts over at argv[first] (1, or 2 after a subcommand
 * word) with getopt's own messages off (cli_bad_option words them). */
void cli_getopt_begin(int first);
/* getopt_long for the commands that take no operands: the next option, -1
 * at the end, or CLI_OPT_OPERAND when a word is left over after the options
 * (for cli_bad_option: "unexpected argument"). */
enum { CLI_OPT_OPERAND = 1 };
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *opts);
/* The exit status for what a command's parse_args returned: < 0 means it
 * printed the help (success), otherwise its status (EXIT_OK or a usage error). */
int cli_parsed_exit(int rc);

/* Strict number parsing for option values: the whole string must parse and
 * lie in [min, max]; otherwise a usage error naming the option is printed and
 * EXIT_USAGE returned. */
int cli_parse_long(const char *cmd, const char *opt, const char *s, long min, long max, long *out);
int cli_parse_double(const char *cmd, const char *opt, const char *s, double min, double max,
                     double *out);
/* An output file option must name a file in an existing, writable
 * directory: check before any work is done. Usage error (printed, EXIT_USAGE
 * returned) naming the option otherwise. */
int cli_check_output(const char *cmd, const char *opt, const char *path);

/* Subcommands. */
int cmd_data(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int bench_explore(int argc, char **argv); /* cmd_bench_explore.c: `zspace bench explore` */
int data_fetch(int argc, char **argv);    /* data_fetch.c: `zspace data fetch` */
/* cmd_data.c: import path into dest, printing what is found; *mnist_done
 * (may be NULL) tells whether MNIST is complete in dest afterwards. */
int data_import_run(const char *path, const char *dest, int *mnist_done);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_project(int argc, char **argv);
int cmd_interp(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_recon(int argc, char **argv);
int cmd_manifold(int argc, char **argv);
int cmd_scatter(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_study(int argc, char **argv);

#endif
