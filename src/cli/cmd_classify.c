/* zspace classify: the digit classifier that judges generated images
 * (src/classify/clf.h). Thin: options and printing here.
 *   classify train    train one (default: the cached default classifier)
 *   classify eval     its accuracy on the test split, overall and per class
 *   classify predict  the class of PNG images or of every image in IDX files
 *                     (classify_predict.c)
 *   classify samples  how a VAE's prior (or posterior) samples read to it
 * Exit 0 done, 1 failure, 2 usage, 130 interrupted. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/clf.h"
#include "classify_predict.h"
#include "cli.h"
#include "cli_opts.h"
#include "core/afile.h"
#include "core/timer.h"
#include "data/dataset.h"
#include "nn/nn.h"
#include "progress.h"
#include "study/metrics.h"
#include "study/study.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static void help(void)
{
    char path[4096];
    clf_default_path("mnist", path, sizeof path);
    printf("usage: zspace classify train [-o FILE] [options]\n"
           "       zspace classify eval [-m FILE] [--json]\n"
           "       zspace classify predict [-m FILE] [--invert] IMAGE.png|IMAGES.idx...\n"
           "       zspace classify samples -v VAE.safetensors [-m FILE] [--posterior] [--json]\n\n"
           "A small digit classifier (MLP 784-H-10, ReLU, softmax; Adam) that zspace trains\n"
           "itself to judge the images its VAEs make. The default one for a dataset lives at\n"
           "  %s\n"
           "(classifier-fashion.safetensors for Fashion-MNIST); `zspace study` trains it when\n"
           "it is missing. 784-256-10 reaches ~98%% on the MNIST test set in 5 epochs.\n\n"
           "train:\n"
           "  -o, --output FILE    where to save (default: the dataset's default classifier)\n"
           "  -d, --dataset NAME   mnist or fashion (default mnist)\n"
           "  -e, --epochs E       passes over the training set, 1..1000 (default %d)\n"
           "  -H, --hidden H       hidden units, 1..%d (default %d)\n"
           "  -s, --seed S         seed for initialization and shuffling (default 0)\n"
           "      --train-limit N  use only the first N training images\n"
           "  Prints the loss per epoch and the test accuracy; same seed, same file.\n\n"
           "eval:     accuracy on the test split, overall and per class\n"
           "predict:  one line per image: FILE (or FILE#INDEX for IDX files), the class,\n"
           "          its probability. PNGs must be 28x28; white ink on black paper as in\n"
           "          MNIST (--invert for dark ink on light paper); transparent = paper.\n"
           "samples:  decodes N prior samples z ~ N(0, I) of a VAE (with --posterior: one\n"
           "          z ~ q(z|x) for each of the first N test images) and prints the mean\n"
           "          max-probability, the entropy of the predicted-class histogram (bits),\n"
           "          the histogram, and the blur (mean pixel entropy; see zspace study)\n\n"
           "common:\n"
           "  -m, --model FILE     the classifier (default: the dataset's default)\n"
           "  -v, --vae FILE       samples: the VAE\n"
           "  -n, --n N            samples: how many, 1..100000 (default 1000)\n"
           "      --posterior      samples: from q(z|x) of test images instead of the prior\n"
           "      --invert         predict: invert the PNGs' intensities\n"
           "      --json           eval, samples: one JSON object on stdout\n"
           "  -t, --threads T      threads (default: the number of online CPUs)\n"
           "  -h, --help           this help\n",
           path, STUDY_CLF_EPOCHS, CLF_MAX_HIDDEN, CLF_DEFAULT_HIDDEN);
}

typedef struct {
    const char *sub, *out, *model, *vae, *dataset;
    long epochs, hidden, seed, limit, n, threads;
    bool json, invert, posterior;
    char **inputs;
    int n_inputs;
} Args;

static int parse_args(int argc, char **argv, Args *a)
{
    *a = (Args){.epochs = STUDY_CLF_EPOCHS, .hidden = CLF_DEFAULT_HIDDEN, .n = 1000,
                .threads = nn_online_cpus()};
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        help();
        return CLI_HELP;
    }
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage("classify", "expected train, eval, predict or samples");
    a->sub = argv[1];
    if (strcmp(a->sub, "train") && strcmp(a->sub, "eval") && strcmp(a->sub, "predict") &&
        strcmp(a->sub, "samples"))
        return cli_usage("classify", "unknown subcommand '%s': expected train, eval, predict or "
                                     "samples", a->sub);
    /* One table for all four subcommands: each ignores what it does not use. */
    const CliOpt *opts = CLI_OPTS(
        CLI_OUTPUT(&a->out),
        CLI_DATASET(&a->dataset),
        CLI_LONG("epochs", 'e', &a->epochs, 1, 1000),
        CLI_LONG("hidden", 'H', &a->hidden, 1, CLF_MAX_HIDDEN),
        CLI_SEED(&a->seed),
        CLI_LONG("train-limit", 0, &a->limit, 1, 1000000000),
        CLI_MODEL(&a->model),
        CLI_STRING("vae", 'v', &a->vae),
        CLI_LONG("n", 'n', &a->n, 1, 100000),
        CLI_THREADS(&a->threads),
        CLI_JSON(&a->json),
        CLI_FLAG("invert", 0, &a->invert),
        CLI_FLAG("posterior", 0, &a->posterior));
    int first;
    int rc = cli_parse_opts("classify", argc, argv, 2, opts, help, &first);
    if (rc)
        return rc;
    a->inputs = argv + first;
    a->n_inputs = argc - first;
    int predict = !strcmp(a->sub, "predict");
    if (!predict && a->n_inputs > 0)
        return cli_usage("classify", "unexpected argument '%s'", argv[first]);
    if (predict && a->n_inputs == 0)
        return cli_usage("classify", "predict: give PNG or IDX image files");
    if (!strcmp(a->sub, "samples") && !a->vae)
        return cli_usage("classify", "samples: missing -v VAE");
    if (cli_check_dataset("classify", a->dataset))
        return EXIT_USAGE;
    return EXIT_OK;
}

