/* test_perf_gui: the explorer's map with 70,000 points under pan and zoom,
 * and its performance report, end to end under a private Xvfb. Behaviour
 * only, never speed (speed is `zspace bench explore`, BENCHMARKS.md):
 *   - a right-drag pans: view.center moves by the drag over the scale;
 *   - once the motion stops, the frame shows a full-quality layer: the map's
 *     layer was redrawn after the motion, at exactly the final view, and is
 *     not a transformed stand-in (map.layer.exact);
 *   - the wheel zooms and the same holds after it;
 *   - dump-state's "timing" is present and sane: frames counted, p50 <= p99
 *     <= max for frame work, intervals and click latency, start-up before
 *     the map;
 *   - the CPU splat (software GL's path) draws the same map as GL's point
 *     sprites: two runs forced to each path, screenshots compared.
 *
 * usage: test_perf_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. A
 * tiny Z = 2 model is trained in setup (~2 s); --all-points maps 70,000. */
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
#include "io/png.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"

static char model_path[4096];

static int setup(void **state)
{
    (void)state;
    snprintf(model_path, sizeof model_path, "%s", gu_save_tiny_mnist("tiny.safetensors", 2, 256, 4, 5));
    return 0;
}

/* The layer holds exactly the dumped view and is what the frame showed. */
static void assert_exact_layer(const cJSON *st)
{
    const cJSON *layer = gu_get(st, "map.layer");
    assert_true(gu_num(layer, "exact"));
    const cJSON *dv = gu_get(layer, "drawn_view");
    assert_int_equal(cJSON_GetArraySize(dv), 3);
    assert_float_equal(cJSON_GetArrayItem(dv, 0)->valuedouble,
                       cJSON_GetArrayItem(gu_get(st, "view.center"), 0)->valuedouble, 1e-6);
    assert_float_equal(cJSON_GetArrayItem(dv, 1)->valuedouble,
                       cJSON_GetArrayItem(gu_get(st, "view.center"), 1)->valuedouble, 1e-6);
    assert_float_equal(cJSON_GetArrayItem(dv, 2)->valuedouble, gu_num(st, "view.scale"), 1e-3);
}

static void assert_ordered(const cJSON *timing, const char *prefix)
{
    char k50[64], k99[64], kmax[64];
    snprintf(k50, sizeof k50, "%s_ms_p50", prefix);
    snprintf(k99, sizeof k99, "%s_ms_p99", prefix);
    snprintf(kmax, sizeof kmax, "%s_ms_max", prefix);
    double p50 = gu_num(timing, k50), p99 = gu_num(timing, k99), mx = gu_num(timing, kmax);
    assert_true(p50 > 0);
    assert_true(p50 <= p99);
    assert_true(p99 <= mx);
}

