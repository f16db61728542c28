/* points: see points.h. A vertex is 12 bytes: two floats and a label byte
 * (padded), fed to the shader as an integer attribute.
 *
 * The layer is centred on the rect and margin_x/margin_y pixels larger on
 * each side, so at an unchanged view its pixel (i + margin_x, j + margin_y)
 * lands exactly on the rect's pixel (i, j). For another view (c', s') the
 * layer drawn at (c, s) is a quad scaled by k = s'/s and shifted by
 * -(c' - c) s' pixels: a latent point x sits at (x - c) s in the layer and at
 * (x - c') s' = k (x - c) s - (c' - c) s' on screen. */
#include "points.h"

#include <epoxy/gl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/timer.h"

typedef struct {
    float x, y;
    uint8_t label, pad[3];
} PointVert;

int gfx_points_init(GfxPoints *p, const char *shader_dir, Err *e)
{
    memset(p, 0, sizeof *p);
    if (gfx_program_load(&p->prog, shader_dir, "points.vert", "points.frag", NULL, e) != ERR_OK)
        return e ? e->code : ERR_FORMAT;
    if (gfx_program_load(&p->layer_prog, shader_dir, "layer.vert", "layer.frag", NULL, e) !=
        ERR_OK) {
        gfx_program_free(&p->prog);
        return e ? e->code : ERR_FORMAT;
    }
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &p->max_tex);
    const char *r = (const char *)glGetString(GL_RENDERER);
    const char *force = getenv("ZSPACE_POINTS_RENDER");
    p->cpu = r && (strstr(r, "llvmpipe") || strstr(r, "softpipe") || strstr(r, "Software"));
    if (force && !strcmp(force, "gl"))
        p->cpu = false;
    else if (force && !strcmp(force, "cpu"))
        p->cpu = true;
    p->ink_lo = 1;
    p->ink_hi = 0;
    glGenVertexArrays(1, &p->empty_vao);
    glGenFramebuffers(1, &p->fbo);
    glGenVertexArrays(1, &p->vao);
    glGenBuffers(1, &p->vbo);
    glBindVertexArray(p->vao);
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(PointVert), (void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribIPointer(1, 1, GL_UNSIGNED_BYTE, sizeof(PointVert),
                           (void *)offsetof(PointVert, label));
    glBindVertexArray(0);
    return ERR_OK;
}

void gfx_points_free(GfxPoints *p)
{
    if (p->vbo)
        glDeleteBuffers(1, &p->vbo);
    if (p->vao)
        glDeleteVertexArrays(1, &p->vao);
    if (p->empty_vao)
        glDeleteVertexArrays(1, &p->empty_vao);
    if (p->fbo)
        glDeleteFramebuffers(1, &p->fbo);
    if (p->tex)
        glDeleteTextures(1, &p->tex);
    gfx_program_free(&p->prog);
    gfx_program_free(&p->layer_prog);
    free(p->cpu_xy);
    free(p->cpu_labels);
    free(p->pixels);
    memset(p, 0, sizeof *p);
}

void gfx_points_set(GfxPoints *p, const float *xy, const uint8_t *labels, int n)
{
    PointVert *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    if (!v)
        return;
    for (int i = 0; i < n; i++) {
        v[i].x = xy[2 * i];
        v[i].y = xy[2 * i + 1];
        v[i].label = labels[i];
        memset(v[i].pad, 0, sizeof v[i].pad);
    }
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)n * sizeof *v), v, GL_STATIC_DRAW);
    free(v);
    if (p->cpu) {
        size_t m = (size_t)(n > 0 ? n : 1);
        float *cxy = realloc(p->cpu_xy, m * 2 * sizeof *cxy);
        if (cxy)
            p->cpu_xy = cxy;
        uint8_t *cl = realloc(p->cpu_labels, m);
        if (cl)
            p->cpu_labels = cl;
        if (!cxy || !cl) { /* keep going on the GL path */
            p->cpu = false;
        } else {
            memcpy(p->cpu_xy, xy, (size_t)n * 2 * sizeof *xy);
            memcpy(p->cpu_labels, labels, (size_t)n);
        }
    }
    p->n = n;
    p->version++;
}

int gfx_points_reload(GfxPoints *p, const char *shader_dir, Err *e)
{
    GfxProgram a = {0}, b = {0};
    if (gfx_program_load(&a, shader_dir, p->prog.vert, p->prog.frag, NULL, e) != ERR_OK)
        return e ? e->code : ERR_FORMAT;
    if (gfx_program_load(&b, shader_dir, p->layer_prog.vert, p->layer_prog.frag, NULL, e) !=
        ERR_OK) {
        gfx_program_free(&a);
        return e ? e->code : ERR_FORMAT;
    }
    gfx_program_free(&p->prog);
    gfx_program_free(&p->layer_prog);
    p->prog = a;
    p->layer_prog = b;
    p->valid = false;
    return ERR_OK;
}

