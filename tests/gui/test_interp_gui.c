/* test_interp_gui: the explorer's latent walk end to end under a private
 * Xvfb. A script opens the Walk panel, plays the default walk 2-3-8-7-9-1,
 * dumps the state twice and exports the GIF; the test checks that t
 * advanced, that z is the path's point at t (the path's stops being the
 * class centroids of the test images' latent means), that the decoder shows
 * the decode of that z and the classifier reads it, and that the GIF reads
 * back with one frame per step.
 *
 * At Z > 2 the path is drawn on the projection's map: its stops are where
 * the kNN placement puts the class centroids on the published layout.
 *
 * usage: test_interp_gui ZSPACE_BINARY
 * Skips (77) without Xvfb, without a GL 3.3 context, or without MNIST. A
 * tiny Z = 2 model and a tiny classifier are trained through the APIs in
 * setup (~3 s) and the classifier is put where the explorer looks for it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "classify/clf.h"
#include "data/dataset.h"
#include "embed/place.h"
#include "gui_util.h"
#include "io/gif.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae/vae_io.h"
#include "viz/interp.h"

static char model_path[4096];
static Dataset ds;
static Vae vae;                /* the model the explorer opens */
static float centroid[10][2];  /* latent mean of each class (test set) */

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    gu_train_tiny(&vae, &ds.train, 3000, 2, 256, 8, 3);
    snprintf(model_path, sizeof model_path, "%s", tu_path("tiny.safetensors"));
    assert_int_equal(vae_save(model_path, &vae, NULL, &e), ERR_OK);
    gu_centroids2(&vae, &ds.test, centroid);
    /* a tiny classifier where the explorer looks for the default one */
    Clf c;
    assert_int_equal(clf_init(&c, VAE_X, 32, 128, 5, &e), ERR_OK);
    ClfTrainOpts co;
    clf_train_opts_default(&co);
    DataSplit train = ds.train;
    train.n = 3000;
    assert_int_equal(clf_train(&c, &train, 1, 5, &co, NULL, &e), ERR_OK);
    mkdir(tu_path("zspace"), 0755);
    ClfInfo info = {.epochs = 1, .seed = 5, .test_accuracy = NAN};
    snprintf(info.dataset, sizeof info.dataset, "mnist");
    char want[4096];
    snprintf(want, sizeof want, "%s/zspace/classifier-mnist.safetensors", tu_tmpdir());
    assert_int_equal(clf_save(want, &c, &info, &e), ERR_OK);
    clf_free(&c);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vae_free(&vae);
    dataset_free(&ds);
    return 0;
}