/* ---- train ---- */

static void on_train(void *user, size_t done, size_t total, double loss)
{
    CliBar *bar = user;
    char eta[32];
    cli_fmt_eta(timer_now() - bar->t0, done, total, eta, sizeof eta);
    cli_bar_draw(bar, done == total, "classifier %zu/%zu batches  loss %.4f  ETA %s", done, total,
                 loss, eta);
}

static int run_train(const Args *a, const char *ds_name, const char *out)
{
    Err e = {0};
    Dataset ds;
    if (dataset_load(ds_name, &ds, &e) != ERR_OK)
        return cli_fail(&e);
    DataSplit train = ds.train;
    if (a->limit > 0 && (size_t)a->limit < train.n)
        train.n = (size_t)a->limit;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (afile_mkdirs(dir, &e) != ERR_OK) {
            dataset_free(&ds);
            return cli_fail(&e);
        }
    }
    Clf m;
    if (clf_init(&m, train.x, (int)a->hidden, 256, (uint64_t)a->seed, &e) != ERR_OK) {
        dataset_free(&ds);
        return cli_fail(&e);
    }
    printf("classify train %s: %zu images, MLP %d-%ld-%d, %ld epoch%s, seed %ld -> %s\n",
           ds.title, train.n, train.x, a->hidden, CLF_CLASSES, a->epochs,
           a->epochs == 1 ? "" : "s", a->seed, out);
    fflush(stdout);
    static atomic_int interrupted;
    cli_interrupt_install(&interrupted);
    CliBar bar;
    cli_bar_init(&bar);
    ClfTrainOpts o;
    clf_train_opts_default(&o);
    o.progress = on_train;
    o.user = &bar;
    o.cancel = &interrupted;
    double loss = NAN;
    int rc = clf_train(&m, &train, (int)a->epochs, (uint64_t)a->seed, &o, &loss, &e);
    cli_bar_clear(&bar);
    cli_interrupt_remove();
    int status = EXIT_OK;
    if (rc == ERR_CANCELLED) {
        fprintf(stderr, "zspace: classify: interrupted; nothing saved\n");
        status = EXIT_INTERRUPTED;
    } else if (rc != ERR_OK) {
        status = cli_fail(&e);
    } else {
        float *probs = malloc(ds.test.n * CLF_CLASSES * sizeof *probs);
        if (!probs) {
            fprintf(stderr, "zspace: classify: out of memory\n");
            status = EXIT_FAIL;
        } else {
            clf_predict(&m, ds.test.images, ds.test.n, probs);
            ClfInfo info = {.epochs = a->epochs, .seed = (uint64_t)a->seed};
            snprintf(info.dataset, sizeof info.dataset, "%s", ds.name);
            info.test_accuracy =
                clf_accuracy_of(probs, ds.test.labels, ds.test.n, CLF_CLASSES, NULL, NULL);
            free(probs);
            if (clf_save(out, &m, &info, &e) != ERR_OK)
                status = cli_fail(&e);
            else
                printf("train loss %.4f (last epoch)  test accuracy %.2f%%  %.1f s  saved %s\n",
                       loss, 100 * info.test_accuracy, timer_now() - bar.t0, out);
        }
    }
    clf_free(&m);
    dataset_free(&ds);
    return status;
}

/* ---- eval ---- */

