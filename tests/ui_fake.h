/* ui_fake: the one headless Ui of a panel's widget test (test_walk.c,
 * test_train_panel.c, test_sample_panel.c, ...). Text is measured, not
 * drawn: every glyph is 8 + 2 * font pixels wide, every line 16 + 4 * font
 * high, so a layout is the same on every machine; ui_fake_has_text finds a
 * text the last frame drew. Include it once, after cmocka.h; pass
 * ui_fake_setup / ui_fake_teardown to cmocka_run_group_tests. */
#ifndef ZSPACE_TESTS_UI_FAKE_H
#define ZSPACE_TESTS_UI_FAKE_H

#include <stdbool.h>
#include <string.h>

#include "ui/ui.h"

static Ui ui;

/* Whether the last frame drew the text s as one command. */
static inline bool ui_fake_has_text(const char *s)
{
    for (int i = 0; i < ui.list.n; i++) {
        const UiCmd *c = &ui.list.cmds[i];
        if (c->type == UI_CMD_TEXT && c->len == strlen(s) &&
            !memcmp(ui_cmd_text(&ui.list, c), s, c->len))
            return true;
    }
    return false;
}

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
