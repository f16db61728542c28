/* render: see render.h. Program variants are shaders/ui.frag's MODE values;
 * within the shape variant the vertex mode picks 2 rounded rect/outline/line
 * or 3 circle/ring, with (u, v) the pixel's offset from the shape's centre
 * and s = (half_w, half_h, radius, ring width). */
#include "render.h"

#include "texture.h"

#include <epoxy/gl.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    float x, y, u, v;
    uint8_t c[4];
    float mode;
    float s[4];
} Vert;

enum { M_RRECT = 2, M_CIRCLE = 3 };

static const char *const variant_defines[GFX_UI_PROGRAMS] = {
    "#define MODE 0\n", "#define MODE 1\n", "#define MODE 2\n", "#define MODE 3\n"};

int gfx_renderer_init(GfxRenderer *r, const char *shader_dir, Err *e)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < GFX_UI_PROGRAMS; i++)
        if (gfx_program_load(&r->progs[i], shader_dir, "ui.vert", "ui.frag", variant_defines[i],
                             e) != ERR_OK) {
            while (i-- > 0)
                gfx_program_free(&r->progs[i]);
            return e ? e->code : ERR_FORMAT;
        }
    r->cap = 1 << 16;
    r->verts = malloc((size_t)r->cap * sizeof(Vert));
    if (!r->verts) {
        for (int i = 0; i < GFX_UI_PROGRAMS; i++)
            gfx_program_free(&r->progs[i]);
        return err_set(e, ERR_NOMEM, "renderer: out of memory");
    }
    glGenVertexArrays(1, &r->vao);
    glGenBuffers(1, &r->vbo);
    glBindVertexArray(r->vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vert), (void *)offsetof(Vert, x));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(Vert), (void *)offsetof(Vert, u));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(Vert), (void *)offsetof(Vert, c));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 1, GL_FLOAT, GL_FALSE, sizeof(Vert), (void *)offsetof(Vert, mode));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_FLOAT, GL_FALSE, sizeof(Vert), (void *)offsetof(Vert, s));
    glBindVertexArray(0);
    return ERR_OK;
}

void gfx_renderer_free(GfxRenderer *r)
{
    for (int i = 0; i < UI_FONTS; i++)
        gfx_font_free(&r->fonts[i]);
    for (int i = 0; i < GFX_MAX_IMAGES; i++)
        if (r->images[i].tex)
            glDeleteTextures(1, &r->images[i].tex);
    if (r->vbo)
        glDeleteBuffers(1, &r->vbo);
    if (r->vao)
        glDeleteVertexArrays(1, &r->vao);
    for (int i = 0; i < GFX_UI_PROGRAMS; i++)
        gfx_program_free(&r->progs[i]);
    free(r->verts);
    memset(r, 0, sizeof *r);
}

int gfx_renderer_reload(GfxRenderer *r, const char *shader_dir, Err *e)
{
    /* Build all variants first so a failure leaves every old one in use. */
    GfxProgram next[GFX_UI_PROGRAMS];
    memset(next, 0, sizeof next);
    for (int i = 0; i < GFX_UI_PROGRAMS; i++)
        if (gfx_program_load(&next[i], shader_dir, "ui.vert", "ui.frag", variant_defines[i], e) !=
            ERR_OK) {
            while (i-- > 0)
                gfx_program_free(&next[i]);
            return e ? e->code : ERR_FORMAT;
        }
    for (int i = 0; i < GFX_UI_PROGRAMS; i++) {
        gfx_program_free(&r->progs[i]);
        r->progs[i] = next[i];
    }
    return ERR_OK;
}

int gfx_renderer_fonts(GfxRenderer *r, const char *regular, const char *bold,
                       const int px[UI_FONTS], Err *e)
{
    GfxFont next[UI_FONTS];
    for (int i = 0; i < UI_FONTS; i++) {
        const char *path = i >= UI_FONT_TITLE ? bold : regular;
        if (gfx_font_init(&next[i], path, px[i], e) != ERR_OK) {
            while (i-- > 0)
                gfx_font_free(&next[i]);
            return e ? e->code : ERR_IO;
        }
    }
    for (int i = 0; i < UI_FONTS; i++) {
        gfx_font_free(&r->fonts[i]);
        r->fonts[i] = next[i];
    }
    return ERR_OK;
}

static int metric_width(void *user, int font, const char *s, int len)
{
    const GfxRenderer *r = user;
    return gfx_font_width(&r->fonts[font], s, len);
}

static int metric_height(void *user, int font)
{
    const GfxRenderer *r = user;
    return r->fonts[font].height;
}

