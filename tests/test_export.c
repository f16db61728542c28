/* test_export: the figure and animation commands end to end (zspace interp,
 * sample, recon, manifold, scatter). A tiny Z = 2 model is trained here on
 * a thousand MNIST images through the engine API (and an untrained Z = 3
 * one is saved), the binary is run on them, and every output is read back
 * with giflib / libpng (io/gif.h, io/png.h): GIF frame count, size, delays
 * and loop flag; frames differ along a path and the stops are the decodes
 * of the class centroids; grid and figure sizes; cells differ; manifold
 * corners differ from the centre; the scatter map shows ten label colours.
 * Errors that need a model (unknown class, Z != 2, indices out of range, a
 * missing file) exit with the right status and leave no file.
 *   test_export ZSPACE        (skips with 77 without MNIST) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "data/dataset.h"
#include "io/gif.h"
#include "io/png.h"
#include "vae/vae.h"
#include "vae/vae_io.h"
#include "viz/interp.h"
#include "viz/palette.h"
#include "test_util.h"

static const char *zspace;
static Dataset ds;
static Vae model; /* the trained Z = 2 model, for reference decodes */
static char m2[768], m3[768], out_txt[768], err_txt[768];
static char err_text[4096];

/* Run "zspace ARGS" with stdout and stderr to files; returns the exit
 * status; stderr's text is kept in err_text. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s'", zspace, args, out_txt, err_txt);
    int st = system(cmd);
    FILE *f = fopen(err_txt, "r");
    size_t n = f ? fread(err_text, 1, sizeof err_text - 1, f) : 0;
    err_text[n] = '\0';
    if (f)
        fclose(f);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (code != 0)
        fprintf(stderr, "  zspace %s -> %d: %s", args, code, err_text);
    return code;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Quantise a decoded image the way the exports do. */
static void quantise(const float *img, uint8_t *q)
{
    for (int i = 0; i < 784; i++) {
        float v = img[i] < 0 ? 0 : img[i] > 1 ? 1 : img[i];
        q[i] = (uint8_t)lrintf(255.0f * v);
    }
}

/* Largest |difference| between a 28x28 digit upscaled by k at (x0, y0) in
 * an RGBA image of width w and the quantised image q (red channel). */
static int digit_diff(const uint8_t *rgba, int w, int x0, int y0, int k, const uint8_t *q)
{
    int worst = 0;
    for (int y = 0; y < 28 * k; y++)
        for (int x = 0; x < 28 * k; x++) {
            int d = abs((int)rgba[((size_t)(y0 + y) * w + x0 + x) * 4] - q[(y / k) * 28 + x / k]);
            worst = d > worst ? d : worst;
        }
    return worst;
}

static int setup(void **state)
{
    (void)state;
    Err e = {0};
    snprintf(out_txt, sizeof out_txt, "%s", tu_path("out.txt"));
    snprintf(err_txt, sizeof err_txt, "%s", tu_path("err.txt"));
    if (dataset_load("mnist", &ds, &e) != ERR_OK) {
        fprintf(stderr, "%s\n", e.msg);
        tu_skip("MNIST not found");
    }
    VaeConfig c;
    vae_config_default(&c);
    c.z = 2;
    c.hidden[0] = 128;
    assert_int_equal(vae_init(&model, &c, 128, 1, &e), ERR_OK);
    DataSplit small = ds.train;
    small.n = 2000;
    Rng rng;
    rng_seed(&rng, 2);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    o.batch = 64;
    for (int ep = 0; ep < 4; ep++)
        assert_int_equal(vae_train_epoch(&model, &small, &rng, &o, NULL, &e), ERR_OK);
    VaeFileInfo info;
    vae_file_info_init(&info);
    snprintf(info.dataset, sizeof info.dataset, "mnist");
    info.epochs = 4;
    snprintf(m2, sizeof m2, "%s", tu_path("m2.safetensors"));
    assert_int_equal(vae_save(m2, &model, &info, &e), ERR_OK);
    Vae v3;
    c.z = 3;
    c.hidden[0] = 32;
    assert_int_equal(vae_init(&v3, &c, 64, 3, &e), ERR_OK);
    snprintf(m3, sizeof m3, "%s", tu_path("m3.safetensors"));
    assert_int_equal(vae_save(m3, &v3, &info, &e), ERR_OK);
    vae_free(&v3);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vae_free(&model);
    dataset_free(&ds);
    return 0;
}

