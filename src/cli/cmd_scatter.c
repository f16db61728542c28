/* zspace scatter: the latent map as a PNG figure: the latent means of test
 * images coloured by class, with a legend and axes. Z = 2 is drawn as is;
 * larger latent spaces go through PCA or t-SNE (src/embed). Also draws any
 * 2-D map CSV (zspace project's x,y,label). Thin: numbers from vae and
 * embed, the picture from viz/plot.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/timer.h"
#include "embed/pca.h"
#include "embed/tsne.h"
#include "export.h"
#include "progress.h"
#include "viz/mapcsv.h"
#include "viz/plot.h"

static void help(void)
{
    printf("usage: zspace scatter -m MODEL [--method identity|pca|tsne] [--n N] -o MAP.png\n"
           "       zspace scatter --input MAP.csv -o MAP.png\n\n"
           "Draws the map of the test images' latent means, one dot per image coloured by\n"
           "its class (the explorer's colours), with a legend (and counts) and axes. A\n"
           "2-D latent space is drawn as is; larger ones are projected to 2-D.\n\n"
           "  -m, --model FILE     the model\n"
           "      --method M       identity (Z = 2 only; the default there), pca, or tsne\n"
           "                       (the default for Z > 2)\n"
           "      --n N            use the first N test images (default: all 10,000)\n"
           "      --perplexity P   t-SNE perplexity (default 30)\n"
           "  -s, --seed S         t-SNE seed (default 1)\n"
           "  -t, --threads T      t-SNE threads (default: the online CPUs)\n"
           "  -d, --dataset NAME   mnist or fashion (default: the model's; with --input,\n"
           "                       names the classes of digit labels)\n"
           "  -i, --input FILE     draw this map CSV instead (header x,y[,label], as\n"
           "                       'zspace project' writes; '-' reads standard input)\n"
           "      --size WxH       figure size in pixels (default 1400x1000)\n"
           "      --title TEXT     the title (default: what is drawn; '' for none)\n"
           "      --light          black on white for print (default: the explorer's dark)\n"
           "  -o, --output FILE    the PNG to write (required; written atomically)\n"
           "  -h, --help           this help\n\n"
           "Prints one line: what was drawn, the image size and the times taken.\n");
}

typedef struct {
    const char *model, *input, *out, *dataset, *method, *title;
    long n, seed, threads, width, height;
    double perplexity;
    bool light;
} ScatterArgs;

/* --size WxH into the figure's width and height. */
static int parse_size(const char *cmd, const char *opt, const char *arg, void *dst)
{
    ScatterArgs *a = dst;
    int w, h;
    if (export_parse_pair(cmd, opt, arg, 200, 8192, "WIDTHxHEIGHT, e.g. 1400x1000", &w, &h))
        return EXIT_USAGE;
    a->width = w;
    a->height = h;
    return EXIT_OK;
}

static int parse_args(int argc, char **argv, ScatterArgs *a)
{
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    *a = (ScatterArgs){.threads = nproc < 1 ? 1 : nproc > 64 ? 64 : nproc, .seed = 1,
                       .width = 1400, .height = 1000, .perplexity = 30};
    const CliOpt *opts = CLI_OPTS(
        CLI_MODEL(&a->model),
        CLI_STRING("method", 0, &a->method),
        CLI_LONG("n", 0, &a->n, 1, 100000000),
        CLI_DOUBLE("perplexity", 0, &a->perplexity, 1, 1000),
        CLI_SEED(&a->seed),
        CLI_THREADS(&a->threads),
        CLI_DATASET(&a->dataset),
        CLI_STRING("input", 'i', &a->input),
        CLI_CALL("size", 0, parse_size, a),
        CLI_STRING("title", 0, &a->title),
        CLI_FLAG("light", 0, &a->light),
        CLI_OUTPUT(&a->out));
    int rc = cli_parse_opts("scatter", argc, argv, 1, opts, help, NULL);
    if (rc)
        return rc;
    if (!a->model && !a->input)
        return cli_usage("scatter", "missing -m MODEL (or --input MAP.csv)");
    if (a->model && a->input)
        return cli_usage("scatter", "-m and --input exclude each other");
    if (a->method && strcmp(a->method, "identity") && strcmp(a->method, "pca") &&
        strcmp(a->method, "tsne"))
        return cli_usage("scatter", "--method '%s': expected identity, pca or tsne", a->method);
    if (a->input && a->method)
        return cli_usage("scatter", "--method applies to -m; an --input map is drawn as is");
    if (cli_check_dataset("scatter", a->dataset))
        return EXIT_USAGE;
    if (!a->out)
        return cli_usage("scatter", "missing -o FILE.png");
    if (cli_check_output("scatter", "-o", a->out))
        return EXIT_USAGE;
    return EXIT_OK;
}

