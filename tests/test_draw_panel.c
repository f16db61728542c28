/* test_draw_panel: the explorer's Draw-a-digit panel without a window or a
 * model: painting, the MNIST preparation, the encoding through the input's
 * codec (a fake one here, counting its calls) and the DRAW_ACT_* bits the
 * app applies; driven by synthetic input through the same ui_input_* calls
 * the app uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/view_draw.h"
#include "ui_fake.h"

static int frame_no;
static const UiRect panel = {500, 20, 400, 900};

/* The fake model: mu = (mean ink, encodes so far), logvar = 0, and a
 * reconstruction of mean-ink grey. */
typedef struct {
    int encodes, decodes;
} Codec;

static void fake_encode(void *codec, const float *x, float *mu, float *logvar)
{
    Codec *c = codec;
    double s = 0;
    for (int i = 0; i < VAE_X; i++)
        s += x[i];
    mu[0] = (float)(s / VAE_X);
    mu[1] = (float)++c->encodes;
    logvar[0] = logvar[1] = 0;
}

static void fake_decode(void *codec, const float *mu, float *xhat)
{
    Codec *c = codec;
    c->decodes++;
    for (int i = 0; i < VAE_X; i++)
        xhat[i] = mu[0];
}

static Codec codec;

static DrawPanelIn panel_in(void)
{
    memset(&codec, 0, sizeof codec);
    return (DrawPanelIn){.loaded = true,
                         .z_dim = 2,
                         .weights = 5,
                         .encode = fake_encode,
                         .decode = fake_decode,
                         .codec = &codec};
}

static int frame(AppDraw *d, const DrawPanelIn *in)
{
    ui_begin(&ui, 1000, 1000, frame_no++ * (1.0 / 60));
    int act = draw_panel(&ui, panel, d, in);
    ui_end(&ui);
    return act;
}

/* Press at (x0, y0), move to (x1, y1) while held, release; the bits of
 * those frames. */
static int stroke(AppDraw *d, const DrawPanelIn *in, int x0, int y0, int x1, int y1)
{
    frame(d, in);
    ui_input_motion(&ui, x0, y0);
    ui_input_button(&ui, x0, y0, UI_MOUSE_LEFT, true);
    int act = frame(d, in);
    ui_input_motion(&ui, x1, y1);
    act |= frame(d, in);
    ui_input_button(&ui, x1, y1, UI_MOUSE_LEFT, false);
    act |= frame(d, in);
    ui_input_motion(&ui, 0, 0);
    act |= frame(d, in);
    return act;
}

static int click_rect(AppDraw *d, const DrawPanelIn *in, UiRect r)
{
    int x = r.x + r.w / 2, y = r.y + r.h / 2;
    return stroke(d, in, x, y, x, y);
}

static AppDraw *panel_new(void)
{
    static AppDraw d; /* the canvas is large: off the stack */
    memset(&d, 0, sizeof d);
    draw_panel_defaults(&d);
    return &d;
}

static void test_defaults_and_no_model(void **state)
{
    (void)state;
    AppDraw *d = panel_new();
    assert_true(d->inited && d->empty);
    assert_true(d->brush == 14.0f);
    assert_int_equal(d->img_canvas, -1);
    DrawPanelIn in = panel_in();
    in.loaded = false;
    assert_int_equal(frame(d, &in), 0);
    assert_true(ui_fake_has_text("no model loaded"));
    assert_int_equal(codec.encodes, 0);
}

static void test_stroke_encodes_and_sets_z(void **state)
{
    (void)state;
    AppDraw *d = panel_new();
    DrawPanelIn in = panel_in();
    frame(d, &in);
    assert_true(ui_fake_has_text("draw a digit here"));
    UiRect q = d->canvas_rect;
    assert_true(q.w >= 32 && q.h == q.w);
    int act = stroke(d, &in, q.x + q.w / 2, q.y + q.h / 4, q.x + q.w / 2, q.y + q.h * 3 / 4);
    assert_int_equal(act, DRAW_ACT_ENCODED | DRAW_ACT_SET_Z);
    assert_false(d->empty);
    assert_int_equal(d->strokes, 1);
    /* once for the dot, once for the segment: one encode per change */
    assert_int_equal(codec.encodes, 2);
    assert_int_equal(codec.decodes, 2);
    assert_true(d->mu[0] > 0 && d->mu[1] == 2.0f);
    assert_int_equal(d->enc_z, 2);
    assert_int_equal(d->enc_weights, 5);
    static const uint8_t zero[20];
    assert_memory_not_equal(d->image_sha1, zero, 20);
    assert_true(d->up_canvas && d->up_digit);
    assert_false(ui_fake_has_text("draw a digit here"));
    assert_true(ui_fake_has_text("\xcf\x83 = (1.00, 1.00)")); /* logvar 0 */
    /* frames without a change encode nothing */
    frame(d, &in);
    assert_int_equal(codec.encodes, 2);
    /* new weights: the app refreshes; encoded, but z is not asked for */
    in.weights = 6;
    assert_int_equal(draw_panel_refresh(d, &in), DRAW_ACT_ENCODED);
    assert_int_equal(d->enc_weights, 6);
    assert_int_equal(codec.encodes, 3);
}

