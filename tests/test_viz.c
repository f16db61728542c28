/* test_viz: the headless figure library (src/viz). Interpolation (exact
 * ends, slerp keeping the norm, the fallback), paths (frame counts, stops
 * landing exactly, eval agreeing with the sampled frames), class lists,
 * class centroids against a direct computation, digit grids (sizes, crisp
 * integer upscaling, colours, cells), the palette shared with the explorer,
 * text, the scatter plot read back from its PNG (size, ten label colours,
 * "other"), and the map CSV reader. No dataset needed. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"
#include "io/gif.h"
#include "io/png.h"
#include "viz/anim.h"
#include "viz/grid.h"
#include "viz/image.h"
#include "viz/interp.h"
#include "viz/mapcsv.h"
#include "viz/palette.h"
#include "viz/plot.h"
#include "viz/text.h"
#include "test_util.h"

static float norm(const float *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += (double)v[i] * v[i];
    return (float)sqrt(s);
}

static void test_lerp_slerp(void **state)
{
    (void)state;
    const float a[3] = {2, 0, 0}, b[3] = {0, 2, 0};
    float out[3];
    for (int k = 0; k < 2; k++) {
        void (*f)(const float *, const float *, int, float, float *) = k ? viz_slerp : viz_lerp;
        f(a, b, 3, 0.0f, out);
        assert_memory_equal(out, a, sizeof a);
        f(a, b, 3, 1.0f, out);
        assert_memory_equal(out, b, sizeof b);
    }
    /* Midway between orthogonal vectors of norm 2: the line dips to sqrt 2,
     * the arc keeps 2 and lies at 45 degrees. */
    viz_lerp(a, b, 3, 0.5f, out);
    assert_float_equal(norm(out, 3), sqrtf(2.0f), 1e-5);
    viz_slerp(a, b, 3, 0.5f, out);
    assert_float_equal(norm(out, 3), 2.0f, 1e-5);
    assert_float_equal(out[0], out[1], 1e-6);
    for (float t = 0.1f; t < 1.0f; t += 0.2f) {
        viz_slerp(a, b, 3, t, out);
        assert_float_equal(norm(out, 3), 2.0f, 1e-5);
    }
    /* Parallel vectors and a zero vector: no unique arc, the straight line. */
    const float c[3] = {4, 0, 0}, zero[3] = {0, 0, 0};
    float ref[3];
    viz_slerp(a, c, 3, 0.25f, out);
    viz_lerp(a, c, 3, 0.25f, ref);
    assert_memory_equal(out, ref, sizeof ref);
    viz_slerp(zero, b, 3, 0.25f, out);
    viz_lerp(zero, b, 3, 0.25f, ref);
    assert_memory_equal(out, ref, sizeof ref);
}

static void test_path(void **state)
{
    (void)state;
    enum { Z = 4, S = 4, STEPS = 5 };
    float stops[S * Z];
    Rng r;
    rng_seed(&r, 3);
    rng_normal_fill(&r, stops, S * Z);
    for (int mode = 0; mode < 2; mode++) {
        VizPath p;
        Err e = {0};
        assert_int_equal(viz_path_init(&p, stops, S, Z, mode ? VIZ_SLERP : VIZ_LERP, &e), ERR_OK);
        size_t n = viz_path_frames(&p, STEPS);
        assert_int_equal(n, (S - 1) * STEPS + 1);
        float *z = malloc(n * Z * sizeof *z);
        viz_path_sample(&p, STEPS, z);
        for (int s = 0; s < S; s++) /* every stop lands exactly on its frame */
            assert_memory_equal(z + (size_t)s * STEPS * Z, stops + s * Z, Z * sizeof(float));
        for (size_t k = 1; k < n; k++) /* consecutive frames differ */
            assert_true(memcmp(z + (k - 1) * Z, z + k * Z, Z * sizeof(float)) != 0);
        float w[Z];
        for (size_t k = 0; k < n; k++) {
            viz_path_eval(&p, (double)k / (double)(n - 1), w);
            for (int j = 0; j < Z; j++)
                assert_float_equal(w[j], z[k * Z + j], 1e-5);
        }
        viz_path_eval(&p, -3.0, w); /* clamped */
        assert_memory_equal(w, stops, sizeof w);
        viz_path_eval(&p, 7.0, w);
        assert_memory_equal(w, stops + (S - 1) * Z, sizeof w);
        free(z);
        viz_path_free(&p);
    }
    VizPath p;
    Err e = {0};
    assert_int_equal(viz_path_init(&p, stops, 1, Z, VIZ_LERP, &e), ERR_ARG);
    tu_assert_contains(e.msg, "2..256 stops, not 1");
    assert_null(p.stops);
}

