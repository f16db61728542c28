/* test_eval: vae_evaluate against values known in closed form, and its
 * promised properties on a small trained model.
 *
 * The closed-form model: every weight zero, so q(z|x) = N(m, diag(e^lv))
 * for every image (the head biases) and the decoder's logits are its last
 * bias c whatever z is. Then recon_i = sum_j softplus(c_j) - x_ij c_j
 * exactly, KL = 1/2 sum_d (m_d^2 + e^lv_d - 1 - lv_d), and log p(x_i) =
 * -recon_i exactly (p(x|z) does not depend on z), which IWAE must approach
 * from below as K grows while K = 1 averages to -(recon + KL). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "data/dataset.h"
#include "nn/nn.h"
#include "vae/vae.h"
#include "vae/vae_eval.h"
#include "test_util.h"

static const float M[2] = {0.5f, -1.0f}, LV[2] = {-1.0f, 0.3f};

static void set_tensor(Vae *v, const char *name, const float *data)
{
    int i = vae_tensor_find(v, name);
    assert_true(i >= 0);
    vae_tensor_set(v, VAE_PARAMS, i, data);
}

/* Z=2, hidden 8, all weights 0; head biases M, LV; decoder bias c. */
static void constant_model(Vae *v, float *c)
{
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 2;
    cfg.hidden[0] = 8;
    cfg.n_hidden = 1;
    Err e = {0};
    assert_int_equal(vae_init(v, &cfg, 32, 1, &e), ERR_OK);
    float *zero = calloc(VAE_X * 8, sizeof *zero);
    assert_non_null(zero);
    for (int i = 0; i < vae_tensor_count(v); i++)
        vae_tensor_set(v, VAE_PARAMS, i, zero);
    free(zero);
    set_tensor(v, "mu.bias", M);
    set_tensor(v, "logvar.bias", LV);
    for (int j = 0; j < VAE_X; j++)
        c[j] = -3.0f + 6.0f * (float)j / VAE_X; /* logits from -3 to 3 */
    set_tensor(v, "dec.1.bias", c);
}

static DataSplit random_split(size_t n, uint64_t seed)
{
    DataSplit s = {.n = n, .x = VAE_X};
    s.images = malloc(n * VAE_X * sizeof *s.images);
    s.labels = calloc(n, 1);
    assert_non_null(s.images);
    assert_non_null(s.labels);
    Rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n * VAE_X; i++)
        s.images[i] = rng_below(&r, 3) ? 0.0f : rng_uniform(&r);
    return s;
}

static double softplus(double l) { return l > 0 ? l + log1p(exp(-l)) : log1p(exp(l)); }

static double exact_recon(const DataSplit *s, size_t i, const float *c)
{
    double r = 0;
    for (int j = 0; j < VAE_X; j++)
        r += softplus(c[j]) - (double)s->images[i * VAE_X + j] * c[j];
    return r;
}

static void test_closed_form(void **state)
{
    (void)state;
    Vae v;
    float c[VAE_X];
    constant_model(&v, c);
    enum { N = 300 };
    DataSplit s = random_split(N, 4);
    double recon[N], mean_recon = 0;
    for (size_t i = 0; i < N; i++)
        mean_recon += recon[i] = exact_recon(&s, i, c);
    mean_recon /= N;
    double kl_d[2], kl = 0;
    for (int d = 0; d < 2; d++)
        kl += kl_d[d] = 0.5 * ((double)M[d] * M[d] + exp(LV[d]) - 1.0 - LV[d]);

    VaeEvalOpts o;
    vae_eval_opts_default(&o);
    double each[N];
    o.iwae_each = each;
    o.iw_k = 1;
    VaeEval r;
    Err e = {0};
    assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_OK);
    assert_int_equal(r.n, N);
    assert_int_equal(r.z, 2);
    assert_float_equal(r.recon, mean_recon, 1e-3 * mean_recon);
    assert_float_equal(r.kl, kl, 1e-5);
    assert_float_equal(r.kl_per_dim[0], kl_d[0], 1e-5);
    assert_float_equal(r.kl_per_dim[1], kl_d[1], 1e-5);
    assert_float_equal(r.neg_elbo, mean_recon + kl, 1e-3 * mean_recon);
    assert_int_equal(r.active_units, 2);
    assert_int_equal(r.iw_k, 1);

    /* K = 1: each estimate is -recon_i minus a one-sample KL whose mean is
     * the analytic KL; check the mean within 4 standard errors. */
    double sum = 0, sq = 0;
    for (size_t i = 0; i < N; i++) {
        double noise = each[i] + recon[i]; /* -(one-sample KL) */
        sum += noise;
        sq += noise * noise;
    }
    double mean = sum / N, se = sqrt((sq / N - mean * mean) / N);
    assert_true(se > 0.01 && se < 0.2);
    assert_float_equal(mean, -kl, 4 * se);
    assert_float_equal(r.iwae_ll, -r.neg_elbo, 4 * se + 1e-3 * mean_recon);

    /* Larger K: closer to log p(x) = -recon, never above it on average. */
    double prev = mean;
    static const int ks[] = {10, 4000};
    for (int t = 0; t < 2; t++) {
        o.iw_k = ks[t];
        o.n = 64;
        assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_OK);
        assert_int_equal(r.n, 64);
        double gap = 0;
        for (size_t i = 0; i < 64; i++)
            gap += each[i] + recon[i];
        gap /= 64;
        assert_true(gap > prev);
        assert_true(gap < 0.005);
        prev = gap;
    }
    assert_true(prev > -0.01); /* K = 4000 closes the 0.76-nat gap to within 0.01 */
    free(s.images);
    free(s.labels);
    vae_free(&v);
}

