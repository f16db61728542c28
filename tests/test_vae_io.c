/* test_vae_io: a Vae through a safetensors file. Save -> load gives the same
 * parameters and bit-identical outputs; the file follows the PyTorch
 * nn.Linear mapping (checked by a hand-written forward pass on the raw
 * tensors); every architecture/metadata inconsistency has its own message. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/safetensors.h"
#include "nn/nn.h"
#include "vae/vae.h"
#include "vae/vae_io.h"
#include "test_util.h"

/* A fresh model: latent z, hidden {h1} or {h1, h2}, beta 0.5. */
static void new_model(Vae *v, int z, int h1, int h2, int max_batch, uint64_t seed)
{
    VaeConfig c;
    vae_config_default(&c);
    c.z = z;
    c.n_hidden = h2 ? 2 : 1;
    c.hidden[0] = h1;
    c.hidden[1] = h2;
    c.beta = 0.5f;
    Err e = {0};
    assert_int_equal(vae_init(v, &c, max_batch, seed, &e), ERR_OK);
}

static void random_images(float *x, size_t n, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n * VAE_X; i++)
        x[i] = rng_below(&r, 3) ? 0.0f : rng_uniform(&r); /* sparse, like MNIST */
}

static void test_round_trip(void **state)
{
    (void)state;
    Vae a, b;
    new_model(&a, 3, 24, 12, 16, 11);
    Err e = {0};
    VaeFileInfo info;
    vae_file_info_init(&info);
    strcpy(info.dataset, "fashion");
    info.epochs = 2;
    info.seed = 12345678901234ull;
    VaeEpochLoss l1 = {200.5, 190.25, 10.25, 180.0, 172.0, 8.0};
    VaeEpochLoss l2 = {150.0, 140.0, 10.0, NAN, NAN, NAN}; /* test not measured */
    assert_int_equal(vae_file_info_push(&info, &l1, &e), ERR_OK);
    assert_int_equal(vae_file_info_push(&info, &l2, &e), ERR_OK);
    const char *path = tu_path("m.safetensors");
    assert_int_equal(vae_save(path, &a, &info, &e), ERR_OK);

    VaeFileInfo got;
    /* The same batch capacity as a: OpenBLAS's sgemm may sum in another
     * order for another row count (its Haswell kernels do), and the outputs
     * below are compared bit for bit. */
    assert_int_equal(vae_load(path, &b, 16, &got, &e), ERR_OK);
    assert_int_equal(b.cfg.x, 784);
    assert_int_equal(b.cfg.z, 3);
    assert_int_equal(b.cfg.n_hidden, 2);
    assert_int_equal(b.cfg.hidden[0], 24);
    assert_int_equal(b.cfg.hidden[1], 12);
    assert_true(b.cfg.beta == 0.5f);
    assert_int_equal(b.max_batch, 16);
    assert_string_equal(got.dataset, "fashion");
    assert_int_equal(got.epochs, 2);
    assert_true(got.seed == 12345678901234ull);
    assert_string_equal(got.precision, "fp32"); /* info left it empty: the model's own */
    assert_int_equal(got.n_history, 2);
    assert_true(got.history[0].train == 200.5 && got.history[0].test_kl == 8.0);
    assert_true(got.history[1].train_recon == 140.0);
    assert_true(isnan(got.history[1].test));

    /* Every tensor bit-identical. */
    assert_int_equal(a.n_params, b.n_params);
    float *pa = malloc(a.n_params * sizeof *pa), *pb = malloc(a.n_params * sizeof *pb);
    assert_non_null(pa);
    assert_non_null(pb);
    for (int i = 0; i < vae_tensor_count(&a); i++) {
        VaeTensorInfo ti;
        vae_tensor_info(&a, i, &ti);
        vae_tensor_get(&a, VAE_PARAMS, i, pa);
        vae_tensor_get(&b, VAE_PARAMS, i, pb);
        assert_memory_equal(pa, pb, ti.count * sizeof *pa);
    }

    /* Identical outputs (same thread count on both sides). */
    Err te = {0};
    assert_int_equal(vae_set_threads(&a, 1, &te), ERR_OK);
    assert_int_equal(vae_set_threads(&b, 1, &te), ERR_OK);
    enum { N = 20 };
    float *x = malloc(sizeof(float) * N * VAE_X), *ya = malloc(sizeof(float) * N * VAE_X),
          *yb = malloc(sizeof(float) * N * VAE_X);
    float mua[N * 3], mub[N * 3], lva[N * 3], lvb[N * 3];
    random_images(x, N, 5);
    vae_encode(&a, x, N, mua, lva);
    vae_encode(&b, x, N, mub, lvb);
    assert_memory_equal(mua, mub, sizeof mua);
    assert_memory_equal(lva, lvb, sizeof lva);
    vae_decode(&a, mua, N, ya);
    vae_decode(&b, mua, N, yb);
    assert_memory_equal(ya, yb, sizeof(float) * N * VAE_X);

    free(x);
    free(ya);
    free(yb);
    free(pa);
    free(pb);
    vae_file_info_free(&got);
    /* the precision a model was trained with is kept as given */
    strcpy(info.precision, "bf16");
    assert_int_equal(vae_save(path, &a, &info, &e), ERR_OK);
    vae_free(&b);
    assert_int_equal(vae_load(path, &b, 8, &got, &e), ERR_OK);
    assert_string_equal(got.precision, "bf16");
    vae_file_info_free(&got);
    vae_file_info_free(&info);
    vae_free(&a);
    vae_free(&b);
}

