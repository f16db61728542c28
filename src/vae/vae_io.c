/* vae_io: see vae_io.h. The container work (layout, validation of offsets,
 * dtypes, JSON) is io/safetensors; this file maps a Vae's named tensors and
 * config onto it and checks the architecture. */
#include "vae_io.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetensors.h"

#ifndef ZSPACE_VERSION
#define ZSPACE_VERSION "unknown"
#endif

void vae_file_info_init(VaeFileInfo *info)
{
    memset(info, 0, sizeof *info);
}

int vae_file_info_push(VaeFileInfo *info, const VaeEpochLoss *l, Err *e)
{
    if (info->n_history >= VAE_MAX_HISTORY)
        return err_set(e, ERR_ARG, "loss history is full (%d epochs)", VAE_MAX_HISTORY);
    VaeEpochLoss *h = realloc(info->history, (size_t)(info->n_history + 1) * sizeof *h);
    if (!h)
        return err_set(e, ERR_NOMEM, "out of memory");
    h[info->n_history++] = *l;
    info->history = h;
    return ERR_OK;
}

void vae_file_info_free(VaeFileInfo *info)
{
    free(info->history);
    vae_file_info_init(info);
}

void vae_hidden_str(const VaeConfig *c, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->n_hidden && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%d", i ? "," : "", c->hidden[i]);
}

int vae_hidden_parse(const char *s, VaeConfig *c, Err *e)
{
    int n = 0, widths[VAE_MAX_LAYERS];
    const char *p = s;
    for (;;) {
        char *end;
        errno = 0;
        long w = strtol(p, &end, 10);
        if (end == p || errno || w < 1 || w > VAE_MAX_HIDDEN || (*end != ',' && *end != '\0'))
            return err_set(e, ERR_ARG,
                           "hidden '%s': expected widths 1..%d separated by commas, like 512 or 512,256",
                           s, VAE_MAX_HIDDEN);
        if (n == VAE_MAX_LAYERS)
            return err_set(e, ERR_ARG, "hidden '%s': at most %d layers", s, VAE_MAX_LAYERS);
        widths[n++] = (int)w;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    c->n_hidden = n;
    memcpy(c->hidden, widths, sizeof(int) * (size_t)n);
    return ERR_OK;
}

/* ---- saving ----------------------------------------------------------- */

/* The six per-epoch series, in the order of loss_names. */
enum { N_LOSS_FIELDS = 6 };
static const char *const loss_names[N_LOSS_FIELDS] = {"train", "train_recon", "train_kl",
                                                      "test",  "test_recon",  "test_kl"};

static double *loss_field(VaeEpochLoss *l, int f)
{
    switch (f) {
    case 0: return &l->train;
    case 1: return &l->train_recon;
    case 2: return &l->train_kl;
    case 3: return &l->test;
    case 4: return &l->test_recon;
    default: return &l->test_kl;
    }
}

/* The losses JSON: one array per field, epochs in order. NaN becomes null. */
static char *losses_json(const VaeFileInfo *info)
{
    cJSON *root = cJSON_CreateObject();
    int ok = root != NULL;
    for (int f = 0; ok && f < N_LOSS_FIELDS; f++) {
        cJSON *arr = cJSON_AddArrayToObject(root, loss_names[f]);
        ok = arr != NULL;
        for (int i = 0; ok && info && i < info->n_history; i++) {
            double v = *loss_field(&info->history[i], f);
            ok = cJSON_AddItemToArray(arr, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
        }
    }
    char *s = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return s;
}

int vae_save(const char *path, const Vae *v, const VaeFileInfo *info, Err *e)
{
    int n = vae_tensor_count(v);
    SafetensorsTensorIn *t = calloc((size_t)n, sizeof *t);
    VaeTensorInfo *ti = calloc((size_t)n, sizeof *ti);
    float *flat = malloc(v->n_params * sizeof *flat);
    char *losses = losses_json(info);
    int rc = ERR_OK;
    if (!t || !ti || !flat || !losses) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
        goto done;
    }
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        vae_tensor_info(v, i, &ti[i]);
        if (at + ti[i].count > v->n_params) { /* a broken tensor table, not a file problem */
            rc = err_set(e, ERR_ARG, "%s: tensor sizes exceed the parameter count", path);
            goto done;
        }
        vae_tensor_get(v, VAE_PARAMS, i, flat + at);
        t[i].name = ti[i].name;
        t[i].ndim = ti[i].ndim;
        t[i].shape[0] = ti[i].shape[0];
        t[i].shape[1] = ti[i].shape[1];
        t[i].data = flat + at;
        at += ti[i].count;
    }

    char pixels[16], latent[16], hidden[96], beta[32], epochs[24], seed[24];
    snprintf(pixels, sizeof pixels, "%d", v->cfg.x);
    snprintf(latent, sizeof latent, "%d", v->cfg.z);
    vae_hidden_str(&v->cfg, hidden, sizeof hidden);
    snprintf(beta, sizeof beta, "%.9g", (double)v->cfg.beta); /* round-trips a float */
    snprintf(epochs, sizeof epochs, "%ld", info ? info->epochs : 0L);
    snprintf(seed, sizeof seed, "%" PRIu64, info ? info->seed : (uint64_t)0);
    const SafetensorsMeta meta[] = {
        {"format_version", VAE_FORMAT_VERSION},
        {"architecture", VAE_ARCHITECTURE},
        {"producer", "zspace " ZSPACE_VERSION},
        {"pixels", pixels},
        {"latent", latent},
        {"hidden", hidden},
        {"beta", beta},
        {"dataset", info ? info->dataset : ""},
        {"epochs", epochs},
        {"seed", seed},
        {"precision", info && info->precision[0] ? info->precision
                                                 : nn_precision_name(vae_precision(v))},
        {"losses", losses},
    };
    rc = safetensors_save(path, t, n, meta, (int)(sizeof meta / sizeof meta[0]), e);
done:
    free(t);
    free(ti);
    free(flat);
    cJSON_free(losses);
    return rc;
}

