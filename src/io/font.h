/* font: find a font file through fontconfig. Shared by the GL text atlas
 * (gfx/text.c) and the headless figure renderer (viz/text.c), so both pick
 * the same face for the same pattern. Thread rule: fontconfig's default
 * configuration is process-wide; call from one thread at a time. */
#ifndef ZSPACE_IO_FONT_H
#define ZSPACE_IO_FONT_H

#include <stddef.h>

#include "core/err.h"

/* Ask fontconfig for the best match of pattern (e.g. "DejaVu Sans" or
 * "DejaVu Sans:bold") and write its file path into path (size bytes). */
int io_font_find(const char *pattern, char *path, size_t size, Err *e);

#endif
