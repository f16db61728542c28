/* test_ui: widget logic without a window. Synthetic input goes in through
 * the same ui_input_* calls the app uses; assertions read the command list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/ui.h"

/* Fixed metrics: body glyphs 10 px wide, body lines 20 px tall; larger
 * font roles are wider and taller. */
static int fake_width(void *user, int font, const char *s, int len)
{
    (void)user;
    (void)s;
    return len * (8 + 2 * font);
}
static int fake_height(void *user, int font)
{
    (void)user;
    return 16 + 4 * font;
}

static Ui *new_ui(void)
{
    static Ui ui;
    UiTextMetrics tm = {fake_width, fake_height, NULL};
    assert_true(ui_init(&ui, tm, ui_theme_dark()));
    return &ui;
}

static int frame_no;
static void begin(Ui *ui)
{
    ui_begin(ui, 800, 600, frame_no++ * (1.0 / 60));
}

/* Index of the first TEXT command whose text equals s, or -1. */
static int find_text(const Ui *ui, const char *s)
{
    for (int i = 0; i < ui->list.n; i++) {
        const UiCmd *c = &ui->list.cmds[i];
        if (c->type == UI_CMD_TEXT && c->len == strlen(s) &&
            !memcmp(ui_cmd_text(&ui->list, c), s, c->len))
            return i;
    }
    return -1;
}

static int count_type(const Ui *ui, UiCmdType t)
{
    int n = 0;
    for (int i = 0; i < ui->list.n; i++)
        n += ui->list.cmds[i].type == t;
    return n;
}

static void test_button_click(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect r = ui_rect(10, 10, 100, 30);
    ui_input_motion(ui, 50, 20);
    begin(ui);
    assert_false(ui_button_at(ui, r, "OK"));
    ui_end(ui);
    ui_input_button(ui, 50, 20, UI_MOUSE_LEFT, true);
    begin(ui);
    assert_false(ui_button_at(ui, r, "OK")); /* a press alone is not a click */
    assert_true(find_text(ui, "OK") >= 0);
    ui_end(ui);
    ui_input_button(ui, 50, 20, UI_MOUSE_LEFT, false);
    begin(ui);
    assert_true(ui_button_at(ui, r, "OK"));
    ui_end(ui);
    begin(ui);
    assert_false(ui_button_at(ui, r, "OK")); /* once only */
    ui_end(ui);
    ui_free(ui);
}

/* A motion after a press in the same frame (a late pointer event) does not
 * move the click: the frame sees the press position, the next frame the
 * new one. */
static void test_motion_after_press_waits(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect r = ui_rect(10, 10, 100, 30);
    ui_input_motion(ui, 50, 20);
    ui_input_button(ui, 50, 20, UI_MOUSE_LEFT, true);
    ui_input_motion(ui, 500, 400);
    begin(ui);
    assert_int_equal(ui->in.mouse_x, 50);
    assert_int_equal(ui->in.mouse_y, 20);
    assert_false(ui_button_at(ui, r, "OK"));
    ui_end(ui);
    assert_int_equal(ui->in.mouse_x, 500);
    assert_int_equal(ui->in.mouse_y, 400);
    /* a release then a motion in one frame: the release is where it happened */
    ui_input_button(ui, 60, 25, UI_MOUSE_LEFT, false);
    ui_input_motion(ui, 700, 500);
    begin(ui);
    assert_true(ui_button_at(ui, r, "OK"));
    ui_end(ui);
    assert_int_equal(ui->in.mouse_x, 700);
    ui_free(ui);
}

static void test_button_release_outside_cancels(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect r = ui_rect(10, 10, 100, 30);
    ui_input_button(ui, 50, 20, UI_MOUSE_LEFT, true);
    begin(ui);
    ui_button_at(ui, r, "Go");
    ui_end(ui);
    ui_input_button(ui, 500, 500, UI_MOUSE_LEFT, false);
    begin(ui);
    assert_false(ui_button_at(ui, r, "Go"));
    ui_end(ui);
    ui_free(ui);
}

