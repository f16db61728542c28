/* test_explorer: the explorer window end to end under a private Xvfb. Each test
 * writes a --script, runs `zspace explore` in a fresh virtual X server and
 * asserts on the screenshots and dump-state JSON it leaves.
 *
 * usage: test_explorer ZSPACE_BINARY SHADER_DIR
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST.
 * A tiny Z = 2 model (3,000 training images, a few epochs, ~2 s) is trained
 * through the engine API in setup. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "data/dataset.h"
#include "gui_util.h"
#include "io/png.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static const char *shader_dir;
static char model_path[4096];
static Dataset ds;
static float centroid[10][2];       /* latent mean of each class (test set) */
static float class_mean[10][VAE_X]; /* pixel mean image of each class (test set) */

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    /* a tiny Z = 2 model */
    Vae v;
    gu_train_tiny(&v, &ds.train, 3000, 2, 256, 8, 3);
    snprintf(model_path, sizeof model_path, "%s", tu_path("tiny.safetensors"));
    assert_int_equal(vae_save(model_path, &v, NULL, &e), ERR_OK);
    /* class centroids in latent space and class mean images */
    gu_centroids2(&v, &ds.test, centroid);
    gu_class_means(&ds.test, class_mean);
    vae_free(&v);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dataset_free(&ds);
    return 0;
}

static char *model_opt(void)
{
    static char buf[4200];
    snprintf(buf, sizeof buf, "-m %s --size 1024x768", model_path);
    return buf;
}

/* The map opens at 1024x768, the screenshot is that size and not blank,
 * F1 shows the help (state and pixels). */
static void test_screenshot_and_help(void **state)
{
    (void)state;
    char script[2048];
    snprintf(script, sizeof script,
             "wait-ready 30\nwait 3 frames\nscreenshot %s\ndump-state %s\nkey F1\nwait 2 frames\n"
             "screenshot %s\ndump-state %s\nquit\n",
             tu_path("a.png"), tu_path("a.json"), tu_path("b.png"), tu_path("b.json"));
    assert_int_equal(gu_explore(script, model_opt(), NULL, NULL), 0);
    uint8_t *pa, *pb;
    int w, h, w2, h2;
    Err e = {0};
    assert_int_equal(io_png_read_rgba(tu_path("a.png"), &pa, &w, &h, &e), ERR_OK);
    assert_int_equal(io_png_read_rgba(tu_path("b.png"), &pb, &w2, &h2, &e), ERR_OK);
    cJSON *sa = gu_load_json(tu_path("a.json")), *sb = gu_load_json(tu_path("b.json"));
    const cJSON *dr = gu_get(sa, "view.drawable");
    assert_int_equal(w, cJSON_GetArrayItem(dr, 0)->valueint);
    assert_int_equal(h, cJSON_GetArrayItem(dr, 1)->valueint);
    assert_int_equal(w, 1024 * (int)gu_num(sa, "view.pixel_scale"));
    /* not blank: many distinct colours */
    int distinct = 0;
    static uint8_t seen[1 << 15];
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < w * h; i++) {
        int key = (pa[4 * i] >> 3) << 10 | (pa[4 * i + 1] >> 3) << 5 | pa[4 * i + 2] >> 3;
        distinct += !seen[key];
        seen[key] = 1;
    }
    fprintf(stderr, "screenshot: %dx%d, %d distinct colours\n", w, h, distinct);
    assert_true(distinct > 200);
    assert_false(gu_num(sa, "ui.help"));
    assert_true(gu_num(sb, "ui.help"));
    assert_true(gu_num(sa, "map.ready"));
    /* the overlay dims the screen: the second shot is darker on average */
    double la = 0, lb = 0;
    for (int i = 0; i < w * h; i++) {
        la += pa[4 * i] + pa[4 * i + 1] + pa[4 * i + 2];
        lb += pb[4 * i] + pb[4 * i + 1] + pb[4 * i + 2];
    }
    assert_true(lb < la * 0.9);

    /* >= 10 distinct label colours on the map: pixels that match a lone
     * point's colour (palette blended over the map background). */
    const cJSON *pal = gu_get(sa, "map.palette"), *bg = gu_get(sa, "map.background");
    const cJSON *mr = gu_get(sa, "view.map_rect");
    double alpha = gu_num(sa, "map.point_alpha");
    int rx = cJSON_GetArrayItem(mr, 0)->valueint, ry = cJSON_GetArrayItem(mr, 1)->valueint;
    int rw = cJSON_GetArrayItem(mr, 2)->valueint, rh = cJSON_GetArrayItem(mr, 3)->valueint;
    int labels_seen = 0;
    for (int k = 0; k < 10; k++) {
        int want[3], hits = 0;
        for (int c = 0; c < 3; c++)
            want[c] = (int)(alpha * cJSON_GetArrayItem(cJSON_GetArrayItem(pal, k), c)->valueint +
                            (1 - alpha) * cJSON_GetArrayItem(bg, c)->valueint + 0.5);
        for (int y = ry; y < ry + rh; y++)
            for (int x = rx; x < rx + rw; x++) {
                const uint8_t *p = pa + 4 * ((size_t)y * (size_t)w + (size_t)x);
                if (abs(p[0] - want[0]) <= 4 && abs(p[1] - want[1]) <= 4 && abs(p[2] - want[2]) <= 4)
                    hits++;
            }
        labels_seen += hits >= 10;
        fprintf(stderr, "label %d: %d lone-point pixels\n", k, hits);
    }
    assert_int_equal(labels_seen, 10);
    cJSON_Delete(sa);
    cJSON_Delete(sb);
    free(pa);
    free(pb);
}

