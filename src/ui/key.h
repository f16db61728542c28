/* key: the keys and modifiers the explorer acts on, in the UI's own terms.
 * The window layer translates its events into a UiKey once, so panels,
 * shortcuts and the script language never name a windowing library's key
 * codes; the names here are the ones scripts write ("Ctrl+Shift+F1").
 * Thread rule: none (pure functions and constant tables). */
#ifndef ZSPACE_UI_KEY_H
#define ZSPACE_UI_KEY_H

#include <stdbool.h>

/* A key. The printable keys are their character, letters lower case
 * (' ' .. '~' but 'A' .. 'Z'), like the key caps read; the others follow. */
typedef enum {
    UI_KEY_NONE = 0,
    UI_KEY_SPACE = ' ',
    UI_KEY_BACKSPACE = 0x100, UI_KEY_TAB, UI_KEY_ENTER, UI_KEY_ESCAPE, UI_KEY_DELETE,
    UI_KEY_INSERT, UI_KEY_LEFT, UI_KEY_RIGHT, UI_KEY_UP, UI_KEY_DOWN, UI_KEY_HOME, UI_KEY_END,
    UI_KEY_PAGE_UP, UI_KEY_PAGE_DOWN,
    UI_KEY_F1, UI_KEY_F2, UI_KEY_F3, UI_KEY_F4, UI_KEY_F5, UI_KEY_F6, UI_KEY_F7, UI_KEY_F8,
    UI_KEY_F9, UI_KEY_F10, UI_KEY_F11, UI_KEY_F12,
    UI_KEY_KP_0, UI_KEY_KP_1, UI_KEY_KP_2, UI_KEY_KP_3, UI_KEY_KP_4, UI_KEY_KP_5, UI_KEY_KP_6,
    UI_KEY_KP_7, UI_KEY_KP_8, UI_KEY_KP_9,
    UI_KEY_KP_PLUS, UI_KEY_KP_MINUS, UI_KEY_KP_MULTIPLY, UI_KEY_KP_DIVIDE, UI_KEY_KP_PERIOD,
    UI_KEY_KP_ENTER,
    UI_KEY_COUNT_ /* one past the last */
} UiKeyCode;

/* Modifier bits; left and right count the same. */
enum { UI_MOD_SHIFT = 1, UI_MOD_CTRL = 2, UI_MOD_ALT = 4, UI_MOD_GUI = 8 };

/* One key press: the key and the modifiers held with it. */
typedef struct {
    int code;      /* UiKeyCode */
    unsigned mods; /* UI_MOD_* */
} UiKey;

/* Whether any of Ctrl, Alt, GUI is held: the single-letter shortcuts ignore
 * such presses, which belong to the window manager or to other shortcuts. */
bool ui_key_chorded(UiKey k);

/* The key named name, without modifiers: one printable character
 * (case-insensitive), or a key's name ("F1", "Home", "Escape", "Keypad +",
 * any case), or "plus" / "minus" (which a script cannot write after "+").
 * UI_KEY_NONE for an unknown name. */
int ui_key_from_name(const char *name);
/* "Ctrl+Shift+F1" -> *k: modifiers as prefixes (ctrl+, shift+, alt+, any
 * case and order), then a key name. False for an unknown key or a prefix
 * with nothing after it. */
bool ui_key_parse(const char *text, UiKey *k);
/* The name of a key as ui_key_from_name reads it, into buf (cap bytes);
 * "" for no key. Returns buf. */
char *ui_key_name(int code, char *buf, int cap);

#endif