/* GFX_POINTS_MARGIN of the rect on each side, within the largest texture
 * GL allows. */
static int margin_for(int side, int max_tex)
{
    int m = (int)((double)side * GFX_POINTS_MARGIN);
    if (side + 2 * m > max_tex)
        m = max_tex > side ? (max_tex - side) / 2 : 0;
    return m;
}

/* Make the layer texture fit a w x h rect plus its margins (reallocating
 * only on a size change). */
static void layer_size(GfxPoints *p, int w, int h)
{
    int mx = margin_for(w, p->max_tex), my = margin_for(h, p->max_tex);
    int tw = w + 2 * mx, th = h + 2 * my;
    if (p->tex && p->tex_w == tw && p->tex_h == th)
        return;
    if (!p->tex)
        glGenTextures(1, &p->tex);
    glBindTexture(GL_TEXTURE_2D, p->tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, tw, th, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindFramebuffer(GL_FRAMEBUFFER, p->fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, p->tex, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    p->tex_w = tw;
    p->tex_h = th;
    p->margin_x = mx;
    p->margin_y = my;
    p->valid = false;
    if (p->cpu) {
        free(p->pixels);
        p->pixels = calloc((size_t)tw * (size_t)th, 4);
        p->cpu = p->pixels != NULL;
        p->ink_lo = 0; /* the new texture is undefined: upload every row once */
        p->ink_hi = th - 1;
    }
}

void gfx_points_splat(uint8_t *rgba, int w, int h, const GfxPointsStyle *st, const float *xy,
                      const uint8_t *labels, int n, int *lo, int *hi)
{
    float half = 0.5f * st->size;
    int rlo = *lo, rhi = *hi;
    for (int k = 0; k < n; k++) {
        /* points.vert: window position, pixels from the bottom-left */
        float px = (float)w * 0.5f + (xy[2 * k] - st->cx) * st->scale;
        float py = (float)h * 0.5f + (xy[2 * k + 1] - st->cy) * st->scale;
        /* a point sprite covers the pixels whose centres lie in its square */
        int i0 = (int)ceilf(px - half - 0.5f), i1 = (int)floorf(px + half - 0.5f);
        int j0 = (int)ceilf(py - half - 0.5f), j1 = (int)floorf(py + half - 0.5f);
        i0 = i0 < 0 ? 0 : i0;
        j0 = j0 < 0 ? 0 : j0;
        i1 = i1 >= w ? w - 1 : i1;
        j1 = j1 >= h ? h - 1 : j1;
        if (i0 > i1 || j0 > j1)
            continue;
        int lab = labels[k] > 9 ? 9 : labels[k];
        float base = st->alpha;
        if (st->highlight >= 0 && lab != st->highlight)
            base *= 0.12f;
        const float *c = st->colors[lab];
        for (int j = j0; j <= j1; j++) {
            uint8_t *row = rgba + (size_t)j * (size_t)w * 4;
            float dy = (float)j + 0.5f - py;
            for (int i = i0; i <= i1; i++) {
                float dx = (float)i + 0.5f - px;
                /* points.frag: full inside the disc, a one-pixel ramp at its rim */
                float a = half - sqrtf(dx * dx + dy * dy) + 0.5f;
                if (a <= 0.0f)
                    continue;
                float al = base * (a < 1.0f ? a : 1.0f), keep = 1.0f - al;
                uint8_t *d = row + (size_t)i * 4;
                for (int ch = 0; ch < 3; ch++)
                    d[ch] = (uint8_t)(255.0f * c[ch] * al + (float)d[ch] * keep + 0.5f);
                d[3] = (uint8_t)(255.0f * al + (float)d[3] * keep + 0.5f);
            }
        }
        rlo = j0 < rlo ? j0 : rlo;
        rhi = j1 > rhi ? j1 : rhi;
    }
    *lo = rlo;
    *hi = rhi;
}

/* The CPU path of redraw_layer: clear the rows that held ink, splat, and
 * upload the rows that changed (old ink and new). */
static void splat_layer(GfxPoints *p, const GfxPointsStyle *st)
{
    int w = p->tex_w, h = p->tex_h;
    size_t stride = (size_t)w * 4;
    int old_lo = p->ink_lo, old_hi = p->ink_hi;
    if (old_lo <= old_hi)
        memset(p->pixels + (size_t)old_lo * stride, 0, (size_t)(old_hi - old_lo + 1) * stride);
    int lo = h, hi = -1;
    gfx_points_splat(p->pixels, w, h, st, p->cpu_xy, p->cpu_labels, p->n, &lo, &hi);
    int up_lo = lo < old_lo ? lo : old_lo, up_hi = hi > old_hi ? hi : old_hi;
    if (old_lo > old_hi) { /* nothing held ink before */
        up_lo = lo;
        up_hi = hi;
    }
    if (up_lo <= up_hi) {
        glBindTexture(GL_TEXTURE_2D, p->tex);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, up_lo, w, up_hi - up_lo + 1, GL_RGBA,
                        GL_UNSIGNED_BYTE, p->pixels + (size_t)up_lo * stride);
    }
    p->ink_lo = lo;
    p->ink_hi = hi;
}

/* Render the cloud into the whole layer (premultiplied alpha, cleared to 0). */
static void redraw_layer(GfxPoints *p, const GfxPointsStyle *st)
{
    int w = p->tex_w, h = p->tex_h;
    if (p->cpu) {
        splat_layer(p, st);
        goto done;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, p->fbo);
    glViewport(0, 0, w, h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(p->prog.id);
    glUniform2f(gfx_uniform(&p->prog, "u_center"), st->cx, st->cy);
    glUniform1f(gfx_uniform(&p->prog, "u_scale"), st->scale);
    glUniform2f(gfx_uniform(&p->prog, "u_viewport"), (float)w, (float)h);
    glUniform1f(gfx_uniform(&p->prog, "u_size"), st->size);
    glUniform1f(gfx_uniform(&p->prog, "u_alpha"), st->alpha);
    glUniform1i(gfx_uniform(&p->prog, "u_highlight"), st->highlight);
    glUniform3fv(gfx_uniform(&p->prog, "u_colors"), 10, &st->colors[0][0]);
    glBindVertexArray(p->vao);
    glDrawArrays(GL_POINTS, 0, p->n);
    glBindVertexArray(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
done:
    p->drawn = *st;
    p->drawn_version = p->version;
    p->valid = true;
    p->redraws++;
}

/* Everything but the view: a change here needs a redraw, not a transform. */
static bool same_look(const GfxPointsStyle *a, const GfxPointsStyle *b)
{
    return a->size == b->size && a->alpha == b->alpha && a->highlight == b->highlight &&
           memcmp(a->colors, b->colors, sizeof a->colors) == 0;
}

static bool same_view(const GfxPointsStyle *a, const GfxPointsStyle *b)
{
    return a->cx == b->cx && a->cy == b->cy && a->scale == b->scale;
}

void gfx_points_draw(GfxPoints *p, const GfxPointsStyle *st, UiRect r, int fb_h)
{
    if (p->n == 0 || r.w <= 0 || r.h <= 0)
        return;
    double now = timer_now();
    if (st->cx != p->last_cx || st->cy != p->last_cy || st->scale != p->last_scale) {
        p->last_cx = st->cx;
        p->last_cy = st->cy;
        p->last_scale = st->scale;
        p->moved_at = now;
    }
    layer_size(p, r.w, r.h);
    bool fresh = p->valid && p->drawn_version == p->version && same_look(&p->drawn, st);
    bool resting = now - p->moved_at >= GFX_POINTS_SETTLE_S;
    if (!fresh || (!same_view(&p->drawn, st) && resting))
        redraw_layer(p, st);
    p->approx = !same_view(&p->drawn, st);
    if (p->approx)
        p->transformed++;
    /* the layer's quad in the rect's NDC (see the file comment) */
    float k = st->scale / p->drawn.scale;
    float hx = k * (float)p->tex_w / (float)r.w, hy = k * (float)p->tex_h / (float)r.h;
    float ox = -2.0f * (st->cx - p->drawn.cx) * st->scale / (float)r.w;
    float oy = -2.0f * (st->cy - p->drawn.cy) * st->scale / (float)r.h;
    int gy = fb_h - r.y - r.h;
    glViewport(r.x, gy, r.w, r.h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(r.x, gy, r.w, r.h);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(p->layer_prog.id);
    glUniform1i(gfx_uniform(&p->layer_prog, "u_tex"), 0);
    glUniform2f(gfx_uniform(&p->layer_prog, "u_offset"), ox, oy);
    glUniform2f(gfx_uniform(&p->layer_prog, "u_half"), hx, hy);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, p->tex);
    /* exact: texel for pixel; transformed: a bilinear resample until the redraw */
    GLint filter = p->approx ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glBindVertexArray(p->empty_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

bool gfx_points_pending(const GfxPoints *p)
{
    return p->n > 0 && p->approx;
}
