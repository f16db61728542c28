/* test_sample_panel: the explorer's Sampling panel without a window or a
 * model. It edits only its own settings (mode, seed, temperature, the
 * clicked cell) and returns what the user did as SAMPLE_ACT_* bits; driven
 * by synthetic input through the same ui_input_* calls the app uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/view_sample.h"
#include "ui_fake.h"

static int frame_no;

static const UiRect panel = {500, 20, 600, 900};

/* A new panel whose two grids hold images (as after app_sample_draw). */
static void panel_drawn(AppSample *s)
{
    memset(s, 0, sizeof *s);
    sample_panel_defaults(s);
    s->valid[0] = s->valid[1] = true;
    s->img[0] = 3;
    s->img[1] = 4;
}

static int frame_in(AppSample *s, const SamplePanelIn *in, UiRect r)
{
    ui_begin(&ui, 1200, 1000, frame_no++ * (1.0 / 60));
    int act = sample_panel(&ui, r, s, in);
    ui_end(&ui);
    return act;
}

static int frame(AppSample *s, const SamplePanelIn *in)
{
    return frame_in(s, in, panel);
}

/* Press at (x, y) one frame, release the next; the bits of both frames. */
static int click_at(AppSample *s, const SamplePanelIn *in, int x, int y)
{
    frame(s, in);
    ui_input_motion(&ui, x, y);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, true);
    int act = frame(s, in);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, false);
    act |= frame(s, in);
    ui_input_motion(&ui, 0, 0);
    frame(s, in);
    return act;
}

static int click_rect(AppSample *s, const SamplePanelIn *in, UiRect r)
{
    assert_true(r.w > 0 && r.h > 0);
    return click_at(s, in, r.x + r.w / 2, r.y + r.h / 2);
}

static bool has_image(int img)
{
    for (int i = 0; i < ui.list.n; i++)
        if (ui.list.cmds[i].type == UI_CMD_IMAGE && ui.list.cmds[i].image == img)
            return true;
    return false;
}

static void test_defaults_and_no_model(void **state)
{
    (void)state;
    static AppSample s;
    memset(&s, 0, sizeof s);
    sample_panel_defaults(&s);
    assert_true(s.temperature == 1.0f);
    assert_int_equal(s.seed, 1);
    assert_int_equal(s.mode, SAMPLE_BOTH);
    assert_int_equal(s.clicked, -1);
    assert_int_equal(s.img[0], -1);
    assert_int_equal(s.img[1], -1);
    SamplePanelIn in = {.loaded = false};
    assert_int_equal(frame(&s, &in), 0);
    assert_true(ui_fake_has_text("no model loaded"));
    assert_int_equal(s.grid[0].w, 0); /* no grid shown */
    assert_int_equal(s.grid[1].w, 0);
    assert_int_equal(s.mode_rect.w, 0);
}

static void test_mode_and_resample(void **state)
{
    (void)state;
    static AppSample s;
    panel_drawn(&s);
    SamplePanelIn in = {.loaded = true, .ready = true};
    frame(&s, &in);
    assert_true(s.grid[SAMPLE_PRIOR].w > 0 && s.grid[SAMPLE_POSTERIOR].w > 0);
    assert_true(has_image(3) && has_image(4));
    assert_int_equal(click_rect(&s, &in, s.mode_rect), SAMPLE_ACT_MODE);
    assert_int_equal(s.mode, SAMPLE_PRIOR_ONLY);
    assert_true(s.grid[SAMPLE_PRIOR].w > 0);
    assert_int_equal(s.grid[SAMPLE_POSTERIOR].w, 0);
    assert_true(has_image(3) && !has_image(4));
    assert_int_equal(click_rect(&s, &in, s.mode_rect), SAMPLE_ACT_MODE);
    assert_int_equal(s.mode, SAMPLE_POSTERIOR_ONLY);
    assert_int_equal(s.grid[SAMPLE_PRIOR].w, 0);
    assert_true(!has_image(3) && has_image(4));
    assert_int_equal(click_rect(&s, &in, s.mode_rect), SAMPLE_ACT_MODE);
    assert_int_equal(s.mode, SAMPLE_BOTH);
    /* the resample button sits right of the mode button in the same row */
    UiRect m = s.mode_rect;
    int x = panel.x + panel.w - (m.x - panel.x) - m.w / 2;
    assert_int_equal(click_at(&s, &in, x, m.y + m.h / 2), SAMPLE_ACT_RESAMPLE);
    assert_int_equal(s.seed, 2);
    assert_int_equal(s.mode, SAMPLE_BOTH);
}

