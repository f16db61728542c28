/* tsne: see tsne.h. */
#include "tsne.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bhtree.h"
#include "core/cpu.h"
#include "core/rng.h"
#include "core/timer.h"
#include "knn.h"
#include "par.h"
#include "pca.h"

enum { CALIB_STEPS = 200, GROUP_CHUNK = 4 };

void tsne_params_default(TsneParams *p)
{
    *p = (TsneParams){
        .perplexity = 30.0,
        .exag_iters = 250,
        .exaggeration = 12.0,
        .learning_rate = 0.0,
        .momentum_early = 0.5,
        .momentum_late = 0.8,
        .theta = 0.5,
        .threads = 2,
        .seed = 1,
    };
}

/* ---- input affinities ---------------------------------------------------- */

/* Calibrate one row; returns 1 when the entropy target was reached. */
static int calibrate_row(const float *d2, int k, double target, float *p, double *beta_out)
{
    double dmin = d2[0], dmax = d2[0], mean = 0.0;
    for (int j = 0; j < k; j++) {
        dmin = d2[j] < dmin ? d2[j] : dmin;
        dmax = d2[j] > dmax ? d2[j] : dmax;
    }
    if (!(dmax > dmin)) { /* every neighbour equidistant: entropy is ln k for all beta */
        for (int j = 0; j < k; j++)
            p[j] = 1.0f / (float)k;
        if (beta_out)
            *beta_out = 0.0;
        return fabs(log((double)k) - target) < TSNE_ENTROPY_TOL;
    }
    for (int j = 0; j < k; j++)
        mean += d2[j] - dmin;
    mean /= k;
    /* H(beta) decreases monotonically from ln k (beta = 0) towards 0 (or the
     * log of the number of nearest ties): double until bracketed, then bisect.
     * Distances are shifted by dmin so the largest term is exp(0) = 1. */
    double beta = 1.0 / mean, lo = 0.0, hi = INFINITY;
    int ok = 0;
    for (int step = 0; step < CALIB_STEPS; step++) {
        double sum = 0.0, sdp = 0.0;
        for (int j = 0; j < k; j++) {
            double dj = d2[j] - dmin, pj = exp(-beta * dj);
            sum += pj;
            sdp += pj * dj;
        }
        double h = log(sum) + beta * sdp / sum;
        if (fabs(h - target) < TSNE_ENTROPY_TOL) {
            ok = 1;
            break;
        }
        if (h > target) {
            lo = beta;
            beta = isinf(hi) ? 2.0 * beta : 0.5 * (lo + hi);
        } else {
            hi = beta;
            beta = 0.5 * (lo + hi);
        }
    }
    double sum = 0.0;
    for (int j = 0; j < k; j++)
        sum += exp(-beta * (d2[j] - dmin));
    for (int j = 0; j < k; j++)
        p[j] = (float)(exp(-beta * (d2[j] - dmin)) / sum);
    if (beta_out)
        *beta_out = beta;
    return ok;
}

typedef struct {
    const float *dist2;
    size_t n;
    int k;
    double target;
    float *p;
    double *beta;
    int failed[64];
} CalibCtx;

static void calib_part(void *arg, int t, int nt)
{
    CalibCtx *c = arg;
    size_t lo, hi;
    par_range(c->n, t, nt, &lo, &hi);
    int failed = 0;
    for (size_t i = lo; i < hi; i++)
        failed += !calibrate_row(c->dist2 + i * (size_t)c->k, c->k, c->target,
                                 c->p + i * (size_t)c->k, c->beta ? c->beta + i : NULL);
    c->failed[t] = failed;
}

static int conditional_p(const float *dist2, size_t n, int k, double perplexity, float *p,
                         double *beta, int threads)
{
    CalibCtx c = {.dist2 = dist2, .n = n, .k = k, .target = log(perplexity), .p = p,
                  .beta = beta};
    int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads;
    par_run(nt, calib_part, &c);
    int failed = 0;
    for (int t = 0; t < nt; t++)
        failed += c.failed[t];
    return failed;
}

