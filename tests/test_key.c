/* test_key: the UI's keys (ui/key.h) and the one translation from SDL's
 * (app/sdlkey.c), headless. Script key names were SDL's before the UI had
 * its own; every name the UI knows must still mean the key SDL meant. */
#include <SDL.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/sdlkey.h"
#include "ui/key.h"
#include "ui/ui.h"

/* Every code the UI has: the printable characters and the named keys. */
static bool ui_code(int c)
{
    return (c > ' ' && c <= '~' && !(c >= 'A' && c <= 'Z')) || c == UI_KEY_SPACE ||
           (c >= UI_KEY_BACKSPACE && c < UI_KEY_COUNT_);
}

static void test_names_round_trip(void **state)
{
    (void)state;
    int n = 0;
    for (int c = 1; c < UI_KEY_COUNT_; c++) {
        if (!ui_code(c))
            continue;
        char name[32];
        ui_key_name(c, name, sizeof name);
        assert_true(name[0]);
        assert_int_equal(ui_key_from_name(name), c);
        n++;
    }
    assert_int_equal(n, 94 + (UI_KEY_COUNT_ - UI_KEY_BACKSPACE) - 26 + 1);
    char none[8];
    assert_string_equal(ui_key_name(UI_KEY_NONE, none, sizeof none), "");
}

static void test_names_as_scripts_write_them(void **state)
{
    (void)state;
    assert_int_equal(ui_key_from_name("A"), 'a');
    assert_int_equal(ui_key_from_name("d"), 'd');
    assert_int_equal(ui_key_from_name("0"), '0');
    assert_int_equal(ui_key_from_name("="), '=');
    assert_int_equal(ui_key_from_name("home"), UI_KEY_HOME);
    assert_int_equal(ui_key_from_name("ESCAPE"), UI_KEY_ESCAPE);
    assert_int_equal(ui_key_from_name("Keypad Enter"), UI_KEY_KP_ENTER);
    assert_int_equal(ui_key_from_name("plus"), '+');
    assert_int_equal(ui_key_from_name("Minus"), '-');
    assert_int_equal(ui_key_from_name("F13"), UI_KEY_NONE);
    assert_int_equal(ui_key_from_name("Hme"), UI_KEY_NONE);
    assert_int_equal(ui_key_from_name(""), UI_KEY_NONE);
    assert_int_equal(ui_key_from_name("\xe2\x82\xac"), UI_KEY_NONE); /* not a key cap we know */

    UiKey k;
    assert_true(ui_key_parse("Shift+Ctrl+minus", &k));
    assert_int_equal(k.code, '-');
    assert_int_equal(k.mods, UI_MOD_SHIFT | UI_MOD_CTRL);
    assert_true(ui_key_parse("ctrl+shift+alt+F12", &k));
    assert_int_equal(k.code, UI_KEY_F12);
    assert_int_equal(k.mods, UI_MOD_SHIFT | UI_MOD_CTRL | UI_MOD_ALT);
    assert_true(ui_key_parse("Ctrl++", &k)); /* the key after the prefix is "+" */
    assert_int_equal(k.code, '+');
    assert_int_equal(k.mods, UI_MOD_CTRL);
    assert_false(ui_key_parse("Ctrl+", &k)); /* a prefix with no key is no key */
    assert_false(ui_key_parse("Ctrl+Nothing", &k));
    assert_true(ui_key_chorded((UiKey){'o', UI_MOD_CTRL}));
    assert_true(ui_key_chorded((UiKey){'o', UI_MOD_GUI}));
    assert_false(ui_key_chorded((UiKey){'o', UI_MOD_SHIFT}));
}

/* Each UI key's name means, to SDL, the key that translates back to it,
 * and the way back gives SDL's key again. */
static void test_sdl_agrees(void **state)
{
    (void)state;
    for (int c = 1; c < UI_KEY_COUNT_; c++) {
        if (!ui_code(c))
            continue;
        char name[32];
        ui_key_name(c, name, sizeof name);
        SDL_Keycode sym = SDL_GetKeyFromName(name);
        assert_int_not_equal(sym, SDLK_UNKNOWN);
        UiKey k = app_key_from_sdl(sym, KMOD_NONE);
        assert_int_equal(k.code, c);
        assert_int_equal(k.mods, 0);
        SDL_Keycode back;
        Uint16 mod;
        app_key_to_sdl(k, &back, &mod);
        assert_int_equal(back, sym);
        assert_int_equal(mod, 0);
    }
    /* either hand's modifier, and the left one back */
    UiKey k = app_key_from_sdl(SDLK_s, KMOD_RCTRL | KMOD_LSHIFT | KMOD_RGUI);
    assert_int_equal(k.code, 's');
    assert_int_equal(k.mods, UI_MOD_CTRL | UI_MOD_SHIFT | UI_MOD_GUI);
    SDL_Keycode sym;
    Uint16 mod;
    app_key_to_sdl((UiKey){'=', UI_MOD_CTRL | UI_MOD_ALT}, &sym, &mod);
    assert_int_equal(sym, SDLK_EQUALS);
    assert_int_equal(mod, KMOD_LCTRL | KMOD_LALT);
    /* a key the UI has no name for is none, whatever is held */
    assert_int_equal(app_key_from_sdl(SDLK_CAPSLOCK, KMOD_CTRL).code, UI_KEY_NONE);
    app_key_to_sdl((UiKey){UI_KEY_NONE, 0}, &sym, &mod);
    assert_int_equal(sym, SDLK_UNKNOWN);
}

/* A text field edits on the keys that used to be mapped in the Open
 * dialog: Enter on either keyboard part, Ctrl+A / Ctrl+U empty it, a plain
 * letter edits nothing (it arrives as text). */
static void test_text_field_keys(void **state)
{
    (void)state;
    assert_int_equal(ui_text_edit_for_key((UiKey){UI_KEY_ENTER, 0}), UI_EDIT_ENTER);
    assert_int_equal(ui_text_edit_for_key((UiKey){UI_KEY_KP_ENTER, 0}), UI_EDIT_ENTER);
    assert_int_equal(ui_text_edit_for_key((UiKey){UI_KEY_BACKSPACE, 0}), UI_EDIT_BACKSPACE);
    assert_int_equal(ui_text_edit_for_key((UiKey){'a', UI_MOD_CTRL}), UI_EDIT_CLEAR);
    assert_int_equal(ui_text_edit_for_key((UiKey){'u', UI_MOD_CTRL}), UI_EDIT_CLEAR);
    assert_int_equal(ui_text_edit_for_key((UiKey){'a', 0}), UI_EDIT_NONE);
    assert_int_equal(ui_text_edit_for_key((UiKey){UI_KEY_F1, 0}), UI_EDIT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_names_as_scripts_write_them),
        cmocka_unit_test(test_sdl_agrees),
        cmocka_unit_test(test_text_field_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
