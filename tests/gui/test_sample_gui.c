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
#include <sys/wait.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "data/dataset.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

enum { CELLS = 64 };

static const char *zspace;
static char model_path[4096];
static Dataset ds;
static Vae vae;

static int run(const char *script_text, const char *extra)
{
    const char *script = tu_write("script.txt", script_text, strlen(script_text));
    char cmd[16384];
    const char *asan = getenv("ASAN_OPTIONS");
    /* leak checks off for the window's process (Mesa's JIT frames), as in
     * test_explorer */
    snprintf(cmd, sizeof cmd,
             "cd %s && ASAN_OPTIONS='%s%sdetect_leaks=0' XDG_CACHE_HOME=%s DISPLAY=%s %s explore "
             "--script %s %s 2>%s",
             tu_tmpdir(), asan ? asan : "", asan && *asan ? ":" : "", tu_tmpdir(), tu_xvfb(),
             zspace, script, extra ? extra : "", tu_path("stderr.txt"));
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *s = calloc(1, 1 << 21);
    size_t n = fread(s, 1, (1 << 21) - 1, f);
    s[n] = '\0';
    fclose(f);
    cJSON *j = cJSON_Parse(s);
    free(s);
    assert_non_null(j);
    return j;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!x)
        fail_msg("dump-state has no \"%s\"", k);
    return x;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *x = get(o, k);
    assert_true(cJSON_IsNumber(x) || cJSON_IsBool(x));
    return cJSON_IsBool(x) ? cJSON_IsTrue(x) : x->valuedouble;
}

static int rect(const cJSON *o, const char *k, int i)
{
    return cJSON_GetArrayItem(get(o, k), i)->valueint;
}

static const char *cell_sha(const cJSON *grid, int c)
{
    const cJSON *a = get(grid, "cells_sha1");
    assert_int_equal(cJSON_GetArraySize(a), CELLS);
    return cJSON_GetArrayItem(a, c)->valuestring;
}

static float cell_z(const cJSON *grid, int c, int d)
{
    const cJSON *a = get(grid, "z");
    assert_int_equal(cJSON_GetArraySize(a), CELLS);
    return (float)cJSON_GetArrayItem(cJSON_GetArrayItem(a, c), d)->valuedouble;
}

/* How many cells of grid k differ between two dumps. */
static int changed_cells(const cJSON *s1, const cJSON *s2, const char *k)
{
    const cJSON *g1 = get(get(s1, "sampling"), k), *g2 = get(get(s2, "sampling"), k);
    int n = 0;
    for (int c = 0; c < CELLS; c++)
        n += strcmp(cell_sha(g1, c), cell_sha(g2, c)) != 0;
    return n;
}