static void test_walk_plays_and_exports(void **state)
{
    (void)state;
    char script[2048], opt[4200];
    snprintf(script, sizeof script,
             "wait-ready\n"
             "key I\n"
             /* the classifier loads on a worker, then reads the path */
             "wait-until walk.classifier == ready 120\n"
             "wait-until walk.timeline == 120 60\n"
             "key P\n"
             "wait-until walk.t > 0 60\n"
             "dump-state %s\n"
             /* elapsed time: t moves with the clock (each frame counts at
              * most 0.1 s), so at least 10 frames as well on a slow machine */
             "wait 700ms\n"
             "wait 10 frames\n"
             "dump-state %s\n"
             "key G\n"
             "wait-until walk.gif_frames > 0 120\n" /* written by a worker; the window goes on */
             "dump-state %s\n"
             "screenshot %s\n"
             "quit\n",
             tu_path("s1.json"), tu_path("s2.json"), tu_path("s3.json"), tu_path("walk.png"));
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", model_path);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *s1 = gu_load_json(tu_path("s1.json")), *s2 = gu_load_json(tu_path("s2.json"));
    cJSON *s3 = gu_load_json(tu_path("s3.json"));
    const cJSON *w1 = gu_get(s1, "walk"), *w2 = gu_get(s2, "walk"), *w3 = gu_get(s3, "walk");
    assert_true(gu_num(w1, "show"));
    assert_true(gu_num(w1, "playing"));
    assert_true(gu_num(w2, "playing"));

    /* the path: the default classes, their centroids as stops */
    static const int classes[] = {2, 3, 8, 7, 9, 1};
    const cJSON *cl = gu_get(w2, "classes"), *stops = gu_get(w2, "stops");
    assert_int_equal(cJSON_GetArraySize(cl), 6);
    assert_int_equal(cJSON_GetArraySize(stops), 6);
    float st[6][2];
    for (int i = 0; i < 6; i++) {
        assert_int_equal(cJSON_GetArrayItem(cl, i)->valueint, classes[i]);
        gu_floats(cJSON_GetArrayItem(stops, i), st[i], 2);
        assert_float_equal(st[i][0], centroid[classes[i]][0], 1e-3);
        assert_float_equal(st[i][1], centroid[classes[i]][1], 1e-3);
    }

    /* t advanced at about the set speed (0.5 legs/s over 5 legs: 0.1 per
     * second), and z is the path's point at t. A frame counts at most 0.1 s,
     * so on a slow machine the 0.7 s between the dumps may count as little
     * as 0.1 s (t + 0.01): 0.07 expected, 0.008 the bound; at most 0.7 s
     * plus 10 capped frames (t + 0.17). */
    double t1 = gu_num(w1, "t"), t2 = gu_num(w2, "t");
    assert_true(t1 > 0);
    assert_true(t2 > t1 + 0.008);
    assert_true(t2 - t1 < 0.3);
    VizPath p;
    Err e = {0};
    assert_int_equal(viz_path_init(&p, &st[0][0], 6, 2, VIZ_LERP, &e), ERR_OK);
    float z1[2], z2[2], want[2];
    gu_floats(gu_get(s1, "z"), z1, 2);
    gu_floats(gu_get(s2, "z"), z2, 2);
    viz_path_eval(&p, t2, want);
    assert_float_equal(z2[0], want[0], 1e-4);
    assert_float_equal(z2[1], want[1], 1e-4);
    viz_path_eval(&p, t1, want);
    assert_float_equal(z1[0], want[0], 1e-4);
    viz_path_free(&p);
    assert_true(fabsf(z1[0] - z2[0]) + fabsf(z1[1] - z2[1]) > 1e-3);

    /* the decoder shows the decode of z, and it changed along the path */
    assert_string_not_equal(gu_get(s1, "decoded_sha1")->valuestring,
                            gu_get(s2, "decoded_sha1")->valuestring);
    float x[VAE_X];
    vae_decode(&vae, z2, 1, x);
    const cJSON *dec = gu_get(s2, "decoded");
    for (int i = 0; i < VAE_X; i++)
        assert_true(fabs(cJSON_GetArrayItem(dec, i)->valuedouble - x[i] * 255.0) <= 1.01);

    /* the classifier reads the shown digit; the timeline covers the path */
    assert_string_equal(gu_get(w2, "classifier")->valuestring, "ready");
    double cls = gu_num(w2, "class"), prob = gu_num(w2, "prob");
    assert_true(cls >= 0 && cls <= 9);
    assert_true(prob > 0.1 && prob <= 1.0);
    assert_int_equal(cJSON_GetArraySize(gu_get(w2, "timeline")), 120);

    /* G: the GIF is where the dump says, one frame per step; the UI
     * thread only decoded the frames, the worker wrote them */
    assert_false(gu_num(w3, "gif_writing"));
    assert_true(gu_num(w3, "gif_ui_ms") < gu_num(w3, "gif_seconds") * 1e3);
    const char *gif = gu_get(w3, "gif")->valuestring;
    assert_int_equal(strncmp(gif, tu_tmpdir(), strlen(tu_tmpdir())), 0);
    int frames = (int)gu_num(w3, "gif_frames");
    assert_int_equal(frames, 5 * 16 + 1);
    IoGif g;
    assert_int_equal(io_gif_read(gif, &g, &e), ERR_OK);
    assert_int_equal(g.n_frames, frames);
    assert_int_equal(g.w, 28 * 8);
    assert_int_equal(g.h, 28 * 8);
    assert_int_equal(g.loop, 0); /* loops forever */
    size_t fb = (size_t)g.w * (size_t)g.h * 4;
    assert_true(memcmp(g.rgba, g.rgba + fb * (size_t)(frames / 2), fb) != 0);
    /* the first frame is the 2's centroid decoded (the red channel of the
     * grey GIF, top-left pixel of each 8x8 block) */
    vae_decode(&vae, st[0], 1, x);
    for (int i = 0; i < VAE_X; i++) {
        int r = i / 28, c = i % 28;
        double v = g.rgba[((size_t)(r * 8) * (size_t)g.w + (size_t)(c * 8)) * 4];
        assert_true(fabs(v - x[i] * 255.0) <= 1.5);
    }
    io_gif_free(&g);
    cJSON_Delete(s1);
    cJSON_Delete(s2);
    cJSON_Delete(s3);
}

#define WAIT_CLASSIFIER "wait-until walk.classifier == ready 120\n"

