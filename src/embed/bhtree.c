/* bhtree: see bhtree.h. */
#include "bhtree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"

#ifndef BH_LEAF
#define BH_LEAF 8
#endif
#ifndef BH_GROUP
#define BH_GROUP 128
#endif
enum { BH_DEPTH = 16 };

/* Spread the low 16 bits of v to the even bit positions. */
static uint32_t spread16(uint32_t v)
{
    v &= 0xFFFFu;
    v = (v | (v << 8)) & 0x00FF00FFu;
    v = (v | (v << 4)) & 0x0F0F0F0Fu;
    v = (v | (v << 2)) & 0x33333333u;
    v = (v | (v << 1)) & 0x55555555u;
    return v;
}

/* LSD radix sort of keys by their upper 32 bits (the Morton code); stable,
 * so equal codes keep index order and the build is deterministic. */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n)
{
    size_t count[256];
    for (int pass = 0; pass < 4; pass++) {
        int shift = 32 + 8 * pass;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> shift) & 0xFF]++;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i] >> shift) & 0xFF]++] = a[i];
        uint64_t *sw = a;
        a = tmp;
        tmp = sw;
    }
    /* four passes: the data is back in the caller's array */
}

/* Room for `need` elements of `size` bytes in arr (capacity *cap, doubled as
 * needed). Returns the (possibly moved) array, or NULL with arr untouched. */
static void *grow(void *arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return arr;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *p = realloc(arr, c * size);
    if (p)
        *cap = c;
    return p;
}

static int push_node(BhTree *t)
{
    BhNode *nn = grow(t->nodes, &t->cap_nodes, t->n_nodes + 1, sizeof *nn);
    if (!nn)
        return -1;
    t->nodes = nn;
    return (int)t->n_nodes++;
}

/* Build the subtree of sorted points [a, b) at `level` with cell side w.
 * Returns its node index or -1 (no memory). */
static long build(BhTree *t, uint32_t a, uint32_t b, int level, float w)
{
    int id = push_node(t);
    if (id < 0)
        return -1;
    BhNode node = {.w2 = w * w, .count = b - a, .first = a};
    if (b - a <= BH_LEAF || level == BH_DEPTH) {
        double sx = 0.0, sy = 0.0;
        for (uint32_t s = a; s < b; s++) {
            sx += t->ys[2 * (size_t)s];
            sy += t->ys[2 * (size_t)s + 1];
        }
        node.cx = (float)(sx / (b - a));
        node.cy = (float)(sy / (b - a));
        node.leaf = 1;
    } else {
        int shift = 32 + 30 - 2 * level;
        double sx = 0.0, sy = 0.0;
        uint32_t s = a;
        for (uint64_t c = 0; c < 4 && s < b; c++) {
            uint32_t e = s;
            while (e < b && ((t->keys[e] >> shift) & 3) == c)
                e++;
            if (e > s) {
                long child = build(t, s, e, level + 1, 0.5f * w);
                if (child < 0)
                    return -1;
                sx += (double)t->nodes[child].cx * (e - s);
                sy += (double)t->nodes[child].cy * (e - s);
            }
            s = e;
        }
        node.cx = (float)(sx / (b - a));
        node.cy = (float)(sy / (b - a));
        node.leaf = 0;
    }
    node.skip = (uint32_t)t->n_nodes;
    t->nodes[id] = node;
    return id;
}

int bh_build(BhTree *t, const float *y, size_t n)
{
    t->n = 0;
    t->n_nodes = 0;
    if (n > t->cap_n) {
        free(t->keys);
        free(t->tmp);
        free(t->perm);
        free(t->ys);
        t->keys = malloc(n * sizeof *t->keys);
        t->tmp = malloc(n * sizeof *t->tmp);
        t->perm = malloc(n * sizeof *t->perm);
        t->ys = malloc(2 * n * sizeof *t->ys);
        t->cap_n = (t->keys && t->tmp && t->perm && t->ys) ? n : 0;
        if (!t->cap_n)
            return -1;
    }
    if (n == 0)
        return 0;
    float minx = y[0], maxx = y[0], miny = y[1], maxy = y[1];
    for (size_t i = 1; i < n; i++) {
        float px = y[2 * i], py = y[2 * i + 1];
        minx = px < minx ? px : minx;
        maxx = px > maxx ? px : maxx;
        miny = py < miny ? py : miny;
        maxy = py > maxy ? py : maxy;
    }
    float side = fmaxf(maxx - minx, maxy - miny);
    if (!(side > 0.0f))
        side = 1.0f; /* all points coincide: one deepest leaf */
    double scale = 65536.0 / side;
    for (size_t i = 0; i < n; i++) {
        double fx = (y[2 * i] - minx) * scale, fy = (y[2 * i + 1] - miny) * scale;
        uint32_t qx = fx >= 65535.0 ? 65535u : (uint32_t)fx;
        uint32_t qy = fy >= 65535.0 ? 65535u : (uint32_t)fy;
        uint64_t code = spread16(qx) | (spread16(qy) << 1);
        t->keys[i] = code << 32 | (uint64_t)i;
    }
    radix_sort(t->keys, t->tmp, n);
    for (size_t s = 0; s < n; s++) {
        uint32_t i = (uint32_t)(t->keys[s] & 0xFFFFFFFFu);
        t->perm[s] = i;
        t->ys[2 * s] = y[2 * (size_t)i];
        t->ys[2 * s + 1] = y[2 * (size_t)i + 1];
    }
    t->n = n;
    if (build(t, 0, (uint32_t)n, 0, side) < 0) {
        t->n = 0;
        t->n_nodes = 0;
        return -1;
    }
    return 0;
}

