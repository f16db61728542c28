/* zspace interp: walk the latent space and write the decoded digits as an
 * animated GIF and/or a PNG strip: through the class centroids of a list of
 * classes (2 -> 3 -> 8 -> 7 -> 9 -> 1), or between two test images. Thin:
 * centroids and paths from viz/interp.h, frames from vae_decode, files from
 * io/gif.h and viz/grid.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/timer.h"
#include "export.h"
#include "viz/anim.h"
#include "viz/grid.h"
#include "viz/interp.h"

#define DEFAULT_PATH "2,3,8,7,9,1"

static void help(void)
{
    printf("usage: zspace interp -m MODEL [--path C1,C2,... | --from-index I --to-index J]\n"
           "                     [--steps N] [--slerp] [--scale K] [--fps F] [--hold MS]\n"
           "                     [--pingpong] [-o WALK.gif] [--png-strip STRIP.png]\n\n"
           "Decodes a walk through latent space. With --path the walk visits the class\n"
           "centroids (the mean of the latent means of each class's test images) in order;\n"
           "with --from-index/--to-index it goes from one test image's latent mean to\n"
           "another's. Each leg takes N steps; the first and last frames are the end points.\n\n"
           "  -m, --model FILE       the model (required)\n"
           "      --path LIST        classes to visit, 2..%d of them: digits 0..9 or, for\n"
           "                         Fashion-MNIST, names like sneaker (default " DEFAULT_PATH ")\n"
           "      --from-index I     walk from test image I ...\n"
           "      --to-index J       ... to test image J\n"
           "      --steps N          frames per leg, 1..1000 (default 12)\n"
           "      --slerp            spherical interpolation (default: straight lines)\n"
           "  -o, --output FILE      the animated GIF (loops forever; atomically written)\n"
           "      --scale K          GIF upscaling of the 28x28 digit, 1..32 (default 8)\n"
           "      --fps F            GIF frames per second, 1..50 (default 20)\n"
           "      --hold MS          extra time on each visited class or end point,\n"
           "                         0..10000 ms (default 400)\n"
           "      --pingpong         walk back again before the GIF loops\n"
           "      --png-strip FILE   also (or instead) a PNG: one row per leg, its N + 1\n"
           "                         frames from one end to the other\n"
           "      --strip-scale K    upscaling in the strip, 1..%d (default 2)\n"
           "  -d, --dataset NAME     mnist or fashion (default: the model's)\n"
           "  -h, --help             this help\n\n"
           "At least one of -o and --png-strip is required. Prints one line: the walk,\n"
           "the frames, the files and the time taken.\n",
           VIZ_MAX_STOPS, VIZ_MAX_SCALE);
}

typedef struct {
    const char *model, *gif, *strip, *dataset, *path;
    long from, to, steps, scale, fps, hold, strip_scale;
    bool slerp, pingpong;
} InterpArgs;

static int parse_args(int argc, char **argv, InterpArgs *a)
{
    *a = (InterpArgs){.from = -1, .to = -1, .steps = 12, .scale = 8, .fps = 20, .hold = 400,
                      .strip_scale = 2};
    const CliOpt *opts = CLI_OPTS(
        CLI_MODEL(&a->model),
        CLI_STRING("path", 0, &a->path),
        CLI_LONG("from-index", 0, &a->from, 0, 1000000000),
        CLI_LONG("to-index", 0, &a->to, 0, 1000000000),
        CLI_LONG("steps", 0, &a->steps, 1, 1000),
        CLI_FLAG("slerp", 0, &a->slerp),
        CLI_LONG("scale", 0, &a->scale, 1, 32),
        CLI_LONG("fps", 0, &a->fps, 1, 50),
        CLI_LONG("hold", 0, &a->hold, 0, 10000),
        CLI_FLAG("pingpong", 0, &a->pingpong),
        CLI_STRING("png-strip", 0, &a->strip),
        CLI_LONG("strip-scale", 0, &a->strip_scale, 1, VIZ_MAX_SCALE),
        CLI_DATASET(&a->dataset),
        CLI_OUTPUT(&a->gif));
    int rc = cli_parse_opts("interp", argc, argv, 1, opts, help, NULL);
    if (rc)
        return rc;
    if ((a->from >= 0) != (a->to >= 0))
        return cli_usage("interp", "--from-index and --to-index go together");
    if (a->from >= 0 && a->path)
        return cli_usage("interp", "--path and --from-index/--to-index exclude each other");
    if (a->from < 0 && !a->path)
        a->path = DEFAULT_PATH;
    if (!a->model)
        return cli_usage("interp", "missing -m MODEL");
    if (!a->gif && !a->strip)
        return cli_usage("interp",
                         "nothing to write: give -o FILE.gif and/or --png-strip FILE.png");
    if ((a->gif && cli_check_output("interp", "-o", a->gif)) ||
        (a->strip && cli_check_output("interp", "--png-strip", a->strip)))
        return EXIT_USAGE;
    return EXIT_OK;
}

/* The walk's stops: class centroids or two test images' latent means, and a
 * description like "2 -> 3 -> 8" for the summary line. */
