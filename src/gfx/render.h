/* render: draws a UI command list (ui/cmd.h) with the "ui" shader program:
 * one vertex buffer per frame, batched while the texture stays the same.
 * Shapes (rounded rects, outlines, capsule lines, circles) are signed
 * distance fields evaluated per pixel, so their edges are antialiased at any
 * size. Images are 8-bit grayscale textures the renderer owns, upscaled with
 * "sharp bilinear" filtering (nearest-looking pixels with a 1-pixel smooth
 * edge, no shimmer at non-integer scales).
 * Thread rule: GL thread only. */
#ifndef ZSPACE_GFX_RENDER_H
#define ZSPACE_GFX_RENDER_H

#include <stdint.h>

#include "core/err.h"
#include "shader.h"
#include "text.h"
#include "ui/cmd.h"
#include "ui/ui.h"

#define GFX_MAX_IMAGES 64

/* Called for UI_CMD_CUSTOM: the app draws `id` into r (drawable pixels, top-
 * left origin) with its own GL objects; the renderer restores its state. */
typedef void (*GfxCustomFn)(void *user, int id, UiRect r);

typedef struct {
    GfxProgram prog;
    unsigned vao, vbo;
    void *verts;
    int nverts, cap;
    unsigned cur_tex;
    float cur_tex_w, cur_tex_h;
    int fb_w, fb_h;
    GfxFont fonts[UI_FONTS];
    struct {
        unsigned tex;
        int w, h;
    } images[GFX_MAX_IMAGES];
} GfxRenderer;

/* Load the ui program from shader_dir and create the buffers. */
int gfx_renderer_init(GfxRenderer *r, const char *shader_dir, Err *e);
void gfx_renderer_free(GfxRenderer *r);
/* (Re)build the four font roles at these pixel sizes from two font files
 * (regular for small/body, bold for title/huge). On failure the old fonts
 * stay. */
int gfx_renderer_fonts(GfxRenderer *r, const char *regular, const char *bold,
                       const int px[UI_FONTS], Err *e);
/* UiTextMetrics backed by the renderer's fonts. */
UiTextMetrics gfx_renderer_metrics(GfxRenderer *r);

/* A w x h grayscale image; returns its id, or -1 when all slots are used. */
int gfx_image_new(GfxRenderer *r, int w, int h);
/* Replace the pixels of image id (w*h bytes, top row first). */
void gfx_image_set(GfxRenderer *r, int id, const uint8_t *gray);

/* Clear to colour bg and draw the list into a fb_w x fb_h drawable. */
void gfx_render(GfxRenderer *r, const UiCmdList *l, UiColor bg, int fb_w, int fb_h,
                GfxCustomFn custom, void *user);

/* Read the drawable (before swap) as RGB, top row first, into rgb
 * (w*h*3 bytes). */
void gfx_read_rgb(int w, int h, uint8_t *rgb);

#endif
