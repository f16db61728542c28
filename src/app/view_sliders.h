/* view_sliders: the "Latent z" panel: one slider per latent dimension
 * (range +-4, i.e. four standard deviations of the prior N(0, 1)), labelled
 * with the dimension's mean KL over the map's points (nats; near 0 = an
 * unused dimension), optionally sorted by KL; buttons for z = 0,
 * z ~ N(0, I) and snapping z to the nearest data point's mean.
 *
 * The panel owns its state, AppSliders; sliders_panel reads the current z
 * and the map through SlidersPanelIn (never the App) and asks for a new z
 * with SLIDERS_ACT_SET_Z, which the app applies through app_set_z (the one
 * setter of the cursor, explore/cursor.h); tested headless in
 * tests/test_latent_panels.c. The App side is view_sliders (latent.c),
 * which also makes room for the Neighbours strip below and runs it.
 *
 * Thread rule: main thread (a Ui belongs to it). */
#ifndef ZSPACE_APP_VIEW_SLIDERS_H
#define ZSPACE_APP_VIEW_SLIDERS_H

#include <stdbool.h>

#include "core/rng.h"
#include "ui/ui.h"
#include "vae/vae.h"

enum { SLIDERS_ORIGIN, SLIDERS_RANDOM, SLIDERS_NEAREST, SLIDERS_BUTTONS };

typedef struct {
    bool sort_by_kl;                 /* rows in decreasing KL order */
    Rng rng;                         /* "Random" z */
    float z[VAE_MAX_Z];              /* the z asked for (SLIDERS_ACT_SET_Z) */
    UiRect rows[VAE_MAX_Z];          /* where each dimension's slider was drawn */
    UiRect buttons[SLIDERS_BUTTONS]; /* Origin, Random, Nearest as drawn this frame */
    UiRect sort;                     /* the "sort by KL" checkbox (w 0: not shown) */
} AppSliders;

/* What the panel reads of the world. */
typedef struct {
    bool loaded;             /* a model is shown */
    int dim;                 /* Z */
    const float *z;          /* the current z (dim floats) */
    const float *nearest_mu; /* the nearest map point's mean (dim floats), NULL: none */
    const float *kl;         /* (dim) mean KL per dimension, NULL until the map is in */
} SlidersPanelIn;

/* What the user did in the panel this frame (bits). */
enum {
    SLIDERS_ACT_SET_Z = 1, /* a button or a slider: s->z becomes the current z */
    SLIDERS_ACT_SORT = 2,  /* "sort by KL" toggled s->sort_by_kl */
};

/* A new panel: unsorted, its "Random" stream seeded as the explorer always
 * seeds it (the same z on every run). */
void sliders_panel_defaults(AppSliders *s);
/* The session's "sort by KL". */
void sliders_panel_sort(AppSliders *s, bool on);
/* The panel in r; returns SLIDERS_ACT_* bits. */
int sliders_panel(Ui *ui, UiRect r, AppSliders *s, const SlidersPanelIn *in);

#endif