UiTextMetrics gfx_renderer_metrics(GfxRenderer *r)
{
    UiTextMetrics tm = {metric_width, metric_height, r};
    return tm;
}

int gfx_image_new(GfxRenderer *r, int w, int h)
{
    for (int i = 0; i < GFX_MAX_IMAGES; i++) {
        if (r->images[i].tex)
            continue;
        /* Bilinear: the shader places samples so that filtering only blends
         * across the one screen pixel at each texel edge. */
        r->images[i].tex = gfx_texture_r8(w, h, NULL);
        r->images[i].w = w;
        r->images[i].h = h;
        return i;
    }
    return -1;
}

void gfx_image_set(GfxRenderer *r, int id, const uint8_t *gray)
{
    if (id < 0 || id >= GFX_MAX_IMAGES || !r->images[id].tex)
        return;
    glBindTexture(GL_TEXTURE_2D, r->images[id].tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, r->images[id].w, r->images[id].h, GL_RED,
                    GL_UNSIGNED_BYTE, gray);
}

static void flush(GfxRenderer *r)
{
    if (!r->nverts)
        return;
    if (r->cur_prog == GFX_UI_IMAGE)
        glUniform2f(gfx_uniform(&r->progs[GFX_UI_IMAGE], "u_tex_size"), r->cur_tex_w,
                    r->cur_tex_h);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)r->nverts * sizeof(Vert)), r->verts,
                 GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, r->nverts);
    r->nverts = 0;
}

static void bind_program(GfxRenderer *r, int prog)
{
    const GfxProgram *p = &r->progs[prog];
    glUseProgram(p->id);
    glUniform2f(gfx_uniform(p, "u_screen"), (float)r->fb_w, (float)r->fb_h);
    glUniform1i(gfx_uniform(p, "u_tex"), 0);
}

/* Switch variant (and texture, for glyphs and images), drawing what is
 * queued first when anything changes. */
static void use(GfxRenderer *r, int prog, unsigned tex, int w, int h)
{
    bool textured = prog == GFX_UI_GLYPH || prog == GFX_UI_IMAGE;
    if (r->cur_prog == prog && (!textured || r->cur_tex == tex))
        return;
    flush(r);
    if (r->cur_prog != prog) {
        bind_program(r, prog);
        r->cur_prog = prog;
    }
    if (textured && r->cur_tex != tex) {
        glBindTexture(GL_TEXTURE_2D, tex);
        r->cur_tex = tex;
        r->cur_tex_w = (float)w;
        r->cur_tex_h = (float)h;
    }
}

/* Room for 6 more vertices: grow the buffer, or draw what is queued. */
static Vert *reserve6(GfxRenderer *r)
{
    if (r->nverts + 6 > r->cap) {
        int cap = r->cap * 2;
        Vert *nv = realloc(r->verts, (size_t)cap * sizeof *nv);
        if (nv) {
            r->verts = nv;
            r->cap = cap;
        } else {
            flush(r);
        }
    }
    Vert *v = (Vert *)r->verts + r->nverts;
    r->nverts += 6;
    return v;
}

static void set_vert(Vert *v, float x, float y, float u, float t, UiColor c, int mode,
                     const float s[4])
{
    v->x = x, v->y = y, v->u = u, v->v = t;
    v->c[0] = c.r, v->c[1] = c.g, v->c[2] = c.b, v->c[3] = c.a;
    v->mode = (float)mode;
    memcpy(v->s, s, sizeof v->s);
}

/* Four corners (x, y) with local coordinates (u, v), as two triangles. */
static void quad4(GfxRenderer *r, const float xy[8], const float uv[8], UiColor c, int mode,
                  const float s[4])
{
    static const int idx[6] = {0, 1, 2, 0, 2, 3};
    Vert *v = reserve6(r);
    for (int i = 0; i < 6; i++) {
        int k = idx[i];
        set_vert(&v[i], xy[2 * k], xy[2 * k + 1], uv[2 * k], uv[2 * k + 1], c, mode, s);
    }
}

/* An axis-aligned quad (x0,y0)-(x1,y1) with local coords (u0,v0)-(u1,v1). */
static void quad(GfxRenderer *r, float x0, float y0, float x1, float y1, float u0, float v0,
                 float u1, float v1, UiColor c, int mode, const float s[4])
{
    const float xy[8] = {x0, y0, x1, y0, x1, y1, x0, y1};
    const float uv[8] = {u0, v0, u1, v0, u1, v1, u0, v1};
    quad4(r, xy, uv, c, mode, s);
}

static const float no_shape[4] = {0, 0, 0, 0};

