/* test_mapmodel: the explorer's "model shown on a map" without a window:
 * where a latent goes on the map (place) and the latent a map position
 * means (invert), at Z = 2 and through a Z > 2 layout, the click kept for
 * the marker until the layout changes, a real projection run taken in, and
 * the pixel bytes every decode is shown and hashed as. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "app/mapmodel.h"
#include "explore/pixels.h"

/* A map of n points with Z = z whose encoder results are in (no worker). */
static void fake_ready(MapModel *m, int z, size_t n, float *mu)
{
    map_model_init(m);
    m->ready = true;
    m->model.job.z = z;
    m->model.job.n = n;
    m->model.job.mu = mu;
}

static void test_z2_is_identity(void **state)
{
    (void)state;
    float mu[6] = {0, 0, 1, 2, -3, 0.5f};
    MapModel m;
    fake_ready(&m, 2, 3, mu);
    assert_ptr_equal(map_model_xy(&m), mu);
    assert_false(map_model_projected(&m));
    float z[2] = {0.25f, -1.5f}, xy[2], back[2];
    assert_true(map_model_place(&m, z, xy));
    assert_memory_equal(xy, z, sizeof z);
    assert_true(map_model_invert(&m, xy, back));
    assert_memory_equal(back, z, sizeof z);
    m.ready = false; /* no encoder results: no map */
    assert_null(map_model_xy(&m));
    assert_false(map_model_place(&m, z, xy));
    assert_false(map_model_invert(&m, xy, back));
}

/* Z = 3 points on a 2-D layout: nowhere before the layout, then the kNN
 * placement and inverse, which land on a point that coincides. */
static void test_layout_place_invert(void **state)
{
    (void)state;
    enum { N = 12, Z = 3 };
    float mu[N * Z], lay[N * 2];
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < Z; k++)
            mu[i * Z + k] = (float)(i * (k + 1)) * 0.5f - (float)k;
        lay[2 * i] = (float)(i % 4);
        lay[2 * i + 1] = (float)(i / 4) * 2.0f;
    }
    MapModel m;
    fake_ready(&m, Z, N, mu);
    float xy[2], z[Z];
    assert_null(map_model_xy(&m));
    assert_false(map_model_place(&m, mu, xy));
    assert_false(map_model_invert(&m, lay, z));

    m.lay.y = lay;
    m.lay.n = N - 1; /* a layout of other points (older means) is not shown */
    assert_false(map_model_projected(&m));
    m.lay.n = N;
    m.lay.seq = 1;
    assert_true(map_model_projected(&m));
    assert_ptr_equal(map_model_xy(&m), lay);

    /* point 5's latent lands on point 5, a click on point 7 gives its latent */
    assert_true(map_model_place(&m, mu + 5 * Z, xy));
    assert_float_equal(xy[0], lay[10], 1e-5);
    assert_float_equal(xy[1], lay[11], 1e-5);
    assert_true(map_model_invert(&m, lay + 14, z));
    for (int k = 0; k < Z; k++)
        assert_float_equal(z[k], mu[7 * Z + k], 1e-5);

    /* a click between points: its z is marked where the click was, not
     * where kNN would put it, until the layout moves on */
    float q[2] = {1.4f, 3.1f}, at[2];
    assert_true(map_model_invert(&m, q, z));
    assert_true(map_model_place(&m, z, at));
    assert_memory_equal(at, q, sizeof q);
    m.lay.seq = 2;
    assert_true(map_model_place(&m, z, at));
    assert_true(fabsf(at[0] - q[0]) + fabsf(at[1] - q[1]) > 1e-3f);
    m.lay.y = NULL; /* the test's arrays, not the worker's */
}

/* A real projection run (PCA of 5 points: the perplexity asked for is more
 * than 5 points allow, so it is capped) taken in; forget joins the worker. */
static void test_projection_run(void **state)
{
    (void)state;
    enum { N = 5, Z = 4 };
    float mu[N * Z];
    for (int i = 0; i < N * Z; i++)
        mu[i] = (float)((i * 7) % 11) - 5.0f;
    MapModel m;
    fake_ready(&m, Z, N, mu);
    Err e = {0};
    assert_int_equal(map_model_project_start(&m, 1, 0, &e), ERR_OK);
    assert_true(map_model_project(&m, PROJ_PCA, 30, false) > 0);
    bool in = false;
    for (int i = 0; i < 1000 && !in; i++) { /* 10 s at most */
        in = map_model_take_layout(&m) && map_model_projected(&m);
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    assert_true(in);
    assert_int_equal(m.lay.method, PROJ_PCA);
    assert_ptr_equal(map_model_xy(&m), m.lay.y);
    float xy[2];
    assert_true(map_model_place(&m, mu, xy));
    assert_true(isfinite(xy[0]) && isfinite(xy[1]));
    m.model.job.mu = NULL; /* the test's array: forget frees only what the worker made */
    map_model_forget(&m);
    assert_false(m.pj_started || m.ready);
    assert_null(map_model_xy(&m));
    assert_int_equal(m.hover, -1);
}

static void test_pixels_to_bytes(void **state)
{
    (void)state;
    float x[7] = {-1.0f, 0.0f, 0.5f, 1.0f / 255.0f, 1.0f, 2.0f, NAN};
    uint8_t b[7];
    pixels_to_bytes(x, b, 7);
    const uint8_t want[7] = {0, 0, 128, 1, 255, 255, 0};
    assert_memory_equal(b, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_z2_is_identity),
        cmocka_unit_test(test_layout_place_invert),
        cmocka_unit_test(test_projection_run),
        cmocka_unit_test(test_pixels_to_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