int tsne_conditional_p(const float *dist2, size_t n, int k, double perplexity, float *p,
                       double *beta)
{
    return conditional_p(dist2, n, k, perplexity, p, beta, 1);
}

/* p_ij = (p_{j|i} + p_{i|j}) / (2N) into CSR. Row i is its out-neighbours
 * (from the kNN lists) merged with its in-neighbours (rows that list i), the
 * merge done with a stamp array in O(nnz). */
static int symmetrize(TsneState *s, const int32_t *idx, const float *pc, Err *e)
{
    const size_t n = s->n;
    const int k = s->k;
    size_t *inptr = calloc(n + 1, sizeof *inptr);
    int32_t *insrc = malloc(n * (size_t)k * sizeof *insrc);
    float *inval = malloc(n * (size_t)k * sizeof *inval);
    size_t *stamp = malloc(n * sizeof *stamp);
    size_t *pos = malloc(n * sizeof *pos);
    s->rowptr = malloc((n + 1) * sizeof *s->rowptr);
    s->col = malloc(2 * n * (size_t)k * sizeof *s->col);
    s->val = malloc(2 * n * (size_t)k * sizeof *s->val);
    int rc = ERR_OK;
    if (!inptr || !insrc || !inval || !stamp || !pos || !s->rowptr || !s->col || !s->val) {
        rc = err_set(e, ERR_NOMEM, "tsne: out of memory for the affinities of %zu points", n);
        goto done;
    }
    for (size_t i = 0; i < n * (size_t)k; i++)
        inptr[idx[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        inptr[i + 1] += inptr[i];
    for (size_t i = 0; i < n; i++) /* fill transposed lists, reusing stamp as cursor */
        stamp[i] = inptr[i];
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < k; a++) {
            size_t j = (size_t)idx[i * (size_t)k + a];
            insrc[stamp[j]] = (int32_t)i;
            inval[stamp[j]++] = pc[i * (size_t)k + a];
        }
    for (size_t i = 0; i < n; i++)
        stamp[i] = SIZE_MAX;
    const float scale = (float)(0.5 / (double)n);
    size_t nnz = 0;
    for (size_t i = 0; i < n; i++) {
        s->rowptr[i] = nnz;
        for (int a = 0; a < k; a++) {
            size_t j = (size_t)idx[i * (size_t)k + a];
            stamp[j] = i;
            pos[j] = nnz;
            s->col[nnz] = (int32_t)j;
            s->val[nnz++] = pc[i * (size_t)k + a];
        }
        for (size_t b = inptr[i]; b < inptr[i + 1]; b++) {
            size_t j = (size_t)insrc[b];
            if (stamp[j] == i) {
                s->val[pos[j]] += inval[b];
            } else {
                s->col[nnz] = (int32_t)j;
                s->val[nnz++] = inval[b];
            }
        }
        for (size_t b = s->rowptr[i]; b < nnz; b++)
            s->val[b] *= scale;
    }
    s->rowptr[n] = nnz;
done:
    free(inptr);
    free(insrc);
    free(inval);
    free(stamp);
    free(pos);
    return rc;
}

/* ---- gradient ------------------------------------------------------------ */

typedef struct {
    const float *y;
    size_t n;
    const size_t *rowptr;
    const int32_t *col;
    const float *val;
    double theta;
    const BhTree *tree;
    BhList *lists;        /* (threads) interaction-list scratch */
    size_t max_row;       /* longest row of P */
    atomic_size_t next;   /* next Barnes-Hut group to take (dynamic schedule) */
    double *gz;           /* (groups) each group's share of Z */
    float *attr, *rep;
    double zpart[64];     /* per part: 0, or -1 when out of memory */
} GradCtx;

/* attr_i = sum_j p_ij w_ij (y_i - y_j) for rows [lo, hi). Two passes per
 * row: scalar loads of the neighbours' offsets into contiguous scratch, then
 * the arithmetic as a vectorised loop. (Vectorising the gather itself is
 * slower: AVX-512 gathers are microcoded on Zen 4; measured.) dx, dy have
 * room for the longest row. */
ZS_KERNEL static void attractive(const GradCtx *c, size_t lo, size_t hi, float *dx, float *dy)
{
    const float *y = c->y;
    for (size_t i = lo; i < hi; i++) {
        const float xi = y[2 * i], yi = y[2 * i + 1];
        const size_t b0 = c->rowptr[i], len = c->rowptr[i + 1] - b0;
        const int32_t *col = c->col + b0;
        const float *val = c->val + b0;
        for (size_t a = 0; a < len; a++) {
            size_t j = (size_t)col[a];
            dx[a] = xi - y[2 * j];
            dy[a] = yi - y[2 * j + 1];
        }
        float fx = 0.0f, fy = 0.0f;
#pragma omp simd reduction(+ : fx, fy)
        for (size_t a = 0; a < len; a++) {
            float pw = val[a] / (1.0f + dx[a] * dx[a] + dy[a] * dy[a]);
            fx += pw * dx[a];
            fy += pw * dy[a];
        }
        c->attr[2 * i] = fx;
        c->attr[2 * i + 1] = fy;
    }
}

/* Exact repulsion for rows [lo, hi); each row's share of Z into gz[i]. */
ZS_KERNEL static void repulsive_exact(const GradCtx *c, size_t lo, size_t hi)
{
    const float *y = c->y;
    for (size_t i = lo; i < hi; i++) {
        double xi = y[2 * i], yi = y[2 * i + 1], fx = 0.0, fy = 0.0, zi = 0.0;
        for (size_t j = 0; j < c->n; j++) {
            if (j == i)
                continue;
            double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
            double q = 1.0 / (1.0 + dx * dx + dy * dy);
            zi += q;
            fx += q * q * dx;
            fy += q * q * dy;
        }
        c->rep[2 * i] = (float)fx;
        c->rep[2 * i + 1] = (float)fy;
        c->gz[i] = zi;
    }
}

static void grad_part(void *arg, int t, int nt)
{
    GradCtx *c = arg;
    size_t lo, hi;
    par_range(c->n, t, nt, &lo, &hi);
    float *dx = malloc(2 * c->max_row * sizeof *dx);
    if (!dx) {
        c->zpart[t] = -1.0;
        return;
    }
    attractive(c, lo, hi, dx, dx + c->max_row);
    free(dx);
    c->zpart[t] = 0.0;
    if (!(c->theta > 0.0)) {
        repulsive_exact(c, lo, hi);
        return;
    }
    /* Groups differ in cost (list lengths vary across the map), so threads
     * take GROUP_CHUNK groups at a time from a shared counter; the result does
     * not depend on who took which (Z is summed per group, in order). */
    const size_t ng = c->tree->n_groups;
    for (;;) {
        size_t g0 = atomic_fetch_add_explicit(&c->next, GROUP_CHUNK, memory_order_relaxed);
        if (g0 >= ng)
            break;
        size_t g1 = g0 + GROUP_CHUNK < ng ? g0 + GROUP_CHUNK : ng;
        if (bh_repulse(c->tree, g0, g1, c->theta, &c->lists[t], c->rep, c->gz)) {
            c->zpart[t] = -1.0;
            return;
        }
    }
}

/* The scratch behind tsne_gradient's `bh` pointer. */
typedef struct {
    BhTree tree;
    BhList lists[64];
    float *attr, *rep;
    size_t cap;
    double *gz;
    size_t cap_gz;
} BhScratch;

void tsne_bh_free(void *bh)
{
    BhScratch *b = bh;
    if (!b)
        return;
    bh_free(&b->tree);
    for (int t = 0; t < 64; t++)
        bh_list_free(&b->lists[t]);
    free(b->attr);
    free(b->rep);
    free(b->gz);
    free(b);
}

double tsne_gradient(const float *y, size_t n, const size_t *rowptr, const int32_t *col,
                     const float *val, double alpha, double theta, int threads, void **bh,
                     float *grad)
{
    BhScratch *b = *bh;
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b)
            return -1.0;
        *bh = b;
    }
    if (b->cap < n) {
        free(b->attr);
        free(b->rep);
        b->attr = malloc(2 * n * sizeof *b->attr);
        b->rep = malloc(2 * n * sizeof *b->rep);
        b->cap = b->attr && b->rep ? n : 0;
        if (!b->cap)
            return -1.0;
    }
    if (theta > 0.0 && (bh_build(&b->tree, y, n) != 0 || bh_groups(&b->tree) != 0))
        return -1.0;
    GradCtx c = {.y = y, .n = n, .rowptr = rowptr, .col = col, .val = val, .theta = theta,
                 .tree = &b->tree, .lists = b->lists, .attr = b->attr, .rep = b->rep};
    for (size_t i = 0; i < n; i++)
        c.max_row = rowptr[i + 1] - rowptr[i] > c.max_row ? rowptr[i + 1] - rowptr[i] : c.max_row;
    if (c.max_row == 0)
        c.max_row = 1;
    int nt = threads < 1 ? 1 : threads > 64 ? 64 : threads;
    if ((size_t)nt > n)
        nt = n ? (int)n : 1;
    /* Z's parts: one per group (Barnes-Hut) or per row (exact), summed in
     * order below, so the result is the same for any thread count. */
    size_t nz = theta > 0.0 ? b->tree.n_groups : n;
    if (b->cap_gz < nz) {
        free(b->gz);
        b->gz = malloc(nz * sizeof *b->gz);
        b->cap_gz = b->gz ? nz : 0;
        if (!b->gz)
            return -1.0;
    }
    c.gz = b->gz;
    atomic_init(&c.next, 0);
    par_run(nt, grad_part, &c);
    double z = 0.0;
    for (int t = 0; t < nt; t++)
        if (c.zpart[t] < 0.0)
            return -1.0;
    for (size_t g = 0; g < nz; g++)
        z += b->gz[g];
    const float a = (float)alpha, iz = (float)(1.0 / z);
    for (size_t i = 0; i < 2 * n; i++)
        grad[i] = a * b->attr[i] - iz * b->rep[i];
    return z;
}