/* The file is a PyTorch state_dict of nn.Linear layers: recompute mu and
 * logvar from the raw tensors as y = relu(W x + b) with W (out, in). */
static void test_pytorch_mapping(void **state)
{
    (void)state;
    Vae v;
    new_model(&v, 2, 10, 0, 4, 3);
    Err e = {0};
    const char *path = tu_path("map.safetensors");
    assert_int_equal(vae_save(path, &v, NULL, &e), ERR_OK);

    Safetensors st;
    assert_int_equal(safetensors_load(path, &st, &e), ERR_OK);
    static const struct {
        const char *name;
        int ndim, d0, d1;
    } want[] = {
        {"enc.0.weight", 2, 10, 784}, {"enc.0.bias", 1, 10, 0}, {"mu.weight", 2, 2, 10},
        {"mu.bias", 1, 2, 0},         {"logvar.weight", 2, 2, 10}, {"logvar.bias", 1, 2, 0},
        {"dec.0.weight", 2, 10, 2},   {"dec.0.bias", 1, 10, 0}, {"dec.1.weight", 2, 784, 10},
        {"dec.1.bias", 1, 784, 0},
    };
    assert_int_equal(st.n_tensors, 10);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const SafetensorsTensor *t = safetensors_find(&st, want[i].name);
        if (!t)
            fprintf(stderr, "missing %s\n", want[i].name);
        assert_non_null(t);
        assert_int_equal(t->ndim, want[i].ndim);
        assert_int_equal(t->shape[0], want[i].d0);
        if (want[i].ndim == 2)
            assert_int_equal(t->shape[1], want[i].d1);
    }
    assert_string_equal(safetensors_meta(&st, "format_version"), "1");
    assert_string_equal(safetensors_meta(&st, "architecture"), "mlp-vae");
    assert_string_equal(safetensors_meta(&st, "latent"), "2");
    assert_string_equal(safetensors_meta(&st, "hidden"), "10");
    assert_string_equal(safetensors_meta(&st, "beta"), "0.5");
    assert_string_equal(safetensors_meta(&st, "epochs"), "0");
    assert_string_equal(safetensors_meta(&st, "losses"),
                        "{\"train\":[],\"train_recon\":[],\"train_kl\":[],\"test\":[],"
                        "\"test_recon\":[],\"test_kl\":[]}");

    float x[VAE_X];
    random_images(x, 1, 9);
    const float *w0 = safetensors_find(&st, "enc.0.weight")->data;
    const float *b0 = safetensors_find(&st, "enc.0.bias")->data;
    double h[10];
    for (int o = 0; o < 10; o++) {
        double s = b0[o];
        for (int i = 0; i < VAE_X; i++)
            s += (double)w0[o * VAE_X + i] * x[i];
        h[o] = s > 0 ? s : 0;
    }
    const float *wm = safetensors_find(&st, "mu.weight")->data;
    const float *bm = safetensors_find(&st, "mu.bias")->data;
    const float *wl = safetensors_find(&st, "logvar.weight")->data;
    const float *bl = safetensors_find(&st, "logvar.bias")->data;
    float mu[2], lv[2];
    vae_encode(&v, x, 1, mu, lv);
    for (int o = 0; o < 2; o++) {
        double sm = bm[o], sl = bl[o];
        for (int i = 0; i < 10; i++) {
            sm += (double)wm[o * 10 + i] * h[i];
            sl += (double)wl[o * 10 + i] * h[i];
        }
        assert_float_equal(mu[o], sm, 1e-4);
        assert_float_equal(lv[o], sl, 1e-4);
    }
    safetensors_free(&st);
    vae_free(&v);
}

/* Write the tensors of v (minus `skip`, plus an extra one if asked) with the
 * given metadata, straight through safetensors_save. */
