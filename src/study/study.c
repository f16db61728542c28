/* study: see study.h. This file: options, the model cache, training, and
 * the measurements of one model. Claims and the report are in their own
 * files. */
#include "study.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/afile.h"
#include "core/xdg.h"
#include "core/timer.h"
#include "embed/quality.h"
#include "nn/nn.h"
#include "vae/vae_io.h"

const StudySpec study_specs[STUDY_MODELS] = {
    {2, 1.0f}, {64, 1.0f}, {2, 0.0f}, {2, 10.0f}, {64, 0.0f}, {64, 10.0f},
};

void study_opts_default(StudyOpts *o)
{
    memset(o, 0, sizeof *o);
    o->dataset = "mnist";
    o->epochs = STUDY_DEFAULT_EPOCHS;
    o->hidden = 512;
    o->n_samples = 1000;
    o->iw_k = 1000;
    o->iw_n = 1000;
    o->clf_epochs = STUDY_CLF_EPOCHS;
    o->precision = NN_PREC_AUTO;
}

/* The precision o asks for, resolved (study_run has refused an unavailable one). */
static NnPrecision precision_of(const StudyOpts *o)
{
    NnPrecision p;
    return nn_precision_resolve(o->precision, &p, NULL, NULL) ? NN_PREC_FP32 : p;
}

void study_default_cache_dir(char *buf, size_t size)
{
    xdg_path(XDG_CACHE, "study", buf, size);
}

void study_model_path(const StudyOpts *o, const StudySpec *s, char *buf, size_t size)
{
    char limit[32] = "";
    if (o->train_limit)
        snprintf(limit, sizeof limit, "-n%zu", o->train_limit);
    snprintf(buf, size, "%s/study-%s-z%d-b%g-h%d-e%d-s%llu%s%s.safetensors", o->cache_dir,
             o->dataset, s->z, (double)s->beta, o->hidden, o->epochs,
             (unsigned long long)o->seed, limit,
             precision_of(o) == NN_PREC_BF16 ? "-bf16" : "");
}

int study_find(const StudyResult *r, int z, float beta)
{
    for (int i = 0; i < r->n_models; i++)
        if (r->models[i].spec.z == z && r->models[i].spec.beta == beta)
            return i;
    return -1;
}

/* ---- progress ---------------------------------------------------------- */

typedef struct {
    const StudyOpts *o;
    StudyProgress p;
    double t0;
} Hook;

/* Refuse a precision the machine cannot run (before any work), then start
 * the clock of a hook that reports no model yet. */
static int hook_start(Hook *h, const StudyOpts *o, Err *e)
{
    NnPrecision prec;
    int rc = nn_precision_resolve(o->precision, &prec, NULL, e);
    if (rc != ERR_OK)
        return rc;
    *h = (Hook){o, {0}, timer_now()};
    h->p.model = -1;
    return ERR_OK;
}

static void report(Hook *h)
{
    if (h->o->progress) {
        h->p.seconds = timer_now() - h->t0;
        h->o->progress(h->o->user, &h->p);
    }
}

static void stage(Hook *h, StudyStage s, size_t done, size_t total)
{
    h->p.stage = s;
    h->p.done = done;
    h->p.total = total;
    report(h);
}

static void on_train(void *user, const VaeProgress *vp)
{
    Hook *h = user;
    h->p.done = vp->batch;
    h->p.total = vp->batches;
    h->p.loss = vp->epoch_loss;
    report(h);
}

static void on_eval(void *user, size_t done, size_t total)
{
    Hook *h = user;
    h->p.done = done;
    h->p.total = total;
    report(h);
}

static void on_clf(void *user, size_t done, size_t total, double loss)
{
    Hook *h = user;
    h->p.done = done;
    h->p.total = total;
    h->p.loss = loss;
    report(h);
}

static int cancelled(const StudyOpts *o, Err *e)
{
    if (o->cancel && atomic_load_explicit(o->cancel, memory_order_acquire))
        return err_set(e, ERR_CANCELLED, "study: cancelled");
    return ERR_OK;
}

/* ---- models ------------------------------------------------------------ */

/* Does the cached file at path hold exactly the model the study wants? */
static int cache_matches(const Vae *v, const VaeFileInfo *info, const StudyOpts *o,
                         const StudySpec *s)
{
    return strcmp(info->dataset, o->dataset) == 0 && v->cfg.z == s->z &&
           v->cfg.beta == s->beta && v->cfg.n_hidden == 1 && v->cfg.hidden[0] == o->hidden &&
           info->epochs == o->epochs && info->seed == o->seed &&
           info->n_history == o->epochs &&
           /* files of older versions, without the key, were trained in fp32 */
           strcmp(info->precision[0] ? info->precision : "fp32",
                  nn_precision_name(precision_of(o))) == 0;
}

