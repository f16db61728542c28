/* sdlkey: see sdlkey.h. SDL's printable keys are their character (letters
 * lower case), as the UI's are, so only the others need the table. */
#include "sdlkey.h"

static const struct {
    int ui;
    SDL_Keycode sdl;
} keys[] = {
    {UI_KEY_BACKSPACE, SDLK_BACKSPACE}, {UI_KEY_TAB, SDLK_TAB},
    {UI_KEY_ENTER, SDLK_RETURN},        {UI_KEY_ESCAPE, SDLK_ESCAPE},
    {UI_KEY_DELETE, SDLK_DELETE},       {UI_KEY_INSERT, SDLK_INSERT},
    {UI_KEY_LEFT, SDLK_LEFT},           {UI_KEY_RIGHT, SDLK_RIGHT},
    {UI_KEY_UP, SDLK_UP},               {UI_KEY_DOWN, SDLK_DOWN},
    {UI_KEY_HOME, SDLK_HOME},           {UI_KEY_END, SDLK_END},
    {UI_KEY_PAGE_UP, SDLK_PAGEUP},      {UI_KEY_PAGE_DOWN, SDLK_PAGEDOWN},
    {UI_KEY_F1, SDLK_F1},               {UI_KEY_F2, SDLK_F2},
    {UI_KEY_F3, SDLK_F3},               {UI_KEY_F4, SDLK_F4},
    {UI_KEY_F5, SDLK_F5},               {UI_KEY_F6, SDLK_F6},
    {UI_KEY_F7, SDLK_F7},               {UI_KEY_F8, SDLK_F8},
    {UI_KEY_F9, SDLK_F9},               {UI_KEY_F10, SDLK_F10},
    {UI_KEY_F11, SDLK_F11},             {UI_KEY_F12, SDLK_F12},
    {UI_KEY_KP_0, SDLK_KP_0},           {UI_KEY_KP_1, SDLK_KP_1},
    {UI_KEY_KP_2, SDLK_KP_2},           {UI_KEY_KP_3, SDLK_KP_3},
    {UI_KEY_KP_4, SDLK_KP_4},           {UI_KEY_KP_5, SDLK_KP_5},
    {UI_KEY_KP_6, SDLK_KP_6},           {UI_KEY_KP_7, SDLK_KP_7},
    {UI_KEY_KP_8, SDLK_KP_8},           {UI_KEY_KP_9, SDLK_KP_9},
    {UI_KEY_KP_PLUS, SDLK_KP_PLUS},     {UI_KEY_KP_MINUS, SDLK_KP_MINUS},
    {UI_KEY_KP_MULTIPLY, SDLK_KP_MULTIPLY}, {UI_KEY_KP_DIVIDE, SDLK_KP_DIVIDE},
    {UI_KEY_KP_PERIOD, SDLK_KP_PERIOD}, {UI_KEY_KP_ENTER, SDLK_KP_ENTER},
};

static const struct {
    unsigned ui;
    Uint16 sdl;  /* either hand */
    Uint16 left; /* what a script's press sends */
} mods[] = {
    {UI_MOD_SHIFT, KMOD_SHIFT, KMOD_LSHIFT},
    {UI_MOD_CTRL, KMOD_CTRL, KMOD_LCTRL},
    {UI_MOD_ALT, KMOD_ALT, KMOD_LALT},
    {UI_MOD_GUI, KMOD_GUI, KMOD_LGUI},
};

UiKey app_key_from_sdl(SDL_Keycode sym, Uint16 mod)
{
    UiKey k = {UI_KEY_NONE, 0};
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
        if (mod & mods[i].sdl)
            k.mods |= mods[i].ui;
    if (sym >= ' ' && sym <= '~' && !(sym >= 'A' && sym <= 'Z')) {
        k.code = (int)sym;
        return k;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].sdl == sym)
            k.code = keys[i].ui;
    return k;
}

void app_key_to_sdl(UiKey k, SDL_Keycode *sym, Uint16 *mod)
{
    *mod = 0;
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
        if (k.mods & mods[i].ui)
            *mod |= mods[i].left;
    *sym = SDLK_UNKNOWN;
    if (k.code >= ' ' && k.code <= '~' && !(k.code >= 'A' && k.code <= 'Z')) {
        *sym = (SDL_Keycode)k.code;
        return;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].ui == k.code)
            *sym = keys[i].sdl;
}
