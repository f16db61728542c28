/* zspace explore: open the explorer window (also what plain `zspace` does).
 * Thin: parse options, check the script, hand over to src/app. */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli.h"
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

static int parse_size(const char *s, int *w, int *h)
{
    char *x = strchr(s, 'x');
    if (!x)
        return EXIT_USAGE;
    char ws[16];
    size_t n = (size_t)(x - s);
    if (n == 0 || n >= sizeof ws)
        return EXIT_USAGE;
    memcpy(ws, s, n);
    ws[n] = '\0';
    long lw, lh;
    if (cli_parse_long("explore", "--size", ws, 320, 16384, &lw) ||
        cli_parse_long("explore", "--size", x + 1, 240, 16384, &lh))
        return EXIT_USAGE;
    *w = (int)lw;
    *h = (int)lh;
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
    enum { OPT_ALL = 256, OPT_SCRIPT, OPT_SIZE, OPT_COMPARE, OPT_SESSION };
    static const struct option opts[] = {
        {"model", required_argument, 0, 'm'},
        {"dataset", required_argument, 0, 'd'},
        {"all-points", no_argument, 0, OPT_ALL},
        {"script", required_argument, 0, OPT_SCRIPT},
        {"size", required_argument, 0, OPT_SIZE},
        {"session", required_argument, 0, OPT_SESSION},
        {"compare", required_argument, 0, OPT_COMPARE},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    AppOptions o = {0};
    int c;
    cli_getopt_begin(1);
    while ((c = cli_getopt(argc, argv, ":m:d:h", opts)) != -1) {
        switch (c) {
        case 'm': o.model_path = optarg; break;
        case 'd':
            if (!dataset_find(optarg))
                return cli_usage("explore", "--dataset '%s': expected mnist or fashion", optarg);
            o.dataset = optarg;
            break;
        case OPT_ALL: o.all_points = true; break;
        case OPT_SCRIPT: o.script = optarg; break;
        case OPT_SESSION: o.session_path = optarg; break;
        case OPT_COMPARE: o.compare_path = optarg; break;
        case OPT_SIZE:
            if (parse_size(optarg, &o.width, &o.height) != EXIT_OK)
                return cli_usage("explore", "--size '%s': expected WxH, e.g. 1024x768", optarg);
            break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("explore", c, argv);
        }
    }
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
