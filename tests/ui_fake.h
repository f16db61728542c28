/* ui_fake: the one headless Ui of a panel's widget test (test_walk.c,
 * test_train_panel.c). Text is measured, not drawn: every glyph is
 * 8 + 2 * font pixels wide, every line 16 + 4 * font high, so a layout is
 * the same on every machine. Include it once, after cmocka.h; pass
 * ui_fake_setup / ui_fake_teardown to cmocka_run_group_tests. */
#ifndef ZSPACE_TESTS_UI_FAKE_H
#define ZSPACE_TESTS_UI_FAKE_H

#include "ui/ui.h"

static Ui ui;

static int ui_fake_width(void *user, int font, const char *s, int len)
{
    (void)user;
    (void)s;
    return len * (8 + 2 * font);
}

static int ui_fake_height(void *user, int font)
{
    (void)user;
    return 16 + 4 * font;
}

static int ui_fake_setup(void **state)
{
    (void)state;
    UiTextMetrics tm = {ui_fake_width, ui_fake_height, NULL};
    assert_true(ui_init(&ui, tm, ui_theme_dark()));
    return 0;
}

static int ui_fake_teardown(void **state)
{
    (void)state;
    ui_free(&ui);
    return 0;
}

#endif
