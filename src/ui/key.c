/* key: see key.h. The names are the ones SDL gives its keys, which the
 * explorer's scripts have always used, kept here so the script language
 * does not depend on a window library. */
#include "key.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    int code;
    const char *name;
} names[] = {
    {UI_KEY_SPACE, "Space"},          {UI_KEY_BACKSPACE, "Backspace"},
    {UI_KEY_TAB, "Tab"},              {UI_KEY_ENTER, "Return"},
    {UI_KEY_ESCAPE, "Escape"},        {UI_KEY_DELETE, "Delete"},
    {UI_KEY_INSERT, "Insert"},        {UI_KEY_LEFT, "Left"},
    {UI_KEY_RIGHT, "Right"},          {UI_KEY_UP, "Up"},
    {UI_KEY_DOWN, "Down"},            {UI_KEY_HOME, "Home"},
    {UI_KEY_END, "End"},              {UI_KEY_PAGE_UP, "PageUp"},
    {UI_KEY_PAGE_DOWN, "PageDown"},   {UI_KEY_F1, "F1"},
    {UI_KEY_F2, "F2"},                {UI_KEY_F3, "F3"},
    {UI_KEY_F4, "F4"},                {UI_KEY_F5, "F5"},
    {UI_KEY_F6, "F6"},                {UI_KEY_F7, "F7"},
    {UI_KEY_F8, "F8"},                {UI_KEY_F9, "F9"},
    {UI_KEY_F10, "F10"},              {UI_KEY_F11, "F11"},
    {UI_KEY_F12, "F12"},              {UI_KEY_KP_0, "Keypad 0"},
    {UI_KEY_KP_1, "Keypad 1"},        {UI_KEY_KP_2, "Keypad 2"},
    {UI_KEY_KP_3, "Keypad 3"},        {UI_KEY_KP_4, "Keypad 4"},
    {UI_KEY_KP_5, "Keypad 5"},        {UI_KEY_KP_6, "Keypad 6"},
    {UI_KEY_KP_7, "Keypad 7"},        {UI_KEY_KP_8, "Keypad 8"},
    {UI_KEY_KP_9, "Keypad 9"},        {UI_KEY_KP_PLUS, "Keypad +"},
    {UI_KEY_KP_MINUS, "Keypad -"},    {UI_KEY_KP_MULTIPLY, "Keypad *"},
    {UI_KEY_KP_DIVIDE, "Keypad /"},   {UI_KEY_KP_PERIOD, "Keypad ."},
    {UI_KEY_KP_ENTER, "Keypad Enter"},
};

bool ui_key_chorded(UiKey k)
{
    return (k.mods & (UI_MOD_CTRL | UI_MOD_ALT | UI_MOD_GUI)) != 0;
}

int ui_key_from_name(const char *name)
{
    if (name[0] && !name[1]) { /* one character: the key that types it */
        int c = (unsigned char)name[0];
        if (c >= 'A' && c <= 'Z')
            return c - 'A' + 'a';
        return c > ' ' && c <= '~' ? c : UI_KEY_NONE;
    }
    if (!strcasecmp(name, "plus")) /* "Ctrl++" reads badly; "+" alone works too */
        return '+';
    if (!strcasecmp(name, "minus"))
        return '-';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i].name))
            return names[i].code;
    return UI_KEY_NONE;
}

bool ui_key_parse(const char *text, UiKey *k)
{
    static const struct {
        const char *name;
        unsigned mod;
    } prefixes[] = {{"ctrl+", UI_MOD_CTRL}, {"shift+", UI_MOD_SHIFT}, {"alt+", UI_MOD_ALT}};
    k->mods = 0;
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
            size_t n = strlen(prefixes[i].name);
            if (strncasecmp(text, prefixes[i].name, n) == 0 && text[n]) {
                k->mods |= prefixes[i].mod;
                text += n;
                again = true;
            }
        }
    }
    k->code = ui_key_from_name(text);
    return k->code != UI_KEY_NONE;
}

char *ui_key_name(int code, char *buf, int cap)
{
    const char *name = "";
    char one[2] = {0, 0};
    if (code > ' ' && code <= '~' && !(code >= 'A' && code <= 'Z')) {
        one[0] = (char)code;
        name = one;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == code)
            name = names[i].name;
    snprintf(buf, (size_t)cap, "%s", name);
    return buf;
}
