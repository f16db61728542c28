/* test_walk: the explorer's walk player without a window: the playback
 * clock (loop, ping-pong, once) and the Walk panel's widgets, driven by
 * synthetic input through the same ui_input_* calls the app uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/walk.h"
#include "ui_fake.h"

static int frame_no;

static const char *const names[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
static const UiRect panel = {500, 20, 300, 900};

static WalkPanelIn panel_in(void)
{
    WalkPanelIn in = {0};
    in.names = names;
    for (int k = 0; k < 10; k++)
        in.colors[k] = ui_rgba((uint8_t)(20 * k), 100, 200, 255);
    in.z_dim = 2;
    in.cls = -1;
    return in;
}

/* One frame of the panel; returns its action bits. */
static int frame(WalkState *w, const WalkPanelIn *in, WalkButtons *bs)
{
    ui_begin(&ui, 800, 1000, frame_no++ * (1.0 / 60));
    int act = walk_panel(&ui, panel, w, in, bs);
    ui_end(&ui);
    return act;
}

static const UiRect *button_rect(const WalkButtons *bs, const char *id)
{
    for (int i = 0; i < bs->n; i++)
        if (!strcmp(bs->b[i].id, id))
            return &bs->b[i].r;
    fail_msg("no button %s", id);
    return NULL;
}

/* Click the button `id` (press one frame, release the next, like a mouse);
 * returns the action bits of both frames. */
static int click(WalkState *w, const WalkPanelIn *in, const char *id)
{
    WalkButtons bs;
    frame(w, in, &bs);
    const UiRect *r = button_rect(&bs, id);
    int x = r->x + r->w / 2, y = r->y + r->h / 2;
    ui_input_motion(&ui, x, y);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, true);
    int act = frame(w, in, &bs);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, false);
    act |= frame(w, in, &bs);
    ui_input_motion(&ui, 0, 0);
    frame(w, in, &bs);
    return act;
}

static void test_default(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    int want[] = {2, 3, 8, 7, 9, 1};
    assert_int_equal(w.n_classes, 6);
    assert_memory_equal(w.classes, want, sizeof want);
    assert_int_equal(walk_legs(&w), 5);
    assert_false(w.playing);
    w.source = WALK_POINTS;
    assert_int_equal(walk_legs(&w), 0); /* no A and B yet */
    walk_toggle(&w);
    assert_false(w.playing); /* nothing to play */
}

static void test_advance_loop(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    assert_false(walk_advance(&w, 1.0)); /* paused: t stays */
    walk_toggle(&w);
    assert_true(w.playing);
    /* 0.5 legs/s over 5 legs: 1 s moves t by 0.1 */
    assert_true(walk_advance(&w, 1.0));
    assert_float_equal(w.t, 0.1f, 1e-6f);
    /* 9.5 s more: past the end, wraps to 0.05 */
    walk_advance(&w, 9.5);
    assert_float_equal(w.t, 0.05f, 1e-5f);
    assert_true(w.playing);
    assert_int_equal(w.dir, 1);
}

static void test_advance_pingpong(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    w.repeat = WALK_PINGPONG;
    walk_toggle(&w);
    walk_advance(&w, 9.0); /* t 0.9 */
    walk_advance(&w, 2.0); /* 1.1 reflects to 0.9, now backwards */
    assert_float_equal(w.t, 0.9f, 1e-5f);
    assert_int_equal(w.dir, -1);
    walk_advance(&w, 1.0);
    assert_float_equal(w.t, 0.8f, 1e-5f);
    walk_advance(&w, 9.0); /* -0.1 reflects to 0.1, forwards again */
    assert_float_equal(w.t, 0.1f, 1e-5f);
    assert_int_equal(w.dir, 1);
}

static void test_advance_once(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    w.repeat = WALK_ONCE;
    walk_toggle(&w);
    walk_advance(&w, 30.0);
    assert_float_equal(w.t, 1.0f, 0);
    assert_false(w.playing); /* stopped at the end */
    walk_toggle(&w);         /* play again: from the start */
    assert_true(w.playing);
    assert_float_equal(w.t, 0.0f, 0);
}

