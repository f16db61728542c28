/* test_sample_gui: the explorer's Sampling panel (S) end to end under a
 * private Xvfb. A script shows the panel and dumps the state, resamples (R)
 * and dumps again: every prior and posterior cell changes. A second run
 * moves the temperature slider (the prior cells change, the posterior ones,
 * from the same seed, do not) and clicks a prior cell: the current z is that
 * cell's z and the decoder shows exactly that cell's image. The posterior
 * cells are draws of q(z|x) for the training images the dump names, checked
 * against the test's own encoding with the same weights.
 *
 * usage: test_sample_gui ZSPACE_BINARY
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

enum { CELLS = 64 };

static char model_path[4096];
static Dataset ds;
static Vae vae;

static const char *cell_sha(const cJSON *grid, int c)
{
    const cJSON *a = gu_get(grid, "cells_sha1");
    assert_int_equal(cJSON_GetArraySize(a), CELLS);
    return cJSON_GetArrayItem(a, c)->valuestring;
}

static float cell_z(const cJSON *grid, int c, int d)
{
    const cJSON *a = gu_get(grid, "z");
    assert_int_equal(cJSON_GetArraySize(a), CELLS);
    return (float)cJSON_GetArrayItem(cJSON_GetArrayItem(a, c), d)->valuedouble;
}

/* How many cells of grid k differ between two dumps. */
static int changed_cells(const cJSON *s1, const cJSON *s2, const char *k)
{
    const cJSON *g1 = gu_get(gu_get(s1, "sampling"), k), *g2 = gu_get(gu_get(s2, "sampling"), k);
    int n = 0;
    for (int c = 0; c < CELLS; c++)
        n += strcmp(cell_sha(g1, c), cell_sha(g2, c)) != 0;
    return n;
}

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    /* a tiny Z = 2 model: one hidden layer, a few epochs on 3,000 images */
    gu_train_tiny(&vae, &ds.train, 3000, 2, 256, 6, 3);
    snprintf(model_path, sizeof model_path, "%s", tu_path("tiny.safetensors"));
    assert_int_equal(vae_save(model_path, &vae, NULL, &e), ERR_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vae_free(&vae);
    dataset_free(&ds);
    return 0;
}

/* S shows both grids; R draws new ones; the posterior cells are q(z|x)
 * draws for the named training images. */
static void test_show_and_resample(void **state)
{
    (void)state;
    char script[2048], opt[4200];
    snprintf(script, sizeof script,
             "wait-ready\n"
             "key S\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "screenshot %s\n"
             "key R\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "quit\n",
             tu_path("s1.json"), tu_path("sample-1280.png"), tu_path("s2.json"));
    snprintf(opt, sizeof opt, "-m %s", model_path);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("s1.json")), *s2 = gu_load_json(tu_path("s2.json"));
    const cJSON *p1 = gu_get(s1, "sampling"), *p2 = gu_get(s2, "sampling");
    assert_true(gu_num(p1, "visible"));
    assert_string_equal(gu_get(p1, "mode")->valuestring, "both");
    assert_float_equal(gu_num(p1, "temperature"), 1.0, 1e-6);
    assert_true(gu_num(gu_get(p1, "prior"), "valid"));
    assert_true(gu_num(gu_get(p1, "posterior"), "valid"));
    assert_true(gu_num(p2, "seed") != gu_num(p1, "seed"));
    /* a new seed: (almost) every cell is a new image */
    assert_true(changed_cells(s1, s2, "prior") >= 60);
    assert_true(changed_cells(s1, s2, "posterior") >= 60);
    /* the grids are side by side and large enough to read */
    int pw = gu_int_at(gu_get(p1, "prior"), "rect", 2), qx = gu_int_at(gu_get(p1, "posterior"), "rect", 0);
    assert_true(pw >= 8 * 16);
    assert_true(qx >= gu_int_at(gu_get(p1, "prior"), "rect", 0) + pw);

    /* posterior cells: z ~ mu + sigma * eps for the named training images */
    assert_string_equal(gu_get(p1, "posterior_split")->valuestring, "train");
    const cJSON *post = gu_get(p1, "posterior"), *idx = gu_get(post, "images");
    assert_int_equal(cJSON_GetArraySize(idx), CELLS);
    double ss = 0;
    for (int c = 0; c < CELLS; c++) {
        int i = cJSON_GetArrayItem(idx, c)->valueint;
        assert_true(i >= 0 && (size_t)i < ds.train.n);
        float mu[2], lv[2];
        vae_encode(&vae, ds.train.images + (size_t)i * VAE_X, 1, mu, lv);
        for (int d = 0; d < 2; d++) {
            double u = (cell_z(post, c, d) - mu[d]) / exp(0.5 * lv[d]);
            assert_true(fabs(u) < 5);
            ss += u * u;
        }
    }
    /* eps ~ N(0, 1): the mean square of 128 draws is near 1 */
    assert_true(ss / (2 * CELLS) > 0.5 && ss / (2 * CELLS) < 1.6);
    cJSON_Delete(s1);
    cJSON_Delete(s2);
}

