/* font: the one font set-up of the explorer's GL text atlas (gfx/text.c)
 * and the headless figure renderer (viz/text.c): find a face through
 * fontconfig, open it with SDL2_ttf, so both pick and hint the same face
 * for the same pattern. Thread rule: fontconfig's default configuration and
 * SDL_ttf's library state are process-wide; call from one thread at a time. */
#ifndef ZSPACE_FONT_FONT_H
#define ZSPACE_FONT_FONT_H

#include <SDL_ttf.h>
#include <stddef.h>

#include "core/err.h"

/* Ask fontconfig for the best match of pattern (e.g. "DejaVu Sans" or
 * "DejaVu Sans:bold") and write its file path into path (size bytes). */
int font_find(const char *pattern, char *path, size_t size, Err *e);
/* Open the font file at path at px pixels with light hinting into *out
 * (initialising SDL_ttf on first use); the caller closes it with
 * TTF_CloseFont. */
int font_open(const char *path, int px, TTF_Font **out, Err *e);

#endif