static void test_button_click_within_one_frame(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect r = ui_rect(10, 10, 100, 30);
    ui_input_button(ui, 50, 20, UI_MOUSE_LEFT, true);
    ui_input_button(ui, 50, 20, UI_MOUSE_LEFT, false);
    begin(ui);
    assert_true(ui_button_at(ui, r, "Fast"));
    ui_end(ui);
    assert_int_equal(ui->active, 0);
    ui_free(ui);
}

static void test_slider_drag_and_clamp(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect r = ui_rect(0, 0, 400, 30);
    float v = 0.0f;
    /* track: label column 30% (120) + pad, value column on the right */
    begin(ui);
    assert_false(ui_slider_at(ui, r, "z1", &v, -4, 4, NULL));
    assert_true(find_text(ui, "0.00") >= 0);
    ui_end(ui);
    ui_input_button(ui, 390 - 60, 15, UI_MOUSE_LEFT, true); /* right part of the track */
    begin(ui);
    assert_true(ui_slider_at(ui, r, "z1", &v, -4, 4, NULL));
    assert_true(v > 1.0f);
    ui_end(ui);
    /* keep dragging far right and well below the row: still tracks, clamps */
    ui_input_motion(ui, 2000, 300);
    begin(ui);
    assert_true(ui_slider_at(ui, r, "z1", &v, -4, 4, NULL));
    assert_true(v == 4.0f);
    ui_end(ui);
    ui_input_motion(ui, -50, 300);
    begin(ui);
    ui_slider_at(ui, r, "z1", &v, -4, 4, "%.1f");
    assert_true(v == -4.0f);
    assert_true(find_text(ui, "-4.0") >= 0);
    ui_end(ui);
    ui_input_button(ui, -50, 300, UI_MOUSE_LEFT, false);
    begin(ui);
    ui_slider_at(ui, r, "z1", &v, -4, 4, NULL);
    ui_end(ui);
    ui_input_motion(ui, 300, 15); /* released: moving no longer edits */
    begin(ui);
    assert_false(ui_slider_at(ui, r, "z1", &v, -4, 4, NULL));
    ui_end(ui);
    assert_true(v == -4.0f);
    /* a value out of range that nobody touches is shown, not changed */
    v = -22.5f;
    begin(ui);
    assert_false(ui_slider_at(ui, r, "z1", &v, -4, 4, "%.1f"));
    assert_true(v == -22.5f);
    assert_true(find_text(ui, "-22.5") >= 0);
    ui_end(ui);
    ui_free(ui);
}

static void test_two_sliders_are_independent(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    float a = 0, b = 0;
    ui_input_button(ui, 300, 45, UI_MOUSE_LEFT, true);
    begin(ui);
    bool ca = ui_slider_at(ui, ui_rect(0, 0, 400, 30), "a", &a, -1, 1, NULL);
    bool cb = ui_slider_at(ui, ui_rect(0, 30, 400, 30), "b", &b, -1, 1, NULL);
    ui_end(ui);
    assert_false(ca);
    assert_true(cb);
    assert_true(a == 0 && b > 0);
    ui_free(ui);
}

static void test_checkbox_toggles(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    bool on = false;
    UiRect r = ui_rect(0, 0, 200, 24);
    for (int k = 0; k < 2; k++) {
        ui_input_button(ui, 5, 10, UI_MOUSE_LEFT, true);
        begin(ui);
        assert_false(ui_checkbox_at(ui, r, "prior rings", &on));
        ui_end(ui);
        ui_input_button(ui, 5, 10, UI_MOUSE_LEFT, false);
        begin(ui);
        assert_true(ui_checkbox_at(ui, r, "prior rings", &on));
        ui_end(ui);
        assert_int_equal(on, k == 0);
    }
    ui_free(ui);
}

