/* test_draw: the drawn-digit preprocessing (viz/draw_prep.h) headless. The
 * brush (full ink on the stroke, nothing beyond its radius, a soft edge
 * between, max-compositing), and the MNIST recipe: an empty canvas is
 * reported empty; a centred disc stays centred and fills the 20-pixel box;
 * the same stroke drawn off-centre gives the same, centred, image; aspect
 * is kept (a tall stroke stays thin); a lopsided digit keeps all its ink. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"
#include "viz/draw_prep.h"

enum { W = 280, S = DRAW_PREP_SIDE };

static float canvas[W * W], canvas2[W * W];

static float at(const float *c, int x, int y)
{
    return c[y * W + x];
}

/* Centre of mass and ink bounding box of a 28x28 image. */
static void moments(const float *img, float com[2], int box[4])
{
    double m = 0, mx = 0, my = 0;
    box[0] = box[1] = S;
    box[2] = box[3] = -1;
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            float v = img[y * S + x];
            m += v;
            mx += v * (x + 0.5);
            my += v * (y + 0.5);
            if (v > 0) {
                box[0] = x < box[0] ? x : box[0];
                box[1] = y < box[1] ? y : box[1];
                box[2] = x > box[2] ? x : box[2];
                box[3] = y > box[3] ? y : box[3];
            }
        }
    com[0] = (float)(mx / m);
    com[1] = (float)(my / m);
}

static void test_brush(void **state)
{
    (void)state;
    memset(canvas, 0, sizeof canvas);
    draw_prep_stroke(canvas, W, W, 50, 100, 200, 100, 12);
    assert_float_equal(at(canvas, 120, 100), 1.0f, 1e-6);      /* on the stroke */
    assert_float_equal(at(canvas, 120, 104), 1.0f, 1e-6);      /* within r/2 */
    float edge = at(canvas, 120, 109);                          /* between r/2 and r */
    assert_true(edge > 0.0f && edge < 1.0f);
    assert_true(at(canvas, 120, 108) >= edge);                  /* falls off outward */
    assert_float_equal(at(canvas, 120, 113), 0.0f, 1e-6);      /* beyond r */
    assert_float_equal(at(canvas, 20, 100), 0.0f, 1e-6);       /* beyond the cap */
    assert_true(at(canvas, 45, 100) > 0.5f);                    /* round cap */
    /* max compositing: the same stroke again changes nothing; a crossing
     * stroke never pushes a pixel above 1 */
    memcpy(canvas2, canvas, sizeof canvas);
    draw_prep_stroke(canvas2, W, W, 50, 100, 200, 100, 12);
    assert_memory_equal(canvas, canvas2, sizeof canvas);
    draw_prep_stroke(canvas2, W, W, 120, 20, 120, 250, 12);
    for (int i = 0; i < W * W; i++)
        assert_true(canvas2[i] >= 0.0f && canvas2[i] <= 1.0f);
    /* a stroke partly off the canvas paints what is on it */
    draw_prep_stroke(canvas2, W, W, -40, 5, 30, 5, 10);
    assert_float_equal(at(canvas2, 0, 5), 1.0f, 1e-6);
}

static void test_empty(void **state)
{
    (void)state;
    memset(canvas, 0, sizeof canvas);
    canvas[10] = DRAW_PREP_INK * 0.5f; /* a faint speck is not ink */
    float out[S * S];
    for (int i = 0; i < S * S; i++)
        out[i] = 0.7f;
    DrawPrepInfo info;
    assert_false(draw_prep_mnist(canvas, W, W, out, &info));
    assert_true(info.empty);
    for (int i = 0; i < S * S; i++)
        assert_float_equal(out[i], 0.0f, 0);
}

