/* cursor: the explorer's current latent point and what follows from it:
 * the decoded digit as bytes, a fingerprint of each decode, and the map
 * point nearest to z. The app owns one; panels read it, and every change
 * goes through these functions. Headless: the decode runs on the caller's
 * thread (the UI's, at most once per frame) with the caller's weights.
 *
 * Thread rule: one thread (the UI thread) owns a Cursor. */
#ifndef ZSPACE_EXPLORE_CURSOR_H
#define ZSPACE_EXPLORE_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "vae/vae.h"

enum { CURSOR_SHA1_RING = 32 };

typedef struct {
    int dim;                                   /* latent size; 0 before a model */
    float z[VAE_MAX_Z];                        /* [dim] */
    bool dirty;                                /* z or the weights changed since the last decode */
    uint8_t decoded[VAE_X];                    /* the last decode, 0..255 */
    bool decoded_valid;                        /* decoded is of this model */
    uint64_t decodes;                          /* decodes done so far */
    uint8_t recent_sha1[CURSOR_SHA1_RING][20]; /* SHA-1 of the last decodes (ring) */
    int nearest;                               /* map point nearest to z, -1 none */
} Cursor;

/* A new model of dim latent dimensions: z at the origin, to be decoded, no
 * nearest point yet (dim 0: no model). The decode count carries on. */
void cursor_reset(Cursor *c, int dim);
/* The model went away: its decode and nearest point are no longer shown. */
void cursor_forget(Cursor *c);
/* z moves (dim values); nearest is the map point nearest to it, -1 none. */
void cursor_set_z(Cursor *c, const float *z, int nearest);
/* The map's points changed under an unchanged z. */
void cursor_set_nearest(Cursor *c, int nearest);
/* The decoder's weights changed: decode z again. */
void cursor_stale(Cursor *c);
/* Decodes z with v if it is dirty; true when it did (decoded, its SHA-1
 * and the count are new). */
bool cursor_decode(Cursor *c, Vae *v);
/* SHA-1 of the decode k (0-based, one of the last CURSOR_SHA1_RING). */
const uint8_t *cursor_sha1(const Cursor *c, uint64_t k);

#endif
