/* points: the point cloud of the latent map, drawn as round antialiased
 * GL_POINTS sprites with one colour per label. Positions live in a GL
 * buffer uploaded once per layout change; the view (centre, zoom) is a
 * uniform, so panning and zooming cost nothing on the CPU.
 *
 * The cloud is rendered into a cached layer (a framebuffer texture the size
 * of the map) and composited each frame; it is redrawn only when the view,
 * style, size or points change. A software rasteriser (llvmpipe) needs tens
 * of milliseconds for 70,000 sprites, but clicking, dragging a decode,
 * sliders and hovering do not move the view, so those frames stay at 60 fps.
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

typedef struct {
    GfxProgram prog, layer_prog;
    unsigned vao, vbo, empty_vao;
    int n;
    /* the cached layer */
    unsigned fbo, tex;
    int tex_w, tex_h;
    bool valid;
    GfxPointsStyle drawn; /* the style the layer holds */
    uint64_t version, drawn_version; /* bumped by gfx_points_set */
    int redraws;          /* how often the layer was redrawn (for tests, benchmarks) */
} GfxPoints;

int gfx_points_init(GfxPoints *p, const char *shader_dir, Err *e);
void gfx_points_free(GfxPoints *p);
/* Reload both programs (same contract as gfx_program_load: on failure the
 * old ones stay). */
int gfx_points_reload(GfxPoints *p, const char *shader_dir, Err *e);
/* Upload n points: xy (N, 2) latent coordinates and labels (N). */
void gfx_points_set(GfxPoints *p, const float *xy, const uint8_t *labels, int n);
/* Draw into r (drawable pixels, top-left origin) of a fb_h-tall drawable,
 * clipped to r, redrawing the cached layer first if anything changed.
 * Leaves GL blending on and the viewport changed. */
void gfx_points_draw(GfxPoints *p, const GfxPointsStyle *st, UiRect r, int fb_h);

#endif