/* Load the cached model of spec s, or train it and save it there. */
static int obtain_model(const StudyOpts *o, const StudySpec *s, const DataSplit *train,
                        const DataSplit *test, Hook *h, Vae *v, StudyModel *m, Err *e)
{
    study_model_path(o, s, m->path, sizeof m->path);
    VaeFileInfo info;
    struct stat st;
    if (stat(m->path, &st) == 0) {
        Err le = {0};
        if (vae_load(m->path, v, 0, &info, &le) == ERR_OK) {
            int ok = cache_matches(v, &info, o, s);
            vae_file_info_free(&info);
            if (ok) {
                m->reused = 1;
                return ERR_OK;
            }
            vae_free(v);
        }
        /* Unreadable or different: retrain and replace it. */
    }
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.x = train->x;
    cfg.z = s->z;
    cfg.beta = s->beta;
    cfg.n_hidden = 1;
    cfg.hidden[0] = o->hidden;
    int rc = vae_init(v, &cfg, 128, o->seed, e);
    if (rc != ERR_OK)
        return rc;
    if ((rc = vae_set_precision(v, precision_of(o), e)) != ERR_OK) {
        vae_free(v);
        return rc;
    }
    /* As `zspace train`: init from seed, shuffling and noise from a split. */
    Rng base, rng;
    rng_seed(&base, o->seed);
    rng = rng_split(&base);
    vae_file_info_init(&info);
    snprintf(info.dataset, sizeof info.dataset, "%s", o->dataset);
    info.seed = o->seed;
    VaeTrainOpts to;
    vae_train_opts_default(&to);
    to.progress = on_train;
    to.user = h;
    to.cancel = o->cancel;
    double t0 = timer_now();
    h->p.epochs = o->epochs;
    for (int ep = 1; ep <= o->epochs && rc == ERR_OK; ep++) {
        h->p.epoch = ep;
        h->p.stage = STUDY_STAGE_TRAIN;
        VaeLoss tr;
        if ((rc = vae_train_epoch(v, train, &rng, &to, &tr, e)) != ERR_OK)
            break;
        VaeEpochLoss l = {tr.loss, tr.recon, tr.kl, NAN, NAN, NAN};
        if (ep == o->epochs) {
            /* The test loss only after the last epoch (every epoch would
             * cost ~10% more time): the file then says how good the model
             * is, as `zspace train`'s files do (the explorer's titles). */
            VaeEvalOpts eo;
            vae_eval_opts_default(&eo);
            eo.seed = o->seed; /* as measure(): the file and the report agree */
            eo.threads = o->threads;
            eo.cancel = o->cancel;
            VaeEval te;
            if ((rc = vae_evaluate(v, test, &eo, &te, e)) == ERR_OK) {
                l.test_recon = te.recon;
                l.test_kl = te.kl;
                l.test = te.recon + (double)cfg.beta * te.kl;
            }
        }
        if (rc == ERR_OK) {
            info.epochs = ep;
            rc = vae_file_info_push(&info, &l, e);
        }
    }
    m->train_seconds = timer_now() - t0;
    if (rc == ERR_OK)
        rc = vae_save(m->path, v, &info, e);
    vae_file_info_free(&info);
    if (rc != ERR_OK)
        vae_free(v);
    return rc;
}

