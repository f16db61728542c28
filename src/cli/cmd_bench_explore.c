/* zspace bench explore: the explorer's interactive figures, measured on the
 * real window. Each run is a child process `zspace explore --script` started
 * by the explorer driver the GUI tests use too (drive/drive.h; events pushed
 * through SDL's queue), and the figures come from its dump-state "timing"
 * object; nothing is timed through a side path.
 *
 *   start-up   3 launches with the cached default model: fork to the swap of
 *              the first frame, and to the first frame showing the map
 *   frames     one launch: training is started in the window (T panel,
 *              "Continue training") and runs on its thread throughout; then
 *              idle, dragging a decode, panning/zooming, clicking: frame work
 *              (events to after the swap) p50/p99/max per phase, from the
 *              ring of the frames between two dumps
 *   click      click event's timestamp -> swap of the first frame with its
 *              decode (perf.c)
 *   decode     vae_decode of one z, 1,000 calls, in this process
 *
 * The runs use a private copy of the default model in a temporary
 * XDG_CACHE_HOME (training writes to its model file) and a private
 * XDG_CONFIG_HOME (no saved session changes the window). The copy is opened
 * with -m: opened as the default, a copy of an unfinished default model (a
 * first `zspace` closed before its training ended) would resume training at
 * every launch, and its Training panel would show Stop, not Continue. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "app/app.h"
#include "app/frametime.h"
#include "cli.h"
#include "cli_opts.h"
#include "core/afile.h"
#include "core/rng.h"
#include "core/timer.h"
#include "drive/drive.h"
#include "vae/vae.h"
#include "vae/vae_io.h"


enum { N_STARTS = 3, N_CLICKS = 30, N_DECODES = 1000 };

typedef struct {
    char dir[256];      /* the temporary directory */
    char exe[4096];     /* the explorer binary */
    char model[4096];   /* the private copy of the default model it opens */
    bool all_points;
    int points;
} Ctx;

