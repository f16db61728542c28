/* study_report: README.md and results.json from a StudyResult. Every number
 * in them is printed from the result; the claim lines come from
 * study_claims. Both files are written atomically (core/afile.h), and the
 * whole folder is staged aside and moved in at the end (study_stage_*). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/afile.h"
#include "study.h"

/* A growing text buffer; on allocation failure it sets oom and stops. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} Buf;

__attribute__((format(printf, 2, 3))) static void put(Buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* A number, or "n/a" when it is not finite. */
static void num(Buf *b, const char *fmt, double v)
{
    if (isfinite(v))
        put(b, fmt, v);
    else
        put(b, "n/a");
}

static int write_file(const char *dir, const char *name, const char *text, size_t len, Err *e)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return afile_save(path, text, len, e);
}

static void model_cell(Buf *b, const StudyModel *m)
{
    put(b, "| Z=%d β=%g ", m->spec.z, (double)m->spec.beta);
}

/* A table of one percentage per model and class: rows[i] (METRIC_CLASSES)
 * for model i. */
static void class_table(Buf *b, const StudyResult *r, const char *title,
                        const double *const *rows)
{
    put(b, "### %s\n\n| model |", title);
    for (int j = 0; j < METRIC_CLASSES; j++)
        put(b, " %d |", j);
    put(b, "\n|---|");
    for (int j = 0; j < METRIC_CLASSES; j++)
        put(b, "---:|");
    put(b, "\n");
    for (int i = 0; i < r->n_models; i++) {
        model_cell(b, &r->models[i]);
        for (int j = 0; j < METRIC_CLASSES; j++) {
            put(b, "| ");
            num(b, "%.1f%%", 100 * rows[i][j]);
            put(b, " ");
        }
        put(b, "|\n");
    }
    put(b, "\n");
}

