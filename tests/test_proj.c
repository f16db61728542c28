/* test_proj: the explorer's projection worker (src/explore/proj.h) driven
 * headless from this thread as the UI would drive it: PCA first then t-SNE
 * layouts published chunk by chunk, warm starts from the previous layout,
 * pause / resume / stop, a storm of superseding requests, a failed run that
 * keeps the PCA layout, and quitting mid-run. Suites unit and thread (CI
 * runs 'thread' under ThreadSanitizer). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
#include <cmocka.h>

#include "explore/proj.h"
#include "core/rng.h"
#include "core/timer.h"
#include "embed/quality.h"
#include "test_util.h"

enum { N = 600, D = 8, C = 3 };
static float x[N * D];
static int32_t labels[N];
static atomic_int wakes;

static void notify(void *user)
{
    (void)user;
    atomic_fetch_add(&wakes, 1);
}

/* C well-separated Gaussian clusters in D dims. */
static void make_clusters(uint64_t seed, float shift)
{
    Rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < N; i++) {
        labels[i] = i % C;
        for (int d = 0; d < D; d++)
            x[i * D + d] = (float)rng_normal(&r) + (d == labels[i] ? 12.0f : 0.0f) + shift;
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Poll until pred(o) holds or `seconds` pass; every new layout is checked by
 * check (may be NULL). Returns whether pred held. */
static bool poll_until(ProjJob *j, ProjOut *o, bool (*pred)(const ProjOut *, uint64_t),
                       uint64_t arg, double seconds, void (*check)(const ProjOut *))
{
    double end = timer_now() + seconds;
    while (timer_now() < end) {
        if (proj_poll(j, o) && check)
            check(o);
        if (o->y && pred(o, arg))
            return true;
        sleep_ms(2);
    }
    return false;
}

static bool done_for(const ProjOut *o, uint64_t req)
{
    return o->request == req && (o->state == PROJ_DONE || o->state == PROJ_FAILED);
}

static bool tsne_past(const ProjOut *o, uint64_t iter)
{
    return o->method == PROJ_TSNE && o->iter >= (int)iter;
}

static bool is_paused(const ProjOut *o, uint64_t unused)
{
    (void)unused;
    return o->state == PROJ_PAUSED;
}

/* Published layouts of one cold run: PCA (iteration 0) first, then t-SNE
 * iterations that only go up; every coordinate finite. */
static int last_iter, saw_pca, saw_tsne;
static void check_run(const ProjOut *o)
{
    for (size_t i = 0; i < 2 * o->n; i++)
        assert_true(isfinite(o->y[i]));
    if (o->method == PROJ_PCA) {
        assert_int_equal(saw_tsne, 0); /* PCA comes before any t-SNE layout */
        assert_int_equal(o->iter, 0);
        saw_pca++;
    } else {
        assert_true(o->iter >= last_iter);
        last_iter = o->iter;
        saw_tsne++;
    }
}

static double accuracy(const ProjOut *o)
{
    double acc = 0;
    Err e = {0};
    assert_int_equal(quality_knn_accuracy(o->y, o->n, 2, labels, 10, 1, &acc, &e), ERR_OK);
    return acc;
}

static void test_cold_then_warm(void **state)
{
    (void)state;
    make_clusters(1, 0);
    ProjJob j;
    ProjOut o = {0};
    Err e = {0};
    assert_int_equal(proj_start(&j, 2, notify, NULL, &e), ERR_OK);
    uint64_t req = proj_submit(&j, x, N, D, PROJ_TSNE, 20, true); /* no layout yet: cold */
    assert_true(req > 0);
    last_iter = saw_pca = saw_tsne = 0;
    assert_true(poll_until(&j, &o, done_for, req, 60, check_run));
    assert_int_equal(o.state, PROJ_DONE);
    assert_int_equal(o.method, PROJ_TSNE);
    assert_false(o.warm);
    assert_int_equal(o.iter, PROJ_TSNE_ITERS);
    assert_true(saw_pca >= 1);
    assert_true(saw_tsne >= 3); /* published along the way, not only at the end */
    assert_true(isfinite(o.kl) && o.kl > 0);
    assert_true(o.its > 0);
    assert_true(atomic_load(&wakes) >= saw_pca + saw_tsne);
    assert_true(accuracy(&o) > 0.98);

    /* New means for the same points (shifted a little, as after a few
     * training batches): the next run starts from this layout. */
    float *prev = malloc(2 * N * sizeof *prev);
    assert_non_null(prev);
    memcpy(prev, o.y, 2 * N * sizeof *prev);
    float ext = 0;
    for (int i = 0; i < 2 * N; i++)
        ext = fmaxf(ext, fabsf(prev[i]));
    make_clusters(1, 0.05f);
    req = proj_submit(&j, x, N, D, PROJ_TSNE, 20, true);
    bool first = true;
    double end = timer_now() + 60;
    while (timer_now() < end && !done_for(&o, req)) {
        if (proj_poll(&j, &o) && o.request == req && first) {
            /* the first layout of the warm run is the old map a few
             * iterations on, not a PCA restart */
            first = false;
            assert_true(o.warm);
            assert_int_equal(o.method, PROJ_TSNE);
            assert_int_equal(o.max_iter, PROJ_WARM_ITERS);
            float moved = 0;
            for (int i = 0; i < 2 * N; i++)
                moved = fmaxf(moved, fabsf(o.y[i] - prev[i]));
            assert_true(moved < 0.1f * ext);
        }
        sleep_ms(2);
    }
    assert_false(first);
    assert_int_equal(o.state, PROJ_DONE);
    assert_int_equal(o.iter, PROJ_WARM_ITERS);
    assert_true(accuracy(&o) > 0.98);
    free(prev);
    proj_free(&j);
    proj_out_free(&o);
}

static void test_pause_resume_stop(void **state)
{
    (void)state;
    make_clusters(2, 0);
    ProjJob j;
    ProjOut o = {0};
    Err e = {0};
    assert_int_equal(proj_start(&j, 1, NULL, NULL, &e), ERR_OK);
    uint64_t req = proj_submit(&j, x, N, D, PROJ_TSNE, 20, false);
    assert_true(poll_until(&j, &o, tsne_past, 20, 60, NULL));
    proj_pause(&j, true);
    assert_true(poll_until(&j, &o, is_paused, 0, 10, NULL));
    int at = o.iter;
    sleep_ms(150);
    assert_false(proj_poll(&j, &o)); /* nothing moves while paused */
    assert_int_equal(o.iter, at);
    proj_pause(&j, false);
    assert_true(poll_until(&j, &o, tsne_past, (uint64_t)at + 10, 30, NULL));
    proj_stop(&j);
    assert_true(poll_until(&j, &o, done_for, req, 30, NULL));
    assert_int_equal(o.state, PROJ_DONE);
    assert_true(o.iter < PROJ_TSNE_ITERS); /* stopped early */
    assert_true(isfinite(o.kl));
    proj_free(&j);
    proj_out_free(&o);
}

static void test_request_storm_and_quit(void **state)
{
    (void)state;
    make_clusters(3, 0);
    ProjJob j;
    ProjOut o = {0};
    Err e = {0};
    assert_int_equal(proj_start(&j, 2, notify, NULL, &e), ERR_OK);
    uint64_t req = 0;
    for (int i = 0; i < 40; i++) {
        req = proj_submit(&j, x, N, D, i % 2 ? PROJ_PCA : PROJ_TSNE, 5 + i, i % 3 == 0);
        if (i % 7 == 0)
            proj_pause(&j, true);
        if (i % 5 == 0)
            proj_stop(&j);
        if (i % 4 == 0)
            sleep_ms(1);
    }
    /* the last request (PCA) is the one answered in the end */
    assert_true(poll_until(&j, &o, done_for, req, 30, NULL));
    assert_int_equal(o.method, PROJ_PCA);
    assert_int_equal(o.state, PROJ_DONE);
    assert_true(accuracy(&o) > 0.98); /* these clusters separate even linearly */
    /* quit in the middle of a t-SNE run: joins promptly */
    proj_submit(&j, x, N, D, PROJ_TSNE, 20, false);
    assert_true(poll_until(&j, &o, tsne_past, 5, 60, NULL));
    double t0 = timer_now();
    proj_free(&j);
    assert_true(timer_now() - t0 < 2.0);
    proj_out_free(&o);
}

static void test_failed_run_keeps_pca(void **state)
{
    (void)state;
    make_clusters(4, 0);
    ProjJob j;
    ProjOut o = {0};
    Err e = {0};
    assert_int_equal(proj_start(&j, 1, NULL, NULL, &e), ERR_OK);
    /* 40 points cannot have perplexity 30 (needs N >= 91) */
    uint64_t req = proj_submit(&j, x, 40, D, PROJ_TSNE, 30, false);
    assert_true(poll_until(&j, &o, done_for, req, 30, NULL));
    assert_int_equal(o.state, PROJ_FAILED);
    assert_int_equal(o.method, PROJ_PCA);
    assert_int_equal((int)o.n, 40);
    assert_true(strlen(o.message) > 0);
    tu_assert_contains(o.message, "perplexity");
    /* a non-finite mean fails the PCA with a message too */
    x[5 * D + 3] = NAN;
    req = proj_submit(&j, x, N, D, PROJ_PCA, 30, false);
    assert_true(poll_until(&j, &o, done_for, req, 30, NULL));
    assert_int_equal(o.state, PROJ_FAILED);
    assert_int_equal((int)o.n, 0); /* no layout of these 600 points exists */
    assert_true(strlen(o.message) > 0);
    proj_free(&j);
    proj_out_free(&o);
    /* a job never started is freed safely */
    ProjJob z;
    memset(&z, 0, sizeof z);
    proj_free(&z);
}

int main(void)
{
    /* As in the explorer (nn_set_threads(1)): OpenBLAS runs inside each
     * caller's thread, so its own (uninstrumented) pool never races. */
    openblas_set_num_threads(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cold_then_warm),
        cmocka_unit_test(test_pause_resume_stop),
        cmocka_unit_test(test_request_storm_and_quit),
        cmocka_unit_test(test_failed_run_keeps_pca),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
