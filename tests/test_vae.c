/* test_vae: the VAE engine's contracts: tensor names and shapes, init,
 * encode/decode against the double reference, the training step (gradients
 * and the Adam update), NaN handling, cancel and progress hooks, seeded
 * determinism, parameter copies. With argument "mnist": loss goes down on a
 * real MNIST subset; "epoch": one full epoch reaches test loss < 130. Both
 * exit 77 when MNIST is absent. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/timer.h"
#include "data/dataset.h"
#include "test_util.h"
#include "vae/vae.h"
#include "vae_ref.h"

enum { SX = 20 }; /* pixels of the synthetic small models */

static VaeConfig small_config(int z, int layers)
{
    VaeConfig c;
    vae_config_default(&c);
    c.x = SX, c.z = z, c.n_hidden = layers, c.hidden[0] = 12, c.hidden[1] = 8;
    return c;
}

/* Synthetic "images": sparse values in [0, 1]. */
static void fake_images(Rng *r, float *x, size_t n, int X)
{
    for (size_t i = 0; i < n * (size_t)X; i++)
        x[i] = rng_uniform(r) < 0.6f ? 0.0f : rng_uniform(r);
}

static void test_tensor_names_and_shapes(void **state)
{
    (void)state;
    Vae v;
    Err e = {0};
    VaeConfig c;
    vae_config_default(&c);
    c.z = 5, c.n_hidden = 2, c.hidden[0] = 64, c.hidden[1] = 32;
    assert_int_equal(vae_init(&v, &c, 16, 1, &e), ERR_OK);
    const struct {
        const char *name;
        int r, c;
    } want[] = {{"enc.0.weight", 64, 784}, {"enc.0.bias", 64, 0},   {"enc.1.weight", 32, 64},
                {"enc.1.bias", 32, 0},     {"mu.weight", 5, 32},    {"mu.bias", 5, 0},
                {"logvar.weight", 5, 32},  {"logvar.bias", 5, 0},   {"dec.0.weight", 32, 5},
                {"dec.0.bias", 32, 0},     {"dec.1.weight", 64, 32}, {"dec.1.bias", 64, 0},
                {"dec.2.weight", 784, 64}, {"dec.2.bias", 784, 0}};
    int n = (int)(sizeof want / sizeof want[0]);
    assert_int_equal(vae_tensor_count(&v), n);
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        VaeTensorInfo ti;
        vae_tensor_info(&v, i, &ti);
        assert_string_equal(ti.name, want[i].name);
        assert_int_equal(ti.ndim, want[i].c ? 2 : 1);
        assert_int_equal(ti.shape[0], want[i].r);
        assert_int_equal(ti.shape[1], want[i].c);
        assert_int_equal(vae_tensor_find(&v, want[i].name), i);
        total += ti.count;
        /* PyTorch's nn.Linear init range, from the tensor's own fan-in */
        float *buf = malloc(ti.count * sizeof *buf);
        vae_tensor_get(&v, VAE_PARAMS, i, buf);
        int fan_in = want[i].c ? want[i].c : want[i - 1].c;
        for (size_t j = 0; j < ti.count; j++)
            assert_true(fabsf(buf[j]) <= 1.0f / sqrtf((float)fan_in));
        free(buf);
    }
    assert_int_equal(vae_tensor_find(&v, "dec.3.weight"), -1);
    assert_true(v.n_params >= total);
    vae_free(&v);
}

static void test_tensor_set_get_roundtrip(void **state)
{
    (void)state;
    Vae v;
    Err e = {0};
    VaeConfig c = small_config(3, 1);
    assert_int_equal(vae_init(&v, &c, 4, 2, &e), ERR_OK);
    for (int i = 0; i < vae_tensor_count(&v); i++) {
        VaeTensorInfo ti;
        vae_tensor_info(&v, i, &ti);
        float *a = malloc(ti.count * 4), *b = malloc(ti.count * 4);
        for (size_t j = 0; j < ti.count; j++)
            a[j] = (float)(i * 1000 + (int)j);
        for (int s = VAE_PARAMS; s <= VAE_ADAM_V; s++) {
            vae_tensor_set(&v, (VaeSlot)s, i, a);
            vae_tensor_get(&v, (VaeSlot)s, i, b);
            assert_memory_equal(a, b, ti.count * 4);
        }
        free(a), free(b);
    }
    vae_free(&v);
}

