/* bhtree: the Barnes-Hut quadtree behind tsne's accelerated repulsion.
 * Internal to src/embed (tsne.c is its only user).
 *
 * Layout, chosen for speed: points are sorted by their Morton (Z-order) code
 * on a 2^16 x 2^16 grid over the bounding square, so every cell is a
 * contiguous run of the sorted points. Nodes are stored in depth-first order,
 * children right after their parent, each with a `skip` index to the node
 * after its subtree; a traversal is then one forward walk through an array
 * ("accept the cell: jump to skip; open it: go to the next node") with no
 * stack and no pointers. Leaves hold up to BH_LEAF points (or any number of
 * points at the deepest level: duplicates) and are summed exactly.
 *
 * Thread rule: bh_build runs on one thread; bh_repulse on disjoint point
 * ranges may then run concurrently (the tree is read-only). */
#ifndef ZSPACE_EMBED_BHTREE_H
#define ZSPACE_EMBED_BHTREE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    float cx, cy;   /* centre of mass */
    float w2;       /* squared side of the cell */
    uint32_t count; /* points in the subtree */
    uint32_t skip;  /* index of the first node after this subtree */
    uint32_t first; /* first point of the subtree in sorted order */
    uint32_t leaf;  /* 1: sum the points exactly when the cell is opened */
} BhNode;

typedef struct {
    size_t n, cap_n;
    uint64_t *keys, *tmp; /* (N) Morton code << 32 | original index; radix-sort buffer */
    uint32_t *perm;       /* (N) sorted position -> original index */
    float *ys;            /* (N, 2) points in sorted order */
    BhNode *nodes;
    size_t n_nodes, cap_nodes;
} BhTree;

/* (Re)build the tree over y (N, 2), reusing t's buffers. Returns 0, or -1 when
 * memory runs out (t stays valid and empty). */
int bh_build(BhTree *t, const float *y, size_t n);

/* For sorted positions [s0, s1): rep[perm[s]] (2 floats) = sum over other
 * points j of w_sj^2 (y_s - y_j) under the Barnes-Hut approximation with
 * opening angle theta, w = 1 / (1 + d^2). Returns the part's sum of w (its
 * share of Z). */
double bh_repulse(const BhTree *t, size_t s0, size_t s1, double theta, float *rep);

void bh_free(BhTree *t);

#endif