static void readme(Buf *b, const StudyResult *r, const StudyFigures *f, const StudyClaim *claims,
                   int n_claims)
{
    char took[32];
    int secs = (int)lround(r->seconds);
    snprintf(took, sizeof took, "%d min %02d s", secs / 60, secs % 60);
    int trained = 0;
    for (int i = 0; i < r->n_models; i++)
        trained += !r->models[i].reused;
    put(b, "# The blog's VAE experiments, measured (%s)\n\n", r->title);
    put(b, "Written by `zspace study`: %d models of %d epoch%s each (hidden %d, seed %llu, "
           "batch 128, Adam lr 0.001) on %zu training images; every number below is measured "
           "on the %zu test images. %d model%s trained in this run, %d reused from the cache; "
           "%d thread%s; wall time %s.\n\n",
        r->n_models, r->epochs, r->epochs == 1 ? "" : "s", r->hidden, (unsigned long long)r->seed, r->n_train, r->n_test,
        trained, trained == 1 ? "" : "s", r->n_models - trained, r->threads,
        r->threads == 1 ? "" : "s", took);
    put(b, "Sample quality is judged by zspace's own digit classifier (MLP 784-%d-10, `zspace "
           "classify`), whose accuracy on the real test images is %.2f%%.\n\n",
        r->clf_hidden, 100 * r->clf_accuracy);

    put(b, "## Results\n\n");
    put(b, "| model | −ELBO | recon | KL | IWAE log p(x) | active units | %d-NN acc | "
           "prior max-p | prior H | post max-p | post H | post acc | recon acc | blur prior | "
           "blur post | %d→%d walk |\n",
        STUDY_KNN_K, STUDY_WALK_FROM, STUDY_WALK_TO);
    put(b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < r->n_models; i++) {
        const StudyModel *m = &r->models[i];
        model_cell(b, m);
        put(b, "| %.2f | %.2f | %.2f | ", m->eval.neg_elbo, m->eval.recon, m->eval.kl);
        num(b, "%.2f", m->iwae_ll);
        put(b, " | %d | %.2f%% | %.3f | %.2f | %.3f | %.2f | %.2f%% | %.2f%% | %.4f | %.4f | ",
            m->eval.active_units, 100 * m->knn.mean, m->prior.maxp.mean, m->prior.entropy.mean,
            m->post.maxp.mean, m->post.entropy.mean, 100 * m->post.accuracy.mean,
            100 * m->recon_acc.mean, m->blur_prior.mean, m->blur_post.mean);
        num(b, "%.2f", m->walk_others.mean);
        put(b, " |\n");
    }
    const StudyModel *m0 = r->n_models ? &r->models[0] : NULL;
    put(b, "\n−ELBO, recon, KL: nats per test image (−ELBO with β = 1 whatever the model was "
           "trained with, so it bounds −log p(x) for every row). IWAE: importance-weighted "
           "bound on log p(x) with K = %d samples, on the first %zu test images. Active units: "
           "latent dimensions whose mean KL exceeds %.2f nats. "
           "%d-NN acc: leave-one-out %d-nearest-neighbour label accuracy of the test images' "
           "latent means (exact search; majority vote). Prior: %d decodes of z ~ N(0, I); "
           "post: one z ~ q(z|x) for each of the first %d test images. max-p: the classifier's "
           "mean largest class probability; H: entropy of the histogram of predicted classes "
           "in bits (diversity; 3.32 = all ten equally often); post acc: posterior samples "
           "classified as the digit they came from; recon acc: the decoded latent means of all "
           "test images classified as their own digit; blur: mean binary entropy of the "
           "decoded pixel probabilities, bits per pixel (0 = every pixel surely ink or paper); "
           "%d→%d walk: straight lines from the latent mean of a test %d to that of a test %d "
           "(%d pairs, %d decodes each, ends included), the mean number of distinct other "
           "digits the classifier reads along one.\n\n",
        m0 ? m0->iw_k : 0, m0 ? m0->iw_n : (size_t)0, VAE_ACTIVE_KL, STUDY_KNN_K, STUDY_KNN_K,
        r->n_samples, r->n_samples, STUDY_WALK_FROM, STUDY_WALK_TO, STUDY_WALK_FROM,
        STUDY_WALK_TO, STUDY_WALKS, STUDY_WALK_STEPS);

    double se_maxp = 0, se_h = 0, se_knn = 0, se_blur = 0;
    for (int i = 0; i < r->n_models; i++) {
        const StudyModel *m = &r->models[i];
        se_maxp = fmax(se_maxp, fmax(m->prior.maxp.se, m->post.maxp.se));
        se_h = fmax(se_h, fmax(m->prior.entropy.se, m->post.entropy.se));
        se_knn = fmax(se_knn, m->knn.se);
        se_blur = fmax(se_blur, fmax(m->blur_prior.se, m->blur_post.se));
    }
    put(b, "Largest standard errors in the table: max-p ±%.3f, H ±%.3f bits (bootstrap), "
           "%d-NN accuracy ±%.2f points, blur ±%.4f; each value's own is in results.json, and "
           "the claims below use those.\n\n",
        se_maxp, se_h, STUDY_KNN_K, 100 * se_knn, se_blur);

    const double *per_class[STUDY_MODELS];
    for (int i = 0; i < r->n_models; i++)
        per_class[i] = r->models[i].recon_class_acc;
    class_table(b, r, "Per digit: reconstructions classified correctly", per_class);
    for (int i = 0; i < r->n_models; i++)
        per_class[i] = r->models[i].prior.hist;
    class_table(b, r, "Prior samples: share read as each digit", per_class);
    put(b, "## The blog's claims\n\n");
    const DatasetInfo *di = dataset_find(r->dataset);
    if (di && strcmp(r->dataset, "mnist") != 0) {
        put(b, "The blog's claims are about MNIST digits; on %s the class numbers below stand "
               "for", di->title);
        for (int j = 0; j < METRIC_CLASSES; j++)
            put(b, "%s %d %s", j ? "," : ":", j, di->class_names[j]);
        put(b, ".\n\n");
    }
    put(b, "Each comparison is a difference with z = difference / its standard error; a part "
           "counts as supported when the difference has the claimed sign and z ≥ 2, "
           "contradicted when it has the other sign and |z| ≥ 2, inconclusive otherwise.\n\n");
    for (int i = 0; i < n_claims; i++)
        put(b, "- **%s** — %s. %s\n", claims[i].claim, metric_verdict_name(claims[i].verdict),
            claims[i].text);

    put(b, "\n## Figures\n\n");
    for (int i = 0; i < f->n; i++) {
        if (f->fig[i].group[0] && (i == 0 || strcmp(f->fig[i].group, f->fig[i - 1].group)))
            put(b, "### %s\n\n", f->fig[i].group);
        const char *file = f->fig[i].file;
        size_t n = strlen(file);
        int image = n > 4 && (!strcmp(file + n - 4, ".png") || !strcmp(file + n - 4, ".gif"));
        if (image)
            put(b, "![%s](%s)\n\n%s\n\n", file, file, f->fig[i].caption);
        else
            put(b, "- [%s](%s)\n", f->fig[i].caption, file);
    }
    if (f->missing[0])
        put(b, "Not made: %s\n\n", f->missing);
    if (f->n == 0 && !f->missing[0])
        put(b, "None.\n\n");

    put(b, "## Models\n\n| model | file | trained in this run | train s | measure s |\n"
           "|---|---|---|---:|---:|\n");
    for (int i = 0; i < r->n_models; i++) {
        const StudyModel *m = &r->models[i];
        model_cell(b, m);
        put(b, "| `%s` | %s | %.1f | %.1f |\n", m->path, m->reused ? "no (cache)" : "yes",
            m->train_seconds, m->measure_seconds);
    }
    put(b, "\nClassifier: `%s` (%s in this run).\n", r->clf_path,
        r->clf_trained ? "trained" : "loaded");
}