static void test_config_rejects_bad_values(void **state)
{
    (void)state;
    Err e = {0};
    VaeConfig c;
    vae_config_default(&c);
    assert_int_equal(vae_config_check(&c, &e), ERR_OK);
    c.z = 0;
    assert_int_equal(vae_config_check(&c, &e), ERR_ARG);
    tu_assert_contains(e.msg, "latent");
    vae_config_default(&c), c.z = 257;
    assert_int_equal(vae_config_check(&c, &e), ERR_ARG);
    vae_config_default(&c), c.n_hidden = 5;
    assert_int_equal(vae_config_check(&c, &e), ERR_ARG);
    vae_config_default(&c), c.beta = -1;
    assert_int_equal(vae_config_check(&c, &e), ERR_ARG);
    vae_config_default(&c), c.hidden[0] = 0;
    assert_int_equal(vae_config_check(&c, &e), ERR_ARG);
    Vae v;
    vae_config_default(&c);
    assert_int_equal(vae_init(&v, &c, 0, 1, &e), ERR_ARG);
}

/* encode -> z = mu + sigma eps -> decode_logits reproduces the reference's
 * logits; N spans several max_batch chunks and uses both threads. */
static void test_encode_decode_match_reference(void **state)
{
    (void)state;
    enum { N = 90, Z = 3 };
    Vae v;
    Err e = {0};
    VaeConfig c = small_config(Z, 2);
    assert_int_equal(vae_init(&v, &c, 40, 5, &e), ERR_OK);
    assert_int_equal(vae_set_threads(&v, 2, &e), ERR_OK);
    Rng r;
    rng_seed(&r, 6);
    float *x = malloc(N * SX * 4), eps[N * Z], mu[N * Z], lv[N * Z], z[N * Z];
    float *lg = malloc(N * SX * 4), *xh = malloc(N * SX * 4);
    double *ref_lg = malloc(N * SX * sizeof(double));
    fake_images(&r, x, N, SX);
    rng_normal_fill(&r, eps, N * Z);
    vae_encode(&v, x, N, mu, lv);
    for (int i = 0; i < N * Z; i++)
        z[i] = mu[i] + expf(0.5f * lv[i]) * eps[i];
    vae_decode_logits(&v, z, N, lg);
    vae_decode(&v, z, N, xh);
    VaeRef ref;
    vae_ref_init(&ref, &v);
    double *theta = malloc(ref.total * sizeof *theta);
    vae_ref_get(&ref, &v, VAE_PARAMS, theta);
    vae_ref_loss(&ref, theta, x, eps, N, NULL, NULL, NULL, ref_lg);
    for (int i = 0; i < N * SX; i++) {
        assert_float_equal(lg[i], ref_lg[i], 1e-4);
        assert_float_equal(xh[i], 1 / (1 + exp(-ref_lg[i])), 1e-5);
    }
    /* one z alone (the explorer's path) gives the same row */
    vae_decode_logits(&v, z + 7 * Z, 1, lg);
    for (int j = 0; j < SX; j++)
        assert_float_equal(lg[j], ref_lg[7 * SX + j], 1e-4);
    float mu2[Z];
    vae_encode(&v, x + 11 * SX, 1, mu2, NULL);
    for (int j = 0; j < Z; j++) /* a lone row may take the dense path: ulps apart */
        assert_float_equal(mu2[j], mu[11 * Z + j], 1e-5);
    free(x), free(lg), free(xh), free(ref_lg), free(theta);
    vae_free(&v);
}

enum { TB = 6, TZ = 2 }; /* batch and latent of the one-step tests */

/* A small one-hidden-layer model and one synthetic batch x (TB, SX), eps (TB, TZ). */
static void small_model_batch(Vae *v, uint64_t seed, float *x, float *eps)
{
    Err e = {0};
    VaeConfig c = small_config(TZ, 1);
    assert_int_equal(vae_init(v, &c, TB, seed, &e), ERR_OK);
    Rng r;
    rng_seed(&r, seed + 1);
    fake_images(&r, x, TB, SX);
    rng_normal_fill(&r, eps, TB * TZ);
}

