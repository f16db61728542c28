/* test_grad_nn: finite-difference checks of every nn backward kernel.
 *
 * Each check builds a scalar L = sum_i R_i y_i from a layer's output y with
 * fixed random weights R, so dL/dy = R, runs the layer's backward with that,
 * and compares every input/parameter gradient with central differences of
 * the float forward kernel, L evaluated in double. Tolerance per element:
 * |analytic - numeric| <= ATOL + RTOL |numeric|; h = 1e-2 (1e-3 for the
 * exponentials of KL/reparam): the loss sums carry float rounding of ~1e-5,
 * which a smaller h would amplify past the truncation error it saves. ReLU pre-activations are kept at |a| >= 0.05 so no
 * difference straddles the kink. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "nn/sparse.h"

#define ATOL 3e-3
#define RTOL 1e-2

static void fill(Rng *r, float *p, size_t n, float scale)
{
    for (size_t i = 0; i < n; i++)
        p[i] = scale * rng_normal(r);
}

static double dot(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

/* Compare an analytic gradient g with central differences of f over p[0..n). */
typedef double (*LossFn)(void *ctx);
static void check_grad(const char *what, float *p, const float *g, size_t n, LossFn f, void *ctx,
                       float h)
{
    for (size_t i = 0; i < n; i++) {
        float keep = p[i];
        p[i] = keep + h;
        double lp = f(ctx);
        p[i] = keep - h;
        double lm = f(ctx);
        p[i] = keep;
        double num = (lp - lm) / (2.0 * h);
        double err = fabs(g[i] - num), tol = ATOL + RTOL * fabs(num);
        if (err > tol) {
            print_error("%s[%zu]: analytic %.6g numeric %.6g\n", what, i, (double)g[i], num);
            fail();
        }
    }
}

/* ---- linear (dense) with ReLU ---- */
typedef struct {
    int B, in, out, relu;
    float *x, *w, *b, *y, *R;
} Lin;

static double lin_loss(void *c_)
{
    Lin *c = c_;
    linear_forward(c->y, c->x, c->w, c->b, c->B, c->in, c->out, c->relu);
    return dot(c->y, c->R, (size_t)c->B * c->out);
}

static void test_linear_dense(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 11);
    for (int relu = 0; relu <= 1; relu++) {
        Lin c = {.B = 3, .in = 9, .out = 7, .relu = relu};
        size_t nx = (size_t)c.B * c.in, nw = (size_t)c.out * c.in, ny = (size_t)c.B * c.out;
        c.x = malloc(nx * 4), c.w = malloc(nw * 4), c.b = malloc(c.out * 4);
        c.y = malloc(ny * 4), c.R = malloc(ny * 4);
        float *dx = calloc(nx, 4), *dw = calloc(nw, 4), *db = calloc(c.out, 4),
              *dy = malloc(ny * 4);
        fill(&r, c.x, nx, 1), fill(&r, c.w, nw, 0.5f), fill(&r, c.b, c.out, 0.5f);
        fill(&r, c.R, ny, 1);
        /* push pre-activations away from the ReLU kink */
        linear_forward(c.y, c.x, c.w, c.b, c.B, c.in, c.out, 0);
        for (size_t i = 0; i < ny; i++)
            if (fabsf(c.y[i]) < 0.05f)
                c.b[i % c.out] += 0.2f;
        linear_forward(c.y, c.x, c.w, c.b, c.B, c.in, c.out, 0);
        for (size_t i = 0; i < ny; i++)
            assert_true(fabsf(c.y[i]) >= 0.05f || !relu);
        lin_loss(&c);
        memcpy(dy, c.R, ny * 4);
        if (relu)
            relu_backward_inplace(dy, c.y, (long)ny);
        linear_backward_input(dx, dy, c.w, c.B, c.in, c.out, 1);
        /* two row blocks, to cover r0 > 0 */
        linear_backward_weight(dw, db, dy, c.x, c.B, c.in, c.out, 0, 3, 1);
        linear_backward_weight(dw, db, dy, c.x, c.B, c.in, c.out, 3, c.out, 1);
        check_grad("dx", c.x, dx, nx, lin_loss, &c, 1e-2f);
        check_grad("dW", c.w, dw, nw, lin_loss, &c, 1e-2f);
        check_grad("db", c.b, db, c.out, lin_loss, &c, 1e-2f);
        free(c.x), free(c.w), free(c.b), free(c.y), free(c.R);
        free(dx), free(dw), free(db), free(dy);
    }
}

/* ---- sparse-input first layer (transposed weight) ---- */
typedef struct {
    int B, in, out;
    float *x, *wt, *b, *y, *R;
    SparseRows s;
} LinT;

static double lint_loss(void *c_)
{
    LinT *c = c_;
    sparse_rows_build(&c->s, c->x, 0, c->B);
    sparse_forward(c->y, c->x, &c->s, 0, c->B, c->wt, c->b, c->out, 0);
    return dot(c->y, c->R, (size_t)c->B * c->out);
}