static void help(void)
{
    printf("usage: zspace bench explore [--points 10000|70000] [--json] [--exe ZSPACE]\n\n"
           "Runs the explorer window (needs a display: under X, or `xvfb-run -a -s\n"
           "\"-screen 0 1280x800x24\" zspace bench explore`) on the cached default MNIST\n"
           "model with a built-in script and reports: start-up to the first frame\n"
           "(%d launches), frame work p50/p99 while idle, dragging a decode, panning and\n"
           "zooming, and clicking, all while a training run goes on in the window;\n"
           "click-to-decoded-pixels latency (%d clicks); decode of one z (%d calls).\n\n"
           "  --points N   map points: 70000 (train + test, default) or 10000 (test)\n"
           "  --json       one JSON object on stdout instead of the table\n"
           "  --exe FILE   the zspace binary to measure (default: this one), e.g. an\n"
           "               older build for a before/after comparison\n"
           "  -h, --help   this help\n\n"
           "Method and recorded figures: BENCHMARKS.md, section Explorer.\n",
           N_STARTS, N_CLICKS, N_DECODES);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static int copy_file(const char *from, const char *to, Err *e)
{
    FILE *f = fopen(from, "rb");
    if (!f)
        return err_set(e, ERR_IO, "%s: %s", from, strerror(errno));
    AFile af;
    int rc = afile_open(&af, to, e);
    char buf[65536];
    size_t n;
    while (rc == ERR_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
        rc = afile_write(&af, buf, n, e);
    if (rc == ERR_OK && ferror(f))
        rc = err_set(e, ERR_IO, "%s: read failed", from);
    fclose(f);
    if (rc == ERR_OK)
        rc = afile_commit(&af, e);
    else if (af.f)
        afile_abort(&af);
    return rc;
}

static void path_in(const Ctx *c, char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", c->dir, name);
}

/* Run `exe explore --script FILE --size 1280x800 [--all-points]` to its end. */
static int run_explorer(const Ctx *c, const char *script_name, Err *e)
{
    char script[512];
    path_in(c, script, sizeof script, script_name);
    const char *args[] = {"-m", c->model, "--size", "1280x800",
                          c->all_points ? "--all-points" : NULL, NULL};
    DriveRun r = {.exe = c->exe, .script = script, .args = args};
    int st;
    if (drive_run(&r, &st, e) != ERR_OK)
        return e->code;
    if (st != 0)
        return err_set(e, ERR_IO, "the explorer (%s, script %s) failed (status %d)", c->exe,
                       script, st);
    return ERR_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One launch: first frame, then the map, then the Training panel's button. */
typedef struct {
    double first_ms, map_ms;   /* from the fork */
    int map[4];                /* map rect, window points, panel hidden */
    int button[4];             /* "Continue training", window points */
} Launch;

static int launch(const Ctx *c, Launch *l, Err *e)
{
    char a[512], b[512], p[512], text[2048];
    path_in(c, a, sizeof a, "start-a.json");
    path_in(c, b, sizeof b, "start-b.json");
    path_in(c, p, sizeof p, "start-p.json");
    snprintf(text, sizeof text,
             "wait 2 frames\ndump-state %s\nwait-ready 120\nwait 2 frames\ndump-state %s\n"
             "key T\nwait 3 frames\ndump-state %s\nquit\n",
             a, b, p);
    char script[512];
    path_in(c, script, sizeof script, "start.txt");
    if (drive_write_script(script, text, e) != ERR_OK)
        return e->code;
    double t0 = timer_now();
    if (run_explorer(c, "start.txt", e) != ERR_OK)
        return e->code;
    cJSON *ja = drive_load(a, e), *jb = ja ? drive_load(b, e) : NULL, *jp = jb ? drive_load(p, e) : NULL;
    int rc = ja && jb && jp ? ERR_OK : e->code;
    if (rc == ERR_OK) {
        double ts = jsonpath_num(ja, "timing.t_start_s");
        l->first_ms = (ts - t0) * 1e3 + jsonpath_num(ja, "timing.startup_ms");
        l->map_ms = (ts - t0) * 1e3 + jsonpath_num(jb, "timing.map_ms");
        if (!(jsonpath_num(jb, "map.points") == c->points))
            rc = err_set(e, ERR_FORMAT, "the map shows %.0f points, not %d: %s",
                         jsonpath_num(jb, "map.points"), c->points,
                         cJSON_GetStringValue(jsonpath_get(jb, "map.message")));
        if (rc == ERR_OK && (drive_rect_points(jb, "view.map_rect", l->map) != 0 ||
                             drive_rect_points(jp, "training.buttons.tr/continue", l->button) != 0))
            rc = err_set(e, ERR_FORMAT,
                         "the Training panel shows no \"Continue training\" button (is the "
                         "default model at its path?)");
    }
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    cJSON_Delete(jp);
    return rc;
}

enum { PH_IDLE, PH_DRAG, PH_PAN, PH_CLICK, N_PHASES };
static const char *phase_names[N_PHASES] = {"idle", "drag_decode", "pan_zoom", "click"};
static const char *phase_titles[N_PHASES] = {"idle (training runs)", "dragging a decode",
                                             "panning + zooming", "clicking on the map"};

typedef struct {
    FrameStats work, interval;
    int frames;
    double redraws, transformed;
} Phase;

typedef struct {
    Phase ph[N_PHASES];
    FrameStats click;
    bool training;          /* a training run was going on at the last dump */
    double samples_per_s;   /* its throughput then */
    double epoch;
} Frames;

/* Statistics of the last `k` samples of a dumped ring (its "_recent" array). */
static FrameStats tail_stats(const cJSON *j, const char *name, int k)
{
    char path[64];
    snprintf(path, sizeof path, "timing.%s", name);
    const cJSON *arr = jsonpath_get(j, path);
    int n = cJSON_GetArraySize(arr);
    if (k > n)
        k = n;
    float *v = malloc((size_t)(k > 0 ? k : 1) * sizeof *v);
    FrameStats s = {0};
    if (!v)
        return s;
    for (int i = 0; i < k; i++)
        v[i] = (float)cJSON_GetArrayItem(arr, n - k + i)->valuedouble;
    s = frametime_stats_of(v, k);
    free(v);
    return s;
}

static int frames_run(const Ctx *c, const Launch *l, Frames *f, Err *e)
{
    int x = l->map[0], y = l->map[1], w = l->map[2], h = l->map[3];
    int cx = x + w / 2, cy = y + h / 2;
    char d[N_PHASES + 1][512];
    for (int i = 0; i <= N_PHASES; i++) {
        char name[32];
        snprintf(name, sizeof name, "frames-%d.json", i);
        path_in(c, d[i], sizeof d[i], name);
    }
    size_t cap = 16384;
    char *s = malloc(cap);
    if (!s)
        return err_set(e, ERR_NOMEM, "out of memory");
    int n = 0;
#define ADD(...) n += snprintf(s + n, cap - (size_t)n, __VA_ARGS__)
    /* start a training run the way the T panel does, then hide the panel */
    ADD("wait-ready 120\nkey T\nwait 3 frames\nclick %d %d\n"
        "wait-until training.running == 1 120\nwait 3 frames\nkey T\nwait 2s\n",
        l->button[0] + l->button[2] / 2, l->button[1] + l->button[3] / 2);
    ADD("dump-state %s\nwait 3s\ndump-state %s\n", d[0], d[1]);
    ADD("drag %d %d %d %d 180\nwait 2 frames\ndump-state %s\n", x + w / 4, cy, x + 3 * w / 4,
        cy + h / 8, d[2]);
    ADD("rdrag %d %d %d %d 60\nrdrag %d %d %d %d 60\n", cx, cy, cx + w / 5, cy + h / 10,
        cx + w / 5, cy + h / 10, cx, cy);
    for (int i = 0; i < 6; i++)
        ADD("scroll %d %d %d\nwait 4 frames\n", cx + w / 10, cy - h / 10, i < 3 ? 1 : -1);
    ADD("wait 12 frames\ndump-state %s\n", d[3]); /* includes the full redraw at rest */
    for (int i = 0; i < N_CLICKS; i++) /* a 6 x 5 grid over the middle of the map */
        ADD("click %d %d\nwait 8 frames\n", x + w / 4 + (i % 6) * w / 10,
            y + h / 4 + (i / 6) * h / 8);
    ADD("dump-state %s\nquit\n", d[4]);
#undef ADD
    char script[512];
    path_in(c, script, sizeof script, "frames.txt");
    int rc = (size_t)n < cap ? drive_write_script(script, s, e) : err_set(e, ERR_ARG, "script too long");
    free(s);
    if (rc == ERR_OK)
        rc = run_explorer(c, "frames.txt", e);
    cJSON *j[N_PHASES + 1] = {0};
    for (int i = 0; rc == ERR_OK && i <= N_PHASES; i++)
        if (!(j[i] = drive_load(d[i], e)))
            rc = e->code;
    for (int p = 0; rc == ERR_OK && p < N_PHASES; p++) {
        const cJSON *a = j[p], *b = j[p + 1];
        Phase *ph = &f->ph[p];
        ph->frames = (int)(jsonpath_num(b, "timing.work_count") - jsonpath_num(a, "timing.work_count"));
        ph->work = tail_stats(b, "work_ms_recent", ph->frames);
        ph->interval = tail_stats(
            b, "interval_ms_recent",
            (int)(jsonpath_num(b, "timing.interval_count") - jsonpath_num(a, "timing.interval_count")));
        ph->redraws = jsonpath_num(b, "map.layer.redraws") - jsonpath_num(a, "map.layer.redraws");
        ph->transformed =
            jsonpath_num(b, "map.layer.transformed_frames") - jsonpath_num(a, "map.layer.transformed_frames");
    }
    if (rc == ERR_OK) {
        const cJSON *a = j[PH_CLICK], *b = j[N_PHASES];
        f->click = tail_stats(b, "click_ms_recent",
                              (int)(jsonpath_num(b, "timing.click_count") - jsonpath_num(a, "timing.click_count")));
        f->training = jsonpath_num(b, "training.running") == 1;
        f->samples_per_s = jsonpath_num(b, "training.samples_per_s");
        f->epoch = jsonpath_num(b, "training.epoch");
        if (!f->training)
            rc = err_set(e, ERR_FORMAT, "the training run did not start or stopped early (%s)",
                         cJSON_GetStringValue(jsonpath_get(b, "training.message")));
    }
    for (int i = 0; i <= N_PHASES; i++)
        cJSON_Delete(j[i]);
    return rc;
}

/* vae_decode of one z (the explorer's per-frame call) on the model. */
static int decode_bench(const char *model, double *best_us, double *median_us, Err *e)
{
    Vae v;
    if (vae_load(model, &v, 1, NULL, e) != ERR_OK)
        return e->code;
    double *t = malloc(N_DECODES * sizeof *t);
    if (!t) {
        vae_free(&v);
        return err_set(e, ERR_NOMEM, "out of memory");
    }
    Rng rng;
    rng_seed(&rng, 7);
    float z[VAE_MAX_Z], xhat[VAE_X];
    for (int i = 0; i < N_DECODES; i++) {
        for (int k = 0; k < v.cfg.z; k++)
            z[k] = rng_normal(&rng);
        double t0 = timer_now();
        vae_decode(&v, z, 1, xhat);
        t[i] = (timer_now() - t0) * 1e6;
    }
    qsort(t, N_DECODES, sizeof *t, cmp_double);
    *best_us = t[0];
    *median_us = t[N_DECODES / 2];
    free(t);
    vae_free(&v);
    return ERR_OK;
}

static void loadavg(double *l1)
{
    *l1 = NAN;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", l1) != 1)
            *l1 = NAN;
        fclose(f);
    }
}

static cJSON *stats_json(FrameStats s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "p50", s.p50);
    cJSON_AddNumberToObject(o, "p99", s.p99);
    cJSON_AddNumberToObject(o, "max", s.max);
    cJSON_AddNumberToObject(o, "n", s.n);
    return o;
}

static void report(const Ctx *c, const double *first, const double *map, const Frames *f,
                   double dec_best, double dec_med, const double load[2], bool json)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "points", c->points);
        cJSON *st = cJSON_AddObjectToObject(o, "startup_ms");
        cJSON_AddNumberToObject(st, "first_frame_best", first[0]);
        cJSON_AddNumberToObject(st, "first_frame_median", first[N_STARTS / 2]);
        cJSON_AddNumberToObject(st, "map_best", map[0]);
        cJSON_AddNumberToObject(st, "map_median", map[N_STARTS / 2]);
        cJSON *ph = cJSON_AddObjectToObject(o, "frame_work_ms");
        for (int p = 0; p < N_PHASES; p++) {
            cJSON *q = stats_json(f->ph[p].work);
            cJSON_AddNumberToObject(q, "interval_p50", f->ph[p].interval.p50);
            cJSON_AddNumberToObject(q, "interval_p99", f->ph[p].interval.p99);
            cJSON_AddNumberToObject(q, "layer_redraws", f->ph[p].redraws);
            cJSON_AddNumberToObject(q, "transformed_frames", f->ph[p].transformed);
            cJSON_AddItemToObject(ph, phase_names[p], q);
        }
        cJSON_AddItemToObject(o, "click_to_pixels_ms", stats_json(f->click));
        cJSON *d = cJSON_AddObjectToObject(o, "decode_us");
        cJSON_AddNumberToObject(d, "best", dec_best);
        cJSON_AddNumberToObject(d, "median", dec_med);
        cJSON_AddNumberToObject(d, "calls", N_DECODES);
        cJSON *tr = cJSON_AddObjectToObject(o, "training");
        cJSON_AddBoolToObject(tr, "running", f->training);
        cJSON_AddNumberToObject(tr, "samples_per_s", f->samples_per_s);
        cJSON_AddItemToObject(o, "loadavg", cJSON_CreateDoubleArray(load, 2));
        char *text = cJSON_Print(o);
        if (text)
            printf("%s\n", text);
        cJSON_free(text);
        cJSON_Delete(o);
        return;
    }
    printf("explore: %d map points, window 1280x800, load average %.2f before, %.2f after\n",
           c->points, load[0], load[1]);
    printf("start-up (%d launches, fork to swap): first frame best %.0f ms, median %.0f ms;\n"
           "  map of %d points shown best %.0f ms, median %.0f ms\n",
           N_STARTS, first[0], first[N_STARTS / 2], c->points, map[0], map[N_STARTS / 2]);
    printf("frame work in ms, while training runs in the window (%.0f samples/s at the end):\n",
           f->samples_per_s);
    printf("  %-22s %7s %7s %7s %7s %9s %8s\n", "phase", "p50", "p99", "max", "frames",
           "interval", "redraws");
    for (int p = 0; p < N_PHASES; p++) {
        const Phase *q = &f->ph[p];
        printf("  %-22s %7.1f %7.1f %7.1f %7d %9.1f %8.0f\n", phase_titles[p], q->work.p50,
               q->work.p99, q->work.max, q->frames, q->interval.p50, q->redraws);
    }
    printf("click -> decoded pixels (%d clicks): p50 %.1f ms, p99 %.1f ms, max %.1f ms "
           "(one frame at 60 Hz: 16.7 ms)\n",
           f->click.n, f->click.p50, f->click.p99, f->click.max);
    printf("decode of one z (%d calls): best %.1f us, median %.1f us\n", N_DECODES, dec_best,
           dec_med);
}

