/* zspace bench: reproducible timings behind BENCHMARKS.md. Each benchmark
 * prints its method's inputs and the best/median of several repeats; figures
 * are meant to be compared side by side within one run. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>
#include <stdatomic.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/timer.h"
#include "data/dataset.h"
#include "embed/pca.h"
#include "embed/quality.h"
#include "embed/tsne.h"
#include "nn/nn.h"
#include "vae/vae.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void help_load(void)
{
    printf("usage: zspace bench load [--dataset mnist|fashion] [--repeat N]\n\n"
           "Times loading a whole dataset (train + test images as floats in [0,1],\n"
           "labels, all checks) N times (default 5); prints best and median.\n");
}

/* Time loading all of a dataset (train + test, images as floats, labels). */
static int bench_load(int argc, char **argv)
{
    const char *name = "mnist";
    long repeat = 5;
    const CliOpt *opts = CLI_OPTS(
        CLI_DATASET(&name),
        CLI_LONG("repeat", 'r', &repeat, 1, 1000));
    int rc = cli_parse_opts("bench", argc, argv, 1, opts, help_load, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (cli_check_dataset("bench", name))
        return EXIT_USAGE;
    if (cli_parse_only)
        return EXIT_OK;
    double *t = malloc((size_t)repeat * sizeof *t);
    if (!t)
        return EXIT_FAIL;
    size_t n = 0;
    for (long i = 0; i < repeat; i++) {
        Dataset ds;
        Err e = {0};
        double t0 = timer_now();
        if (dataset_load(name, &ds, &e) != ERR_OK) {
            free(t);
            return cli_fail(&e);
        }
        t[i] = timer_now() - t0;
        n = ds.train.n + ds.test.n;
        dataset_free(&ds);
    }
    qsort(t, (size_t)repeat, sizeof *t, cmp_double);
    printf("load %s: %zu images, %ld runs: best %.3f s, median %.3f s (%.0f images/s)\n", name, n,
           repeat, t[0], t[repeat / 2], (double)n / t[repeat / 2]);
    free(t);
    return EXIT_OK;
}

/* ---- bench train ---- */

enum { TRAIN_WARM_BATCHES = 20 };

/* Machine-wide busy CPU seconds from /proc/stat (0 if unavailable) and this
 * process's CPU seconds: their difference over a run is the load other
 * processes put on the machine meanwhile (the figures' noise). */
static double machine_busy_s(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long v[8] = {0};
    int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                       &v[3], &v[4], &v[5], &v[6], &v[7])
              : 0;
    if (f)
        fclose(f);
    if (n != 8)
        return 0;
    unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return (double)busy / (double)sysconf(_SC_CLK_TCK);
}

static double process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
    double seconds, t0, t1, busy0, cpu0, foreign, own;
    size_t counted, prev; /* samples after warm-up; samples seen in this epoch */
    size_t batches;
    atomic_int stop;
} TrainClock;

static void train_tick(void *user, const VaeProgress *p)
{
    TrainClock *c = user;
    double now = timer_now();
    if (p->batch == 1)
        c->prev = 0;
    size_t b = p->samples - c->prev;
    c->prev = p->samples;
    if (++c->batches == TRAIN_WARM_BATCHES) {
        c->t0 = now;
        c->busy0 = machine_busy_s();
        c->cpu0 = process_cpu_s();
        return;
    }
    if (c->batches < TRAIN_WARM_BATCHES)
        return;
    c->counted += b;
    c->t1 = now;
    if (now - c->t0 >= c->seconds) {
        double own = process_cpu_s() - c->cpu0, other = machine_busy_s() - c->busy0 - own;
        c->foreign = other > 0 ? other / (now - c->t0) : 0;
        c->own = own / (now - c->t0);
        atomic_store_explicit(&c->stop, 1, memory_order_release);
    }
}

/* FLOPs of one training sample counted as dense GEMMs: forward and weight
 * gradient of every layer, input gradient of all but the first (the same
 * 14 GEMMs as PyTorch for one hidden layer). Biases and element-wise work
 * are not counted. The sparse first layer does fewer real FLOPs. */
static double train_flops(const VaeConfig *c)
{
    /* first: X*H1; rest: every other layer's in*out (the heads are 2Z wide,
     * the decoder's last layer is H1*X again). */
    int k = c->n_hidden, hk = c->hidden[k - 1];
    double first = (double)c->x * c->hidden[0];
    double rest = 2.0 * hk * c->z + (double)c->z * hk + first;
    for (int i = 1; i < k; i++)
        rest += 2.0 * c->hidden[i - 1] * c->hidden[i];
    return 2.0 * (2 * first + 3 * rest);
}

