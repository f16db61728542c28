/* zspace train: train a VAE on MNIST or Fashion-MNIST and save it as
 * safetensors. Thin: options and reporting here; the model in src/vae.
 *
 * After every epoch the model is evaluated on the test set and saved
 * (atomically), so the file always holds the last complete epoch: that is
 * what Ctrl-C leaves behind (the interrupted epoch is dropped), and what a
 * crash would. Exit 0 done, 1 failure, 2 usage, 130 interrupted. */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/timer.h"
#include "data/dataset.h"
#include "nn/nn.h"
#include "progress.h"
#include "vae/vae.h"
#include "vae/vae_eval.h"
#include "vae/vae_io.h"

static void help(void)
{
    printf("usage: zspace train -o MODEL.safetensors [options]\n\n"
           "Trains a variational autoencoder (MLP encoder and decoder, Bernoulli pixels,\n"
           "Gaussian latent) with Adam and saves it as safetensors (docs/MODEL_FORMAT.md).\n\n"
           "  -d, --dataset NAME   mnist or fashion (default mnist)\n"
           "  -z, --latent Z       latent dimensions, 1..%d (default 2)\n"
           "  -b, --beta B         KL weight, 0..1000 (default 1)\n"
           "  -e, --epochs E       passes over the training set, 1..10000 (default 10)\n"
           "  -B, --batch N        minibatch size, 1..4096 (default 128)\n"
           "  -H, --hidden H[,H2]  hidden layer widths, input side first, up to %d layers\n"
           "                       of 1..%d (default 512)\n"
           "      --lr L           Adam learning rate, (0, 1] (default 0.001)\n"
           "  -s, --seed S         seed for initialization, shuffling and noise (default 0)\n"
           "  -t, --threads T      threads (default: the number of online CPUs)\n"
           "      --precision P    auto, fp32 or bf16 (default auto: bf16 mixed precision\n"
           "                       where the CPU has native bf16 dot products, else fp32)\n"
           "      --train-limit N  use only the first N training images (quick runs, tests)\n"
           "  -o, --output FILE    where to save the model (required)\n"
           "  -h, --help           this help\n\n"
           "After each epoch one line on stdout: the training loss and the test loss, each\n"
           "split into reconstruction and KL (nats per image; loss = recon + beta * KL),\n"
           "and the model is saved. A progress bar goes to stderr when it is a terminal.\n"
           "Ctrl-C stops: the file keeps the last complete epoch; exit status 130.\n"
           "The same seed, options, thread count and precision give the identical model.\n",
           VAE_MAX_Z, VAE_MAX_LAYERS, VAE_MAX_HIDDEN);
}

typedef struct {
    const char *dataset, *out;
    long epochs, batch, seed, threads, limit;
    double lr;
    NnPrecision precision;
    VaeConfig cfg;
} TrainArgs;

/* --hidden H[,H2...] into the model's layer widths. */
static int parse_hidden(const char *cmd, const char *opt, const char *arg, void *dst)
{
    (void)opt;
    Err e = {0};
    if (vae_hidden_parse(arg, dst, &e) != ERR_OK)
        return cli_usage(cmd, "--%s", e.msg);
    return EXIT_OK;
}

static int parse_args(int argc, char **argv, TrainArgs *a)
{
    memset(a, 0, sizeof *a);
    vae_config_default(&a->cfg);
    a->dataset = "mnist";
    a->epochs = 10;
    a->batch = 128;
    a->lr = 1e-3;
    a->threads = nn_online_cpus();
    long z = 2;
    double beta = a->cfg.beta;
    const CliOpt *opts = CLI_OPTS(
        CLI_DATASET(&a->dataset),
        CLI_LONG("latent", 'z', &z, 1, VAE_MAX_Z),
        CLI_DOUBLE("beta", 'b', &beta, 0, 1000),
        CLI_LONG("epochs", 'e', &a->epochs, 1, 10000),
        CLI_LONG("batch", 'B', &a->batch, 1, 4096),
        CLI_CALL("hidden", 'H', parse_hidden, &a->cfg),
        CLI_DOUBLE("lr", 0, &a->lr, 1e-9, 1),
        CLI_SEED(&a->seed),
        CLI_THREADS(&a->threads),
        CLI_LONG("train-limit", 0, &a->limit, 1, 1000000000),
        CLI_OUTPUT(&a->out),
        CLI_PRECISION(&a->precision));
    int rc = cli_parse_opts("train", argc, argv, 1, opts, help, NULL);
    if (rc)
        return rc;
    a->cfg.z = (int)z;
    a->cfg.beta = (float)beta;
    if (cli_check_dataset("train", a->dataset))
        return EXIT_USAGE;
    if (!a->out)
        return cli_usage("train", "missing -o FILE (where to save the model)");
    return cli_check_output("train", "-o", a->out);
}

typedef struct {
    CliBar bar;
    long epoch, epochs;
    size_t n_train;
} TrainView;

static void on_progress(void *user, const VaeProgress *p)
{
    TrainView *tv = user;
    if (!tv->bar.tty)
        return;
    size_t left = (size_t)(tv->epochs - tv->epoch) * tv->n_train + (tv->n_train - p->samples);
    char eta[32];
    cli_fmt_duration(p->samples_per_s > 0 ? (double)left / p->samples_per_s : 0, eta, sizeof eta);
    enum { W = 20 };
    char bar[W + 1];
    int full = (int)((double)W * (double)p->batch / (double)p->batches);
    for (int i = 0; i < W; i++)
        bar[i] = i < full ? '#' : '.';
    bar[W] = '\0';
    cli_bar_draw(&tv->bar, p->batch == p->batches,
                 "epoch %ld/%ld [%s] %zu/%zu  loss %.2f  %.0f samples/s  ETA %s", tv->epoch,
                 tv->epochs, bar, p->batch, p->batches, p->epoch_loss, p->samples_per_s, eta);
}