static void test_train_step_gradient_and_adam(void **state)
{
    (void)state;
    enum { B = TB };
    Vae v;
    Err e = {0};
    float x[TB * SX], eps[TB * TZ];
    small_model_batch(&v, 8, x, eps);
    size_t n = v.n_params;
    float *g = malloc(n * 4), *p0 = malloc(n * 4);
    VaeLoss l1, l2;
    vae_zero_grad(&v);
    vae_forward(&v, x, eps, B, &l1, NULL, NULL);
    vae_backward(&v);
    memcpy(g, v.grads, n * 4);
    memcpy(p0, v.params, n * 4);
    const float lr = 1e-3f;
    assert_int_equal(vae_train_step(&v, x, eps, B, lr, &l2, &e), ERR_OK);
    assert_true(l1.loss == l2.loss && l2.n == B);
    assert_memory_equal(g, v.grads, n * 4); /* the fused step computes the same gradient */
    assert_int_equal(v.adam_t, 1);
    /* first Adam step: m_hat = g, v_hat = g^2, so p moves by lr g / (|g| + eps) */
    for (size_t i = 0; i < n; i++)
        assert_float_equal(v.params[i], p0[i] - lr * g[i] / (fabsf(g[i]) + 1e-8f), 1e-7);
    free(g), free(p0);
    vae_free(&v);
}

static void test_nan_batch_leaves_model_untouched(void **state)
{
    (void)state;
    enum { B = TB };
    Vae v;
    Err e = {0};
    float x[TB * SX], eps[TB * TZ];
    small_model_batch(&v, 10, x, eps);
    assert_int_equal(vae_train_step(&v, x, eps, B, 1e-3f, NULL, &e), ERR_OK);
    size_t bytes = v.n_params * sizeof(float);
    float *before = malloc(3 * bytes);
    memcpy(before, v.params, bytes);
    memcpy(before + v.n_params, v.adam_m, bytes);
    memcpy(before + 2 * v.n_params, v.adam_v, bytes);
    x[3 * SX + 5] = NAN;
    VaeLoss l;
    assert_int_equal(vae_train_step(&v, x, eps, B, 1e-3f, &l, &e), ERR_NUMERIC);
    tu_assert_contains(e.msg, "loss");
    assert_true(isnan(l.loss));
    assert_memory_equal(before, v.params, bytes);
    assert_memory_equal(before + v.n_params, v.adam_m, bytes);
    assert_memory_equal(before + 2 * v.n_params, v.adam_v, bytes);
    assert_int_equal(v.adam_t, 1);
    free(before);
    vae_free(&v);
}

typedef struct {
    size_t calls, last_batch, batches, samples;
    atomic_int *cancel;
    size_t cancel_at;
} Hook;

static void on_progress(void *user, const VaeProgress *p)
{
    Hook *h = user;
    h->calls++;
    assert_int_equal(p->batch, h->last_batch + 1);
    h->last_batch = p->batch;
    h->batches = p->batches;
    h->samples = p->samples;
    assert_true(isfinite(p->loss) && p->samples_per_s >= 0);
    if (h->cancel && p->batch == h->cancel_at)
        atomic_store_explicit(h->cancel, 1, memory_order_release);
}

static DataSplit fake_split(size_t n, uint64_t seed)
{
    DataSplit s = {.n = n, .x = SX};
    s.images = malloc(n * SX * sizeof(float));
    s.labels = calloc(n, 1);
    Rng r;
    rng_seed(&r, seed);
    fake_images(&r, s.images, n, SX);
    return s;
}

/* Train two epochs from a seed; returns the model (caller frees). */
static void train_seeded(Vae *v, const DataSplit *s, int threads, uint64_t seed)
{
    Err e = {0};
    VaeConfig c = small_config(4, 2);
    assert_int_equal(vae_init(v, &c, 64, seed, &e), ERR_OK);
    assert_int_equal(vae_set_threads(v, threads, &e), ERR_OK);
    Rng r;
    rng_seed(&r, seed);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    o.batch = 64;
    for (int ep = 0; ep < 2; ep++)
        assert_int_equal(vae_train_epoch(v, s, &r, &o, NULL, &e), ERR_OK);
}

