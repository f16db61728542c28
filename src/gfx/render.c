/* render: see render.h. Vertex modes (must match shaders/ui.frag):
 * 0 glyph (atlas coverage), 1 solid, 2 rounded rect/outline, 3 circle/ring,
 * 4 grayscale image. For modes 2-3, (u, v) is the pixel's position relative
 * to the shape's centre and s = (half_w, half_h, radius, ring width). */
#include "render.h"

#include "texture.h"

#include <epoxy/gl.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    float x, y, u, v;
    uint8_t c[4];
    float mode;
    float s[4];
} Vert;

enum { M_GLYPH, M_SOLID, M_RRECT, M_CIRCLE, M_IMAGE };

int gfx_renderer_init(GfxRenderer *r, const char *shader_dir, Err *e)
{
    memset(r, 0, sizeof *r);
    if (gfx_program_load(&r->prog, shader_dir, "ui.vert", "ui.frag", e) != ERR_OK)
        return e ? e->code : ERR_FORMAT;
    r->cap = 1 << 16;
    r->verts = malloc((size_t)r->cap * sizeof(Vert));
    if (!r->verts) {
        gfx_program_free(&r->prog);
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
    gfx_program_free(&r->prog);
    free(r->verts);
    memset(r, 0, sizeof *r);
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
    glUniform2f(gfx_uniform(&r->prog, "u_tex_size"), r->cur_tex_w, r->cur_tex_h);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)r->nverts * sizeof(Vert)), r->verts,
                 GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, r->nverts);
    r->nverts = 0;
}

static void use_texture(GfxRenderer *r, unsigned tex, int w, int h)
{
    if (r->cur_tex == tex)
        return;
    flush(r);
    glBindTexture(GL_TEXTURE_2D, tex);
    r->cur_tex = tex;
    r->cur_tex_w = (float)w;
    r->cur_tex_h = (float)h;
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

static void draw_rrect(GfxRenderer *r, UiRect q, UiColor c, float radius, float ring)
{
    float hw = (float)q.w / 2, hh = (float)q.h / 2;
    float cx = (float)q.x + hw, cy = (float)q.y + hh;
    if (radius > hw)
        radius = hw;
    if (radius > hh)
        radius = hh;
    const float s[4] = {hw, hh, radius, ring};
    /* one pixel of margin for the antialiased edge */
    quad(r, cx - hw - 1, cy - hh - 1, cx + hw + 1, cy + hh + 1, -hw - 1, -hh - 1, hw + 1, hh + 1, c,
         M_RRECT, s);
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
    quad4(r, xy, loc, c->color, M_RRECT, s);
}

static void draw_text(GfxRenderer *r, const UiCmdList *l, const UiCmd *c)
{
    const GfxFont *f = &r->fonts[c->font];
    if (!f->tex)
        return;
    use_texture(r, f->tex, f->tex_w, f->tex_h);
    const char *s = ui_cmd_text(l, c), *end = s + c->len;
    float x = (float)c->rect.x, y = (float)c->rect.y;
    static const float none[4] = {0, 0, 0, 0};
    while (s < end) {
        const GfxGlyph *g = gfx_font_glyph(f, gfx_utf8_next(&s, end));
        if (g->w > 0)
            quad(r, x, y, x + (float)g->w, y + (float)g->h, g->u0, g->v0, g->u1, g->v1, c->color,
                 M_GLYPH, none);
        x += (float)g->advance;
    }
}

static void set_state(GfxRenderer *r)
{
    glViewport(0, 0, r->fb_w, r->fb_h);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(r->prog.id);
    glUniform2f(gfx_uniform(&r->prog, "u_screen"), (float)r->fb_w, (float)r->fb_h);
    glUniform1i(gfx_uniform(&r->prog, "u_tex"), 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->cur_tex);
    glBindVertexArray(r->vao);
    glBindBuffer(GL_ARRAY_BUFFER, r->vbo);
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
    static const float none[4] = {0, 0, 0, 0};
    for (int i = 0; i < l->n; i++) {
        const UiCmd *c = &l->cmds[i];
        switch (c->type) {
        case UI_CMD_RECT:
            if (c->radius <= 0)
                quad(r, (float)c->rect.x, (float)c->rect.y, (float)(c->rect.x + c->rect.w),
                     (float)(c->rect.y + c->rect.h), 0, 0, 0, 0, c->color, M_SOLID, none);
            else
                draw_rrect(r, c->rect, c->color, c->radius, 0);
            break;
        case UI_CMD_FRAME: draw_rrect(r, c->rect, c->color, c->radius, c->width); break;
        case UI_CMD_LINE: draw_line(r, c); break;
        case UI_CMD_CIRCLE: {
            float e = c->radius + c->width / 2 + 1;
            const float s[4] = {0, 0, c->radius, c->width};
            quad(r, c->x0 - e, c->y0 - e, c->x0 + e, c->y0 + e, -e, -e, e, e, c->color, M_CIRCLE, s);
            break;
        }
        case UI_CMD_TEXT: draw_text(r, l, c); break;
        case UI_CMD_IMAGE: {
            if (c->image < 0 || c->image >= GFX_MAX_IMAGES || !r->images[c->image].tex)
                break;
            use_texture(r, r->images[c->image].tex, r->images[c->image].w, r->images[c->image].h);
            quad(r, (float)c->rect.x, (float)c->rect.y, (float)(c->rect.x + c->rect.w),
                 (float)(c->rect.y + c->rect.h), 0, 0, 1, 1, c->color, M_IMAGE, none);
            break;
        }
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
