/* zspace train: train a VAE on MNIST or Fashion-MNIST and save it as
 * safetensors. Thin: options and reporting here; the model in src/vae.
 *
 * After every epoch the model is evaluated on the test set and saved
 * (atomically), so the file always holds the last complete epoch: that is
 * what Ctrl-C leaves behind (the interrupted epoch is dropped), and what a
 * crash would. Exit 0 done, 1 failure, 2 usage, 130 interrupted. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
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

static int parse_args(int argc, char **argv, TrainArgs *a)
{
    static const struct option opts[] = {
        {"dataset", required_argument, 0, 'd'}, {"latent", required_argument, 0, 'z'},
        {"beta", required_argument, 0, 'b'},    {"epochs", required_argument, 0, 'e'},
        {"batch", required_argument, 0, 'B'},   {"hidden", required_argument, 0, 'H'},
        {"lr", required_argument, 0, 'l'},      {"seed", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'}, {"train-limit", required_argument, 0, 'L'},
        {"output", required_argument, 0, 'o'},  {"help", no_argument, 0, 'h'},
        {"precision", required_argument, 0, 'P'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    vae_config_default(&a->cfg);
    a->cfg.z = 2;
    a->dataset = "mnist";
    a->epochs = 10;
    a->batch = 128;
    a->lr = 1e-3;
    a->threads = nn_online_cpus();
    long z;
    double beta;
    int c;
    cli_getopt_begin(1);
    while ((c = cli_getopt(argc, argv, ":d:z:b:e:B:H:s:t:o:h", opts)) != -1) {
        int rc = EXIT_OK;
        switch (c) {
        case 'd': a->dataset = optarg; break;
        case 'z':
            if (!(rc = cli_parse_long("train", "--latent", optarg, 1, VAE_MAX_Z, &z)))
                a->cfg.z = (int)z;
            break;
        case 'b':
            if (!(rc = cli_parse_double("train", "--beta", optarg, 0, 1000, &beta)))
                a->cfg.beta = (float)beta;
            break;
        case 'e': rc = cli_parse_long("train", "--epochs", optarg, 1, 10000, &a->epochs); break;
        case 'B': rc = cli_parse_long("train", "--batch", optarg, 1, 4096, &a->batch); break;
        case 'H': {
            Err e = {0};
            if (vae_hidden_parse(optarg, &a->cfg, &e) != ERR_OK)
                rc = cli_usage("train", "--%s", e.msg);
            break;
        }
        case 'l':
            rc = cli_parse_double("train", "--lr", optarg, 1e-9, 1, &a->lr);
            break;
        case 's': rc = cli_parse_long("train", "--seed", optarg, 0, LONG_MAX, &a->seed); break;
        case 't':
            rc = cli_parse_long("train", "--threads", optarg, 1, NN_MAX_THREADS, &a->threads);
            break;
        case 'L':
            rc = cli_parse_long("train", "--train-limit", optarg, 1, 1000000000, &a->limit);
            break;
        case 'o': a->out = optarg; break;
        case 'P':
            if (nn_precision_parse(optarg, &a->precision))
                rc = cli_usage("train", "--precision '%s': expected auto, fp32 or bf16", optarg);
            break;
        case 'h': help(); return -1;
        default: return cli_bad_option("train", c, argv);
        }
        if (rc)
            return rc;
    }
    if (!dataset_find(a->dataset))
        return cli_usage("train", "--dataset '%s': expected mnist or fashion", a->dataset);
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