/* ---- state --------------------------------------------------------------- */

void tsne_free(TsneState *s)
{
    free(s->y);
    free(s->yi);
    free(s->order);
    free(s->update);
    free(s->gains);
    free(s->grad);
    free(s->rowptr);
    free(s->col);
    free(s->val);
    tsne_bh_free(s->bh);
    memset(s, 0, sizeof *s);
}

/* Caller-order layout s->y from the internal one. */
static void publish(TsneState *s)
{
    for (size_t k = 0; k < s->n; k++) {
        s->y[2 * (size_t)s->order[k]] = s->yi[2 * k];
        s->y[2 * (size_t)s->order[k] + 1] = s->yi[2 * k + 1];
    }
}

void tsne_set_layout(TsneState *s, const float *y)
{
    memcpy(s->y, y, 2 * s->n * sizeof *s->y);
    for (size_t k = 0; k < s->n; k++) {
        s->yi[2 * k] = y[2 * (size_t)s->order[k]];
        s->yi[2 * k + 1] = y[2 * (size_t)s->order[k] + 1];
    }
    for (size_t i = 0; i < 2 * s->n; i++) {
        s->update[i] = 0.0f;
        s->gains[i] = 1.0f;
    }
}

/* PCA initialisation: first two components, scaled so column 0 has standard
 * deviation 1e-4. A coordinate the data cannot supply (D < 2, rank < 2) is
 * drawn from N(0, (1e-4)^2) so the layout is not confined to a line. */