/* Samples/s of vae_train_epoch (real shuffled MNIST batches, eps draws,
 * everything) after TRAIN_WARM_BATCHES batches, over `seconds`. */
static int train_rate(const Dataset *ds, int z, int threads, int batch, NnPrecision prec,
                      double seconds, double *rate, double *foreign, double *own, Err *e)
{
    VaeConfig c;
    vae_config_default(&c);
    c.z = z;
    Vae v;
    if (vae_init(&v, &c, batch, 1, e))
        return e->code;
    if (vae_set_threads(&v, threads, e) || vae_set_precision(&v, prec, e)) {
        vae_free(&v);
        return e->code;
    }
    TrainClock clk = {.seconds = seconds};
    atomic_init(&clk.stop, 0);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    o.batch = batch;
    o.progress = train_tick;
    o.user = &clk;
    o.cancel = &clk.stop;
    Rng rng;
    rng_seed(&rng, 1);
    int rc;
    while ((rc = vae_train_epoch(&v, &ds->train, &rng, &o, NULL, e)) == ERR_OK)
        ;
    vae_free(&v);
    if (rc != ERR_CANCELLED)
        return rc;
    err_clear(e);
    *rate = clk.counted / (clk.t1 - clk.t0);
    *foreign = clk.foreign;
    *own = clk.own;
    return ERR_OK;
}

/* The 14 GEMMs of a training step alone, back to back: the ceiling that
 * plain GEMM calls allow. fp32: OpenBLAS on `threads` threads. bf16: the
 * bf16 backend through nn_gemm on one thread (bf16 operands, fp32
 * outputs, conversions not included), times `threads` (perfect scaling). */
static double gemm_ceiling(int z, int threads, int B, NnPrecision prec, double seconds)
{
    const int X = VAE_X, H = 512;
    const int shape[5][2] = {{X, H}, {H, z}, {H, z}, {z, H}, {H, X}}; /* in, out */
    size_t big = (size_t)B * X + (size_t)H * X;
    float *a = calloc(big, sizeof *a), *w = calloc(big, sizeof *w), *o = calloc(big, sizeof *o);
    uint16_t *ah = calloc(big, sizeof *ah), *wh = calloc(big, sizeof *wh),
             *oh = calloc(big, sizeof *oh);
    NnGemm *g = NULL;
    NnGemmKind kind = NN_GEMM_BLAS;
    Err e = {0};
    if (prec == NN_PREC_BF16 && (nn_precision_resolve(prec, &prec, &kind, &e) ||
                                 nn_gemm_init(&g, kind, &e)))
        prec = NN_PREC_AUTO; /* cannot happen: the training run before resolved the same */
    if (!a || !w || !o || !ah || !wh || !oh || prec == NN_PREC_AUTO) {
        free(a), free(w), free(o), free(ah), free(wh), free(oh);
        nn_gemm_free(g);
        return 0;
    }
    if (!g)
        openblas_set_num_threads(threads);
    NnMat A = nn_mat(a, ah), W = nn_mat(w, wh), O = nn_mat(o, oh);
    long steps = 0;
    double t0 = timer_now(), t;
    do {
        for (int l = 0; l < 5; l++) {
            int in = shape[l][0], out = shape[l][1];
            nn_gemm(g, 0, 1, B, out, in, A, in, W, in, o, out, 0);
            nn_gemm(g, 1, 0, out, in, B, O, out, A, in, w, in, 0);
            if (l > 0)
                nn_gemm(g, 0, 0, B, in, out, O, out, W, in, a, in, 0);
        }
        steps++;
    } while ((t = timer_now() - t0) < seconds);
    openblas_set_num_threads(1);
    free(a), free(w), free(o), free(ah), free(wh), free(oh);
    double rate = steps * B / t * (g ? threads : 1);
    nn_gemm_free(g);
    return rate;
}

static void help_train(void)
{
    printf("usage: zspace bench train [--latent Z] [--threads T] [--batch B] [--seconds S]\n"
           "                          [--precision P] [--ceiling] [--json]\n\n"
           "Training throughput on MNIST (784-512-Z VAE, Adam, real shuffled batches):\n"
           "samples/s over S seconds (default 3) after %d warm-up batches, for\n"
           "Z = 2, 20, 64 and 1 and 2 threads unless given, in precision P (auto, fp32\n"
           "or bf16; default auto, as zspace train). gflops counts the 14 dense GEMMs\n"
           "of a step. --ceiling also times those GEMMs alone (fp32: OpenBLAS on T\n"
           "threads; bf16: the bf16 backend on one thread, times T).\n"
           "--json prints [{\"latent\", \"threads\", \"batch\", \"precision\",\n"
           "\"samples_per_s\", \"gflops\"}, ...] and nothing else.\n",
           TRAIN_WARM_BATCHES);
}