static int run_eval(const Args *a, Clf *m, const ClfInfo *info, const char *path)
{
    const char *name = a->dataset ? a->dataset : info->dataset;
    if (!dataset_find(name))
        return cli_usage("classify", "%s does not name a dataset zspace knows; pass --dataset",
                         path);
    Err e = {0};
    Dataset ds;
    if (dataset_load(name, &ds, &e) != ERR_OK)
        return cli_fail(&e);
    float *probs = malloc(ds.test.n * CLF_CLASSES * sizeof *probs);
    if (!probs) {
        dataset_free(&ds);
        fprintf(stderr, "zspace: classify: out of memory\n");
        return EXIT_FAIL;
    }
    double t0 = timer_now();
    clf_predict(m, ds.test.images, ds.test.n, probs);
    size_t ok[CLF_CLASSES], count[CLF_CLASSES];
    double acc = clf_accuracy_of(probs, ds.test.labels, ds.test.n, CLF_CLASSES, ok, count);
    double dt = timer_now() - t0;
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "model", path);
        cJSON_AddStringToObject(o, "dataset", ds.name);
        cJSON_AddNumberToObject(o, "n", (double)ds.test.n);
        cJSON_AddNumberToObject(o, "accuracy", acc);
        cJSON *pc = cJSON_AddArrayToObject(o, "per_class");
        for (int j = 0; j < CLF_CLASSES; j++)
            cJSON_AddItemToArray(pc, cJSON_CreateNumber(count[j] ? (double)ok[j] / (double)count[j]
                                                                 : NAN));
        cJSON_AddNumberToObject(o, "seconds", dt);
        char *s = cJSON_Print(o);
        if (s)
            printf("%s\n", s);
        cJSON_free(s);
        cJSON_Delete(o);
    } else {
        printf("model     %s (MLP %d-%d-%d, %ld epochs)\n", path, m->x, m->h, m->c,
               info->epochs);
        printf("data      %s test split, %zu images\n", ds.title, ds.test.n);
        printf("accuracy  %.2f%%\n", 100 * acc);
        for (int j = 0; j < CLF_CLASSES; j++)
            printf("  %-12s %6.2f%%  (%zu images)\n", ds.class_names[j],
                   count[j] ? 100.0 * (double)ok[j] / (double)count[j] : NAN, count[j]);
        printf("time      %.2f s\n", dt);
    }
    free(probs);
    dataset_free(&ds);
    return EXIT_OK;
}

/* ---- samples ---- */