static void test_temperature(void **state)
{
    (void)state;
    static AppSample s;
    panel_drawn(&s);
    SamplePanelIn in = {.loaded = true, .ready = true};
    frame(&s, &in);
    UiRect r = s.t_row;
    UiRect track = ui_slider_track(&ui, r, 0.1f, 2.0f, "%.2f");
    int y = r.y + r.h / 2;
    int act = click_at(&s, &in, track.x + track.w - 1, y); /* the far end */
    assert_int_equal(act, SAMPLE_ACT_TEMPERATURE);
    assert_true(s.temperature > 1.9f && s.temperature <= 2.0f);
    frame(&s, &in);
    char caption[64];
    snprintf(caption, sizeof caption, "prior N(0, %.2f\xc2\xb2 I)", (double)s.temperature);
    assert_true(ui_fake_has_text(caption));
    act = click_at(&s, &in, track.x, y); /* the near end */
    assert_int_equal(act, SAMPLE_ACT_TEMPERATURE);
    assert_true(s.temperature >= 0.1f && s.temperature < 0.2f);
    assert_int_equal(s.seed, 1); /* T is not a new seed */
}

/* A click on a cell picks it (grid * 64 + cell) and asks for its z; a grid
 * with no image yet takes no click. */
static void test_pick_cell(void **state)
{
    (void)state;
    static AppSample s;
    panel_drawn(&s);
    SamplePanelIn in = {.loaded = true, .ready = true};
    frame(&s, &in);
    UiRect q = s.grid[SAMPLE_POSTERIOR];
    int cell = q.w / SAMPLE_SIDE;
    assert_true(cell > 0);
    int act = click_at(&s, &in, q.x + 3 * cell + cell / 2, q.y + 2 * cell + cell / 2);
    assert_int_equal(act, SAMPLE_ACT_PICK);
    assert_int_equal(s.clicked, SAMPLE_CELLS + 2 * SAMPLE_SIDE + 3);
    q = s.grid[SAMPLE_PRIOR];
    act = click_at(&s, &in, q.x + cell / 2, q.y + 7 * cell + cell / 2);
    assert_int_equal(act, SAMPLE_ACT_PICK);
    assert_int_equal(s.clicked, 7 * SAMPLE_SIDE);
    /* the prior grid not drawn yet: a click there does nothing */
    s.valid[SAMPLE_PRIOR] = false;
    act = click_at(&s, &in, q.x + cell / 2, q.y + cell / 2);
    assert_int_equal(act, 0);
    assert_int_equal(s.clicked, 7 * SAMPLE_SIDE);
    assert_true(ui_fake_has_text("\xe2\x80\xa6"));
}

static void test_captions(void **state)
{
    (void)state;
    static AppSample s;
    panel_drawn(&s);
    s.valid[0] = s.valid[1] = false;
    SamplePanelIn in = {.loaded = true, .ready = false};
    frame(&s, &in);
    assert_true(ui_fake_has_text("waiting for the data\xe2\x80\xa6"));
    assert_true(ui_fake_has_text("posterior q(z|x), \xe2\x80\xa6"));
    in.ready = true;
    in.posterior_train = true;
    frame(&s, &in);
    assert_false(ui_fake_has_text("waiting for the data\xe2\x80\xa6"));
    assert_true(ui_fake_has_text("posterior q(z|x), train x"));
    in.posterior_train = false;
    frame(&s, &in);
    assert_true(ui_fake_has_text("posterior q(z|x), test x"));
    /* a narrow column: the short captions */
    frame_in(&s, &in, ui_rect(500, 20, 300, 900));
    assert_true(ui_fake_has_text("prior"));
    assert_true(ui_fake_has_text("posterior"));
}

static void test_keys(void **state)
{
    (void)state;
    static AppSample s;
    panel_drawn(&s);
    assert_int_equal(sample_panel_key(&s, (UiKey){'s', 0}, false), SAMPLE_ACT_TOGGLE);
    assert_int_equal(sample_panel_key(&s, (UiKey){'s', 0}, true), SAMPLE_ACT_TOGGLE);
    assert_int_equal(sample_panel_key(&s, (UiKey){'r', 0}, false), 0); /* hidden: not ours */
    assert_int_equal(s.seed, 1);
    assert_int_equal(sample_panel_key(&s, (UiKey){'r', 0}, true), SAMPLE_ACT_RESAMPLE);
    assert_int_equal(s.seed, 2);
    assert_int_equal(sample_panel_key(&s, (UiKey){'r', UI_MOD_CTRL}, true), 0);
    assert_int_equal(sample_panel_key(&s, (UiKey){'s', UI_MOD_ALT}, true), 0);
    assert_int_equal(sample_panel_key(&s, (UiKey){'x', 0}, true), 0);
    assert_int_equal(s.seed, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_no_model),
        cmocka_unit_test(test_mode_and_resample),
        cmocka_unit_test(test_temperature),
        cmocka_unit_test(test_pick_cell),
        cmocka_unit_test(test_captions),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
