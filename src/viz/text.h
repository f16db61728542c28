/* text: labels on exported figures, rasterised by SDL2_ttf into SDL
 * surfaces and blended onto a VizImage (no window, no GL, no SDL_Init).
 * Fonts are found through fontconfig (font/font.h), the same lookup as the
 * explorer's, so figures and the window use one face.
 * Thread rule: SDL_ttf's library state is process-wide and not thread-safe:
 * open, draw and close fonts from one thread at a time (the CLI's main
 * thread; in the explorer, the UI thread). */
#ifndef ZSPACE_VIZ_TEXT_H
#define ZSPACE_VIZ_TEXT_H

#include <stdint.h>

#include "core/err.h"
#include "viz/image.h"

typedef struct {
    void *ttf;  /* TTF_Font * */
    int px;     /* requested pixel size */
    int height; /* line height in pixels */
    int ascent; /* baseline below the top of a line */
} VizFont;

/* Open the best match of a fontconfig pattern (NULL: "DejaVu Sans") at px
 * pixels (4..512). On failure *f is zeroed. */
int viz_font_open(VizFont *f, const char *pattern, int px, Err *e);
void viz_font_close(VizFont *f);
/* Width in pixels of UTF-8 s. */
int viz_text_width(const VizFont *f, const char *s);
/* Draw UTF-8 s with the top-left of its line box at (x, y), blended in rgb
 * (clipped to the image). vertical != 0 turns it 90 degrees
 * counter-clockwise (reading upwards, for a y-axis title) with the top-left
 * of the turned box at (x, y). */
int viz_text_draw(VizImage *im, const VizFont *f, int x, int y, const char *s, const uint8_t rgb[3],
                  int vertical, Err *e);

#endif