static int setup(void **state)
{
    (void)state;
    if (!tu_xvfb())
        tu_skip("Xvfb is not installed or does not start");
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    if (run("quit\n", "-m /nonexistent.safetensors") != 0) {
        fprintf(stderr, "test_sample_gui: skipping, the window does not open\n");
        exit(77);
    }
    /* a tiny Z = 2 model: one hidden layer, a few epochs on 3,000 images */
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 2;
    cfg.hidden[0] = 256;
    assert_int_equal(vae_init(&vae, &cfg, 128, 3, &e), ERR_OK);
    DataSplit train = ds.train;
    train.n = 3000;
    Rng rng;
    rng_seed(&rng, 11);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    for (int ep = 0; ep < 6; ep++)
        assert_int_equal(vae_train_epoch(&vae, &train, &rng, &o, NULL, &e), ERR_OK);
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
    assert_int_equal(run(script, opt), 0);
    cJSON *s1 = load_json(tu_path("s1.json")), *s2 = load_json(tu_path("s2.json"));
    const cJSON *p1 = get(s1, "sampling"), *p2 = get(s2, "sampling");
    assert_true(num(p1, "visible"));
    assert_string_equal(get(p1, "mode")->valuestring, "both");
    assert_float_equal(num(p1, "temperature"), 1.0, 1e-6);
    assert_true(num(get(p1, "prior"), "valid"));
    assert_true(num(get(p1, "posterior"), "valid"));
    assert_true(num(p2, "seed") != num(p1, "seed"));
    /* a new seed: (almost) every cell is a new image */
    assert_true(changed_cells(s1, s2, "prior") >= 60);
    assert_true(changed_cells(s1, s2, "posterior") >= 60);
    /* the grids are side by side and large enough to read */
    int pw = rect(get(p1, "prior"), "rect", 2), qx = rect(get(p1, "posterior"), "rect", 0);
    assert_true(pw >= 8 * 16);
    assert_true(qx >= rect(get(p1, "prior"), "rect", 0) + pw);

    /* posterior cells: z ~ mu + sigma * eps for the named training images */
    assert_string_equal(get(p1, "posterior_split")->valuestring, "train");
    const cJSON *post = get(p1, "posterior"), *idx = get(post, "images");
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
    assert_int_equal(run(script, opt), 0);
    cJSON *t0 = load_json(tu_path("t0.json"));
    double ps = num(get(t0, "view"), "pixel_scale");
    const cJSON *p0 = get(t0, "sampling");
    /* on the slider's track, right of T = 1 */
    double sx = (rect(p0, "temperature_rect", 0) + rect(p0, "temperature_rect", 2) * 0.8) / ps;
    double sy = (rect(p0, "temperature_rect", 1) + rect(p0, "temperature_rect", 3) / 2) / ps;
    /* prior cell (row 2, column 5) */
    const cJSON *g = get(p0, "prior");
    int cell = rect(g, "rect", 2) / 8, c = 2 * 8 + 5;
    double cx = (rect(g, "rect", 0) + 5 * cell + cell / 2) / ps;
    double cy = (rect(g, "rect", 1) + 2 * cell + cell / 2) / ps;
    double mx = (rect(p0, "mode_rect", 0) + rect(p0, "mode_rect", 2) / 2) / ps;
    double my = (rect(p0, "mode_rect", 1) + rect(p0, "mode_rect", 3) / 2) / ps;
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
    assert_int_equal(run(script, opt), 0);
    cJSON *t1 = load_json(tu_path("t1.json")), *t2 = load_json(tu_path("t2.json"));
    const cJSON *p1 = get(t1, "sampling");
    assert_true(num(p1, "temperature") > 1.1);
    assert_float_equal(num(p1, "seed"), num(p0, "seed"), 0);
    assert_true(changed_cells(t0, t1, "prior") >= 60);
    assert_int_equal(changed_cells(t0, t1, "posterior"), 0);
    /* the click: z is the cell's z, the decoder shows the cell's image */
    const cJSON *p2 = get(t2, "sampling"), *g2 = get(p2, "prior");
    assert_int_equal((int)num(p2, "clicked"), c);
    const cJSON *z = get(t2, "z");
    assert_int_equal(cJSON_GetArraySize(z), 2);
    for (int d = 0; d < 2; d++)
        assert_float_equal(cJSON_GetArrayItem(z, d)->valuedouble, cell_z(g2, c, d), 1e-6);
    assert_string_equal(get(t2, "decoded_sha1")->valuestring, cell_sha(g2, c));

    /* the mode button: the prior grid alone, larger */
    cJSON *t3 = load_json(tu_path("t3.json"));
    const cJSON *p3 = get(t3, "sampling");
    assert_string_equal(get(p3, "mode")->valuestring, "prior");
    assert_int_equal(rect(get(p3, "posterior"), "rect", 2), 0);
    assert_true(rect(get(p3, "prior"), "rect", 2) > rect(g2, "rect", 2));
    /* the Walk panel (I) takes the slot and gives it back */
    cJSON *t4 = load_json(tu_path("t4.json")), *t5 = load_json(tu_path("t5.json"));
    assert_false(num(get(t4, "sampling"), "visible"));
    assert_true(num(get(t4, "walk"), "show"));
    assert_true(num(get(t5, "sampling"), "visible"));
    cJSON_Delete(t3);
    cJSON_Delete(t4);
    cJSON_Delete(t5);
    cJSON_Delete(t0);
    cJSON_Delete(t1);
    cJSON_Delete(t2);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_sample_gui ZSPACE_BINARY\n");
        return 2;
    }
    zspace = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_show_and_resample),
        cmocka_unit_test(test_temperature_and_click),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
