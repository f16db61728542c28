/* zspace explore: open the explorer window (also what plain `zspace` does).
 * Thin: parse options, check the script, hand over to src/app. */
#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli.h"
#include "cli_opts.h"
#include "data/dataset.h"

static void help(void)
{
    char def[4096];
    app_default_model_path("mnist", def, sizeof def);
    printf("usage: zspace explore [-m MODEL] [--dataset mnist|fashion] [--all-points]\n"
           "                      [--compare MODEL] [--script FILE] [--size WxH]\n\n"
           "Opens the latent space explorer: the map of the test images in the model's\n"
           "latent space, click or drag to decode, latent sliders. `zspace` with no command\n"
           "does the same. Press F1 in the window for the keys.\n\n"
           "  -m, --model FILE     model to explore (default: %s;\n"
           "                       for --dataset fashion, default-fashion-z2.safetensors)\n"
           "  -d, --dataset NAME   mnist or fashion (default: the model's own)\n"
           "      --all-points     map all 70,000 images, not the 10,000 test images\n"
           "      --compare FILE   a second model beside the first (same latent size Z):\n"
           "                       two maps, one click decodes the same z with both\n"
           "      --script FILE    replay input from FILE (see src/explore/script.h for commands)\n"
           "      --size WxH       initial window size in points (default 1280x800)\n"
           "      --session FILE   restore a saved session (model, view, z, panels, text\n"
           "                       size...); Ctrl+Shift+S in the window saves to FILE\n"
           "                       (default: $XDG_CONFIG_HOME/zspace/session.json). A FILE\n"
           "                       that does not exist yet starts a new session; options\n"
           "                       given here win over the session's\n"
           "  -h, --help           this help\n\n"
           "environment: ZSPACE_SHADERS overrides where the shaders are loaded from.\n",
           def);
}

/* --size WxH into the window's width and height. */
static int parse_size(const char *cmd, const char *opt, const char *s, void *dst)
{
    AppOptions *o = dst;
    char *x = strchr(s, 'x');
    char ws[16];
    size_t n = x ? (size_t)(x - s) : 0;
    if (n == 0 || n >= sizeof ws)
        return cli_usage(cmd, "%s '%s': expected WxH, e.g. 1024x768", opt, s);
    memcpy(ws, s, n);
    ws[n] = '\0';
    long lw, lh;
    if (cli_parse_long(cmd, opt, ws, 320, 16384, &lw) ||
        cli_parse_long(cmd, opt, x + 1, 240, 16384, &lh))
        return cli_usage(cmd, "%s '%s': expected WxH, e.g. 1024x768", opt, s);
    o->width = (int)lw;
    o->height = (int)lh;
    return EXIT_OK;
}

/* --session FILE: read it (a missing file is a new session, saved there
 * later) and let it fill what the command line left unset. */
static int load_session(AppOptions *o, Session *s, Err *e)
{
    struct stat st;
    if (stat(o->session_path, &st) != 0 && errno == ENOENT) {
        o->session_new = true;
        return ERR_OK;
    }
    if (session_load(s, o->session_path, e) != ERR_OK)
        return e->code;
    if (!o->model_path && s->model[0])
        o->model_path = s->model;
    if (!o->dataset && s->dataset[0])
        o->dataset = s->dataset;
    if (!o->all_points && s->points == 70000)
        o->all_points = true;
    if (o->width == 0 && s->window[0] > 0) {
        o->width = s->window[0];
        o->height = s->window[1];
    }
    o->session = s;
    return ERR_OK;
}

int cmd_explore(int argc, char **argv)
{
    AppOptions o = {0};
    const CliOpt *opts = CLI_OPTS(
        CLI_MODEL(&o.model_path),
        CLI_CALL("dataset", 'd', cli_opt_dataset, &o.dataset),
        CLI_FLAG("all-points", 0, &o.all_points),
        CLI_STRING("script", 0, &o.script),
        CLI_CALL("size", 0, parse_size, &o),
        CLI_STRING("session", 0, &o.session_path),
        CLI_STRING("compare", 0, &o.compare_path));
    int rc = cli_parse_opts("explore", argc, argv, 1, opts, help, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (cli_parse_only)
        return EXIT_OK;
    Err e = {0};
    if (o.script && app_check_script(o.script, &e) != ERR_OK)
        return cli_fail(&e);
    Session session;
    if (o.session_path && load_session(&o, &session, &e) != ERR_OK)
        return cli_fail(&e); /* before any window: "zspace: session FILE: why" */
    if (o.compare_path && app_check_compare(&o, &e) != ERR_OK) {
        if (e.code != ERR_ARG)
            return cli_fail(&e);
        fprintf(stderr, "zspace: %s\n", e.msg); /* different Z: a usage error, one line */
        return EXIT_USAGE;
    }
    if (app_run(&o, &e) != ERR_OK)
        return cli_fail(&e);
    return EXIT_OK;
}
