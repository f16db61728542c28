/* view_sample: the explorer's Sampling panel (key S). Two 8x8 grids side
 * by side, the blog's "sample close" comparison:
 *   prior      z ~ N(0, T^2 I), T the temperature slider (0.1 .. 2);
 *   posterior  z ~ q(z|x) = mu + exp(logvar / 2) * eps for 64 random
 *              images x of the training split (the test split when the
 *              training split is not loaded), encoded with the app's own
 *              weight copy.
 * Both grids come from one seed (R draws a new one), so a seed and a
 * temperature name the grids exactly. A click on a cell makes that cell's z
 * the current z: the decoder shows it large and the map marks it.
 *
 * The panel (view_sample.c) owns its state, AppSample: sample_panel lays out
 * the widgets in a rect, edits the settings and returns SAMPLE_ACT_* bits;
 * it reads the world only through SamplePanelIn and never the App, so it is
 * tested headless (tests/test_sample_panel.c). The App side (sample_app.c,
 * functions declared in app_impl.h) applies the bits:
 *   app_sample_key   S shows / hides the panel, R resamples (panel shown)
 *   view_sample      builds the input, runs the panel (side column, in place
 *                    of the sliders), a picked cell's z becomes the current z
 *   app_sample_draw  before gfx_render: draw z, decode, upload when stale
 *   app_sample_dump  the dump's "sampling"
 * Decoding (64 z per grid, one batch each, about a millisecond) runs on the
 * UI thread just before drawing (app_sample_draw), into one 224x224 texture
 * per grid; the textures are created there too, the first time, since they
 * need the GL context.
 *
 * Thread rule: main thread only. It reads the encoder's dataset only after
 * the map is ready (the job's results are immutable then; model.h). */
#ifndef ZSPACE_APP_VIEW_SAMPLE_H
#define ZSPACE_APP_VIEW_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/ui.h"
#include "vae/vae.h"

enum {
    SAMPLE_SIDE = 8, /* cells per grid row and column */
    SAMPLE_CELLS = SAMPLE_SIDE * SAMPLE_SIDE,
    SAMPLE_PX = SAMPLE_SIDE * 28, /* texture side */
};

enum { SAMPLE_BOTH, SAMPLE_PRIOR_ONLY, SAMPLE_POSTERIOR_ONLY };
enum { SAMPLE_PRIOR = 0, SAMPLE_POSTERIOR = 1 }; /* grid index */

typedef struct {
    float temperature; /* prior grid's T */
    uint64_t seed;     /* R: seed + 1 */
    int mode;          /* SAMPLE_BOTH / _PRIOR_ONLY / _POSTERIOR_ONLY */

    /* what the grids hold; `drawn_*` say for which settings */
    bool valid[2];
    uint32_t map_gen; /* the shown model's generation they were drawn for */
    uint64_t drawn_seed[2];
    float drawn_t;
    int drawn_z;
    uint64_t drawn_enc;   /* job.reencodes when drawn: new weights redraw */
    bool posterior_train; /* the posterior grid's x came from the train split */
    float z[2][SAMPLE_CELLS * VAE_MAX_Z];
    int32_t index[SAMPLE_CELLS]; /* posterior cells: image index in its split */
    uint8_t sha1[2][SAMPLE_CELLS][20];
    int img[2];          /* gfx images, -1 until created */
    UiRect grid[2];      /* where each grid was drawn (zero: not shown) */
    UiRect t_row;        /* the temperature slider's row */
    UiRect mode_rect;    /* the mode button (both / prior / posterior) */
    int clicked;         /* last clicked cell: grid * 64 + cell, -1 none */
    double draw_seconds; /* last redraw (draw z, decode, upload): held the UI thread */
} AppSample;

/* What the panel shows besides its own state. */
typedef struct {
    bool loaded;          /* a model is shown */
    bool ready;           /* its map (and the encoder's dataset) is in */
    bool posterior_train; /* the posterior's x come from the train split (when ready) */
} SamplePanelIn;

/* What the user did in the panel this frame, or with a key (bits). */
enum {
    SAMPLE_ACT_MODE = 1,        /* the mode button cycled s->mode */
    SAMPLE_ACT_RESAMPLE = 2,    /* R or the button: s->seed moved on */
    SAMPLE_ACT_TEMPERATURE = 4, /* the T slider moved */
    SAMPLE_ACT_PICK = 8,        /* a cell was clicked (s->clicked): its z becomes the current z */
    SAMPLE_ACT_TOGGLE = 16,     /* S: show or hide the panel */
};

/* The settings of a new panel: T = 1, seed 1, both grids, no image, no
 * cell clicked. */
void sample_panel_defaults(AppSample *s);
/* The Sampling panel in r: mode and resample buttons, the temperature
 * slider, the grids (s->valid and s->img say what they show); returns
 * SAMPLE_ACT_* bits. */
int sample_panel(Ui *ui, UiRect r, AppSample *s, const SamplePanelIn *in);
/* The panel's keys: S (SAMPLE_ACT_TOGGLE), R while shown (resample);
 * returns SAMPLE_ACT_* bits, 0 when the key is not the panel's. */
int sample_panel_key(AppSample *s, UiKey k, bool shown);

#endif