/* t-SNE of mu (N, Z) into xy (N, 2), with a progress bar on a terminal. */
static int run_tsne(const ScatterArgs *a, const float *mu, size_t n, int z, float *xy, Err *e)
{
    TsneParams p;
    tsne_params_default(&p);
    p.perplexity = a->perplexity;
    p.seed = (uint64_t)a->seed;
    p.threads = (int)a->threads;
    if ((double)n < 3 * a->perplexity + 1)
        return err_set(e, ERR_ARG,
                       "%zu point%s %s too few for t-SNE at perplexity %g "
                       "(needs 3 x perplexity + 1)",
                       n, n == 1 ? "" : "s", n == 1 ? "is" : "are", a->perplexity);
    CliBar bar;
    cli_bar_init(&bar);
    cli_bar_draw(&bar, 1, "tsne: affinities of %zu points...", n);
    TsneState s;
    if (tsne_init(&s, mu, n, z, &p, NULL, NULL, e) != ERR_OK) {
        cli_bar_clear(&bar);
        return e->code;
    }
    enum { ITERS = 1000 };
    int rc = ERR_OK;
    while (s.iter < ITERS && rc == ERR_OK) {
        rc = tsne_step(&s, 10, e);
        cli_bar_draw(&bar, 0, "tsne: iteration %d/%d", s.iter, ITERS);
    }
    cli_bar_clear(&bar);
    if (rc == ERR_OK)
        memcpy(xy, s.y, 2 * n * sizeof *xy);
    tsne_free(&s);
    return rc;
}

/* The model's map: latent means of the first N test images, projected. */
static int model_map(const ScatterArgs *a, ExportModel *m, float **xy_out, int **cls_out,
                     size_t *n_out, const char **method, double *t_proj, Err *e)
{
    int Z = m->v.cfg.z;
    const DataSplit *test = &m->ds.test;
    size_t n = a->n && (size_t)a->n < test->n ? (size_t)a->n : test->n;
    *method = a->method ? a->method : Z == 2 ? "identity" : "tsne";
    if (Z < 2)
        return err_set(e, ERR_ARG, "%s has a 1-dimensional latent space; a map needs 2", m->path);
    if (!strcmp(*method, "identity") && Z != 2)
        return err_set(e, ERR_ARG,
                       "--method identity needs Z = 2; %s has Z = %d (use "
                       "pca or tsne)",
                       m->path, Z);
    float *mu = malloc(n * (size_t)Z * sizeof *mu), *xy = malloc(n * 2 * sizeof *xy);
    int *cls = malloc(n * sizeof *cls);
    if (!mu || !xy || !cls) {
        free(mu);
        free(xy);
        free(cls);
        return err_set(e, ERR_NOMEM, "scatter: out of memory for %zu points", n);
    }
    vae_encode(&m->v, test->images, n, mu, NULL);
    for (size_t i = 0; i < n; i++)
        cls[i] = test->labels[i];
    double t = timer_now();
    int rc = ERR_OK;
    if (!strcmp(*method, "identity")) {
        memcpy(xy, mu, n * 2 * sizeof *xy);
    } else if (!strcmp(*method, "pca")) {
        Pca p;
        if ((rc = pca_fit(&p, mu, n, Z, 2, e)) == ERR_OK) {
            pca_transform(&p, mu, n, xy);
            pca_free(&p);
        }
    } else {
        rc = run_tsne(a, mu, n, Z, xy, e);
    }
    *t_proj = timer_now() - t;
    free(mu);
    if (rc != ERR_OK) {
        free(xy);
        free(cls);
        return rc;
    }
    *xy_out = xy;
    *cls_out = cls;
    *n_out = n;
    return ERR_OK;
}