static void solid(GfxRenderer *r, float x0, float y0, float x1, float y1, UiColor c)
{
    if (x1 <= x0 || y1 <= y0)
        return;
    use(r, GFX_UI_SOLID, 0, 0, 0);
    quad(r, x0, y0, x1, y1, 0, 0, 0, 0, c, 0, no_shape);
}

/* The four corner squares of side k of rect q as SDF quads (one pixel of
 * margin outside for the antialiased edge), local coords from q's centre. */
static void sdf_corners(GfxRenderer *r, UiRect q, float k, UiColor c, const float s[4])
{
    float hw = (float)q.w / 2, hh = (float)q.h / 2;
    float cx = (float)q.x + hw, cy = (float)q.y + hh;
    use(r, GFX_UI_SHAPE, 0, 0, 0);
    for (int i = 0; i < 4; i++) {
        float sx = i & 1 ? 1.0f : -1.0f, sy = i & 2 ? 1.0f : -1.0f;
        float u0 = sx * (hw + 1), u1 = sx * (hw - k), v0 = sy * (hh + 1), v1 = sy * (hh - k);
        quad(r, cx + fminf(u0, u1), cy + fminf(v0, v1), cx + fmaxf(u0, u1), cy + fmaxf(v0, v1),
             fminf(u0, u1), fminf(v0, v1), fmaxf(u0, u1), fmaxf(v0, v1), c, M_RRECT, s);
    }
}

/* A filled rounded rect: solid middle, SDF only in the corner squares. */
static void fill_rrect(GfxRenderer *r, UiRect q, UiColor c, float radius)
{
    float x0 = (float)q.x, y0 = (float)q.y, x1 = x0 + (float)q.w, y1 = y0 + (float)q.h;
    radius = fminf(radius, fminf((float)q.w, (float)q.h) / 2);
    float k = ceilf(radius);
    if (k < 1) {
        solid(r, x0, y0, x1, y1, c);
        return;
    }
    solid(r, x0 + k, y0, x1 - k, y1, c);
    solid(r, x0, y0 + k, x0 + k, y1 - k, c);
    solid(r, x1 - k, y0 + k, x1, y1 - k, c);
    const float s[4] = {(float)q.w / 2, (float)q.h / 2, radius, 0};
    sdf_corners(r, q, k, c, s);
}

/* An outline `width` thick inside q: solid straight edges, SDF corners. */
static void frame_rrect(GfxRenderer *r, UiRect q, UiColor c, float width, float radius)
{
    float w = fmaxf(1.0f, roundf(width));
    float x0 = (float)q.x, y0 = (float)q.y, x1 = x0 + (float)q.w, y1 = y0 + (float)q.h;
    radius = fminf(radius, fminf((float)q.w, (float)q.h) / 2);
    float k = radius < 1 ? 0 : fmaxf(ceilf(radius), w);
    solid(r, x0 + k, y0, x1 - k, y0 + w, c);
    solid(r, x0 + k, y1 - w, x1 - k, y1, c);
    solid(r, x0, y0 + (k > 0 ? k : w), x0 + w, y1 - (k > 0 ? k : w), c);
    solid(r, x1 - w, y0 + (k > 0 ? k : w), x1, y1 - (k > 0 ? k : w), c);
    if (k > 0) {
        const float s[4] = {(float)q.w / 2, (float)q.h / 2, radius, w};
        sdf_corners(r, q, k, c, s);
    }
}

static void draw_line(GfxRenderer *r, const UiCmd *c)
{
    float dx = c->x1 - c->x0, dy = c->y1 - c->y0;
    float len = sqrtf(dx * dx + dy * dy);
    float w = c->width > 0 ? c->width : 1;
    if (len < 1e-3f) {
        dx = 1, dy = 0, len = 0;
    } else {
        dx /= len, dy /= len;
    }
    float hl = len / 2 + w / 2, hw = w / 2;
    float ex = hl + 1, ey = hw + 1; /* extents with AA margin */
    float cx = (c->x0 + c->x1) / 2, cy = (c->y0 + c->y1) / 2;
    /* corners in (along, across) local coordinates */
    const float loc[8] = {-ex, -ey, ex, -ey, ex, ey, -ex, ey};
    float xy[8];
    for (int i = 0; i < 4; i++) {
        xy[2 * i] = cx + loc[2 * i] * dx - loc[2 * i + 1] * dy;
        xy[2 * i + 1] = cy + loc[2 * i] * dy + loc[2 * i + 1] * dx;
    }
    const float s[4] = {hl, hw, hw, 0};
    use(r, GFX_UI_SHAPE, 0, 0, 0);
    quad4(r, xy, loc, c->color, M_RRECT, s);
}