static void test_parse_classes(void **state)
{
    (void)state;
    static const char *const fashion[10] = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                            "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                            "Bag",         "Ankle boot"};
    int out[8], n;
    Err e = {0};
    assert_int_equal(viz_parse_classes("2,3,8,7,9,1", NULL, out, 8, &n, &e), ERR_OK);
    assert_int_equal(n, 6);
    const int want[6] = {2, 3, 8, 7, 9, 1};
    assert_memory_equal(out, want, sizeof want);
    assert_int_equal(viz_parse_classes(" 0 ,9", NULL, out, 8, &n, &e), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[1], 9);
    assert_int_equal(
        viz_parse_classes("sneaker, ANKLE BOOT,t-shirt/top,3", fashion, out, 8, &n, &e), ERR_OK);
    assert_int_equal(n, 4);
    assert_int_equal(out[0], 7);
    assert_int_equal(out[1], 9);
    assert_int_equal(out[2], 0);
    assert_int_equal(out[3], 3);
    assert_int_equal(viz_parse_classes("2,12", NULL, out, 8, &n, &e), ERR_ARG);
    tu_assert_contains(e.msg, "unknown class '12'");
    assert_int_equal(viz_parse_classes("2,,3", NULL, out, 8, &n, &e), ERR_ARG);
    tu_assert_contains(e.msg, "empty class");
    assert_int_equal(viz_parse_classes("", NULL, out, 8, &n, &e), ERR_ARG);
    assert_int_equal(viz_parse_classes("boot", fashion, out, 8, &n, &e), ERR_ARG);
    tu_assert_contains(e.msg, "or their names");
    assert_int_equal(viz_parse_classes("1,2,3", NULL, out, 2, &n, &e), ERR_ARG);
    tu_assert_contains(e.msg, "more than 2 classes");
}

static void test_centroids(void **state)
{
    (void)state;
    enum { N = 300, X = 784 };
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 3;
    cfg.hidden[0] = 32;
    Vae v;
    Err e = {0};
    assert_int_equal(vae_init(&v, &cfg, 64, 5, &e), ERR_OK);
    DataSplit s = {N, X, malloc((size_t)N * X * sizeof(float)), malloc(N)};
    Rng r;
    rng_seed(&r, 9);
    for (size_t i = 0; i < (size_t)N * X; i++)
        s.images[i] = rng_uniform(&r);
    for (int i = 0; i < N; i++)
        s.labels[i] = (uint8_t)(i % 7); /* classes 7, 8, 9 have no images */
    float cent[10 * 3], mu[N * 3];
    size_t counts[10];
    assert_int_equal(viz_class_centroids(&v, &s, 0, cent, counts, &e), ERR_OK);
    vae_encode(&v, s.images, N, mu, NULL);
    for (int c = 0; c < 10; c++) {
        double sum[3] = {0};
        size_t cnt = 0;
        for (int i = 0; i < N; i++)
            if (s.labels[i] == c) {
                cnt++;
                for (int j = 0; j < 3; j++)
                    sum[j] += mu[i * 3 + j];
            }
        assert_int_equal(counts[c], cnt);
        for (int j = 0; j < 3; j++)
            assert_float_equal(cent[c * 3 + j], cnt ? sum[j] / (double)cnt : 0.0, 1e-5);
    }
    /* The first n images only. */
    assert_int_equal(viz_class_centroids(&v, &s, 10, cent, counts, &e), ERR_OK);
    assert_int_equal(counts[0], 2);
    assert_int_equal(counts[6], 1);
    free(s.images);
    free(s.labels);
    vae_free(&v);
}

