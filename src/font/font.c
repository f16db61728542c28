/* font: see font.h. */
#include "font.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>

int font_find(const char *pattern, char *path, size_t size, Err *e)
{
    if (!FcInit())
        return err_set(e, ERR_IO, "fontconfig: cannot initialise");
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        return err_set(e, ERR_ARG, "fontconfig: bad pattern '%s'", pattern);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    if (!match || FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
        if (match)
            FcPatternDestroy(match);
        return err_set(e, ERR_IO, "no font matches '%s' (install fonts-dejavu-core)", pattern);
    }
    snprintf(path, size, "%s", (const char *)file);
    FcPatternDestroy(match);
    return ERR_OK;
}

int font_open(const char *path, int px, TTF_Font **out, Err *e)
{
    *out = NULL;
    if (!TTF_WasInit() && TTF_Init() != 0)
        return err_set(e, ERR_IO, "SDL_ttf: %s", TTF_GetError());
    TTF_Font *ttf = TTF_OpenFont(path, px);
    if (!ttf)
        return err_set(e, ERR_IO, "font %s: %s", path, TTF_GetError());
    TTF_SetFontHinting(ttf, TTF_HINTING_LIGHT);
    *out = ttf;
    return ERR_OK;
}
