/* cli: see cli.h. */
#include "cli.h"

#include "core/afile.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_parse_only;

int cli_fail(const Err *e)
{
    fprintf(stderr, "zspace: %s\n", e->msg[0] ? e->msg : "unknown error");
    return EXIT_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "zspace: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'zspace %s --help')\n", cmd);
    return EXIT_USAGE;
}

/* Whether w is a group of short options ("-xvf") holding letter ch. */
static bool short_group_has(const char *w, int ch)
{
    return w && w[0] == '-' && w[1] && w[1] != '-' && strchr(w + 1, ch);
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    if (c == CLI_OPT_OPERAND)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    const char *word = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        return cli_usage(cmd, "option '%s' needs a value", word);
    /* glibc leaves optopt = the letter for a bad short option (the word is
     * argv[optind] while the rest of its group is pending), 0 for an unknown
     * long one, and the option's value (a letter, or 256 and up: not a
     * character at all) for a long option given a value it does not take. */
    if (optopt > 0 && optopt < 128 && isgraph(optopt) &&
        (short_group_has(word, optopt) || short_group_has(argv[optind], optopt)))
        return cli_usage(cmd, "unknown option '-%c'", optopt);
    const char *eq = strchr(word, '=');
    if (optopt && !strncmp(word, "--", 2) && eq)
        return cli_usage(cmd, "option '%.*s' takes no value", (int)(eq - word), word);
    return cli_usage(cmd, "unknown option '%s'", word);
}

void cli_getopt_begin(int first)
{
    opterr = 0;
    optind = first;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *opts)
{
    int c = getopt_long(argc, argv, shortopts, opts, NULL);
    return c == -1 && optind < argc ? CLI_OPT_OPERAND : c;
}

int cli_parsed_exit(int rc)
{
    return rc < 0 ? EXIT_OK : rc;
}

int cli_parse_long(const char *cmd, const char *opt, const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    /* Digits with an optional '-': no blanks or '+' that strtol would skip. */
    int digits = isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]));
    if (!digits || errno || end == s || *end != '\0')
        return cli_usage(cmd, "%s '%s': not a whole number", opt, s);
    if (v < min || v > max)
        return cli_usage(cmd, "%s %ld: must be between %ld and %ld", opt, v, min, max);
    *out = v;
    return EXIT_OK;
}

int cli_parse_double(const char *cmd, const char *opt, const char *s, double min, double max,
                     double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !isfinite(v))
        return cli_usage(cmd, "%s '%s': not a number", opt, s);
    if (v < min || v > max)
        return cli_usage(cmd, "%s %g: must be between %g and %g", opt, v, min, max);
    *out = v;
    return EXIT_OK;
}

int cli_check_output(const char *cmd, const char *opt, const char *path)
{
    Err e;
    if (afile_check(path, &e) != ERR_OK)
        return cli_usage(cmd, "%s %s", opt, e.msg);
    return EXIT_OK;
}