static void test_seeded_training_is_bit_identical(void **state)
{
    (void)state;
    DataSplit s = fake_split(300, 12); /* 300 = 4 full batches of 64 and one of 44 */
    for (int threads = 1; threads <= 2; threads++) {
        Vae a, b, c;
        train_seeded(&a, &s, threads, 42);
        train_seeded(&b, &s, threads, 42);
        train_seeded(&c, &s, threads, 43);
        assert_int_equal(a.adam_t, 10);
        assert_memory_equal(a.params, b.params, 4 * a.n_params * sizeof(float));
        assert_memory_not_equal(a.params, c.params, a.n_params * sizeof(float));
        vae_free(&a), vae_free(&b), vae_free(&c);
    }
    dataset_split_free(&s);
}

static void test_progress_and_cancel(void **state)
{
    (void)state;
    DataSplit s = fake_split(300, 13);
    Vae v;
    Err e = {0};
    VaeConfig c = small_config(2, 1);
    assert_int_equal(vae_init(&v, &c, 128, 1, &e), ERR_OK);
    Rng r;
    rng_seed(&r, 1);
    atomic_int cancel;
    atomic_init(&cancel, 0);
    Hook h = {0};
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    o.batch = 100;
    o.progress = on_progress;
    o.user = &h;
    o.cancel = &cancel;
    VaeLoss st;
    assert_int_equal(vae_train_epoch(&v, &s, &r, &o, &st, &e), ERR_OK);
    assert_int_equal(h.calls, 3);
    assert_int_equal(h.batches, 3);
    assert_int_equal(h.samples, 300);
    assert_int_equal(st.n, 300);
    h = (Hook){.cancel = &cancel, .cancel_at = 2};
    assert_int_equal(vae_train_epoch(&v, &s, &r, &o, &st, &e), ERR_CANCELLED);
    assert_int_equal(h.calls, 2);
    assert_int_equal(st.n, 200);
    assert_int_equal(v.adam_t, 5);
    o.batch = 129;
    assert_int_equal(vae_train_epoch(&v, &s, &r, &o, &st, &e), ERR_ARG);
    vae_free(&v);
    dataset_split_free(&s);
}

static void test_copy_params_and_sample(void **state)
{
    (void)state;
    enum { Z = 3, N = 5 };
    Vae a, b, d;
    Err e = {0};
    VaeConfig c = small_config(Z, 1);
    assert_int_equal(vae_init(&a, &c, 8, 1, &e), ERR_OK);
    assert_int_equal(vae_init(&b, &c, 2, 2, &e), ERR_OK);
    assert_int_equal(vae_copy_params(&b, &a, &e), ERR_OK);
    float z[N * Z], xa[N * SX], xb[N * SX];
    Rng r;
    rng_seed(&r, 3);
    vae_sample(&a, &r, N, z, xa);
    vae_decode(&b, z, N, xb);
    /* b decodes in chunks of 2 rows on 2 threads, a in one chunk of 5: the
     * same weights, but OpenBLAS may order a dot product's sums differently
     * for another row count (its Haswell kernels do), so agree to rounding. */
    for (int i = 0; i < N * SX; i++)
        assert_true(fabsf(xa[i] - xb[i]) <= 1e-6f);
    for (int i = 0; i < N * SX; i++)
        assert_true(xa[i] >= 0.0f && xa[i] <= 1.0f);
    c.z = Z + 1;
    assert_int_equal(vae_init(&d, &c, 8, 1, &e), ERR_OK);
    assert_int_equal(vae_copy_params(&d, &a, &e), ERR_ARG);
    vae_free(&a), vae_free(&b), vae_free(&d);
}

/* ---- real MNIST ---- */

static Dataset mnist;

