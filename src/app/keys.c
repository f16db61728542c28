/* keys: every keyboard shortcut, and the help overlay's list of them (kept
 * side by side so the help never lies). */
#include <time.h>

#include "app_impl.h"

const UiHelpEntry app_help[] = {
    {"H / F1", "show or hide this help"},
    {"Left click / drag", "decode the point under the mouse"},
    {"Right drag", "pan the map"},
    {"Wheel", "zoom around the mouse"},
    {"Home", "fit the map to the data"},
    {"0", "reset z to the origin"},
    {"F11", "full screen"},
    {"Ctrl + / Ctrl -", "bigger / smaller text"},
    {"Ctrl 0", "default text size"},
    {"C", "high-contrast theme"},
    {"F12", "save a screenshot (PNG)"},
    {"F5", "reload shaders"},
    {"Esc", "close help"},
    {"Ctrl Q", "quit"},
    {"Ctrl O", "open a model file (Tab completes)"},
    {"Ctrl S", "save the model as\xe2\x80\xa6 (even mid-training)"},
    {"T", "training panel, loss curves, KL bars"},
    {"Space", "pause / resume training"},
    {".", "train one batch (while paused)"},
    {"I", "walk panel: paths through classes or A \xe2\x86\x92 B"},
    {"P", "play / pause the walk"},
    {"G", "save the walk as a GIF"},
    {"S", "sampling panel: prior beside posterior grids"},
    {"R", "resample the grids (sampling panel)"},
    {"D", "draw a digit: encoded live, its mu on the map"},
    {"Backspace", "clear the drawing (draw panel)"},
    {"O", "prior rings 1\xcf\x83 2\xcf\x83 3\xcf\x83 (Z = 2 maps only)"},
    {"Tab", "hide / show the side panels (map full width)"},
    {"L", "hide / show the legend"},
    {"B", "hide / show the status bar"},
    {"Ctrl Shift S", "save the session (view, z, panels, settings)"},
};
const int app_help_count = (int)(sizeof app_help / sizeof app_help[0]);

static void set_text_scale(App *a, float s)
{
    a->text_scale = s < 0.6f ? 0.6f : s > 2.5f ? 2.5f : s;
    Err e = {0};
    if (app_fonts(a, &e) != ERR_OK)
        ui_toast(&a->ui, e.msg);
}

static void reload_shaders(App *a)
{
    Err e = {0};
    if (gfx_renderer_reload(&a->gr, a->shader_dir, &e) != ERR_OK ||
        gfx_points_reload(&a->map.pts, a->shader_dir, &e) != ERR_OK)
        ui_toast(&a->ui, e.msg); /* the old programs stay in use */
    else
        ui_toast(&a->ui, "shaders reloaded");
}

bool app_key(App *a, UiKey k)
{
    bool ctrl = (k.mods & UI_MOD_CTRL) != 0;
    if (ctrl) {
        switch (k.code) {
        case '=':
        case '+':
        case UI_KEY_KP_PLUS: set_text_scale(a, a->text_scale * 1.15f); return true;
        case '-':
        case UI_KEY_KP_MINUS: set_text_scale(a, a->text_scale / 1.15f); return true;
        case '0':
        case UI_KEY_KP_0: set_text_scale(a, 1.0f); return true;
        case 'q': a->quit = true; return true;
        default: return false;
        }
    }
    switch (k.code) {
    case 'h':
    case UI_KEY_F1: a->help = !a->help; return true;
    case UI_KEY_ESCAPE: a->help = false; return true;
    case UI_KEY_F11: gfx_window_set_fullscreen(&a->win, !a->win.fullscreen); return true;
    case UI_KEY_F12:
    {
        /* into the current directory, named by the time, like most apps */
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(a->shot_path, sizeof a->shot_path, "zspace-%Y%m%d-%H%M%S.png", &tm);
        a->shot_toast = 1;
        return true;
    }
    case UI_KEY_F5: reload_shaders(a); return true;
    case 'c':
        a->high_contrast = !a->high_contrast;
        a->ui.theme = a->high_contrast ? *ui_theme_high_contrast() : *ui_theme_dark();
        return true;
    case UI_KEY_HOME: map_reset_view(a); return true;
    case '0':
    case UI_KEY_KP_0: {
        float z[VAE_MAX_Z] = {0};
        app_set_z(a, z);
        return true;
    }
    default: return false;
    }
}