int cmd_train(int argc, char **argv)
{
    TrainArgs a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return cli_parsed_exit(rc);
    Err e = {0};
    if (vae_config_check(&a.cfg, &e) != ERR_OK)
        return cli_usage("train", "%s", e.msg);
    if (cli_parse_only)
        return EXIT_OK;
    nn_set_threads((int)a.threads);
    NnPrecision prec;
    if (nn_precision_resolve(a.precision, &prec, NULL, &e) != ERR_OK) {
        err_prefix(&e, "train: --precision");
        return cli_fail(&e);
    }

    Dataset ds;
    if (dataset_load(a.dataset, &ds, &e) != ERR_OK)
        return cli_fail(&e);
    DataSplit train = ds.train;
    if (a.limit > 0 && (size_t)a.limit < train.n)
        train.n = (size_t)a.limit;

    Vae v;
    if (vae_init(&v, &a.cfg, (int)a.batch, (uint64_t)a.seed, &e) != ERR_OK ||
        vae_set_precision(&v, prec, &e) != ERR_OK) {
        vae_free(&v);
        dataset_free(&ds);
        return cli_fail(&e);
    }
    /* Shuffling and noise get their own stream, apart from the init's. */
    Rng base, rng;
    rng_seed(&base, (uint64_t)a.seed);
    rng = rng_split(&base);

    VaeFileInfo info;
    vae_file_info_init(&info);
    snprintf(info.dataset, sizeof info.dataset, "%s", a.dataset);
    info.seed = (uint64_t)a.seed;

    static atomic_int interrupted;
    cli_interrupt_install(&interrupted);
    char hidden[96];
    vae_hidden_str(&a.cfg, hidden, sizeof hidden);
    printf("train %s: %zu images (test %zu), latent %d, hidden %s, beta %g, batch %ld, lr %g, "
           "%ld thread%s, %s, seed %ld -> %s\n",
           ds.title, train.n, ds.test.n, a.cfg.z, hidden, (double)a.cfg.beta, a.batch, a.lr,
           a.threads, a.threads == 1 ? "" : "s", nn_precision_name(prec), a.seed, a.out);
    fflush(stdout);

    TrainView tv = {.epochs = a.epochs, .n_train = train.n};
    cli_bar_init(&tv.bar);
    VaeTrainOpts to;
    vae_train_opts_default(&to);
    to.batch = (int)a.batch;
    to.lr = (float)a.lr;
    to.progress = on_progress;
    to.user = &tv;
    to.cancel = &interrupted;
    VaeEvalOpts eo;
    vae_eval_opts_default(&eo);
    eo.threads = (int)a.threads;
    eo.cancel = &interrupted;

    int status = EXIT_OK;
    double t_start = timer_now();
    for (long ep = 1; ep <= a.epochs; ep++) {
        tv.epoch = ep;
        double t0 = timer_now();
        VaeLoss tr;
        rc = vae_train_epoch(&v, &train, &rng, &to, &tr, &e);
        cli_bar_clear(&tv.bar);
        if (rc == ERR_CANCELLED)
            break;
        if (rc != ERR_OK) {
            char what[64];
            snprintf(what, sizeof what, "train: epoch %ld", ep);
            err_prefix(&e, what);
            status = cli_fail(&e);
            break;
        }
        double t_train = timer_now() - t0;
        /* Test loss: the training objective recon + beta * KL on the test set. */
        VaeEval te;
        VaeEpochLoss l = {tr.loss, tr.recon, tr.kl, NAN, NAN, NAN};
        rc = vae_evaluate(&v, &ds.test, &eo, &te, &e);
        if (rc == ERR_OK) {
            l.test_recon = te.recon;
            l.test_kl = te.kl;
            l.test = te.recon + (double)a.cfg.beta * te.kl;
        } else if (rc != ERR_CANCELLED) {
            status = cli_fail(&e);
            break;
        }
        info.epochs = ep;
        if (vae_file_info_push(&info, &l, &e) != ERR_OK ||
            vae_save(a.out, &v, &info, &e) != ERR_OK) {
            status = cli_fail(&e);
            break;
        }
        char test[96] = "test not measured (interrupted)";
        if (rc == ERR_OK)
            snprintf(test, sizeof test, "test %.2f (recon %.2f, kl %.2f)", l.test, l.test_recon,
                     l.test_kl);
        printf("epoch %ld/%ld  train %.2f (recon %.2f, kl %.2f)  %s  %.0f samples/s  %.1f s\n",
               ep, a.epochs, l.train, l.train_recon, l.train_kl, test, (double)train.n / t_train,
               timer_now() - t0);
        fflush(stdout);
        if (rc == ERR_CANCELLED)
            break;
    }
    cli_interrupt_remove();
    if (status == EXIT_OK && atomic_load(&interrupted)) {
        if (info.epochs > 0)
            fprintf(stderr, "zspace: train: interrupted; %s holds epoch %ld of %ld\n", a.out,
                    info.epochs, a.epochs);
        else
            fprintf(stderr, "zspace: train: interrupted in the first epoch; nothing saved\n");
        status = EXIT_INTERRUPTED;
    } else if (status == EXIT_OK) {
        char took[32];
        cli_fmt_duration(timer_now() - t_start, took, sizeof took);
        printf("saved %s (%ld epoch%s, %s)\n", a.out, info.epochs, info.epochs == 1 ? "" : "s",
               took);
    }
    vae_file_info_free(&info);
    vae_free(&v);
    dataset_free(&ds);
    return status;
}
