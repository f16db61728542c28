/* test_cli_opts: the commands' one option parser (src/cli/cli_opts.h) on a
 * table with every kind of option: the values it stores, the usage errors it
 * prints (ranges, non-numbers, missing values, unknown options, leftover
 * words), --help, and words after the options when a command takes them.
 * stdout and stderr are captured in memory streams around each parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "test_util.h"

static int helps; /* how often help() ran */

static void help(void)
{
    helps++;
    printf("usage: zspace t\n");
}

/* A callback option: a word that must start with 'k', or a usage error. */
static int parse_k(const char *cmd, const char *opt, const char *arg, void *dst)
{
    if (arg[0] != 'k')
        return cli_usage(cmd, "%s '%s': expected a word starting with k", opt, arg);
    *(const char **)dst = arg;
    return EXIT_OK;
}

typedef struct {
    bool verbose, quiet;
    const char *model, *name, *kword;
    long count, seed;
    double rate;
    NnPrecision prec;
    char out[512], err[512]; /* what the parse printed */
    int first;               /* with operands: the index of the first */
} Got;

/* Parse the words (NULL-terminated, after "zspace t") against the table of
 * every kind; with_operands passes an operand index to fill. */
static int parse(Got *g, bool with_operands, const char *const *words)
{
    *g = (Got){.count = 5, .rate = 0.5, .first = -1};
    const CliOpt *opts =
        CLI_OPTS(CLI_FLAG("verbose", 'v', &g->verbose), CLI_FLAG("quiet", 0, &g->quiet),
                 CLI_MODEL(&g->model), CLI_STRING("name", 0, &g->name),
                 CLI_LONG("count", 'c', &g->count, 1, 10), CLI_SEED(&g->seed),
                 CLI_DOUBLE("rate", 0, &g->rate, 0.01, 1),
                 CLI_CALL("kword", 'k', parse_k, &g->kword), CLI_PRECISION(&g->prec));
    char *argv[32];
    int argc = 0;
    argv[argc++] = "t";
    while (*words)
        argv[argc++] = (char *)*words++;
    argv[argc] = NULL;

    char *out = NULL, *err = NULL;
    size_t out_n = 0, err_n = 0;
    FILE *fo = open_memstream(&out, &out_n), *fe = open_memstream(&err, &err_n);
    assert_non_null(fo);
    assert_non_null(fe);
    FILE *old_out = stdout, *old_err = stderr;
    stdout = fo;
    stderr = fe;
    int rc = cli_parse_opts("t", argc, argv, 1, opts, help, with_operands ? &g->first : NULL);
    stdout = old_out;
    stderr = old_err;
    fclose(fo);
    fclose(fe);
    snprintf(g->out, sizeof g->out, "%s", out);
    snprintf(g->err, sizeof g->err, "%s", err);
    free(out);
    free(err);
    return rc;
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_defaults_kept(void **state)
{
    (void)state;
    Got g;
    assert_int_equal(parse(&g, false, (const char *const[]){NULL}), EXIT_OK);
    assert_false(g.verbose);
    assert_null(g.model);
    assert_int_equal(g.count, 5);
    assert_true(g.rate == 0.5);
    assert_int_equal(g.prec, NN_PREC_AUTO);
    assert_string_equal(g.err, "");
}

static void test_every_kind_stored(void **state)
{
    (void)state;
    Got g;
    int rc =
        parse(&g, false,
              WORDS("-v", "--quiet", "-m", "a.st", "--name=x y", "-c10", "--seed",
                    "9223372036854775807", "--rate", "0.25", "-k", "kiwi", "--precision", "bf16"));
    assert_int_equal(rc, EXIT_OK);
    assert_string_equal(g.err, "");
    assert_string_equal(g.out, "");
    assert_true(g.verbose);
    assert_true(g.quiet);
    assert_string_equal(g.model, "a.st");
    assert_string_equal(g.name, "x y");
    assert_int_equal(g.count, 10);
    assert_true(g.seed == 9223372036854775807L);
    assert_true(g.rate == 0.25);
    assert_string_equal(g.kword, "kiwi");
    assert_int_equal(g.prec, NN_PREC_BF16);
    /* long names and their unique abbreviations reach the same options */
    assert_int_equal(parse(&g, false, WORDS("--count", "1", "--verb", "--model=b")), EXIT_OK);
    assert_int_equal(g.count, 1);
    assert_true(g.verbose);
    assert_string_equal(g.model, "b");
}

static void test_range_errors(void **state)
{
    (void)state;
    Got g;
    assert_int_equal(parse(&g, false, WORDS("--count", "11")), EXIT_USAGE);
    assert_string_equal(g.err, "zspace: t: --count 11: must be between 1 and 10 "
                               "(see 'zspace t --help')\n");
    assert_int_equal(g.count, 5); /* a refused value is not stored */
    assert_int_equal(parse(&g, false, WORDS("-c", "0")), EXIT_USAGE);
    tu_assert_contains(g.err, "--count 0: must be between 1 and 10");
    assert_int_equal(parse(&g, false, WORDS("--rate", "1.5")), EXIT_USAGE);
    tu_assert_contains(g.err, "--rate 1.5: must be between 0.01 and 1");
    assert_true(g.rate == 0.5);
    assert_int_equal(parse(&g, false, WORDS("--seed", "-1")), EXIT_USAGE);
    tu_assert_contains(g.err, "--seed -1: must be between 0 and");
}

static void test_not_numbers(void **state)
{
    (void)state;
    Got g;
    assert_int_equal(parse(&g, false, WORDS("--count", "3x")), EXIT_USAGE);
    tu_assert_contains(g.err, "zspace: t: --count '3x': not a whole number");
    assert_int_equal(parse(&g, false, WORDS("--rate=nan")), EXIT_USAGE);
    tu_assert_contains(g.err, "--rate 'nan': not a number");
    assert_int_equal(parse(&g, false, WORDS("--count", "")), EXIT_USAGE);
    tu_assert_contains(g.err, "--count '': not a whole number");
}

static void test_callbacks(void **state)
{
    (void)state;
    Got g;
    assert_int_equal(parse(&g, false, WORDS("--kword", "lime")), EXIT_USAGE);
    assert_string_equal(g.err, "zspace: t: --kword 'lime': expected a word starting with k "
                               "(see 'zspace t --help')\n");
    assert_null(g.kword);
    assert_int_equal(parse(&g, false, WORDS("--precision", "fp16")), EXIT_USAGE);
    tu_assert_contains(g.err, "--precision 'fp16': expected auto, fp32 or bf16");
}

static void test_bad_words(void **state)
{
    (void)state;
    Got g;
    assert_int_equal(parse(&g, false, WORDS("-m", "a", "--count")), EXIT_USAGE);
    tu_assert_contains(g.err, "option '--count' needs a value");
    assert_int_equal(parse(&g, false, WORDS("-m")), EXIT_USAGE);
    tu_assert_contains(g.err, "option '-m' needs a value");
    assert_int_equal(parse(&g, false, WORDS("--bogus")), EXIT_USAGE);
    tu_assert_contains(g.err, "unknown option '--bogus'");
    assert_int_equal(parse(&g, false, WORDS("-x")), EXIT_USAGE);
    tu_assert_contains(g.err, "unknown option '-x'");
    assert_int_equal(parse(&g, false, WORDS("--quiet=1")), EXIT_USAGE);
    tu_assert_contains(g.err, "option '--quiet' takes no value");
    /* --quiet has no letter: -q is not an option */
    assert_int_equal(parse(&g, false, WORDS("-q")), EXIT_USAGE);
    tu_assert_contains(g.err, "unknown option '-q'");
    assert_int_equal(parse(&g, false, WORDS("-v", "extra", "-c", "2")), EXIT_USAGE);
    tu_assert_contains(g.err, "unexpected argument 'extra'");
}

static void test_help(void **state)
{
    (void)state;
    Got g;
    helps = 0;
    assert_int_equal(parse(&g, false, WORDS("--help")), CLI_HELP);
    assert_int_equal(parse(&g, false, WORDS("-v", "-h", "--bogus")), CLI_HELP);
    assert_int_equal(parse(&g, false, WORDS("--he")), CLI_HELP);
    assert_int_equal(helps, 3);
    assert_string_equal(g.out, "usage: zspace t\n");
    assert_string_equal(g.err, "");
    assert_int_equal(cli_parsed_exit(CLI_HELP), EXIT_OK);
    /* an error before --help is reported, and help is not printed */
    assert_int_equal(parse(&g, false, WORDS("--count", "0", "--help")), EXIT_USAGE);
    assert_int_equal(helps, 3);
}

static void test_operands(void **state)
{
    (void)state;
    Got g;
    /* getopt moves the words after the options, wherever they stood */
    assert_int_equal(parse(&g, true, WORDS("one", "-c", "3", "two")), EXIT_OK);
    assert_int_equal(g.count, 3);
    assert_int_equal(g.first, 3);
    assert_int_equal(parse(&g, true, (const char *const[]){NULL}), EXIT_OK);
    assert_int_equal(g.first, 1);
    assert_int_equal(parse(&g, true, WORDS("-v", "--", "-c")), EXIT_OK);
    assert_int_equal(g.count, 5);
    assert_int_equal(g.first, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_kept), cmocka_unit_test(test_every_kind_stored),
        cmocka_unit_test(test_range_errors),  cmocka_unit_test(test_not_numbers),
        cmocka_unit_test(test_callbacks),     cmocka_unit_test(test_bad_words),
        cmocka_unit_test(test_help),          cmocka_unit_test(test_operands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
