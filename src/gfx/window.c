/* window: see window.h. */
#include "window.h"

#include <epoxy/gl.h>
#include <stdio.h>
#include <string.h>

int gfx_window_init(GfxWindow *gw, const char *title, int w, int h, Err *e)
{
    memset(gw, 0, sizeof *gw);
    /* A HiDPI-aware window: without this hint macOS/Wayland scale us up
     * blurrily; with it the drawable is in real pixels. */
    SDL_SetHint(SDL_HINT_VIDEO_HIGHDPI_DISABLED, "0");
    const char *chosen = SDL_getenv("SDL_VIDEODRIVER");
    int has_display = (SDL_getenv("DISPLAY") && *SDL_getenv("DISPLAY")) ||
                      (SDL_getenv("WAYLAND_DISPLAY") && *SDL_getenv("WAYLAND_DISPLAY"));
    if (!has_display && !(chosen && *chosen))
        return err_set(e, ERR_IO, "no display to open a window on (DISPLAY is not set): "
                                  "run on a desktop, or under xvfb-run");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        return err_set(e, ERR_IO, "cannot start SDL video: %s", SDL_GetError());
    /* With no display SDL quietly falls back to its offscreen or KMS drivers,
     * and the app would run with no visible window. Unless the user chose a
     * driver on purpose (SDL_VIDEODRIVER), only a real desktop will do. */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!(chosen && *chosen) && driver && strcmp(driver, "x11") != 0 &&
        strcmp(driver, "wayland") != 0) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
        return err_set(e, ERR_IO,
                       "no display to open a window on (SDL chose its '%s' driver): set DISPLAY, "
                       "or run under xvfb-run",
                       driver);
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    gw->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                               SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                   SDL_WINDOW_ALLOW_HIGHDPI);
    if (!gw->win) {
        err_set(e, ERR_IO, "cannot open a window: %s", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
        return ERR_IO;
    }
    gw->gl = SDL_GL_CreateContext(gw->win);
    if (!gw->gl) {
        err_set(e, ERR_IO, "no OpenGL 3.3 core context: %s", SDL_GetError());
        SDL_DestroyWindow(gw->win);
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
        gw->win = NULL;
        return ERR_IO;
    }
    SDL_GL_MakeCurrent(gw->win, gw->gl);
    /* Adaptive vsync first (no stutter on a missed frame), then plain. */
    gw->vsync = SDL_GL_SetSwapInterval(-1) == 0 || SDL_GL_SetSwapInterval(1) == 0;
    const char *r = (const char *)glGetString(GL_RENDERER);
    snprintf(gw->renderer, sizeof gw->renderer, "%s", r ? r : "unknown");
    gfx_window_update_size(gw);
    return ERR_OK;
}

void gfx_window_update_size(GfxWindow *gw)
{
    SDL_GetWindowSize(gw->win, &gw->w, &gw->h);
    SDL_GL_GetDrawableSize(gw->win, &gw->pw, &gw->ph);
    gw->scale = gw->w > 0 ? (float)gw->pw / (float)gw->w : 1.0f;
}

void gfx_window_set_fullscreen(GfxWindow *gw, bool on)
{
    if (SDL_SetWindowFullscreen(gw->win, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) == 0)
        gw->fullscreen = on;
    gfx_window_update_size(gw);
}

void gfx_window_swap(GfxWindow *gw)
{
    SDL_GL_SwapWindow(gw->win);
}

void gfx_window_free(GfxWindow *gw)
{
    if (gw->gl)
        SDL_GL_DeleteContext(gw->gl);
    if (gw->win)
        SDL_DestroyWindow(gw->win);
    if (gw->win || gw->gl)
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    memset(gw, 0, sizeof *gw);
}
