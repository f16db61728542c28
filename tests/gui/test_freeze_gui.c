/* test_freeze_gui: ways the window once froze, end to end under a private
 * Xvfb. Each run must reach its dump-state and quit; the suite's
 * ZSPACE_WATCHDOG turns a frame that spins into an abort with a backtrace
 * (exit -1 here) rather than a test that hangs until its timeout.
 *   - a session file whose view (centre 3000, scale 1e6) the parser accepts;
 *   - the mouse alone: zoom all the way out, right-drag twice, zoom all the
 *     way in;
 *   - a model whose latent means sit far from the origin (mu.bias 1e6), whose
 *     posterior variance overflows float (an infinite KL per dimension), and
 *     whose loss history holds a finite 1.5e308 (T shows the curves and KL
 *     bars).
 *
 * usage: test_freeze_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
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
static char plain_path[4096], hostile_path[4096];

/* Set every element of the named tensor to v. */
static void fill_tensor(Vae *v, const char *name, float x)
{
    int i = vae_tensor_find(v, name);
    assert_true(i >= 0);
    VaeTensorInfo ti;
    vae_tensor_info(v, i, &ti);
    float *buf = malloc(ti.count * sizeof *buf);
    assert_non_null(buf);
    for (size_t k = 0; k < ti.count; k++)
        buf[k] = x;
    vae_tensor_set(v, VAE_PARAMS, i, buf);
    free(buf);
}

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    Vae v;
    gu_train_tiny(&v, &ds.train, 2000, 2, 128, 2, 11);
    snprintf(plain_path, sizeof plain_path, "%s", tu_path("plain.safetensors"));
    assert_int_equal(vae_save(plain_path, &v, NULL, &e), ERR_OK);
    /* every value finite, and each hostile in its own way */
    fill_tensor(&v, "mu.bias", 1e6f);
    fill_tensor(&v, "logvar.bias", 100.0f); /* exp(100) overflows float: KL = inf */
    VaeFileInfo info;
    vae_file_info_init(&info);
    snprintf(info.dataset, sizeof info.dataset, "mnist");
    info.epochs = 3;
    VaeEpochLoss h[3] = {
        {180, 150, 30, 170, 140, 30},
        {1.5e308, 1.5e308, 25, 1.5e308, 140, 25},
        {160, 130, 30, 160, 130, 30},
    };
    for (int i = 0; i < 3; i++)
        assert_int_equal(vae_file_info_push(&info, &h[i], &e), ERR_OK);
    snprintf(hostile_path, sizeof hostile_path, "%s", tu_path("hostile.safetensors"));
    assert_int_equal(vae_save(hostile_path, &v, &info, &e), ERR_OK);
    vae_file_info_free(&info);
    vae_free(&v);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dataset_free(&ds);
    return 0;
}

/* One pixel of the view spans at least a few float steps of its centre. */
static void assert_drawable_view(const cJSON *st)
{
    float c[2];
    gu_floats(gu_get(st, "view.center"), c, 2);
    double scale = gu_num(st, "view.scale");
    float m = fmaxf(fmaxf(fabsf(c[0]), fabsf(c[1])), 1.0f);
    assert_true(isfinite(c[0]) && isfinite(c[1]) && isfinite(scale) && scale > 0);
    assert_true(1.0 / scale >= 3.9 * (double)(nextafterf(m, INFINITY) - m));
}

static void test_session_view(void **state)
{
    (void)state;
    const char *ses = tu_write("far.json",
                               "{\"version\": 1, \"view\": {\"center\": [3000, 0], \"scale\": 1e6}}",
                               strlen("{\"version\": 1, \"view\": {\"center\": [3000, 0], "
                                      "\"scale\": 1e6}}"));
    char opt[8400], script[4400];
    snprintf(opt, sizeof opt, "-m %s --session %s", plain_path, ses);
    snprintf(script, sizeof script,
             "wait-ready\nwait 3 frames\nmove 300 300\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path("ses.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *st = gu_load_json(tu_path("ses.json"));
    float c[2];
    gu_floats(gu_get(st, "view.center"), c, 2);
    assert_float_equal(c[0], 3000, 1e-3); /* the saved centre is kept ... */
    assert_true(gu_num(st, "view.scale") > 100); /* ... zoomed in as far as it can be drawn */
    assert_drawable_view(st);
    cJSON_Delete(st);
}

static void test_mouse_path(void **state)
{
    (void)state;
    char opt[4200], script[4400];
    snprintf(opt, sizeof opt, "-m %s", plain_path);
    snprintf(script, sizeof script,
             "wait-ready\nscroll 300 300 -60\nwait 2 frames\n"
             "rdrag 100 300 650 300 4\nrdrag 100 300 650 300 4\nwait 2 frames\n"
             "scroll 300 300 120\nwait 3 frames\nmove 310 310\nwait 2 frames\n"
             "dump-state %s\nquit\n",
             tu_path("mouse.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *st = gu_load_json(tu_path("mouse.json"));
    float c[2];
    gu_floats(gu_get(st, "view.center"), c, 2);
    assert_true(fabsf(c[0]) > 1e4f); /* the drags went far out */
    assert_drawable_view(st);
    cJSON_Delete(st);
}

static void test_hostile_model(void **state)
{
    (void)state;
    char opt[4200], script[4400];
    snprintf(opt, sizeof opt, "-m %s", hostile_path);
    /* T: the loss curves (log scale) and the KL bars; the map behind them
     * sits near (1e6, 1e6). The linear axis is covered headless (test_axis). */
    snprintf(script, sizeof script,
             "wait-ready\nkey T\nwait 3 frames\nscreenshot %s\ndump-state %s\nquit\n",
             tu_path("hostile.png"), tu_path("hostile.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *st = gu_load_json(tu_path("hostile.json"));
    assert_true(gu_num(st, "training.shown"));
    assert_true(gu_num(st, "map.ready"));
    float c[2];
    gu_floats(gu_get(st, "view.center"), c, 2);
    assert_true(c[0] > 1e5f && c[1] > 1e5f);
    assert_drawable_view(st);
    cJSON_Delete(st);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_view),
        cmocka_unit_test(test_mouse_path),
        cmocka_unit_test(test_hostile_model),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
