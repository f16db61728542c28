/* test_classify: the digit classifier (src/classify). Self-contained: the
 * softmax rows, the gradient against central differences, accuracy counts,
 * save/load and its refusals. `test_classify mnist`: the default recipe
 * reaches >= 90% MNIST test accuracy (it gets ~97.5%) and a seed reproduces
 * the parameters bit for bit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify/clf.h"
#include "core/rng.h"
#include "data/dataset.h"
#include "io/safetensors.h"
#include "nn/nn.h"
#include "test_util.h"

static void fill_uniform(float *x, size_t n, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = rng_uniform(&r);
}

static void test_predict_rows_are_distributions(void **state)
{
    (void)state;
    Clf m;
    Err e = {0};
    assert_int_equal(clf_init(&m, 20, 7, 3, 1, &e), ERR_OK);
    enum { N = 10 }; /* more than max_batch: chunked */
    float x[N * 20], p[N * CLF_CLASSES];
    fill_uniform(x, N * 20, 2);
    clf_predict(&m, x, N, p);
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < CLF_CLASSES; j++) {
            assert_true(p[i * CLF_CLASSES + j] > 0 && p[i * CLF_CLASSES + j] < 1);
            s += p[i * CLF_CLASSES + j];
        }
        assert_float_equal(s, 1.0, 1e-5);
    }
    /* A chunk boundary does not change a row's answer (up to rounding:
     * BLAS may sum in another order for another batch size). */
    float one[CLF_CLASSES];
    clf_predict(&m, x + 7 * 20, 1, one);
    for (int j = 0; j < CLF_CLASSES; j++)
        assert_float_equal(one[j], p[7 * CLF_CLASSES + j], 1e-6);
    clf_free(&m);
}

/* Mean cross-entropy of the batch at the current parameters: a step with
 * lr = 0 computes it (and the gradients) and moves nothing. */
static double loss_at(Clf *m, const float *x, const uint8_t *y, int b)
{
    double l;
    Err e = {0};
    assert_int_equal(clf_train_step(m, x, y, b, 0.0f, &l, &e), ERR_OK);
    return l;
}

static void test_gradient_matches_differences(void **state)
{
    (void)state;
    enum { X = 6, H = 5, B = 4 };
    Clf m;
    Err e = {0};
    assert_int_equal(clf_init(&m, X, H, B, 3, &e), ERR_OK);
    float x[B * X];
    uint8_t y[B] = {0, 3, 9, 3};
    /* Redraw inputs until no hidden pre-activation is near ReLU's kink,
     * where a central difference would straddle it. */
    for (uint64_t seed = 10;; seed++) {
        fill_uniform(x, B * X, seed);
        ClfTensors t = clf_tensors(&m, m.params);
        double nearest = 1;
        for (int i = 0; i < B; i++)
            for (int k = 0; k < H; k++) {
                double a = t.b1[k];
                for (int j = 0; j < X; j++)
                    a += (double)t.w1[k * X + j] * x[i * X + j];
                nearest = fmin(nearest, fabs(a));
            }
        if (nearest > 0.05)
            break;
    }
    loss_at(&m, x, y, B);
    float *grad = malloc(m.n_params * sizeof *grad);
    assert_non_null(grad);
    memcpy(grad, m.grads, m.n_params * sizeof *grad);
    const float h = 1e-2f;
    for (size_t i = 0; i < m.n_params; i++) {
        float keep = m.params[i];
        m.params[i] = keep + h;
        double up = loss_at(&m, x, y, B);
        m.params[i] = keep - h;
        double down = loss_at(&m, x, y, B);
        m.params[i] = keep;
        double num = (up - down) / (2 * (double)h);
        if (fabs(num - grad[i]) > 2e-3 + 2e-2 * fabs(num))
            fail_msg("param %zu: analytic %g, numeric %g", i, (double)grad[i], num);
    }
    free(grad);
    clf_free(&m);
}