static void draw_circle(GfxRenderer *r, const UiCmd *c)
{
    float e = c->radius + c->width / 2 + 1;
    const float s[4] = {0, 0, c->radius, c->width};
    use(r, GFX_UI_SHAPE, 0, 0, 0);
    quad(r, c->x0 - e, c->y0 - e, c->x0 + e, c->y0 + e, -e, -e, e, e, c->color, M_CIRCLE, s);
}

static void draw_text(GfxRenderer *r, const UiCmdList *l, const UiCmd *c)
{
    const GfxFont *f = &r->fonts[c->font];
    if (!f->tex)
        return;
    use(r, GFX_UI_GLYPH, f->tex, f->tex_w, f->tex_h);
    const char *s = ui_cmd_text(l, c), *end = s + c->len;
    float x = (float)c->rect.x, y = (float)c->rect.y;
    while (s < end) {
        const GfxGlyph *g = gfx_font_glyph(f, gfx_utf8_next(&s, end));
        if (g->w > 0)
            quad(r, x, y, x + (float)g->w, y + (float)g->h, g->u0, g->v0, g->u1, g->v1, c->color,
                 0, no_shape);
        x += (float)g->advance;
    }
}

static void draw_image(GfxRenderer *r, const UiCmd *c)
{
    if (c->image < 0 || c->image >= GFX_MAX_IMAGES || !r->images[c->image].tex ||
        c->rect.w <= 0 || c->rect.h <= 0)
        return;
    int w = r->images[c->image].w, h = r->images[c->image].h;
    use(r, GFX_UI_IMAGE, r->images[c->image].tex, w, h);
    const float s[4] = {(float)w / (float)c->rect.w, (float)h / (float)c->rect.h, 0, 0};
    quad(r, (float)c->rect.x, (float)c->rect.y, (float)(c->rect.x + c->rect.w),
         (float)(c->rect.y + c->rect.h), 0, 0, 1, 1, c->color, 0, s);
}

/* GL state for UI drawing; forgets the bound program and texture so the
 * next use() binds them again (a custom draw may have changed them). */
static void set_state(GfxRenderer *r)
{
    glViewport(0, 0, r->fb_w, r->fb_h);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(r->vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo);
    r->cur_prog = -1;
    r->cur_tex = 0;
}

static void set_clip(const GfxRenderer *r, UiRect c)
{
    if (c.w < 0) {
        glDisable(GL_SCISSOR_TEST);
        return;
    }
    glEnable(GL_SCISSOR_TEST);
    glScissor(c.x, r->fb_h - c.y - c.h, c.w, c.h);
}

void gfx_render(GfxRenderer *r, const UiCmdList *l, UiColor bg, int fb_w, int fb_h,
                GfxCustomFn custom, void *user)
{
    r->fb_w = fb_w;
    r->fb_h = fb_h;
    r->nverts = 0;
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glClearColor(bg.r / 255.0f, bg.g / 255.0f, bg.b / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    set_state(r);
    UiRect clip = ui_rect(0, 0, -1, -1);
    for (int i = 0; i < l->n; i++) {
        const UiCmd *c = &l->cmds[i];
        switch (c->type) {
        case UI_CMD_RECT: fill_rrect(r, c->rect, c->color, c->radius); break;
        case UI_CMD_FRAME: frame_rrect(r, c->rect, c->color, c->width, c->radius); break;
        case UI_CMD_LINE: draw_line(r, c); break;
        case UI_CMD_CIRCLE: draw_circle(r, c); break;
        case UI_CMD_TEXT: draw_text(r, l, c); break;
        case UI_CMD_IMAGE: draw_image(r, c); break;
        case UI_CMD_CLIP:
            flush(r);
            clip = c->rect;
            set_clip(r, clip);
            break;
        case UI_CMD_CUSTOM:
            flush(r);
            if (custom)
                custom(user, c->custom, c->rect);
            set_state(r);
            set_clip(r, clip);
            break;
        }
    }
    flush(r);
    glDisable(GL_SCISSOR_TEST);
}

void gfx_read_rgb(int w, int h, uint8_t *rgb)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, rgb);
    /* GL rows run bottom-up; images run top-down: swap rows in place */
    size_t stride = (size_t)w * 3;
    for (int y = 0; y < h / 2; y++) {
        uint8_t *a = rgb + (size_t)y * stride, *b = rgb + (size_t)(h - 1 - y) * stride;
        for (size_t i = 0; i < stride; i++) {
            uint8_t t = a[i];
            a[i] = b[i];
            b[i] = t;
        }
    }
}