/* 10000 -> "10,000": titles are read from across a room. */
static void fmt_count(size_t n, char *buf, size_t size)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%zu", n), o = 0;
    for (int i = 0; i < len && (size_t)o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int cmd_scatter(int argc, char **argv)
{
    ScatterArgs a;
    int rc = parse_args(argc, argv, &a);
    if (rc || cli_parse_only)
        return cli_parsed_exit(rc);
    double t0 = timer_now(), t_proj = 0;
    Err e = {0};
    VizScatterOpts o;
    viz_scatter_opts_default(&o);
    o.width = (int)a.width;
    o.height = (int)a.height;
    o.light = a.light;
    ExportModel m = {0};
    VizMap map = {0};
    float *xy = NULL;
    int *cls = NULL;
    size_t n = 0, counts[VIZ_MAX_CLASSES] = {0};
    const char *names[VIZ_MAX_CLASSES], *method = "";
    char title[512];
    if (a.input) {
        if (viz_map_read(a.input, &map, &e) != ERR_OK)
            return cli_fail(&e);
        n = map.n;
        xy = map.xy;
        cls = map.cls;
        viz_map_names(&map, names);
        /* Digit labels of a known dataset take its class names. */
        const DatasetInfo *di = a.dataset ? dataset_find(a.dataset) : NULL;
        for (int c = 0; di && c < map.n_classes; c++)
            if (names[c][0] == '0' + c && !names[c][1])
                names[c] = di->class_names[c];
        memcpy(counts, map.counts, sizeof counts);
        o.n_classes = map.n_classes;
        o.x_title = "x";
        o.y_title = "y";
        o.legend_title = map.n_classes ? "label" : NULL;
        char count[32];
        fmt_count(n, count, sizeof count);
        snprintf(title, sizeof title, "%s: %s points",
                 !strcmp(a.input, "-") ? "map" : base_name(a.input), count);
    } else {
        if ((rc = export_model_load(&m, "scatter", a.model, a.dataset, EXPORT_TEST)))
            return rc;
        if (model_map(&a, &m, &xy, &cls, &n, &method, &t_proj, &e) != ERR_OK) {
            /* A model that does not fit the options is a usage error. */
            rc = e.code == ERR_ARG ? cli_usage("scatter", "%s", e.msg) : cli_fail(&e);
            export_model_free(&m);
            return rc;
        }
        for (int c = 0; c < DATASET_CLASSES; c++)
            names[c] = m.ds.class_names[c];
        for (size_t i = 0; i < n; i++)
            counts[cls[i]]++;
        o.n_classes = DATASET_CLASSES;
        int tsne = !strcmp(method, "tsne"), pca = !strcmp(method, "pca");
        o.x_title = tsne ? "t-SNE 1" : pca ? "PC 1" : "z1";
        o.y_title = tsne ? "t-SNE 2" : pca ? "PC 2" : "z2";
        o.legend_title = strcmp(m.ds.name, "mnist") ? "class" : "digit";
        o.equal_aspect = 1;
        char count[32];
        fmt_count(n, count, sizeof count);
        snprintf(title, sizeof title, "%s: latent means of %s %s test images%s", base_name(a.model),
                 count, m.ds.title,
                 tsne  ? ", t-SNE"
                 : pca ? ", PCA"
                       : "");
    }
    o.class_names = names;
    o.class_counts = counts;
    o.title = a.title ? (a.title[0] ? a.title : NULL) : title;
    double t1 = timer_now();
    VizImage im;
    rc = EXIT_OK;
    if (viz_scatter(&im, xy, cls, n, &o, &e) != ERR_OK ||
        viz_image_save_png(&im, a.out, &e) != ERR_OK) {
        rc = cli_fail(&e);
    } else {
        printf(
            "scatter: %zu point%s%s%s -> %s, %dx%d px, %.2f s (projection %.2f s, drawing %.2f s)\n",
            n, n == 1 ? "" : "s", method[0] ? ", " : "", method, a.out, im.w, im.h, timer_now() - t0, t_proj,
            timer_now() - t1);
    }
    viz_image_free(&im);
    if (a.input) {
        viz_map_free(&map);
    } else {
        free(xy);
        free(cls);
        export_model_free(&m);
    }
    return rc;
}
