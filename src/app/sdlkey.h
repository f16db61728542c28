/* sdlkey: the one place where SDL's key codes and modifiers meet the UI's
 * own (ui/key.h): app.c turns each key event into a UiKey here, and the
 * script player turns a script's UiKey back into the SDL event a keyboard
 * would send, so a script still travels the user's path.
 * Thread rule: none (pure functions). */
#ifndef ZSPACE_APP_SDLKEY_H
#define ZSPACE_APP_SDLKEY_H

#include <SDL.h>

#include "ui/key.h"

/* The UI's key for an SDL key and modifiers; code UI_KEY_NONE for a key
 * the UI has no name for. */
UiKey app_key_from_sdl(SDL_Keycode sym, Uint16 mod);
/* The SDL key and modifiers (left-hand ones) a keyboard sends for k;
 * SDL's unknown key for UI_KEY_NONE. */
void app_key_to_sdl(UiKey k, SDL_Keycode *sym, Uint16 *mod);

#endif