static void test_grid(void **state)
{
    (void)state;
    VizGridStyle st;
    viz_grid_style_default(&st);
    st.img_w = 3;
    st.img_h = 2;
    st.scale = 4;
    st.pad = 2;
    st.margin = 3;
    st.group_rows = 2;
    st.group_gap = 5;
    /* Five 3x2 images: image i has value i/4 everywhere but its top-left
     * pixel, which is 1. */
    float img[5 * 6];
    for (int i = 0; i < 5; i++)
        for (int p = 0; p < 6; p++)
            img[i * 6 + p] = p == 0 ? 1.0f : (float)i / 4.0f;
    VizImage im;
    Err e = {0};
    assert_int_equal(viz_grid(&im, &st, img, 5, 3, 2, &e), ERR_OK);
    /* Width: 2 margins + 2 cells of 12 + 1 pad; height: 2 margins + 3 cells
     * of 8 + 2 pads + one group gap (after row 1). */
    assert_int_equal(im.w, 2 * 3 + 2 * 12 + 2);
    assert_int_equal(im.h, 2 * 3 + 3 * 8 + 2 * 2 + 5);
    for (int i = 0; i < 5; i++) {
        int x, y;
        viz_grid_cell_xy(&st, i / 2, i % 2, &x, &y);
        uint8_t want = (uint8_t)lrintf(255.0f * (float)i / 4.0f);
        /* Every source pixel is a solid 4x4 block: crisp upscaling. */
        for (int dy = 0; dy < 8; dy++)
            for (int dx = 0; dx < 12; dx++) {
                const uint8_t *p = im.rgb + ((size_t)(y + dy) * im.w + x + dx) * 3;
                uint8_t v = dx < 4 && dy < 4 ? 255 : want;
                assert_int_equal(p[0], v);
                assert_int_equal(p[2], v);
            }
    }
    /* The empty sixth cell and the margin are background. */
    int x, y;
    viz_grid_cell_xy(&st, 2, 1, &x, &y);
    assert_memory_equal(im.rgb + ((size_t)y * im.w + x) * 3, st.bg, 3);
    assert_memory_equal(im.rgb, st.bg, 3);
    viz_image_free(&im);
    assert_int_equal(viz_grid(&im, &st, img, 7, 3, 2, &e), ERR_ARG);
    tu_assert_contains(e.msg, "cannot hold 7");
    st.scale = 64;
    st.img_w = st.img_h = 28;
    assert_int_equal(viz_grid(&im, &st, img, 0, 100, 100, &e), ERR_ARG);
    tu_assert_contains(e.msg, "too large");
}

static void test_palette(void **state)
{
    (void)state;
    /* Ten distinct colours in each set; out of range is the last colour. */
    for (int set = 0; set < 3; set++) {
        for (int a = 0; a < VIZ_LABEL_COLORS; a++)
            for (int b = a + 1; b < VIZ_LABEL_COLORS; b++)
                assert_true(memcmp(viz_label_rgb(a, (VizPalette)set),
                                   viz_label_rgb(b, (VizPalette)set), 3));
        assert_ptr_equal(viz_label_rgb(-1, (VizPalette)set), viz_label_rgb(9, (VizPalette)set));
        assert_ptr_equal(viz_label_rgb(12, (VizPalette)set), viz_label_rgb(9, (VizPalette)set));
    }
    /* The explorer's dark-theme blue for 0 (what its GUI test looks for). */
    const uint8_t blue[3] = {0x5d, 0x9c, 0xec};
    assert_memory_equal(viz_label_rgb(0, VIZ_PALETTE_DARK), blue, 3);
}

