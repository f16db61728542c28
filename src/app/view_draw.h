/* view_draw: the explorer's "Draw a digit" panel (key D) and the
 * uncertainty overlays of the map (view_uncert.c, key O).
 *
 * Draw: a square canvas (DRAW_CANVAS^2 floats, ~10x MNIST's field) painted
 * with the left mouse by viz/draw_prep's soft round brush. After every
 * change the canvas goes through the MNIST recipe (draw_prep_mnist: 20x20
 * box, centred by centre of mass in 28x28), is encoded with the UI thread's
 * weights (one image: tens of microseconds, measured in dump-state
 * draw.encode_ms), its mean mu becomes the current z (the decoder panel
 * and the z marker follow) and mu is marked on the map with its own marker
 * (Z > 2: placed by the projection's kNN placement, like the z marker).
 * The panel shows the canvas, the 28x28 input the encoder saw and the
 * reconstruction decode(mu). Clear (button, or Backspace while the panel
 * shows) empties it. New weights from live training re-encode the drawing.
 *
 * Uncertainty: for the hovered point, the drawn digit and the test image
 * nearest to z, q(z|x) = N(mu, diag(exp(logvar))) is drawn on the map:
 * Z = 2 as its 1-sigma and 2-sigma ellipses (axis-aligned: the posterior is
 * diagonal), Z > 2 as UNCERT_SAMPLES draws of q(z|x) placed into the current
 * layout by the same kNN placement. O toggles the prior N(0, I)'s 1, 2, 3
 * sigma rings around the origin (Z = 2 maps only).
 *
 * Update (painting, encoding, placement) and draw (texture uploads in
 * app_draw_upload, the one GL step) are kept apart.
 *
 * The Draw panel (view_draw.c) owns its state, AppDraw: draw_panel paints,
 * prepares and encodes the drawing and returns DRAW_ACT_* bits; it reads
 * the world only through DrawPanelIn, whose codec is its one way to the
 * shown model (encode / decode one image), and never the App, so it is
 * tested headless (tests/test_draw_panel.c). The uncertainty overlay
 * (view_uncert.c) has the same shape: uncert_panel_update and
 * uncert_panel_map read A's map through UncertPanelIn, and uncert_app.c is
 * its App side (tests/test_uncert_panel.c). The App side (draw_app.c,
 * declared in app_impl.h) builds the input, makes mu the current z through
 * app_set_z, places it on the map, uploads the textures and fills the dump.
 *
 * Thread rule: main thread only. The map's mu/logvar are read only once
 * the map is ready (model.h). */
#ifndef ZSPACE_APP_VIEW_DRAW_H
#define ZSPACE_APP_VIEW_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#include "mapview.h"
#include "ui/ui.h"
#include "vae/vae.h"

enum {
    DRAW_CANVAS = 280,   /* canvas side, canvas pixels */
    UNCERT_SAMPLES = 30, /* draws of q(z|x) per source on a Z > 2 map */
};

typedef struct {
    bool inited;
    float brush;                             /* brush radius, canvas pixels */
    float canvas[DRAW_CANVAS * DRAW_CANVAS]; /* ink in [0, 1], row-major */
    float last_x, last_y; /* the previous mouse position while painting, canvas pixels */
    int strokes;          /* strokes since the last clear */
    bool empty;           /* no ink (also before the first stroke) */
    bool changed;         /* canvas changed: prepare and encode */

    /* what the encoder saw and what it made of it (valid unless empty) */
    float image[VAE_X]; /* the 28x28 MNIST-style input, [0, 1] */
    uint8_t image_bytes[VAE_X], recon[VAE_X];
    uint8_t image_sha1[20], recon_sha1[20];
    float mu[VAE_MAX_Z], logvar[VAE_MAX_Z];
    int enc_z;             /* Z of the model that encoded it */
    uint64_t enc_weights;  /* train.applied when encoded: new weights re-encode */
    double encode_seconds; /* the last encode of the one image */
    double prep_seconds;   /* the last draw_prep_mnist */

    /* where mu is on the map (Z = 2: mu itself; Z > 2: kNN placement) */
    float map_xy[2];
    bool map_valid;
    uint64_t map_seq; /* the layout it was placed on (Z > 2) */

    /* GL images (created by app_draw_upload), -1 until then */
    int img_canvas, img_input, img_recon;
    bool up_canvas, up_digit; /* uploads due */

    /* where things were drawn this frame (dump-state, tests) */
    UiRect canvas_rect, clear_rect, brush_rect, input_rect, recon_rect;
} AppDraw;

/* The shown model, one image at a time: x (VAE_X floats) -> mu, logvar
 * (Z floats each); mu -> xhat (VAE_X floats). codec is their context. */
typedef void (*DrawEncodeFn)(void *codec, const float *x, float *mu, float *logvar);
typedef void (*DrawDecodeFn)(void *codec, const float *mu, float *xhat);

