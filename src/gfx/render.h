/* render: draws a UI command list (ui/cmd.h) with four variants of the
 * "ui" shader (glyph, solid, shape, image), batched while the variant and
 * texture stay the same. Shapes (rounded corners, outlines, capsule lines,
 * circles) are signed distance fields evaluated per pixel, so their edges
 * are antialiased at any size; large rounded rects are cut into a solid
 * middle and SDF corners, because a software rasteriser (llvmpipe) pays
 * per pixel for every instruction. Images are 8-bit grayscale textures the renderer owns, upscaled with
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

enum { GFX_UI_GLYPH, GFX_UI_SOLID, GFX_UI_SHAPE, GFX_UI_IMAGE, GFX_UI_PROGRAMS };

typedef struct {
    GfxProgram progs[GFX_UI_PROGRAMS];
    unsigned vao, vbo;
    void *verts;
    int nverts, cap;
    int cur_prog;
    unsigned cur_tex;
    float cur_tex_w, cur_tex_h;
    int fb_w, fb_h;
    GfxFont fonts[UI_FONTS];
    struct {
        unsigned tex;
        int w, h;
    } images[GFX_MAX_IMAGES];
} GfxRenderer;

/* Load the ui programs from shader_dir and create the buffers. */
int gfx_renderer_init(GfxRenderer *r, const char *shader_dir, Err *e);
/* Reload the ui programs; on failure all keep their old versions. */
int gfx_renderer_reload(GfxRenderer *r, const char *shader_dir, Err *e);
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