static void test_text(void **state)
{
    (void)state;
    VizFont f;
    Err e = {0};
    if (viz_font_open(&f, NULL, 20, &e) != ERR_OK) {
        fprintf(stderr, "no font: %s\n", e.msg);
        tu_skip("no font found through fontconfig");
    }
    assert_true(f.height >= 20);
    int w = viz_text_width(&f, "digit 8");
    assert_true(w > 40 && w < 200);
    assert_int_equal(viz_text_width(&f, ""), 0);
    const uint8_t bg[3] = {0, 0, 0}, red[3] = {255, 0, 0};
    VizImage im;
    assert_int_equal(viz_image_init(&im, 200, 200, bg, &e), ERR_OK);
    assert_int_equal(viz_text_draw(&im, &f, 10, 10, "digit 8", red, 0, &e), ERR_OK);
    assert_int_equal(viz_text_draw(&im, &f, 150, 60, "digit 8", red, 1, &e), ERR_OK);
    /* Bounding boxes of the inked pixels: upright wide, turned tall; only
     * red is ever blended in. */
    int box[2][4] = {{999, 999, -1, -1}, {999, 999, -1, -1}};
    for (int y = 0; y < 200; y++)
        for (int x = 0; x < 200; x++) {
            const uint8_t *p = im.rgb + ((size_t)y * 200 + x) * 3;
            assert_int_equal(p[1], 0);
            if (!p[0])
                continue;
            int *b = box[x >= 150];
            b[0] = x < b[0] ? x : b[0];
            b[1] = y < b[1] ? y : b[1];
            b[2] = x > b[2] ? x : b[2];
            b[3] = y > b[3] ? y : b[3];
        }
    int uw = box[0][2] - box[0][0], uh = box[0][3] - box[0][1];
    int vw = box[1][2] - box[1][0], vh = box[1][3] - box[1][1];
    assert_true(uw > 2 * uh);
    assert_true(vh > 2 * vw);
    assert_true(abs(uw - vh) <= 1);
    viz_image_free(&im);
    viz_font_close(&f);
}

/* Count pixels of exactly each label colour in an RGBA buffer. */
static int colours_present(const uint8_t *rgba, int w, int h, VizPalette set, int *counts)
{
    int present = 0;
    for (int c = 0; c < VIZ_LABEL_COLORS; c++) {
        const uint8_t *k = viz_label_rgb(c, set);
        counts[c] = 0;
        for (size_t i = 0; i < (size_t)w * h; i++)
            counts[c] += !memcmp(rgba + 4 * i, k, 3);
        present += counts[c] > 0;
    }
    return present;
}

