/* test_compare_gui: `zspace explore -m A --compare B` end to end under a
 * private Xvfb. Two tiny Z = 2 models trained with different seeds share
 * one window: a click on the '1' centroid of A's map (left) sets z there,
 * both decodes change and decode that same z (B's bytes are the test's own
 * decode of z with B's weights), and each is closer to the mean test '1'
 * than to the mean '0'. A click on B's map (right) moves z to B's '1'
 * centroid. The right map pans and zooms on its own and Home fits both; T,
 * I and S open the Training (its curves under both maps), Walk and
 * Sampling panels on A. A digit drawn in the Draw panel is read by
 * both encoders: A's mu becomes z, B's mu is marked on B's map. Models with
 * different Z are refused before any window opens: one error line, exit 2.
 *
 * usage: test_compare_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. The
 * models are trained through the engine API in setup (~3 s). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "data/dataset.h"
#include "gui_util.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static Dataset ds;
static char path_a[4096], path_b[4096], path_z4[4096];
static Vae va, vb;
static float cen_a[10][2], cen_b[10][2];
static float mean_img[10][VAE_X]; /* mean test image of each class */

static void load(const char *path, Vae *v)
{
    Err e = {0};
    VaeFileInfo info;
    assert_int_equal(vae_load(path, v, 8, &info, &e), ERR_OK);
    vae_file_info_free(&info);
}

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    /* Different seeds: different maps (their '1' clusters are elsewhere). */
    snprintf(path_a, sizeof path_a, "%s", gu_save_tiny("a.safetensors", &ds.train, 2, 256, 8, 3));
    snprintf(path_b, sizeof path_b, "%s", gu_save_tiny("b.safetensors", &ds.train, 2, 256, 8, 4));
    snprintf(path_z4, sizeof path_z4, "%s", gu_save_tiny("z4.safetensors", &ds.train, 4, 64, 1, 5));
    load(path_a, &va);
    load(path_b, &vb);
    gu_centroids2(&va, &ds.test, cen_a);
    gu_centroids2(&vb, &ds.test, cen_b);
    int count[10] = {0};
    for (size_t i = 0; i < ds.test.n; i++) {
        int k = ds.test.labels[i];
        count[k]++;
        for (int p = 0; p < VAE_X; p++)
            mean_img[k][p] += ds.test.images[i * VAE_X + (size_t)p];
    }
    for (int k = 0; k < 10; k++)
        for (int p = 0; p < VAE_X; p++)
            mean_img[k][p] /= (float)count[k];
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vae_free(&va);
    vae_free(&vb);
    dataset_free(&ds);
    return 0;
}

static void opts(char *buf, size_t n, const char *a, const char *b, const char *more)
{
    snprintf(buf, n, "-m %s --compare %s %s", a, b, more ? more : "");
}

static void z_of(const cJSON *o, const char *path, float z[2])
{
    const cJSON *arr = gu_get(o, path);
    assert_int_equal(cJSON_GetArraySize(arr), 2);
    gu_floats(arr, z, 2);
}

/* The side's decode is exactly the model's decode of z (one byte of
 * rounding), and closer to the mean '1' than to the mean '0'. */
static void check_decode(const cJSON *side, Vae *v, const float z[2], const char *who)
{
    float got[VAE_X], want[VAE_X];
    gu_decoded(side, got);
    vae_decode(v, z, 1, want);
    double worst = 0;
    for (int p = 0; p < VAE_X; p++) {
        double d = fabs(got[p] - fminf(fmaxf(want[p], 0), 1));
        worst = d > worst ? d : worst;
    }
    assert_true(worst <= 1.0 / 255 + 1e-6);
    double m1 = gu_mse(got, mean_img[1]), m0 = gu_mse(got, mean_img[0]);
    print_message("%s decode: mse to mean 1 %.4f, to mean 0 %.4f\n", who, m1, m0);
    assert_true(m1 < m0);
}

/* A's map (left): click its '1' centroid. Both decodes change and decode
 * the same z. 1280x800. */