/* Clicking the centre of the '1' cluster and then of the '0' cluster
 * decodes two different images, each closer to its class's mean image. */
static void test_click_decodes_classes(void **state)
{
    (void)state;
    char script[4096];
    snprintf(script, sizeof script, "wait-ready 30\nwait 2 frames\ndump-state %s\nquit\n",
             tu_path("v.json"));
    assert_int_equal(gu_explore(script, model_opt(), NULL, NULL), 0);
    cJSON *v = gu_load_json(tu_path("v.json"));
    int x1, y1, x0, y0;
    gu_latent_to_window(v, centroid[1][0], centroid[1][1], &x1, &y1);
    gu_latent_to_window(v, centroid[0][0], centroid[0][1], &x0, &y0);
    cJSON_Delete(v);
    snprintf(script, sizeof script,
             "wait-ready 30\nclick %d %d\nwait 2 frames\ndump-state %s\nclick %d %d\nwait 2 frames\n"
             "dump-state %s\nquit\n",
             x1, y1, tu_path("one.json"), x0, y0, tu_path("zero.json"));
    assert_int_equal(gu_explore(script, model_opt(), NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("one.json")), *s0 = gu_load_json(tu_path("zero.json"));
    const char *h1 = gu_get(s1, "decoded_sha1")->valuestring;
    const char *h0 = gu_get(s0, "decoded_sha1")->valuestring;
    assert_string_not_equal(h1, h0);
    float d1[VAE_X], d0[VAE_X];
    gu_decoded(s1, d1);
    gu_decoded(s0, d0);
    fprintf(stderr, "click '1': mse to mean 1 %.4f, to mean 0 %.4f; click '0': %.4f, %.4f\n",
            gu_mse(d1, class_mean[1]), gu_mse(d1, class_mean[0]), gu_mse(d0, class_mean[0]),
            gu_mse(d0, class_mean[1]));
    assert_true(gu_mse(d1, class_mean[1]) < gu_mse(d1, class_mean[0]));
    assert_true(gu_mse(d0, class_mean[0]) < gu_mse(d0, class_mean[1]));
    /* z landed where we clicked (within a pixel's worth of latent units) */
    double tol = 2.0 / gu_num(s1, "view.scale") * gu_num(s1, "view.pixel_scale") + 1e-3;
    assert_true(fabs(cJSON_GetArrayItem(gu_get(s1, "z"), 0)->valuedouble - centroid[1][0]) <
                tol * 2);
    cJSON_Delete(s1);
    cJSON_Delete(s0);
}

/* Dragging across the map decodes a sequence of different images; dragging
 * a slider moves its z and leaves the other alone. */
static void test_drag_and_slider(void **state)
{
    (void)state;
    char script[4096];
    snprintf(script, sizeof script, "wait-ready 30\nwait 2 frames\ndump-state %s\nquit\n",
             tu_path("v2.json"));
    assert_int_equal(gu_explore(script, model_opt(), NULL, NULL), 0);
    cJSON *v = gu_load_json(tu_path("v2.json"));
    int x1, y1, x0, y0;
    gu_latent_to_window(v, centroid[1][0], centroid[1][1], &x1, &y1);
    gu_latent_to_window(v, centroid[0][0], centroid[0][1], &x0, &y0);
    const cJSON *rows = gu_get(v, "ui.slider_rows");
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    const cJSON *r0 = cJSON_GetArrayItem(rows, 0);
    double ps = gu_num(v, "view.pixel_scale");
    int sx = (int)((cJSON_GetArrayItem(r0, 0)->valueint + cJSON_GetArrayItem(r0, 2)->valueint * 0.6) / ps);
    int sy = (int)((cJSON_GetArrayItem(r0, 1)->valueint + cJSON_GetArrayItem(r0, 3)->valueint / 2) / ps);
    cJSON_Delete(v);
    snprintf(script, sizeof script,
             "wait-ready 30\nclick %d %d\nwait 1 frames\ndump-state %s\ndrag %d %d %d %d 12\n"
             "wait 1 frames\ndump-state %s\ndrag %d %d 5000 %d 4\nwait 1 frames\ndump-state %s\nquit\n",
             x0, y0, tu_path("d0.json"), x0, y0, x1, y1, tu_path("d1.json"), sx, sy, sy,
             tu_path("d2.json"));
    assert_int_equal(gu_explore(script, model_opt(), NULL, NULL), 0);
    cJSON *a = gu_load_json(tu_path("d0.json")), *b = gu_load_json(tu_path("d1.json"));
    cJSON *c = gu_load_json(tu_path("d2.json"));
    int before = (int)gu_num(a, "decodes"), after = (int)gu_num(b, "decodes");
    assert_true(after - before >= 10); /* one decode per drag frame */
    const cJSON *recent = gu_get(b, "recent_decodes");
    int n = cJSON_GetArraySize(recent), distinct = 0;
    for (int i = n - (after - before); i < n; i++) {
        bool dup = false;
        for (int j = n - (after - before); j < i; j++)
            dup |= !strcmp(cJSON_GetArrayItem(recent, i)->valuestring,
                           cJSON_GetArrayItem(recent, j)->valuestring);
        distinct += !dup;
    }
    fprintf(stderr, "drag: %d decodes, %d distinct\n", after - before, distinct);
    assert_true(distinct >= 8);
    /* the slider drag ran past the right end: z1 = +4, z2 unchanged */
    const cJSON *zb = gu_get(b, "z"), *zc = gu_get(c, "z");
    assert_true(fabs(cJSON_GetArrayItem(zc, 0)->valuedouble - 4.0) < 1e-4);
    assert_true(fabs(cJSON_GetArrayItem(zc, 1)->valuedouble -
                     cJSON_GetArrayItem(zb, 1)->valuedouble) < 1e-6);
    assert_string_not_equal(gu_get(b, "decoded_sha1")->valuestring,
                            gu_get(c, "decoded_sha1")->valuestring);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c);
}