static int run_samples(const Args *a, Clf *m, const char *clf_path)
{
    Err e = {0};
    Vae v;
    VaeFileInfo info;
    if (vae_load(a->vae, &v, 256, &info, &e) != ERR_OK)
        return cli_fail(&e);
    int status = EXIT_OK;
    size_t n = (size_t)a->n;
    float *z = malloc(n * (size_t)v.cfg.z * sizeof *z);
    float *x = malloc(n * (size_t)v.cfg.x * sizeof *x);
    float *probs = malloc(n * CLF_CLASSES * sizeof *probs);
    Dataset ds = {0};
    const uint8_t *labels = NULL;
    if (!z || !x || !probs) {
        fprintf(stderr, "zspace: classify: out of memory\n");
        status = EXIT_FAIL;
        goto done;
    }
    if (v.cfg.x != m->x) {
        err_set(&e, ERR_ARG, "%s has %d pixels, the classifier %s %d", a->vae, v.cfg.x, clf_path,
                m->x);
        status = cli_fail(&e);
        goto done;
    }
    Rng base, rng;
    rng_seed(&base, 0);
    rng = rng_split(&base);
    if (a->posterior) {
        const char *name = a->dataset ? a->dataset : info.dataset;
        if (!dataset_find(name)) {
            status = cli_usage("classify", "%s does not name a dataset zspace knows; pass "
                                           "--dataset", a->vae);
            goto done;
        }
        if (dataset_load(name, &ds, &e) != ERR_OK) {
            status = cli_fail(&e);
            goto done;
        }
        if (n > ds.test.n) {
            status = cli_usage("classify", "--n %zu: the test split has %zu images", n, ds.test.n);
            goto done;
        }
        float *lv = malloc(n * (size_t)v.cfg.z * sizeof *lv);
        if (!lv) {
            fprintf(stderr, "zspace: classify: out of memory\n");
            status = EXIT_FAIL;
            goto done;
        }
        vae_encode(&v, ds.test.images, n, z, lv);
        for (size_t i = 0; i < n * (size_t)v.cfg.z; i++)
            z[i] += expf(0.5f * lv[i]) * rng_normal(&rng);
        free(lv);
        vae_decode(&v, z, n, x);
        labels = ds.test.labels;
    } else {
        vae_sample(&v, &rng, n, z, x);
    }
    clf_predict(m, x, n, probs);
    SampleScore s;
    if (metric_score(probs, n, labels, 0, &s, &e) != ERR_OK) {
        status = cli_fail(&e);
        goto done;
    }
    MeanSe blur = metric_blur(x, n, v.cfg.x);
    const char *kind = a->posterior ? "posterior" : "prior";
    if (a->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "vae", a->vae);
        cJSON_AddStringToObject(o, "classifier", clf_path);
        cJSON_AddStringToObject(o, "samples", kind);
        cJSON_AddNumberToObject(o, "n", (double)n);
        cJSON_AddNumberToObject(o, "max_prob", s.maxp.mean);
        cJSON_AddNumberToObject(o, "max_prob_se", s.maxp.se);
        cJSON_AddNumberToObject(o, "class_entropy_bits", s.entropy.mean);
        cJSON_AddNumberToObject(o, "class_entropy_se", s.entropy.se);
        cJSON_AddItemToObject(o, "class_share", cJSON_CreateDoubleArray(s.hist, CLF_CLASSES));
        if (labels)
            cJSON_AddNumberToObject(o, "accuracy", s.accuracy.mean);
        cJSON_AddNumberToObject(o, "blur", blur.mean);
        char *t = cJSON_Print(o);
        if (t)
            printf("%s\n", t);
        cJSON_free(t);
        cJSON_Delete(o);
    } else {
        printf("vae            %s (latent %d, beta %g)\n", a->vae, v.cfg.z, (double)v.cfg.beta);
        printf("classifier     %s\n", clf_path);
        printf("samples        %zu %s\n", n, kind);
        printf("max-prob       %.3f ± %.3f\n", s.maxp.mean, s.maxp.se);
        printf("class entropy  %.3f ± %.3f bits (of %.3f)\n", s.entropy.mean, s.entropy.se,
               log2(CLF_CLASSES));
        printf("class share   ");
        for (int j = 0; j < CLF_CLASSES; j++)
            printf(" %d:%.1f%%", j, 100 * s.hist[j]);
        printf("\n");
        if (labels)
            printf("accuracy       %.2f%% (vs the source images' labels)\n",
                   100 * s.accuracy.mean);
        printf("blur           %.4f bits/pixel\n", blur.mean);
    }
done:
    free(z);
    free(x);
    free(probs);
    dataset_free(&ds);
    vae_free(&v);
    vae_file_info_free(&info);
    return status;
}

int cmd_classify(int argc, char **argv)
{
    Args a;
    int rc = parse_args(argc, argv, &a);
    if (rc || cli_parse_only)
        return cli_parsed_exit(rc);
    nn_set_threads((int)a.threads);
    char path[4096];
    if (!strcmp(a.sub, "train")) {
        if (a.out) {
            if (cli_check_output("classify", "-o", a.out))
                return EXIT_USAGE;
            snprintf(path, sizeof path, "%s", a.out);
        } else
            clf_default_path(a.dataset ? a.dataset : "mnist", path, sizeof path);
        return run_train(&a, a.dataset ? a.dataset : "mnist", path);
    }
    /* The classifier: -m, else the default of the dataset in question. */
    const char *ds = a.dataset ? a.dataset : "mnist";
    VaeFileInfo vinfo;
    if (!a.model && a.vae && !a.dataset) {
        Vae v;
        Err e = {0};
        if (vae_load(a.vae, &v, 0, &vinfo, &e) != ERR_OK)
            return cli_fail(&e);
        static char vds[32];
        snprintf(vds, sizeof vds, "%s", vinfo.dataset);
        vae_free(&v);
        vae_file_info_free(&vinfo);
        if (dataset_find(vds))
            ds = vds;
    }
    if (a.model)
        snprintf(path, sizeof path, "%s", a.model);
    else
        clf_default_path(ds, path, sizeof path);
    if (!a.model && access(path, F_OK) != 0) {
        fprintf(stderr, "zspace: %s: no classifier yet; make it with 'zspace classify train%s%s'\n",
                path, strcmp(ds, "mnist") ? " --dataset " : "", strcmp(ds, "mnist") ? ds : "");
        return EXIT_FAIL;
    }
    Err e = {0};
    Clf m;
    ClfInfo info;
    if (clf_load(path, &m, 256, &info, &e) != ERR_OK)
        return cli_fail(&e);
    if (!strcmp(a.sub, "eval"))
        rc = run_eval(&a, &m, &info, path);
    else if (!strcmp(a.sub, "predict"))
        rc = classify_predict(&m, a.inputs, a.n_inputs, a.invert);
    else
        rc = run_samples(&a, &m, path);
    clf_free(&m);
    return rc;
}
