/* test_points: the CPU splat of the map's point cloud (gfx_points_splat),
 * headless: what shaders/points.vert and .frag draw, pixel by pixel. A
 * sprite of diameter 3 centred on a pixel: full alpha inside the disc, the
 * one-pixel rim ramp at the corners, nothing outside its square; blending
 * over in order (premultiplied); the highlight dims other labels; the view
 * places it; rows are reported. (The window test compares the whole map
 * against the GL path: gui/test_perf_gui.) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gfx/points.h"

enum { W = 16, H = 12 };
static uint8_t px[H][W][4];

static GfxPointsStyle style(void)
{
    GfxPointsStyle st;
    memset(&st, 0, sizeof st);
    st.cx = 0;
    st.cy = 0;
    st.scale = 1; /* one pixel per unit: latent (0, 0) is pixel corner (8, 6) */
    st.size = 3;
    st.alpha = 0.5f;
    st.highlight = -1;
    for (int k = 0; k < 10; k++) {
        st.colors[k][0] = 1.0f;
        st.colors[k][1] = (float)k / 10.0f;
        st.colors[k][2] = 0.0f;
    }
    return st;
}

static void test_one_sprite(void **state)
{
    (void)state;
    memset(px, 0, sizeof px);
    GfxPointsStyle st = style();
    float xy[2] = {0.5f, 0.5f}; /* the centre of pixel (8, 6) */
    uint8_t lab[1] = {5};
    int lo = H, hi = -1;
    gfx_points_splat(&px[0][0][0], W, H, &st, xy, lab, 1, &lo, &hi);
    assert_int_equal(lo, 5);
    assert_int_equal(hi, 7);
    /* centre and edge neighbours: inside the disc, alpha 0.5 */
    assert_int_equal(px[6][8][3], 128);
    assert_int_equal(px[6][8][0], 128);        /* red 1.0, premultiplied */
    assert_int_equal(px[6][8][1], 64);         /* green 0.5 * 0.5 */
    assert_int_equal(px[6][9][3], 128);
    assert_int_equal(px[5][8][3], 128);
    /* corners at sqrt(2) px: rim coverage 1.5 - 1.414 + 0.5 = 0.586 */
    assert_int_equal(px[7][9][3], (int)(255 * 0.5 * (2.0 - sqrt(2.0)) + 0.5));
    /* outside the 3x3 square: untouched */
    assert_int_equal(px[6][10][3], 0);
    assert_int_equal(px[8][8][3], 0);
    assert_int_equal(px[6][6][3], 0);
}

static void test_blend_order_and_highlight(void **state)
{
    (void)state;
    memset(px, 0, sizeof px);
    GfxPointsStyle st = style();
    float xy[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    uint8_t lab[2] = {0, 9};
    int lo = H, hi = -1;
    gfx_points_splat(&px[0][0][0], W, H, &st, xy, lab, 2, &lo, &hi);
    /* over, label 9 on top: alpha 0.5 * 255 + 128 * 0.5 (the first rounded to
     * 8 bits, as in the RGBA8 texture GL blends into); green 0.9 * 0.5 * 255
     * over label 0's green 0 */
    assert_int_equal(px[6][8][3], 192);
    assert_int_equal(px[6][8][1], 115);
    /* with label 0 highlighted, label 9 is drawn at 0.12 of the alpha */
    memset(px, 0, sizeof px);
    st.highlight = 0;
    lo = H, hi = -1;
    gfx_points_splat(&px[0][0][0], W, H, &st, xy, lab, 2, &lo, &hi);
    int a0 = 128; /* label 0 alone */
    int expect = (int)(255.0f * 0.06f + (float)a0 * 0.94f + 0.5f);
    assert_int_equal(px[6][8][3], expect);
}

static void test_view_and_clipping(void **state)
{
    (void)state;
    memset(px, 0, sizeof px);
    GfxPointsStyle st = style();
    st.cx = 2;   /* the view centre moves right by 2 units at 2 px per unit */
    st.scale = 2;
    float xy[4] = {2.25f, 0.25f, 100.0f, 100.0f}; /* the second is far off the layer */
    uint8_t lab[2] = {1, 1};
    int lo = H, hi = -1;
    gfx_points_splat(&px[0][0][0], W, H, &st, xy, lab, 2, &lo, &hi);
    assert_int_equal(px[6][8][3], 128); /* (2.25 - 2) * 2 + 8 = 8.5: pixel 8 */
    assert_int_equal(lo, 5);
    assert_int_equal(hi, 7);
    /* a point at the corner of the layer is clipped, not written outside */
    memset(px, 0, sizeof px);
    float corner[2] = {-8.0f + 0.5f, -6.0f + 0.5f};
    st = style();
    lo = H, hi = -1;
    gfx_points_splat(&px[0][0][0], W, H, &st, corner, lab, 1, &lo, &hi);
    assert_int_equal(px[0][0][3], 128);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_sprite),
        cmocka_unit_test(test_blend_order_and_highlight),
        cmocka_unit_test(test_view_and_clipping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
