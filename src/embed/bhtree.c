/* bhtree: see bhtree.h. */
#include "bhtree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { BH_LEAF = 8, BH_DEPTH = 16 };

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

static int push_node(BhTree *t)
{
    if (t->n_nodes == t->cap_nodes) {
        size_t cap = t->cap_nodes ? 2 * t->cap_nodes : 1024;
        BhNode *nn = realloc(t->nodes, cap * sizeof *nn);
        if (!nn)
            return -1;
        t->nodes = nn;
        t->cap_nodes = cap;
    }
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

double bh_repulse(const BhTree *t, size_t s0, size_t s1, double theta, float *rep)
{
    const float th2 = (float)(theta * theta);
    const BhNode *nodes = t->nodes;
    const uint32_t nn = (uint32_t)t->n_nodes;
    const float *ys = t->ys;
    double z = 0.0;
    for (size_t s = s0; s < s1; s++) {
        const float xi = ys[2 * s], yi = ys[2 * s + 1];
        float zs = 0.0f, fx = 0.0f, fy = 0.0f;
        uint32_t id = 0;
        while (id < nn) {
            const BhNode *c = &nodes[id];
            float dx = xi - c->cx, dy = yi - c->cy, d2 = dx * dx + dy * dy;
            if (c->w2 < th2 * d2) {
                float q = 1.0f / (1.0f + d2), mq = (float)c->count * q;
                zs += mq;
                fx += mq * q * dx;
                fy += mq * q * dy;
                id = c->skip;
            } else if (c->leaf) {
                uint32_t end = c->first + c->count;
                for (uint32_t j = c->first; j < end; j++) {
                    if (j == s)
                        continue;
                    float ex = xi - ys[2 * (size_t)j], ey = yi - ys[2 * (size_t)j + 1];
                    float q = 1.0f / (1.0f + ex * ex + ey * ey);
                    zs += q;
                    fx += q * q * ex;
                    fy += q * q * ey;
                }
                id = c->skip;
            } else {
                id++;
            }
        }
        uint32_t i = t->perm[s];
        rep[2 * (size_t)i] = fx;
        rep[2 * (size_t)i + 1] = fy;
        z += zs;
    }
    return z;
}

void bh_free(BhTree *t)
{
    free(t->keys);
    free(t->tmp);
    free(t->perm);
    free(t->ys);
    free(t->nodes);
    memset(t, 0, sizeof *t);
}