static void test_scatter(void **state)
{
    (void)state;
    VizFont probe;
    Err e = {0};
    if (viz_font_open(&probe, NULL, 12, &e) != ERR_OK)
        tu_skip("no font found through fontconfig");
    viz_font_close(&probe);
    enum { N = 3000 };
    float *xy = malloc(2 * N * sizeof *xy);
    int *cls = malloc(N * sizeof *cls);
    Rng r;
    rng_seed(&r, 4);
    for (int i = 0; i < N; i++) { /* ten clusters on a circle, a few unlabelled */
        int c = i % 10;
        cls[i] = i % 97 == 0 ? -1 : c;
        xy[2 * i] = 3.0f * cosf(0.628f * c) + 0.3f * rng_normal(&r);
        xy[2 * i + 1] = 3.0f * sinf(0.628f * c) + 0.3f * rng_normal(&r);
    }
    xy[2 * 5] = NAN; /* skipped */
    static const char *const names[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    size_t counts[10] = {300, 300, 300, 300, 300, 300, 300, 300, 300, 300};
    for (int light = 0; light < 2; light++) {
        VizScatterOpts o;
        viz_scatter_opts_default(&o);
        o.width = 900;
        o.height = 640;
        o.title = "test map";
        o.legend_title = "digit";
        o.n_classes = 10;
        o.class_names = names;
        o.class_counts = counts;
        o.light = light;
        VizImage im;
        assert_int_equal(viz_scatter(&im, xy, cls, N, &o, &e), ERR_OK);
        const char *path = tu_path("map.png");
        assert_int_equal(viz_image_save_png(&im, path, &e), ERR_OK);
        viz_image_free(&im);
        uint8_t *rgba;
        int w, h;
        assert_int_equal(io_png_read_rgba(path, &rgba, &w, &h, &e), ERR_OK);
        assert_int_equal(w, 900);
        assert_int_equal(h, 640);
        int n_col[VIZ_LABEL_COLORS];
        assert_int_equal(
            colours_present(rgba, w, h, light ? VIZ_PALETTE_LIGHT : VIZ_PALETTE_DARK, n_col), 10);
        /* The legend swatches alone give ~100 pixels per colour; the
         * clusters' opaque cores give many more. */
        for (int c = 0; c < 10; c++)
            assert_true(n_col[c] > 60);
        free(rgba);
    }
    /* Errors. */
    VizScatterOpts o;
    viz_scatter_opts_default(&o);
    VizImage im;
    o.width = 100;
    assert_int_equal(viz_scatter(&im, xy, cls, N, &o, &e), ERR_ARG);
    tu_assert_contains(e.msg, "100x1000");
    viz_scatter_opts_default(&o);
    o.n_classes = 11;
    assert_int_equal(viz_scatter(&im, xy, cls, N, &o, &e), ERR_ARG);
    /* No points at all still draws empty axes. */
    viz_scatter_opts_default(&o);
    assert_int_equal(viz_scatter(&im, xy, cls, 0, &o, &e), ERR_OK);
    viz_image_free(&im);
    free(xy);
    free(cls);
}

static void test_nice_step(void **state)
{
    (void)state;
    assert_float_equal(viz_nice_step(10, 10), 1, 1e-12);
    assert_float_equal(viz_nice_step(10, 5), 2, 1e-12);
    assert_float_equal(viz_nice_step(7, 2), 5, 1e-12);
    assert_float_equal(viz_nice_step(0.09, 9), 0.01, 1e-12);
    assert_float_equal(viz_nice_step(800, 10), 100, 1e-9);
    assert_float_equal(viz_nice_step(0, 10), 1, 1e-12);
}

static void test_map_csv(void **state)
{
    (void)state;
    VizMap m;
    Err e = {0};
    const char *digits = "x,y,label\r\n1,2,3\n-1.5,0.25,0\n\n4e0,5,3\n7,8,\n";
    assert_int_equal(viz_map_parse(digits, strlen(digits), "d.csv", &m, &e), ERR_OK);
    assert_int_equal(m.n, 4);
    assert_int_equal(m.n_classes, 4); /* digit labels: ids are the digits, 0..3 */
    assert_int_equal(m.cls[0], 3);
    assert_int_equal(m.cls[1], 0);
    assert_int_equal(m.cls[3], -1);
    assert_int_equal(m.counts[3], 2);
    assert_int_equal(m.n_other, 1);
    assert_string_equal(m.names[2], "2");
    assert_float_equal(m.xy[2], -1.5f, 0);
    assert_float_equal(m.xy[3], 0.25f, 0);
    viz_map_free(&m);

    /* Text labels in order of appearance; columns in any order; extra
     * (numeric) columns ignored; beyond ten distinct labels is "other". */
    char buf[4096];
    int len = snprintf(buf, sizeof buf, "label,extra,y,x\n");
    for (int i = 0; i < 12; i++)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "cls%c,7,%d,%d\n", 'a' + i, i, -i);
    len += snprintf(buf + len, sizeof buf - (size_t)len, "clsb,7,0,0\n");
    assert_int_equal(viz_map_parse(buf, (size_t)len, "t.csv", &m, &e), ERR_OK);
    assert_int_equal(m.n, 13);
    assert_int_equal(m.n_classes, 10);
    assert_string_equal(m.names[0], "clsa");
    assert_string_equal(m.names[9], "clsj");
    assert_int_equal(m.cls[10], -1);
    assert_int_equal(m.cls[12], 1);
    assert_int_equal(m.n_other, 2);
    assert_float_equal(m.xy[2 * 3], -3.0f, 0); /* x is the 4th column */
    viz_map_free(&m);

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"a,b\n1,2\n", "the header has no column named 'x'"},
        {"x,y,x\n1,2,3\n", "column 'x' appears twice"},
        {"x,y\n1,2\n3\n", "line 3: 1 field, expected 2"},
        {"x,y\n1,nan\n", "line 2, column 2: NaN is not allowed"},
        {"x,y\n1,\n", "line 2, column 2: '' is not a number"},
        {"x,y,label\n\n", "no data rows"},
        {"", "no data rows"},
        {"1,2,3\n4,5,6\n", "no header line and 3 columns"},
        {"x,y,note\n1,2,hello\n", "line 2, column 3: 'hello' is not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(viz_map_parse(bad[i].text, strlen(bad[i].text), "bad.csv", &m, &e),
                             ERR_OK);
        tu_assert_contains(e.msg, "bad.csv");
        tu_assert_contains(e.msg, bad[i].want);
        assert_null(m.xy);
    }
    const char nul[] = "x,y\n1,2\0\n";
    assert_int_equal(viz_map_parse(nul, sizeof nul - 1, "nul.csv", &m, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "NUL");
    /* A spreadsheet's byte-order mark: the header is still x,y,label; before
     * a numeric first line, that line is still the first point. A quoted
     * header and an empty label are fine. */
    const char bom[] = "\xEF\xBB\xBF\"x\",\"y\",\"Label\"\n1,2,a\n3,4,\n";
    assert_int_equal(viz_map_parse(bom, sizeof bom - 1, "bom.csv", &m, &e), ERR_OK);
    assert_int_equal(m.n, 2);
    assert_int_equal(m.n_classes, 1);
    assert_string_equal(m.names[0], "a");
    assert_int_equal(m.n_other, 1);
    viz_map_free(&m);
    const char bom2[] = "\xEF\xBB\xBF" "1,2\n3,4\n";
    assert_int_equal(viz_map_parse(bom2, sizeof bom2 - 1, "bom2.csv", &m, &e), ERR_OK);
    assert_int_equal(m.n, 2);
    assert_float_equal(m.xy[0], 1.0f, 0);
    viz_map_free(&m);
    /* From a file. */
    const char *path = tu_write("m.csv", digits, strlen(digits));
    assert_int_equal(viz_map_read(path, &m, &e), ERR_OK);
    assert_int_equal(m.n, 4);
    viz_map_free(&m);
    assert_int_equal(viz_map_read(tu_path("absent.csv"), &m, &e), ERR_IO);
}