static int bench_train(int argc, char **argv)
{
    long zs[3] = {2, 20, 64}, ts[2] = {1, 2}, nz = 3, nt = 2, batch = 128, z = 0, threads = 0;
    NnPrecision want = NN_PREC_AUTO, prec;
    double seconds = 3;
    bool json = false, ceiling = false;
    const CliOpt *opts = CLI_OPTS(
        CLI_LONG("latent", 'z', &z, 1, VAE_MAX_Z),
        CLI_THREADS(&threads),
        CLI_LONG("batch", 'b', &batch, 1, 4096),
        CLI_DOUBLE("seconds", 's', &seconds, 0.1, 600),
        CLI_FLAG("json", 'j', &json),
        CLI_FLAG("ceiling", 'c', &ceiling),
        CLI_PRECISION(&want));
    int rc = cli_parse_opts("bench", argc, argv, 1, opts, help_train, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (cli_parse_only)
        return EXIT_OK;
    if (z) /* one latent size and thread count instead of the sweep, when given */
        zs[0] = z, nz = 1;
    if (threads)
        ts[0] = threads, nt = 1;
    Dataset ds;
    Err e = {0};
    if (nn_precision_resolve(want, &prec, NULL, &e) != ERR_OK) {
        err_prefix(&e, "bench: --precision");
        return cli_fail(&e);
    }
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        return cli_fail(&e);
    nn_set_threads(1);
    if (json)
        printf("[");
    for (int i = 0; i < nz; i++)
        for (int j = 0; j < nt; j++) {
            VaeConfig cfg;
            vae_config_default(&cfg);
            cfg.z = (int)zs[i];
            double rate = 0, foreign = 0, own = 0, gf;
            if (train_rate(&ds, (int)zs[i], (int)ts[j], (int)batch, prec, seconds, &rate,
                           &foreign, &own, &e)) {
                dataset_free(&ds);
                return cli_fail(&e);
            }
            gf = rate * train_flops(&cfg) * 1e-9;
            if (json) {
                printf("%s{\"latent\": %ld, \"threads\": %ld, \"batch\": %ld, "
                       "\"precision\": \"%s\", \"samples_per_s\": %.1f, \"gflops\": %.2f}",
                       i + j ? ", " : "", zs[i], ts[j], batch, nn_precision_name(prec), rate, gf);
                continue;
            }
            printf("train Z=%-3ld threads=%ld batch=%ld %s: %8.0f samples/s  %6.1f GFLOP/s  "
                   "(own %.2f cores, others %.2f)",
                   zs[i], ts[j], batch, nn_precision_name(prec), rate, gf, own, foreign);
            if (ceiling) {
                double g = gemm_ceiling((int)zs[i], (int)ts[j], (int)batch, prec, seconds);
                printf("  | 14-GEMM ceiling %8.0f samples/s (%.0f%% reached)", g, 100 * rate / g);
            }
            printf("\n");
            fflush(stdout);
        }
    if (json)
        printf("]\n");
    dataset_free(&ds);
    return EXIT_OK;
}

static void help_tsne(void)
{
    printf("usage: zspace bench tsne [--n N] [--threads T] [--iters I] [--theta T]\n"
           "                         [--no-quality]\n\n"
           "t-SNE (perplexity 30, Barnes-Hut theta 0.5) of the first N MNIST images\n"
           "(default 10000: the test set; up to 70000 with the training set), after\n"
           "PCA to 50 dims. Prints the time of each phase, iterations per second, the\n"
           "final KL divergence, 10-NN label accuracy in the map and trustworthiness\n"
           "(k = 10; N <= 20000 only), and the cores other processes used meanwhile.\n");
}

/* t-SNE on the first N MNIST images (test set first, then train: N = 10,000
 * is the test set, 70,000 all of MNIST), reduced to 50 dims by PCA as in
 * bench/tsne_compare.py; phase times, iterations/s, KL and map quality. */
static int bench_tsne(int argc, char **argv)
{
    long n = 10000, threads = 2, iters = 1000;
    double theta = 0.5;
    bool no_quality = false;
    const CliOpt *opts = CLI_OPTS(
        CLI_LONG("n", 0, &n, 100, 70000),
        CLI_LONG("threads", 0, &threads, 1, 64),
        CLI_LONG("iters", 0, &iters, 1, 100000),
        CLI_DOUBLE("theta", 0, &theta, 0, 2),
        CLI_FLAG("no-quality", 0, &no_quality));
    int rc = cli_parse_opts("bench", argc, argv, 1, opts, help_tsne, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (cli_parse_only)
        return EXIT_OK;
    int quality = !no_quality;
    Dataset ds;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        return cli_fail(&e);
    openblas_set_num_threads(1); /* our threads call sgemm themselves */
    const size_t nn = (size_t)n, nt = nn < ds.test.n ? nn : ds.test.n, x = (size_t)ds.test.x;
    float *img = malloc(nn * x * sizeof *img), *x50 = malloc(nn * 50 * sizeof *x50);
    int32_t *lab = malloc(nn * sizeof *lab);
    int status = EXIT_OK;
    Pca pca = {0};
    TsneState s = {0};
    if (!img || !x50 || !lab) {
        err_set(&e, ERR_NOMEM, "bench tsne: out of memory for %zu images", nn);
        status = cli_fail(&e);
        goto out;
    }
    memcpy(img, ds.test.images, nt * x * sizeof *img);
    memcpy(img + nt * x, ds.train.images, (nn - nt) * x * sizeof *img);
    for (size_t i = 0; i < nn; i++)
        lab[i] = i < nt ? ds.test.labels[i] : ds.train.labels[i - nt];
    double busy0 = machine_busy_s(), cpu0 = process_cpu_s(), t0 = timer_now();
    if (pca_fit(&pca, img, nn, (int)x, 50, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto out;
    }
    pca_transform(&pca, img, nn, x50);
    double t1 = timer_now();
    TsneParams p;
    tsne_params_default(&p);
    p.theta = theta;
    p.threads = (int)threads;
    if (tsne_init(&s, x50, nn, 50, &p, NULL, NULL, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto out;
    }
    double t2 = timer_now();
    if (tsne_step(&s, (int)iters, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto out;
    }
    double t3 = timer_now();
    double own = process_cpu_s() - cpu0, other = machine_busy_s() - busy0 - own;
    double kl = tsne_kl(&s), acc = 0.0, tw = -1.0;
    if (quality && quality_knn_accuracy(s.y, nn, 2, lab, 10, (int)threads, &acc, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto out;
    }
    if (quality && nn <= 20000 &&
        quality_trustworthiness(x50, 50, s.y, 2, nn, 10, (int)threads, &tw, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto out;
    }
    printf("tsne mnist N=%zu threads=%ld theta=%g: pca-50 %.2f s, knn %.2f s, affinities %.2f s, "
           "%d iterations %.2f s (%.0f it/s); t-SNE total %.2f s\n",
           nn, threads, theta, t1 - t0, s.time_knn, s.time_affinity, s.iter, t3 - t2,
           s.iter / (t3 - t2), t3 - t1);
    printf("  KL %.4f", kl);
    if (quality)
        printf(", 10-NN accuracy %.4f", acc);
    if (tw >= 0.0)
        printf(", trustworthiness(10) %.4f", tw);
    printf("; own %.2f cores, other processes %.2f cores meanwhile\n", own / (t3 - t0),
           other > 0 ? other / (t3 - t0) : 0.0);
out:
    tsne_free(&s);
    pca_free(&pca);
    free(img);
    free(x50);
    free(lab);
    dataset_free(&ds);
    return status;
}

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int, char **);
} Bench;

static const Bench benches[] = {
    {"load", "time to load a whole dataset (IDX parse + float conversion)", bench_load},
    {"train", "VAE training throughput (samples/s, GFLOP/s) for Z = 2, 20, 64", bench_train},
    {"tsne", "t-SNE of MNIST (PCA-50): phase times, it/s, KL, 10-NN accuracy", bench_tsne},
    {"explore", "the explorer window: start-up, frame work, click latency, decode", bench_explore},
};

int cmd_bench(int argc, char **argv)
{
    int nb = (int)(sizeof benches / sizeof benches[0]);
    if (argc < 2) /* an error line first, like every usage error, then the list */
        fprintf(stderr, "zspace: bench: name a benchmark\n\n");
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: zspace bench <benchmark> [options]\n\nbenchmarks:\n");
        for (int i = 0; i < nb; i++)
            fprintf(f, "  %-8s %s\n", benches[i].name, benches[i].summary);
        fprintf(f, "\nMethod and recorded figures: BENCHMARKS.md.\n");
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (int i = 0; i < nb; i++)
        if (!strcmp(argv[1], benches[i].name))
            return benches[i].run(argc - 1, argv + 1);
    return cli_usage("bench", "unknown benchmark '%s'", argv[1]);
}
