/* gui_util: see gui_util.h. */
#include "gui_util.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"
#include "drive/drive.h"
#include "io/slurp.h"
#include "test_util.h"
#include "vae/vae_io.h"

static const char *zspace_bin;

const char *gu_zspace(void)
{
    return zspace_bin;
}

const char *gu_stderr_path(void)
{
    static char path[4096];
    if (!path[0])
        snprintf(path, sizeof path, "%s", tu_path("explore.err"));
    return path;
}

void gu_stderr_clear(void)
{
    FILE *f = fopen(gu_stderr_path(), "w");
    if (f)
        fclose(f);
}

char *gu_stderr_text(void)
{
    uint8_t *s = NULL;
    size_t len;
    io_slurp(gu_stderr_path(), (size_t)1 << 30, &s, &len, NULL);
    return s ? (char *)s : calloc(1, 1);
}

/* Split text at spaces into words appended to v (at most cap - 1 of them,
 * NULL-ended); the words live in buf. */
static void words(char *buf, const char **v, int *n, int cap)
{
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w && *n < cap - 1; w = strtok_r(NULL, " ", &save))
        v[(*n)++] = w;
    v[*n] = NULL;
}

int gu_explore(const char *script_text, const char *opts, const char *env, const char *cache_dir)
{
    const char *script = tu_write("gui-script.txt", script_text, strlen(script_text));
    const char *cache = cache_dir ? cache_dir : tu_tmpdir();
    const char *asan = getenv("ASAN_OPTIONS");
    char a[1024], c[4200], g[4200], d[256];
    snprintf(a, sizeof a, "ASAN_OPTIONS=%s%sdetect_leaks=0", asan ? asan : "",
             asan && *asan ? ":" : "");
    snprintf(c, sizeof c, "XDG_CACHE_HOME=%s", cache);
    snprintf(g, sizeof g, "XDG_CONFIG_HOME=%s", cache);
    snprintf(d, sizeof d, "DISPLAY=%s", tu_xvfb());
    enum { MAX_WORDS = 64 };
    const char *ev[MAX_WORDS], *av[MAX_WORDS];
    int ne = 0, na = 0;
    ev[ne++] = a;
    ev[ne++] = c;
    ev[ne++] = g;
    ev[ne++] = d;
    char *eb = strdup(env ? env : ""), *ob = strdup(opts ? opts : "");
    assert_non_null(eb);
    assert_non_null(ob);
    words(eb, ev, &ne, MAX_WORDS);
    words(ob, av, &na, MAX_WORDS);
    DriveRun r = {.exe = zspace_bin, .script = script, .args = av, .env = ev,
                  .dir = tu_tmpdir(), .stderr_path = gu_stderr_path()};
    int st = -1;
    Err e = {0};
    if (drive_run(&r, &st, &e) != ERR_OK)
        fail_msg("%s", e.msg);
    free(eb);
    free(ob);
    return st;
}

void gu_init(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s ZSPACE_BINARY\n", argv[0]);
        exit(2);
    }
    /* absolute: runs start in the tmpdir */
    static char abs_bin[4096];
    zspace_bin = realpath(argv[1], abs_bin) ? abs_bin : argv[1];
    if (!tu_xvfb())
        tu_skip("Xvfb is not installed or does not start");
    if (gu_explore("quit\n", "-m /nonexistent.safetensors", NULL, NULL) != 0) {
        char *s = gu_stderr_text();
        fprintf(stderr, "skipping, the window does not open: %s\n", s);
        free(s);
        exit(77);
    }
}

cJSON *gu_load_json(const char *path)
{
    Err e = {0};
    cJSON *j = drive_load(path, &e);
    if (!j)
        fail_msg("%s", e.msg);
    return j;
}

const cJSON *gu_get(const cJSON *o, const char *dotted)
{
    const cJSON *cur = jsonpath_get(o, dotted);
    if (!cur)
        fail_msg("the JSON has no \"%s\"", dotted);
    return cur;
}

double gu_num(const cJSON *o, const char *dotted)
{
    const cJSON *x = gu_get(o, dotted);
    if (!cJSON_IsNumber(x) && !cJSON_IsBool(x))
        fail_msg("\"%s\" is not a number", dotted);
    return cJSON_IsBool(x) ? cJSON_IsTrue(x) : x->valuedouble;
}

const char *gu_str(const cJSON *o, const char *dotted)
{
    const cJSON *x = gu_get(o, dotted);
    if (!cJSON_IsString(x))
        fail_msg("\"%s\" is not a string", dotted);
    return x->valuestring;
}