/* ---- loading ---------------------------------------------------------- */

/* A required metadata string, or NULL with e set. */
static const char *need_meta(const Safetensors *st, const char *key, const char *path, Err *e)
{
    const char *s = safetensors_meta(st, key);
    if (!s)
        err_set(e, ERR_FORMAT, "%s: metadata has no \"%s\" (not a zspace model?)", path, key);
    return s;
}

/* Parse the metadata into a config (checked by vae_config_check). */
static int read_config(const Safetensors *st, const char *path, VaeConfig *c, Err *e)
{
    const char *ver = need_meta(st, "format_version", path, e);
    if (!ver)
        return ERR_FORMAT;
    if (strcmp(ver, VAE_FORMAT_VERSION) != 0)
        return err_set(e, ERR_FORMAT,
                       "%s: format_version '%.20s' is not supported (this zspace reads %s)", path,
                       ver, VAE_FORMAT_VERSION);
    const char *arch = need_meta(st, "architecture", path, e);
    if (!arch)
        return ERR_FORMAT;
    if (strcmp(arch, VAE_ARCHITECTURE) != 0)
        return err_set(e, ERR_FORMAT, "%s: architecture '%.40s' is not supported (expected %s)",
                       path, arch, VAE_ARCHITECTURE);

    vae_config_default(c);
    const char *s;
    long x = 0, z = 0;
    if (safetensors_meta_long(st, path, "pixels", 1, 1 << 20, &x, e) ||
        safetensors_meta_long(st, path, "latent", 1, VAE_MAX_Z, &z, e))
        return ERR_FORMAT;
    c->x = (int)x;
    c->z = (int)z;
    if (!(s = need_meta(st, "hidden", path, e)))
        return ERR_FORMAT;
    Err sub = {0};
    if (vae_hidden_parse(s, c, &sub) != ERR_OK)
        return err_set(e, ERR_FORMAT, "%s: metadata %s", path, sub.msg);
    if (!(s = need_meta(st, "beta", path, e)))
        return ERR_FORMAT;
    char *end;
    double beta = strtod(s, &end);
    if (end == s || *end || !isfinite(beta) || beta < 0)
        return err_set(e, ERR_FORMAT, "%s: metadata beta '%.40s' is not a number >= 0", path, s);
    c->beta = (float)beta;
    if (vae_config_check(c, &sub) != ERR_OK)
        return err_set(e, ERR_FORMAT, "%s: metadata: %s", path, sub.msg);
    return ERR_OK;
}

