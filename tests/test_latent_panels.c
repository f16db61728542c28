/* test_latent_panels: the explorer's Decoder and "Latent z" panels without
 * a window or a model. The decoder only draws what it is given; the
 * sliders ask for a new z with SLIDERS_ACT_SET_Z (the app applies it), and
 * keep their own sort setting and "Random" stream. Driven by synthetic
 * input through the same ui_input_* calls the app uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/view_decoder.h"
#include "app/view_sliders.h"
#include "ui_fake.h"

static int frame_no;
static const UiRect panel = {500, 20, 400, 900};

static bool has_image(int img)
{
    for (int i = 0; i < ui.list.n; i++)
        if (ui.list.cmds[i].type == UI_CMD_IMAGE && ui.list.cmds[i].image == img)
            return true;
    return false;
}

static void decoder_frame(const DecoderPanelIn *in)
{
    ui_begin(&ui, 1000, 1000, frame_no++ * (1.0 / 60));
    decoder_panel(&ui, in);
    ui_end(&ui);
}

static void test_decoder(void **state)
{
    (void)state;
    float z[2] = {0.5f, -1.25f};
    DecoderPanelIn in = {.r = panel,
                         .img = 200,
                         .thumb = 60,
                         .img_decoded = 7,
                         .img_nearest = 8,
                         .nearest = -1,
                         .dim = 2,
                         .z = z};
    decoder_frame(&in);
    assert_true(ui_fake_has_text("no model loaded"));
    assert_false(has_image(7));
    in.loaded = true;
    decoder_frame(&in);
    assert_true(ui_fake_has_text("click the map"));
    assert_true(ui_fake_has_text("z = (0.50, -1.25)"));
    assert_false(ui_fake_has_text("nearest test image"));
    in.decoded = true;
    in.nearest = 12;
    in.nearest_name = "seven";
    decoder_frame(&in);
    assert_true(has_image(7) && has_image(8));
    assert_false(ui_fake_has_text("click the map"));
    assert_true(ui_fake_has_text("nearest test image"));
    assert_true(ui_fake_has_text("#12  \xc2\xb7  seven"));
    in.dim = 3; /* z is shown as text for Z = 2 only */
    decoder_frame(&in);
    assert_false(ui_fake_has_text("z = (0.50, -1.25)"));
}

static int sliders_frame(AppSliders *s, const SlidersPanelIn *in)
{
    ui_begin(&ui, 1000, 1000, frame_no++ * (1.0 / 60));
    int act = sliders_panel(&ui, panel, s, in);
    ui_end(&ui);
    return act;
}

/* Press at (x, y) one frame, release the next; the bits of both frames. */
static int click_at(AppSliders *s, const SlidersPanelIn *in, int x, int y)
{
    sliders_frame(s, in);
    ui_input_motion(&ui, x, y);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, true);
    int act = sliders_frame(s, in);
    ui_input_button(&ui, x, y, UI_MOUSE_LEFT, false);
    act |= sliders_frame(s, in);
    ui_input_motion(&ui, 0, 0);
    sliders_frame(s, in);
    return act;
}

static int click_rect(AppSliders *s, const SlidersPanelIn *in, UiRect r)
{
    assert_true(r.w > 0 && r.h > 0);
    return click_at(s, in, r.x + r.w / 2, r.y + r.h / 2);
}

static void test_sliders_buttons(void **state)
{
    (void)state;
    static AppSliders s;
    memset(&s, 0, sizeof s);
    sliders_panel_defaults(&s);
    float z[3] = {1, 2, 3}, near[3] = {-1, 0.5f, 0.25f};
    SlidersPanelIn in = {.loaded = false, .dim = 3, .z = z};
    assert_int_equal(sliders_frame(&s, &in), 0);
    assert_true(ui_fake_has_text("no model loaded"));
    in.loaded = true;
    sliders_frame(&s, &in);
    assert_int_equal(click_rect(&s, &in, s.buttons[SLIDERS_ORIGIN]), SLIDERS_ACT_SET_Z);
    assert_true(s.z[0] == 0 && s.z[1] == 0 && s.z[2] == 0);
    /* Random: N(0, I) from the panel's own stream, seeded as always */
    Rng r;
    rng_seed(&r, 20240501);
    float want[3];
    rng_normal_fill(&r, want, 3);
    assert_int_equal(click_rect(&s, &in, s.buttons[SLIDERS_RANDOM]), SLIDERS_ACT_SET_Z);
    assert_memory_equal(s.z, want, sizeof want);
    rng_normal_fill(&r, want, 3); /* the next press draws the next z */
    assert_int_equal(click_rect(&s, &in, s.buttons[SLIDERS_RANDOM]), SLIDERS_ACT_SET_Z);
    assert_memory_equal(s.z, want, sizeof want);
    /* Nearest: nothing without a nearest point, its mean with one */
    assert_int_equal(click_rect(&s, &in, s.buttons[SLIDERS_NEAREST]), 0);
    assert_memory_equal(s.z, want, sizeof want);
    in.nearest_mu = near;
    assert_int_equal(click_rect(&s, &in, s.buttons[SLIDERS_NEAREST]), SLIDERS_ACT_SET_Z);
    assert_memory_equal(s.z, near, sizeof near);
    assert_true(z[0] == 1 && z[1] == 2 && z[2] == 3); /* the input is not written */
}

static void test_sliders_drag(void **state)
{
    (void)state;
    static AppSliders s;
    memset(&s, 0, sizeof s);
    sliders_panel_defaults(&s);
    float z[3] = {1, 2, 3};
    SlidersPanelIn in = {.loaded = true, .dim = 3, .z = z};
    sliders_frame(&s, &in);
    assert_true(ui_fake_has_text("dim"));
    assert_int_equal(s.sort.w, 0); /* no KL yet: no sort */
    UiRect track = ui_slider_track(&ui, s.rows[1], -4.0f, 4.0f, "%+.2f");
    int act = click_at(&s, &in, track.x + track.w - 1, s.rows[1].y + s.rows[1].h / 2);
    assert_int_equal(act, SLIDERS_ACT_SET_Z);
    assert_true(s.z[0] == 1 && s.z[2] == 3);
    assert_true(s.z[1] > 3.9f && s.z[1] <= 4.0f);
}

static void test_sliders_sort(void **state)
{
    (void)state;
    static AppSliders s;
    memset(&s, 0, sizeof s);
    sliders_panel_defaults(&s);
    float z[3] = {0, 0, 0}, kl[3] = {0.1f, 2.5f, 0.7f};
    SlidersPanelIn in = {.loaded = true, .dim = 3, .z = z, .kl = kl};
    sliders_frame(&s, &in);
    assert_true(ui_fake_has_text("z2  2.50"));
    assert_true(s.rows[0].y < s.rows[1].y && s.rows[1].y < s.rows[2].y);
    assert_int_equal(click_rect(&s, &in, s.sort), SLIDERS_ACT_SORT);
    assert_true(s.sort_by_kl);
    /* decreasing KL: z2, z3, z1 */
    assert_true(s.rows[1].y < s.rows[2].y && s.rows[2].y < s.rows[0].y);
    sliders_panel_sort(&s, false); /* a session's setting */
    sliders_frame(&s, &in);
    assert_true(s.rows[0].y < s.rows[1].y && s.rows[1].y < s.rows[2].y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoder),
        cmocka_unit_test(test_sliders_buttons),
        cmocka_unit_test(test_sliders_drag),
        cmocka_unit_test(test_sliders_sort),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