/* --points N: the explorer maps either the test set or all of MNIST. */
static int parse_points(const char *cmd, const char *opt, const char *arg, void *dst)
{
    Ctx *c = dst;
    long v;
    if (cli_parse_long(cmd, opt, arg, 1, 70000, &v))
        return EXIT_USAGE;
    if (v != 10000 && v != 70000)
        return cli_usage(cmd,
                         "%s %ld: the explorer maps 10000 (test) or 70000 (train + test) points",
                         opt, v);
    c->points = (int)v;
    c->all_points = v == 70000;
    return EXIT_OK;
}

int bench_explore(int argc, char **argv)
{
    Ctx c = {.all_points = true, .points = 70000};
    bool json = false;
    const char *exe = NULL;
    const CliOpt *opts = CLI_OPTS(
        CLI_CALL("points", 0, parse_points, &c),
        CLI_JSON(&json),
        CLI_STRING("exe", 0, &exe));
    int status = cli_parse_opts("bench explore", argc, argv, 1, opts, help, NULL);
    if (status)
        return cli_parsed_exit(status);
    if (cli_parse_only)
        return EXIT_OK;
    const char *disp = getenv("DISPLAY"), *way = getenv("WAYLAND_DISPLAY");
    if (!(disp && *disp) && !(way && *way)) {
        fprintf(stderr, "zspace: bench explore: no display (DISPLAY is not set); run it under "
                        "Xvfb: xvfb-run -a -s \"-screen 0 1280x800x24\" zspace bench explore\n");
        return EXIT_FAIL;
    }
    if (exe)
        snprintf(c.exe, sizeof c.exe, "%s", exe);
    else if (readlink("/proc/self/exe", c.exe, sizeof c.exe - 1) < 0)
        snprintf(c.exe, sizeof c.exe, "%s", argv[0]);
    if (access(c.exe, X_OK) != 0) {
        fprintf(stderr, "zspace: bench explore: %s: not an executable\n", c.exe);
        return EXIT_FAIL;
    }
    char model[4096];
    app_default_model_path("mnist", model, sizeof model);
    if (access(model, R_OK) != 0) {
        fprintf(stderr,
                "zspace: bench explore: %s: no cached default model (run `zspace` once: it "
                "trains and caches it)\n",
                model);
        return EXIT_FAIL;
    }
    snprintf(c.dir, sizeof c.dir, "/tmp/zspace-bench-XXXXXX");
    if (!mkdtemp(c.dir)) {
        fprintf(stderr, "zspace: bench explore: cannot make a temporary directory: %s\n",
                strerror(errno));
        return EXIT_FAIL;
    }
    Err e = {0};
    int rc = ERR_OK;
    char cache[512], config[512], copy[600];
    path_in(&c, cache, sizeof cache, "cache");
    path_in(&c, config, sizeof config, "config");
    snprintf(copy, sizeof copy, "%s/zspace", cache);
    if (mkdir(cache, 0700) != 0 || mkdir(copy, 0700) != 0 || mkdir(config, 0700) != 0)
        rc = err_set(&e, ERR_IO, "%s: %s", c.dir, strerror(errno));
    /* the runs see a private cache (with the model) and config */
    setenv("XDG_CACHE_HOME", cache, 1);
    setenv("XDG_CONFIG_HOME", config, 1);
    app_default_model_path("mnist", c.model, sizeof c.model);
    if (rc == ERR_OK)
        rc = copy_file(model, c.model, &e);
    double load[2];
    loadavg(&load[0]);
    double first[N_STARTS], map[N_STARTS];
    Launch l = {0};
    for (int i = 0; rc == ERR_OK && i < N_STARTS; i++) {
        rc = launch(&c, &l, &e);
        first[i] = l.first_ms;
        map[i] = l.map_ms;
    }
    Frames f = {0};
    if (rc == ERR_OK)
        rc = frames_run(&c, &l, &f, &e);
    double dec_best = 0, dec_med = 0;
    if (rc == ERR_OK)
        rc = decode_bench(model, &dec_best, &dec_med, &e);
    loadavg(&load[1]);
    nftw(c.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (rc != ERR_OK) {
        fprintf(stderr, "zspace: bench explore: %s\n", e.msg);
        return EXIT_FAIL;
    }
    qsort(first, N_STARTS, sizeof *first, cmp_double);
    qsort(map, N_STARTS, sizeof *map, cmp_double);
    report(&c, first, map, &f, dec_best, dec_med, load, json);
    return EXIT_OK;
}