/* The class-centroid walk 2 -> 3 -> 8: GIF and strip. */
static void test_interp_path(void **state)
{
    (void)state;
    const char *gif = tu_path("walk.gif"), *strip = tu_path("strip.png");
    assert_int_equal(run("interp -m '%s' --path 2,3,8 --steps 6 --fps 25 --hold 200 --scale 3 "
                         "-o '%s' --png-strip '%s'",
                         m2, gif, strip),
                     0);
    IoGif g;
    Err e = {0};
    assert_int_equal(io_gif_read(gif, &g, &e), ERR_OK);
    assert_int_equal(g.n_frames, 13);
    assert_int_equal(g.w, 84);
    assert_int_equal(g.h, 84);
    assert_int_equal(g.loop, 0); /* loops forever */
    for (int f = 0; f < 13; f++) /* 25 fps = 4 cs; stops hold 200 ms more */
        assert_int_equal(g.delay_cs[f], f % 6 == 0 ? 24 : 4);
    size_t fb = (size_t)84 * 84 * 4;
    for (int f = 1; f < 13; f++)
        assert_true(memcmp(g.rgba + (f - 1) * fb, g.rgba + f * fb, fb) != 0);
    /* Stops: the decodes of the centroids of 2, 3 and 8 over the test set. */
    float cent[10 * 2], img[784];
    size_t counts[10];
    assert_int_equal(viz_class_centroids(&model, &ds.test, 0, cent, counts, &e), ERR_OK);
    const int stop_cls[3] = {2, 3, 8};
    uint8_t q[784];
    for (int s = 0; s < 3; s++) {
        vae_decode(&model, cent + 2 * stop_cls[s], 1, img);
        quantise(img, q);
        assert_true(digit_diff(g.rgba + (size_t)(6 * s) * fb, 84, 0, 0, 3, q) <= 1);
    }
    /* The centroids differ, so the first frame (a 2) is no 8: far more than
     * the +-1 of rounding apart (32 grey levels at worst with this model). */
    assert_true(digit_diff(g.rgba, 84, 0, 0, 3, q) > 16);
    /* The strip: two legs of 7 frames at scale 2 (pad 2, margin 4); its
     * first cell is the GIF's first frame, its last the last. */
    uint8_t *px;
    int w, h;
    assert_int_equal(io_png_read_rgba(strip, &px, &w, &h, &e), ERR_OK);
    assert_int_equal(w, 2 * 4 + 7 * 56 + 6 * 2);
    assert_int_equal(h, 2 * 4 + 2 * 56 + 2);
    vae_decode(&model, cent + 2 * 2, 1, img);
    quantise(img, q);
    assert_true(digit_diff(px, w, 4, 4, 2, q) <= 1);
    vae_decode(&model, cent + 2 * 8, 1, img);
    quantise(img, q);
    assert_true(digit_diff(px, w, 4 + 6 * 58, 4 + 58, 2, q) <= 1);
    free(px);
    io_gif_free(&g);

    /* Spherical interpolation: same ends, different middles. */
    const char *sl = tu_path("slerp.gif");
    assert_int_equal(run("interp -m '%s' --path 2,3,8 --steps 6 --scale 3 --slerp -o '%s'", m2, sl),
                     0);
    IoGif g2;
    assert_int_equal(io_gif_read(sl, &g2, &e), ERR_OK);
    assert_int_equal(io_gif_read(gif, &g, &e), ERR_OK);
    assert_int_equal(g2.n_frames, 13);
    assert_memory_equal(g2.rgba, g.rgba, fb);
    assert_memory_equal(g2.rgba + 12 * fb, g.rgba + 12 * fb, fb);
    assert_true(memcmp(g2.rgba + 3 * fb, g.rgba + 3 * fb, fb) != 0);
    io_gif_free(&g);
    io_gif_free(&g2);
}

