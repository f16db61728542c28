/* test_study: the study's metrics on small known inputs, the claim
 * verdicts on made-up results (each direction), the report's files (the
 * table rows and results.json carry exactly the result's numbers), and
 * study_measure on a tiny model (shapes, ranges, determinism). The whole
 * pipeline on MNIST runs in tests/cli_study.sh. */
#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "classify/clf.h"
#include "core/afile.h"
#include "core/rng.h"
#include "nn/nn.h"
#include "study/metrics.h"
#include "study/study.h"
#include "test_util.h"

static void test_entropy(void **state)
{
    (void)state;
    double uniform[10], onehot[10] = {0, 0, 1}, half[10] = {0.5, 0.5};
    for (int j = 0; j < 10; j++)
        uniform[j] = 0.1;
    assert_float_equal(metric_entropy_bits(uniform, 10), log2(10), 1e-12);
    assert_float_equal(metric_entropy_bits(onehot, 10), 0, 0);
    assert_false(signbit(metric_entropy_bits(onehot, 10)));
    assert_float_equal(metric_entropy_bits(half, 10), 1, 1e-12);
}

/* Rows with a chosen argmax and max-prob (the rest spread evenly). */
static void make_row(float *p, int k, float maxp)
{
    for (int j = 0; j < METRIC_CLASSES; j++)
        p[j] = (1 - maxp) / (METRIC_CLASSES - 1);
    p[k] = maxp;
}

static void test_score(void **state)
{
    (void)state;
    enum { N = 4 };
    float p[N * METRIC_CLASSES];
    make_row(p + 0 * METRIC_CLASSES, 3, 0.9f);
    make_row(p + 1 * METRIC_CLASSES, 3, 0.5f);
    make_row(p + 2 * METRIC_CLASSES, 7, 0.7f);
    make_row(p + 3 * METRIC_CLASSES, 1, 0.3f);
    uint8_t y[N] = {3, 2, 7, 1};
    SampleScore s, s2;
    Err e = {0};
    assert_int_equal(metric_score(p, N, y, 5, &s, &e), ERR_OK);
    assert_int_equal(s.n, N);
    assert_float_equal(s.maxp.mean, 0.6, 1e-6);
    /* sd of {0.9, 0.5, 0.7, 0.3} is sqrt(0.2 / 3); se = sd / 2. */
    assert_float_equal(s.maxp.se, sqrt(0.2 / 3) / 2, 1e-6);
    assert_float_equal(s.hist[3], 0.5, 0);
    assert_float_equal(s.hist[7], 0.25, 0);
    assert_float_equal(s.hist[1], 0.25, 0);
    assert_float_equal(s.entropy.mean, 1.5, 1e-12);
    assert_true(s.entropy.se > 0.05 && s.entropy.se < 1);
    assert_float_equal(s.accuracy.mean, 0.75, 0);
    assert_float_equal(s.accuracy.se, sqrt(4.0 / 6 * 2.0 / 6 / 6), 1e-12);
    assert_float_equal(s.class_maxp[3], 0.7, 1e-6);
    assert_true(isnan(s.class_maxp[0]));
    /* The bootstrap is seeded: same seed, same standard error. */
    assert_int_equal(metric_score(p, N, y, 5, &s2, &e), ERR_OK);
    assert_float_equal(s2.entropy.se, s.entropy.se, 0);
    /* No labels: no accuracy. One class only: entropy 0 and no spread. */
    for (int i = 0; i < N; i++)
        make_row(p + i * METRIC_CLASSES, 4, 0.8f);
    assert_int_equal(metric_score(p, N, NULL, 1, &s, &e), ERR_OK);
    assert_true(isnan(s.accuracy.mean));
    assert_float_equal(s.entropy.mean, 0, 0);
    assert_float_equal(s.entropy.se, 0, 0);
    assert_float_equal(s.maxp.se, 0, 1e-7);
    assert_int_equal(metric_score(p, 0, NULL, 1, &s, &e), ERR_ARG);
}

