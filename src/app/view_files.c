/* view_files: keyboard routing for text fields, and (below) the Open /
 * Save model dialogs.
 *
 * While a text field has focus (ui_wants_keys), app.c sends every key here
 * instead of to the shortcuts, so typing "t" into a path does not toggle
 * the Training panel; SDL text input is on only while a field has focus
 * (on-screen keyboards and IMEs follow it).
 * Thread rule: main thread. */
#include <SDL.h>

#include "app_impl.h"

/* The field's key for an SDL key, or UI_KEY_NONE (letters and such come
 * as SDL_TEXTINPUT). */
static int ui_key(int32_t sym, uint16_t mods)
{
    bool ctrl = (mods & KMOD_CTRL) != 0;
    switch (sym) {
    case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
    case SDLK_DELETE: return UI_KEY_DELETE;
    case SDLK_LEFT: return UI_KEY_LEFT;
    case SDLK_RIGHT: return UI_KEY_RIGHT;
    case SDLK_HOME: return UI_KEY_HOME;
    case SDLK_END: return UI_KEY_END;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return UI_KEY_ENTER;
    case SDLK_ESCAPE: return UI_KEY_ESCAPE;
    case SDLK_TAB: return UI_KEY_TAB;
    case SDLK_UP: return UI_KEY_UP;
    case SDLK_DOWN: return UI_KEY_DOWN;
    case SDLK_a:
    case SDLK_u: return ctrl ? UI_KEY_CLEAR : UI_KEY_NONE;
    default: return UI_KEY_NONE;
    }
}

bool app_field_key(App *a, int32_t key, uint16_t mods)
{
    if (!ui_wants_keys(&a->ui))
        return false;
    ui_input_key(&a->ui, ui_key(key, mods));
    return true; /* the field has the keyboard: no shortcut runs */
}

void app_text_input_sync(App *a)
{
    bool want = ui_wants_keys(&a->ui);
    if (want != (SDL_IsTextInputActive() == SDL_TRUE)) {
        if (want)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
    }
}
