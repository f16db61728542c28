/* test_grad_vae: the whole VAE's gradient against finite differences of an
 * independent double-precision reference (vae_ref.c), for every element of
 * every parameter tensor of tiny models (two architectures, 1 and 2
 * threads). Central differences in double with h = 1e-5 are accurate to
 * ~1e-8, so the tolerance |g - num| <= 2e-4 + 2e-3 |num| measures the
 * engine's float arithmetic. Inputs are mostly exact zeros (the first
 * layer's sparse path) or mostly nonzero (its sgemm path). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vae/vae.h"
#include "vae_ref.h"

enum { B = 5, X = 20 };

static void make_batch(Rng *r, float *x, float *eps, int z, float zeros)
{
    for (int i = 0; i < B * X; i++)
        x[i] = rng_uniform(r) < zeros ? 0.0f : rng_uniform(r);
    rng_normal_fill(r, eps, (size_t)B * z);
}

static void check_model(const VaeConfig *c, int threads, uint64_t seed, float zeros)
{
    Vae v;
    Err e = {0};
    assert_int_equal(vae_init(&v, c, 8, seed, &e), ERR_OK);
    assert_int_equal(vae_set_threads(&v, threads, &e), ERR_OK);
    Rng r;
    rng_seed(&r, seed + 1);
    float x[B * X], eps[B * VAE_MAX_Z];
    VaeRef ref;
    vae_ref_init(&ref, &v);
    double *theta = malloc(ref.total * sizeof *theta), *g = malloc(ref.total * sizeof *g);
    vae_ref_get(&ref, &v, VAE_PARAMS, theta);
    /* Draw batches until no ReLU pre-activation is within reach of a finite
     * difference (deterministic: the same draws every run). */
    double min_pre = 0, rs, ks, L = 0;
    for (int tries = 0; tries < 100 && min_pre <= 1e-3; tries++) {
        make_batch(&r, x, eps, c->z, zeros);
        L = vae_ref_loss(&ref, theta, x, eps, B, &rs, &ks, &min_pre, NULL);
    }
    assert_true(min_pre > 1e-3);

    VaeLoss loss;
    vae_zero_grad(&v);
    vae_forward(&v, x, eps, B, &loss, NULL, NULL);
    assert_float_equal(loss.loss * B, L, 1e-5 * fabs(L));
    assert_float_equal(loss.recon * B, rs, 1e-5 * fabs(rs));
    assert_float_equal(loss.kl * B, ks, 1e-4 * fabs(ks) + 1e-6);
    vae_backward(&v);
    vae_ref_get(&ref, &v, VAE_GRADS, g);

    const double h = 1e-5;
    for (int t = 0; t < ref.n_tensors; t++) {
        VaeTensorInfo ti;
        vae_tensor_info(&v, t, &ti);
        for (size_t i = 0; i < ref.count[t]; i++) {
            double *p = theta + ref.off[t] + i, keep = *p;
            *p = keep + h;
            double lp = vae_ref_loss(&ref, theta, x, eps, B, NULL, NULL, NULL, NULL);
            *p = keep - h;
            double lm = vae_ref_loss(&ref, theta, x, eps, B, NULL, NULL, NULL, NULL);
            *p = keep;
            double num = (lp - lm) / (2 * h), an = g[ref.off[t] + i];
            if (fabs(an - num) > 2e-4 + 2e-3 * fabs(num)) {
                print_error("%s[%zu]: analytic %.7g numeric %.7g\n", ti.name, i, an, num);
                fail();
            }
        }
    }

    /* backward accumulates: a second forward/backward doubles the grads */
    vae_forward(&v, x, eps, B, NULL, NULL, NULL);
    vae_backward(&v);
    double *g2 = malloc(ref.total * sizeof *g2);
    vae_ref_get(&ref, &v, VAE_GRADS, g2);
    for (size_t i = 0; i < ref.total; i++)
        assert_float_equal(g2[i], 2 * g[i], 1e-6 + 1e-5 * fabs(g[i]));
    free(g2);
    free(theta);
    free(g);
    vae_free(&v);
}

static void test_one_hidden(void **state)
{
    (void)state;
    VaeConfig c;
    vae_config_default(&c);
    c.x = X, c.z = 3, c.hidden[0] = 7;
    check_model(&c, 1, 3, 0.8f);
    check_model(&c, 2, 3, 0.8f);
    check_model(&c, 2, 3, 0.3f);
}

static void test_two_hidden_beta(void **state)
{
    (void)state;
    VaeConfig c;
    vae_config_default(&c);
    c.x = X, c.z = 2, c.n_hidden = 2, c.hidden[0] = 9, c.hidden[1] = 6, c.beta = 0.5f;
    check_model(&c, 1, 7, 0.8f);
    check_model(&c, 2, 7, 0.8f);
    check_model(&c, 1, 7, 0.3f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_hidden),
        cmocka_unit_test(test_two_hidden_beta),
    };
    return cmocka_run_group_tests_name("grad_vae", tests, NULL, NULL);
}