/* A panel with 30 rows in a box that shows a few: the wheel scrolls, rows
 * move up, the panel clips, a scroll bar appears. */
static void test_panel_scrolls(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect box = ui_rect(100, 100, 300, 200);
    int first_y[2];
    for (int f = 0; f < 3; f++) {
        if (f == 2) {
            ui_input_motion(ui, 200, 200);
            ui_input_scroll(ui, -2.0f); /* two notches down */
        }
        begin(ui);
        ui_panel_begin(ui, "Latent", box, true);
        UiRect r0 = ui_row(ui, 0);
        for (int i = 1; i < 30; i++)
            ui_row(ui, 0);
        ui_panel_end(ui);
        if (f >= 1)
            first_y[f - 1] = r0.y;
        if (f == 2) {
            assert_true(count_type(ui, UI_CMD_CLIP) >= 2);
            /* the bar: a thumb rect along the right edge */
            const UiCmd *last = &ui->list.cmds[ui->list.n - 1];
            assert_int_equal(last->type, UI_CMD_RECT);
            assert_true(last->rect.x > box.x + box.w - 30);
            assert_true(last->rect.h < box.h);
        }
        ui_end(ui);
    }
    assert_true(first_y[1] < first_y[0]);
    assert_int_equal(ui->in.scroll, 0); /* consumed */
    ui_free(ui);
}

static void test_panel_scroll_clamps(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    UiRect box = ui_rect(0, 0, 300, 200);
    for (int f = 0; f < 4; f++) {
        ui_input_motion(ui, 100, 100);
        ui_input_scroll(ui, f < 3 ? -100.0f : 0.0f);
        begin(ui);
        ui_panel_begin(ui, "P", box, true);
        for (int i = 0; i < 12; i++)
            ui_row(ui, 0);
        ui_panel_end(ui);
        ui_end(ui);
    }
    UiPanelState *st = NULL;
    for (int i = 0; i < UI_MAX_PANELS; i++)
        if (ui->panels[i].used)
            st = &ui->panels[i];
    assert_non_null(st);
    assert_true(st->scroll > 0);
    assert_true(st->scroll <= st->content_h - 100); /* never past the end */
    ui_free(ui);
}

static void test_tooltip_drawn_last_and_on_screen(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    ui_input_motion(ui, 790, 590);
    begin(ui);
    ui_draw_rect(ui, ui_rect(0, 0, 800, 600), ui->theme.bg, 0);
    ui_tooltip(ui, "label 7\nindex 1234", 3);
    ui_end(ui);
    int i = find_text(ui, "index 1234");
    assert_true(i > 0);
    int img = -1;
    for (int k = 0; k < ui->list.n; k++)
        if (ui->list.cmds[k].type == UI_CMD_IMAGE)
            img = k;
    assert_true(img > 0);
    assert_int_equal(ui->list.cmds[img].image, 3);
    for (int k = 1; k < ui->list.n; k++) {
        UiRect r = ui->list.cmds[k].rect;
        if (ui->list.cmds[k].type == UI_CMD_CLIP)
            continue;
        assert_true(r.x >= 0 && r.y >= 0 && r.x + r.w <= 800 && r.y + r.h <= 600);
    }
    ui_free(ui);
}

static void test_toast_expires(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    ui_begin(ui, 800, 600, 10.0);
    ui_toast(ui, "saved /tmp/shot.png");
    ui_end(ui);
    assert_true(find_text(ui, "saved /tmp/shot.png") >= 0);
    assert_true(ui_toasts_active(ui));
    ui_begin(ui, 800, 600, 10.0 + UI_TOAST_SECONDS + 0.1);
    ui_end(ui);
    assert_int_equal(find_text(ui, "saved /tmp/shot.png"), -1);
    assert_false(ui_toasts_active(ui));
    ui_free(ui);
}

