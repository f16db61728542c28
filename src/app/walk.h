/* walk: the explorer's latent-walk player, without the app around it: the
 * settings a user edits (stops as classes or two points A/B, linear or
 * spherical, speed, once / loop / ping-pong), the playback clock, and the
 * Walk panel's widgets. The panel takes a Ui and what it should show
 * (names, colours, the classifier's reading) and returns what the user did,
 * so its logic is tested headless like any widget (tests/test_walk.c).
 *
 * t runs over [0, 1] across the whole path, every leg taking the same share
 * (viz_path_eval's convention), so `speed` in legs per second makes a walk
 * through six classes take 5 / speed seconds whatever the distances.
 *
 * Thread rule: main thread (a Ui belongs to it). */
#ifndef ZSPACE_APP_WALK_H
#define ZSPACE_APP_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/ui.h"
#include "vae/vae.h"

enum { WALK_MAX_STOPS = 10 };

typedef enum { WALK_CLASSES, WALK_POINTS } WalkSource;
typedef enum { WALK_ONCE, WALK_LOOP, WALK_PINGPONG } WalkRepeat;

typedef struct {
    WalkSource source;
    int classes[WALK_MAX_STOPS]; /* class stops (source WALK_CLASSES) */
    int n_classes;               /* 2..WALK_MAX_STOPS */
    float a[VAE_MAX_Z], b[VAE_MAX_Z]; /* point stops (source WALK_POINTS) */
    bool have_a, have_b;
    bool slerp;
    WalkRepeat repeat;
    float speed;  /* legs per second, WALK_SPEED_MIN..MAX */
    bool playing;
    int dir;      /* +1 forwards, -1 backwards (ping-pong) */
    float t;      /* position on the path, [0, 1] */
    uint32_t version; /* bumped whenever the path (stops, mode) changes */
} WalkState;

#define WALK_SPEED_MIN 0.1f
#define WALK_SPEED_MAX 4.0f

/* Stops 2, 3, 8, 7, 9, 1 (the classic walk), linear, loop, 0.5 legs/s,
 * paused at t = 0. */
void walk_default(WalkState *w);
/* Legs of the current path (stops - 1); 0 when it has no path yet (points
 * mode without both A and B). */
int walk_legs(const WalkState *w);
/* Advance the clock by dt seconds while playing: loop wraps to the start,
 * ping-pong turns round at either end, once stops at the end. Returns true
 * when t moved. */
bool walk_advance(WalkState *w, double dt);
/* Start or pause; starting a finished one-shot walk rewinds it. */
void walk_toggle(WalkState *w);

/* What the panel should show besides the state. */
typedef struct {
    const char *const *names; /* 10 class names */
    UiColor colors[10];       /* label colours */
    int z_dim;                /* Z (A/B need a model) */
    const float *z;           /* the current z (for "A = current z") */
    int cls;                  /* the classifier's class of the shown digit, -1: none */
    float prob;               /* its probability */
    const char *clf_note;     /* shown instead when cls < 0 (may be NULL) */
    const int8_t *timeline;   /* class at n_timeline evenly spaced t (may be NULL) */
    int n_timeline;
} WalkPanelIn;

/* What the user did in the panel this frame (bits). */
enum {
    WALK_ACT_PATH = 1,   /* stops or mode changed (version bumped) */
    WALK_ACT_SCRUB = 2,  /* t set by the scrub slider (playback paused) */
    WALK_ACT_PLAY = 4,   /* play / pause pressed */
    WALK_ACT_EXPORT = 8, /* "GIF (G)" pressed */
};

/* Where the panel drew its buttons this frame (dump-state reports them, so
 * scripts can click them wherever the layout puts them). */
typedef struct {
    char id[16];
    UiRect r;
} WalkButton;

typedef struct {
    WalkButton b[48];
    int n;
} WalkButtons;

/* The Walk panel in r, most watched first: the classifier's reading, a
 * scrub slider over the class timeline, play / repeat / export, the source
 * (classes or A-B) with its stops (+ and - per class stop, add / remove a
 * stop), linear / spherical, speed (the panel scrolls if it must). Returns WALK_ACT_* bits; buttons (may be NULL) gets the rects. */
int walk_panel(Ui *ui, UiRect r, WalkState *w, const WalkPanelIn *in, WalkButtons *buttons);

#endif
