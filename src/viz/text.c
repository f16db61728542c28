/* text: see text.h. Glyph coverage comes from TTF_RenderUTF8_Blended (an
 * ARGB surface whose alpha is the anti-aliased coverage); we read only the
 * alpha and blend our own colour, so the surface's colour never matters. */
#include "text.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <string.h>

#include "font/font.h"

int viz_font_open(VizFont *f, const char *pattern, int px, Err *e)
{
    memset(f, 0, sizeof *f);
    if (px < 4 || px > 512)
        return err_set(e, ERR_ARG, "font size %d px out of range 4..512", px);
    char path[4096];
    TTF_Font *ttf;
    int rc = font_find(pattern ? pattern : "DejaVu Sans", path, sizeof path, e);
    if (rc == ERR_OK)
        rc = font_open(path, px, &ttf, e);
    if (rc != ERR_OK)
        return rc;
    f->ttf = ttf;
    f->px = px;
    f->height = TTF_FontHeight(ttf);
    f->ascent = TTF_FontAscent(ttf);
    return ERR_OK;
}

void viz_font_close(VizFont *f)
{
    if (f->ttf)
        TTF_CloseFont(f->ttf);
    memset(f, 0, sizeof *f);
}

int viz_text_width(const VizFont *f, const char *s)
{
    int w = 0, h = 0;
    if (!*s || TTF_SizeUTF8(f->ttf, s, &w, &h) != 0)
        return 0;
    return w;
}

int viz_text_draw(VizImage *im, const VizFont *f, int x, int y, const char *s, const uint8_t rgb[3],
                  int vertical, Err *e)
{
    /* Nothing to draw: "" and text of zero width (a label that is only a
     * zero-width space), which SDL_ttf refuses to render. */
    if (!*s || viz_text_width(f, s) == 0)
        return ERR_OK;
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *src = TTF_RenderUTF8_Blended(f->ttf, s, white);
    if (!src)
        return err_set(e, ERR_IO, "SDL_ttf: cannot render '%.40s': %s", s, TTF_GetError());
    /* Blended output is 32-bit ARGB; convert defensively if a future
     * SDL_ttf chooses otherwise, so the alpha mask below is right. */
    SDL_Surface *surf = src->format->format == SDL_PIXELFORMAT_ARGB8888
                            ? src
                            : SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!surf) {
        SDL_FreeSurface(src);
        return err_set(e, ERR_NOMEM, "SDL: %s", SDL_GetError());
    }
    if (SDL_MUSTLOCK(surf))
        SDL_LockSurface(surf);
    for (int r = 0; r < surf->h; r++) {
        const uint32_t *row =
            (const uint32_t *)((const uint8_t *)surf->pixels + (size_t)r * surf->pitch);
        for (int c = 0; c < surf->w; c++) {
            uint32_t a = row[c] >> 24;
            if (!a)
                continue;
            /* Upright: (x + c, y + r). Turned counter-clockwise: the text's
             * left end at the bottom, its top facing left. */
            int px = vertical ? x + r : x + c;
            int py = vertical ? y + (surf->w - 1 - c) : y + r;
            viz_blend(im, px, py, rgb, (float)a / 255.0f);
        }
    }
    if (SDL_MUSTLOCK(surf))
        SDL_UnlockSurface(surf);
    if (surf != src)
        SDL_FreeSurface(surf);
    SDL_FreeSurface(src);
    return ERR_OK;
}