static void test_help_overlay(void **state)
{
    (void)state;
    static const UiHelpEntry keys[] = {{"F1", "this help"}, {"Home", "reset the view"}};
    Ui *ui = new_ui();
    begin(ui);
    ui_end(ui);
    assert_int_equal(find_text(ui, "reset the view"), -1);
    begin(ui);
    ui_help(ui, "Keys", keys, 2);
    ui_end(ui);
    assert_true(find_text(ui, "Keys") >= 0);
    assert_true(find_text(ui, "reset the view") >= 0);
    /* a backdrop covering the whole screen dims what is behind */
    bool backdrop = false;
    for (int k = 0; k < ui->list.n; k++) {
        const UiCmd *c = &ui->list.cmds[k];
        if (c->type == UI_CMD_RECT && c->rect.w == 800 && c->rect.h == 600 && c->color.a < 255)
            backdrop = true;
    }
    assert_true(backdrop);
    ui_free(ui);
}

/* Every panel adds help lines: 40 of them still fit an 800x600 screen
 * (columns, then smaller text), every line drawn inside it. */
static void test_help_overlay_fits(void **state)
{
    (void)state;
    static UiHelpEntry many[40];
    static char what[40][48];
    for (int i = 0; i < 40; i++) {
        snprintf(what[i], sizeof what[i], "does thing number %02d of the many", i);
        many[i].key = "Ctrl K";
        many[i].what = what[i];
    }
    Ui *ui = new_ui();
    begin(ui);
    ui_help(ui, "Keys", many, 40);
    ui_end(ui);
    for (int i = 0; i < 40; i++) {
        int k = find_text(ui, what[i]);
        assert_true(k >= 0);
        const UiCmd *c = &ui->list.cmds[k];
        assert_true(c->rect.x >= 0 && c->rect.y >= 0);
        assert_true(c->rect.y + c->rect.h <= 600);
        assert_true(c->rect.x + c->rect.w <= 800);
    }
    ui_free(ui);
}

static void test_text_wraps(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    begin(ui);
    /* 10 px per glyph, 100 px wide: at most 10 glyphs per line */
    int h = ui_draw_text_wrapped(ui, UI_FONT_BODY, ui_rect(0, 0, 100, 300), ui->theme.text,
                                 "one two three four\nfive");
    ui_end(ui);
    assert_int_equal(h, 3 * 20);
    assert_true(find_text(ui, "one two") >= 0);
    assert_true(find_text(ui, "three four") >= 0);
    assert_true(find_text(ui, "five") >= 0);
    ui_free(ui);
}

static void test_cmdlist_overflow_is_flagged(void **state)
{
    (void)state;
    UiCmdList l;
    assert_true(ui_cmdlist_init(&l, 2, 4));
    assert_non_null(ui_cmdlist_push(&l, UI_CMD_RECT));
    UiCmd *c = ui_cmdlist_push(&l, UI_CMD_TEXT);
    assert_false(ui_cmdlist_text(&l, c, "hello", 5));
    assert_null(ui_cmdlist_push(&l, UI_CMD_RECT));
    assert_true(l.overflow);
    ui_cmdlist_clear(&l);
    assert_false(l.overflow);
    ui_cmdlist_free(&l);
}

static void test_hidden_active_widget_releases(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    float v = 0;
    ui_input_button(ui, 300, 15, UI_MOUSE_LEFT, true);
    begin(ui);
    ui_slider_at(ui, ui_rect(0, 0, 400, 30), "z", &v, -1, 1, NULL);
    ui_end(ui);
    assert_true(ui->active != 0);
    begin(ui); /* the panel holding the slider is hidden */
    ui_end(ui);
    assert_int_equal(ui->active, 0);
    ui_free(ui);
}

/* One frame of a window with a control beneath and, when modal, a dialog
 * whose button sits over the same spot: what each layer got. */