static void test_click_left(void **state)
{
    (void)state;
    char script[2048], opt[9000];
    opts(opt, sizeof opt, path_a, path_b, NULL);
    snprintf(script, sizeof script, "wait-ready\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("l0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s0 = gu_load_json(tu_path("l0.json"));
    const cJSON *c0 = gu_get(s0, "compare");
    assert_true(gu_num(c0, "on"));
    assert_true(gu_num(c0, "left.map_ready") && gu_num(c0, "right.map_ready"));
    assert_string_equal(gu_str(c0, "left.name"), "a.safetensors");
    assert_string_equal(gu_str(c0, "right.name"), "b.safetensors");
    assert_int_equal((int)gu_num(c0, "right.points"), (int)ds.test.n);
    /* two maps side by side, the left one is the map the main view reports */
    int lx = gu_int_at(c0, "left.view.map_rect", 0), lw = gu_int_at(c0, "left.view.map_rect", 2);
    int rx = gu_int_at(c0, "right.view.map_rect", 0), rw = gu_int_at(c0, "right.view.map_rect", 2);
    assert_true(rx >= lx + lw && lw > 200 && rw > 200);
    assert_int_equal(gu_int_at(s0, "view.map_rect", 0), lx);
    /* each map fitted to its own points: different seeds, different extents */
    assert_true(fabs(gu_num(c0, "left.view.scale") - gu_num(c0, "right.view.scale")) > 1e-3);

    int wx, wy;
    gu_latent_to_window(gu_get(c0, "left"), cen_a[1][0], cen_a[1][1], &wx, &wy);
    snprintf(script, sizeof script,
             "wait-ready\nwait 3 frames\ndump-state %s\nclick %d %d\nwait 3 frames\n"
             "dump-state %s\nscreenshot %s\nquit\n",
             tu_path("l1.json"), wx, wy, tu_path("l2.json"), tu_path("compare-1280.png"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("l1.json")), *s2 = gu_load_json(tu_path("l2.json"));
    const cJSON *c1 = gu_get(s1, "compare"), *c2 = gu_get(s2, "compare");
    /* both decodes changed */
    assert_string_not_equal(gu_str(c1, "left.decoded_sha1"), gu_str(c2, "left.decoded_sha1"));
    assert_string_not_equal(gu_str(c1, "right.decoded_sha1"), gu_str(c2, "right.decoded_sha1"));
    assert_string_equal(gu_str(c2, "left.decoded_sha1"), gu_str(s2, "decoded_sha1"));
    /* z is the one clicked, and the same in both */
    float z[2], zl[2], zr[2];
    z_of(s2, "z", z);
    z_of(c2, "left.z", zl);
    z_of(c2, "right.z", zr);
    double px = 1.5 / gu_num(c2, "left.view.scale"); /* a window point's rounding */
    for (int d = 0; d < 2; d++) {
        assert_float_equal(z[d], cen_a[1][d], px);
        assert_float_equal(zl[d], z[d], 0);
        assert_float_equal(zr[d], z[d], 0);
    }
    check_decode(gu_get(c2, "left"), &va, z, "A (clicked)");
    check_decode(gu_get(c2, "right"), &vb, z, "B");
    cJSON_Delete(s0);
    cJSON_Delete(s1);
    cJSON_Delete(s2);
}

/* B's map (right): a click moves z to B's '1' centroid; the right map pans
 * and zooms alone; Home fits both again; T, I and S open their panels on A.
 * 1024x768. */
static void test_click_right_views_keys(void **state)
{
    (void)state;
    char script[4096], opt[9000];
    opts(opt, sizeof opt, path_a, path_b, "--size 1024x768");
    snprintf(script, sizeof script, "wait-ready\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("r0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s0 = gu_load_json(tu_path("r0.json"));
    const cJSON *c0 = gu_get(s0, "compare");
    int wx, wy;
    gu_latent_to_window(gu_get(c0, "right"), cen_b[1][0], cen_b[1][1], &wx, &wy);
    double ps = gu_num(c0, "right.view.pixel_scale");
    int mx = (int)((gu_int_at(c0, "right.view.map_rect", 0) + gu_int_at(c0, "right.view.map_rect", 2) / 2) / ps);
    int my = (int)((gu_int_at(c0, "right.view.map_rect", 1) + gu_int_at(c0, "right.view.map_rect", 3) / 2) / ps);
    snprintf(script, sizeof script,
             "wait-ready\nwait 3 frames\n"
             "click %d %d\nwait 3 frames\ndump-state %s\nscreenshot %s\n"
             "rdrag %d %d %d %d 5\nscroll %d %d 2\nwait 3 frames\ndump-state %s\n"
             "key Home\nwait 3 frames\ndump-state %s\n"
             "key T\nwait 3 frames\ndump-state %s\nscreenshot %s\n"
             "key I\nwait 3 frames\ndump-state %s\nkey S\nwait 5 frames\ndump-state %s\nquit\n",
             wx, wy, tu_path("r1.json"), tu_path("compare-1024.png"), mx, my, mx + 40, my + 30,
             mx, my, tu_path("r2.json"), tu_path("r3.json"), tu_path("r4.json"),
             tu_path("compare-train-1024.png"), tu_path("r5.json"), tu_path("r6.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("r1.json")), *s2 = gu_load_json(tu_path("r2.json"));
    cJSON *s3 = gu_load_json(tu_path("r3.json"));
    const cJSON *c1 = gu_get(s1, "compare");
    float z[2], zr[2];
    z_of(s1, "z", z);
    z_of(c1, "right.z", zr);
    double px = 1.5 / gu_num(c1, "right.view.scale");
    for (int d = 0; d < 2; d++) {
        assert_float_equal(z[d], cen_b[1][d], px);
        assert_float_equal(zr[d], z[d], 0);
    }
    assert_string_not_equal(gu_str(c0, "right.decoded_sha1"), gu_str(c1, "right.decoded_sha1"));
    assert_string_not_equal(gu_str(c0, "left.decoded_sha1"), gu_str(c1, "left.decoded_sha1"));
    check_decode(gu_get(c1, "right"), &vb, z, "B (clicked)");
    float got[VAE_X], want[VAE_X];
    gu_decoded(gu_get(c1, "left"), got);
    vae_decode(&va, z, 1, want);
    for (int p = 0; p < VAE_X; p++)
        assert_true(fabs(got[p] - fminf(fmaxf(want[p], 0), 1)) <= 1.0 / 255 + 1e-6);

    /* the right map moved alone */
    const cJSON *c2 = gu_get(s2, "compare");
    assert_true(gu_num(c2, "right.view.user_moved"));
    assert_false(gu_num(c2, "left.view.user_moved"));
    assert_true(gu_num(c2, "right.view.scale") > gu_num(c1, "right.view.scale") * 1.3);
    assert_float_equal(gu_num(c2, "left.view.scale"), gu_num(c1, "left.view.scale"), 1e-6);
    /* Home: both fitted again */
    const cJSON *c3 = gu_get(s3, "compare");
    assert_false(gu_num(c3, "right.view.user_moved"));
    assert_float_equal(gu_num(c3, "right.view.scale"), gu_num(c1, "right.view.scale"), 1e-4);
    /* T, I and S act on A as without B: the Training panel with its curves
     * under both maps (which stay side by side, of one height), then the
     * Walk panel, then Sampling */
    cJSON *s4 = gu_load_json(tu_path("r4.json")), *s5 = gu_load_json(tu_path("r5.json"));
    cJSON *s6 = gu_load_json(tu_path("r6.json"));
    assert_false(gu_num(s3, "training.shown"));
    assert_true(gu_num(s4, "training.shown"));
    const cJSON *c4 = gu_get(s4, "compare");
    for (int k = 1; k < 4; k += 2) /* y and h */
        assert_int_equal(gu_int_at(c4, "left.view.map_rect", k),
                         gu_int_at(c4, "right.view.map_rect", k));
    assert_true(gu_int_at(c4, "left.view.map_rect", 3) <
                gu_int_at(c3, "left.view.map_rect", 3) * 3 / 4);
    assert_int_equal(gu_int_at(c4, "right.view.map_rect", 0),
                     gu_int_at(c3, "right.view.map_rect", 0));
    assert_true(gu_num(c4, "right.map_ready"));
    assert_true(gu_num(s5, "walk.show"));
    assert_false(gu_num(s5, "training.shown"));
    assert_true(gu_num(s6, "sampling.visible"));
    assert_true(gu_num(gu_get(s6, "sampling"), "prior.valid"));
    cJSON_Delete(s0);
    cJSON_Delete(s1);
    cJSON_Delete(s2);
    cJSON_Delete(s3);
    cJSON_Delete(s4);
    cJSON_Delete(s5);
    cJSON_Delete(s6);
}

/* Draw panel while comparing: a '1'-like stroke is encoded by both models.
 * A's mu is z; B's mu (dump-state compare.drawn) is B's own encoding of the
 * input the panel shows (to the rounding of that input to bytes), marked
 * at that mu on B's map with B's q(z|x) ellipses around it, and differs
 * from A's reading. */
static void test_draw_both(void **state)
{
    (void)state;
    char script[2048], opt[9000];
    opts(opt, sizeof opt, path_a, path_b, NULL);
    snprintf(script, sizeof script, "wait-ready\nkey D\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("d0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s0 = gu_load_json(tu_path("d0.json"));
    assert_true(gu_num(s0, "draw.shown"));
    assert_true(gu_get(s0, "compare.drawn") != NULL && cJSON_IsNull(gu_get(s0, "compare.drawn")));
    int cx = gu_int_at(s0, "draw.canvas_rect", 0), cy = gu_int_at(s0, "draw.canvas_rect", 1);
    int cw = gu_int_at(s0, "draw.canvas_rect", 2), ch = gu_int_at(s0, "draw.canvas_rect", 3);
    snprintf(script, sizeof script,
             "wait-ready\nkey D\nwait 3 frames\ndrag %d %d %d %d 24\nmove %d %d\n"
             "wait 3 frames\ndump-state %s\nquit\n",
             cx + cw * 52 / 100, cy + ch * 12 / 100, cx + cw * 48 / 100, cy + ch * 88 / 100,
             cx + 5, cy + 5, tu_path("d1.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("d1.json"));
    assert_false(gu_num(s1, "draw.empty"));
    float img[VAE_X], want_a[2], want_b[2], lv[2], mu_a[2], mu_b[2], xy_b[2], z[2];
    const cJSON *px = gu_get(s1, "draw.image");
    assert_int_equal(cJSON_GetArraySize(px), VAE_X);
    for (int p = 0; p < VAE_X; p++)
        img[p] = (float)cJSON_GetArrayItem(px, p)->valuedouble / 255.0f;
    vae_encode(&va, img, 1, want_a, lv);
    vae_encode(&vb, img, 1, want_b, lv);
    z_of(s1, "draw.mu", mu_a);
    z_of(s1, "compare.drawn.mu", mu_b);
    z_of(s1, "compare.drawn.map_xy", xy_b);
    z_of(s1, "z", z);
    print_message("drawn: A mu (%.3f, %.3f), B mu (%.3f, %.3f)\n", mu_a[0], mu_a[1], mu_b[0],
                  mu_b[1]);
    double dist = 0;
    for (int d = 0; d < 2; d++) {
        assert_float_equal(mu_a[d], want_a[d], 0.05); /* the panel's input is the bytes rounded */
        assert_float_equal(mu_b[d], want_b[d], 0.05);
        assert_float_equal(xy_b[d], mu_b[d], 0); /* Z = 2: marked at mu itself */
        assert_float_equal(z[d], mu_a[d], 0);    /* z follows A's reading */
        dist += (mu_a[d] - mu_b[d]) * (mu_a[d] - mu_b[d]);
    }
    assert_true(sqrt(dist) > 0.1); /* two models, two readings */
    /* B's ellipses of the drawing: centred on B's mu, semi-axes B's sigma */
    float lv_b[2];
    z_of(s1, "compare.drawn.logvar", lv_b);
    const cJSON *ell = gu_get(s1, "compare.ellipses"), *e;
    int found = 0;
    cJSON_ArrayForEach(e, ell)
    {
        if (strcmp(gu_str(e, "source"), "drawn") != 0)
            continue;
        float cen[2], sig[2];
        z_of(e, "center", cen);
        z_of(e, "sigma", sig);
        for (int d = 0; d < 2; d++) {
            assert_float_equal(cen[d], mu_b[d], 0);
            assert_float_equal(sig[d], expf(0.5f * lv_b[d]), 1e-6);
        }
        found++;
    }
    assert_int_equal(found, 1);
    cJSON_Delete(s0);
    cJSON_Delete(s1);
}

/* Different Z: one clear line on stderr, exit 2, no window. */
static void test_mismatched_z(void **state)
{
    (void)state;
    char opt[9000];
    opts(opt, sizeof opt, path_a, path_z4, NULL);
    FILE *f = fopen(gu_stderr_path(), "w"); /* only this run's stderr */
    if (f)
        fclose(f);
    assert_int_equal(gu_explore("wait 10s\nquit\n", opt, NULL, NULL), 2);
    char *err = gu_stderr_text();
    assert_string_equal(err, "zspace: --compare: a.safetensors has Z=2 but z4.safetensors has "
                             "Z=4; compare needs the same latent size\n");
    free(err);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_click_left),
        cmocka_unit_test(test_click_right_views_keys),
        cmocka_unit_test(test_draw_both),
        cmocka_unit_test(test_mismatched_z),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
