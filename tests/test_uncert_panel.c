/* test_uncert_panel: the explorer's uncertainty overlay without a window
 * or a model: the O key, which sources of q(z|x) show (hover, drawing,
 * nearest), their sigmas and centres, the placed samples of a Z > 2 map and
 * when they are placed again, and what is drawn on the map. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/view_draw.h"
#include "ui_fake.h"

enum { N = 6 };

static float mu[N * 3], logvar[N * 3], xy[N * 2];
static const MapView view = {.cx = 0, .cy = 0, .scale = 50};
static const UiRect rect = {0, 0, 600, 600};

/* N points of Z = dim, point i at (i, -i, ...) with logvar i / 10 per
 * dimension, shown at map position (i, 2i). */
static UncertPanelIn map_in(int dim)
{
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < dim; k++) {
            mu[i * dim + k] = k % 2 ? (float)-i : (float)i;
            logvar[i * dim + k] = (float)i / 10;
        }
        xy[2 * i] = (float)i;
        xy[2 * i + 1] = (float)(2 * i);
    }
    return (UncertPanelIn){
        .xy = xy,
        .same_z = true,
        .dim = dim,
        .mu = mu,
        .logvar = logvar,
        .n = N,
        .hover = -1,
        .nearest = -1,
        .lay_y = xy,
        .lay_seq = 1,
        .place_k = 3,
        .view = &view,
        .rect = rect,
    };
}

static int count(UiCmdType type)
{
    int n = 0;
    for (int i = 0; i < ui.list.n; i++)
        n += ui.list.cmds[i].type == type;
    return n;
}

static void draw_map(const AppUncert *un, const UncertPanelIn *in)
{
    ui_begin(&ui, 600, 600, 0);
    uncert_panel_map(&ui, un, in);
    ui_end(&ui);
}

static void test_key(void **state)
{
    (void)state;
    static AppUncert un;
    memset(&un, 0, sizeof un);
    assert_int_equal(uncert_panel_key(&un, (UiKey){'o', 0}), UNCERT_ACT_RINGS);
    assert_true(un.rings);
    assert_int_equal(uncert_panel_key(&un, (UiKey){'o', UI_MOD_CTRL}), 0); /* Ctrl+O: Open */
    assert_int_equal(uncert_panel_key(&un, (UiKey){'x', 0}), 0);
    assert_true(un.rings);
    assert_int_equal(uncert_panel_key(&un, (UiKey){'o', 0}), UNCERT_ACT_RINGS);
    assert_false(un.rings);
}

static void test_sources_z2(void **state)
{
    (void)state;
    static AppUncert un;
    memset(&un, 0, sizeof un);
    UncertPanelIn in = map_in(2);
    in.hover = 4;
    in.nearest = 2;
    uncert_panel_update(&un, &in);
    const UncertSource *h = &un.src[UNCERT_HOVER], *nn = &un.src[UNCERT_NEAREST];
    assert_true(h->on && nn->on && !un.src[UNCERT_DRAW].on);
    assert_int_equal(h->index, 4);
    assert_true(h->mu[0] == 4 && h->mu[1] == -4);
    assert_float_equal(h->sigma[0], expf(0.2f), 1e-6);
    assert_true(h->center[0] == 4 && h->center[1] == 8);
    assert_int_equal(nn->index, 2);
    /* the hovered point is the nearest: one source for it */
    in.hover = 2;
    uncert_panel_update(&un, &in);
    assert_false(un.src[UNCERT_HOVER].on);
    assert_true(un.src[UNCERT_NEAREST].on);
    /* the drawing, when the app says it is placed for this Z */
    static AppDraw d;
    d.mu[0] = 0.5f;
    d.mu[1] = -0.5f;
    d.logvar[0] = d.logvar[1] = -2;
    d.map_xy[0] = 0.5f;
    d.map_xy[1] = -0.5f;
    in.drawing = &d;
    uncert_panel_update(&un, &in);
    const UncertSource *u = &un.src[UNCERT_DRAW];
    assert_true(u->on);
    assert_int_equal(u->index, -1);
    assert_float_equal(u->sigma[1], expf(-1.0f), 1e-6);
    assert_true(u->center[0] == 0.5f && u->center[1] == -0.5f);
    /* two sources, two ellipses each, two passes of >= 24 segments */
    draw_map(&un, &in);
    assert_true(count(UI_CMD_LINE) >= 2 * 2 * 2 * 24);
    assert_int_equal(count(UI_CMD_CIRCLE), 0);
    /* O: the prior's rings, each a casing and a line, and their labels */
    un.rings = true;
    draw_map(&un, &in);
    assert_int_equal(count(UI_CMD_CIRCLE), 6);
    assert_true(ui_fake_has_text("1\xcf\x83") && ui_fake_has_text("3\xcf\x83"));
    /* a model whose Z is not the cursor's yet: no source, the rings stay */
    in.same_z = false;
    uncert_panel_update(&un, &in);
    for (int s = 0; s < UNCERT_SOURCES; s++)
        assert_false(un.src[s].on);
    draw_map(&un, &in);
    assert_int_equal(count(UI_CMD_CIRCLE), 6);
    assert_int_equal(count(UI_CMD_LINE), 0);
    /* no positions (no model): nothing at all */
    in.xy = NULL;
    uncert_panel_update(&un, &in);
    draw_map(&un, &in);
    assert_int_equal(count(UI_CMD_LINE) + count(UI_CMD_CIRCLE) + count(UI_CMD_TEXT), 0);
}

static void test_samples_z3(void **state)
{
    (void)state;
    static AppUncert un;
    memset(&un, 0, sizeof un);
    UncertPanelIn in = map_in(3);
    in.nearest = 3;
    un.rings = true; /* rings belong to Z = 2 maps only */
    uncert_panel_update(&un, &in);
    UncertSource *u = &un.src[UNCERT_NEAREST];
    assert_true(u->on && u->samples_valid);
    assert_int_equal(u->samples_seq, 1);
    /* placed among the layout's points: inside its bounding box */
    for (int i = 0; i < UNCERT_SAMPLES; i++) {
        assert_true(u->samples[2 * i] >= 0 && u->samples[2 * i] <= N - 1);
        assert_true(u->samples[2 * i + 1] >= 0 && u->samples[2 * i + 1] <= 2 * (N - 1));
    }
    float first[UNCERT_SAMPLES * 2];
    memcpy(first, u->samples, sizeof first);
    /* the same mu on the same layout: not placed again */
    u->samples[0] = 999;
    uncert_panel_update(&un, &in);
    assert_true(u->samples[0] == 999);
    /* a new layout: placed again, from the same seed */
    in.lay_seq = 2;
    uncert_panel_update(&un, &in);
    assert_memory_equal(u->samples, first, sizeof first);
    assert_int_equal(u->samples_seq, 2);
    draw_map(&un, &in);
    assert_int_equal(count(UI_CMD_CIRCLE), 2 * UNCERT_SAMPLES); /* no rings */
    assert_int_equal(count(UI_CMD_LINE), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_sources_z2),
        cmocka_unit_test(test_samples_z3),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
