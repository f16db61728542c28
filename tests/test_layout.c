/* test_layout: the explorer's one layout computation (app_layout_compute),
 * headless: for each shell state, every view's rect is on screen where it
 * should be and no two views that show together overlap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app_impl.h"

static AppLayoutIn base(int w, int h)
{
    AppLayoutIn in = {.w = w,
                      .h = h,
                      .pad = 6,
                      .line = 18,
                      .title_line = 24,
                      .small_line = 14,
                      .side = APP_SIDE_SLIDERS,
                      .side_visible = true,
                      .status = true};
    return in;
}

static bool inside(UiRect r, UiRect outer)
{
    return r.w > 0 && r.h > 0 && r.x >= outer.x && r.y >= outer.y &&
           r.x + r.w <= outer.x + outer.w && r.y + r.h <= outer.y + outer.h;
}

static bool apart(UiRect a, UiRect b)
{
    UiRect c = ui_rect_intersect(a, b);
    return c.w <= 0 || c.h <= 0;
}

static void test_map_and_side_column(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1024, 768}, {1280, 800}, {3840, 2160}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        AppLayoutIn in = base(sizes[i][0], sizes[i][1]);
        AppLayout L = app_layout_compute(&in);
        UiRect screen = ui_rect(0, 0, in.w, in.h);
        assert_true(inside(L.map, screen) && inside(L.side, screen) && inside(L.status, screen));
        assert_true(apart(L.map, L.side) && apart(L.map, L.status) && apart(L.side, L.status));
        assert_int_equal(L.side.x + L.side.w, in.w - in.pad); /* the column ends at the edge */
        assert_int_equal(L.status.y + L.status.h, in.h);
        /* the decoder over the sliders, both in the column, the digit inside */
        assert_true(inside(L.decoder, L.side) && inside(L.sliders, L.side));
        assert_true(L.decoder.y + L.decoder.h < L.sliders.y);
        assert_int_equal(L.sliders.y + L.sliders.h, L.side.y + L.side.h);
        assert_true(L.dec_img >= 64 && L.dec_img <= L.decoder.w && L.dec_thumb <= L.dec_img);
        assert_true(L.dec_img <= L.side.h * 42 / 100); /* the digit leaves the sliders room */
        assert_true(L.sliders.h >= L.side.h / 4);
        /* views not shown have no rect */
        assert_int_equal(L.train.w, 0);
        assert_int_equal(L.curves.w, 0);
        assert_int_equal(L.map_b.w, 0);
    }
}

static void test_tab_status_and_sampling(void **state)
{
    (void)state;
    AppLayoutIn in = base(1280, 800);
    AppLayout shown = app_layout_compute(&in);
    in.side_visible = false; /* Tab: the map takes the width */
    AppLayout L = app_layout_compute(&in);
    assert_int_equal(L.map.w, in.w - 2 * in.pad);
    assert_int_equal(L.side.x, in.w); /* off screen */
    in = base(1280, 800);
    in.status = false; /* B: the status bar's height goes to the map */
    L = app_layout_compute(&in);
    assert_int_equal(L.status.h, 0);
    assert_int_equal(L.map.h, shown.map.h + shown.status.h);
    in = base(1280, 800);
    in.side = APP_SIDE_SAMPLING;
    in.wide_side = true; /* two grids side by side */
    L = app_layout_compute(&in);
    assert_true(L.side.w > shown.side.w && L.map.w < shown.map.w);
    assert_true(L.dec_img < shown.dec_img); /* a panel in the slot: a smaller decoder */
}

static void test_training_takes_the_maps_bottom(void **state)
{
    (void)state;
    AppLayoutIn in = base(1024, 768);
    AppLayout plain = app_layout_compute(&in);
    in.side = APP_SIDE_TRAINING;
    AppLayout L = app_layout_compute(&in);
    UiRect area = plain.map; /* the map, curves and bars share what the map had */
    assert_true(inside(L.map, area) && inside(L.curves, area) && inside(L.kl, area));
    assert_true(apart(L.map, L.curves) && apart(L.map, L.kl) && apart(L.curves, L.kl));
    assert_true(L.map.y + L.map.h < L.curves.y);
    assert_int_equal(L.curves.y + L.curves.h, area.y + area.h);
    assert_true(L.curves.h >= in.line * 9); /* the curves keep room for their text */
    assert_true(L.train.w > 0 && memcmp(&L.train, &L.sliders, sizeof L.train) == 0);
}

static void test_compare_splits_what_is_left(void **state)
{
    (void)state;
    AppLayoutIn in = base(1280, 800);
    in.side = APP_SIDE_TRAINING;
    AppLayout one = app_layout_compute(&in);
    in.compare = true;
    AppLayout L = app_layout_compute(&in);
    assert_true(inside(L.map, one.map) && inside(L.map_b, one.map));
    assert_true(apart(L.map, L.map_b));
    assert_true(L.map.y == L.map_b.y && L.map.h == L.map_b.h);
    assert_true(abs(L.map.w - L.map_b.w) <= 1);
    for (int i = 0; i < 2; i++) {
        UiRect m = i ? L.map_b : L.map;
        assert_true(inside(L.title[i], one.map));
        assert_true(L.title[i].x == m.x && L.title[i].w == m.w);
        assert_true(L.title[i].y + L.title[i].h <= m.y); /* above its map */
    }
    /* the training views under the maps stay where they were */
    assert_memory_equal(&L.curves, &one.curves, sizeof L.curves);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_and_side_column),
        cmocka_unit_test(test_tab_status_and_sampling),
        cmocka_unit_test(test_training_takes_the_maps_bottom),
        cmocka_unit_test(test_compare_splits_what_is_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