static int make_stops(const InterpArgs *a, ExportModel *m, float **stops, int *n_stops, char *desc,
                      size_t desc_size)
{
    int Z = m->v.cfg.z;
    const DataSplit *test = &m->ds.test;
    Err e = {0};
    *stops = NULL;
    if (!a->path) {
        if ((size_t)a->from >= test->n || (size_t)a->to >= test->n)
            return cli_usage("interp",
                             "--from-index %ld --to-index %ld: the %s test split has "
                             "images 0..%zu",
                             a->from, a->to, m->ds.title, test->n - 1);
        float *s = malloc(2 * (size_t)Z * sizeof *s), x[2 * 784];
        if (!s) {
            err_set(&e, ERR_NOMEM, "interp: out of memory");
            return cli_fail(&e);
        }
        memcpy(x, test->images + (size_t)a->from * 784, sizeof x / 2);
        memcpy(x + 784, test->images + (size_t)a->to * 784, sizeof x / 2);
        vae_encode(&m->v, x, 2, s, NULL);
        snprintf(desc, desc_size, "test image %ld (%s) -> test image %ld (%s)", a->from,
                 m->ds.class_names[test->labels[a->from]], a->to,
                 m->ds.class_names[test->labels[a->to]]);
        *stops = s;
        *n_stops = 2;
        return EXIT_OK;
    }
    int cls[VIZ_MAX_STOPS], n;
    if (viz_parse_classes(a->path, m->ds.class_names, cls, VIZ_MAX_STOPS, &n, &e) != ERR_OK)
        return cli_usage("interp", "--path '%s': %s", a->path, e.msg);
    if (n < 2)
        return cli_usage("interp", "--path '%s': a walk needs at least 2 classes", a->path);
    float cent[DATASET_CLASSES * VAE_MAX_Z];
    size_t counts[DATASET_CLASSES];
    if (viz_class_centroids(&m->v, test, 0, cent, counts, &e) != ERR_OK)
        return cli_fail(&e);
    float *s = malloc((size_t)n * (size_t)Z * sizeof *s);
    if (!s) {
        err_set(&e, ERR_NOMEM, "interp: out of memory");
        return cli_fail(&e);
    }
    size_t len = 0;
    desc[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (!counts[cls[i]]) {
            free(s);
            err_set(&e, ERR_ARG, "interp: class %s has no test images", m->ds.class_names[cls[i]]);
            return cli_fail(&e);
        }
        memcpy(s + (size_t)i * Z, cent + (size_t)cls[i] * Z, (size_t)Z * sizeof *s);
        if (len < desc_size)
            len += (size_t)snprintf(desc + len, desc_size - len, "%s%s", i ? " -> " : "",
                                    m->ds.class_names[cls[i]]);
    }
    *stops = s;
    *n_stops = n;
    return EXIT_OK;
}

/* One row per leg: frames seg * steps .. (seg + 1) * steps. */
static int write_strip(const InterpArgs *a, const float *frames, int legs, Err *e)
{
    VizGridStyle st;
    export_grid_style(&st, (int)a->strip_scale);
    VizImage im;
    int cols = (int)a->steps + 1;
    if (viz_grid(&im, &st, NULL, 0, legs, cols, e) != ERR_OK)
        return e->code;
    for (int r = 0; r < legs; r++)
        for (int c = 0; c < cols; c++) {
            int x, y;
            viz_grid_cell_xy(&st, r, c, &x, &y);
            viz_draw_digit(&im, &st, frames + ((size_t)r * a->steps + c) * 784, x, y);
        }
    int rc = viz_image_save_png(&im, a->strip, e);
    viz_image_free(&im);
    return rc;
}

int cmd_interp(int argc, char **argv)
{
    InterpArgs a;
    int rc = parse_args(argc, argv, &a);
    if (rc || cli_parse_only)
        return cli_parsed_exit(rc);
    double t0 = timer_now();
    ExportModel m;
    if ((rc = export_model_load(&m, "interp", a.model, a.dataset, EXPORT_TEST)))
        return rc;
    float *stops = NULL, *z = NULL, *frames = NULL;
    int n_stops;
    char desc[1024];
    if ((rc = make_stops(&a, &m, &stops, &n_stops, desc, sizeof desc))) {
        export_model_free(&m);
        return rc;
    }
    Err e = {0};
    VizPath path;
    if (viz_path_init(&path, stops, n_stops, m.v.cfg.z, a.slerp ? VIZ_SLERP : VIZ_LERP, &e)) {
        rc = cli_fail(&e);
        goto done;
    }
    size_t n = viz_path_frames(&path, (int)a.steps);
    z = malloc(n * (size_t)m.v.cfg.z * sizeof *z);
    frames = malloc(n * 784 * sizeof *frames);
    if (!z || !frames) {
        err_set(&e, ERR_NOMEM, "interp: out of memory for %zu frames", n);
        rc = cli_fail(&e);
        goto done;
    }
    viz_path_sample(&path, (int)a.steps, z);
    if (export_decode(&m, z, n, frames, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    VizGifOpts go;
    viz_gif_opts_default(&go);
    go.scale = (int)a.scale;
    go.fps = (int)a.fps;
    go.hold_ms = (int)a.hold;
    go.stop_every = (int)a.steps;
    go.pingpong = a.pingpong;
    if ((a.gif && viz_gif_write(a.gif, frames, n, &go, &e) != ERR_OK) ||
        (a.strip && write_strip(&a, frames, n_stops - 1, &e) != ERR_OK)) {
        rc = cli_fail(&e);
        goto done;
    }
    printf("interp: %s (%s, %ld steps per leg): %zu frames", desc, a.slerp ? "slerp" : "linear",
           a.steps, n);
    if (a.gif) {
        struct stat st;
        long kb = stat(a.gif, &st) == 0 ? (long)((st.st_size + 1023) / 1024) : 0;
        printf(" -> %s (%dx%d, %ld fps, %ld KiB%s)", a.gif, 28 * (int)a.scale, 28 * (int)a.scale,
               a.fps, kb, a.pingpong ? ", ping-pong" : "");
    }
    if (a.strip)
        printf(" -> %s", a.strip);
    printf(", %.2f s\n", timer_now() - t0);
done:
    viz_path_free(&path);
    free(stops);
    free(z);
    free(frames);
    export_model_free(&m);
    return rc;
}