static void test_blur(void **state)
{
    (void)state;
    float x[3 * 4] = {0.5f, 0.5f, 0.5f, 0.5f,   /* entropy 1 per pixel */
                      0, 1, 0, 1,               /* 0 */
                      0.25f, 0.75f, 0, 1};      /* 0.811278 on two of four pixels */
    MeanSe b = metric_blur(x, 3, 4);
    double h25 = -(0.25 * log2(0.25) + 0.75 * log2(0.75));
    double per[3] = {1, 0, h25 / 2};
    double mean = (per[0] + per[1] + per[2]) / 3, ss = 0;
    for (int i = 0; i < 3; i++)
        ss += (per[i] - mean) * (per[i] - mean);
    assert_float_equal(b.mean, mean, 1e-6);
    assert_float_equal(b.se, sqrt(ss / 2 / 3), 1e-6);
    MeanSe p = metric_proportion(30, 40);
    assert_float_equal(p.mean, 0.75, 0);
    assert_float_equal(p.se, sqrt(31.0 / 42 * 11.0 / 42 / 42), 1e-15);
    /* 0 of 50 is not certain. */
    assert_true(metric_proportion(0, 50).se > 0.01);
    assert_true(isnan(metric_proportion(0, 0).mean));
}

static void test_compare_and_combine(void **state)
{
    (void)state;
    MeanSe a = {0.9, 0.03}, b = {0.79, 0.04}; /* d = 0.11, se = 0.05, z = 2.2 */
    Comparison c = metric_compare(a, b, +1);
    assert_float_equal(c.d, 0.11, 1e-12);
    assert_float_equal(c.se, 0.05, 1e-12);
    assert_float_equal(c.z, 2.2, 1e-9);
    assert_int_equal(c.verdict, VERDICT_SUPPORTED);
    assert_int_equal(metric_compare(a, b, -1).verdict, VERDICT_CONTRADICTED);
    MeanSe close = {0.85, 0.04};
    assert_int_equal(metric_compare(a, close, +1).verdict, VERDICT_INCONCLUSIVE);
    MeanSe exact1 = {1, 0}, exact2 = {2, 0};
    assert_int_equal(metric_compare(exact2, exact1, +1).verdict, VERDICT_SUPPORTED);
    assert_int_equal(metric_compare(exact1, exact1, +1).verdict, VERDICT_INCONCLUSIVE);

    Verdict s = VERDICT_SUPPORTED, x = VERDICT_CONTRADICTED, i = VERDICT_INCONCLUSIVE;
    Verdict all[] = {s, s}, none[] = {x, i}, mixed[] = {s, x}, some[] = {s, i}, unk[] = {i, i};
    assert_int_equal(metric_combine(all, 2), VERDICT_SUPPORTED);
    assert_int_equal(metric_combine(none, 2), VERDICT_CONTRADICTED);
    assert_int_equal(metric_combine(mixed, 2), VERDICT_PARTLY);
    assert_int_equal(metric_combine(some, 2), VERDICT_PARTLY);
    assert_int_equal(metric_combine(unk, 2), VERDICT_INCONCLUSIVE);
    assert_int_equal(metric_combine(NULL, 0), VERDICT_INCONCLUSIVE);
    assert_string_equal(metric_verdict_name(VERDICT_PARTLY), "partly supported");
}

/* A made-up result where every claim holds (or, with flip, fails). */
static void fake_result(StudyResult *r, int flip)
{
    memset(r, 0, sizeof *r);
    strcpy(r->dataset, "mnist");
    strcpy(r->title, "MNIST");
    r->epochs = 3;
    r->hidden = 512;
    r->threads = 2;
    r->n_train = 60000;
    r->n_test = 10000;
    r->n_samples = 1000;
    r->clf_accuracy = 0.975;
    r->clf_hidden = 256;
    strcpy(r->clf_path, "/x/classifier-mnist.safetensors");
    r->n_models = STUDY_MODELS;
    for (int i = 0; i < STUDY_MODELS; i++) {
        StudyModel *m = &r->models[i];
        m->spec = study_specs[i];
        int z64 = m->spec.z == 64;
        float beta = m->spec.beta;
        snprintf(m->path, sizeof m->path, "/cache/m%d.safetensors", i);
        m->eval.neg_elbo = 100 + i;
        m->eval.recon = 90 + i;
        m->eval.kl = 10 + 0.5 * i;
        m->eval.active_units = beta == 10 ? 1 : m->spec.z;
        m->iwae_ll = -95.0 - i;
        m->iw_k = 1000;
        m->iw_n = 1000;
        m->knn = (MeanSe){z64 != flip ? 0.97 : 0.90, 0.003};
        double prior = beta == 0 ? (flip ? 0.95 : 0.5) : (z64 && beta == 1 ? 0.7 : 0.9);
        m->prior.n = m->post.n = 1000;
        m->prior.maxp = (MeanSe){prior, 0.005};
        m->post.maxp = (MeanSe){flip ? 0.6 : 0.95, 0.005};
        m->post.accuracy = (MeanSe){beta == 0 && flip ? 0.5 : 0.9, 0.01};
        m->prior.entropy = (MeanSe){beta == 10 ? (flip ? 3.3 : 1.5) : 3.2, 0.02};
        m->post.entropy = (MeanSe){3.3, 0.01};
        m->prior.accuracy = (MeanSe){NAN, NAN};
        for (int j = 0; j < METRIC_CLASSES; j++) {
            m->prior.hist[j] = 0.1;
            m->class_count[j] = 1000;
            int easy = j == 0 || j == 1 || j == 9;
            m->recon_class_acc[j] = m->spec.z == 2 && !z64 && (easy != flip) ? 0.97 : 0.70;
            if (z64)
                m->recon_class_acc[j] = 0.98;
        }
        m->recon_acc = (MeanSe){0.8, 0.004};
        m->n_walks = 100;
        m->walk_others = (MeanSe){z64 != flip ? 0.3 : 1.2, 0.08};
        double blur = beta == 10 ? (flip ? 0.05 : 0.3) : 0.1;
        m->blur_prior = (MeanSe){blur, 0.002};
        m->blur_post = (MeanSe){blur, 0.002};
    }
}