int gu_int_at(const cJSON *o, const char *dotted, int i)
{
    const cJSON *arr = gu_get(o, dotted);
    const cJSON *x = cJSON_GetArrayItem(arr, i);
    if (!cJSON_IsNumber(x))
        fail_msg("\"%s\"[%d] is not a number", dotted, i);
    return x->valueint;
}

void gu_floats(const cJSON *arr, float *out, int n)
{
    assert_int_equal(cJSON_GetArraySize(arr), n);
    for (int i = 0; i < n; i++)
        out[i] = (float)cJSON_GetArrayItem(arr, i)->valuedouble;
}

void gu_latent_to_window(const cJSON *st, float x, float y, int *wx, int *wy)
{
    if (drive_map_to_window(st, x, y, wx, wy) != 0)
        fail_msg("the dump has no complete \"view\"");
}

void gu_decoded(const cJSON *st, float *out)
{
    const cJSON *d = gu_get(st, "decoded");
    assert_int_equal(cJSON_GetArraySize(d), VAE_X);
    for (int i = 0; i < VAE_X; i++)
        out[i] = (float)cJSON_GetArrayItem(d, i)->valuedouble / 255.0f;
}

double gu_mse(const float *a, const float *b)
{
    double s = 0;
    for (int i = 0; i < VAE_X; i++)
        s += (double)(a[i] - b[i]) * (a[i] - b[i]);
    return s / VAE_X;
}

void gu_train_tiny(Vae *v, const DataSplit *train, size_t n, int z, int hidden, int epochs,
                   uint64_t seed)
{
    Err e = {0};
    VaeConfig cfg;
    vae_config_default(&cfg);
    cfg.z = z;
    cfg.hidden[0] = hidden;
    assert_int_equal(vae_init(v, &cfg, 128, seed, &e), ERR_OK);
    DataSplit sub = *train;
    sub.n = n < train->n ? n : train->n;
    Rng rng;
    rng_seed(&rng, seed + 8);
    VaeTrainOpts o;
    vae_train_opts_default(&o);
    for (int ep = 0; ep < epochs; ep++)
        assert_int_equal(vae_train_epoch(v, &sub, &rng, &o, NULL, &e), ERR_OK);
}

const char *gu_save_tiny(const char *name, const DataSplit *train, int z, int hidden, int epochs,
                         uint64_t seed)
{
    Vae v;
    gu_train_tiny(&v, train, 3000, z, hidden, epochs, seed);
    const char *path = tu_path(name);
    Err e = {0};
    if (vae_save(path, &v, NULL, &e) != ERR_OK)
        fail_msg("saving %s: %s", path, e.msg);
    vae_free(&v);
    return path;
}

const char *gu_save_tiny_mnist(const char *name, int z, int hidden, int epochs, uint64_t seed)
{
    Err e = {0};
    Dataset ds;
    if (dataset_load("mnist", &ds, &e) != ERR_OK)
        tu_skip("MNIST is not available");
    const char *path = gu_save_tiny(name, &ds.train, z, hidden, epochs, seed);
    dataset_free(&ds);
    return path;
}

void gu_centroids2(Vae *v, const DataSplit *s, float out[10][2])
{
    assert_int_equal(v->cfg.z, 2);
    float *mu = malloc(s->n * 2 * sizeof *mu);
    vae_encode(v, s->images, s->n, mu, NULL);
    int count[10] = {0};
    memset(out, 0, 10 * sizeof out[0]);
    for (size_t i = 0; i < s->n; i++) {
        int k = s->labels[i];
        count[k]++;
        out[k][0] += mu[2 * i];
        out[k][1] += mu[2 * i + 1];
    }
    for (int k = 0; k < 10; k++) {
        out[k][0] /= count[k] ? (float)count[k] : 1.0f;
        out[k][1] /= count[k] ? (float)count[k] : 1.0f;
    }
    free(mu);
}

void gu_class_means(const DataSplit *s, float out[10][VAE_X])
{
    int count[10] = {0};
    memset(out, 0, 10 * sizeof out[0]);
    for (size_t i = 0; i < s->n; i++) {
        int k = s->labels[i];
        count[k]++;
        for (int p = 0; p < VAE_X; p++)
            out[k][p] += s->images[i * VAE_X + (size_t)p];
    }
    for (int k = 0; k < 10; k++)
        for (int p = 0; p < VAE_X; p++)
            out[k][p] /= count[k] ? (float)count[k] : 1.0f;
}