/* Same seed and data: bit-identical, whatever the thread count; a different
 * seed changes the noise-dependent numbers. */
static void test_deterministic(void **state)
{
    (void)state;
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 3;
    cfg.hidden[0] = 32;
    Vae v;
    Err e = {0};
    assert_int_equal(vae_init(&v, &cfg, 64, 7, &e), ERR_OK);
    DataSplit s = random_split(300, 8); /* 3 chunks, the last partial */
    VaeEvalOpts o;
    vae_eval_opts_default(&o);
    o.iw_k = 3;
    o.seed = 5;
    VaeEval r1, r2, r3;
    o.threads = 1;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r1, &e), ERR_OK);
    o.threads = 2;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r2, &e), ERR_OK);
    assert_memory_equal(&r1, &r2, sizeof r1);
    o.seed = 6;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r3, &e), ERR_OK);
    assert_true(r3.iwae_ll != r1.iwae_ll);
    assert_true(r3.recon != r1.recon);
    assert_true(r3.kl == r1.kl || fabs(r3.kl - r1.kl) < 1e-9); /* analytic: no noise */
    free(s.images);
    free(s.labels);
    vae_free(&v);
}

typedef struct {
    int calls;
    size_t last, total;
} Seen;

static void on_progress(void *user, size_t done, size_t total)
{
    Seen *s = user;
    s->calls++;
    assert_true(done > s->last);
    s->last = done;
    s->total = total;
}

static void test_hooks_and_args(void **state)
{
    (void)state;
    Vae v;
    float c[VAE_X];
    constant_model(&v, c);
    DataSplit s = random_split(200, 9);
    VaeEvalOpts o;
    vae_eval_opts_default(&o);
    VaeEval r;
    Err e = {0};

    Seen seen = {0};
    o.threads = 1;
    o.progress = on_progress;
    o.user = &seen;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_OK);
    assert_int_equal(seen.calls, 2); /* two chunks */
    assert_int_equal(seen.last, 200);
    assert_int_equal(seen.total, 200);
    assert_true(isnan(r.iwae_ll));
    assert_int_equal(r.iw_k, 0);

    atomic_int cancel;
    atomic_init(&cancel, 1);
    o.cancel = &cancel;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_CANCELLED);
    o.cancel = NULL;

    o.n = 201;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_ARG);
    tu_assert_contains(e.msg, "201 images asked for, the split has 200");
    o.n = 0;
    o.iw_k = -1;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_ARG);
    o.iw_k = 0;
    s.x = 100;
    assert_int_equal(vae_evaluate(&v, &s, &o, &r, &e), ERR_ARG);
    tu_assert_contains(e.msg, "images have 100 pixels, the model expects 784");
    free(s.images);
    free(s.labels);
    vae_free(&v);
}

/* A small model trained briefly on real MNIST: K = 1 matches the ELBO and
 * more samples give a tighter (higher) bound. */
static void test_trained_model(void **state)
{
    (void)state;
    Dataset ds;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST not found (run ./bootstrap)");
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = 4;
    cfg.hidden[0] = 64;
    Vae v;
    assert_int_equal(vae_init(&v, &cfg, 64, 1, &e), ERR_OK);
    DataSplit train = ds.train;
    train.n = 4000;
    VaeTrainOpts to;
    vae_train_opts_default(&to);
    to.batch = 64;
    Rng rng;
    rng_seed(&rng, 2);
    for (int ep = 0; ep < 3; ep++)
        assert_int_equal(vae_train_epoch(&v, &train, &rng, &to, NULL, &e), ERR_OK);

    /* Both the ELBO (one z per image) and IWAE with K = 1 are noisy
     * estimates of the same number: average them over a few seeds. */
    VaeEvalOpts o;
    vae_eval_opts_default(&o);
    o.n = 1000;
    o.iw_k = 1;
    VaeEval r1, r64;
    double elbo = 0, iw1 = 0;
    enum { SEEDS = 4 };
    for (int s = 0; s < SEEDS; s++) {
        o.seed = (uint64_t)s;
        assert_int_equal(vae_evaluate(&v, &ds.test, &o, &r1, &e), ERR_OK);
        elbo += -r1.neg_elbo / SEEDS;
        iw1 += r1.iwae_ll / SEEDS;
    }
    o.iw_k = 64;
    assert_int_equal(vae_evaluate(&v, &ds.test, &o, &r64, &e), ERR_OK);
    printf("trained: elbo %.3f, iwae K=1 %.3f, K=64 %.3f, active %d\n", elbo, iw1, r64.iwae_ll,
           r1.active_units);
    assert_true(r1.neg_elbo > 80 && r1.neg_elbo < 250);
    assert_float_equal(iw1, elbo, 0.5);
    assert_true(r64.iwae_ll > iw1 + 2.0);
    assert_true(r64.iwae_ll > elbo + 2.0);
    assert_true(r1.active_units >= 1 && r1.active_units <= 4);
    vae_free(&v);
    dataset_free(&ds);
}

/* `test_eval` runs the self-contained tests; `test_eval mnist` the one that
 * needs the dataset (a separate meson test, so a missing dataset skips only it). */
int main(int argc, char **argv)
{
    /* As the CLI does: our own threads, OpenBLAS single-threaded inside them
     * (its own pool is invisible to ThreadSanitizer and would fight ours). */
    nn_set_threads(2);
    if (argc > 1 && !strcmp(argv[1], "mnist")) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_trained_model)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_form),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_hooks_and_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