static int init_layout(TsneState *s, const float *x, Err *e)
{
    const size_t n = s->n;
    int have = 0;
    if (s->d >= 2) {
        Pca pca;
        int rc = pca_fit(&pca, x, n, s->d, 2, e);
        if (rc != ERR_OK)
            return rc;
        pca_transform(&pca, x, n, s->y);
        have = pca.variance[0] > 0.0f ? (pca.variance[1] > 1e-12f * pca.variance[0] ? 2 : 1) : 0;
        pca_free(&pca);
    } else if (s->d == 1) {
        for (size_t i = 0; i < n; i++)
            s->y[2 * i] = x[i];
        have = 1;
    }
    double sum = 0.0, sq = 0.0;
    for (size_t i = 0; i < n && have; i++)
        sum += s->y[2 * i];
    double mean = have ? sum / (double)n : 0.0;
    for (size_t i = 0; i < n && have; i++)
        sq += (s->y[2 * i] - mean) * (s->y[2 * i] - mean);
    double sd = sqrt(sq / (double)n);
    if (have && !(sd > 0.0))
        have = 0;
    Rng r;
    rng_seed(&r, s->p.seed);
    for (size_t i = 0; i < n; i++) {
        if (have >= 1) {
            s->y[2 * i] = (float)(s->y[2 * i] * 1e-4 / sd);
            s->y[2 * i + 1] = have == 2 ? (float)(s->y[2 * i + 1] * 1e-4 / sd)
                                        : 1e-4f * rng_normal(&r);
        } else {
            s->y[2 * i] = 1e-4f * rng_normal(&r);
            s->y[2 * i + 1] = 1e-4f * rng_normal(&r);
        }
    }
    return ERR_OK;
}