static void test_training_lowers_the_loss(void **state)
{
    (void)state;
    /* Two separable blobs: a few steps must fit them. */
    enum { X = 8, N = 64 };
    float x[N * X];
    uint8_t y[N];
    Rng r;
    rng_seed(&r, 5);
    for (int i = 0; i < N; i++) {
        y[i] = (uint8_t)(i % 2 ? 7 : 2);
        for (int j = 0; j < X; j++)
            x[i * X + j] = (j < X / 2) == (y[i] == 7) ? 0.8f + 0.2f * rng_uniform(&r)
                                                     : 0.2f * rng_uniform(&r);
    }
    DataSplit s = {.n = N, .x = X, .images = x, .labels = y};
    Clf m;
    Err e = {0};
    assert_int_equal(clf_init(&m, X, 16, 32, 1, &e), ERR_OK);
    ClfTrainOpts o;
    clf_train_opts_default(&o);
    o.batch = 16;
    o.lr = 1e-2f;
    double first, last;
    assert_int_equal(clf_train(&m, &s, 1, 1, &o, &first, &e), ERR_OK);
    assert_int_equal(clf_train(&m, &s, 30, 2, &o, &last, &e), ERR_OK);
    assert_true(last < first / 4);
    float p[N * CLF_CLASSES];
    clf_predict(&m, x, N, p);
    assert_float_equal(clf_accuracy_of(p, y, N, CLF_CLASSES, NULL, NULL), 1.0, 0);
    /* Bad options are refused, not run. */
    o.batch = 33;
    assert_int_equal(clf_train_epoch(&m, &s, &r, &o, NULL, &e), ERR_ARG);
    assert_int_equal(clf_train(&m, &s, 0, 1, &o, NULL, &e), ERR_ARG);
    clf_free(&m);
}

static void test_accuracy_counts(void **state)
{
    (void)state;
    /* Four rows: predicted 1, 1, 0, 2; labels 1, 0, 0, 2. */
    float p[4 * CLF_CLASSES] = {0};
    p[0 * CLF_CLASSES + 1] = 0.9f;
    p[1 * CLF_CLASSES + 1] = 0.6f;
    p[2 * CLF_CLASSES + 0] = 0.7f;
    p[3 * CLF_CLASSES + 2] = 0.5f;
    uint8_t y[4] = {1, 0, 0, 2};
    size_t ok[CLF_CLASSES], count[CLF_CLASSES];
    assert_float_equal(clf_accuracy_of(p, y, 4, CLF_CLASSES, ok, count), 0.75, 1e-12);
    assert_int_equal(count[0], 2);
    assert_int_equal(ok[0], 1);
    assert_int_equal(count[1], 1);
    assert_int_equal(ok[1], 1);
    assert_int_equal(ok[2], 1);
    assert_int_equal(count[3], 0);
    /* Ties go to the first class. */
    float tie[CLF_CLASSES] = {0.1f, 0.4f, 0.4f};
    assert_int_equal(clf_argmax(tie, CLF_CLASSES), 1);
}

