/* view_neigh: the Neighbours strip and presenter mode's hideable panels
 * and session file, as the App holds them.
 *
 * Neighbours: the k test images whose latent means are nearest to the
 * current z (neigh.h: full-Z means, not the 2-D map), as thumbnails
 * labelled with their class in the label palette, in a fixed strip at the
 * bottom of the "Latent z" slot (so a Z = 64 slider list scrolls above it).
 * The search runs in update, at most once per frame and only when z or the
 * data changed; thumbnails are uploaded in draw. A click on a thumbnail
 * makes that image's mean the current z.
 *
 * The strip (view_neigh.c) owns its state, AppNeigh: neigh_panel_room lays
 * it out under the sliders, neigh_panel searches and draws it and returns
 * NEIGH_ACT_* bits; both read the world only through NeighPanelIn and never
 * the App, so they are tested headless (tests/test_neigh_panel.c). The App
 * side (neigh_app.c, declared in app_impl.h) builds the input, applies the
 * bits (app_set_z), uploads the thumbnails and fills the dump.
 *
 * Presenter (presenter.c): Tab hides / shows the side column (the map
 * takes the width, keeping its centre and zoom), L the legend, B the status
 * bar; Ctrl+Shift+S saves the session (session.h) to --session FILE or
 * $XDG_CONFIG_HOME/zspace/session.json. A session given at start-up is
 * applied in steps: settings at once, z when the model is in, the view when
 * the map is.
 *
 * Thread rule: main thread only. */
#ifndef ZSPACE_APP_VIEW_NEIGH_H
#define ZSPACE_APP_VIEW_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include "explore/neigh.h"
#include "explore/session.h"
#include "ui/ui.h"

enum { APP_NEIGH_K = 8 };

typedef struct {
    Neigh nb;
    int k;           /* thumbnails asked for (APP_NEIGH_K) */
    UiRect rect;     /* the strip; w == 0: not laid out this frame */
    int cols, thumb; /* grid: columns, thumbnail side in pixels */
    bool shown;      /* laid out in frame shown_frame */
    uint64_t shown_frame;
    UiRect cells[NEIGH_MAX];      /* where each thumbnail was drawn */
    int img[NEIGH_MAX];           /* gfx images (made on first draw) */
    int32_t img_point[NEIGH_MAX]; /* the point each image holds, -1 none */
    bool imgs_made;
    uint64_t img_tag; /* the data version the images show */
    int hover;        /* thumbnail under the mouse, -1 none */
    int clicks;       /* thumbnails clicked (dump-state) */
    int32_t snapped;  /* the point of the last click, -1 none */
} AppNeigh;

/* What the strip reads of the world. */
typedef struct {
    bool loaded;              /* a model is shown */
    bool ready;               /* its map is in: mu, labels and n are readable */
    const float *mu;          /* (n, z) the map's latent means */
    const uint8_t *labels;    /* (n) their classes */
    size_t n;                 /* points on the map */
    int z;                    /* Z of mu */
    size_t n_test;            /* points [0, n_test) are test images, the rest training ones */
    uint64_t data_tag;        /* the version of mu (a re-encode changes it) */
    const float *cur_z;       /* the current z (z floats) */
    int cur_dim;              /* its dimension: the slider rows to leave room for */
    const char *const *names; /* 10 class names */
    UiColor colors[10];       /* label colours */
    bool all_points;          /* the map holds training images too (the title says so) */
    float win_scale;          /* window pixels per point (HiDPI): the legible thumbnail */
    uint64_t frame;           /* this frame's number: a strip not laid out in it is hidden */
} NeighPanelIn;

/* What the user did in the strip this frame (bits). */
enum {
    NEIGH_ACT_SNAP = 1, /* a thumbnail clicked: the mean of point n->snapped becomes z */
};

/* A new strip: APP_NEIGH_K thumbnails, nothing clicked. */
void neigh_panel_defaults(AppNeigh *n);
/* Lay the strip out at the bottom of slot (the sliders' rect) when a model
 * is shown and the thumbnails would be legible; returns what is left of
 * slot for the sliders (slot itself when the strip is hidden). */
UiRect neigh_panel_room(const Ui *ui, AppNeigh *n, UiRect slot, const NeighPanelIn *in);
/* The strip as laid out this frame (nothing if it was not): search for z
 * if it or the data changed, the thumbnails and their labels, a tooltip on
 * hover; returns NEIGH_ACT_* bits. */
int neigh_panel(Ui *ui, AppNeigh *n, const NeighPanelIn *in);

typedef struct {
    bool hide_side, hide_legend, hide_status;
    char session_path[4096];      /* where Ctrl+Shift+S saves */
    Session restore;              /* the start-up session (parts still to apply below) */
    bool restore_z, restore_view; /* waiting for the model / the map */
    int saves;                    /* sessions saved (dump-state) */
} AppPresenter;

#endif
