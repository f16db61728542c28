/* points: the point cloud of the latent map, drawn as round antialiased
 * GL_POINTS sprites with one colour per label. Positions live in a GL
 * buffer uploaded once per layout change; the view (centre, zoom) is a
 * uniform, so panning and zooming cost nothing on the CPU.
 *
 * The cloud is rendered into a cached layer (a framebuffer texture the size
 * of the map plus half of it on every side) and composited each frame; it is
 * redrawn only when the style, size or points change. A software rasteriser
 * (llvmpipe) needs 50-100 ms for 70,000 sprites, so clicking, dragging a
 * decode, sliders and hovering (which do not move the view) stay at 60 fps
 * on the cached layer, and a moving view (pan, zoom) does not redraw either:
 * while it moves, the layer is composited with the new view's transform
 * (a pan is exact, the margin covers what scrolls in; a zoom is a temporary
 * bilinear resample), and once the view has rested for GFX_POINTS_SETTLE_S
 * the next draw redraws the layer at full quality. gfx_points_pending says
 * such a redraw is still due, so the caller keeps rendering until it lands.
 * On a software GL (llvmpipe, softpipe, swrast) the layer is splatted on the
 * CPU instead (gfx_points_splat: the same sprites as shaders/points.vert and .frag) and
 * uploaded: llvmpipe spends ~0.5 us of setup per point primitive, the CPU
 * splat a few ns per pixel. ZSPACE_POINTS_RENDER=gl or cpu overrides the
 * choice (tests compare the two).
 * Every GfxPoints is independent (two maps side by side: two instances).
 * Thread rule: GL thread only. */
#ifndef ZSPACE_GFX_POINTS_H
#define ZSPACE_GFX_POINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "shader.h"
#include "ui/cmd.h"

typedef struct {
    float cx, cy;  /* latent coordinates at the centre of the rect */
    float scale;   /* pixels per latent unit */
    float size;    /* sprite diameter in pixels */
    float alpha;
    int highlight; /* label to emphasise, -1 for none */
    float colors[10][3];
} GfxPointsStyle;

/* How long the view must rest before the layer is redrawn at full quality,
 * and the layer's margin on each side as a fraction of the rect. Overridable
 * at build time only to measure the old behaviour (both 0: every moved view
 * is redrawn at once into a layer the size of the rect; BENCHMARKS.md). */
#ifndef GFX_POINTS_SETTLE_S
#define GFX_POINTS_SETTLE_S 0.1
#endif
#ifndef GFX_POINTS_MARGIN
#define GFX_POINTS_MARGIN 0.5
#endif

typedef struct {
    GfxProgram prog, layer_prog;
    unsigned vao, vbo, empty_vao;
    int n;
    /* the cached layer */
    unsigned fbo, tex;
    int tex_w, tex_h;
    int margin_x, margin_y; /* layer pixels beyond each side of the rect */
    int max_tex;            /* GL_MAX_TEXTURE_SIZE */
    bool valid;
    GfxPointsStyle drawn; /* the style the layer holds */
    uint64_t version, drawn_version; /* bumped by gfx_points_set */
    /* motion: the view asked for last, and when it last changed (timer_now) */
    float last_cx, last_cy, last_scale;
    double moved_at;
    bool approx;          /* the last composite was transformed: a redraw is due */
    /* the CPU path: copies of the points, the layer's pixels (premultiplied
     * RGBA8, row 0 at the bottom as in GL) and the rows holding ink */
    bool cpu;
    float *cpu_xy;        /* (N, 2), owned */
    uint8_t *cpu_labels;  /* (N), owned */
    uint8_t *pixels;      /* (tex_h, tex_w, 4), owned */
    int ink_lo, ink_hi;   /* rows of pixels that may be non-zero; lo > hi: none */
    int redraws;          /* how often the layer was redrawn (for tests, benchmarks) */
    uint64_t transformed; /* frames composited with a transform instead */
} GfxPoints;

int gfx_points_init(GfxPoints *p, const char *shader_dir, Err *e);
void gfx_points_free(GfxPoints *p);
/* Reload both programs (same contract as gfx_program_load: on failure the
 * old ones stay). */
int gfx_points_reload(GfxPoints *p, const char *shader_dir, Err *e);
/* Upload n points: xy (N, 2) latent coordinates and labels (N). */
void gfx_points_set(GfxPoints *p, const float *xy, const uint8_t *labels, int n);
/* Draw into r (drawable pixels, top-left origin) of a fb_h-tall drawable,
 * clipped to r. Redraws the cached layer first if the points, size or look
 * changed, or if the view (cx, cy, scale) changed and has rested for
 * GFX_POINTS_SETTLE_S; a view still moving is composited from the layer
 * with a transform. Leaves GL blending on and the viewport changed. */
void gfx_points_draw(GfxPoints *p, const GfxPointsStyle *st, UiRect r, int fb_h);
/* Splat n points the way shaders/points.vert and .frag draw them into a w x h viewport
 * at style st (view, size, alpha, highlight, colours): round sprites with a
 * one-pixel antialiased rim, blended in order over rgba (premultiplied
 * RGBA8, w * h * 4 bytes, row 0 at the bottom) with (ONE, ONE_MINUS_SRC_ALPHA).
 * The row range [*lo, *hi] is widened to take in every row written (start
 * with *lo > *hi for none). No GL: usable and tested headless. */
void gfx_points_splat(uint8_t *rgba, int w, int h, const GfxPointsStyle *st, const float *xy,
                      const uint8_t *labels, int n, int *lo, int *hi);
/* True while the shown frame was composited with a transform: a full-quality
 * redraw is due once the view rests, so keep rendering frames. */
bool gfx_points_pending(const GfxPoints *p);

#endif
