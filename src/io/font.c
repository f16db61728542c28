/* font: see font.h. */
#include "font.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>

int io_font_find(const char *pattern, char *path, size_t size, Err *e)
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
