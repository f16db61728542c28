/* test_neigh_panel: the explorer's Neighbours strip without a window or a
 * model: its layout under the sliders, the search it runs when z changes,
 * and a click on a thumbnail coming back as NEIGH_ACT_SNAP; driven by
 * synthetic input through the same ui_input_* calls the app uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/view_neigh.h"
#include "ui_fake.h"

enum { N = 20 };

static const char *const names[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
static const UiRect slot = {500, 20, 400, 900};

/* Twenty points on a line, point i at (i, 0) with class i % 10. */
static float mu[N * 2];
static uint8_t labels[N];
static float z[2];
static uint64_t frame_no;

static NeighPanelIn panel_in(void)
{
    for (int i = 0; i < N; i++) {
        mu[2 * i] = (float)i;
        mu[2 * i + 1] = 0;
        labels[i] = (uint8_t)(i % 10);
    }
    NeighPanelIn in = {
        .loaded = true,
        .ready = true,
        .mu = mu,
        .labels = labels,
        .n = N,
        .z = 2,
        .n_test = 15,
        .data_tag = 1,
        .cur_z = z,
        .cur_dim = 2,
        .names = names,
        .win_scale = 1,
    };
    for (int k = 0; k < 10; k++)
        in.colors[k] = ui_rgba((uint8_t)(20 * k), 100, 200, 255);
    return in;
}

/* One frame as the sliders run it: lay out the strip, then run it; returns
 * its action bits, *left (may be NULL) gets the sliders' rect. */
static int frame(AppNeigh *n, NeighPanelIn *in, UiRect *left)
{
    in->frame = ++frame_no;
    ui_begin(&ui, 1000, 1000, (double)frame_no * (1.0 / 60));
    UiRect r = neigh_panel_room(&ui, n, slot, in);
    if (left)
        *left = r;
    int act = neigh_panel(&ui, n, in);
    ui_end(&ui);
    return act;
}

/* Press at (x, y), release at (rx, ry) the next frame; the bits of both. */
static int press_release(AppNeigh *n, NeighPanelIn *in, int x, int y, int rx, int ry)
{
    frame(n, in, NULL);
    ui_input_motion(&ui, x, y);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, true);
    int act = frame(n, in, NULL);
    ui_input_motion(&ui, rx, ry);
    ui_input_button(&ui, rx, ry, UI_MOUSE_LEFT, false);
    act |= frame(n, in, NULL);
    ui_input_motion(&ui, 0, 0);
    frame(n, in, NULL);
    return act;
}

static void strip_new(AppNeigh *n)
{
    memset(n, 0, sizeof *n);
    neigh_panel_defaults(n);
    z[0] = 3.2f;
    z[1] = 0;
}

static void test_layout(void **state)
{
    (void)state;
    static AppNeigh n;
    strip_new(&n);
    assert_int_equal(n.k, APP_NEIGH_K);
    assert_int_equal(n.snapped, -1);
    NeighPanelIn in = panel_in();
    UiRect left;
    frame(&n, &in, &left);
    assert_true(n.shown);
    assert_int_equal(n.shown_frame, frame_no);
    /* the strip at the bottom of the slot, the sliders above it */
    assert_int_equal(n.rect.y + n.rect.h, slot.y + slot.h);
    assert_int_equal(left.y, slot.y);
    assert_true(left.h > 0 && left.y + left.h < n.rect.y);
    assert_true(n.thumb >= 26 && n.cols >= 1);
    assert_true(n.cols * n.thumb <= n.rect.w);
    /* no model: no strip, the sliders keep the slot */
    in.loaded = false;
    frame(&n, &in, &left);
    assert_false(n.shown);
    assert_memory_equal(&left, &slot, sizeof slot);
    /* a slot too short for legible thumbnails: no strip either */
    in.loaded = true;
    in.frame = ++frame_no;
    UiRect low = ui_rect(slot.x, slot.y, slot.w, 160);
    left = neigh_panel_room(&ui, &n, low, &in);
    assert_false(n.shown);
    assert_memory_equal(&left, &low, sizeof low);
}

static void test_search_once_per_change(void **state)
{
    (void)state;
    static AppNeigh n;
    strip_new(&n);
    NeighPanelIn in = panel_in();
    assert_int_equal(frame(&n, &in, NULL), 0);
    static const int32_t want[APP_NEIGH_K] = {3, 4, 2, 5, 1, 6, 0, 7};
    assert_int_equal(n.nb.k, APP_NEIGH_K);
    assert_memory_equal(n.nb.idx, want, sizeof want);
    assert_int_equal(n.nb.searches, 1);
    assert_true(ui_fake_has_text("Nearest test images"));
    assert_true(ui_fake_has_text("3") && ui_fake_has_text("7") && !ui_fake_has_text("8"));
    frame(&n, &in, NULL);
    assert_int_equal(n.nb.searches, 1); /* same z, same data: no search */
    z[0] = 16.9f;
    frame(&n, &in, NULL);
    assert_int_equal(n.nb.searches, 2);
    assert_int_equal(n.nb.idx[0], 17);
    in.data_tag++; /* re-encoded */
    frame(&n, &in, NULL);
    assert_int_equal(n.nb.searches, 3);
    in.all_points = true;
    frame(&n, &in, NULL);
    assert_true(ui_fake_has_text("Nearest images"));
    /* the map not in yet: nothing found, a note */
    in.ready = false;
    frame(&n, &in, NULL);
    assert_int_equal(n.nb.k, 0);
    assert_true(ui_fake_has_text("waiting for the map\xe2\x80\xa6"));
}

static void test_click_snaps(void **state)
{
    (void)state;
    static AppNeigh n;
    strip_new(&n);
    NeighPanelIn in = panel_in();
    frame(&n, &in, NULL);
    UiRect c = n.cells[2]; /* the third nearest: point 2 */
    assert_true(c.w > 0);
    int x = c.x + c.w / 2, y = c.y + c.h / 2;
    assert_int_equal(press_release(&n, &in, x, y, x, y), NEIGH_ACT_SNAP);
    assert_int_equal(n.snapped, 2);
    assert_int_equal(n.clicks, 1);
    /* a press that leaves the thumbnail before the release: no snap */
    c = n.cells[0];
    assert_int_equal(press_release(&n, &in, c.x + 1, c.y + 1, slot.x + 1, slot.y + 1), 0);
    assert_int_equal(n.clicks, 1);
    assert_int_equal(n.snapped, 2);
}

/* Laid out in an earlier frame only (the sliders did not run): the strip
 * stays hidden and searches nothing. */
static void test_not_laid_out(void **state)
{
    (void)state;
    static AppNeigh n;
    strip_new(&n);
    NeighPanelIn in = panel_in();
    frame(&n, &in, NULL);
    uint64_t searches = n.nb.searches;
    z[0] = 10;
    in.frame = ++frame_no;
    ui_begin(&ui, 1000, 1000, (double)frame_no * (1.0 / 60));
    assert_int_equal(neigh_panel(&ui, &n, &in), 0);
    ui_end(&ui);
    assert_false(ui_fake_has_text("Nearest test images"));
    assert_int_equal(n.nb.searches, searches);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_search_once_per_change),
        cmocka_unit_test(test_click_snaps),
        cmocka_unit_test(test_not_laid_out),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