int tsne_init(TsneState *s, const float *x, size_t n, int d, const TsneParams *p, const float *y0,
              const atomic_bool *cancel, Err *e)
{
    memset(s, 0, sizeof *s);
    if (!(p->perplexity >= 1.0))
        return err_set(e, ERR_ARG, "tsne: perplexity %g: must be at least 1", p->perplexity);
    if (d < 1)
        return err_set(e, ERR_ARG, "tsne: points need at least one dimension");
    int k = (int)floor(3.0 * p->perplexity);
    if ((double)n < 3.0 * p->perplexity + 1.0)
        return err_set(e, ERR_ARG,
                       "tsne: %zu point%s %s too few for perplexity %g (need at least "
                       "3 x perplexity + 1 = %d); lower the perplexity",
                       n, n == 1 ? "" : "s", n == 1 ? "is" : "are", p->perplexity, k + 1);
    if (!(p->theta >= 0.0) || !(p->exaggeration > 0.0) || p->exag_iters < 0)
        return err_set(e, ERR_ARG, "tsne: bad parameters (theta %g, exaggeration %g)", p->theta,
                       p->exaggeration);
    for (size_t i = 0; i < n * (size_t)d; i++)
        if (!isfinite(x[i]))
            return err_set(e, ERR_NUMERIC, "tsne: point %zu, dimension %zu is %s", i / d + 1,
                           i % d + 1, isnan(x[i]) ? "NaN" : "infinite");
    if (y0)
        for (size_t i = 0; i < 2 * n; i++)
            if (!isfinite(y0[i]))
                return err_set(e, ERR_NUMERIC, "tsne: initial layout point %zu is not finite",
                               i / 2 + 1);
    s->n = n;
    s->d = d;
    s->k = k;
    s->p = *p;
    if (s->p.threads < 1)
        s->p.threads = 1;
    if (s->p.learning_rate <= 0.0)
        s->p.learning_rate = fmax((double)n / 12.0, 200.0);
    s->cancel = cancel;

    int32_t *idx = malloc(n * (size_t)k * sizeof *idx);
    float *dist2 = malloc(n * (size_t)k * sizeof *dist2);
    float *pc = malloc(n * (size_t)k * sizeof *pc);
    s->y = malloc(2 * n * sizeof *s->y);
    s->yi = malloc(2 * n * sizeof *s->yi);
    s->order = malloc(n * sizeof *s->order);
    s->update = malloc(2 * n * sizeof *s->update);
    s->gains = malloc(2 * n * sizeof *s->gains);
    s->grad = malloc(2 * n * sizeof *s->grad);
    int rc = ERR_OK;
    if (!idx || !dist2 || !pc || !s->y || !s->yi || !s->order || !s->update || !s->gains ||
        !s->grad) {
        rc = err_set(e, ERR_NOMEM, "tsne: out of memory for %zu points", n);
        goto done;
    }
    double t0 = timer_now();
    rc = knn_query(x, n, x, n, d, k, 1, idx, dist2, s->p.threads, cancel, e);
    if (rc != ERR_OK)
        goto done;
    double t1 = timer_now();
    s->n_uncalibrated = conditional_p(dist2, n, k, s->p.perplexity, pc, NULL, s->p.threads);
    rc = symmetrize(s, idx, pc, e);
    if (rc != ERR_OK)
        goto done;
    s->time_knn = t1 - t0;
    s->time_affinity = timer_now() - t1;
    if (y0) {
        memcpy(s->y, y0, 2 * n * sizeof *s->y);
    } else {
        rc = init_layout(s, x, e);
        if (rc != ERR_OK)
            goto done;
    }
    for (size_t i = 0; i < n; i++)
        s->order[i] = (uint32_t)i;
    memcpy(s->yi, s->y, 2 * n * sizeof *s->yi);
    for (size_t i = 0; i < 2 * n; i++) {
        s->update[i] = 0.0f;
        s->gains[i] = 1.0f;
    }
done:
    free(idx);
    free(dist2);
    free(pc);
    if (rc != ERR_OK) {
        /* Name the stage for the helpers' messages (knn:, pca:), once. */
        if (rc != ERR_CANCELLED && e && strncmp(e->msg, "tsne:", 5) != 0)
            err_prefix(e, "tsne");
        tsne_free(s);
    }
    return rc;
}