/* A broken shader is a clear error naming the file, exit 1, no crash. */
static void test_broken_shader(void **state)
{
    (void)state;
    char cmd[8192];
    const char *dir = tu_path("shaders");
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s' && printf 'this is not GLSL;\\n' >> '%s/points.frag'",
             shader_dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    char env[4200];
    snprintf(env, sizeof env, "ZSPACE_SHADERS=%s", dir);
    gu_stderr_clear();
    int rc = gu_explore("quit\n", model_opt(), env, NULL);
    char *err = gu_stderr_text();
    assert_int_equal(rc, 1);
    tu_assert_contains(err, "zspace: shader ");
    tu_assert_contains(err, "points.frag");
    tu_assert_contains(err, "compile failed");
    free(err);
    /* a missing shader file names it too */
    snprintf(cmd, sizeof cmd, "rm '%s/ui.frag'", dir);
    assert_int_equal(system(cmd), 0);
    gu_stderr_clear();
    rc = gu_explore("quit\n", model_opt(), env, NULL);
    err = gu_stderr_text();
    assert_int_equal(rc, 1);
    tu_assert_contains(err, "ui.frag");
    free(err);
}

/* A malformed script line fails before any window, naming the line. */
static void test_bad_script(void **state)
{
    (void)state;
    gu_stderr_clear();
    int rc = gu_explore("wait 2 frames\nclik 10 10\n", model_opt(), NULL, NULL);
    char *err = gu_stderr_text();
    assert_int_equal(rc, 1);
    tu_assert_contains(err, "script.txt:2:");
    tu_assert_contains(err, "unknown command");
    free(err);
    gu_stderr_clear();
    rc = gu_explore("drag 1 2 3\n", model_opt(), NULL, NULL);
    err = gu_stderr_text();
    assert_int_equal(rc, 1);
    tu_assert_contains(err, "script.txt:1:");
    free(err);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_explorer ZSPACE SHADER_DIR\n");
        return 2;
    }
    shader_dir = argv[2];
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_script),
        cmocka_unit_test(test_broken_shader),
        cmocka_unit_test(test_screenshot_and_help),
        cmocka_unit_test(test_click_decodes_classes),
        cmocka_unit_test(test_drag_and_slider),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