static void test_linear_sparse(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 12);
    LinT c = {.B = 4, .in = 70, .out = 150}; /* two pixel tiles; a 128 chunk and a tail */
    size_t nx = (size_t)c.B * c.in, nw = (size_t)c.out * c.in, ny = (size_t)c.B * c.out;
    c.x = malloc(nx * 4), c.wt = malloc(nw * 4), c.b = malloc(c.out * 4);
    c.y = malloc(ny * 4), c.R = malloc(ny * 4);
    void *rm = aligned_alloc(64, sparse_rows_bytes(c.B, c.in));
    void *cm = aligned_alloc(64, sparse_cols_bytes(c.B));
    sparse_rows_init(&c.s, rm, c.B, c.in);
    SparseCols sc;
    sparse_cols_init(&sc, cm, c.B);
    float *dwt = calloc(nw, 4), *db = calloc(c.out, 4);
    for (size_t i = 0; i < nx; i++) /* a quarter nonzero: the sparse path */
        c.x[i] = rng_uniform(&r) < 0.75f ? 0.0f : rng_uniform(&r);
    fill(&r, c.wt, nw, 0.5f), fill(&r, c.b, c.out, 0.5f), fill(&r, c.R, ny, 1);
    sparse_rows_build(&c.s, c.x, 0, c.B);
    sparse_backward_weight(dwt, c.R, c.x, &c.s, c.out, 0, c.in, 1, &sc);
    bias_backward(db, c.R, c.B, c.out, 1);
    check_grad("dWt", c.wt, dwt, nw, lint_loss, &c, 1e-2f);
    check_grad("db", c.b, db, c.out, lint_loss, &c, 1e-2f);
    free(c.x), free(c.wt), free(c.b), free(c.y), free(c.R), free(rm), free(cm);
    free(dwt), free(db);
}

/* ---- BCE from logits ---- */
typedef struct {
    int B, X;
    float *l, *x, *loss;
} Bce;

static double bce_loss(void *c_)
{
    Bce *c = c_;
    bce_logits_forward(c->loss, c->l, c->x, c->B, c->X);
    double s = 0;
    for (int i = 0; i < c->B; i++)
        s += c->loss[i];
    return s;
}

static void test_bce(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 13);
    Bce c = {.B = 3, .X = 37}; /* 37: two 16-lane blocks and a tail */
    size_t n = (size_t)c.B * c.X;
    c.l = malloc(n * 4), c.x = malloc(n * 4), c.loss = malloc(c.B * 4);
    float *d = calloc(n, 4), *d2 = malloc(n * 4), *loss2 = malloc(c.B * 4);
    fill(&r, c.l, n, 3);
    for (size_t i = 0; i < n; i++)
        c.x[i] = rng_uniform(&r) < 0.3f ? 0.0f : rng_uniform(&r);
    bce_logits_backward(d, c.l, c.x, c.B, c.X);
    check_grad("dlogits", c.l, d, n, bce_loss, &c, 1e-2f);
    /* the fused training kernel gives the same loss and gradient */
    bce_loss(&c);
    bce_logits_fused(loss2, d2, c.l, c.x, c.B, c.X);
    for (int i = 0; i < c.B; i++)
        assert_float_equal(loss2[i], c.loss[i], 1e-5f * fabsf(c.loss[i]));
    for (size_t i = 0; i < n; i++)
        assert_float_equal(d2[i], d[i], 1e-6f);
    free(c.l), free(c.x), free(c.loss), free(d), free(d2), free(loss2);
}

/* ---- Gaussian KL and reparameterization ---- */
typedef struct {
    int B, Z;
    float *ml, *eps, *z, *kl, *R;
    int which; /* 0 KL, 1 reparam */
} Lat;

static double lat_loss(void *c_)
{
    Lat *c = c_;
    if (c->which == 0) {
        gaussian_kl_forward(c->kl, NULL, c->ml, c->B, c->Z);
        double s = 0;
        for (int i = 0; i < c->B; i++)
            s += c->kl[i];
        return s;
    }
    reparam_forward(c->z, c->ml, c->eps, c->B, c->Z);
    return dot(c->z, c->R, (size_t)c->B * c->Z);
}

static void test_kl_reparam(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 14);
    Lat c = {.B = 3, .Z = 5};
    size_t nz = (size_t)c.B * c.Z;
    c.ml = malloc(2 * nz * 4), c.eps = malloc(nz * 4), c.z = malloc(nz * 4);
    c.kl = malloc(c.B * 4), c.R = malloc(nz * 4);
    fill(&r, c.ml, 2 * nz, 1), fill(&r, c.eps, nz, 1), fill(&r, c.R, nz, 1);
    float *d = calloc(2 * nz, 4);
    c.which = 0;
    gaussian_kl_backward(d, c.ml, 1.0f, c.B, c.Z);
    check_grad("KL dml", c.ml, d, 2 * nz, lat_loss, &c, 1e-3f);
    memset(d, 0, 2 * nz * 4);
    c.which = 1;
    reparam_backward(d, c.R, c.ml, c.eps, c.B, c.Z);
    check_grad("reparam dml", c.ml, d, 2 * nz, lat_loss, &c, 1e-3f);
    /* kl_dim accumulates the per-latent parts of the same sums */
    double kd[5] = {0};
    gaussian_kl_forward(c.kl, kd, c.ml, c.B, c.Z);
    double tot = 0, kd_tot = 0;
    for (int i = 0; i < c.B; i++)
        tot += c.kl[i];
    for (int j = 0; j < c.Z; j++)
        kd_tot += kd[j];
    assert_float_equal(kd_tot, tot, 1e-5 * fabs(tot));
    free(c.ml), free(c.eps), free(c.z), free(c.kl), free(c.R), free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_dense),
        cmocka_unit_test(test_linear_sparse),
        cmocka_unit_test(test_bce),
        cmocka_unit_test(test_kl_reparam),
    };
    return cmocka_run_group_tests_name("grad_nn", tests, NULL, NULL);
}