/* Mean test loss over the first n test images, eps from a fixed seed. */
static VaeLoss test_loss(Vae *v, size_t n)
{
    Rng r;
    rng_seed(&r, 777);
    float *eps = malloc((size_t)v->max_batch * v->cfg.z * sizeof *eps);
    double rs = 0, ks = 0;
    for (size_t s = 0; s < n; s += (size_t)v->max_batch) {
        int b = n - s < (size_t)v->max_batch ? (int)(n - s) : v->max_batch;
        rng_normal_fill(&r, eps, (size_t)b * v->cfg.z);
        VaeLoss l;
        vae_forward(v, mnist.test.images + s * VAE_X, eps, b, &l, NULL, NULL);
        rs += l.recon * b, ks += l.kl * b;
    }
    free(eps);
    return (VaeLoss){.recon = rs / n, .kl = ks / n, .loss = (rs + v->cfg.beta * ks) / n, .n = n};
}

static void test_loss_goes_down_on_mnist_subset(void **state)
{
    (void)state;
    Vae v;
    Err e = {0};
    VaeConfig c;
    vae_config_default(&c);
    assert_int_equal(vae_init(&v, &c, 128, 1, &e), ERR_OK);
    DataSplit sub = mnist.train;
    sub.n = 3000;
    Rng r;
    rng_seed(&r, 1);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    double before = test_loss(&v, 1000).loss, first = 0;
    VaeLoss st;
    for (int ep = 0; ep < 3; ep++) {
        assert_int_equal(vae_train_epoch(&v, &sub, &r, &o, &st, &e), ERR_OK);
        if (ep == 0)
            first = st.loss;
    }
    double after = test_loss(&v, 1000).loss;
    print_message("mnist subset: test loss %.1f -> %.1f, train %.1f -> %.1f\n", before, after,
                  first, st.loss);
    assert_true(before > 500);  /* an untrained decoder: ~543 nats (784 ln 2) */
    assert_true(st.loss < first - 20);
    assert_true(after < 210);
    vae_free(&v);
}

static void test_one_epoch_reaches_130(void **state)
{
    (void)state;
    Vae v;
    Err e = {0};
    VaeConfig c;
    vae_config_default(&c);
    assert_int_equal(vae_init(&v, &c, 128, 1, &e), ERR_OK);
    assert_int_equal(vae_set_threads(&v, 2, &e), ERR_OK);
    Rng r;
    rng_seed(&r, 1);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    VaeLoss st;
    double t0 = timer_now();
    assert_int_equal(vae_train_epoch(&v, &mnist.train, &r, &o, &st, &e), ERR_OK);
    double dt = timer_now() - t0;
    VaeLoss t = test_loss(&v, mnist.test.n);
    print_message("one epoch: %.2f s (%.0f samples/s), train %.2f, test %.2f (recon %.2f, kl "
                  "%.2f)\n",
                  dt, mnist.train.n / dt, st.loss, t.loss, t.recon, t.kl);
    assert_true(t.loss < 130);
    vae_free(&v);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "mnist") || !strcmp(mode, "epoch")) {
        Err e = {0};
        if (dataset_load("mnist", &mnist, &e) != ERR_OK)
            tu_skip(e.msg);
        const struct CMUnitTest subset[] = {cmocka_unit_test(test_loss_goes_down_on_mnist_subset)};
        const struct CMUnitTest epoch[] = {cmocka_unit_test(test_one_epoch_reaches_130)};
        int rc = !strcmp(mode, "mnist") ? cmocka_run_group_tests_name("vae_mnist", subset, NULL, NULL)
                                        : cmocka_run_group_tests_name("vae_epoch", epoch, NULL, NULL);
        dataset_free(&mnist);
        return rc;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tensor_names_and_shapes),
        cmocka_unit_test(test_tensor_set_get_roundtrip),
        cmocka_unit_test(test_config_rejects_bad_values),
        cmocka_unit_test(test_encode_decode_match_reference),
        cmocka_unit_test(test_train_step_gradient_and_adam),
        cmocka_unit_test(test_nan_batch_leaves_model_untouched),
        cmocka_unit_test(test_seeded_training_is_bit_identical),
        cmocka_unit_test(test_progress_and_cancel),
        cmocka_unit_test(test_copy_params_and_sample),
    };
    return cmocka_run_group_tests_name("vae", tests, NULL, NULL);
}