/* Renumber the internal points into the sorted order `perm` (sorted position
 * -> internal index) of the last Barnes-Hut tree. Returns 0, or -1 when
 * memory runs out (then nothing changed). */
static int reorder(TsneState *s, const uint32_t *perm)
{
    const size_t n = s->n, nnz = s->rowptr[n];
    uint32_t *newpos = malloc(n * sizeof *newpos), *order = malloc(n * sizeof *order);
    float *y3 = malloc(6 * n * sizeof *y3);
    size_t *rowptr = malloc((n + 1) * sizeof *rowptr);
    int32_t *col = malloc(nnz * sizeof *col);
    float *val = malloc(nnz * sizeof *val);
    if (!newpos || !order || !y3 || !rowptr || !col || !val) {
        free(newpos);
        free(order);
        free(y3);
        free(rowptr);
        free(col);
        free(val);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        newpos[perm[k]] = (uint32_t)k;
    size_t b = 0;
    for (size_t k = 0; k < n; k++) {
        size_t old = perm[k];
        order[k] = s->order[old];
        for (int c = 0; c < 2; c++) {
            y3[2 * k + c] = s->yi[2 * old + c];
            y3[2 * (n + k) + c] = s->update[2 * old + c];
            y3[2 * (2 * n + k) + c] = s->gains[2 * old + c];
        }
        rowptr[k] = b;
        for (size_t a = s->rowptr[old]; a < s->rowptr[old + 1]; a++) {
            col[b] = (int32_t)newpos[s->col[a]];
            val[b++] = s->val[a];
        }
    }
    rowptr[n] = b;
    memcpy(s->yi, y3, 2 * n * sizeof *y3);
    memcpy(s->update, y3 + 2 * n, 2 * n * sizeof *y3);
    memcpy(s->gains, y3 + 4 * n, 2 * n * sizeof *y3);
    free(s->order);
    free(s->rowptr);
    free(s->col);
    free(s->val);
    s->order = order;
    s->rowptr = rowptr;
    s->col = col;
    s->val = val;
    free(newpos);
    free(y3);
    return 0;
}

int tsne_step(TsneState *s, int iters, Err *e)
{
    const size_t n = s->n;
    const float lr = (float)s->p.learning_rate;
    int rc = ERR_OK;
    for (int it = 0; it < iters; it++) {
        if (s->cancel && atomic_load_explicit(s->cancel, memory_order_acquire)) {
            rc = err_set(e, ERR_CANCELLED, "tsne: cancelled after %d iterations", s->iter);
            break;
        }
        int early = s->iter < s->p.exag_iters;
        double alpha = early ? s->p.exaggeration : 1.0;
        float mom = (float)(early ? s->p.momentum_early : s->p.momentum_late);
        double z = tsne_gradient(s->yi, n, s->rowptr, s->col, s->val, alpha, s->p.theta,
                                 s->p.threads, &s->bh, s->grad);
        if (z < 0.0) {
            rc = err_set(e, ERR_NOMEM, "tsne: out of memory for the gradient of %zu points", n);
            break;
        }
        if (!isfinite(z)) {
            rc = err_set(e, ERR_NUMERIC, "tsne: non-finite gradient at iteration %d", s->iter);
            break;
        }
        s->z = z;
        float *y = s->yi;
        for (size_t i = 0; i < 2 * n; i++) {
            float g = s->grad[i], u = s->update[i], gain = s->gains[i];
            gain = ((g > 0.0f) != (u > 0.0f)) ? gain + 0.2f : gain * 0.8f;
            if (gain < 0.01f)
                gain = 0.01f;
            s->gains[i] = gain;
            u = mom * u - lr * gain * g;
            s->update[i] = u;
            y[i] += u;
        }
        double sx = 0.0, sy = 0.0;
        for (size_t i = 0; i < n; i++) {
            sx += y[2 * i];
            sy += y[2 * i + 1];
        }
        float mx = (float)(sx / (double)n), my = (float)(sy / (double)n);
        int bad = 0;
        for (size_t i = 0; i < n; i++) {
            y[2 * i] -= mx;
            y[2 * i + 1] -= my;
            bad |= !isfinite(y[2 * i]) || !isfinite(y[2 * i + 1]);
        }
        s->iter++;
        if (bad) {
            rc = err_set(e, ERR_NUMERIC, "tsne: layout diverged at iteration %d", s->iter);
            break;
        }
        /* The tree of this iteration sorted the points of the previous
         * layout: close enough to the current one for memory locality. */
        if (s->p.theta > 0.0 && s->iter % TSNE_REORDER == 0 && s->bh &&
            reorder(s, ((BhScratch *)s->bh)->tree.perm) != 0) {
            rc = err_set(e, ERR_NOMEM, "tsne: out of memory renumbering %zu points", n);
            break;
        }
    }
    publish(s);
    return rc;
}

/* ---- KL divergence ------------------------------------------------------- */

typedef struct {
    const TsneState *s;
    double zpart[64], klpart[64];
} KlCtx;

ZS_KERNEL static void kl_part(void *arg, int t, int nt)
{
    KlCtx *c = arg;
    const TsneState *s = c->s;
    const float *y = s->yi;
    size_t lo, hi;
    par_range(s->n, t, nt, &lo, &hi);
    double z = 0.0, kl = 0.0;
    for (size_t i = lo; i < hi; i++) {
        double xi = y[2 * i], yi = y[2 * i + 1];
        for (size_t j = 0; j < s->n; j++) {
            double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
            z += 1.0 / (1.0 + dx * dx + dy * dy);
        }
        z -= 1.0; /* j == i */
        /* sum p ln(p / w) now; + ln Z (sum p = 1) at the end */
        for (size_t b = s->rowptr[i]; b < s->rowptr[i + 1]; b++) {
            size_t j = (size_t)s->col[b];
            double p = s->val[b];
            if (p <= 0.0)
                continue;
            double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
            kl += p * log(p * (1.0 + dx * dx + dy * dy));
        }
    }
    c->zpart[t] = z;
    c->klpart[t] = kl;
}

double tsne_kl(const TsneState *s)
{
    KlCtx c = {.s = s};
    int nt = s->p.threads > 64 ? 64 : s->p.threads;
    par_run(nt, kl_part, &c);
    double z = 0.0, kl = 0.0, psum = 0.0;
    for (int t = 0; t < nt; t++) {
        z += c.zpart[t];
        kl += c.klpart[t];
    }
    for (size_t b = 0; b < s->rowptr[s->n]; b++)
        psum += s->val[b];
    return kl + psum * log(z);
}