static const StudyClaim *find_claim(const StudyClaim *c, int n, const char *words)
{
    for (int i = 0; i < n; i++)
        if (strstr(c[i].claim, words))
            return &c[i];
    fail_msg("no claim about '%s'", words);
    return NULL;
}

static void test_claims(void **state)
{
    (void)state;
    StudyResult r;
    StudyClaim c[STUDY_MAX_CLAIMS];
    fake_result(&r, 0);
    int n = study_claims(&r, c, STUDY_MAX_CLAIMS);
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++) {
        if (c[i].verdict != VERDICT_SUPPORTED)
            fail_msg("claim '%s' is %s: %s", c[i].claim, metric_verdict_name(c[i].verdict),
                     c[i].text);
    }
    /* The numbers appear, formatted from the result. */
    tu_assert_contains(find_claim(c, n, "clusters")->text, "Z=64 β=1 97.0%, Z=2 β=1 90.0%");
    tu_assert_contains(find_claim(c, n, "clusters")->text, "+7.0 points");
    tu_assert_contains(find_claim(c, n, "struggles")->text, "0 97.0%, 1 97.0%, 9 97.0%");
    tu_assert_contains(find_claim(c, n, "prior samples look worse")->text,
                       "posterior samples 0.950, prior samples 0.700");

    tu_assert_contains(find_claim(c, n, "walk")->text, "0.30 other digits per walk at Z=64 β=1, "
                                                      "1.20 at Z=2 β=1");

    fake_result(&r, 1);
    n = study_claims(&r, c, STUDY_MAX_CLAIMS);
    assert_int_equal(n, 6);
    assert_int_equal(find_claim(c, n, "walk")->verdict, VERDICT_CONTRADICTED);
    assert_int_equal(find_claim(c, n, "clusters")->verdict, VERDICT_CONTRADICTED);
    assert_int_equal(find_claim(c, n, "struggles")->verdict, VERDICT_CONTRADICTED);
    assert_int_equal(find_claim(c, n, "prior samples look worse")->verdict, VERDICT_CONTRADICTED);
    assert_int_equal(find_claim(c, n, "β=0")->verdict, VERDICT_CONTRADICTED);
    assert_int_equal(find_claim(c, n, "β=10")->verdict, VERDICT_CONTRADICTED);

    /* Without the Z=64 models, the claims needing them are left out. */
    fake_result(&r, 0);
    r.n_models = 1;
    n = study_claims(&r, c, STUDY_MAX_CLAIMS);
    assert_int_equal(n, 1);
    tu_assert_contains(c[0].claim, "struggles");
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void test_report_files(void **state)
{
    (void)state;
    StudyResult r;
    fake_result(&r, 0);
    r.models[2].iwae_ll = NAN; /* IWAE skipped for one row */
    StudyFigures f;
    memset(&f, 0, sizeof f);
    f.n = 1;
    strcpy(f.fig[0].file, "prior-z2-b1.png");
    strcpy(f.fig[0].caption, "Z=2 β=1 prior samples");
    strcpy(f.missing, "the manifold: testing");
    Err e = {0};
    const char *dir = tu_tmpdir();
    assert_int_equal(study_write_report(dir, &r, &f, &e), ERR_OK);
    char path[4096];
    snprintf(path, sizeof path, "%s/README.md", dir);
    char *md = slurp(path);
    /* One table row per model, numbers from the result. */
    tu_assert_contains(md, "| Z=2 β=1 | 100.00 | 90.00 | 10.00 | -95.00 | 2 | 90.00% | 0.900 |");
    tu_assert_contains(md, "| Z=64 β=10 | 105.00 | 95.00 | 12.50 | -100.00 | 1 | 97.00% |");
    tu_assert_contains(md, "| Z=2 β=0 | 102.00 | 92.00 | 11.00 | n/a |");
    tu_assert_contains(md, "![prior-z2-b1.png](prior-z2-b1.png)\n\nZ=2 β=1 prior samples");
    tu_assert_contains(md, "Not made: the manifold: testing");
    tu_assert_contains(md, "**Z=64 gives better clusters than Z=2** — supported.");
    tu_assert_contains(md, "accuracy on the real test images is 97.50%");
    free(md);

    snprintf(path, sizeof path, "%s/results.json", dir);
    char *js = slurp(path);
    cJSON *root = cJSON_Parse(js);
    assert_non_null(root);
    cJSON *models = cJSON_GetObjectItem(root, "models");
    assert_int_equal(cJSON_GetArraySize(models), STUDY_MODELS);
    cJSON *m1 = cJSON_GetArrayItem(models, 1);
    assert_float_equal(cJSON_GetObjectItem(m1, "latent")->valuedouble, 64, 0);
    assert_float_equal(cJSON_GetObjectItem(m1, "neg_elbo")->valuedouble, 101, 0);
    cJSON *knn = cJSON_GetObjectItem(m1, "knn_accuracy");
    assert_float_equal(cJSON_GetObjectItem(knn, "mean")->valuedouble, 0.97, 1e-12);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(models, 2), "iwae_ll")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "claims")), 6);
    cJSON_Delete(root);
    free(js);
}