typedef struct {
    int beneath;   /* ui_control bits of the control beneath */
    bool ok;       /* the dialog's button clicked */
    float scroll;  /* the wheel as the layer beneath saw it */
    float dscroll; /* ... and as the dialog saw it */
} ModalFrame;

static ModalFrame modal_frame(Ui *ui, bool modal)
{
    ModalFrame f = {0};
    begin(ui);
    if (modal)
        ui_modal_up(ui);
    f.beneath = ui_control(ui, ui_id_str(ui, "beneath"), ui_rect(0, 0, 400, 300), UI_MOUSE_LEFT);
    f.scroll = ui_mouse(ui)->scroll;
    if (modal) {
        ui_modal_begin(ui);
        f.ok = ui_button_at(ui, ui_rect(100, 100, 80, 30), "Open");
        f.dscroll = ui_mouse(ui)->scroll;
        ui_modal_end(ui);
    }
    ui_end(ui);
    return f;
}

/* A modal dialog takes the mouse the microui way: the layer beneath gets
 * no hover, no click and no wheel while it is up, a click inside the
 * dialog reaches its button, and with the dialog gone the layer beneath
 * answers again. The window's input itself is never rewritten. */
static void test_modal_blocks_the_layer_beneath(void **state)
{
    (void)state;
    Ui *ui = new_ui();
    ui_input_motion(ui, 140, 115);
    ModalFrame f = modal_frame(ui, true);
    assert_int_equal(f.beneath, 0); /* the mouse is over it, yet no hover */
    ui_input_button(ui, 140, 115, UI_MOUSE_LEFT, true);
    f = modal_frame(ui, true);
    assert_int_equal(f.beneath, 0);
    assert_false(f.ok);
    assert_int_equal(ui->in.mouse_x, 140); /* the window's input is as it came */
    ui_input_button(ui, 140, 115, UI_MOUSE_LEFT, false);
    f = modal_frame(ui, true);
    assert_int_equal(f.beneath, 0);
    assert_true(f.ok);
    /* a click beside the dialog's button, still under the modal: nobody's */
    ui_input_button(ui, 20, 20, UI_MOUSE_LEFT, true);
    ui_input_button(ui, 20, 20, UI_MOUSE_LEFT, false);
    f = modal_frame(ui, true);
    assert_int_equal(f.beneath, 0);
    assert_false(f.ok);
    ui_input_scroll(ui, 2);
    f = modal_frame(ui, true);
    assert_true(f.scroll == 0 && f.dscroll == 2);
    /* the dialog closed: the same click reaches the control beneath */
    ui_input_button(ui, 20, 20, UI_MOUSE_LEFT, true);
    ui_input_button(ui, 20, 20, UI_MOUSE_LEFT, false);
    ui_input_scroll(ui, 1);
    f = modal_frame(ui, false);
    assert_true(f.beneath & UI_HOVER);
    assert_true(f.beneath & UI_PRESS);
    assert_true(f.beneath & UI_RELEASE);
    assert_true(f.scroll == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_button_click),
        cmocka_unit_test(test_button_release_outside_cancels),
        cmocka_unit_test(test_button_click_within_one_frame),
        cmocka_unit_test(test_slider_drag_and_clamp),
        cmocka_unit_test(test_two_sliders_are_independent),
        cmocka_unit_test(test_checkbox_toggles),
        cmocka_unit_test(test_panel_scrolls),
        cmocka_unit_test(test_panel_scroll_clamps),
        cmocka_unit_test(test_tooltip_drawn_last_and_on_screen),
        cmocka_unit_test(test_toast_expires),
        cmocka_unit_test(test_help_overlay),
        cmocka_unit_test(test_help_overlay_fits),
        cmocka_unit_test(test_text_wraps),
        cmocka_unit_test(test_cmdlist_overflow_is_flagged),
        cmocka_unit_test(test_hidden_active_widget_releases),
        cmocka_unit_test(test_motion_after_press_waits),
        cmocka_unit_test(test_modal_blocks_the_layer_beneath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