/* Load the classifier, or train it on the whole training split and save it. */
static int obtain_classifier(const StudyOpts *o, const Dataset *ds, Hook *h, Clf *c,
                             StudyResult *r, Err *e)
{
    snprintf(r->clf_path, sizeof r->clf_path, "%s", o->clf_path);
    ClfInfo info;
    struct stat st;
    if (stat(o->clf_path, &st) == 0) {
        int rc = clf_load(o->clf_path, c, 256, &info, e);
        if (rc != ERR_OK)
            return rc;
        if (strcmp(info.dataset, ds->name) != 0 || c->x != ds->test.x) {
            clf_free(c);
            return err_set(e, ERR_ARG, "%s: a classifier for '%s', not %s", o->clf_path,
                           info.dataset, ds->name);
        }
        return ERR_OK;
    }
    int rc = clf_init(c, ds->train.x, CLF_DEFAULT_HIDDEN, 256, o->seed, e);
    if (rc != ERR_OK)
        return rc;
    ClfTrainOpts co;
    clf_train_opts_default(&co);
    co.progress = on_clf;
    co.user = h;
    co.cancel = o->cancel;
    h->p.stage = STUDY_STAGE_CLASSIFIER;
    rc = clf_train(c, &ds->train, o->clf_epochs, o->seed, &co, NULL, e);
    if (rc == ERR_OK) {
        float *probs = malloc(ds->test.n * CLF_CLASSES * sizeof *probs);
        if (!probs)
            rc = err_set(e, ERR_NOMEM, "study: out of memory");
        else {
            clf_predict(c, ds->test.images, ds->test.n, probs);
            memset(&info, 0, sizeof info);
            snprintf(info.dataset, sizeof info.dataset, "%s", ds->name);
            info.epochs = o->clf_epochs;
            info.seed = o->seed;
            info.test_accuracy =
                clf_accuracy_of(probs, ds->test.labels, ds->test.n, CLF_CLASSES, NULL, NULL);
            free(probs);
            char dir[4096];
            snprintf(dir, sizeof dir, "%s", o->clf_path);
            char *slash = strrchr(dir, '/');
            if (slash && slash != dir) {
                *slash = '\0';
                rc = afile_mkdirs(dir, e);
            }
            if (rc == ERR_OK)
                rc = clf_save(o->clf_path, c, &info, e);
        }
    }
    if (rc != ERR_OK) {
        clf_free(c);
        return rc;
    }
    r->clf_trained = 1;
    return ERR_OK;
}

/* ---- measurements ------------------------------------------------------ */

/* Walks from latent means of class `from` to those of class `to`: the
 * mean number of distinct other classes the classifier reads per walk. */
static int walks(Vae *v, Clf *c, const DataSplit *test, const float *mu, StudyModel *m, Err *e)
{
    const int Z = v->cfg.z, X = v->cfg.x, S = STUDY_WALK_STEPS;
    size_t a[STUDY_WALKS], b[STUDY_WALKS], na = 0, nb = 0;
    for (size_t i = 0; i < test->n && (na < STUDY_WALKS || nb < STUDY_WALKS); i++) {
        if (test->labels[i] == STUDY_WALK_FROM && na < STUDY_WALKS)
            a[na++] = i;
        else if (test->labels[i] == STUDY_WALK_TO && nb < STUDY_WALKS)
            b[nb++] = i;
    }
    size_t n = na < nb ? na : nb;
    m->n_walks = n;
    m->walk_others.mean = m->walk_others.se = NAN;
    if (n == 0)
        return ERR_OK;
    float *z = malloc((size_t)S * (size_t)Z * sizeof *z);
    float *x = malloc((size_t)S * (size_t)X * sizeof *x);
    float *p = malloc((size_t)S * CLF_CLASSES * sizeof *p);
    double *others = malloc(n * sizeof *others);
    if (!z || !x || !p || !others) {
        free(z);
        free(x);
        free(p);
        free(others);
        return err_set(e, ERR_NOMEM, "study: out of memory");
    }
    for (size_t w = 0; w < n; w++) {
        const float *za = mu + a[w] * (size_t)Z, *zb = mu + b[w] * (size_t)Z;
        for (int k = 0; k < S; k++) {
            float t = (float)k / (float)(S - 1);
            for (int j = 0; j < Z; j++)
                z[k * Z + j] = (1 - t) * za[j] + t * zb[j];
        }
        vae_decode(v, z, (size_t)S, x);
        clf_predict(c, x, (size_t)S, p);
        int seen[CLF_CLASSES] = {0}, count = 0;
        for (int k = 0; k < S; k++) {
            int cls = clf_argmax(p + k * CLF_CLASSES, CLF_CLASSES);
            if (cls != STUDY_WALK_FROM && cls != STUDY_WALK_TO && !seen[cls]) {
                seen[cls] = 1;
                count++;
            }
        }
        others[w] = count;
    }
    m->walk_others = metric_mean(others, n);
    free(z);
    free(x);
    free(p);
    free(others);
    return ERR_OK;
}