/* The report folder is a unit: a staged report that is abandoned (Ctrl-C
 * while the figures are drawn) leaves the previous one untouched and no
 * staging folder; a committed one replaces README.md, results.json and the
 * figures together. */
static void test_report_is_a_unit(void **state)
{
    (void)state;
    StudyResult r;
    fake_result(&r, 0);
    StudyFigures f;
    memset(&f, 0, sizeof f);
    char out[2048], path[4400], stage[2100];
    snprintf(out, sizeof out, "%s", tu_path("report"));
    assert_int_equal(mkdir(out, 0755), 0);
    snprintf(path, sizeof path, "%s/README.md", out);
    FILE *old = fopen(path, "w");
    fputs("old report\n", old);
    fclose(old);
    Err e = {0};
    assert_int_equal(study_stage_open(out, stage, sizeof stage, &e), ERR_OK);
    snprintf(path, sizeof path, "%s/map-z2-b1.png", stage);
    FILE *fig = fopen(path, "w");
    fputs("png", fig);
    fclose(fig);
    study_stage_abort(stage); /* interrupted before the report was written */
    struct stat st;
    assert_int_not_equal(stat(stage, &st), 0);
    snprintf(path, sizeof path, "%s/map-z2-b1.png", out);
    assert_int_not_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/README.md", out);
    char *md = slurp(path);
    assert_string_equal(md, "old report\n");
    free(md);

    assert_int_equal(study_stage_open(out, stage, sizeof stage, &e), ERR_OK);
    snprintf(path, sizeof path, "%s/map-z2-b1.png", stage);
    fig = fopen(path, "w");
    fputs("png", fig);
    fclose(fig);
    assert_int_equal(study_write_report(stage, &r, &f, &e), ERR_OK);
    assert_int_equal(study_stage_commit(stage, out, &e), ERR_OK);
    assert_int_not_equal(stat(stage, &st), 0);
    snprintf(path, sizeof path, "%s/map-z2-b1.png", out);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/README.md", out);
    md = slurp(path);
    tu_assert_contains(md, "| Z=2 β=1 |");
    free(md);
    snprintf(path, sizeof path, "%s/results.json", out);
    assert_int_equal(stat(path, &st), 0);
}

/* study_measure on a tiny random model and classifier: every number in
 * range, the kept samples filled, and the same seed the same numbers. */