/* Between two test images, ping-pong. */
static void test_interp_indices(void **state)
{
    (void)state;
    const char *gif = tu_path("pair.gif");
    assert_int_equal(run("interp -m '%s' --from-index 0 --to-index 1 --steps 4 --pingpong "
                         "--scale 1 --hold 0 --fps 10 -o '%s'",
                         m2, gif),
                     0);
    IoGif g;
    Err e = {0};
    assert_int_equal(io_gif_read(gif, &g, &e), ERR_OK);
    assert_int_equal(g.n_frames, 8); /* 0 1 2 3 4 3 2 1 */
    assert_int_equal(g.w, 28);
    size_t fb = 28 * 28 * 4;
    for (int f = 0; f < 8; f++)
        assert_int_equal(g.delay_cs[f], 10);
    assert_memory_equal(g.rgba + 7 * fb, g.rgba + 1 * fb, fb);
    assert_memory_equal(g.rgba + 5 * fb, g.rgba + 3 * fb, fb);
    float mu[2 * 2], img[784];
    uint8_t q[784];
    vae_encode(&model, ds.test.images, 2, mu, NULL);
    vae_decode(&model, mu, 1, img);
    quantise(img, q);
    assert_true(digit_diff(g.rgba, 28, 0, 0, 1, q) <= 1);
    vae_decode(&model, mu + 2, 1, img);
    quantise(img, q);
    assert_true(digit_diff(g.rgba + 4 * fb, 28, 0, 0, 1, q) <= 1);
    io_gif_free(&g);
}

/* Distinct 28x28 cells in a grid (pad and margin as the CLI draws them). */
static int distinct_cells(const uint8_t *px, int w, int rows, int cols, int k, int pad, int margin)
{
    int n = rows * cols, distinct = 0;
    for (int a = 0; a < n; a++) {
        int same = 0;
        for (int b = 0; b < a && !same; b++) {
            int ax = margin + (a % cols) * (28 * k + pad),
                ay = margin + (a / cols) * (28 * k + pad);
            int bx = margin + (b % cols) * (28 * k + pad),
                by = margin + (b / cols) * (28 * k + pad);
            same = 1;
            for (int y = 0; y < 28 * k && same; y++)
                same = !memcmp(px + ((size_t)(ay + y) * w + ax) * 4,
                               px + ((size_t)(by + y) * w + bx) * 4, (size_t)28 * k * 4);
        }
        distinct += !same;
    }
    return distinct;
}