/* The temperature slider scales the prior grid only; a click on a cell
 * makes its z current and the decoder shows its image. 1024x768. */
static void test_temperature_and_click(void **state)
{
    (void)state;
    char script[4096], opt[4200];
    /* Scripts are fixed text: a first run learns where the panel is. */
    snprintf(script, sizeof script, "wait-ready\nkey S\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("t0.json"));
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", model_path);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *t0 = gu_load_json(tu_path("t0.json"));
    double ps = gu_num(gu_get(t0, "view"), "pixel_scale");
    const cJSON *p0 = gu_get(t0, "sampling");
    /* on the slider's track, right of T = 1 */
    double sx = (gu_int_at(p0, "temperature_rect", 0) + gu_int_at(p0, "temperature_rect", 2) * 0.8) / ps;
    double sy = (gu_int_at(p0, "temperature_rect", 1) + gu_int_at(p0, "temperature_rect", 3) / 2) / ps;
    /* prior cell (row 2, column 5) */
    const cJSON *g = gu_get(p0, "prior");
    int cell = gu_int_at(g, "rect", 2) / 8, c = 2 * 8 + 5;
    double cx = (gu_int_at(g, "rect", 0) + 5 * cell + cell / 2) / ps;
    double cy = (gu_int_at(g, "rect", 1) + 2 * cell + cell / 2) / ps;
    double mx = (gu_int_at(p0, "mode_rect", 0) + gu_int_at(p0, "mode_rect", 2) / 2) / ps;
    double my = (gu_int_at(p0, "mode_rect", 1) + gu_int_at(p0, "mode_rect", 3) / 2) / ps;
    snprintf(script, sizeof script,
             "wait-ready\n"
             "key S\n"
             "wait 3 frames\n"
             "click %.0f %.0f\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "click %.0f %.0f\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "screenshot %s\n"
             "click %.0f %.0f\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "key I\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "key I\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "quit\n",
             sx, sy, tu_path("t1.json"), cx, cy, tu_path("t2.json"), tu_path("sample-1024.png"),
             mx, my, tu_path("t3.json"), tu_path("t4.json"), tu_path("t5.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *t1 = gu_load_json(tu_path("t1.json")), *t2 = gu_load_json(tu_path("t2.json"));
    const cJSON *p1 = gu_get(t1, "sampling");
    assert_true(gu_num(p1, "temperature") > 1.1);
    assert_float_equal(gu_num(p1, "seed"), gu_num(p0, "seed"), 0);
    assert_true(changed_cells(t0, t1, "prior") >= 60);
    assert_int_equal(changed_cells(t0, t1, "posterior"), 0);
    /* the click: z is the cell's z, the decoder shows the cell's image */
    const cJSON *p2 = gu_get(t2, "sampling"), *g2 = gu_get(p2, "prior");
    assert_int_equal((int)gu_num(p2, "clicked"), c);
    const cJSON *z = gu_get(t2, "z");
    assert_int_equal(cJSON_GetArraySize(z), 2);
    for (int d = 0; d < 2; d++)
        assert_float_equal(cJSON_GetArrayItem(z, d)->valuedouble, cell_z(g2, c, d), 1e-6);
    assert_string_equal(gu_get(t2, "decoded_sha1")->valuestring, cell_sha(g2, c));

    /* the mode button: the prior grid alone, larger */
    cJSON *t3 = gu_load_json(tu_path("t3.json"));
    const cJSON *p3 = gu_get(t3, "sampling");
    assert_string_equal(gu_get(p3, "mode")->valuestring, "prior");
    assert_int_equal(gu_int_at(gu_get(p3, "posterior"), "rect", 2), 0);
    assert_true(gu_int_at(gu_get(p3, "prior"), "rect", 2) > gu_int_at(g2, "rect", 2));
    /* the Walk panel (I) takes the slot and gives it back */
    cJSON *t4 = gu_load_json(tu_path("t4.json")), *t5 = gu_load_json(tu_path("t5.json"));
    assert_false(gu_num(gu_get(t4, "sampling"), "visible"));
    assert_true(gu_num(gu_get(t4, "walk"), "show"));
    assert_true(gu_num(gu_get(t5, "sampling"), "visible"));
    cJSON_Delete(t3);
    cJSON_Delete(t4);
    cJSON_Delete(t5);
    cJSON_Delete(t0);
    cJSON_Delete(t1);
    cJSON_Delete(t2);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_show_and_resample),
        cmocka_unit_test(test_temperature_and_click),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
