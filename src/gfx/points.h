/* points: the point cloud of the latent map, drawn as round antialiased
 * GL_POINTS sprites with one colour per label. Positions live in a GL
 * buffer uploaded once per layout change; the view (centre, zoom) is a
 * uniform, so panning and zooming cost nothing on the CPU.
 * Thread rule: GL thread only. */
#ifndef ZSPACE_GFX_POINTS_H
#define ZSPACE_GFX_POINTS_H

#include <stdint.h>

#include "core/err.h"
#include "shader.h"
#include "ui/cmd.h"

typedef struct {
    GfxProgram prog;
    unsigned vao, vbo;
    int n;
} GfxPoints;

typedef struct {
    float cx, cy;  /* latent coordinates at the centre of the rect */
    float scale;   /* pixels per latent unit */
    float size;    /* sprite diameter in pixels */
    float alpha;
    int highlight; /* label to emphasise, -1 for none */
    float colors[10][3];
} GfxPointsStyle;

int gfx_points_init(GfxPoints *p, const char *shader_dir, Err *e);
void gfx_points_free(GfxPoints *p);
/* Upload n points: xy (N, 2) latent coordinates and labels (N). */
void gfx_points_set(GfxPoints *p, const float *xy, const uint8_t *labels, int n);
/* Draw into r (drawable pixels, top-left origin) of a fb_h-tall drawable,
 * clipped to r. Leaves GL blending on and the viewport changed. */
void gfx_points_draw(const GfxPoints *p, const GfxPointsStyle *st, UiRect r, int fb_h);

#endif
