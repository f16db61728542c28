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
 * Grouped traversal: the tree is walked once per group of up to BH_GROUP
 * points (the largest cells that small), not once per point. A cell is
 * accepted when side < theta * (distance from its centre of mass to the
 * group's bounding box), which implies the per-point Barnes-Hut criterion for
 * every point of the group (so the result is at least as accurate as plain
 * BH at the same theta). The walk yields one interaction list of
 * (position, mass) entries, accepted cells and the points of opened leaves,
 * and every point of the group then sums over that list in a dense loop that
 * the compiler vectorises (AVX-512: 16 entries per instruction). This moves
 * the cost from pointer-chasing per point to arithmetic, several times faster.
 *
 * Thread rule: bh_build and bh_groups run on one thread; bh_repulse calls on
 * disjoint group ranges may then run concurrently (the tree is read-only,
 * each call writes only its groups' points and gz entries). */
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
    uint32_t *groups; /* node indices of the groups, in sorted-point order */
    size_t n_groups, cap_groups;
} BhTree;

/* A thread's interaction list (scratch, grown as needed). */
typedef struct {
    float *x, *y, *m;
    size_t n, cap;
} BhList;

/* (Re)build the tree over y (N, 2), reusing t's buffers. Returns 0, or -1 when
 * memory runs out (t stays valid and empty). */
int bh_build(BhTree *t, const float *y, size_t n);

/* Split the built tree into groups (t->groups). Returns 0 or -1 (no memory). */
int bh_groups(BhTree *t);

/* For the points of groups [g0, g1): rep[perm[s]] (2 floats) = sum over
 * other points j of w_sj^2 (y_s - y_j) under the grouped Barnes-Hut
 * approximation with opening angle theta, w = 1 / (1 + d^2), and gz[g] = the
 * group's sum of w (its share of Z; summing gz in order gives the same Z for
 * any split into calls). Returns 0, or -1 when the list cannot grow. */
int bh_repulse(const BhTree *t, size_t g0, size_t g1, double theta, BhList *l, float *rep,
               double *gz);
void bh_list_free(BhList *l);

void bh_free(BhTree *t);

#endif
