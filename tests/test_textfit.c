/* test_textfit: which texts of a frame's command list their clip cuts
 * (app/textfit.h), on lists built by the Ui's own calls with fake text
 * metrics: inside, cut across (its end missing), cut down (a row at a
 * panel's edge), wholly outside (not drawn), and the clip reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/textfit.h"
#include "ui/ui.h"

static int fake_width(void *user, int font, const char *s, int len)
{
    (void)user;
    (void)font;
    (void)s;
    return len * 10;
}
static int fake_height(void *user, int font)
{
    (void)user;
    (void)font;
    return 20;
}

static void test_cuts(void **state)
{
    (void)state;
    Ui ui;
    UiTextMetrics tm = {fake_width, fake_height, NULL};
    assert_true(ui_init(&ui, tm, ui_theme_dark()));
    ui_begin(&ui, 1024, 768, 0);
    ui_draw_text(&ui, UI_FONT_BODY, 10, 10, ui.theme.text, "no clip, on screen");
    ui_clip(&ui, ui_rect(100, 100, 200, 100));
    ui_draw_text(&ui, UI_FONT_BODY, 110, 110, ui.theme.text, "fits");           /* 40 wide */
    ui_draw_text(&ui, UI_FONT_BODY, 110, 130, ui.theme.text, "a line that is far too long"); /* 270 wide */
    ui_draw_text(&ui, UI_FONT_BODY, 110, 190, ui.theme.text, "bottom row");     /* y 190..210 */
    ui_draw_text(&ui, UI_FONT_BODY, 110, 400, ui.theme.text, "scrolled away");  /* not drawn */
    ui_clip_reset(&ui);
    ui_draw_text(&ui, UI_FONT_BODY, 1000, 700, ui.theme.text, "off the right edge");
    TextCut cut[8];
    int across = -1;
    int n = textfit_scan(&ui.list, 1024, 768, cut, 8, &across);
    assert_int_equal(n, 3);
    assert_int_equal(across, 2);
    assert_true(cut[0].across); /* "a line that is far too long" */
    assert_int_equal(cut[0].text.y, 130);
    assert_int_equal(cut[0].clip.w, 200);
    assert_false(cut[1].across); /* "bottom row" */
    assert_int_equal(cut[1].text.y, 190);
    assert_true(cut[2].across); /* the screen's edge, after the reset */
    assert_int_equal(cut[2].clip.w, 1024);
    assert_int_equal(textfit_scan(&ui.list, 1024, 768, NULL, 0, NULL), 3);
    ui_end(&ui);
    ui_free(&ui);
}

/* textfit_elide: whole UTF-8 characters, the ellipsis (3 bytes, 30 px
 * here) counted in the width, and in the buffer when s is longer than it. */
static void test_elide(void **state)
{
    (void)state;
    Ui ui;
    UiTextMetrics tm = {fake_width, fake_height, NULL};
    assert_true(ui_init(&ui, tm, ui_theme_dark()));
    char buf[64], small[6];
    assert_string_equal(textfit_elide(&ui, UI_FONT_BODY, "fits", 40, buf, sizeof buf), "fits");
    assert_string_equal(textfit_elide(&ui, UI_FONT_BODY, "abcdef", 50, buf, sizeof buf),
                        "ab\xe2\x80\xa6");
    /* a, n-tilde (2 bytes), b: never half of the n-tilde */
    /* (at 50 px "a" plus the n-tilde's first byte plus the ellipsis would fit) */
    assert_string_equal(textfit_elide(&ui, UI_FONT_BODY, "a\xc3\xb1" "bcd", 50, buf, sizeof buf),
                        "a\xe2\x80\xa6");
    assert_string_equal(textfit_elide(&ui, UI_FONT_BODY, "a\xc3\xb1" "b", 35, buf, sizeof buf),
                        "\xe2\x80\xa6");
    assert_string_equal(textfit_elide(&ui, UI_FONT_BODY, "abcdefgh", 500, small, sizeof small),
                        "ab\xe2\x80\xa6");
    assert_string_equal(textfit_elide(&ui, UI_FONT_BODY, "", 0, buf, sizeof buf), "");
    ui_free(&ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts),
        cmocka_unit_test(test_elide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
