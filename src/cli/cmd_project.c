/* zspace project: 2-D maps (or k-D PCA) of any N x D float CSV, or of a VAE's
 * latent means of the test images (-m MODEL), written as CSV. Thin: CSV in and
 * out and the model's encoder here, the numbers in src/embed. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/afile.h"
#include "core/timer.h"
#include "embed/pca.h"
#include "embed/tsne.h"
#include "io/pointcsv.h"
#include "export.h"

static void help(void)
{
    printf("usage: zspace project --input FILE.csv --method tsne|pca [options] [-o MAP.csv]\n"
           "       zspace project -m MODEL [--dataset NAME] --method tsne|pca [options] [-o MAP.csv]\n\n"
           "Projects N points of D dimensions to 2-D (t-SNE or PCA; PCA also to k dims) and\n"
           "writes a CSV with header 'x,y,label' (PCA to k != 2 dims: 'pc1,...,pck,label').\n\n"
           "  -i, --input FILE       the points; '-' reads standard input\n"
           "  -m, --model FILE       instead of --input: the model's latent means (mu) of its\n"
           "                         dataset's test images, labelled with their classes\n"
           "  -d, --dataset NAME     with -m: mnist or fashion (default: the model's own)\n"
           "      --method M         tsne or pca (default tsne)\n"
           "      --n N              use only the first N points\n"
           "      --perplexity P     t-SNE perplexity (default 30; needs N >= 3P + 1)\n"
           "      --iters I          t-SNE iterations (default 1000; the first 250 exaggerated)\n"
           "      --theta T          Barnes-Hut opening angle (default 0.5; 0 = exact, O(N^2))\n"
           "      --seed S           seed for the random init used when D < 2 (default 1)\n"
           "      --threads T        threads for t-SNE (default 2)\n"
           "      --dims K           PCA output dimensions (default 2)\n"
           "  -o, --output FILE      write here (atomically) instead of standard output\n"
           "  -v, --verbose          progress and a summary on stderr\n"
           "  -h, --help             this help\n\n"
           "Input CSV (the same rules as scatter --input): one point per line, fields\n"
           "separated by ',', quotes around a whole field removed, no other quoting; blank\n"
           "lines are skipped; a UTF-8 byte-order mark at the start is ignored. The first\n"
           "line is a header if any of its fields is not a number (a numeric first line is\n"
           "the first point). Labels: only with a header, a column named 'label' (any case)\n"
           "is taken verbatim as the point's label (any text without commas) and copied to\n"
           "the output; every other column must be a finite number in every row. Without a\n"
           "label column the output's label field is empty. Errors name the line and column.\n\n"
           "t-SNE: exact kNN (k = 3P), perplexity-calibrated affinities, early exaggeration\n"
           "12 for 250 iterations, learning rate max(N/12, 200), PCA initialisation; see\n"
           "src/embed/tsne.h. With -o a summary line (KL divergence, times) goes to stdout.\n"
           "Progress: a bar on stderr when it is a terminal.\n");
}

/* Write (N, k) coordinates with labels as CSV to path (atomic) or stdout. */
static int write_map(const char *path, const float *y, size_t n, int k, char **labels, Err *e)
{
    AFile a;
    FILE *f = stdout;
    if (path) {
        if (afile_open(&a, path, e) != ERR_OK)
            return ERR_IO;
        f = a.f;
    }
    if (k == 2) {
        fputs("x,y,label\n", f);
    } else {
        for (int c = 0; c < k; c++)
            fprintf(f, "pc%d,", c + 1);
        fputs("label\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < k; c++)
            fprintf(f, "%.7g,", y[i * (size_t)k + c]);
        fprintf(f, "%s\n", labels ? labels[i] : "");
    }
    if (path)
        return afile_commit(&a, e);
    return ERR_OK; /* standard output is checked once for every command (main.c) */
}

/* The progress display: a bar on a terminal, plain lines with --verbose. */
typedef struct {
    int tty, verbose;
    double t0;
    int last_pct;
} Progress;

static void progress(Progress *p, int done, int total)
{
    int pct = total ? (int)(100L * done / total) : 100;
    if (pct == p->last_pct)
        return;
    p->last_pct = pct;
    double el = timer_now() - p->t0;
    if (p->tty) {
        char bar[31];
        int fill = pct * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        double eta = done > 0 ? el * (total - done) / done : 0.0;
        fprintf(stderr, "\rtsne [%s] %4d/%d  %.1f s  eta %.1f s ", bar, done, total, el, eta);
        if (done == total)
            fputs("\r\033[K", stderr);
    } else if (p->verbose && pct % 10 == 0) {
        fprintf(stderr, "tsne: iteration %d/%d (%.1f s)\n", done, total, el);
    }
}

/* The latent means of the first n_max (0: all) test images of a model's
 * dataset, labelled by class index. Returns an exit status. */
static int model_points(const char *path, const char *dataset, size_t n_max, IoPoints *pts)
{
    memset(pts, 0, sizeof *pts);
    ExportModel m;
    int rc = export_model_load(&m, "project", path, dataset, 1);
    if (rc != EXIT_OK)
        return rc;
    const DataSplit *t = &m.ds.test;
    size_t n = n_max && n_max < t->n ? n_max : t->n;
    int z = m.v.cfg.z;
    /* The labels' texts in the arena the CSV reader would fill, 4 bytes each. */
    pts->x = malloc(n * (size_t)z * sizeof *pts->x);
    pts->labels = malloc((n ? n : 1) * sizeof *pts->labels);
    pts->arena = malloc((n ? n : 1) * 4);
    int ok = pts->x && pts->labels && pts->arena;
    for (size_t i = 0; ok && i < n; i++) {
        pts->labels[i] = pts->arena + 4 * i;
        snprintf(pts->labels[i], 4, "%u", t->labels[i]);
    }
    pts->n = n;
    pts->d = z;
    if (ok)
        vae_encode(&m.v, t->images, n, pts->x, NULL);
    export_model_free(&m);
    if (!ok) {
        io_points_free(pts);
        Err e;
        err_set(&e, ERR_NOMEM, "project: out of memory for %zu latent means", n);
        return cli_fail(&e);
    }
    return EXIT_OK;
}

int cmd_project(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *method = "tsne", *model = NULL, *dataset = NULL;
    long n_max = 0, iters = 1000, seed = 1, threads = 2, dims = 0;
    double perplexity = 30.0, theta = 0.5;
    bool verbose = false;
    const CliOpt *opts = CLI_OPTS(
        CLI_STRING("input", 'i', &input),
        CLI_STRING("method", 0, &method),
        CLI_MODEL(&model),
        CLI_DATASET(&dataset),
        CLI_LONG("n", 0, &n_max, 1, 100000000),
        CLI_DOUBLE("perplexity", 0, &perplexity, 1, 10000),
        CLI_LONG("iters", 0, &iters, 0, 1000000),
        CLI_DOUBLE("theta", 0, &theta, 0, 2),
        CLI_LONG("seed", 0, &seed, 0, LONG_MAX),
        CLI_LONG("threads", 0, &threads, 1, 64),
        CLI_LONG("dims", 0, &dims, 1, 100000), /* 0: not given (2) */
        CLI_OUTPUT(&output),
        CLI_FLAG("verbose", 'v', &verbose));
    int rc = cli_parse_opts("project", argc, argv, 1, opts, help, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (!input == !model)
        return cli_usage("project", "give exactly one of --input FILE.csv and -m MODEL");
    if (dataset && !model)
        return cli_usage("project", "--dataset goes with -m MODEL");
    int is_tsne = !strcmp(method, "tsne");
    if (!is_tsne && strcmp(method, "pca"))
        return cli_usage("project", "--method '%s': expected tsne or pca", method);
    if (is_tsne && dims && dims != 2)
        return cli_usage("project", "--dims applies to pca; t-SNE maps to 2 dims");
    if (output && cli_check_output("project", "-o", output))
        return EXIT_USAGE;
    if (cli_parse_only)
        return EXIT_OK;
    if (!dims)
        dims = 2;

    /* Our threads each call sgemm: keep OpenBLAS from adding its own. */
    openblas_set_num_threads(1);
    Err e = {0};
    IoPoints pts;
    double t0 = timer_now();
    if (model) {
        rc = model_points(model, dataset, (size_t)n_max, &pts);
        if (rc != EXIT_OK)
            return rc;
        input = model;
    } else if (io_points_read(input, (size_t)n_max, &pts, &e) != ERR_OK) {
        return cli_fail(&e);
    }
    double t_read = timer_now() - t0;
    int status = EXIT_OK;
    float *y = NULL;
    char summary[512];
    if (!is_tsne) {
        if (dims > pts.d) {
            int d = pts.d;
            io_points_free(&pts);
            return cli_usage("project", "--dims %ld: the input has only %d numeric columns",
                             dims, d);
        }
        Pca p;
        double t1 = timer_now();
        if (pca_fit(&p, pts.x, pts.n, pts.d, (int)dims, &e) != ERR_OK) {
            status = cli_fail(&e);
            goto out;
        }
        y = malloc(pts.n * (size_t)dims * sizeof *y);
        if (!y) {
            pca_free(&p);
            err_set(&e, ERR_NOMEM, "project: out of memory for the output");
            status = cli_fail(&e);
            goto out;
        }
        pca_transform(&p, pts.x, pts.n, y);
        double kept = 0.0;
        for (int k = 0; k < p.k; k++)
            kept += p.variance[k];
        snprintf(summary, sizeof summary,
                 "pca: %zu points, %d dim%s -> %ld: %.1f%% of the variance kept (read %.2f s, "
                 "pca %.2f s)",
                 pts.n, pts.d, pts.d == 1 ? "" : "s", dims,
                 p.total_variance > 0 ? 100.0 * kept / p.total_variance : 100.0, t_read,
                 timer_now() - t1);
        pca_free(&p);
    } else {
        TsneParams tp;
        tsne_params_default(&tp);
        tp.perplexity = perplexity;
        tp.theta = theta;
        tp.seed = (uint64_t)seed;
        tp.threads = (int)threads;
        if ((double)pts.n < 3.0 * perplexity + 1.0) {
            err_set(&e, ERR_ARG,
                    "project: %s has %zu point%s, too few for perplexity %g (t-SNE needs at "
                    "least 3 x perplexity + 1 = %d); use a smaller --perplexity",
                    input, pts.n, pts.n == 1 ? "" : "s", perplexity,
                    (int)floor(3.0 * perplexity) + 1);
            status = cli_fail(&e);
            goto out;
        }
        Progress pr = {.tty = isatty(fileno(stderr)), .verbose = verbose, .last_pct = -1};
        if (pr.tty)
            fprintf(stderr, "tsne: neighbours and affinities of %zu points...", pts.n);
        TsneState s;
        double t1 = timer_now();
        if (tsne_init(&s, pts.x, pts.n, pts.d, &tp, NULL, NULL, &e) != ERR_OK) {
            if (pr.tty)
                fputs("\r\033[K", stderr);
            status = cli_fail(&e);
            goto out;
        }
        double t2 = timer_now();
        pr.t0 = t2;
        while (s.iter < iters) {
            int chunk = iters - s.iter < 10 ? (int)(iters - s.iter) : 10;
            if (tsne_step(&s, chunk, &e) != ERR_OK) {
                if (pr.tty)
                    fputs("\n", stderr);
                tsne_free(&s);
                status = cli_fail(&e);
                goto out;
            }
            progress(&pr, s.iter, (int)iters);
        }
        if (iters == 0 && pr.tty)
            fputs("\r\033[K", stderr);
        double t3 = timer_now();
        double kl = tsne_kl(&s);
        snprintf(summary, sizeof summary,
                 "tsne: %zu points, %d dims, perplexity %g, %d iterations, theta %g, threads "
                 "%ld: KL %.4f; time %.2f s (knn %.2f, affinities %.2f, optimisation %.2f; "
                 "read %.2f)%s",
                 pts.n, pts.d, perplexity, s.iter, theta, threads, kl, t3 - t1, s.time_knn,
                 s.time_affinity, t3 - t2, t_read,
                 s.n_uncalibrated ? " (some rows uncalibrated: duplicate points)" : "");
        y = malloc(2 * pts.n * sizeof *y);
        if (y)
            memcpy(y, s.y, 2 * pts.n * sizeof *y);
        tsne_free(&s);
        if (!y) {
            err_set(&e, ERR_NOMEM, "project: out of memory for the output");
            status = cli_fail(&e);
            goto out;
        }
        dims = 2;
    }
    if (write_map(output, y, pts.n, (int)dims, pts.labels, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto out;
    }
    if (output)
        printf("%s -> %s\n", summary, output);
    else if (verbose)
        fprintf(stderr, "%s\n", summary);
out:
    free(y);
    io_points_free(&pts);
    return status;
}