static void test_centred_blob(void **state)
{
    (void)state;
    memset(canvas, 0, sizeof canvas);
    draw_prep_stroke(canvas, W, W, 140, 140, 140, 140, 60);
    float out[S * S], com[2];
    int box[4];
    DrawPrepInfo info;
    assert_true(draw_prep_mnist(canvas, W, W, out, &info));
    assert_false(info.empty);
    moments(out, com, box);
    assert_float_equal(com[0], 14.0f, 0.05);
    assert_float_equal(com[1], 14.0f, 0.05);
    assert_int_equal(box[2] - box[0] + 1, DRAW_PREP_BOX); /* fills the 20-pixel box */
    assert_int_equal(box[3] - box[1] + 1, DRAW_PREP_BOX);
    assert_int_equal(info.size[0], DRAW_PREP_BOX);
    assert_float_equal(info.com[0], com[0], 1e-3);
    float mx = 0;
    for (int i = 0; i < S * S; i++) {
        assert_true(out[i] >= 0.0f && out[i] <= 1.0f);
        mx = out[i] > mx ? out[i] : mx;
    }
    assert_float_equal(mx, 1.0f, 1e-4); /* the disc's core is full ink */
}

/* An L-shaped stroke pair drawn at (ox, oy). */
static void draw_shape(float *c, float ox, float oy)
{
    memset(c, 0, sizeof canvas);
    draw_prep_stroke(c, W, W, ox, oy, ox, oy + 90, 8);
    draw_prep_stroke(c, W, W, ox, oy + 90, ox + 50, oy + 90, 8);
}

static void test_off_centre_is_centred(void **state)
{
    (void)state;
    draw_shape(canvas, 130, 90);  /* about the middle */
    draw_shape(canvas2, 12, 14);  /* top-left corner */
    float a[S * S], b[S * S], com[2];
    int box[4];
    assert_true(draw_prep_mnist(canvas, W, W, a, NULL));
    assert_true(draw_prep_mnist(canvas2, W, W, b, NULL));
    for (int i = 0; i < S * S; i++)
        assert_float_equal(a[i], b[i], 1e-5);
    moments(b, com, box);
    /* whole-pixel placement: within half a pixel of the centre */
    assert_true(fabsf(com[0] - 14.0f) <= 0.5f);
    assert_true(fabsf(com[1] - 14.0f) <= 0.5f);
    /* the L's centre of mass is low and left of its box's middle, so the
     * box itself is shifted up and right of the field's middle */
    assert_true(box[1] < S - 1 - box[3]);
    assert_true(box[0] > S - 1 - box[2]);
}

static void test_aspect_kept(void **state)
{
    (void)state;
    memset(canvas, 0, sizeof canvas);
    draw_prep_stroke(canvas, W, W, 60, 30, 60, 250, 10); /* a '1': 20 wide, 240 tall */
    float out[S * S], com[2];
    int box[4];
    DrawPrepInfo info;
    assert_true(draw_prep_mnist(canvas, W, W, out, &info));
    assert_int_equal(info.size[1], DRAW_PREP_BOX);
    assert_true(info.size[0] <= 3); /* 20 * 20 / 240 = 1.7 -> 2 */
    moments(out, com, box);
    assert_int_equal(box[3] - box[1] + 1, DRAW_PREP_BOX);
    assert_true(box[2] - box[0] + 1 <= 3);
    assert_true(fabsf(com[0] - 14.0f) <= 0.5f);
}

static void test_lopsided_keeps_ink(void **state)
{
    (void)state;
    /* a long bar plus a big blob at one end: the centre of mass is near the
     * blob, so centring it would push the bar's far end off the field */
    memset(canvas, 0, sizeof canvas);
    draw_prep_stroke(canvas, W, W, 20, 140, 260, 140, 2);
    draw_prep_stroke(canvas, W, W, 236, 140, 236, 140, 36);
    float out[S * S], com[2];
    int box[4];
    DrawPrepInfo info;
    assert_true(draw_prep_mnist(canvas, W, W, out, &info));
    moments(out, com, box);
    assert_int_equal(box[2] - box[0] + 1, DRAW_PREP_BOX); /* nothing cut */
    assert_true(box[0] >= 0 && box[2] <= S - 1);
    assert_true(com[0] > 14.0f); /* as near the centre as the ink allows */
    assert_int_equal(info.offset[0], 0); /* pushed left as far as it goes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brush),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_centred_blob),
        cmocka_unit_test(test_off_centre_is_centred),
        cmocka_unit_test(test_aspect_kept),
        cmocka_unit_test(test_lopsided_keeps_ink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
