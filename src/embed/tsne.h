/* tsne: t-distributed stochastic neighbour embedding of N points of D floats
 * into 2-D (van der Maaten & Hinton 2008; the Barnes-Hut form of van der
 * Maaten 2014; the optimisation schedule of Belkina et al. 2019 and
 * Kobak & Berens 2019 that openTSNE and FIt-SNE use).
 *
 * Input affinities. For each point i its k = floor(3 perplexity) nearest
 * neighbours (knn.h, exact). The conditional p_{j|i} = exp(-beta_i d_ij^2) /
 * sum_l exp(-beta_i d_il^2) over those neighbours, with beta_i found by
 * bisection (at most 200 steps, so never a hang) until the entropy
 * H_i = -sum_j p_{j|i} ln p_{j|i} is within TSNE_ENTROPY_TOL of ln(perplexity).
 * Then p_ij = (p_{j|i} + p_{i|j}) / (2N): symmetric, sparse (CSR), sum 1.
 * Degenerate rows: when every neighbour of i is at the same distance (e.g. k
 * duplicates of i) the entropy is ln k for every beta and cannot reach the
 * target; the row is then uniform over the neighbours and counted in
 * n_uncalibrated. Duplicate points are otherwise fine (distance 0).
 *
 * Objective and gradient. q_ij = w_ij / Z with w_ij = 1 / (1 + |y_i - y_j|^2)
 * and Z = sum_{k != l} w_kl. KL(P||Q) = sum p_ij ln(p_ij / q_ij). We use the
 * gradient divided by 4, as bhtsne and FIt-SNE do (so learning rates are
 * comparable with theirs):
 *   g_i = alpha sum_j p_ij w_ij (y_i - y_j)  -  (1/Z) sum_j w_ij^2 (y_i - y_j)
 * where alpha is the exaggeration. The attractive sum runs over the nonzeros of
 * P; the repulsive sum is exact (O(N^2), theta = 0, the test reference) or
 * Barnes-Hut on a quadtree (theta > 0): a cell of side s whose centre of mass
 * is at distance r from y_i is taken as one point of its mass when s < theta r
 * (bhtree.h: r is measured from a whole group of nearby points at once, which
 * is stricter). Measured error at theta = 0.5 on MNIST layouts: 0.4-0.6% of
 * the repulsive force, 0.3% of Z. Why Barnes-Hut and not FIt-SNE's FFT
 * interpolation: at N <= 70,000 the FFTs alone cost more per iteration than
 * a whole Barnes-Hut iteration here (BENCHMARKS.md, t-SNE).
 *
 * Optimisation. Gradient descent with momentum and per-coordinate gains
 * (Jacobs 1988, as in bhtsne): gain += 0.2 where the gradient's sign differs
 * from the last update's, else gain *= 0.8 (floor 0.01); update = momentum *
 * update - lr * gain * g; y += update; then y is re-centred. Iterations below
 * exag_iters use exaggeration (12) and momentum 0.5, later ones 1 and 0.8.
 * Default learning rate max(N / 12, 200). Default initialisation: the first
 * two principal components scaled so the first has standard deviation 1e-4.
 *
 * Warm starts (the explorer's "latent movie"): pass the previous layout as
 * y0 to tsne_init (or tsne_set_layout on a live state). The schedule still
 * starts at iteration 0, so set exag_iters = 0 to skip early exaggeration
 * when the old layout is already clustered (exaggerating a finished map
 * shrinks it first). Typical use from a worker:
 *   tsne_init(&s, z, n, zdim, &p, prev_or_NULL, &stop, &e);
 *   while (s.iter < 1000 && tsne_step(&s, 5, &e) == ERR_OK)
 *       publish a copy of s.y;          // 5 iterations ~ 10 ms at N = 10,000
 *   tsne_free(&s);
 *
 * Determinism: the same input, parameters and seed give the same layout, bit
 * for bit, for any thread count (work is split so that every sum is formed
 * in a fixed order).
 *
 * Thread rule: a TsneState is owned by one thread (in the explorer: the
 * projection worker). tsne_init and tsne_step use `threads` pthreads inside
 * the call and none outside it. Between calls the owner may read s->y (the
 * layout) and s->iter; to show the layout elsewhere copy it. The only
 * cross-thread input is the optional cancel flag, which another thread may
 * set at any time: tsne_init polls it between kNN tiles, tsne_step between
 * iterations, and both then return ERR_CANCELLED (the state stays valid after
 * a cancelled tsne_step, and may be stepped again). */
