/* zspace study: the blog's experiments reproduced with numbers, in one
 * command (src/study/study.h). Thin: options, progress and printing here.
 * Exit 0 done, 1 failure, 2 usage, 130 interrupted. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "classify/clf.h"
#include "cli.h"
#include "cli_opts.h"
#include "core/afile.h"
#include "core/timer.h"
#include "data/dataset.h"
#include "nn/nn.h"
#include "progress.h"
#include "study/study.h"
#include "vae/vae.h"

static void help(void)
{
    char cache[4096];
    study_default_cache_dir(cache, sizeof cache);
    printf("usage: zspace study [--dataset mnist|fashion] [--epochs E] [-o DIR] [options]\n\n"
           "Reproduces the experiments of the blog post \"Variational AutoEncoder (VAE) for\n"
           "generating new handwritten digits\" with numbers: trains (or reuses) six VAEs,\n"
           "Z=2 beta=1, Z=64 beta=1, Z=2 beta=0, Z=2 beta=10, Z=64 beta=0, Z=64 beta=10,\n"
           "measures each one (test -ELBO, recon, KL, IWAE log-likelihood with K=1000 on\n"
           "1,000 test images, active units, 10-NN accuracy of the latent means, prior and\n"
           "posterior sample quality and diversity by zspace's digit classifier, blur), and\n"
           "writes DIR/README.md with one table row per model, a line per claim of the blog\n"
           "saying whether the numbers support it and by how much, and the figures; every\n"
           "number also goes to DIR/results.json.\n\n"
           "The default (%d epochs per model) takes about 5-8 minutes on 2 cores when no\n"
           "model is cached (7.5 min measured with other jobs running), 1-2 minutes when\n"
           "all are (measuring and drawing the figures).\n\n"
           "  -d, --dataset NAME   mnist or fashion (default mnist)\n"
           "  -e, --epochs E       training epochs per model, 1..10000 (default %d)\n"
           "  -o, --output DIR     report directory, created if missing (default report)\n"
           "  -H, --hidden H       hidden units of every model (default 512)\n"
           "  -s, --seed S         training seed of every model (default 0)\n"
           "      --cache DIR      model cache (default %s)\n"
           "      --classifier F   the classifier (default: the dataset's default one,\n"
           "                       trained first if missing; see zspace classify)\n"
           "      --samples N      prior and posterior samples per model (default 1000)\n"
           "      --iw K           IWAE samples per image, 0 to skip (default 1000)\n"
           "      --iw-n N         IWAE test images (default 1000)\n"
           "      --train-limit N  train on the first N images only (quick runs, tests;\n"
           "                       such models are cached under their own names)\n"
           "      --test-limit N   measure on the first N test images only\n"
           "  -t, --threads T      threads (default: the number of online CPUs)\n"
           "      --precision P    training precision: auto, fp32 or bf16 (default auto,\n"
           "                       as zspace train; bf16 models are cached apart)\n"
           "  -h, --help           this help\n\n"
           "A cached model is reused only when its file's metadata matches exactly\n"
           "(dataset, latent, beta, hidden, epochs, seed, precision). Progress bars go to stderr when\n"
           "it is a terminal; one line per model goes to stdout. Ctrl-C stops (exit 130);\n"
           "models finished so far stay cached.\n",
           STUDY_DEFAULT_EPOCHS, STUDY_DEFAULT_EPOCHS, cache);
}

typedef struct {
    StudyOpts o;
    const char *out;
    char cache[4096], clf[4096];
    long threads;
} Args;

static int parse_args(int argc, char **argv, Args *a)
{
    memset(a, 0, sizeof *a);
    study_opts_default(&a->o);
    a->out = "report";
    a->threads = nn_online_cpus();
    const char *cache = NULL, *clf = NULL;
    /* Whole numbers are parsed as long; StudyOpts holds narrower types. */
    StudyOpts *o = &a->o;
    long epochs = o->epochs, hidden = o->hidden, seed = (long)o->seed, samples = o->n_samples,
         iw = o->iw_k, iw_n = (long)o->iw_n, train_limit = (long)o->train_limit,
         test_limit = (long)o->test_limit;
    const CliOpt *opts = CLI_OPTS(
        CLI_DATASET(&o->dataset),
        CLI_LONG("epochs", 'e', &epochs, 1, 10000),
        CLI_OUTPUT(&a->out),
        CLI_LONG("hidden", 'H', &hidden, 1, VAE_MAX_HIDDEN),
        CLI_SEED(&seed),
        CLI_STRING("cache", 0, &cache),
        CLI_STRING("classifier", 0, &clf),
        CLI_LONG("samples", 0, &samples, 1, 100000),
        CLI_LONG("iw", 0, &iw, 0, VAE_MAX_IW),
        CLI_LONG("iw-n", 0, &iw_n, 1, 1000000),
        CLI_LONG("train-limit", 0, &train_limit, 1, 1000000000),
        CLI_LONG("test-limit", 0, &test_limit, 100, 1000000000),
        CLI_THREADS(&a->threads),
        CLI_PRECISION(&o->precision));
    int rc = cli_parse_opts("study", argc, argv, 1, opts, help, NULL);
    if (rc)
        return rc;
    o->epochs = (int)epochs;
    o->hidden = (int)hidden;
    o->seed = (uint64_t)seed;
    o->n_samples = (int)samples;
    o->iw_k = (int)iw;
    o->iw_n = (size_t)iw_n;
    o->train_limit = (size_t)train_limit;
    o->test_limit = (size_t)test_limit;
    if (cli_check_dataset("study", a->o.dataset))
        return EXIT_USAGE;
    if (!*a->out)
        return cli_usage("study", "-o: empty directory name");
    struct stat st;
    if (stat(a->out, &st) == 0 && !S_ISDIR(st.st_mode))
        return cli_usage("study", "-o '%s' is a file; give a directory", a->out);
    if (cache)
        snprintf(a->cache, sizeof a->cache, "%s", cache);
    else
        study_default_cache_dir(a->cache, sizeof a->cache);
    if (clf)
        snprintf(a->clf, sizeof a->clf, "%s", clf);
    else
        clf_default_path(a->o.dataset, a->clf, sizeof a->clf);
    a->o.cache_dir = a->cache;
    a->o.clf_path = a->clf;
    a->o.threads = (int)a->threads;
    return EXIT_OK;
}

