/* test_textfield: the text field's editing rules and focus, headless. Keys
 * and text go in through ui_input_key / ui_input_text as the app sends
 * them; the field drains them when it is drawn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/ui.h"

static int fake_width(void *user, int font, const char *s, int len)
{
    (void)user;
    (void)s;
    (void)font;
    return len * 10;
}
static int fake_height(void *user, int font)
{
    (void)user;
    (void)font;
    return 20;
}

static Ui ui;
static int frame_no;
static const UiRect field = {10, 10, 200, 32};

static int setup(void **state)
{
    (void)state;
    UiTextMetrics tm = {fake_width, fake_height, NULL};
    return ui_init(&ui, tm, ui_theme_dark()) ? 0 : -1;
}
static int teardown(void **state)
{
    (void)state;
    ui_free(&ui);
    return 0;
}

/* One frame drawing the field; returns its result bits. */
static int frame(char *buf, int cap)
{
    ui_begin(&ui, 800, 600, frame_no++ / 60.0);
    int r = ui_text_field(&ui, "path", field, buf, cap, "hint");
    ui_end(&ui);
    return r;
}

static void test_edit_keys(void **state)
{
    (void)state;
    char buf[16] = "abc";
    int caret = -1;
    assert_true(ui_text_edit_insert(buf, sizeof buf, &caret, "de"));
    assert_string_equal(buf, "abcde");
    assert_int_equal(caret, 5);
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_HOME);
    assert_int_equal(caret, 0);
    assert_false(ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_BACKSPACE)); /* at 0 */
    assert_true(ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_DELETE));
    assert_string_equal(buf, "bcde");
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_RIGHT);
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_RIGHT);
    assert_true(ui_text_edit_insert(buf, sizeof buf, &caret, "X"));
    assert_string_equal(buf, "bcXde");
    assert_true(ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_BACKSPACE));
    assert_string_equal(buf, "bcde");
    assert_int_equal(caret, 2);
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_END);
    assert_false(ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_DELETE)); /* at end */
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_LEFT);
    assert_int_equal(caret, 3);
    assert_true(ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_CLEAR));
    assert_string_equal(buf, "");
    assert_int_equal(caret, 0);
}

static void test_utf8_and_capacity(void **state)
{
    (void)state;
    char buf[8] = "";
    int caret = 0;
    /* "é" is two bytes: the caret moves over it whole */
    assert_true(ui_text_edit_insert(buf, sizeof buf, &caret, "a\xc3\xa9"));
    assert_int_equal(caret, 3);
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_LEFT);
    assert_int_equal(caret, 1);
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_END);
    ui_text_edit_key(buf, sizeof buf, &caret, UI_EDIT_BACKSPACE);
    assert_string_equal(buf, "a");
    /* control characters are dropped; a full buffer takes whole characters */
    assert_true(ui_text_edit_insert(buf, sizeof buf, &caret, "b\tc\n"));
    assert_string_equal(buf, "abc");
    assert_true(ui_text_edit_insert(buf, sizeof buf, &caret, "dddd\xc3\xa9"));
    assert_string_equal(buf, "abcdddd"); /* 7 bytes + NUL: no half of the é */
    assert_false(ui_text_edit_insert(buf, sizeof buf, &caret, "z"));
    /* a caret inside a character is put back on its start */
    char u[8] = "\xc3\xa9x";
    int c = 1;
    ui_text_edit_key(u, sizeof u, &c, UI_EDIT_RIGHT);
    assert_int_equal(c, 2);
}

