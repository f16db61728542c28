/* plot: the latent map as a figure: points coloured by class on a plot area
 * with a grid, ticks and axis titles, a legend of the classes, an optional
 * title. Drawn on the CPU into a VizImage (points as anti-aliased discs in
 * a fixed shuffled order so no class is systematically on top), text via
 * viz/text.h. Dark theme by default, matching the explorer's canvas and
 * label colours; a light theme for print.
 * Thread rule: uses SDL_ttf, so the text rule of viz/text.h applies. */
#ifndef ZSPACE_VIZ_PLOT_H
#define ZSPACE_VIZ_PLOT_H

#include <stddef.h>

#include "core/err.h"
#include "viz/image.h"

enum { VIZ_MAX_CLASSES = 10 };

typedef struct {
    int width, height;              /* output pixels (1400 x 1000) */
    const char *title;              /* NULL: none */
    const char *x_title, *y_title;  /* axis titles ("z1", "z2"); NULL: none */
    const char *legend_title;       /* NULL: none */
    int n_classes;                  /* legend entries 0..VIZ_MAX_CLASSES (0: no legend) */
    const char *const *class_names; /* (n_classes) */
    const size_t *class_counts;     /* (n_classes) shown beside the names; may be NULL */
    int equal_aspect;               /* one unit is as long on both axes (1) */
    float point_radius;             /* pixels; 0: from N and the plot area */
    float point_alpha;              /* 0: from N */
    int light;                      /* white background and the light palette */
    const char *font;               /* fontconfig pattern; NULL: "DejaVu Sans" */
} VizScatterOpts;

void viz_scatter_opts_default(VizScatterOpts *o);

/* Draw N points xy (N, 2) with class ids cls (N) into a new image out
 * (viz_image_free). Class c < n_classes takes label colour c; other ids
 * (e.g. -1) are drawn dim grey and listed as "other" when n_classes > 0.
 * Non-finite points are skipped. */
int viz_scatter(VizImage *out, const float *xy, const int *cls, size_t n, const VizScatterOpts *o,
                Err *e);

/* The tick step for a span covered by about `target` ticks: 1, 2 or 5 times
 * a power of ten. Exposed for tests. */
double viz_nice_step(double span, double target);

#endif