static cJSON *mean_se_json(MeanSe v)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "mean", v.mean);
    cJSON_AddNumberToObject(o, "se", v.se);
    return o;
}

static cJSON *score_json(const SampleScore *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)s->n);
    cJSON_AddItemToObject(o, "max_prob", mean_se_json(s->maxp));
    cJSON_AddItemToObject(o, "class_entropy_bits", mean_se_json(s->entropy));
    cJSON_AddItemToObject(o, "accuracy", mean_se_json(s->accuracy));
    cJSON_AddItemToObject(o, "class_share", cJSON_CreateDoubleArray(s->hist, METRIC_CLASSES));
    return o;
}

static char *results_json(const StudyResult *r, const StudyClaim *claims, int n_claims)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "dataset", r->dataset);
    cJSON_AddNumberToObject(root, "epochs", r->epochs);
    cJSON_AddNumberToObject(root, "hidden", r->hidden);
    cJSON_AddNumberToObject(root, "seed", (double)r->seed);
    cJSON_AddNumberToObject(root, "threads", r->threads);
    cJSON_AddNumberToObject(root, "n_train", (double)r->n_train);
    cJSON_AddNumberToObject(root, "n_test", (double)r->n_test);
    cJSON_AddNumberToObject(root, "seconds", r->seconds);
    cJSON *clf = cJSON_AddObjectToObject(root, "classifier");
    cJSON_AddStringToObject(clf, "path", r->clf_path);
    cJSON_AddNumberToObject(clf, "hidden", r->clf_hidden);
    cJSON_AddNumberToObject(clf, "test_accuracy", r->clf_accuracy);
    cJSON_AddBoolToObject(clf, "trained", r->clf_trained);
    cJSON *models = cJSON_AddArrayToObject(root, "models");
    for (int i = 0; i < r->n_models; i++) {
        const StudyModel *m = &r->models[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "latent", m->spec.z);
        cJSON_AddNumberToObject(o, "beta", m->spec.beta);
        cJSON_AddStringToObject(o, "path", m->path);
        cJSON_AddBoolToObject(o, "reused", m->reused);
        cJSON_AddNumberToObject(o, "train_seconds", m->train_seconds);
        cJSON_AddNumberToObject(o, "measure_seconds", m->measure_seconds);
        cJSON_AddNumberToObject(o, "neg_elbo", m->eval.neg_elbo);
        cJSON_AddNumberToObject(o, "recon", m->eval.recon);
        cJSON_AddNumberToObject(o, "kl", m->eval.kl);
        cJSON_AddNumberToObject(o, "active_units", m->eval.active_units);
        cJSON_AddNumberToObject(o, "iwae_ll", m->iwae_ll); /* cJSON writes NaN as null */
        cJSON_AddNumberToObject(o, "iw_k", m->iw_k);
        cJSON_AddNumberToObject(o, "iw_n", (double)m->iw_n);
        cJSON_AddItemToObject(o, "knn_accuracy", mean_se_json(m->knn));
        cJSON_AddItemToObject(o, "prior", score_json(&m->prior));
        cJSON_AddItemToObject(o, "posterior", score_json(&m->post));
        cJSON_AddItemToObject(o, "blur_prior", mean_se_json(m->blur_prior));
        cJSON_AddItemToObject(o, "blur_posterior", mean_se_json(m->blur_post));
        cJSON_AddItemToObject(o, "recon_accuracy", mean_se_json(m->recon_acc));
        cJSON_AddNumberToObject(o, "walks", (double)m->n_walks);
        cJSON_AddItemToObject(o, "walk_other_digits", mean_se_json(m->walk_others));
        cJSON_AddItemToObject(o, "recon_class_accuracy",
                              cJSON_CreateDoubleArray(m->recon_class_acc, METRIC_CLASSES));
        cJSON_AddItemToArray(models, o);
    }
    cJSON *cl = cJSON_AddArrayToObject(root, "claims");
    for (int i = 0; i < n_claims; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "claim", claims[i].claim);
        cJSON_AddStringToObject(o, "verdict", metric_verdict_name(claims[i].verdict));
        cJSON_AddStringToObject(o, "text", claims[i].text);
        cJSON_AddItemToArray(cl, o);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}