static void test_panel_stops(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    WalkPanelIn in = panel_in();
    uint32_t v = w.version;
    assert_int_equal(click(&w, &in, "stop0+") & WALK_ACT_PATH, WALK_ACT_PATH);
    assert_int_equal(w.classes[0], 3);
    assert_true(w.version != v);
    click(&w, &in, "stop5-");
    assert_int_equal(w.classes[5], 0);
    click(&w, &in, "stop5-"); /* wraps round: 0 -> 9 */
    assert_int_equal(w.classes[5], 9);
    click(&w, &in, "add");
    assert_int_equal(w.n_classes, 7);
    assert_int_equal(w.classes[6], 9);
    for (int i = 0; i < 8; i++)
        click(&w, &in, "remove");
    assert_int_equal(w.n_classes, 2); /* a path keeps two stops */
    WalkButtons bs;
    frame(&w, &in, &bs);
    for (int i = 0; i < bs.n; i++)
        assert_true(strcmp(bs.b[i].id, "stop2+") != 0); /* the removed stops' buttons are gone */
}

static void test_panel_points(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    WalkPanelIn in = panel_in();
    float z[2] = {1.5f, -0.5f};
    in.z = z;
    click(&w, &in, "points");
    assert_int_equal(w.source, WALK_POINTS);
    assert_int_equal(walk_legs(&w), 0);
    click(&w, &in, "set_a");
    z[0] = -2;
    click(&w, &in, "set_b");
    assert_true(w.have_a && w.have_b);
    assert_float_equal(w.a[0], 1.5f, 0);
    assert_float_equal(w.b[0], -2.0f, 0);
    assert_int_equal(walk_legs(&w), 1);
    frame(&w, &in, NULL);
    assert_true(ui_fake_has_text("A = (1.50, -0.50)"));
    assert_true(ui_fake_has_text("B = (-2.00, -0.50)"));
}

static void test_panel_play_mode_export(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    WalkPanelIn in = panel_in();
    assert_true(click(&w, &in, "play") & WALK_ACT_PLAY);
    assert_true(w.playing);
    frame(&w, &in, NULL);
    assert_true(ui_fake_has_text("Pause (P)"));
    click(&w, &in, "play");
    assert_false(w.playing);
    click(&w, &in, "repeat");
    assert_int_equal(w.repeat, WALK_PINGPONG);
    assert_true(click(&w, &in, "slerp") & WALK_ACT_PATH);
    assert_true(w.slerp);
    assert_true(click(&w, &in, "export") & WALK_ACT_EXPORT);
}

static void test_panel_reading_and_timeline(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    WalkPanelIn in = panel_in();
    in.clf_note = "classifier: loading";
    frame(&w, &in, NULL);
    assert_true(ui_fake_has_text("classifier: loading"));
    in.cls = 8;
    in.prob = 0.934f;
    int8_t tl[10] = {2, 2, 3, 3, 3, 8, 8, 7, 9, 1};
    in.timeline = tl;
    in.n_timeline = 10;
    frame(&w, &in, NULL);
    assert_true(ui_fake_has_text("classifier: 8  93%"));
    assert_false(ui_fake_has_text("classifier: loading"));
    /* one coloured run per class change: 2, 3, 8, 7, 9, 1 */
    int runs = 0;
    for (int i = 0; i < ui.list.n; i++) {
        const UiCmd *c = &ui.list.cmds[i];
        for (int k = 0; k < 10; k++)
            if (c->type == UI_CMD_RECT && !memcmp(&c->color, &in.colors[k], sizeof c->color) &&
                c->rect.w < panel.w && c->rect.h < 40 && c->radius == 0)
                runs++;
    }
    assert_int_equal(runs, 6);
}

static void test_panel_scrub(void **state)
{
    (void)state;
    WalkState w;
    walk_default(&w);
    WalkPanelIn in = panel_in();
    walk_toggle(&w);
    /* press two thirds along the t slider's row (label | track | value) */
    WalkButtons bs;
    frame(&w, &in, &bs);
    const UiRect *r = button_rect(&bs, "t");
    int x = r->x + r->w * 2 / 3, y = r->y + r->h / 2;
    ui_input_motion(&ui, x, y);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, true);
    int act = frame(&w, &in, &bs);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, false);
    act |= frame(&w, &in, &bs);
    assert_true(act & WALK_ACT_SCRUB);
    assert_true(w.t > 0.5f); /* late in the walk */
    assert_false(w.playing); /* scrubbing pauses */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_advance_loop),
        cmocka_unit_test(test_advance_pingpong),
        cmocka_unit_test(test_advance_once),
        cmocka_unit_test(test_panel_stops),
        cmocka_unit_test(test_panel_points),
        cmocka_unit_test(test_panel_play_mode_export),
        cmocka_unit_test(test_panel_reading_and_timeline),
        cmocka_unit_test(test_panel_scrub),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
