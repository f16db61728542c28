/* test_draw_gui: Draw a digit (D) and the uncertainty overlays (O) end to
 * end under a private Xvfb, on tiny models trained in setup.
 *
 * Z = 2, 1280x800: a '1'-like vertical stroke dragged on the canvas is
 * prepared the MNIST way (20 pixels tall, centred), encoded (our own
 * encoding of the dumped 28x28 image with the same weights gives the dumped
 * mu), its mu becomes z, and the decoder's image is closer to the mean '1'
 * than to the mean '0'; mu lies nearer the '1' centroid than most others.
 * The drawing's q(z|x) is on the map as ellipses of radii exp(logvar / 2)
 * and twice that, centred on mu; the nearest test image gets its own. O
 * turns the prior rings on and off; Backspace and the Clear button empty
 * the drawing (z stays). Hovering a point draws its q(z|x).
 * Z = 2, 1024x768: the canvas is large enough to draw on; the Sampling
 * panel (S) takes the slot and gives it back with the drawing kept.
 * Z = 8: the drawing is placed on the projection, and its q(z|x) is shown
 * as 30 placed samples around it.
 *
 * usage: test_draw_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. */
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

static char model2[4096], model8[4096];
static Dataset ds;
static Vae vae;                 /* the Z = 2 model the app opens */
static float means[10][VAE_X];  /* pixel mean of each class's test images */

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    gu_train_tiny(&vae, &ds.train, 3000, 2, 256, 6, 3);
    snprintf(model2, sizeof model2, "%s", tu_path("tiny2.safetensors"));
    assert_int_equal(vae_save(model2, &vae, NULL, &e), ERR_OK);
    snprintf(model8, sizeof model8, "%s", gu_save_tiny("tiny8.safetensors", &ds.train, 8, 256, 4, 5));
    gu_class_means(&ds.test, means);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vae_free(&vae);
    dataset_free(&ds);
    return 0;
}

/* Window point at fraction (fx, fy) of a dumped rect (drawable pixels). */
static void rect_point(const cJSON *st, const char *rect, double fx, double fy, int *x, int *y)
{
    double ps = gu_num(st, "view.pixel_scale");
    *x = (int)lround((gu_int_at(st, rect, 0) + gu_int_at(st, rect, 2) * fx) / ps);
    *y = (int)lround((gu_int_at(st, rect, 1) + gu_int_at(st, rect, 3) * fy) / ps);
}

/* The dump's uncertainty source named src, or NULL. */
static const cJSON *source(const cJSON *st, const char *src)
{
    const cJSON *arr = gu_get(st, "uncertainty.sources"), *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (strcmp(gu_str(e, "source"), src) == 0)
            return e;
    }
    return NULL;
}

static double item(const cJSON *st, const char *path, int i)
{
    const cJSON *a = gu_get(st, path);
    assert_true(cJSON_IsArray(a) && i < cJSON_GetArraySize(a));
    return cJSON_GetArrayItem(a, i)->valuedouble;
}

/* One run learning where the panel is (scripts are fixed text). */
static cJSON *panel_layout(const char *opt, const char *name)
{
    char script[1024];
    snprintf(script, sizeof script, "wait-ready\nkey D\nwait 3 frames\ndump-state %s\nquit\n",
             tu_path(name));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *st = gu_load_json(tu_path(name));
    assert_true(gu_num(st, "draw.shown"));
    assert_true(gu_num(st, "draw.empty"));
    return st;
}