static void test_save_load(void **state)
{
    (void)state;
    Clf m, back;
    Err e = {0};
    assert_int_equal(clf_init(&m, 12, 9, 0, 4, &e), ERR_OK);
    ClfInfo info = {.epochs = 3, .seed = 77, .test_accuracy = 0.9751};
    strcpy(info.dataset, "fashion");
    const char *path = tu_path("clf.safetensors");
    assert_int_equal(clf_save(path, &m, &info, &e), ERR_OK);
    ClfInfo got;
    assert_int_equal(clf_load(path, &back, 0, &got, &e), ERR_OK);
    assert_int_equal(back.x, 12);
    assert_int_equal(back.h, 9);
    assert_int_equal(back.max_batch, 128);
    assert_memory_equal(back.params, m.params, m.n_params * sizeof(float));
    assert_string_equal(got.dataset, "fashion");
    assert_int_equal(got.epochs, 3);
    assert_int_equal(got.seed, 77);
    assert_float_equal(got.test_accuracy, 0.9751, 1e-15);
    clf_free(&back);

    /* Names, in PyTorch's convention. */
    Safetensors st;
    assert_int_equal(safetensors_load(path, &st, &e), ERR_OK);
    assert_non_null(safetensors_find(&st, "fc1.weight"));
    assert_int_equal(safetensors_find(&st, "fc1.weight")->shape[0], 9);
    assert_int_equal(safetensors_find(&st, "fc2.weight")->shape[0], CLF_CLASSES);
    assert_string_equal(safetensors_meta(&st, "architecture"), CLF_ARCHITECTURE);
    safetensors_free(&st);

    /* Refusals: missing file, not a classifier, wrong shape, non-finite. */
    assert_int_equal(clf_load(tu_path("absent.safetensors"), &back, 0, NULL, &e), ERR_IO);
    assert_null(back.params);
    float w[2] = {1, 2};
    SafetensorsTensorIn t = {.name = "w", .ndim = 1, .shape = {2}, .data = w};
    SafetensorsMeta other = {"architecture", "mlp-vae"};
    assert_int_equal(safetensors_save(tu_path("vae.safetensors"), &t, 1, &other, 1, &e), ERR_OK);
    assert_int_equal(clf_load(tu_path("vae.safetensors"), &back, 0, NULL, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "not a zspace classifier");

    ClfTensors p = clf_tensors(&m, m.params);
    SafetensorsTensorIn ts[4] = {
        {.name = "fc1.weight", .ndim = 2, .shape = {9, 11}, .data = p.w1},
        {.name = "fc1.bias", .ndim = 1, .shape = {9}, .data = p.b1},
        {.name = "fc2.weight", .ndim = 2, .shape = {CLF_CLASSES, 9}, .data = p.w2},
        {.name = "fc2.bias", .ndim = 1, .shape = {CLF_CLASSES}, .data = p.b2},
    };
    SafetensorsMeta meta[] = {{"architecture", CLF_ARCHITECTURE},
                              {"pixels", "12"},
                              {"hidden", "9"},
                              {"classes", "10"}};
    assert_int_equal(safetensors_save(tu_path("bad.safetensors"), ts, 4, meta, 4, &e), ERR_OK);
    assert_int_equal(clf_load(tu_path("bad.safetensors"), &back, 0, NULL, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "fc1.weight");
    tu_assert_contains(e.msg, "wrong shape");

    ts[0].shape[1] = 12;
    p.b2[3] = NAN;
    assert_int_equal(safetensors_save(tu_path("nan.safetensors"), ts, 4, meta, 4, &e), ERR_OK);
    assert_int_equal(clf_load(tu_path("nan.safetensors"), &back, 0, NULL, &e), ERR_FORMAT);
    tu_assert_contains(e.msg, "non-finite");
    clf_free(&m);
}

/* The default recipe on real MNIST (what `zspace classify train` and the
 * study run): >= 90% test accuracy; the same seed gives the same bits. */
static void test_mnist_accuracy(void **state)
{
    (void)state;
    Dataset ds;
    Err e = {0};
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST not found (run ./bootstrap)");
    Clf m;
    assert_int_equal(clf_init(&m, ds.train.x, CLF_DEFAULT_HIDDEN, 256, 0, &e), ERR_OK);
    ClfTrainOpts o;
    clf_train_opts_default(&o);
    assert_int_equal(clf_train(&m, &ds.train, 3, 0, &o, NULL, &e), ERR_OK);
    float *p = malloc(ds.test.n * CLF_CLASSES * sizeof *p);
    assert_non_null(p);
    clf_predict(&m, ds.test.images, ds.test.n, p);
    size_t ok[CLF_CLASSES], count[CLF_CLASSES];
    double acc = clf_accuracy_of(p, ds.test.labels, ds.test.n, CLF_CLASSES, ok, count);
    printf("MNIST test accuracy after 3 epochs: %.2f%%\n", 100 * acc);
    assert_true(acc >= 0.90);
    for (int j = 0; j < CLF_CLASSES; j++)
        assert_true((double)ok[j] >= 0.85 * (double)count[j]);
    free(p);

    /* Determinism: two runs on a cut training set, same seed. */
    DataSplit small = ds.train;
    small.n = 3000;
    Clf a, b;
    assert_int_equal(clf_init(&a, small.x, 64, 0, 9, &e), ERR_OK);
    assert_int_equal(clf_init(&b, small.x, 64, 0, 9, &e), ERR_OK);
    assert_int_equal(clf_train(&a, &small, 2, 9, &o, NULL, &e), ERR_OK);
    assert_int_equal(clf_train(&b, &small, 2, 9, &o, NULL, &e), ERR_OK);
    assert_memory_equal(a.params, b.params, a.n_params * sizeof(float));
    clf_free(&b);
    assert_int_equal(clf_init(&b, small.x, 64, 0, 10, &e), ERR_OK);
    assert_int_equal(clf_train(&b, &small, 2, 10, &o, NULL, &e), ERR_OK);
    assert_memory_not_equal(a.params, b.params, a.n_params * sizeof(float));
    clf_free(&a);
    clf_free(&b);
    clf_free(&m);
    dataset_free(&ds);
}

int main(int argc, char **argv)
{
    nn_set_threads(1);
    if (argc > 1 && !strcmp(argv[1], "mnist")) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_mnist_accuracy)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predict_rows_are_distributions),
        cmocka_unit_test(test_gradient_matches_differences),
        cmocka_unit_test(test_training_lowers_the_loss),
        cmocka_unit_test(test_accuracy_counts),
        cmocka_unit_test(test_save_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