static void test_measure_tiny(void **state)
{
    (void)state;
    enum { N = 60, X = 16 };
    float img[N * X];
    uint8_t lab[N];
    Rng r;
    rng_seed(&r, 3);
    for (int i = 0; i < N; i++) {
        lab[i] = (uint8_t)(i % 10);
        for (int j = 0; j < X; j++)
            img[i * X + j] = j % 10 == lab[i] ? 1.0f : 0.1f * rng_uniform(&r);
    }
    DataSplit test = {.n = N, .x = X, .images = img, .labels = lab};
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.x = X;
    cfg.z = 3;
    cfg.hidden[0] = 8;
    Vae v;
    Clf c;
    Err e = {0};
    assert_int_equal(vae_init(&v, &cfg, 16, 1, &e), ERR_OK);
    assert_int_equal(clf_init(&c, X, 8, 16, 2, &e), ERR_OK);
    ClfTrainOpts co;
    clf_train_opts_default(&co);
    co.batch = 16;
    co.lr = 1e-2f;
    assert_int_equal(clf_train(&c, &test, 40, 2, &co, NULL, &e), ERR_OK);
    StudyOpts o;
    study_opts_default(&o);
    o.n_samples = 40;
    o.iw_k = 5;
    o.iw_n = 20;
    o.threads = 1;
    StudyModel m, m2;
    memset(&m, 0, sizeof m);
    memset(&m2, 0, sizeof m2);
    assert_int_equal(study_measure(&v, &c, &test, &o, 7, &m, &e), ERR_OK);
    assert_int_equal(m.eval.n, N);
    assert_int_equal(m.iw_k, 5);
    assert_int_equal(m.iw_n, 20);
    assert_true(isfinite(m.iwae_ll) && m.iwae_ll < 0);
    assert_true(m.knn.mean >= 0 && m.knn.mean <= 1);
    assert_int_equal(m.prior.n, 40);
    assert_int_equal(m.post.n, 40);
    assert_true(m.prior.maxp.mean >= 0.1 && m.prior.maxp.mean <= 1);
    assert_true(isnan(m.prior.accuracy.mean));
    assert_true(m.post.accuracy.mean >= 0 && m.post.accuracy.mean <= 1);
    double hs = 0;
    size_t counted = 0;
    for (int j = 0; j < METRIC_CLASSES; j++) {
        hs += m.prior.hist[j];
        counted += m.class_count[j];
    }
    assert_float_equal(hs, 1, 1e-9);
    assert_int_equal(counted, N);
    assert_true(m.blur_prior.mean > 0 && m.blur_prior.mean <= 1);
    /* Six 2s and six 1s among the 60 images: six walks, each reading 0..8
     * other digits. */
    assert_int_equal(m.n_walks, 6);
    assert_true(m.walk_others.mean >= 0 && m.walk_others.mean <= 8);
    assert_int_equal(m.n_keep, 40);
    assert_memory_equal(m.post_labels, lab, 40);
    assert_non_null(m.prior_images);
    assert_int_equal(study_measure(&v, &c, &test, &o, 7, &m2, &e), ERR_OK);
    assert_memory_equal(m.prior_images, m2.prior_images, 40 * X * sizeof(float));
    assert_float_equal(m.post.maxp.mean, m2.post.maxp.mean, 0);
    assert_float_equal(m.knn.mean, m2.knn.mean, 0);
    free(m.prior_images);
    free(m.post_images);
    free(m2.prior_images);
    free(m2.post_images);
    /* Too few test images for a 10-NN vote: refused. */
    test.n = 10;
    memset(&m, 0, sizeof m);
    assert_int_equal(study_measure(&v, &c, &test, &o, 7, &m, &e), ERR_ARG);
    assert_null(m.prior_images);
    vae_free(&v);
    clf_free(&c);
}

static void test_paths(void **state)
{
    (void)state;
    StudyOpts o;
    study_opts_default(&o);
    o.cache_dir = "/c";
    o.epochs = 30;
    char buf[256];
    StudySpec s = {64, 10.0f};
    study_model_path(&o, &s, buf, sizeof buf);
    assert_string_equal(buf, "/c/study-mnist-z64-b10-h512-e30-s0.safetensors");
    o.train_limit = 2000;
    o.dataset = "fashion";
    study_model_path(&o, &s, buf, sizeof buf);
    assert_string_equal(buf, "/c/study-fashion-z64-b10-h512-e30-s0-n2000.safetensors");
    Err e = {0};
    snprintf(buf, sizeof buf, "%s/a/b/c", tu_tmpdir());
    assert_int_equal(afile_mkdirs(buf, &e), ERR_OK);
    assert_int_equal(afile_mkdirs(buf, &e), ERR_OK);
    snprintf(buf, sizeof buf, "%s/README.md/x", tu_tmpdir());
    tu_write("README.md", "x", 1);
    assert_int_not_equal(afile_mkdirs(buf, &e), ERR_OK);
}

int main(void)
{
    nn_set_threads(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entropy),       cmocka_unit_test(test_score),
        cmocka_unit_test(test_blur),          cmocka_unit_test(test_compare_and_combine),
        cmocka_unit_test(test_claims),        cmocka_unit_test(test_report_files),
        cmocka_unit_test(test_report_is_a_unit),
        cmocka_unit_test(test_measure_tiny),  cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