/* study_measure with progress through h (its model index already set). */
static int measure(Vae *v, Clf *c, const DataSplit *test, const StudyOpts *o, uint64_t seed,
                   Hook *h, StudyModel *m, Err *e)
{
    const int X = v->cfg.x, Z = v->cfg.z;
    const size_t n = test->n;
    size_t ns = (size_t)o->n_samples < n ? (size_t)o->n_samples : n;
    if (n < STUDY_KNN_K + 1 || ns == 0)
        return err_set(e, ERR_ARG, "study: %zu test images; the metrics need at least %d", n,
                       STUDY_KNN_K + 1);
    if (test->x != X || c->x != X)
        return err_set(e, ERR_ARG, "study: pixel counts differ (data %d, model %d, classifier %d)",
                       test->x, X, c->x);
    double t0 = timer_now();
    m->n_keep = ns < STUDY_KEEP ? ns : STUDY_KEEP;
    float *mu = malloc(n * (size_t)Z * sizeof *mu);
    float *lv = malloc(n * (size_t)Z * sizeof *lv);
    float *xhat = malloc(n * (size_t)X * sizeof *xhat);
    float *probs = malloc(n * CLF_CLASSES * sizeof *probs);
    float *z = malloc(ns * (size_t)Z * sizeof *z);
    int32_t *lab = malloc(n * sizeof *lab);
    m->prior_images = malloc(m->n_keep * (size_t)X * sizeof(float));
    m->post_images = malloc(m->n_keep * (size_t)X * sizeof(float));
    int rc = ERR_OK;
    if (!mu || !lv || !xhat || !probs || !z || !lab || !m->prior_images || !m->post_images) {
        rc = err_set(e, ERR_NOMEM, "study: out of memory");
        goto done;
    }

    /* The engine's numbers. */
    VaeEvalOpts eo;
    vae_eval_opts_default(&eo);
    eo.seed = seed;
    eo.threads = o->threads;
    eo.cancel = o->cancel;
    eo.progress = on_eval;
    eo.user = h;
    h->p.stage = STUDY_STAGE_EVAL;
    if ((rc = vae_evaluate(v, test, &eo, &m->eval, e)) != ERR_OK)
        goto done;
    m->iwae_ll = NAN;
    if (o->iw_k > 0) {
        VaeEval iw;
        eo.n = o->iw_n < n ? o->iw_n : n;
        eo.iw_k = o->iw_k;
        h->p.stage = STUDY_STAGE_IWAE;
        if ((rc = vae_evaluate(v, test, &eo, &iw, e)) != ERR_OK)
            goto done;
        m->iwae_ll = iw.iwae_ll;
        m->iw_k = iw.iw_k;
        m->iw_n = iw.n;
    }
    if ((rc = cancelled(o, e)) != ERR_OK)
        goto done;

    /* Clusters: leave-one-out 10-NN in the latent means. */
    stage(h, STUDY_STAGE_METRICS, 0, 3);
    vae_encode(v, test->images, n, mu, lv);
    for (size_t i = 0; i < n; i++)
        lab[i] = test->labels[i];
    double acc;
    int threads = o->threads > 0 ? o->threads : nn_threads();
    if ((rc = quality_knn_accuracy(mu, n, Z, lab, STUDY_KNN_K, threads, &acc, e)) != ERR_OK)
        goto done;
    m->knn = metric_proportion((size_t)llround(acc * (double)n), n);

    /* Reconstructions (decoded means) of every test image, per class. */
    stage(h, STUDY_STAGE_METRICS, 1, 3);
    vae_decode(v, mu, n, xhat);
    clf_predict(c, xhat, n, probs);
    size_t ok[METRIC_CLASSES];
    double all = clf_accuracy_of(probs, test->labels, n, CLF_CLASSES, ok, m->class_count);
    m->recon_acc = metric_proportion((size_t)llround(all * (double)n), n);
    for (int j = 0; j < METRIC_CLASSES; j++)
        m->recon_class_acc[j] =
            m->class_count[j] ? (double)ok[j] / (double)m->class_count[j] : NAN;

    if ((rc = walks(v, c, test, mu, m, e)) != ERR_OK)
        goto done;

    /* Posterior samples: z = mu + sigma eps for the first ns test images. */
    stage(h, STUDY_STAGE_METRICS, 2, 3);
    Rng base, rng;
    rng_seed(&base, seed);
    rng = rng_split(&base);
    for (size_t i = 0; i < ns * (size_t)Z; i++)
        z[i] = mu[i] + expf(0.5f * lv[i]) * rng_normal(&rng);
    vae_decode(v, z, ns, xhat);
    clf_predict(c, xhat, ns, probs);
    if ((rc = metric_score(probs, ns, test->labels, seed, &m->post, e)) != ERR_OK)
        goto done;
    m->blur_post = metric_blur(xhat, ns, X);
    memcpy(m->post_images, xhat, m->n_keep * (size_t)X * sizeof(float));
    memcpy(m->post_labels, test->labels, m->n_keep);

    /* Prior samples: z ~ N(0, I). */
    rng = rng_split(&base);
    vae_sample(v, &rng, ns, z, xhat);
    clf_predict(c, xhat, ns, probs);
    if ((rc = metric_score(probs, ns, NULL, seed, &m->prior, e)) != ERR_OK)
        goto done;
    m->blur_prior = metric_blur(xhat, ns, X);
    memcpy(m->prior_images, xhat, m->n_keep * (size_t)X * sizeof(float));
    m->measure_seconds = timer_now() - t0;
    stage(h, STUDY_STAGE_METRICS, 3, 3);

done:
    free(mu);
    free(lv);
    free(xhat);
    free(probs);
    free(z);
    free(lab);
    if (rc != ERR_OK) {
        free(m->prior_images);
        free(m->post_images);
        m->prior_images = m->post_images = NULL;
        m->n_keep = 0;
    }
    return rc;
}