/* Make room for `more` entries in the interaction list. */
static int list_reserve(BhList *l, size_t more)
{
    size_t need = l->n + more, cx = l->cap, cy = l->cap, cm = l->cap;
    if (need <= l->cap)
        return 0;
    float *nx = grow(l->x, &cx, need, sizeof *nx);
    if (nx)
        l->x = nx;
    float *ny = grow(l->y, &cy, need, sizeof *ny);
    if (ny)
        l->y = ny;
    float *nm = grow(l->m, &cm, need, sizeof *nm);
    if (nm)
        l->m = nm;
    if (!nx || !ny || !nm)
        return -1;
    l->cap = cx; /* all three grew to the same capacity */
    return 0;
}

static inline void list_push(BhList *l, float x, float y, float m)
{
    l->x[l->n] = x;
    l->y[l->n] = y;
    l->m[l->n++] = m;
}

static inline float max3(float a, float b, float c)
{
    float m = a > b ? a : b;
    return m > c ? m : c;
}

void bh_list_free(BhList *l)
{
    free(l->x);
    free(l->y);
    free(l->m);
    memset(l, 0, sizeof *l);
}

/* The interaction list of group node g: every cell far enough from the
 * group's bounding box to be accepted for all its points, and every point of
 * the leaves that had to be opened (including the group's own points). */
static int group_list(const BhTree *t, uint32_t g, float th2, BhList *l)
{
    const BhNode *nodes = t->nodes, *gn = &nodes[g];
    const float *ys = t->ys;
    float gx0 = INFINITY, gx1 = -INFINITY, gy0 = INFINITY, gy1 = -INFINITY;
    for (uint32_t s = gn->first; s < gn->first + gn->count; s++) {
        float px = ys[2 * (size_t)s], py = ys[2 * (size_t)s + 1];
        gx0 = px < gx0 ? px : gx0;
        gx1 = px > gx1 ? px : gx1;
        gy0 = py < gy0 ? py : gy0;
        gy1 = py > gy1 ? py : gy1;
    }
    l->n = 0;
    const uint32_t nn = (uint32_t)t->n_nodes;
    uint32_t id = 0;
    while (id < nn) {
        const BhNode *c = &nodes[id];
        float dx = max3(gx0 - c->cx, c->cx - gx1, 0.0f);
        float dy = max3(gy0 - c->cy, c->cy - gy1, 0.0f);
        /* Never accept a cell that contains the group (possible for theta >
         * 1/sqrt(2)): its own points must be listed one by one, so that each
         * point's self-term is exactly the 1 removed below. */
        int ancestor = id <= g && c->skip > g;
        if (!ancestor && c->w2 < th2 * (dx * dx + dy * dy)) {
            if (list_reserve(l, 1))
                return -1;
            list_push(l, c->cx, c->cy, (float)c->count);
            id = c->skip;
        } else if (c->leaf) {
            if (list_reserve(l, c->count))
                return -1;
            for (uint32_t j = c->first; j < c->first + c->count; j++)
                list_push(l, ys[2 * (size_t)j], ys[2 * (size_t)j + 1], 1.0f);
            id = c->skip;
        } else {
            id++;
        }
    }
    return 0;
}

int bh_groups(BhTree *t)
{
    t->n_groups = 0;
    uint32_t id = 0;
    while (id < (uint32_t)t->n_nodes) {
        const BhNode *c = &t->nodes[id];
        if (c->count <= BH_GROUP || c->leaf) {
            uint32_t *ng = grow(t->groups, &t->cap_groups, t->n_groups + 1, sizeof *ng);
            if (!ng)
                return -1;
            t->groups = ng;
            t->groups[t->n_groups++] = id;
            id = c->skip;
        } else {
            id++;
        }
    }
    return 0;
}

ZS_KERNEL int bh_repulse(const BhTree *t, size_t g0, size_t g1, double theta, BhList *l,
                         float *rep, double *gz)
{
    const float th2 = (float)(theta * theta);
    const float *ys = t->ys;
    for (size_t g = g0; g < g1; g++) {
        const BhNode *gn = &t->nodes[t->groups[g]];
        double z = 0.0;
        if (group_list(t, t->groups[g], th2, l))
            return -1;
        const float *lx = l->x, *ly = l->y, *lm = l->m;
        const size_t ln = l->n;
        for (uint32_t s = gn->first; s < gn->first + gn->count; s++) {
            const float xi = ys[2 * (size_t)s], yi = ys[2 * (size_t)s + 1];
            float zs = 0.0f, fx = 0.0f, fy = 0.0f;
            /* Dense and branch-free: the compiler vectorises this loop. The
             * point itself is in the list (d = 0): it adds exactly 1 to zs
             * and nothing to the force, removed below. (Float reductions
             * vectorise only when reordering is allowed: -fopenmp-simd and
             * this pragma allow it for this loop alone.) */
#pragma omp simd reduction(+ : zs, fx, fy)
            for (size_t a = 0; a < ln; a++) {
                float dx = xi - lx[a], dy = yi - ly[a];
                float q = 1.0f / (1.0f + dx * dx + dy * dy), mq = lm[a] * q, mqq = mq * q;
                zs += mq;
                fx += mqq * dx;
                fy += mqq * dy;
            }
            uint32_t i = t->perm[s];
            rep[2 * (size_t)i] = fx;
            rep[2 * (size_t)i + 1] = fy;
            z += (double)zs - 1.0;
        }
        gz[g] = z;
    }
    return 0;
}

void bh_free(BhTree *t)
{
    free(t->keys);
    free(t->tmp);
    free(t->perm);
    free(t->ys);
    free(t->nodes);
    free(t->groups);
    memset(t, 0, sizeof *t);
}