#ifndef ZSPACE_EMBED_TSNE_H
#define ZSPACE_EMBED_TSNE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* The calibration target: |H_i - ln(perplexity)| below this for every row. */
#define TSNE_ENTROPY_TOL 1e-5
/* Iterations between renumberings of the points (see TsneState). */
#define TSNE_REORDER 50

typedef struct {
    double perplexity;    /* effective number of neighbours (30); k = floor(3 perplexity) */
    int exag_iters;       /* iterations with early exaggeration and low momentum (250) */
    double exaggeration;  /* factor on P during early exaggeration (12) */
    double learning_rate; /* 0: max(N / 12, 200) */
    double momentum_early, momentum_late; /* 0.5, 0.8 */
    double theta;         /* Barnes-Hut opening angle (0.5); 0 = exact O(N^2) gradient */
    int threads;          /* pthreads for kNN and gradients (2) */
    uint64_t seed;        /* for the random initialisation used when D < 2 (1) */
} TsneParams;

typedef struct {
    /* Readable by the owner between calls. */
    size_t n;           /* N */
    int d;              /* D */
    int k;              /* neighbours per point used for P */
    int iter;           /* iterations done so far */
    float *y;           /* (N, 2) the current layout */
    TsneParams p;       /* parameters in force (learning rate resolved) */
    int n_uncalibrated; /* rows whose entropy could not reach the target (see above) */
    double z;           /* Z of the last gradient evaluation */
    double time_knn, time_affinity; /* seconds spent in tsne_init's two phases */

    /* Internal. The optimisation works on its own numbering of the points,
     * renumbered every TSNE_REORDER iterations into the Z-order of the layout
     * so that map neighbours (which P's nonzeros mostly are) sit close in
     * memory: the attractive pass then hits cache instead of RAM. s->y is
     * written back in the caller's order at the end of every tsne_step. */
    float *yi, *update, *gains, *grad; /* (N, 2) in internal order */
    uint32_t *order;               /* (N) internal index -> caller's index */
    size_t *rowptr;                /* (N + 1) CSR of symmetric P, internal order */
    int32_t *col;                  /* (nnz) */
    float *val;                    /* (nnz), sums to 1 */
    const atomic_bool *cancel;
    void *bh;                      /* quadtree scratch, reused across iterations */
} TsneState;

void tsne_params_default(TsneParams *p);

/* Compute P for x (N, D) (not kept after the call) and set the initial
 * layout: y0 (N, 2) if not NULL (e.g. the previous projection, so the map
 * evolves smoothly; it is copied as is), else the scaled PCA initialisation.
 * Errors: perplexity < 1 or N < 3 perplexity + 1 (ERR_ARG), non-finite input
 * (ERR_NUMERIC naming row and column), cancel (ERR_CANCELLED), no memory.
 * cancel may be NULL. On failure *s is zeroed and needs no tsne_free. */
int tsne_init(TsneState *s, const float *x, size_t n, int d, const TsneParams *p, const float *y0,
              const atomic_bool *cancel, Err *e);

/* Run `iters` iterations (continuing the schedule from s->iter). Returns
 * ERR_CANCELLED if the cancel flag was seen (s->y holds the layout after the
 * last complete iteration), ERR_NUMERIC if the layout became non-finite. */
int tsne_step(TsneState *s, int iters, Err *e);

/* Replace the layout by y (N, 2) and reset the momentum and gains, keeping P:
 * restart from a given map without recomputing affinities. */
void tsne_set_layout(TsneState *s, const float *y);

/* KL(P || Q) of the current layout with Z summed exactly (O(N^2) / threads;
 * 70,000 points take about a second). Uses the unexaggerated P. */
double tsne_kl(const TsneState *s);

void tsne_free(TsneState *s);

/* Building blocks, exposed for tests and for re-use. */

/* Calibrate rows: dist2 (N, k) squared distances to each row's neighbours
 * (any order). Writes p (N, k), rows summing to 1, and beta (N) if not NULL.
 * Returns the number of uncalibrated (degenerate) rows. */
int tsne_conditional_p(const float *dist2, size_t n, int k, double perplexity, float *p,
                       double *beta);

/* The gradient (divided by 4, see above) of KL at layout y (N, 2) for P in
 * CSR form, exaggeration alpha, into grad (N, 2) (overwritten). theta = 0:
 * exact; theta > 0: Barnes-Hut. Returns Z (its estimate under Barnes-Hut),
 * or -1 when memory runs out.
 * For theta > 0 `bh` must be a scratch pointer owned by the caller, starting
 * NULL and released with tsne_bh_free. */
double tsne_gradient(const float *y, size_t n, const size_t *rowptr, const int32_t *col,
                     const float *val, double alpha, double theta, int threads, void **bh,
                     float *grad);
void tsne_bh_free(void *bh);

#endif