/* A / B: two points clicked on the map become a one-leg walk. */
static void test_walk_between_points(void **state)
{
    (void)state;
    /* Scripts are fixed text, so each run learns where the next run's
     * buttons are from its dump: first the "A -> B" button, then (once
     * switched) the "A = current z" and "B = current z" buttons. */
    char script[2048], opt[4200];
    /* The classifier's timeline, once it is ready, moves the panel's
     * buttons down a row: every run waits for it, so the buttons read in
     * one run are where the next run clicks. */
    snprintf(script, sizeof script,
             "wait-ready\nkey I\n" WAIT_CLASSIFIER "wait 3 frames\ndump-state %s\nquit\n",
             tu_path("p0.json"));
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", model_path);
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *p0 = gu_load_json(tu_path("p0.json"));
    const cJSON *b = gu_get(gu_get(p0, "walk"), "buttons");
    const cJSON *pts = gu_get(b, "points");
    double ps = gu_num(gu_get(p0, "view"), "pixel_scale");
    int px = (int)((cJSON_GetArrayItem(pts, 0)->valueint + cJSON_GetArrayItem(pts, 2)->valueint / 2) / ps);
    int py = (int)((cJSON_GetArrayItem(pts, 1)->valueint + cJSON_GetArrayItem(pts, 3)->valueint / 2) / ps);
    const cJSON *mr = gu_get(gu_get(p0, "view"), "map_rect");
    int mx = (int)((cJSON_GetArrayItem(mr, 0)->valueint + cJSON_GetArrayItem(mr, 2)->valueint / 3) / ps);
    int my = (int)((cJSON_GetArrayItem(mr, 1)->valueint + cJSON_GetArrayItem(mr, 3)->valueint / 2) / ps);
    int mx2 = (int)((cJSON_GetArrayItem(mr, 0)->valueint + cJSON_GetArrayItem(mr, 2)->valueint * 2 / 3) / ps);
    cJSON_Delete(p0);
    snprintf(script, sizeof script,
             "wait-ready\nkey I\n" WAIT_CLASSIFIER
             "wait 2 frames\nclick %d %d\nwait 3 frames\ndump-state %s\nquit\n",
             px, py, tu_path("p1.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *p1 = gu_load_json(tu_path("p1.json"));
    const cJSON *w = gu_get(p1, "walk");
    assert_string_equal(gu_get(w, "source")->valuestring, "points");
    const cJSON *ra = gu_get(gu_get(w, "buttons"), "set_a"), *rb = gu_get(gu_get(w, "buttons"), "set_b");
    int ax = (int)((cJSON_GetArrayItem(ra, 0)->valueint + cJSON_GetArrayItem(ra, 2)->valueint / 2) / ps);
    int ay = (int)((cJSON_GetArrayItem(ra, 1)->valueint + cJSON_GetArrayItem(ra, 3)->valueint / 2) / ps);
    int bx = (int)((cJSON_GetArrayItem(rb, 0)->valueint + cJSON_GetArrayItem(rb, 2)->valueint / 2) / ps);
    int by = (int)((cJSON_GetArrayItem(rb, 1)->valueint + cJSON_GetArrayItem(rb, 3)->valueint / 2) / ps);
    cJSON_Delete(p1);
    snprintf(script, sizeof script,
             "wait-ready\nkey I\n" WAIT_CLASSIFIER "wait 2 frames\nclick %d %d\nwait 2 frames\n"
             "click %d %d\nwait 2 frames\ndump-state %s\nclick %d %d\nwait 2 frames\n"
             "click %d %d\nwait 2 frames\ndump-state %s\nclick %d %d\nwait 2 frames\n"
             "key P\nwait-until walk.t > 0 60\ndump-state %s\nquit\n",
             px, py, mx, my, tu_path("a.json"), ax, ay, mx2, my, tu_path("b.json"), bx, by,
             tu_path("c.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *ja = gu_load_json(tu_path("a.json")), *jb = gu_load_json(tu_path("b.json"));
    cJSON *jc = gu_load_json(tu_path("c.json"));
    float za[2], zb[2], zc[2];
    gu_floats(gu_get(ja, "z"), za, 2);
    gu_floats(gu_get(jb, "z"), zb, 2);
    gu_floats(gu_get(jc, "z"), zc, 2);
    const cJSON *wc = gu_get(jc, "walk");
    assert_true(gu_num(wc, "playing"));
    const cJSON *stops = gu_get(wc, "stops");
    assert_int_equal(cJSON_GetArraySize(stops), 2);
    float sa[2], sb[2];
    gu_floats(cJSON_GetArrayItem(stops, 0), sa, 2);
    gu_floats(cJSON_GetArrayItem(stops, 1), sb, 2);
    assert_float_equal(sa[0], za[0], 1e-5);
    assert_float_equal(sa[1], za[1], 1e-5);
    assert_float_equal(sb[0], zb[0], 1e-5);
    assert_float_equal(sb[1], zb[1], 1e-5);
    /* one leg, linear: z is A + t (B - A) */
    double t = gu_num(wc, "t");
    assert_true(t > 0);
    assert_float_equal(zc[0], sa[0] + (float)t * (sb[0] - sa[0]), 1e-4);
    assert_float_equal(zc[1], sa[1] + (float)t * (sb[1] - sa[1]), 1e-4);
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    cJSON_Delete(jc);
}

static const double *button_centre(const cJSON *rect, double ps)
{
    static double c[2];
    c[0] = (cJSON_GetArrayItem(rect, 0)->valueint + cJSON_GetArrayItem(rect, 2)->valueint / 2) / ps;
    c[1] = (cJSON_GetArrayItem(rect, 1)->valueint + cJSON_GetArrayItem(rect, 3)->valueint / 2) / ps;
    return c;
}

/* Z = 8: the walk's stops on the PCA map are the kNN placements of the
 * class centroids on that layout, computed here from the dumped layout. */
static void test_walk_on_projection(void **state)
{
    (void)state;
    enum { Z = 8 };
    Err e = {0};
    Vae v;
    gu_train_tiny(&v, &ds.train, 3000, Z, 128, 4, 4);
    char path[4096], opt[4200], script[2048];
    snprintf(path, sizeof path, "%s", tu_path("z8.safetensors"));
    assert_int_equal(vae_save(path, &v, NULL, &e), ERR_OK);
    snprintf(opt, sizeof opt, "-m %s --size 1024x768", path);
    /* run 1: where the projection card's PCA button is */
    snprintf(script, sizeof script, "wait-ready\nwait 5 frames\ndump-state %s\nquit\n",
             tu_path("q0.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *q0 = gu_load_json(tu_path("q0.json"));
    double ps = gu_num(gu_get(q0, "view"), "pixel_scale");
    const double *pca = button_centre(gu_get(gu_get(gu_get(q0, "projection"), "buttons"), "pca"), ps);
    int px = (int)pca[0], py = (int)pca[1];
    cJSON_Delete(q0);
    /* run 2: PCA (a layout that stays), then the walk */
    snprintf(script, sizeof script,
             "wait-ready\nclick %d %d\nwait-until projection.method == pca 60\n"
             "wait-until projection.state == done 60\nkey I\nkey P\n"
             "wait-until walk.map_points > 0 60\nwait-until walk.playing == 1 60\n"
             "wait 3 frames\ndump-state %s\nquit\n",
             px, py, tu_path("q1.json"));
    assert_int_equal(gu_explore(script, opt, NULL, NULL), 0);
    cJSON *q1 = gu_load_json(tu_path("q1.json"));
    const cJSON *w = gu_get(q1, "walk"), *pr = gu_get(q1, "projection");
    assert_string_equal(gu_get(pr, "method")->valuestring, "pca");
    assert_true(gu_num(w, "playing"));
    assert_int_equal((int)gu_num(w, "map_points"), 5 * 16 + 1);
    assert_true(gu_num(w, "map_layout_seq") == gu_num(pr, "seq"));
    /* the stops: class centroids in Z = 8 ... */
    const cJSON *stops = gu_get(w, "stops"), *ms = gu_get(w, "map_stops");
    assert_int_equal(cJSON_GetArraySize(stops), 6);
    assert_int_equal(cJSON_GetArraySize(ms), 6);
    float zst[6 * Z], want[6 * 2];
    for (int i = 0; i < 6; i++)
        gu_floats(cJSON_GetArrayItem(stops, i), zst + i * Z, Z);
    /* ... placed on the dumped layout by the same kNN placement */
    size_t n = ds.test.n;
    float *mu = malloc(n * Z * sizeof *mu), *lay = malloc(n * 2 * sizeof *lay);
    vae_encode(&v, ds.test.images, n, mu, NULL);
    const cJSON *l = gu_get(pr, "layout");
    assert_int_equal(cJSON_GetArraySize(l), (int)(2 * n));
    int i = 0;
    for (const cJSON *it = l->child; it; it = it->next)
        lay[i++] = (float)it->valuedouble;
    assert_int_equal(place_points(mu, lay, n, Z, zst, 6, 10, want, 1, &e), ERR_OK);
    float lo = lay[0], hi = lay[0];
    for (size_t k = 0; k < 2 * n; k++)
        lo = lay[k] < lo ? lay[k] : lo, hi = lay[k] > hi ? lay[k] : hi;
    for (int s = 0; s < 6; s++) {
        float got[2];
        gu_floats(cJSON_GetArrayItem(ms, s), got, 2);
        assert_float_equal(got[0], want[2 * s], 1e-3 * (hi - lo));
        assert_float_equal(got[1], want[2 * s + 1], 1e-3 * (hi - lo));
    }
    free(mu);
    free(lay);
    vae_free(&v);
    cJSON_Delete(q1);
}

int main(int argc, char **argv)
{
    gu_init(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_plays_and_exports),
        cmocka_unit_test(test_walk_between_points),
        cmocka_unit_test(test_walk_on_projection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