static const char *stage_name(StudyStage s)
{
    switch (s) {
    case STUDY_STAGE_CLASSIFIER: return "classifier";
    case STUDY_STAGE_TRAIN: return "train";
    case STUDY_STAGE_EVAL: return "eval";
    case STUDY_STAGE_IWAE: return "IWAE";
    case STUDY_STAGE_METRICS: return "metrics";
    case STUDY_STAGE_FIGURES: return "figures";
    default: return "";
    }
}

typedef struct {
    CliBar bar;
} View;

static void on_progress(void *user, const StudyProgress *p)
{
    View *v = user;
    if (p->stage == STUDY_STAGE_MODEL_DONE) {
        const StudyModel *m = p->result;
        cli_bar_clear(&v->bar);
        char took[32];
        cli_fmt_duration(p->seconds, took, sizeof took);
        printf("[%d/%d] Z=%d beta=%g: %s%.0f s, measured %.0f s  -ELBO %.2f  %d-NN %.1f%%  "
               "prior max-p %.3f  post max-p %.3f  (elapsed %s)\n",
               p->model + 1, p->n_models, m->spec.z, (double)m->spec.beta,
               m->reused ? "cached, " : "trained ", m->reused ? 0.0 : m->train_seconds,
               m->measure_seconds, m->eval.neg_elbo, STUDY_KNN_K, 100 * m->knn.mean,
               m->prior.maxp.mean, m->post.maxp.mean, took);
        fflush(stdout);
        return;
    }
    if (!v->bar.tty)
        return;
    enum { W = 20 };
    char bar[W + 1];
    int full = p->total ? (int)((double)W * (double)p->done / (double)p->total) : 0;
    for (int i = 0; i < W; i++)
        bar[i] = i < full ? '#' : '.';
    bar[W] = '\0';
    char took[32], model[48] = "", epoch[32] = "", loss[32] = "";
    cli_fmt_duration(p->seconds, took, sizeof took);
    if (p->model >= 0)
        snprintf(model, sizeof model, "[%d/%d] Z=%d beta=%g ", p->model + 1, p->n_models,
                 study_specs[p->model].z, (double)study_specs[p->model].beta);
    if (p->stage == STUDY_STAGE_TRAIN)
        snprintf(epoch, sizeof epoch, " epoch %d/%d", p->epoch, p->epochs);
    if (p->stage == STUDY_STAGE_TRAIN || p->stage == STUDY_STAGE_CLASSIFIER)
        snprintf(loss, sizeof loss, "  loss %.3f", p->loss);
    cli_bar_draw(&v->bar, 0, "%s%s%s [%s] %zu/%zu%s  elapsed %s", model, stage_name(p->stage),
                 epoch, bar, p->done, p->total, loss, took);
}