static void test_focus_and_queue(void **state)
{
    (void)state;
    char buf[32] = "";
    frame(buf, sizeof buf);
    assert_false(ui_wants_keys(&ui));
    assert_false(ui_input_text(&ui, "lost")); /* nobody has focus */
    /* a click in the field takes the keyboard */
    ui_input_button(&ui, 50, 20, UI_MOUSE_LEFT, true);
    frame(buf, sizeof buf);
    ui_input_button(&ui, 50, 20, UI_MOUSE_LEFT, false);
    frame(buf, sizeof buf);
    assert_true(ui_wants_keys(&ui));
    /* typed text and keys keep their order within one frame; Tab stops the
     * drain so the caller can complete before the rest arrives */
    assert_true(ui_input_text(&ui, "abc"));
    assert_true(ui_input_key(&ui, (UiKey){UI_KEY_BACKSPACE, 0}));
    assert_true(ui_input_key(&ui, (UiKey){UI_KEY_TAB, 0}));
    assert_true(ui_input_text(&ui, "z"));
    int r = frame(buf, sizeof buf);
    assert_int_equal(r, UI_TEXT_CHANGED | UI_TEXT_TAB);
    assert_string_equal(buf, "ab");
    r = frame(buf, sizeof buf);
    assert_int_equal(r, UI_TEXT_CHANGED);
    assert_string_equal(buf, "abz");
    /* a click at x lands the caret on the nearest character boundary:
     * text starts at field.x + pad (pad = 20 / 3 = 6), glyphs 10 px */
    ui_input_button(&ui, 10 + 6 + 12, 20, UI_MOUSE_LEFT, true);
    frame(buf, sizeof buf);
    ui_input_button(&ui, 10 + 6 + 12, 20, UI_MOUSE_LEFT, false);
    assert_int_equal(ui.caret, 1);
    ui_input_text(&ui, "-");
    frame(buf, sizeof buf);
    assert_string_equal(buf, "a-bz");
    /* Enter submits and lets the keyboard go */
    ui_input_key(&ui, (UiKey){UI_KEY_ENTER, 0});
    r = frame(buf, sizeof buf);
    assert_true(r & UI_TEXT_SUBMIT);
    assert_false(ui_wants_keys(&ui));
    /* ui_focus gives it back; Esc cancels */
    ui_focus(&ui, ui_text_field_id(&ui, "path"));
    assert_true(ui_wants_keys(&ui));
    ui_input_key(&ui, (UiKey){UI_KEY_ESCAPE, 0});
    r = frame(buf, sizeof buf);
    assert_true(r & UI_TEXT_CANCEL);
    assert_false(ui_wants_keys(&ui));
    assert_string_equal(buf, "a-bz");
}

static void test_focus_lapses(void **state)
{
    (void)state;
    char buf[32] = "x";
    ui_focus(&ui, ui_text_field_id(&ui, "path"));
    frame(buf, sizeof buf);
    assert_true(ui_wants_keys(&ui));
    /* a click elsewhere drops the focus */
    ui_input_button(&ui, 500, 500, UI_MOUSE_LEFT, true);
    frame(buf, sizeof buf);
    ui_input_button(&ui, 500, 500, UI_MOUSE_LEFT, false);
    assert_false(ui_wants_keys(&ui));
    /* so does a frame without the field (its dialog closed) */
    ui_focus(&ui, ui_text_field_id(&ui, "path"));
    frame(buf, sizeof buf);
    ui_begin(&ui, 800, 600, frame_no++ / 60.0);
    ui_end(&ui);
    assert_false(ui_wants_keys(&ui));
    /* and it does not come back when the field is drawn again */
    frame(buf, sizeof buf);
    assert_false(ui_wants_keys(&ui));
}

static void test_draws_caret_and_hint(void **state)
{
    (void)state;
    char buf[64] = "";
    ui_begin(&ui, 800, 600, frame_no++ / 60.0);
    ui_text_field(&ui, "path", field, buf, sizeof buf, "type a path");
    int hint = 0, lines = 0;
    for (int i = 0; i < ui.list.n; i++) {
        const UiCmd *c = &ui.list.cmds[i];
        hint += c->type == UI_CMD_TEXT && c->len == 11;
        lines += c->type == UI_CMD_LINE;
    }
    ui_end(&ui);
    assert_int_equal(hint, 1);
    assert_int_equal(lines, 0); /* no caret without focus */
    /* focused with text wider than the field: the text scrolls left so the
     * caret at the end stays inside */
    memset(buf, 'w', 40);
    buf[40] = '\0';
    ui_focus(&ui, ui_text_field_id(&ui, "path"));
    ui_begin(&ui, 800, 600, frame_no++ / 60.0);
    ui_text_field(&ui, "path", field, buf, sizeof buf, NULL);
    float caret_x = -1;
    int text_x = 0;
    for (int i = 0; i < ui.list.n; i++) {
        const UiCmd *c = &ui.list.cmds[i];
        if (c->type == UI_CMD_LINE)
            caret_x = c->x0;
        if (c->type == UI_CMD_TEXT)
            text_x = c->rect.x;
    }
    ui_end(&ui);
    assert_true(caret_x > field.x && caret_x <= field.x + field.w);
    assert_true(text_x < field.x); /* scrolled */
    ui_focus(&ui, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_keys),
        cmocka_unit_test(test_utf8_and_capacity),
        cmocka_unit_test(test_focus_and_queue),
        cmocka_unit_test(test_focus_lapses),
        cmocka_unit_test(test_draws_caret_and_hint),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
