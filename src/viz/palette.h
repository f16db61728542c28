/* palette: the ten label colours of zspace, shared by the explorer's map
 * and the exported figures so a class has one colour everywhere. Two sets:
 * "dark" (Tableau 10 lightened a little for a dark canvas; the default) and
 * "vivid" (fully saturated, for the high-contrast theme on washed-out
 * projectors), and "light" (Tableau 10 itself, for figures on white). All
 * stay distinguishable for most colour-blind viewers.
 * Thread rule: constant data, any thread. */
#ifndef ZSPACE_VIZ_PALETTE_H
#define ZSPACE_VIZ_PALETTE_H

#include <stdint.h>

enum { VIZ_LABEL_COLORS = 10 };

typedef enum {
    VIZ_PALETTE_DARK,  /* on the dark theme's canvas (the explorer, figures by default) */
    VIZ_PALETTE_VIVID, /* the high-contrast theme */
    VIZ_PALETTE_LIGHT, /* on white paper: Tableau 10 as published */
} VizPalette;

/* RGB of a label's colour (3 bytes, static). Labels outside 0..9 get the
 * last colour (grey). */
const uint8_t *viz_label_rgb(int label, VizPalette set);

#endif
