/* window: the SDL2 window with an OpenGL 3.3 core context (GL entry points
 * through libepoxy), vsync, and HiDPI bookkeeping: SDL reports the mouse in
 * window points, GL draws in drawable pixels, and `scale` converts.
 * Thread rule: create, use and free on the main thread only. */
#ifndef ZSPACE_GFX_WINDOW_H
#define ZSPACE_GFX_WINDOW_H

#include <SDL.h>
#include <stdbool.h>

#include "core/err.h"

typedef struct {
    SDL_Window *win;
    SDL_GLContext gl;
    int w, h;      /* window size in points (mouse coordinates) */
    int pw, ph;    /* drawable size in pixels (what GL renders) */
    float scale;   /* pw / w: pixels per point */
    bool vsync;    /* the driver accepted a swap interval */
    bool fullscreen;
    char renderer[128]; /* GL_RENDERER, for the status line and reports */
} GfxWindow;

/* Initialise SDL video, open a resizable window of w x h points with a GL
 * 3.3 core context and make it current. On failure nothing is left open. */
int gfx_window_init(GfxWindow *gw, const char *title, int w, int h, Err *e);
/* Re-read the window and drawable sizes (call after a resize event). */
void gfx_window_update_size(GfxWindow *gw);
void gfx_window_set_fullscreen(GfxWindow *gw, bool on);
void gfx_window_swap(GfxWindow *gw);
void gfx_window_free(GfxWindow *gw);

#endif