static void test_pan_zoom_70k(void **state)
{
    (void)state;
    const int cx = 440, cy = 400, dx = 120, dy = 60; /* inside the 1280x800 window's map */
    char script[4096], opt[4200];
    snprintf(script, sizeof script,
             "wait-ready 120\nwait 5 frames\ndump-state %s\n"
             /* rest (the layer's settle time), then its full redraw */
             "rdrag %d %d %d %d 20\nwait 500ms\nwait-until map.layer.exact == 1 60\n"
             "wait 3 frames\ndump-state %s\n"
             "scroll %d %d 2\nwait 500ms\nwait-until map.layer.exact == 1 60\n"
             "wait 3 frames\ndump-state %s\n"
             "click %d %d\nwait 5 frames\ndump-state %s\nquit\n",
             tu_path("p0.json"), cx, cy, cx + dx, cy + dy, tu_path("p1.json"), cx, cy,
             tu_path("p2.json"), cx, cy, tu_path("p3.json"));
    snprintf(opt, sizeof opt, "-m %s --all-points --size 1280x800", model_path);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *p0 = gu_load_json(tu_path("p0.json")), *p1 = gu_load_json(tu_path("p1.json"));
    cJSON *p2 = gu_load_json(tu_path("p2.json")), *p3 = gu_load_json(tu_path("p3.json"));
    assert_int_equal((int)gu_num(p0, "map.points"), 70000);
    assert_exact_layer(p0);

    /* the pan: the content follows the mouse, so the centre moves against it
     * (screen y down, z2 up) by the drag in latent units */
    double s = gu_num(p0, "view.scale") / gu_num(p0, "view.pixel_scale");
    double c0x = cJSON_GetArrayItem(gu_get(p0, "view.center"), 0)->valuedouble;
    double c0y = cJSON_GetArrayItem(gu_get(p0, "view.center"), 1)->valuedouble;
    double c1x = cJSON_GetArrayItem(gu_get(p1, "view.center"), 0)->valuedouble;
    double c1y = cJSON_GetArrayItem(gu_get(p1, "view.center"), 1)->valuedouble;
    assert_float_equal(c1x, c0x - dx / s, 0.05 * dx / s);
    assert_float_equal(c1y, c0y + dy / s, 0.05 * dy / s);
    assert_float_equal(gu_num(p1, "view.scale"), gu_num(p0, "view.scale"), 1e-3);
    /* after it rests: redrawn at full quality, at the final view */
    assert_exact_layer(p1);
    assert_true(gu_num(p1, "map.layer.redraws") > gu_num(p0, "map.layer.redraws"));

    /* the zoom: two notches in, then rest */
    assert_float_equal(gu_num(p2, "view.scale"), gu_num(p1, "view.scale") * 1.44, 1e-2);
    assert_exact_layer(p2);
    assert_true(gu_num(p2, "map.layer.redraws") > gu_num(p1, "map.layer.redraws"));

    /* the timing report */
    const cJSON *t = gu_get(p3, "timing");
    assert_true(gu_num(t, "frames") > gu_num(gu_get(p2, "timing"), "frames"));
    assert_true(gu_num(t, "work_samples") > 0 && gu_num(t, "work_samples") <= 1024);
    assert_ordered(t, "work");
    assert_ordered(t, "interval");
    assert_true(gu_num(t, "click_count") >= 1); /* the click on the map, with its decode */
    assert_ordered(t, "click");
    assert_true(gu_num(t, "startup_ms") > 0);
    assert_true(gu_num(t, "map_ms") >= gu_num(t, "startup_ms"));
    assert_int_equal(cJSON_GetArraySize(gu_get(t, "work_ms_recent")),
                     (int)gu_num(t, "work_samples"));
    cJSON_Delete(p0);
    cJSON_Delete(p1);
    cJSON_Delete(p2);
    cJSON_Delete(p3);
}

/* Screenshot the 70,000-point map with the points drawn by `render`. */
static uint8_t *shot(const char *render, const char *name, int *w, int *h, int rect[4])
{
    char script[2048], opt[4200], env[64], png[64], json[64];
    snprintf(png, sizeof png, "%s.png", name);
    snprintf(json, sizeof json, "%s.json", name);
    snprintf(script, sizeof script, "wait-ready 120\nmove 5 5\nwait 5 frames\nscreenshot %s\n"
             "dump-state %s\nquit\n", tu_path(png), tu_path(json));
    snprintf(opt, sizeof opt, "-m %s --all-points --size 1280x800", model_path);
    snprintf(env, sizeof env, "ZSPACE_POINTS_RENDER=%s", render);
    assert_int_equal(gu_explore(script, opt, env, NULL), 0);
    cJSON *st = gu_load_json(tu_path(json));
    assert_string_equal(gu_str(st, "map.layer.render"), render);
    for (int i = 0; i < 4; i++)
        rect[i] = gu_int_at(st, "view.map_rect", i);
    cJSON_Delete(st);
    uint8_t *rgba = NULL;
    Err e = {0};
    assert_int_equal(io_png_read_rgba(tu_path(png), &rgba, w, h, &e), ERR_OK);
    return rgba;
}

static void test_cpu_splat_matches_gl(void **state)
{
    (void)state;
    int w, h, w2, h2, r[4], r2[4];
    uint8_t *gl = shot("gl", "gl", &w, &h, r), *cpu = shot("cpu", "cpu", &w2, &h2, r2);
    assert_int_equal(w, w2);
    assert_int_equal(h, h2);
    assert_memory_equal(r, r2, sizeof r);
    /* inside the map rect (its 1 px frame aside): differences are rounding */
    double sum = 0;
    long n = 0, off = 0, ink = 0;
    for (int y = r[1] + 1; y < r[1] + r[3] - 1; y++)
        for (int x = r[0] + 1; x < r[0] + r[2] - 1; x++)
            for (int c = 0; c < 3; c++) {
                size_t i = ((size_t)y * (size_t)w + (size_t)x) * 4 + (size_t)c;
                int d = abs((int)gl[i] - (int)cpu[i]);
                sum += d;
                off += d > 16;
                ink += gl[i] > 120; /* the dark theme's panel is darker: points */
                n++;
            }
    assert_true(ink > n / 50); /* the comparison saw a map full of points */
    assert_true(sum / (double)n < 1.0);
    assert_true(off < n / 200);
    free(gl);
    free(cpu);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pan_zoom_70k),
        cmocka_unit_test(test_cpu_splat_matches_gl),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