static void test_draw_one(void **state)
{
    (void)state;
    char opt[4200], script[4096];
    snprintf(opt, sizeof opt, "-m %s", model2);
    cJSON *l = panel_layout(opt, "l.json");
    int x0, y0, x1, y1, cx, cy, kx, ky, hx, hy;
    rect_point(l, "draw.canvas_rect", 0.52, 0.12, &x0, &y0); /* a '1': top to bottom */
    rect_point(l, "draw.canvas_rect", 0.48, 0.88, &x1, &y1);
    rect_point(l, "draw.clear_rect", 0.5, 0.5, &cx, &cy);
    rect_point(l, "draw.canvas_rect", 0.05, 0.05, &kx, &ky); /* rest inside the canvas */
    /* a test image's point to hover: the first '0' */
    size_t i0 = 0;
    while (ds.test.labels[i0] != 0)
        i0++;
    float mu0[2], lv0[2];
    vae_encode(&vae, ds.test.images + i0 * ds.test.x, 1, mu0, lv0);
    gu_latent_to_window(l, mu0[0], mu0[1], &hx, &hy);
    snprintf(script, sizeof script,
             "wait-ready\n"
             "key D\n"
             "wait 3 frames\n"
             "drag %d %d %d %d 24\n"
             "move %d %d\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "screenshot %s\n"
             "key O\n"
             "wait 2 frames\n"
             "dump-state %s\n"
             "key O\n"
             "wait 2 frames\n"
             "dump-state %s\n"
             "key Backspace\n"
             "wait 2 frames\n"
             "dump-state %s\n"
             "drag %d %d %d %d 8\n"
             "wait 2 frames\n"
             "dump-state %s\n"
             "click %d %d\n"
             "wait 2 frames\n"
             "dump-state %s\n"
             "move %d %d\n"
             "wait 3 frames\n"
             "dump-state %s\n"
             "quit\n",
             x0, y0, x1, y1, kx, ky, tu_path("s1.json"), tu_path("draw-1280.png"),
             tu_path("s2.json"), tu_path("s3.json"), tu_path("s4.json"), x0, y0, x1, y1,
             tu_path("s5.json"), cx, cy, tu_path("s6.json"), hx, hy, tu_path("s7.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);

    cJSON *s1 = gu_load_json(tu_path("s1.json"));
    assert_true(gu_num(s1, "draw.shown"));
    assert_false(gu_num(s1, "draw.empty"));
    assert_int_equal((int)gu_num(s1, "draw.strokes"), 1);
    float mu[2], lv[2];
    for (int d = 0; d < 2; d++) {
        mu[d] = (float)item(s1, "draw.mu", d);
        lv[d] = (float)item(s1, "draw.logvar", d);
        assert_true(isfinite(mu[d]) && isfinite(lv[d]));
        assert_float_equal(item(s1, "z", d), mu[d], 1e-6); /* z follows the drawing */
        assert_float_equal(item(s1, "draw.map_xy", d), mu[d], 1e-6);
    }
    /* the MNIST recipe: 20 pixels tall, thin, centred by mass */
    const cJSON *img = gu_get(s1, "draw.image");
    assert_int_equal(cJSON_GetArraySize(img), VAE_X);
    float x[VAE_X];
    int top = 28, bottom = -1, left = 28, right = -1;
    double m = 0, mx = 0;
    for (int p = 0; p < VAE_X; p++) {
        x[p] = (float)cJSON_GetArrayItem(img, p)->valuedouble / 255.0f;
        if (x[p] > 0) {
            int r = p / 28, c = p % 28;
            top = r < top ? r : top;
            bottom = r > bottom ? r : bottom;
            left = c < left ? c : left;
            right = c > right ? c : right;
        }
        m += x[p];
        mx += x[p] * (p % 28 + 0.5);
    }
    assert_int_equal(bottom - top + 1, 20);
    assert_true(right - left + 1 <= 6);
    assert_true(fabs(mx / m - 14.0) <= 0.6);
    /* our own encoding of that image with the same weights gives mu */
    float emu[2], elv[2];
    vae_encode(&vae, x, 1, emu, elv);
    for (int d = 0; d < 2; d++) {
        assert_float_equal(emu[d], mu[d], 0.02);
        assert_float_equal(elv[d], lv[d], 0.05);
    }
    /* it reads as a '1': the decoded image is nearer the mean 1 than the
     * mean 0, and mu is nearer the '1' centroid than most others */
    float dec[VAE_X];
    gu_decoded(s1, dec);
    printf("# draw mu (%.2f, %.2f): mse to mean 1 %.4f, to mean 0 %.4f\n", (double)mu[0],
           (double)mu[1], gu_mse(dec, means[1]), gu_mse(dec, means[0]));
    assert_true(gu_mse(dec, means[1]) < gu_mse(dec, means[0]));
    float cent[10][2];
    gu_centroids2(&vae, &ds.test, cent);
    double d1 = hypot(cent[1][0] - mu[0], cent[1][1] - mu[1]);
    int nearer = 0;
    for (int k = 0; k < 10; k++)
        nearer += k != 1 && hypot(cent[k][0] - mu[0], cent[k][1] - mu[1]) < d1;
    printf("# classes nearer than '1': %d\n", nearer);
    assert_true(nearer <= 2);
    /* q(z|x) of the drawing: ellipses of radii sigma and 2 sigma around mu */
    const cJSON *u = source(s1, "draw");
    assert_non_null(u);
    for (int d = 0; d < 2; d++) {
        double sig = exp(0.5 * lv[d]);
        assert_float_equal(item(u, "center", d), mu[d], 1e-6);
        assert_float_equal(item(u, "radii_1sigma", d), sig, 1e-5 * sig);
        assert_float_equal(item(u, "radii_2sigma", d), 2 * sig, 2e-5 * sig);
    }
    assert_string_equal(gu_str(s1, "uncertainty.mode"), "ellipses");
    const cJSON *un = source(s1, "nearest");
    assert_non_null(un);
    assert_int_equal((int)gu_num(un, "index"), (int)gu_num(s1, "map.nearest"));
    assert_null(source(s1, "hover")); /* the mouse rests on the canvas */
    assert_false(gu_num(s1, "uncertainty.rings"));
    /* the encoder on the UI thread: one image, well under a millisecond */
    printf("# encode %.3f ms, prepare %.3f ms\n", gu_num(s1, "draw.encode_ms"),
           gu_num(s1, "draw.prep_ms"));
    assert_true(gu_num(s1, "draw.encode_ms") < 5.0);

    /* O: prior rings on, then off */
    cJSON *s2 = gu_load_json(tu_path("s2.json")), *s3 = gu_load_json(tu_path("s3.json"));
    assert_true(gu_num(s2, "uncertainty.rings"));
    assert_true(gu_num(s2, "uncertainty.rings_drawn"));
    for (int k = 0; k < 3; k++)
        assert_float_equal(item(s2, "uncertainty.ring_radii", k), k + 1, 0);
    assert_false(gu_num(s3, "uncertainty.rings"));
    assert_false(gu_num(s3, "uncertainty.rings_drawn"));

    /* Backspace empties the drawing; z stays where it was */
    cJSON *s4 = gu_load_json(tu_path("s4.json"));
    assert_true(gu_num(s4, "draw.empty"));
    assert_true(cJSON_IsNull(gu_get(s4, "draw.image_sha1")));
    assert_null(source(s4, "draw"));
    for (int d = 0; d < 2; d++)
        assert_float_equal(item(s4, "z", d), mu[d], 1e-6);
    /* drawn again: the same image as the first time; then the Clear button */
    cJSON *s5 = gu_load_json(tu_path("s5.json")), *s6 = gu_load_json(tu_path("s6.json"));
    assert_false(gu_num(s5, "draw.empty"));
    assert_true(gu_num(s6, "draw.empty"));
    assert_int_equal((int)gu_num(s6, "draw.strokes"), 0);

    /* hovering the '0': its q(z|x) ellipses, from the map's own encoding */
    cJSON *s7 = gu_load_json(tu_path("s7.json"));
    int hover = (int)gu_num(s7, "map.hover");
    assert_true(hover >= 0);
    const cJSON *uh = source(s7, hover == (int)gu_num(s7, "map.nearest") ? "nearest" : "hover");
    assert_non_null(uh);
    assert_int_equal((int)gu_num(uh, "index"), hover);
    float hmu[2], hlv[2];
    vae_encode(&vae, ds.test.images + (size_t)hover * ds.test.x, 1, hmu, hlv);
    for (int d = 0; d < 2; d++) {
        assert_float_equal(item(uh, "center", d), hmu[d], 1e-3);
        assert_float_equal(item(uh, "radii_1sigma", d), exp(0.5 * hlv[d]), 1e-3);
    }
    cJSON_Delete(l);
    cJSON_Delete(s1);
    cJSON_Delete(s2);
    cJSON_Delete(s3);
    cJSON_Delete(s4);
    cJSON_Delete(s5);
    cJSON_Delete(s6);
    cJSON_Delete(s7);
}

/* 1024x768: room to draw; S takes the slot and gives it back. */
static void test_small_window_and_slot(void **state)
{
    (void)state;
    char opt[4200], script[4096];
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", model2);
    cJSON *l = panel_layout(opt, "m.json");
    assert_true(gu_int_at(l, "draw.canvas_rect", 2) >= 200);
    assert_int_equal(gu_int_at(l, "draw.canvas_rect", 2), gu_int_at(l, "draw.canvas_rect", 3));
    int x0, y0, x1, y1;
    rect_point(l, "draw.canvas_rect", 0.3, 0.3, &x0, &y0);
    rect_point(l, "draw.canvas_rect", 0.7, 0.7, &x1, &y1);
    snprintf(script, sizeof script,
             "wait-ready\nkey D\nwait 3 frames\ndrag %d %d %d %d 10\nwait 2 frames\n"
             "key O\nwait 2 frames\nscreenshot %s\ndump-state %s\n"
             "key S\nwait 2 frames\ndump-state %s\nkey S\nwait 2 frames\ndump-state %s\nquit\n",
             x0, y0, x1, y1, tu_path("draw-1024.png"), tu_path("m1.json"), tu_path("m2.json"),
             tu_path("m3.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *m1 = gu_load_json(tu_path("m1.json")), *m2 = gu_load_json(tu_path("m2.json")),
          *m3 = gu_load_json(tu_path("m3.json"));
    assert_false(gu_num(m1, "draw.empty"));
    assert_false(gu_num(m2, "draw.shown"));
    assert_true(gu_num(m2, "sampling.visible"));
    assert_null(source(m2, "draw")); /* hidden with its panel */
    assert_true(gu_num(m3, "draw.shown"));
    assert_string_equal(gu_str(m3, "draw.image_sha1"), gu_str(m1, "draw.image_sha1"));
    assert_non_null(source(m3, "draw"));
    cJSON_Delete(l);
    cJSON_Delete(m1);
    cJSON_Delete(m2);
    cJSON_Delete(m3);
}

/* Z = 8: the drawing's mu is placed on the projection and its q(z|x) shows
 * as 30 placed samples around it; the prior rings are not drawn there. */
static void test_projection_samples(void **state)
{
    (void)state;
    char opt[4200], script[4096];
    snprintf(opt, sizeof opt, "-m %s", model8);
    const char *pre = "wait-ready\nwait 1s\n";
    snprintf(script, sizeof script, "%skey D\nwait 3 frames\ndump-state %s\nquit\n", pre,
             tu_path("p0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *l = gu_load_json(tu_path("p0.json"));
    int x0, y0, x1, y1, kx, ky;
    rect_point(l, "draw.canvas_rect", 0.5, 0.15, &x0, &y0);
    rect_point(l, "draw.canvas_rect", 0.5, 0.85, &x1, &y1);
    rect_point(l, "draw.canvas_rect", 0.05, 0.05, &kx, &ky);
    snprintf(script, sizeof script,
             "%skey D\nwait 3 frames\ndrag %d %d %d %d 12\nmove %d %d\nwait 3 frames\nkey O\n"
             "wait 2 frames\ndump-state %s\nscreenshot %s\nquit\n",
             pre, x0, y0, x1, y1, kx, ky, tu_path("p1.json"), tu_path("draw-z8.png"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *p1 = gu_load_json(tu_path("p1.json"));
    assert_false(gu_num(p1, "draw.empty"));
    assert_int_equal(cJSON_GetArraySize(gu_get(p1, "draw.mu")), 8);
    for (int d = 0; d < 8; d++)
        assert_float_equal(item(p1, "z", d), item(p1, "draw.mu", d), 1e-6);
    assert_string_equal(gu_str(p1, "uncertainty.mode"), "samples");
    assert_true(gu_num(p1, "uncertainty.rings"));
    assert_false(gu_num(p1, "uncertainty.rings_drawn"));
    const cJSON *u = source(p1, "draw");
    assert_non_null(u);
    const cJSON *sm = gu_get(u, "samples");
    assert_int_equal(cJSON_GetArraySize(sm), 30);
    /* the samples scatter around the drawing's place, not all on one spot */
    double ux = item(p1, "draw.map_xy", 0), uy = item(p1, "draw.map_xy", 1);
    assert_float_equal(item(u, "center", 0), ux, 1e-6);
    double sx = 0, sy = 0, spread = 0;
    for (int i = 0; i < 30; i++) {
        const cJSON *p = cJSON_GetArrayItem(sm, i);
        double px = cJSON_GetArrayItem(p, 0)->valuedouble, py = cJSON_GetArrayItem(p, 1)->valuedouble;
        assert_true(isfinite(px) && isfinite(py));
        sx += px / 30;
        sy += py / 30;
        spread += hypot(px - ux, py - uy) / 30;
    }
    /* the layout's extent, to judge distances by */
    const cJSON *lay = gu_get(p1, "projection.layout");
    double lo = 1e30, hi = -1e30;
    assert_true(cJSON_GetArraySize(lay) > 0);
    for (int i = 0; i < cJSON_GetArraySize(lay); i += 2) { /* x, y, x, y, ... */
        double v = cJSON_GetArrayItem(lay, i)->valuedouble;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    printf("# samples: mean (%.2f, %.2f) vs drawn (%.2f, %.2f), spread %.3f of extent %.2f\n",
           sx, sy, ux, uy, spread, hi - lo);
    assert_true(spread > 0);
    assert_true(hypot(sx - ux, sy - uy) < 0.25 * (hi - lo));
    cJSON_Delete(l);
    cJSON_Delete(p1);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw_one),
        cmocka_unit_test(test_small_window_and_slot),
        cmocka_unit_test(test_projection_samples),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
