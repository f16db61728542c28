/* test_panels_gui: the explorer's Neighbours strip, hideable panels and
 * session file, end to end under a private Xvfb.
 *   - A click on a class's centroid (of the test images' latent means): the
 *     8 neighbours are the 8 nearest means to the dumped z by the test's own
 *     encoding, and mostly that class; a click on a thumbnail makes z that
 *     image's mean (it becomes its own nearest neighbour at distance 0).
 *   - Tab: the map takes (nearly) the whole width with the same centre and
 *     zoom; L and B hide the legend and the status bar (the map grows down).
 *   - Ctrl+Shift+S saves the session; a relaunch with --session restores z,
 *     view, text size and panels; a corrupt or out-of-range session file is
 *     one error line and exit 1 before any window.
 *
 * usage: test_panels_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. A
 * tiny Z = 2 model is trained through the engine API in setup (~2 s). */
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

static char model_path[4096];
static Dataset ds;
static Vae vae;
static float *mu;            /* (test N, 2) latent means by this test's encoding */
static float centroid[10][2];

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    gu_train_tiny(&vae, &ds.train, 3000, 2, 256, 6, 5);
    snprintf(model_path, sizeof model_path, "%s", tu_path("tiny.safetensors"));
    assert_int_equal(vae_save(model_path, &vae, NULL, &e), ERR_OK);
    size_t n = ds.test.n;
    mu = malloc(n * 2 * sizeof *mu);
    float *lv = malloc(n * 2 * sizeof *lv);
    assert_non_null(mu);
    assert_non_null(lv);
    for (size_t i = 0; i < n; i += 500) {
        size_t b = n - i < 500 ? n - i : 500;
        vae_encode(&vae, ds.test.images + i * VAE_X, (int)b, mu + i * 2, lv + i * 2);
    }
    free(lv);
    gu_centroids2(&vae, &ds.test, centroid);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(mu);
    vae_free(&vae);
    dataset_free(&ds);
    return 0;
}

/* Is point i among the k nearest test means to z (allowing float ties)? */
static bool among_nearest(const float z[2], int i, int k)
{
    double di = pow(mu[2 * i] - z[0], 2) + pow(mu[2 * i + 1] - z[1], 2);
    int closer = 0;
    for (size_t j = 0; j < ds.test.n; j++) {
        double dj = pow(mu[2 * j] - z[0], 2) + pow(mu[2 * j + 1] - z[1], 2);
        closer += dj < di * (1 - 1e-4) - 1e-9;
    }
    return closer < k;
}

static void check_neighbours(const cJSON *st, int cls)
{
    const cJSON *nb = gu_get(st, "neighbours");
    assert_true(gu_num(nb, "visible"));
    assert_int_equal((int)gu_num(nb, "k"), 8);
    float z[2];
    gu_floats(gu_get(st, "z"), z, 2);
    float fz[2];
    gu_floats(gu_get(nb, "for_z"), fz, 2);
    assert_true(fz[0] == z[0] && fz[1] == z[1]); /* searched for this z */
    const cJSON *idx = gu_get(nb, "indices"), *lab = gu_get(nb, "labels");
    assert_int_equal(cJSON_GetArraySize(idx), 8);
    int same = 0;
    double last = -1;
    for (int s = 0; s < 8; s++) {
        int i = cJSON_GetArrayItem(idx, s)->valueint;
        int l = cJSON_GetArrayItem(lab, s)->valueint;
        assert_true(i >= 0 && (size_t)i < ds.test.n);
        assert_int_equal(l, ds.test.labels[i]);
        assert_true(among_nearest(z, i, 8));
        double d = cJSON_GetArrayItem(gu_get(nb, "distances"), s)->valuedouble;
        assert_true(d >= last);
        last = d;
        same += l == cls;
    }
    printf("class %d centroid: %d of 8 neighbours are %d\n", cls, same, cls);
    assert_true(same >= 6);
}