/* One field of the losses JSON into history[].field (NaN for null). */
static int read_loss_array(const cJSON *root, const char *name, int field, int *n,
                           VaeEpochLoss **hist, const char *path, Err *e)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, name);
    if (!arr)
        return ERR_OK; /* a field we may not have written: stays NaN */
    if (!cJSON_IsArray(arr))
        return err_set(e, ERR_FORMAT, "%s: metadata losses.%s is not an array", path, name);
    int len = cJSON_GetArraySize(arr);
    if (len > VAE_MAX_HISTORY)
        return err_set(e, ERR_FORMAT, "%s: metadata losses.%s has %d entries", path, name, len);
    if (*n < 0 || !*hist) {
        *n = len;
        *hist = malloc((size_t)(len ? len : 1) * sizeof **hist);
        if (!*hist)
            return err_set(e, ERR_NOMEM, "%s: out of memory", path);
        for (int i = 0; i < len; i++)
            for (int f = 0; f < N_LOSS_FIELDS; f++)
                *loss_field(&(*hist)[i], f) = NAN;
    } else if (len != *n) {
        return err_set(e, ERR_FORMAT, "%s: metadata losses.%s has %d entries, others %d", path,
                       name, len, *n);
    }
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        if (cJSON_IsNumber(item))
            *loss_field(&(*hist)[i], field) = item->valuedouble;
        else if (!cJSON_IsNull(item))
            return err_set(e, ERR_FORMAT, "%s: metadata losses.%s[%d] is not a number", path,
                           name, i);
        i++;
    }
    return ERR_OK;
}

static int read_info(const Safetensors *st, const char *path, VaeFileInfo *info, Err *e)
{
    if (safetensors_meta_run(st, path, info->dataset, sizeof info->dataset, &info->epochs,
                             &info->seed, e) != ERR_OK)
        return ERR_FORMAT;
    const char *s = safetensors_meta(st, "precision");
    if (s) {
        NnPrecision p;
        if (nn_precision_parse(s, &p) || p == NN_PREC_AUTO)
            return err_set(e, ERR_FORMAT, "%s: metadata precision '%.16s': expected fp32 or bf16",
                           path, s);
        snprintf(info->precision, sizeof info->precision, "%s", s);
    }
    if (!(s = safetensors_meta(st, "losses")))
        return ERR_OK;
    cJSON *root = cJSON_Parse(s);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return err_set(e, ERR_FORMAT, "%s: metadata losses is not a JSON object", path);
    }
    int n = -1, rc = ERR_OK;
    VaeEpochLoss *hist = NULL;
    for (int f = 0; f < N_LOSS_FIELDS && rc == ERR_OK; f++)
        rc = read_loss_array(root, loss_names[f], f, &n, &hist, path, e);
    cJSON_Delete(root);
    if (rc != ERR_OK) {
        free(hist);
        return rc;
    }
    info->history = hist;
    info->n_history = n < 0 ? 0 : n;
    return ERR_OK;
}

/* The tensor table of architecture c from its config alone, in vae.c's
 * order (enc.*, mu, logvar, dec.*; weight (out, in) before bias): the file is
 * checked against it before any model memory exists, so a file that declares
 * huge layers but lacks their tensors costs nothing. Returns the count. */
static int config_tensors(const VaeConfig *c, VaeTensorInfo *out)
{
    int k = c->n_hidden, n = 0;
    int dims[VAE_MAX_LAYERS + 1]; /* X, H1..Hk */
    dims[0] = c->x;
    for (int i = 0; i < k; i++)
        dims[i + 1] = c->hidden[i];
    for (int i = 0; i <= 2 * k + 1; i++) {
        int enc = i < k, head = i == k, j = i - k - 1; /* j: decoder index */
        int in = enc || head ? dims[i] : j == 0 ? c->z : dims[k + 1 - j];
        int o = enc ? dims[i + 1] : head ? c->z : j == k ? c->x : dims[k - j];
        for (int h = 0; h < (head ? 2 : 1); h++) {
            char base[16];
            if (head)
                snprintf(base, sizeof base, "%s", h ? "logvar" : "mu");
            else
                snprintf(base, sizeof base, "%s.%d", enc ? "enc" : "dec", enc ? i : j);
            out[n] = (VaeTensorInfo){.ndim = 2, .shape = {o, in}, .count = (size_t)o * in};
            snprintf(out[n++].name, sizeof out->name, "%s.weight", base);
            out[n] = (VaeTensorInfo){.ndim = 1, .shape = {o, 0}, .count = (size_t)o};
            snprintf(out[n++].name, sizeof out->name, "%s.bias", base);
        }
    }
    return n;
}