static void test_gif_frames(void **state)
{
    (void)state;
    /* Three 2x1 frames: (0, 1), (0.5, 0.25), (1, NaN); scale 3. */
    const float frames[6] = {0, 1, 0.5f, 0.25f, 1, NAN};
    VizGifOpts o;
    viz_gif_opts_default(&o);
    o.img_w = 2;
    o.img_h = 1;
    o.scale = 3;
    o.fps = 25;
    o.hold_ms = 300;
    o.stop_every = 2;
    o.pingpong = 1;
    const char *path = tu_path("frames.gif");
    Err e = {0};
    assert_int_equal(viz_gif_write(path, frames, 3, &o, &e), ERR_OK);
    IoGif g;
    assert_int_equal(io_gif_read(path, &g, &e), ERR_OK);
    assert_int_equal(g.w, 6);
    assert_int_equal(g.h, 3);
    assert_int_equal(g.loop, IO_GIF_LOOP_FOREVER);
    assert_int_equal(g.n_frames, 4); /* 0 1 2 1 */
    const int order[4] = {0, 1, 2, 1}, delay[4] = {34, 4, 34, 4};
    for (int t = 0; t < 4; t++) {
        assert_int_equal(g.delay_cs[t], delay[t]);
        assert_int_equal(viz_gif_delay_cs(&o, (size_t)order[t]), delay[t]);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 6; x++) {
                float v = frames[order[t] * 2 + x / 3];
                int want = isnan(v) ? 0 : (int)lrintf(255.0f * v);
                const uint8_t *p = g.rgba + (((size_t)t * 3 + y) * 6 + x) * 4;
                assert_int_equal(p[0], want);
                assert_int_equal(p[2], want);
            }
    }
    io_gif_free(&g);
    o.fps = 0;
    assert_int_equal(viz_gif_write(path, frames, 3, &o, &e), ERR_ARG);
    tu_assert_contains(e.msg, "0 fps");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lerp_slerp),    cmocka_unit_test(test_path),
        cmocka_unit_test(test_parse_classes), cmocka_unit_test(test_centroids),
        cmocka_unit_test(test_grid),          cmocka_unit_test(test_palette),
        cmocka_unit_test(test_text),          cmocka_unit_test(test_scatter),
        cmocka_unit_test(test_nice_step),     cmocka_unit_test(test_map_csv),
        cmocka_unit_test(test_gif_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