static void test_neighbours(void **state)
{
    (void)state;
    char script[4096], opt[4200];
    snprintf(opt, sizeof opt, "-m %s", model_path);
    snprintf(script, sizeof script, "wait-ready\nwait 2 frames\ndump-state %s\nquit\n",
             tu_path("n0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *n0 = gu_load_json(tu_path("n0.json"));
    int x1, y1, x0, y0;
    gu_latent_to_window(n0, centroid[1][0], centroid[1][1], &x1, &y1);
    gu_latent_to_window(n0, centroid[0][0], centroid[0][1], &x0, &y0);
    const cJSON *nb0 = gu_get(n0, "neighbours");
    /* the strip is laid out even before a click: z = 0 has neighbours too */
    assert_true(gu_num(nb0, "visible"));
    assert_true(gu_num(nb0, "thumb") >= 26);
    /* the third thumbnail, in window points */
    double ps = gu_num(gu_get(n0, "view"), "pixel_scale");
    snprintf(script, sizeof script,
             "wait-ready\n"
             "click %d %d\nwait 3 frames\ndump-state %s\n"
             "click %d %d\nwait 3 frames\ndump-state %s\nscreenshot %s\n"
             "quit\n",
             x1, y1, tu_path("n1.json"), x0, y0, tu_path("n2.json"), tu_path("neigh.png"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *n1 = gu_load_json(tu_path("n1.json")), *n2 = gu_load_json(tu_path("n2.json"));
    check_neighbours(n1, 1);
    check_neighbours(n2, 0);
    /* z changed twice: a search each time, not one per frame */
    double searches = gu_num(gu_get(n2, "neighbours"), "searches");
    assert_true(searches >= 2 && searches < 8);

    /* click the third thumbnail of the '0' neighbours: z becomes its mean */
    const cJSON *cell = cJSON_GetArrayItem(gu_get(gu_get(n2, "neighbours"), "cells"), 2);
    int cx = (int)((cJSON_GetArrayItem(cell, 0)->valuedouble +
                    cJSON_GetArrayItem(cell, 2)->valuedouble / 2) / ps);
    int cy = (int)((cJSON_GetArrayItem(cell, 1)->valuedouble +
                    cJSON_GetArrayItem(cell, 3)->valuedouble / 2) / ps);
    int picked = cJSON_GetArrayItem(gu_get(gu_get(n2, "neighbours"), "indices"), 2)->valueint;
    snprintf(script, sizeof script,
             "wait-ready\nclick %d %d\nwait 3 frames\nclick %d %d\nwait 3 frames\n"
             "dump-state %s\nquit\n",
             x0, y0, cx, cy, tu_path("n3.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *n3 = gu_load_json(tu_path("n3.json"));
    const cJSON *nb3 = gu_get(n3, "neighbours");
    assert_int_equal((int)gu_num(nb3, "clicks"), 1);
    float z[2];
    gu_floats(gu_get(n3, "z"), z, 2);
    assert_float_equal(z[0], mu[2 * picked], 1e-4);
    assert_float_equal(z[1], mu[2 * picked + 1], 1e-4);
    assert_true(cJSON_GetArrayItem(gu_get(nb3, "distances"), 0)->valuedouble < 1e-6);
    cJSON_Delete(n0);
    cJSON_Delete(n1);
    cJSON_Delete(n2);
    cJSON_Delete(n3);
}

static void rect4(const cJSON *st, const char *path, int r[4])
{
    for (int i = 0; i < 4; i++)
        r[i] = gu_int_at(st, path, i);
}

static void test_hide_panels(void **state)
{
    (void)state;
    char script[4096], opt[4200];
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", model_path);
    snprintf(script, sizeof script,
             "wait-ready\nwait 2 frames\ndump-state %s\n"
             "key Tab\nwait 3 frames\ndump-state %s\nscreenshot %s\n"
             "key L\nkey B\nwait 3 frames\ndump-state %s\n"
             "key Tab\nkey L\nkey B\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("h0.json"), tu_path("h1.json"), tu_path("hidden.png"), tu_path("h2.json"),
             tu_path("h3.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *h[4];
    int r[4][4];
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "h%d.json", i);
        h[i] = gu_load_json(tu_path(name));
        rect4(h[i], "view.map_rect", r[i]);
    }
    int W = gu_int_at(h[0], "view.drawable", 0), H = gu_int_at(h[0], "view.drawable", 1);
    assert_true(gu_num(h[0], "panels.side") && gu_num(h[0], "panels.legend") &&
                gu_num(h[0], "panels.status"));
    assert_true(r[0][2] < W * 3 / 4);
    /* Tab: full width, the same centre and zoom, no side panels drawn */
    assert_false(gu_num(h[1], "panels.side"));
    assert_true(r[1][2] >= W * 95 / 100);
    assert_int_equal(r[1][3], r[0][3]);
    float c0[2], c1[2];
    gu_floats(gu_get(h[0], "view.center"), c0, 2);
    gu_floats(gu_get(h[1], "view.center"), c1, 2);
    assert_true(c0[0] == c1[0] && c0[1] == c1[1]);
    assert_true(gu_num(h[0], "view.scale") == gu_num(h[1], "view.scale"));
    assert_false(gu_num(h[1], "neighbours.visible"));
    /* L, B: legend and status bar gone, the map reaches down */
    assert_false(gu_num(h[2], "panels.legend"));
    assert_false(gu_num(h[2], "panels.status"));
    assert_true(r[2][3] > r[1][3]);
    assert_true(r[2][1] + r[2][3] >= H * 97 / 100);
    /* and back */
    for (int i = 0; i < 4; i++)
        assert_int_equal(r[3][i], r[0][i]);
    assert_true(gu_num(h[3], "neighbours.visible"));
    for (int i = 0; i < 4; i++)
        cJSON_Delete(h[i]);
}

static void test_session(void **state)
{
    (void)state;
    char script[4096], opt[8400];
    const char *ses = tu_path("lesson/week1.json");
    snprintf(opt, sizeof opt, "-m %s --session %s", model_path, ses);
    /* a new session: set things up, save, dump */
    snprintf(script, sizeof script,
             "wait-ready\nclick 300 300\nscroll 400 350 2\nkey Ctrl+=\nkey L\nkey Tab\n"
             "wait 3 frames\nkey Shift+Ctrl+S\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("s1.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("s1.json"));
    assert_int_equal((int)gu_num(s1, "panels.session_saves"), 1);
    assert_string_equal(gu_str(s1, "panels.session_path"), ses);
    /* relaunch from the file: the same z, view, text size and panels */
    snprintf(script, sizeof script, "wait-ready\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("s2.json"));
    snprintf(opt, sizeof opt, "--session %s", ses); /* the model comes from the session */
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s2 = gu_load_json(tu_path("s2.json"));
    assert_string_equal(gu_str(s2, "model.path"), gu_str(s1, "model.path"));
    float a[2], b[2];
    gu_floats(gu_get(s1, "z"), a, 2);
    gu_floats(gu_get(s2, "z"), b, 2);
    assert_float_equal(a[0], b[0], 1e-5);
    assert_float_equal(a[1], b[1], 1e-5);
    gu_floats(gu_get(s1, "view.center"), a, 2);
    gu_floats(gu_get(s2, "view.center"), b, 2);
    assert_float_equal(a[0], b[0], 1e-4);
    assert_float_equal(a[1], b[1], 1e-4);
    assert_float_equal(gu_num(s1, "view.scale"), gu_num(s2, "view.scale"), 1e-3);
    assert_true(gu_num(s1, "ui.text_scale") > 1.1);
    assert_float_equal(gu_num(s1, "ui.text_scale"), gu_num(s2, "ui.text_scale"), 1e-5);
    assert_false(gu_num(s2, "panels.side"));
    assert_false(gu_num(s2, "panels.legend"));
    assert_true(gu_num(s2, "panels.status"));
    assert_false(gu_num(s2, "panels.restore_pending"));
    for (int i = 0; i < 4; i++)
        assert_int_equal(gu_int_at(s1, "view.map_rect", i), gu_int_at(s2, "view.map_rect", i));
    cJSON_Delete(s1);
    cJSON_Delete(s2);
}

static void expect_refused(const char *name, const char *text, const char *why)
{
    const char *path = tu_write(name, text, strlen(text));
    char opt[4200];
    snprintf(opt, sizeof opt, "--session %s", path);
    FILE *f = fopen(gu_stderr_path(), "w"); /* only this run's stderr */
    if (f)
        fclose(f);
    assert_int_equal(gu_explore("dump-state never.json\nquit\n", opt, NULL, NULL), 1);
    char *err = gu_stderr_text();
    tu_assert_contains(err, "zspace: session ");
    tu_assert_contains(err, why);
    assert_non_null(strchr(err, '\n'));
    assert_true(strchr(err, '\n')[1] == '\0'); /* one line */
    free(err);
}

static void test_bad_session(void **state)
{
    (void)state;
    expect_refused("cut.json", "{\"version\": 1, \"z\": [0.1,", "not valid JSON");
    expect_refused("absurd.json", "{\"version\": 1, \"text_scale\": 40}",
                   "\"text_scale\" = 40 is outside");
    expect_refused("empty.json", "", "empty");
    /* none of them opened a window */
    FILE *f = fopen(tu_path("never.json"), "r");
    assert_null(f);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_neighbours),
        cmocka_unit_test(test_hide_panels),
        cmocka_unit_test(test_session),
        cmocka_unit_test(test_bad_session),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