int study_write_report(const char *dir, const StudyResult *r, const StudyFigures *f, Err *e)
{
    StudyClaim claims[STUDY_MAX_CLAIMS];
    int n_claims = study_claims(r, claims, STUDY_MAX_CLAIMS);
    Buf b = {0};
    readme(&b, r, f, claims, n_claims);
    if (b.oom) {
        free(b.s);
        return err_set(e, ERR_NOMEM, "study: out of memory writing the report");
    }
    int rc = write_file(dir, "README.md", b.s, b.len, e);
    free(b.s);
    if (rc != ERR_OK)
        return rc;
    char *json = results_json(r, claims, n_claims);
    if (!json)
        return err_set(e, ERR_NOMEM, "study: out of memory writing results.json");
    size_t n = strlen(json);
    json[n] = '\0';
    char *with_nl = malloc(n + 2);
    if (!with_nl) {
        cJSON_free(json);
        return err_set(e, ERR_NOMEM, "study: out of memory writing results.json");
    }
    memcpy(with_nl, json, n);
    with_nl[n] = '\n';
    cJSON_free(json);
    rc = write_file(dir, "results.json", with_nl, n + 1, e);
    free(with_nl);
    return rc;
}

/* ---- the report folder as a unit ---- */

int study_stage_open(const char *out, char *stage, size_t size, Err *e)
{
    if (snprintf(stage, size, "%s/.partial-XXXXXX", out) >= (int)size)
        return err_set(e, ERR_ARG, "%s: path too long", out);
    if (!mkdtemp(stage))
        return err_set(e, ERR_IO, "%s: cannot create a staging folder: %s", out, strerror(errno));
    return ERR_OK;
}

void study_stage_abort(const char *stage)
{
    DIR *d = opendir(stage);
    if (d) {
        struct dirent *de;
        char path[4352];
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", stage, de->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(stage);
}

/* Move stage/name over out/name (one rename: atomic per file). */
static int move_in(const char *stage, const char *out, const char *name, Err *e)
{
    char from[4352], to[4352];
    snprintf(from, sizeof from, "%s/%s", stage, name);
    snprintf(to, sizeof to, "%s/%s", out, name);
    if (rename(from, to) != 0)
        return err_set(e, ERR_IO, "%s: cannot move into place: %s", to, strerror(errno));
    return ERR_OK;
}

int study_stage_commit(const char *stage, const char *out, Err *e)
{
    DIR *d = opendir(stage);
    if (!d)
        return err_set(e, ERR_IO, "%s: %s", stage, strerror(errno));
    int rc = ERR_OK;
    struct dirent *de;
    /* Figures first, then results.json, README.md (which lists them) last. */
    while (rc == ERR_OK && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
            strcmp(de->d_name, "README.md") && strcmp(de->d_name, "results.json"))
            rc = move_in(stage, out, de->d_name, e);
    closedir(d);
    if (rc == ERR_OK)
        rc = move_in(stage, out, "results.json", e);
    if (rc == ERR_OK)
        rc = move_in(stage, out, "README.md", e);
    study_stage_abort(stage); /* empty by now, unless a move failed */
    return rc;
}
