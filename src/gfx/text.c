/* text: see text.h. The atlas is packed in shelves (rows of glyphs of
 * similar height) into a 1024-wide texture whose height is the next power of
 * two that fits. */
#include "text.h"

#include "texture.h"

#include "font/font.h"

#include <SDL_ttf.h>
#include <epoxy/gl.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t extras[] = {
    0x3C3, 0x3B2, 0x3BC, 0x2013, 0x2014, 0x2026, 0x2022, 0x2190, 0x2191, 0x2192,
    0x2193, 0x2248, 0x2264, 0x2265, 0x2212, 0x394, 0x2318,
};
enum { N_ASCII = 95, N_LATIN1 = 96, N_EXTRAS = (int)(sizeof extras / sizeof extras[0]) };
_Static_assert(N_ASCII + N_LATIN1 + N_EXTRAS <= GFX_GLYPHS, "glyph table too small");

/* Slot of a code point in the glyph table, -1 when not covered. */
static int slot(uint32_t cp)
{
    if (cp >= 32 && cp < 127)
        return (int)cp - 32;
    if (cp >= 160 && cp < 256)
        return N_ASCII + (int)cp - 160;
    for (int i = 0; i < N_EXTRAS; i++)
        if (extras[i] == cp)
            return N_ASCII + N_LATIN1 + i;
    return -1;
}

static uint32_t slot_cp(int i)
{
    if (i < N_ASCII)
        return (uint32_t)i + 32;
    if (i < N_ASCII + N_LATIN1)
        return (uint32_t)(i - N_ASCII) + 160;
    return extras[i - N_ASCII - N_LATIN1];
}

int gfx_font_find(const char *pattern, char *path, size_t size, Err *e)
{
    return font_find(pattern, path, size, e);
}

int gfx_font_init(GfxFont *f, const char *path, int px, Err *e)
{
    memset(f, 0, sizeof *f);
    TTF_Font *ttf;
    int rc = font_open(path, px, &ttf, e);
    if (rc != ERR_OK)
        return rc;
    f->ttf = ttf;
    f->px = px;
    f->height = TTF_FontHeight(ttf);

    /* Rasterise every glyph first, then pack. */
    SDL_Surface *surf[GFX_GLYPHS] = {0};
    SDL_Color white = {255, 255, 255, 255};
    int tex_w = 1024, x = 1, y = 1, shelf = 0;
    for (int i = 0; i < N_ASCII + N_LATIN1 + N_EXTRAS; i++) {
        uint32_t cp = slot_cp(i);
        if (cp != ' ' && !TTF_GlyphIsProvided32(ttf, cp))
            continue;
        int minx, maxx, miny, maxy, adv;
        if (TTF_GlyphMetrics32(ttf, cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
            continue;
        f->glyphs[i].advance = adv;
        surf[i] = TTF_RenderGlyph32_Blended(ttf, cp, white);
        if (!surf[i])
            continue;
        if (x + surf[i]->w + 1 > tex_w) {
            x = 1;
            y += shelf + 1;
            shelf = 0;
        }
        f->glyphs[i].u0 = (float)x; /* pixel coordinates until the size is known */
        f->glyphs[i].v0 = (float)y;
        f->glyphs[i].w = surf[i]->w;
        f->glyphs[i].h = surf[i]->h;
        x += surf[i]->w + 1;
        shelf = surf[i]->h > shelf ? surf[i]->h : shelf;
    }
    int tex_h = 64;
    while (tex_h < y + shelf + 1)
        tex_h *= 2;
    uint8_t *pix = calloc((size_t)tex_w * (size_t)tex_h, 1);
    if (!pix) {
        for (int i = 0; i < GFX_GLYPHS; i++)
            SDL_FreeSurface(surf[i]);
        gfx_font_free(f);
        return err_set(e, ERR_NOMEM, "font %s: no memory for the atlas", path);
    }
    for (int i = 0; i < GFX_GLYPHS; i++) {
        SDL_Surface *s = surf[i];
        if (!s)
            continue;
        SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
        if (c) {
            SDL_LockSurface(c);
            GfxGlyph *g = &f->glyphs[i];
            for (int yy = 0; yy < c->h; yy++) {
                const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + yy * c->pitch);
                uint8_t *dst = pix + ((size_t)g->v0 + (size_t)yy) * (size_t)tex_w + (size_t)g->u0;
                for (int xx = 0; xx < c->w; xx++)
                    dst[xx] = (uint8_t)(row[xx] >> 24);
            }
            SDL_UnlockSurface(c);
            SDL_FreeSurface(c);
            g->u1 = (g->u0 + (float)g->w) / (float)tex_w;
            g->v1 = (g->v0 + (float)g->h) / (float)tex_h;
            g->u0 /= (float)tex_w;
            g->v0 /= (float)tex_h;
        }
        SDL_FreeSurface(s);
    }
    f->tex = gfx_texture_r8(tex_w, tex_h, pix);
    free(pix);
    f->tex_w = tex_w;
    f->tex_h = tex_h;
    return ERR_OK;
}

void gfx_font_free(GfxFont *f)
{
    if (f->tex)
        glDeleteTextures(1, &f->tex);
    if (f->ttf)
        TTF_CloseFont(f->ttf);
    memset(f, 0, sizeof *f);
}

uint32_t gfx_utf8_next(const char **s, const char *end)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n == 0) {
        *s += 1;
        return c;
    }
    if (n < 0 || (const char *)p + n >= end) { /* bad lead byte or cut short */
        *s += 1;
        return 0xFFFD;
    }
    c &= 0x3Fu >> n; /* payload bits of the lead byte */
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += 1;
            return 0xFFFD;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *s += n + 1;
    return c;
}

const GfxGlyph *gfx_font_glyph(const GfxFont *f, uint32_t cp)
{
    int i = slot(cp);
    if (i < 0 || f->glyphs[i].advance == 0)
        i = slot('?');
    return &f->glyphs[i];
}

int gfx_font_width(const GfxFont *f, const char *s, int len)
{
    const char *end = s + len;
    int w = 0;
    while (s < end)
        w += gfx_font_glyph(f, gfx_utf8_next(&s, end))->advance;
    return w;
}
