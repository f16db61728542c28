/* neigh: the explorer's "Neighbours": the k shown points whose latent means
 * are nearest (Euclidean, in the full Z-dimensional latent space, not the
 * 2-D map) to the current z. Pure: no SDL, no GL, so it is tested headless
 * (tests/test_neigh.c).
 *
 * The search is embed/knn's exact brute force (one query: a direct loop, no
 * sgemm), nearest first, ties broken by the lower index. A brute-force pass
 * over 10,000 points of Z = 2 costs tens of microseconds, over 70,000 of
 * Z = 64 about a millisecond; neigh_update makes sure the explorer pays it
 * at most once per change of z (or of the data) and never per frame for
 * nothing.
 *
 * Thread rule: a Neigh belongs to the thread that updates it (the UI); mu
 * is read-only during a call. */
#ifndef ZSPACE_EXPLORE_NEIGH_H
#define ZSPACE_EXPLORE_NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "vae/vae.h"

enum { NEIGH_MAX = 16 };

typedef struct {
    int k;                  /* neighbours held: min(k asked, n); 0 before a search */
    int32_t idx[NEIGH_MAX]; /* indices into mu, nearest first */
    float dist2[NEIGH_MAX]; /* their squared distances to z */
    /* the question they answer (a new one triggers a search) */
    float z[VAE_MAX_Z];
    int z_dim, k_asked;
    size_t n;
    uint64_t data_tag;
    bool valid;
    /* bookkeeping for tests and dump-state */
    uint64_t searches;      /* searches run so far */
    double last_ms;         /* wall time of the last search */
} Neigh;

/* The min(k, n) rows of mu (n, z_dim) nearest to z (z_dim floats), nearest
 * first, into idx / dist2 (room for k each; dist2 may be NULL). Returns the
 * count found (>= 0), or -1 with e filled (k outside 1..NEIGH_MAX, z_dim
 * outside 1..VAE_MAX_Z, out of memory). n == 0 finds 0. */
int neigh_search(const float *mu, size_t n, int z_dim, const float *z, int k, int32_t *idx,
                 float *dist2, Err *e);

/* Bring nb up to date for this z: searches again only when z, k, n, z_dim
 * or data_tag (the caller's version of mu: bump it when mu is re-encoded)
 * differ from the last search; otherwise nb is left as it is. mu NULL or
 * n == 0 empties nb. Returns ERR_OK or the search's error (nb emptied). */
int neigh_update(Neigh *nb, const float *mu, size_t n, int z_dim, uint64_t data_tag,
                 const float *z, int k, Err *e);

/* Forget the last search (the next update searches). */
void neigh_reset(Neigh *nb);

#endif
