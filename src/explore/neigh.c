/* neigh: see neigh.h. */
#include "neigh.h"

#include <string.h>

#include "core/timer.h"
#include "embed/knn.h"

int neigh_search(const float *mu, size_t n, int z_dim, const float *z, int k, int32_t *idx,
                 float *dist2, Err *e)
{
    if (k < 1 || k > NEIGH_MAX) {
        err_set(e, ERR_ARG, "neighbours: k = %d, expected 1..%d", k, NEIGH_MAX);
        return -1;
    }
    if (z_dim < 1 || z_dim > VAE_MAX_Z) {
        err_set(e, ERR_ARG, "neighbours: Z = %d, expected 1..%d", z_dim, VAE_MAX_Z);
        return -1;
    }
    if (n == 0 || !mu)
        return 0;
    int kk = (size_t)k < n ? k : (int)n;
    float d2[NEIGH_MAX];
    if (knn_query(mu, n, z, 1, z_dim, kk, 0, idx, d2, 1, NULL, e) != ERR_OK)
        return -1;
    if (dist2)
        memcpy(dist2, d2, (size_t)kk * sizeof *d2);
    return kk;
}

void neigh_reset(Neigh *nb)
{
    nb->valid = false;
    nb->k = 0;
}

int neigh_update(Neigh *nb, const float *mu, size_t n, int z_dim, uint64_t data_tag,
                 const float *z, int k, Err *e)
{
    if (!mu || n == 0) {
        neigh_reset(nb);
        return ERR_OK;
    }
    bool same = nb->valid && nb->z_dim == z_dim && nb->k_asked == k && nb->n == n &&
                nb->data_tag == data_tag && z_dim >= 1 && z_dim <= VAE_MAX_Z &&
                memcmp(nb->z, z, (size_t)z_dim * sizeof *z) == 0;
    if (same)
        return ERR_OK;
    double t0 = timer_now();
    int got = neigh_search(mu, n, z_dim, z, k, nb->idx, nb->dist2, e);
    nb->last_ms = (timer_now() - t0) * 1e3;
    nb->searches++;
    if (got < 0) {
        neigh_reset(nb);
        return e ? e->code : ERR_ARG;
    }
    nb->k = got;
    nb->z_dim = z_dim;
    nb->k_asked = k;
    nb->n = n;
    nb->data_tag = data_tag;
    memcpy(nb->z, z, (size_t)z_dim * sizeof *z);
    nb->valid = true;
    return ERR_OK;
}
