/* gui_util: see gui_util.h. */
#include "gui_util.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "core/rng.h"
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

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long len = ftell(f);
    rewind(f);
    char *s = malloc(len > 0 ? (size_t)len + 1 : 1);
    size_t n = len > 0 ? fread(s, 1, (size_t)len, f) : 0;
    s[n] = '\0';
    fclose(f);
    return s;
}

void gu_stderr_clear(void)
{
    FILE *f = fopen(gu_stderr_path(), "w");
    if (f)
        fclose(f);
}

char *gu_stderr_text(void)
{
    char *s = slurp(gu_stderr_path());
    return s ? s : calloc(1, 1);
}

int gu_explore(const char *script_text, const char *opts, const char *env, const char *cache_dir)
{
    const char *script = tu_write("gui-script.txt", script_text, strlen(script_text));
    const char *cache = cache_dir ? cache_dir : tu_tmpdir();
    const char *asan = getenv("ASAN_OPTIONS");
    size_t len = strlen(script) + strlen(cache) * 2 + strlen(tu_tmpdir()) + strlen(zspace_bin) +
                 (opts ? strlen(opts) : 0) + (env ? strlen(env) : 0) + (asan ? strlen(asan) : 0) +
                 strlen(gu_stderr_path()) + 256;
    char *cmd = malloc(len);
    snprintf(cmd, len,
             "cd '%s' && ASAN_OPTIONS='%s%sdetect_leaks=0' XDG_CACHE_HOME='%s' "
             "XDG_CONFIG_HOME='%s' %s DISPLAY=%s %s explore --script '%s' %s 2>>'%s'",
             tu_tmpdir(), asan ? asan : "", asan && *asan ? ":" : "", cache, cache, env ? env : "",
             tu_xvfb(), zspace_bin, script, opts ? opts : "", gu_stderr_path());
    int st = system(cmd);
    free(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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
    char *s = slurp(path);
    if (!s)
        fail_msg("cannot read %s", path);
    cJSON *j = cJSON_Parse(s);
    free(s);
    if (!j)
        fail_msg("%s is not JSON", path);
    return j;
}

const cJSON *gu_get(const cJSON *o, const char *dotted)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", dotted);
    const cJSON *cur = o;
    char *save = NULL;
    for (char *k = strtok_r(buf, ".", &save); k && cur; k = strtok_r(NULL, ".", &save))
        cur = cJSON_GetObjectItemCaseSensitive(cur, k);
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
    const cJSON *c = gu_get(st, "view.center");
    double scale = gu_num(st, "view.scale"), ps = gu_num(st, "view.pixel_scale");
    double cx = cJSON_GetArrayItem(c, 0)->valuedouble, cy = cJSON_GetArrayItem(c, 1)->valuedouble;
    double rx = gu_int_at(st, "view.map_rect", 0), ry = gu_int_at(st, "view.map_rect", 1);
    double rw = gu_int_at(st, "view.map_rect", 2), rh = gu_int_at(st, "view.map_rect", 3);
    *wx = (int)lround((rx + rw / 2 + (x - cx) * scale) / ps);
    *wy = (int)lround((ry + rh / 2 - (y - cy) * scale) / ps);
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