static const char *write_custom(const char *name, const Vae *v, const char *skip, int extra,
                                const SafetensorsMeta *meta, int n_meta, int poison)
{
    int n = vae_tensor_count(v);
    SafetensorsTensorIn t[32];
    VaeTensorInfo ti[32];
    float *flat = malloc((v->n_params + 1) * sizeof *flat);
    assert_non_null(flat);
    size_t at = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        vae_tensor_info(v, i, &ti[i]);
        if (skip && !strcmp(ti[i].name, skip))
            continue;
        vae_tensor_get(v, VAE_PARAMS, i, flat + at);
        t[k] = (SafetensorsTensorIn){ti[i].name, ti[i].ndim, {ti[i].shape[0], ti[i].shape[1]},
                                     flat + at};
        at += ti[i].count;
        k++;
    }
    if (poison)
        flat[7] = NAN;
    flat[at] = 1.0f;
    if (extra)
        t[k++] = (SafetensorsTensorIn){"optimizer.step", 1, {1}, flat + at};
    const char *path = tu_path(name);
    Err e = {0};
    assert_int_equal(safetensors_save(path, t, k, meta, n_meta, &e), ERR_OK);
    free(flat);
    return path;
}

/* Load must fail with ERR_FORMAT, the path and `want` in the message, and a
 * zeroed Vae. */
static void expect_load_fails(const char *path, const char *want)
{
    Vae v;
    memset(&v, 0xab, sizeof v);
    VaeFileInfo info;
    Err e = {0};
    int rc = vae_load(path, &v, 0, &info, &e);
    if (rc == ERR_OK)
        fprintf(stderr, "loaded, wanted failure '%s'\n", want);
    assert_int_equal(rc, ERR_FORMAT);
    tu_assert_contains(e.msg, path);
    tu_assert_contains(e.msg, want);
    assert_null(v.params);
    assert_null(v.work);
    assert_null(info.history);
}

#define META(latent, hidden)                                                                   \
    {"format_version", "1"}, {"architecture", "mlp-vae"}, {"pixels", "784"},                   \
        {"latent", latent}, {"hidden", hidden}, { "beta", "1" }

static void test_architecture_mismatch(void **state)
{
    (void)state;
    Vae v;
    new_model(&v, 2, 16, 0, 4, 1);
    Err e = {0};
    const SafetensorsMeta good[] = {META("2", "16")};
    const SafetensorsMeta z3[] = {META("3", "16")};
    const SafetensorsMeta h8[] = {META("2", "8")};

    /* Control: the hand-written file loads. */
    const char *ok = write_custom("ok.safetensors", &v, NULL, 0, good, 6, 0);
    Vae w;
    assert_int_equal(vae_load(ok, &w, 0, NULL, &e), ERR_OK);
    assert_int_equal(w.max_batch, 128);
    vae_free(&w);

    expect_load_fails(write_custom("missing.safetensors", &v, "mu.bias", 0, good, 6, 0),
                      "missing tensor 'mu.bias' (latent 2, hidden 16 needs it)");
    expect_load_fails(write_custom("z3.safetensors", &v, NULL, 0, z3, 6, 0),
                      "tensor 'mu.weight' has shape [2,16] but latent 3, hidden 16 needs [3,16]");
    expect_load_fails(write_custom("h8.safetensors", &v, NULL, 0, h8, 6, 0),
                      "tensor 'enc.0.weight' has shape [16,784] but latent 2, hidden 8 needs [8,784]");
    expect_load_fails(write_custom("extra.safetensors", &v, NULL, 1, good, 6, 0),
                      "unexpected tensor 'optimizer.step'");
    expect_load_fails(write_custom("nan.safetensors", &v, NULL, 0, good, 6, 1),
                      "tensor 'enc.0.weight' holds NaN or infinity at 7");
    vae_free(&v);

    /* A tiny file declaring 2^20 pixels and hidden 8192 x 4 but holding no
     * tensors: refused from its tensor table before anything is allocated
     * (it once cost 18 s and 6.6 GB, then said "0 parameters"). */
    SafetensorsMeta huge[] = {META("2", "8192,8192,8192,8192")};
    huge[2].value = "1048576";
    const char *path = tu_path("huge.safetensors");
    assert_int_equal(safetensors_save(path, NULL, 0, huge, 6, &e), ERR_OK);
    expect_load_fails(path, "missing tensor 'enc.0.weight' (latent 2, hidden 8192,8192,8192,8192 "
                            "needs it)");
}

