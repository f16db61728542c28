/* test_proj_gui: the map of a Z > 2 model in the explorer, end to end on a
 * private Xvfb (suite gui). A tiny Z = 8 model is trained here through the
 * engine API; the explorer opens it and projects the 10,000 test means.
 *
 *   1. First the PCA layout is shown, then the t-SNE runs in the worker and
 *      finishes (1000 iterations, KL reported); its layout is not the PCA
 *      one, and separates the labels far better: 10-NN accuracy on the
 *      layout within 0.08 of the accuracy in the 8-D latent space itself,
 *      and > the PCA layout's + 0.2.
 *   2. The same model again (t-SNE is deterministic, so the same final map):
 *      clicking the middle of the '0' and of the '1' clusters decodes two
 *      different images, each closer (pixel MSE) to its class's mean image
 *      than to the other's; a drag between them gives a run of different
 *      decodes. The card's buttons: PCA shows the PCA layout, t-SNE starts
 *      a new run, Pause holds it (no new layouts while paused).
 *   3. Training continues in the window: each re-encoding of the means
 *      warm-starts the t-SNE from the current map, which follows smoothly.
 *
 * usage: test_proj_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, a GL 3.3 context or MNIST. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <cjson/cJSON.h>
#include <cmocka.h>

#include "data/dataset.h"
#include "embed/pca.h"
#include "gui_util.h"
#include "embed/quality.h"
#include "io/slurp.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static char opts[4200]; /* -m the model, the window size */
static char model_path[4096];
static Dataset ds;
static int32_t labels[10000];
static size_t n_test;
static double pca_acc, latent_acc;
static float class_mean[10][VAE_X];
static int click[2][2] = {{-1, -1}, {-1, -1}}; /* window points of the '0' and '1' centres */
static double final_kl = -1;
static int btn[3][2]; /* centres of the card's PCA, t-SNE and Pause buttons */
static int cont[2] = {-1, -1}; /* the Training panel's Continue button */

/* Script lines that wait for the first t-SNE to finish (1000 iterations,
 * then the job's "done"): ~8 s at 125 it/s on one core of an idle machine,
 * 2.5 minutes under ASan on a machine loaded 5x (7 it/s); only a hang
 * times out. */
#define TSNE_DONE "wait-until projection.iter >= 1000 600\nwait-until projection.state == done 60\n"

/* The dumped layout as floats (N, 2); caller frees. */
static float *layout(const cJSON *st)
{
    const cJSON *l = gu_get(st, "projection.layout");
    int n = cJSON_GetArraySize(l);
    assert_int_equal(n, (int)(2 * n_test));
    float *y = malloc((size_t)n * sizeof *y);
    assert_non_null(y);
    int i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, l) y[i++] = (float)v->valuedouble;
    return y;
}

static double mse(const double *img, const float *ref)
{
    double s = 0;
    for (int p = 0; p < VAE_X; p++) {
        double d = img[p] / 255.0 - ref[p];
        s += d * d;
    }
    return s / VAE_X;
}

static int setup(void **state)
{
    (void)state;
    openblas_set_num_threads(1);
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    /* a tiny Z = 8 model */
    Vae v;
    gu_train_tiny(&v, &ds.train, 6000, 8, 256, 4, 5);
    snprintf(model_path, sizeof model_path, "%s", tu_path("z8.safetensors"));
    snprintf(opts, sizeof opts, "-m %s --size 1280x800", model_path);
    assert_int_equal(vae_save(model_path, &v, NULL, &e), ERR_OK);
    /* what PCA of the same means achieves, and the class mean images */
    n_test = ds.test.n;
    assert_true(n_test <= 10000);
    float *mu = malloc(n_test * 8 * sizeof *mu), *y = malloc(n_test * 2 * sizeof *y);
    assert_true(mu && y);
    vae_encode(&v, ds.test.images, n_test, mu, NULL);
    Pca p;
    assert_int_equal(pca_fit(&p, mu, n_test, 8, 2, &e), ERR_OK);
    pca_transform(&p, mu, n_test, y);
    pca_free(&p);
    for (size_t i = 0; i < n_test; i++)
        labels[i] = ds.test.labels[i];
    gu_class_means(&ds.test, class_mean);
    assert_int_equal(quality_knn_accuracy(y, n_test, 2, labels, 10, 2, &pca_acc, &e), ERR_OK);
    assert_int_equal(quality_knn_accuracy(mu, n_test, 8, labels, 10, 2, &latent_acc, &e), ERR_OK);
    free(mu);
    free(y);
    vae_free(&v);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dataset_free(&ds);
    return 0;
}

