/* text: fonts found through fontconfig, rasterised by SDL2_ttf into one
 * glyph atlas texture per (font, pixel size). Covers ASCII, Latin-1 and the
 * few symbols the app writes (σ β μ ± × · – — … • ← → ↑ ↓ ≈ ≤ ≥); anything
 * else draws as '?'. Glyphs are drawn at integer pixel positions at their
 * rasterised size, so text is crisp. Thread rule: GL thread only. */
#ifndef ZSPACE_GFX_TEXT_H
#define ZSPACE_GFX_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define GFX_GLYPHS 208

typedef struct {
    float u0, v0, u1, v1; /* atlas texture coordinates */
    int w, h;             /* rasterised size in pixels */
    int advance;          /* pen advance in pixels */
} GfxGlyph;

typedef struct {
    void *ttf;       /* TTF_Font* */
    int px;          /* requested pixel size */
    int height;      /* line height in pixels */
    unsigned tex;    /* GL_R8 atlas, coverage in the red channel */
    int tex_w, tex_h;
    GfxGlyph glyphs[GFX_GLYPHS];
} GfxFont;

/* Ask fontconfig for a font file matching pattern (e.g. "DejaVu Sans" or
 * "DejaVu Sans:bold"); the best match's file path goes into path. The same
 * lookup as font_find (font/font.h), which headless figures use. */
int gfx_font_find(const char *pattern, char *path, size_t size, Err *e);
/* Open path at px pixels and build its atlas (needs a current GL context). */
int gfx_font_init(GfxFont *f, const char *path, int px, Err *e);
void gfx_font_free(GfxFont *f);
/* Width in pixels of the first len bytes of UTF-8 s. */
int gfx_font_width(const GfxFont *f, const char *s, int len);
/* The glyph for code point cp ('?' when not covered). */
const GfxGlyph *gfx_font_glyph(const GfxFont *f, uint32_t cp);
/* Decode one UTF-8 code point from *s (< end) and advance *s; malformed
 * bytes decode as U+FFFD one byte at a time. */
uint32_t gfx_utf8_next(const char **s, const char *end);

#endif