/* What the Draw panel reads of the world. */
typedef struct {
    bool loaded;      /* a model is shown: encode and decode work */
    int z_dim;        /* its Z */
    uint64_t weights; /* the version of its weights (the drawing records it) */
    DrawEncodeFn encode;
    DrawDecodeFn decode;
    void *codec;
} DrawPanelIn;

/* What the user did in the Draw panel or with its keys (bits). */
enum {
    DRAW_ACT_ENCODED = 1, /* the drawing was encoded anew (d->mu): place it on the map */
    DRAW_ACT_SET_Z = 2,   /* ... after a stroke: its mu becomes the current z */
    DRAW_ACT_CLEAR = 4,   /* Clear or Backspace emptied the canvas (z stays) */
    DRAW_ACT_TOGGLE = 8,  /* D: show or hide the panel */
};

/* A new panel: an empty canvas, a brush of about an MNIST stroke, no images. */
void draw_panel_defaults(AppDraw *d);
/* Prepare the canvas (28x28, MNIST's recipe) and, when it has ink and a
 * model is shown, encode it and decode its mu; returns DRAW_ACT_ENCODED
 * then, else 0 (the drawing is then off the map). */
int draw_panel_refresh(AppDraw *d, const DrawPanelIn *in);
/* Empty the canvas; returns DRAW_ACT_CLEAR. */
int draw_panel_clear(AppDraw *d, const DrawPanelIn *in);
/* The panel's keys: D (DRAW_ACT_TOGGLE), Backspace while shown (clear);
 * returns DRAW_ACT_* bits, 0 when the key is not the panel's. */
int draw_panel_key(AppDraw *d, UiKey k, bool shown, const DrawPanelIn *in);
/* The Draw panel in r: Clear, the brush slider, the canvas (painted with
 * the left mouse), the input and reconstruction, mu and sigma; returns
 * DRAW_ACT_* bits. */
int draw_panel(Ui *ui, UiRect r, AppDraw *d, const DrawPanelIn *in);
/* The drawing's marker on a map at screen (sx, sy): a diamond, unlike the
 * round z marker, tagged "drawn". */
void draw_panel_marker(Ui *ui, float sx, float sy);

/* One source of q(z|x) drawn on the map. */
enum { UNCERT_HOVER, UNCERT_DRAW, UNCERT_NEAREST, UNCERT_SOURCES };

typedef struct {
    bool on;                               /* drawn this frame */
    int index;                             /* map point (hover, nearest); -1 for the drawing */
    float mu[VAE_MAX_Z], sigma[VAE_MAX_Z]; /* sigma = exp(logvar / 2) */
    float center[2];                       /* map coordinates of mu */
    /* Z > 2: draws of q(z|x) placed in the layout, cached by what made them */
    float samples[UNCERT_SAMPLES * 2];
    bool samples_valid;
    uint64_t samples_seq;        /* layout */
    float samples_mu[VAE_MAX_Z]; /* mu they were drawn around */
} UncertSource;

typedef struct {
    bool rings; /* O: prior rings (Z = 2) */
    UncertSource src[UNCERT_SOURCES];
    double place_seconds; /* the last placement of one source's samples (Z > 2) */
} AppUncert;

/* What the uncertainty overlay reads of A's map. */
typedef struct {
    const float *xy; /* (n, 2) map positions; NULL: no model or no positions (nothing drawn) */
    bool same_z;     /* the map's Z is the cursor's (else no source shows) */
    int dim;         /* Z */
    const float *mu, *logvar; /* (n, dim) the points' q(z|x) */
    size_t n;
    int hover, nearest;     /* map points, -1 none */
    const AppDraw *drawing; /* the drawing, shown and encoded and placed for this Z; else NULL */
    const float *lay_y;     /* (n, 2) the projection's layout (Z > 2), where samples are placed */
    uint64_t lay_seq;       /* its version */
    int place_k;            /* neighbours a placement weighs (the z marker's) */
    const MapView *view;    /* A's map as viewed in rect */
    UiRect rect;
} UncertPanelIn;

/* What a key did to the overlay (bits). */
enum { UNCERT_ACT_RINGS = 1 /* O toggled un->rings */ };

/* O: the prior's rings on or off; UNCERT_ACT_RINGS, or 0 when the key is
 * not the overlay's. */
int uncert_panel_key(AppUncert *un, UiKey k);
/* Which sources show this frame, their q(z|x) and (Z > 2) their placed
 * samples (placed again only when mu or the layout changed). */
void uncert_panel_update(AppUncert *un, const UncertPanelIn *in);
/* The overlay on A's map: rings (O, Z = 2), and per source its ellipses
 * (Z = 2) or its samples (Z > 2). */
void uncert_panel_map(Ui *ui, const AppUncert *un, const UncertPanelIn *in);
/* q(z|x)'s 1- and 2-sigma ellipses (Z = 2) and the prior's rings on any
 * map (A's, or B's when comparing) viewed through v in r; focus: the
 * nearest image's colour. */
void uncert_panel_ellipses(Ui *ui, const MapView *v, UiRect r, const float center[2],
                           const float sigma[2], bool focus);
void uncert_panel_rings(Ui *ui, const MapView *v, UiRect r);

#endif