static void test_sample(void **state)
{
    (void)state;
    const char *a = tu_path("s1.png"), *b = tu_path("s2.png"), *c = tu_path("s3.png");
    assert_int_equal(run("sample -m '%s' --grid 3x4 --scale 1 --seed 5 -o '%s'", m2, a), 0);
    assert_int_equal(run("sample -m '%s' --grid 3x4 --scale 1 --seed 5 --prior -o '%s'", m2, b), 0);
    assert_int_equal(run("sample -m '%s' --grid 3x4 --scale 1 --seed 5 --posterior -o '%s'", m2, c),
                     0);
    uint8_t *pa, *pb, *pc;
    int w, h, w2, h2;
    Err e = {0};
    assert_int_equal(io_png_read_rgba(a, &pa, &w, &h, &e), ERR_OK);
    /* scale 1: pad 1, margin 2. */
    assert_int_equal(w, 2 * 2 + 4 * 28 + 3);
    assert_int_equal(h, 2 * 2 + 3 * 28 + 2);
    assert_int_equal(distinct_cells(pa, w, 3, 4, 1, 1, 2), 12);
    assert_int_equal(io_png_read_rgba(b, &pb, &w2, &h2, &e), ERR_OK);
    assert_memory_equal(pa, pb, (size_t)w * h * 4); /* --prior is the default; seeded */
    assert_int_equal(io_png_read_rgba(c, &pc, &w2, &h2, &e), ERR_OK);
    assert_int_equal(w2, w);
    assert_int_equal(distinct_cells(pc, w, 3, 4, 1, 1, 2), 12);
    assert_true(memcmp(pa, pc, (size_t)w * h * 4) != 0);
    free(pa);
    free(pb);
    free(pc);
    /* Temperature 0: every prior draw is z = 0, all cells alike. */
    assert_int_equal(run("sample -m '%s' --grid 2x2 --scale 1 --temperature 0 -o '%s'", m2, a), 0);
    assert_int_equal(io_png_read_rgba(a, &pa, &w, &h, &e), ERR_OK);
    assert_int_equal(distinct_cells(pa, w, 2, 2, 1, 1, 2), 1);
    free(pa);
}

static void test_recon(void **state)
{
    (void)state;
    const char *out = tu_path("recon.png");
    assert_int_equal(run("recon -m '%s' --n 7 --cols 4 --scale 1 -o '%s'", m2, out), 0);
    uint8_t *px;
    int w, h;
    Err e = {0};
    assert_int_equal(io_png_read_rgba(out, &px, &w, &h, &e), ERR_OK);
    /* Two pairs of rows of 4; the gap between pairs is 3 pad + 4 = 7. */
    assert_int_equal(w, 2 * 2 + 4 * 28 + 3);
    assert_int_equal(h, 2 * 2 + 4 * 28 + 3 + 7);
    uint8_t q[784];
    float mu[2], img[784];
    for (int i = 0; i < 7; i++) {
        int col = i % 4, pair = i / 4;
        int x = 2 + col * 29, y_orig = 2 + pair * (2 * 29 + 7), y_rec = y_orig + 29;
        quantise(ds.test.images + (size_t)i * 784, q);
        assert_int_equal(digit_diff(px, w, x, y_orig, 1, q), 0);
        vae_encode(&model, ds.test.images + (size_t)i * 784, 1, mu, NULL);
        vae_decode(&model, mu, 1, img);
        uint8_t r[784];
        quantise(img, r);
        assert_true(digit_diff(px, w, x, y_rec, 1, r) <= 1);
        assert_true(digit_diff(px, w, x, y_rec, 1, q) > 30); /* not a copy */
    }
    free(px);
}

static void test_manifold(void **state)
{
    (void)state;
    const char *out = tu_path("manifold.png");
    assert_int_equal(run("manifold -m '%s' --grid 5 --range 2 --scale 1 -o '%s'", m2, out), 0);
    uint8_t *px;
    int w, h;
    Err e = {0};
    assert_int_equal(io_png_read_rgba(out, &px, &w, &h, &e), ERR_OK);
    assert_int_equal(w, 140);
    assert_int_equal(h, 140);
    /* Cell (row, col) decodes z = (-2 + col, 2 - row): the top-left corner
     * is (-2, 2) and the centre (0, 0). */
    float corners[4][2] = {{-2, 2}, {2, 2}, {-2, -2}, {2, -2}}, zero[2] = {0, 0}, img[784];
    uint8_t qc[784], q[784];
    vae_decode(&model, zero, 1, img);
    quantise(img, qc);
    assert_true(digit_diff(px, w, 56, 56, 1, qc) <= 1);
    for (int k = 0; k < 4; k++) {
        int x = corners[k][0] > 0 ? 112 : 0, y = corners[k][1] > 0 ? 0 : 112;
        vae_decode(&model, corners[k], 1, img);
        quantise(img, q);
        assert_true(digit_diff(px, w, x, y, 1, q) <= 1);
        assert_true(digit_diff(px, w, x, y, 1, qc) > 30); /* corners differ from the centre */
    }
    free(px);
}