static void test_clear(void **state)
{
    (void)state;
    AppDraw *d = panel_new();
    DrawPanelIn in = panel_in();
    frame(d, &in);
    UiRect q = d->canvas_rect;
    stroke(d, &in, q.x + q.w / 3, q.y + q.h / 3, q.x + q.w / 2, q.y + q.h / 2);
    assert_false(d->empty);
    d->map_valid = true; /* as the app placed it */
    int encodes = codec.encodes;
    assert_int_equal(click_rect(d, &in, d->clear_rect), DRAW_ACT_CLEAR);
    assert_true(d->empty);
    assert_false(d->map_valid);
    assert_int_equal(d->strokes, 0);
    assert_int_equal(codec.encodes, encodes); /* nothing to encode */
    assert_true(ui_fake_has_text("draw a digit here"));
    for (int i = 0; i < DRAW_CANVAS * DRAW_CANVAS; i += 97)
        assert_true(d->canvas[i] == 0);
}

static void test_brush(void **state)
{
    (void)state;
    AppDraw *d = panel_new();
    DrawPanelIn in = panel_in();
    frame(d, &in);
    UiRect r = d->brush_rect;
    UiRect track = ui_slider_track(&ui, r, 6.0f, 30.0f, "%.0f");
    int y = r.y + r.h / 2;
    assert_int_equal(stroke(d, &in, track.x + track.w - 1, y, track.x + track.w - 1, y), 0);
    assert_true(d->brush > 29.0f && d->brush <= 30.0f);
    assert_true(d->empty); /* the slider is not the canvas */
}

static void test_keys(void **state)
{
    (void)state;
    AppDraw *d = panel_new();
    DrawPanelIn in = panel_in();
    assert_int_equal(draw_panel_key(d, (UiKey){'d', 0}, false, &in), DRAW_ACT_TOGGLE);
    assert_int_equal(draw_panel_key(d, (UiKey){'d', UI_MOD_CTRL}, false, &in), 0);
    frame(d, &in);
    UiRect q = d->canvas_rect;
    stroke(d, &in, q.x + q.w / 2, q.y + q.h / 2, q.x + q.w / 2 + 10, q.y + q.h / 2);
    assert_false(d->empty);
    /* Backspace is the panel's only while it shows */
    assert_int_equal(draw_panel_key(d, (UiKey){UI_KEY_BACKSPACE, 0}, false, &in), 0);
    assert_false(d->empty);
    assert_int_equal(draw_panel_key(d, (UiKey){UI_KEY_BACKSPACE, 0}, true, &in), DRAW_ACT_CLEAR);
    assert_true(d->empty);
    assert_int_equal(draw_panel_key(d, (UiKey){'x', 0}, true, &in), 0);
}

/* The drawing's marker on the map: a diamond (two passes of four lines)
 * and its tag. */
static void test_marker(void **state)
{
    (void)state;
    ui_begin(&ui, 1000, 1000, frame_no++ * (1.0 / 60));
    draw_panel_marker(&ui, 300, 200);
    ui_end(&ui);
    int lines = 0;
    for (int i = 0; i < ui.list.n; i++)
        lines += ui.list.cmds[i].type == UI_CMD_LINE;
    assert_int_equal(lines, 8);
    assert_true(ui_fake_has_text("drawn"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_no_model),
        cmocka_unit_test(test_stroke_encodes_and_sets_z),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_brush),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_marker),
    };
    return cmocka_run_group_tests(tests, ui_fake_setup, ui_fake_teardown);
}