static void test_bad_metadata(void **state)
{
    (void)state;
    Vae v;
    new_model(&v, 2, 16, 0, 4, 1);
    static const struct {
        SafetensorsMeta m[8];
        int n;
        const char *want;
    } cases[] = {
        {{{"architecture", "mlp-vae"}}, 1, "metadata has no \"format_version\" (not a zspace model?)"},
        {{{"format_version", "2"}}, 1, "format_version '2' is not supported (this zspace reads 1)"},
        {{{"format_version", "1"}, {"architecture", "cnn"}}, 2,
         "architecture 'cnn' is not supported (expected mlp-vae)"},
        {{META("abc", "16")}, 6, "metadata latent 'abc' is not a whole number in 1..256"},
        {{META("0", "16")}, 6, "metadata latent '0' is not a whole number"},
        {{META("2", "16,,8")}, 6, "metadata hidden '16,,8': expected widths"},
        {{META("2", "")}, 6, "metadata hidden '': expected widths"},
        {{META("2", "16"), {"epochs", "-3"}}, 7, "metadata epochs '-3' is not a whole number"},
        {{META("2", "16"), {"losses", "[1,2]"}}, 7, "metadata losses is not a JSON object"},
        {{META("2", "16"), {"losses", "{\"train\":[1],\"test\":[1,2]}"}}, 7,
         "metadata losses.test has 2 entries, others 1"},
        {{META("2", "16"), {"losses", "{\"train\":[\"x\"]}"}}, 7,
         "metadata losses.train[0] is not a number"},
        {{META("2", "16"), {"seed", "-1"}}, 7, "metadata seed '-1' is not a whole number"},
        {{META("2", "16"), {"seed", " -1"}}, 7, "metadata seed ' -1' is not a whole number"},
        {{META("2", "16"), {"seed", "+5"}}, 7, "metadata seed '+5' is not a whole number"},
        {{META("2", "16"), {"epochs", " 3"}}, 7, "metadata epochs ' 3' is not a whole number"},
        {{META("2", "16"), {"precision", "fp16"}}, 7,
         "metadata precision 'fp16': expected fp32 or bf16"},
        {{META("2", "16"), {"precision", "auto"}}, 7,
         "metadata precision 'auto': expected fp32 or bf16"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "meta%zu.safetensors", i);
        expect_load_fails(write_custom(name, &v, NULL, 0, cases[i].m, cases[i].n, 0),
                          cases[i].want);
    }
    /* beta is parsed as a number >= 0 */
    SafetensorsMeta negbeta[] = {META("2", "16")};
    negbeta[5].value = "-1";
    expect_load_fails(write_custom("beta.safetensors", &v, NULL, 0, negbeta, 6, 0),
                      "metadata beta '-1' is not a number >= 0");
    vae_free(&v);
}

/* Container-level damage surfaces unchanged through vae_load. */
static void test_corrupt_container(void **state)
{
    (void)state;
    Vae v;
    new_model(&v, 2, 16, 0, 4, 1);
    Err e = {0};
    const char *path = tu_path("whole.safetensors");
    assert_int_equal(vae_save(path, &v, NULL, &e), ERR_OK);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[1 << 18];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(len > 1000 && len < sizeof buf);
    expect_load_fails(tu_write("cut.safetensors", buf, len - 100), "run past the end of the data");
    expect_load_fails(tu_write("tiny.safetensors", buf, 4), "truncated");
    vae_free(&v);

    Vae w;
    VaeFileInfo info;
    assert_int_equal(vae_load(tu_path("absent.safetensors"), &w, 0, &info, &e), ERR_IO);
    tu_assert_contains(e.msg, "absent.safetensors: cannot open");
}

static void test_hidden_parse(void **state)
{
    (void)state;
    VaeConfig c;
    Err e = {0};
    vae_config_default(&c);
    assert_int_equal(vae_hidden_parse("512,256", &c, &e), ERR_OK);
    assert_int_equal(c.n_hidden, 2);
    assert_int_equal(c.hidden[1], 256);
    char buf[64];
    vae_hidden_str(&c, buf, sizeof buf);
    assert_string_equal(buf, "512,256");
    assert_int_equal(vae_hidden_parse("8,8,8,8,8", &c, &e), ERR_ARG);
    tu_assert_contains(e.msg, "at most 4 layers");
    assert_int_equal(vae_hidden_parse("0", &c, &e), ERR_ARG);
    assert_int_equal(vae_hidden_parse("512,", &c, &e), ERR_ARG);
    assert_int_equal(vae_hidden_parse("99999", &c, &e), ERR_ARG);
    assert_int_equal(c.n_hidden, 2); /* failures leave c alone */
}

int main(void)
{
    nn_set_threads(2); /* as the CLI does; OpenBLAS then stays single-threaded */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_pytorch_mapping),
        cmocka_unit_test(test_architecture_mismatch),
        cmocka_unit_test(test_bad_metadata),
        cmocka_unit_test(test_corrupt_container),
        cmocka_unit_test(test_hidden_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