static int label_colours(const char *path, int want_w, int want_h)
{
    uint8_t *px;
    int w, h;
    Err e = {0};
    assert_int_equal(io_png_read_rgba(path, &px, &w, &h, &e), ERR_OK);
    assert_int_equal(w, want_w);
    assert_int_equal(h, want_h);
    int present = 0;
    for (int c = 0; c < 10; c++) {
        const uint8_t *k = viz_label_rgb(c, VIZ_PALETTE_DARK);
        int n = 0;
        for (size_t i = 0; i < (size_t)w * h; i++)
            n += !memcmp(px + 4 * i, k, 3);
        present += n > 0;
    }
    free(px);
    return present;
}

static void test_scatter(void **state)
{
    (void)state;
    const char *out = tu_path("map.png");
    assert_int_equal(run("scatter -m '%s' --n 2000 --size 800x600 -o '%s'", m2, out), 0);
    assert_int_equal(label_colours(out, 800, 600), 10);
    assert_int_equal(run("scatter -m '%s' --method pca --n 500 --size 640x480 -o '%s'", m3, out),
                     0);
    assert_int_equal(label_colours(out, 640, 480), 10);
    assert_int_equal(run("scatter -m '%s' --method tsne --n 300 --size 640x480 -o '%s'", m3, out),
                     0);
    assert_int_equal(label_colours(out, 640, 480), 10);
    /* A map CSV as zspace project writes it. */
    FILE *f = fopen(tu_path("map.csv"), "w");
    fprintf(f, "x,y,label\n");
    for (int i = 0; i < 500; i++)
        fprintf(f, "%g,%g,%d\n", cos(i * 0.3) * (i % 10), sin(i * 0.3) * (i % 10), i % 10);
    fclose(f);
    assert_int_equal(run("scatter --input '%s' --size 700x500 -o '%s'", tu_path("map.csv"), out),
                     0);
    assert_int_equal(label_colours(out, 700, 500), 10);
}

static void test_errors_with_model(void **state)
{
    (void)state;
    const char *out = tu_path("never.gif");
    assert_int_equal(run("interp -m '%s' --path 2,12 -o '%s'", m2, out), 2);
    tu_assert_contains(err_text, "zspace: interp: --path '2,12': unknown class '12'");
    assert_int_equal(run("interp -m '%s' --path 4 -o '%s'", m2, out), 2);
    tu_assert_contains(err_text, "at least 2 classes");
    assert_int_equal(run("interp -m '%s' --from-index 0 --to-index 10000 -o '%s'", m2, out), 2);
    tu_assert_contains(err_text, "test split has images 0..9999");
    assert_int_equal(run("manifold -m '%s' -o '%s'", m3, out), 2);
    tu_assert_contains(err_text, "3-dimensional latent space; the manifold figure needs 2");
    assert_int_equal(run("scatter -m '%s' --method identity -o '%s'", m3, out), 2);
    tu_assert_contains(err_text, "needs Z = 2");
    assert_int_equal(run("recon -m '%s' --start 9990 --n 16 -o '%s'", m2, out), 2);
    tu_assert_contains(err_text, "test split has 10000 images");
    assert_int_equal(run("sample -m '%s' -o '%s'", tu_path("absent.safetensors"), out), 1);
    tu_assert_contains(err_text, "absent.safetensors");
    assert_false(exists(out));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_export ZSPACE\n");
        return 1;
    }
    zspace = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interp_path),
        cmocka_unit_test(test_interp_indices),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_recon),
        cmocka_unit_test(test_manifold),
        cmocka_unit_test(test_scatter),
        cmocka_unit_test(test_errors_with_model),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