int study_measure(Vae *v, Clf *c, const DataSplit *test, const StudyOpts *o, uint64_t seed,
                  StudyModel *m, Err *e)
{
    Hook h;
    int rc = hook_start(&h, o, e);
    if (rc != ERR_OK)
        return rc;
    return measure(v, c, test, o, seed, &h, m, e);
}

/* ---- the whole run ----------------------------------------------------- */

void study_result_free(StudyResult *r)
{
    for (int i = 0; i < STUDY_MODELS; i++) {
        free(r->models[i].prior_images);
        free(r->models[i].post_images);
    }
    memset(r, 0, sizeof *r);
}

int study_run(const StudyOpts *o, StudyResult *r, Err *e)
{
    memset(r, 0, sizeof *r);
    if (o->epochs < 1 || o->hidden < 1 || o->n_samples < 1 || !o->cache_dir || !o->clf_path)
        return err_set(e, ERR_ARG, "study: bad options (epochs %d, hidden %d, samples %d)",
                       o->epochs, o->hidden, o->n_samples);
    Hook h;
    int rc = hook_start(&h, o, e);
    if (rc != ERR_OK)
        return rc;
    h.p.n_models = STUDY_MODELS;
    Dataset ds;
    rc = dataset_load(o->dataset, &ds, e);
    if (rc != ERR_OK)
        return rc;
    DataSplit train = ds.train, test = ds.test;
    if (o->train_limit && o->train_limit < train.n)
        train.n = o->train_limit;
    if (o->test_limit && o->test_limit < test.n)
        test.n = o->test_limit;
    r->t_start = h.t0;
    snprintf(r->dataset, sizeof r->dataset, "%s", ds.name);
    snprintf(r->title, sizeof r->title, "%s", ds.title);
    r->epochs = o->epochs;
    r->hidden = o->hidden;
    r->seed = o->seed;
    r->threads = o->threads > 0 ? o->threads : nn_threads();
    r->n_train = train.n;
    r->n_test = test.n;
    r->n_samples = o->n_samples;

    Clf c;
    if ((rc = afile_mkdirs(o->cache_dir, e)) != ERR_OK ||
        (rc = obtain_classifier(o, &ds, &h, &c, r, e)) != ERR_OK) {
        dataset_free(&ds);
        study_result_free(r);
        return rc;
    }
    r->clf_hidden = c.h;
    float *probs = malloc(test.n * CLF_CLASSES * sizeof *probs);
    if (!probs) {
        rc = err_set(e, ERR_NOMEM, "study: out of memory");
        goto done;
    }
    clf_predict(&c, test.images, test.n, probs);
    r->clf_accuracy = clf_accuracy_of(probs, test.labels, test.n, CLF_CLASSES, NULL, NULL);
    free(probs);

    for (int i = 0; i < STUDY_MODELS && rc == ERR_OK; i++) {
        StudyModel *m = &r->models[i];
        m->spec = study_specs[i];
        h.p.model = i;
        Vae v;
        if ((rc = obtain_model(o, &m->spec, &train, &test, &h, &v, m, e)) != ERR_OK) {
            char what[96];
            snprintf(what, sizeof what, "study: Z=%d beta=%g", m->spec.z, (double)m->spec.beta);
            err_prefix(e, what);
            break;
        }
        if (o->threads > 0)
            rc = vae_set_threads(&v, o->threads, e);
        /* Every model gets the same sampling seed: models of one Z then
         * decode the very same prior draws, side by side in the figures. */
        if (rc == ERR_OK)
            rc = measure(&v, &c, &test, o, o->seed, &h, m, e);
        vae_free(&v);
        r->n_models = i + 1;
        if (rc == ERR_OK) {
            h.p.result = m;
            stage(&h, STUDY_STAGE_MODEL_DONE, 1, 1);
            h.p.result = NULL;
        }
    }
done:
    clf_free(&c);
    dataset_free(&ds);
    if (rc != ERR_OK)
        study_result_free(r);
    else
        r->seconds = timer_now() - h.t0;
    return rc;
}