int cmd_study(int argc, char **argv)
{
    Args a;
    int rc = parse_args(argc, argv, &a);
    if (rc || cli_parse_only)
        return cli_parsed_exit(rc);
    nn_set_threads((int)a.threads);
    Err e = {0};
    NnPrecision prec;
    if (nn_precision_resolve(a.o.precision, &prec, NULL, &e) != ERR_OK) {
        err_prefix(&e, "study: --precision");
        return cli_fail(&e);
    }
    char stage[4200];
    if (afile_mkdirs(a.out, &e) != ERR_OK || study_stage_open(a.out, stage, sizeof stage, &e))
        return cli_fail(&e);
    static atomic_int interrupted;
    cli_interrupt_install(&interrupted);
    View view;
    cli_bar_init(&view.bar);
    a.o.progress = on_progress;
    a.o.user = &view;
    a.o.cancel = &interrupted;
    printf("study %s: 6 models, %d epoch%s each, hidden %d, seed %llu, %ld thread%s, %s; "
           "cache %s; report %s/README.md\n",
           a.o.dataset, a.o.epochs, a.o.epochs == 1 ? "" : "s", a.o.hidden, (unsigned long long)a.o.seed, a.threads,
           a.threads == 1 ? "" : "s", nn_precision_name(prec), a.o.cache_dir, a.out);
    fflush(stdout);
    StudyResult r;
    int committed = 0;
    rc = study_run(&a.o, &r, &e);
    cli_bar_clear(&view.bar);
    if (rc == ERR_OK) {
        StudyFigures figs;
        memset(&figs, 0, sizeof figs);
        rc = study_figures(stage, &a.o, &r, &figs, &e);
        cli_bar_clear(&view.bar);
        if (rc == ERR_OK) {
            r.seconds = timer_now() - r.t_start;
            rc = study_write_report(stage, &r, &figs, &e);
        }
        /* An interrupt that came in while the report was written still
         * leaves the previous report as it was. */
        if (rc == ERR_OK && !atomic_load(&interrupted)) {
            rc = study_stage_commit(stage, a.out, &e);
            committed = rc == ERR_OK;
        }
    }
    if (!committed)
        study_stage_abort(stage);
    cli_interrupt_remove();
    if (!committed && (rc == ERR_CANCELLED || atomic_load(&interrupted))) {
        if (rc == ERR_OK)
            study_result_free(&r);
        fprintf(stderr,
                "zspace: study: interrupted; the report in %s is unchanged; models finished "
                "so far stay in %s\n",
                a.out, a.o.cache_dir);
        return EXIT_INTERRUPTED;
    }
    if (rc != ERR_OK)
        return cli_fail(&e);
    char took[32];
    cli_fmt_duration(r.seconds, took, sizeof took);
    printf("classifier accuracy %.2f%%; wrote %s/README.md and %s/results.json (%s)\n",
           100 * r.clf_accuracy, a.out, a.out, took);
    StudyClaim claims[STUDY_MAX_CLAIMS];
    int n = study_claims(&r, claims, STUDY_MAX_CLAIMS);
    for (int i = 0; i < n; i++)
        printf("claim: %s: %s\n", claims[i].claim, metric_verdict_name(claims[i].verdict));
    study_result_free(&r);
    return EXIT_OK;
}