/* Every tensor of the table present with its shape and finite values;
 * nothing else in the file. */
static int check_tensors(const Safetensors *st, const VaeConfig *c, const VaeTensorInfo *table,
                         int n, const char *path, Err *e)
{
    char hidden[96];
    vae_hidden_str(c, hidden, sizeof hidden);
    for (int i = 0; i < n; i++) {
        VaeTensorInfo ti = table[i];
        const SafetensorsTensor *t = safetensors_find(st, ti.name);
        if (!t)
            return err_set(e, ERR_FORMAT, "%s: missing tensor '%s' (latent %d, hidden %s needs it)",
                           path, ti.name, c->z, hidden);
        int same = t->ndim == ti.ndim && t->shape[0] == ti.shape[0] &&
                   (ti.ndim == 1 || t->shape[1] == ti.shape[1]);
        if (!same) {
            char got[64] = "[", want[32];
            size_t k = 1;
            for (int d = 0; d < t->ndim && k < sizeof got; d++)
                k += (size_t)snprintf(got + k, sizeof got - k, "%s%" PRId64, d ? "," : "",
                                      t->shape[d]);
            if (k < sizeof got)
                snprintf(got + k, sizeof got - k, "]");
            if (ti.ndim == 1)
                snprintf(want, sizeof want, "[%d]", ti.shape[0]);
            else
                snprintf(want, sizeof want, "[%d,%d]", ti.shape[0], ti.shape[1]);
            return err_set(e, ERR_FORMAT,
                           "%s: tensor '%s' has shape %s but latent %d, hidden %s needs %s", path,
                           ti.name, got, c->z, hidden, want);
        }
        for (size_t k = 0; k < t->numel; k++)
            if (!isfinite(t->data[k]))
                return err_set(e, ERR_FORMAT, "%s: tensor '%s' holds NaN or infinity at %zu",
                               path, ti.name, k);
    }
    for (int j = 0; st->n_tensors != n && j < st->n_tensors; j++) {
        int known = 0;
        for (int i = 0; i < n && !known; i++)
            known = !strcmp(table[i].name, st->tensors[j].name);
        if (!known)
            return err_set(e, ERR_FORMAT,
                           "%s: unexpected tensor '%s' (not part of latent %d, hidden %s)", path,
                           st->tensors[j].name, c->z, hidden);
    }
    return ERR_OK;
}

int vae_load(const char *path, Vae *v, int max_batch, VaeFileInfo *info, Err *e)
{
    memset(v, 0, sizeof *v);
    if (info)
        vae_file_info_init(info);
    Safetensors st;
    int rc = safetensors_load(path, &st, e);
    if (rc != ERR_OK)
        return rc;
    VaeConfig cfg;
    VaeFileInfo tmp;
    vae_file_info_init(&tmp);
    VaeTensorInfo table[2 * (2 * VAE_MAX_LAYERS + 3)];
    int n = 0;
    rc = read_config(&st, path, &cfg, e);
    if (rc == ERR_OK)
        rc = read_info(&st, path, &tmp, e);
    if (rc == ERR_OK) {
        n = config_tensors(&cfg, table);
        rc = check_tensors(&st, &cfg, table, n, path, e);
    }
    if (rc == ERR_OK)
        rc = vae_init(v, &cfg, max_batch > 0 ? max_batch : 128, 0, e);
    if (rc == ERR_OK) {
        if (vae_tensor_count(v) != n)
            rc = err_set(e, ERR_FORMAT, "%s: internal: %d tensors planned, %d expected", path,
                         vae_tensor_count(v), n);
        for (int i = 0; i < n && rc == ERR_OK; i++) {
            VaeTensorInfo ti;
            vae_tensor_info(v, i, &ti);
            if (strcmp(ti.name, table[i].name) || ti.count != table[i].count)
                rc = err_set(e, ERR_FORMAT, "%s: internal: tensor table mismatch at '%s'", path,
                             ti.name);
            else
                vae_tensor_set(v, VAE_PARAMS, i, safetensors_find(&st, ti.name)->data);
        }
        if (rc != ERR_OK) {
            vae_free(v);
            memset(v, 0, sizeof *v);
        }
    }
    safetensors_free(&st);
    if (rc == ERR_OK && info)
        *info = tmp;
    else
        vae_file_info_free(&tmp);
    return rc;
}