static int cmpf(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The point of class k nearest to the class's coordinate-wise median: in
 * the middle of its cluster, on a point (not in empty space). */
static size_t class_centre(const float *y, int k)
{
    float *xs = malloc(n_test * sizeof *xs), *ys = malloc(n_test * sizeof *ys);
    assert_true(xs && ys);
    size_t m = 0;
    for (size_t i = 0; i < n_test; i++)
        if (labels[i] == k) {
            xs[m] = y[2 * i];
            ys[m++] = y[2 * i + 1];
        }
    qsort(xs, m, sizeof *xs, cmpf);
    qsort(ys, m, sizeof *ys, cmpf);
    float mx = xs[m / 2], my = ys[m / 2];
    free(xs);
    free(ys);
    size_t best = 0;
    float bd = INFINITY;
    for (size_t i = 0; i < n_test; i++) {
        float d = (y[2 * i] - mx) * (y[2 * i] - mx) + (y[2 * i + 1] - my) * (y[2 * i + 1] - my);
        if (labels[i] == k && d < bd)
            bd = d, best = i;
    }
    return best;
}

static void test_tsne_runs_live(void **state)
{
    (void)state;
    char script[4096];
    snprintf(script, sizeof script,
             "wait-ready 60\nwait 3 frames\ndump-state %s\nscreenshot %s\n" TSNE_DONE
             "dump-state %s\nscreenshot %s\nquit\n",
             tu_path("a.json"), tu_path("a.png"), tu_path("b.json"), tu_path("b.png"));
    assert_int_equal(gu_explore(script, opts, NULL, NULL), 0);
    cJSON *a = gu_load_json(tu_path("a.json")), *b = gu_load_json(tu_path("b.json"));
    /* at first: the PCA layout (or the t-SNE's first steps on top of it) */
    assert_int_equal((int)gu_num(a, "model.latent"), 8);
    const char *m0 = gu_str(a, "projection.method");
    assert_true(strcmp(m0, "pca") == 0 || strcmp(m0, "tsne") == 0);
    assert_string_equal(gu_str(a, "projection.chosen"), "tsne");
    assert_true(cJSON_IsTrue(gu_get(a, "map.ready")));
    /* then the finished t-SNE */
    assert_string_equal(gu_str(b, "projection.method"), "tsne");
    assert_string_equal(gu_str(b, "projection.state"), "done");
    assert_int_equal((int)gu_num(b, "projection.iter"), 1000);
    double kl = gu_num(b, "projection.kl");
    assert_true(kl > 0 && kl < 5);
    /* its_per_s is reported, not asserted: speed is measured in benchmarks. */
    double its = gu_num(b, "projection.its_per_s");
    assert_true(its > 0);
    assert_true(gu_num(b, "projection.seq") > 50); /* published along the way */
    float *y = layout(b);
    double acc = 0;
    Err e = {0};
    assert_int_equal(quality_knn_accuracy(y, n_test, 2, labels, 10, 2, &acc, &e), ERR_OK);
    fprintf(stderr,
            "test_proj_gui: 10-NN accuracy: t-SNE map %.3f, PCA map %.3f, the 8-D means "
            "themselves %.3f; %.0f it/s, KL %.3f\n",
            acc, pca_acc, latent_acc, its, kl);
    /* the map keeps most of the class structure the latent space has, and
     * far more than a linear projection (measured: 0.825 vs 0.43 vs 0.85) */
    assert_true(acc > latent_acc - 0.08);
    assert_true(acc > pca_acc + 0.2);
    /* where the middles of the '0' and '1' clusters are on screen */
    const cJSON *card = gu_get(b, "projection.card");
    for (int k = 0; k < 2; k++) {
        size_t i = class_centre(y, k);
        gu_latent_to_window(b, y[2 * i], y[2 * i + 1], &click[k][0], &click[k][1]);
        int cx = cJSON_GetArrayItem(card, 0)->valueint, cy = cJSON_GetArrayItem(card, 1)->valueint;
        int cw = cJSON_GetArrayItem(card, 2)->valueint, ch = cJSON_GetArrayItem(card, 3)->valueint;
        if (click[k][0] >= cx && click[k][0] < cx + cw && click[k][1] >= cy &&
            click[k][1] < cy + ch)
            fail_msg("the '%d' cluster is under the projection card", k);
    }
    const char *names[3] = {"pca", "tsne", "pause"};
    for (int k = 0; k < 3; k++) {
        const cJSON *r = gu_get(gu_get(b, "projection.buttons"), names[k]);
        btn[k][0] = cJSON_GetArrayItem(r, 0)->valueint + cJSON_GetArrayItem(r, 2)->valueint / 2;
        btn[k][1] = cJSON_GetArrayItem(r, 1)->valueint + cJSON_GetArrayItem(r, 3)->valueint / 2;
    }
    final_kl = kl;
    free(y);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void test_click_decodes(void **state)
{
    (void)state;
    if (final_kl < 0)
        skip();
    /* tu_path rotates through 8 buffers: keep copies of the 9 paths */
    static const char *const names[] = {"c.json",  "d0.json", "d1.json", "d1.png",  "d2.json",
                                        "e0.json", "e1.json", "e2.json", "e3.json"};
    char path[9][1024];
    for (int i = 0; i < 9; i++)
        snprintf(path[i], sizeof path[i], "%s", tu_path(names[i]));
    char script[16384];
    snprintf(script, sizeof script,
             "wait-ready 60\n" TSNE_DONE "dump-state %s\nclick %d %d\nwait 5 frames\n"
             "dump-state %s\nclick %d %d\nwait 5 frames\ndump-state %s\nscreenshot %s\n"
             "drag %d %d %d %d 12\nwait 5 frames\ndump-state %s\n"
             "click %d %d\nwait-until projection.method == pca 60\nwait-until projection.state == done 60\n"
             "dump-state %s\nclick %d %d\nwait 3 frames\n"
             /* the pause shows once the new run's affinities are done; then
              * 700 ms in which a paused run must publish nothing */
             "click %d %d\nwait-until projection.state == paused 120\ndump-state %s\n"
             "wait 700ms\ndump-state %s\nkey T\n"
             "wait 5 frames\ndump-state %s\nquit\n",
             path[0], click[0][0], click[0][1], path[1], click[1][0], click[1][1], path[2],
             path[3], click[0][0], click[0][1], click[1][0], click[1][1], path[4], btn[0][0],
             btn[0][1], path[5], btn[1][0], btn[1][1], btn[2][0], btn[2][1], path[6], path[7],
             path[8]);
    assert_int_equal(gu_explore(script, opts, NULL, NULL), 0);
    cJSON *c = gu_load_json(tu_path("c.json")), *d0 = gu_load_json(tu_path("d0.json")), *d1 = gu_load_json(tu_path("d1.json")),
          *d2 = gu_load_json(tu_path("d2.json"));
    /* the same final map as in test 1 (deterministic t-SNE) */
    assert_string_equal(gu_str(c, "projection.state"), "done");
    assert_true(fabs(gu_num(c, "projection.kl") - final_kl) < 1e-9);
    const cJSON *dec[2] = {d0, d1};
    double img[2][VAE_X];
    for (int k = 0; k < 2; k++) {
        assert_int_equal(cJSON_GetArraySize(gu_get(dec[k], "z")), 8);
        const cJSON *px = gu_get(dec[k], "decoded");
        assert_int_equal(cJSON_GetArraySize(px), VAE_X);
        for (int p = 0; p < VAE_X; p++)
            img[k][p] = cJSON_GetArrayItem(px, p)->valuedouble;
    }
    assert_string_not_equal(gu_str(d0, "decoded_sha1"), gu_str(d1, "decoded_sha1"));
    assert_true(mse(img[0], class_mean[0]) < mse(img[0], class_mean[1]));
    assert_true(mse(img[1], class_mean[1]) < mse(img[1], class_mean[0]));
    /* the nearest test image of each click is of the clicked class */
    assert_int_equal(labels[(int)gu_num(d0, "map.nearest")], 0);
    assert_int_equal(labels[(int)gu_num(d1, "map.nearest")], 1);
    /* dragging from the '0' to the '1' decodes a run of different images */
    const cJSON *rec = gu_get(d2, "recent_decodes");
    int n = cJSON_GetArraySize(rec), distinct = 0;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen |= strcmp(cJSON_GetArrayItem(rec, i)->valuestring,
                           cJSON_GetArrayItem(rec, k)->valuestring) == 0;
        distinct += !seen;
    }
    assert_true(distinct >= 8);
    /* the card: PCA shows the PCA layout; t-SNE re-runs; Pause holds it
     * (from the first chunk after the affinities, ~1 s at N = 10,000) */
    cJSON *e0 = gu_load_json(tu_path("e0.json")), *e1 = gu_load_json(tu_path("e1.json")), *e2 = gu_load_json(tu_path("e2.json"));
    for (int k = 0; k < 3; k++) {
        const cJSON *e = k == 0 ? e0 : k == 1 ? e1 : e2;
        fprintf(stderr, "test_proj_gui: card e%d: %s %s iter %d seq %d requests %d\n", k,
                gu_str(e, "projection.method"), gu_str(e, "projection.state"),
                (int)gu_num(e, "projection.iter"), (int)gu_num(e, "projection.seq"),
                (int)gu_num(e, "projection.requests"));
    }
    assert_string_equal(gu_str(e0, "projection.method"), "pca");
    assert_string_equal(gu_str(e0, "projection.state"), "done");
    assert_string_equal(gu_str(e1, "projection.chosen"), "tsne");
    assert_int_equal((int)gu_num(e1, "projection.requests"), 3);
    assert_string_equal(gu_str(e1, "projection.state"), "paused");
    assert_string_equal(gu_str(e2, "projection.state"), "paused");
    assert_int_equal((int)gu_num(e2, "projection.iter"), (int)gu_num(e1, "projection.iter"));
    assert_int_equal((int)gu_num(e2, "projection.seq"), (int)gu_num(e1, "projection.seq"));
    cJSON *e3 = gu_load_json(tu_path("e3.json"));
    const cJSON *cb = gu_get(gu_get(e3, "training.buttons"), "tr/continue");
    cont[0] = cJSON_GetArrayItem(cb, 0)->valueint + cJSON_GetArrayItem(cb, 2)->valueint / 2;
    cont[1] = cJSON_GetArrayItem(cb, 1)->valueint + cJSON_GetArrayItem(cb, 3)->valueint / 2;
    cJSON_Delete(e0);
    cJSON_Delete(e1);
    cJSON_Delete(e2);
    cJSON_Delete(e3);
    cJSON_Delete(c);
    cJSON_Delete(d0);
    cJSON_Delete(d1);
    cJSON_Delete(d2);
}

/* 3. Training goes on in the window: every re-encoding of the means
 * continues the t-SNE from the current map (warm start, no exaggeration),
 * so the map changes, but smoothly: no point jumps across the map, and the
 * classes stay apart. */
static void test_training_warm_starts(void **state)
{
    (void)state;
    if (cont[0] < 0)
        skip();
    char script[4096];
    snprintf(script, sizeof script,
             "wait-ready 60\n" TSNE_DONE "dump-state %s\nkey T\nwait 5 frames\n"
             /* the first warm restart, then two more: a restart waits until
              * the run before it has published 50 iterations, so by the
              * third the map has followed the training at least once */
             "click %d %d\nwait-until projection.warm_requests >= 1 180\ndump-state %s\n"
             "wait-until projection.warm_requests >= 3 180\nwait-until projection.warm == 1 60\n"
             "dump-state %s\nscreenshot %s\nquit\n",
             tu_path("g0.json"), cont[0], cont[1], tu_path("g1.json"), tu_path("g2.json"),
             tu_path("g2.png"));
    assert_int_equal(gu_explore(script, opts, NULL, NULL), 0);
    cJSON *g0 = gu_load_json(tu_path("g0.json")), *g1 = gu_load_json(tu_path("g1.json")), *g2 = gu_load_json(tu_path("g2.json"));
    assert_string_equal(gu_str(g0, "projection.state"), "done");
    assert_true(cJSON_IsTrue(gu_get(g2, "training.running")));
    double w1 = gu_num(g1, "projection.warm_requests"), w2 = gu_num(g2, "projection.warm_requests");
    fprintf(stderr, "test_proj_gui: warm restarts at the first dump %.0f, at the second %.0f\n",
            w1, w2);
    assert_true(w1 >= 1);
    assert_true(w2 > w1); /* it keeps following the training */
    assert_true(cJSON_IsTrue(gu_get(g2, "projection.warm")));
    assert_string_equal(gu_str(g2, "projection.method"), "tsne");
    float *y0 = layout(g0), *y2 = layout(g2);
    float ext = 0, moved = 0;
    for (size_t i = 0; i < 2 * n_test; i++) {
        ext = fmaxf(ext, fabsf(y0[i]));
        moved = fmaxf(moved, fabsf(y2[i] - y0[i]));
    }
    fprintf(stderr, "test_proj_gui: map extent %.1f, largest move over 3 restarts %.1f\n", (double)ext,
            (double)moved);
    assert_true(moved > 0);           /* the map follows the new means */
    assert_true(moved < 0.5f * ext); /* smoothly: not a restart from PCA */
    double acc = 0;
    Err e = {0};
    assert_int_equal(quality_knn_accuracy(y2, n_test, 2, labels, 10, 2, &acc, &e), ERR_OK);
    assert_true(acc > latent_acc - 0.1);
    free(y0);
    free(y2);
    cJSON_Delete(g0);
    cJSON_Delete(g1);
    cJSON_Delete(g2);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tsne_runs_live),
        cmocka_unit_test(test_click_decodes),
        cmocka_unit_test(test_training_warm_starts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
