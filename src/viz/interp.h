/* interp: walks through latent space. Linear and spherical interpolation
 * between two codes, paths through several stops (e.g. the class centroids
 * 2 -> 3 -> 8 -> 7 -> 9 -> 1) evaluated at any t in [0, 1] (so an animation
 * can be played, scrubbed or exported at any frame rate), and the class
 * centroids themselves: the mean of the latent means of a split's images
 * per class.
 *
 * Spherical interpolation (Shoemake's slerp, as White 2016 suggests for
 * generative models): with omega the angle between a and b,
 *   slerp(a, b; t) = sin((1 - t) omega) / sin omega * a + sin(t omega) / sin omega * b,
 * which keeps the norm near that of typical N(0, I) draws instead of cutting
 * through the low-density middle the way a straight line does. When a and b
 * are (anti)parallel or either is ~0 the angle is undefined and slerp falls
 * back to the straight line.
 *
 * Thread rule: a VizPath is read-only after viz_path_init; any number of
 * threads may evaluate it. viz_class_centroids runs the caller's Vae (owned
 * by the calling thread). */
#ifndef ZSPACE_VIZ_INTERP_H
#define ZSPACE_VIZ_INTERP_H

#include <stddef.h>

#include "core/err.h"
#include "data/dataset.h"
#include "vae/vae.h"

enum { VIZ_MAX_STOPS = 256 };

typedef enum { VIZ_LERP, VIZ_SLERP } VizInterp;

/* out (Z) = the point at t between a and b (t = 0: a, t = 1: b; exact at both
 * ends). out may alias neither a nor b. */
void viz_lerp(const float *a, const float *b, int z, float t, float *out);
void viz_slerp(const float *a, const float *b, int z, float t, float *out);

typedef struct {
    int z;        /* Z */
    int n_stops;  /* S >= 2 */
    float *stops; /* (S, Z) owned */
    VizInterp mode;
} VizPath;

/* Copy stops (S, Z), 2 <= S <= VIZ_MAX_STOPS. On failure *p is zeroed. */
int viz_path_init(VizPath *p, const float *stops, int n_stops, int z, VizInterp mode, Err *e);
void viz_path_free(VizPath *p);
/* z (Z) at t in [0, 1] (clamped): every segment takes the same share of t,
 * so the walk dwells equally on each leg whatever its length. */
void viz_path_eval(const VizPath *p, double t, float *z);
/* Frames of a walk with `steps` >= 1 frames per segment: (S - 1) steps + 1,
 * frame k at t = k / ((S - 1) steps). The first is stop 0 and the last the
 * final stop, exactly; frame k is stop k / steps when steps divides k. */
size_t viz_path_frames(const VizPath *p, int steps);
/* All frames' codes into z (frames, Z). */
void viz_path_sample(const VizPath *p, int steps, float *z);

/* Per-class means of the latent means of the first n images of split (0:
 * all): centroids (DATASET_CLASSES, Z) and counts (DATASET_CLASSES) are
 * overwritten; a class without images gets count 0 and a zero centroid. */
int viz_class_centroids(Vae *v, const DataSplit *split, size_t n, float *centroids, size_t *counts,
                        Err *e);

/* Parse a list of classes "2,3,8,7,9,1" into out (at most max): each item
 * is a class number 0..9 or, case-insensitively, a class name from names
 * (DATASET_CLASSES entries, may be NULL), e.g. "sneaker,bag". Spaces around
 * items are ignored. ERR_ARG names the offending item. */
int viz_parse_classes(const char *s, const char *const *names, int *out, int max, int *n, Err *e);

#endif
