/* vae: configuration, allocation, initialization, threads and the named
 * tensor view of the parameters (see vae.h; layout in vae_impl.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "nn/bf16.h"
#include "nn/nn.h"
#include "vae_impl.h"

enum { ALIGN_FLOATS = 16, ITEM_FLOATS = 32 * 1024 }; /* 64 B; ~128 KiB gradient blocks */

static size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

void vae_config_default(VaeConfig *c)
{
    memset(c, 0, sizeof *c);
    c->x = VAE_X;
    c->z = 20;
    c->n_hidden = 1;
    c->hidden[0] = 512;
    c->beta = 1.0f;
}

int vae_config_check(const VaeConfig *c, Err *e)
{
    if (c->x < 1 || c->x > 1 << 20)
        return err_set(e, ERR_ARG, "input size %d outside 1..%d", c->x, 1 << 20);
    if (c->z < 1 || c->z > VAE_MAX_Z)
        return err_set(e, ERR_ARG, "latent size %d outside 1..%d", c->z, VAE_MAX_Z);
    if (c->n_hidden < 1 || c->n_hidden > VAE_MAX_LAYERS)
        return err_set(e, ERR_ARG, "%d hidden layers: expected 1..%d", c->n_hidden,
                       VAE_MAX_LAYERS);
    for (int i = 0; i < c->n_hidden; i++)
        if (c->hidden[i] < 1 || c->hidden[i] > VAE_MAX_HIDDEN)
            return err_set(e, ERR_ARG, "hidden layer %d has width %d: expected 1..%d", i + 1,
                           c->hidden[i], VAE_MAX_HIDDEN);
    if (!(c->beta >= 0.0f) || !isfinite(c->beta))
        return err_set(e, ERR_ARG, "beta %g: expected a finite value >= 0", (double)c->beta);
    return ERR_OK;
}

/* Layer shapes and parameter offsets; returns n_params. */
static size_t plan_layers(VaeWork *w, const VaeConfig *c)
{
    int k = c->n_hidden, n = 0;
    int dims[2 * VAE_MAX_LAYERS + 3]; /* X, H1..Hk, 2Z | Z, Hk..H1, X */
    dims[0] = c->x;
    for (int i = 0; i < k; i++)
        dims[i + 1] = c->hidden[i];
    for (int i = 0; i <= k; i++) {  /* encoder layers and heads */
        w->lin[n++] = (VaeLinear){.in = dims[i], .out = i == k ? 2 * c->z : dims[i + 1],
                                  .transposed = i == 0, .relu = i < k};
    }
    for (int i = 0; i <= k; i++) { /* decoder mirrors the encoder */
        int in = i == 0 ? c->z : dims[k + 1 - i], out = i == k ? c->x : dims[k - i];
        w->lin[n++] = (VaeLinear){.in = in, .out = out, .relu = i < k};
    }
    w->n_linear = n;
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        w->lin[i].w_off = off;
        off = round_up(off + (size_t)w->lin[i].in * w->lin[i].out, ALIGN_FLOATS);
        w->lin[i].b_off = off;
        off = round_up(off + (size_t)w->lin[i].out, ALIGN_FLOATS);
    }
    return off;
}

static void add_tensor(VaeWork *w, const char *name, int rows, int cols, size_t off, int tr)
{
    VaeTensor *t = &w->tensor[w->n_tensors++];
    memset(t, 0, sizeof *t);
    snprintf(t->info.name, sizeof t->info.name, "%s", name);
    t->info.ndim = cols ? 2 : 1;
    t->info.shape[0] = rows;
    t->info.shape[1] = cols;
    t->info.count = (size_t)rows * (cols ? (size_t)cols : 1);
    t->off = off;
    t->transposed = tr;
}

static void plan_tensors(VaeWork *w, int k, int z)
{
    char name[32];
    for (int i = 0; i < w->n_linear; i++) {
        const VaeLinear *l = &w->lin[i];
        if (i == k) { /* the fused heads are two tensors each for PyTorch */
            size_t half = (size_t)z * l->in;
            add_tensor(w, "mu.weight", z, l->in, l->w_off, 0);
            add_tensor(w, "mu.bias", z, 0, l->b_off, 0);
            add_tensor(w, "logvar.weight", z, l->in, l->w_off + half, 0);
            add_tensor(w, "logvar.bias", z, 0, l->b_off + (size_t)z, 0);
            continue;
        }
        const char *side = i < k ? "enc" : "dec";
        int idx = i < k ? i : i - k - 1;
        snprintf(name, sizeof name, "%s.%d.weight", side, idx);
        add_tensor(w, name, l->out, l->in, l->w_off, l->transposed);
        snprintf(name, sizeof name, "%s.%d.bias", side, idx);
        add_tensor(w, name, l->out, 0, l->b_off, 0);
    }
}

/* Gradient-phase work items: big layers first so the dynamic schedule ends
 * with small items and the threads finish together. */
static int plan_items(VaeWork *w)
{
    int cap = 1;
    for (int i = 0; i < w->n_linear; i++) {
        const VaeLinear *l = &w->lin[i];
        cap += (l->transposed ? l->in : l->out) + 1;
    }
    w->items = malloc((size_t)cap * sizeof *w->items);
    if (!w->items)
        return -1;
    int n = 0;
    for (int i = 0; i < w->n_linear; i++) {
        const VaeLinear *l = &w->lin[i];
        int rows = l->transposed ? l->in : l->out, width = l->transposed ? l->out : l->in;
        int step = ITEM_FLOATS / width > 0 ? ITEM_FLOATS / width : 1;
        if (l->transposed) /* the sparse gradient works on whole pixel tiles */
            step = (step + SPARSE_TILE - 1) / SPARSE_TILE * SPARSE_TILE;
        for (int r = 0; r < rows; r += step)
            w->items[n++] = (VaeGradItem){i, r, r + step < rows ? r + step : rows, 0};
        if (l->transposed)
            w->items[n++] = (VaeGradItem){i, 0, l->out, 1};
    }
    w->n_items = n;
    /* stable sort by size, largest first (insertion sort: tens of items) */
    for (int i = 1; i < n; i++) {
        VaeGradItem it = w->items[i];
        size_t s = (size_t)(it.r1 - it.r0) * (size_t)w->lin[it.layer].in;
        int j = i;
        while (j > 0) {
            VaeGradItem p = w->items[j - 1];
            if ((size_t)(p.r1 - p.r0) * (size_t)w->lin[p.layer].in >= s)
                break;
            w->items[j] = p;
            j--;
        }
        w->items[j] = it;
    }
    return 0;
}

static int alloc_acts(Vae *v)
{
    VaeWork *w = v->work;
    size_t B = (size_t)v->max_batch, total = 0;
    for (int i = 0; i < w->n_linear; i++)
        total += 2 * round_up(B * (size_t)w->lin[i].out, ALIGN_FLOATS);
    total += 2 * round_up(B * (size_t)v->cfg.z, ALIGN_FLOATS) + 2 * round_up(B, ALIGN_FLOATS);
    total += round_up(B * (size_t)v->cfg.x, ALIGN_FLOATS);
    w->mem = aligned_alloc(64, round_up(total * sizeof(float), 64));
    w->sp_mem = aligned_alloc(64, sparse_rows_bytes(v->max_batch, v->cfg.x));
    if (!w->mem || !w->sp_mem)
        return -1;
    sparse_rows_init(&w->sp, w->sp_mem, v->max_batch, v->cfg.x);
    float *p = w->mem;
    for (int i = 0; i < w->n_linear; i++) {
        size_t sz = round_up(B * (size_t)w->lin[i].out, ALIGN_FLOATS);
        w->out[i] = p, p += sz;
        w->dout[i] = p, p += sz;
    }
    w->dout[w->n_linear - 1] = w->out[w->n_linear - 1]; /* dlogits overwrite logits */
    size_t zs = round_up(B * (size_t)v->cfg.z, ALIGN_FLOATS);
    w->z = p, p += zs;
    w->dz = p, p += zs;
    w->recon = p, p += round_up(B, ALIGN_FLOATS);
    w->kl = p, p += round_up(B, ALIGN_FLOATS);
    w->xbuf = p;
    return 0;
}

static void init_params(Vae *v, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    VaeWork *w = v->work;
    /* Draw tensor by tensor in PyTorch element order: U(-1/sqrt(in), 1/sqrt(in)). */
    for (int t = 0; t < w->n_tensors; t++) {
        const VaeTensor *ts = &w->tensor[t];
        int fan_in = ts->info.ndim == 2 ? ts->info.shape[1]
                                        : w->tensor[t - 1].info.shape[1]; /* bias follows weight */
        float bound = 1.0f / sqrtf((float)fan_in);
        for (size_t i = 0; i < ts->info.count; i++) {
            size_t at = ts->off + i;
            if (ts->transposed) {
                size_t o = i / (size_t)ts->info.shape[1], in = i % (size_t)ts->info.shape[1];
                at = ts->off + in * (size_t)ts->info.shape[0] + o;
            }
            v->params[at] = (2.0f * rng_uniform(&rng) - 1.0f) * bound;
        }
    }
}

int vae_init(Vae *v, const VaeConfig *c, int max_batch, uint64_t seed, Err *e)
{
    memset(v, 0, sizeof *v);
    if (vae_config_check(c, e))
        return e ? e->code : ERR_ARG;
    if (max_batch < 1 || max_batch > 1 << 16)
        return err_set(e, ERR_ARG, "max batch %d outside 1..%d", max_batch, 1 << 16);
    v->cfg = *c;
    v->max_batch = max_batch;
    v->work = calloc(1, sizeof *v->work);
    if (!v->work)
        return err_set(e, ERR_NOMEM, "out of memory for the model");
    VaeWork *w = v->work;
    w->prec = NN_PREC_FP32;
    v->n_params = plan_layers(w, c);
    plan_tensors(w, c->n_hidden, c->z);
    size_t bytes = round_up(4 * v->n_params * sizeof(float), 64);
    v->params = aligned_alloc(64, bytes);
    if (!v->params || plan_items(w) || alloc_acts(v)) {
        size_t n_params = v->n_params; /* vae_free clears it */
        vae_free(v);
        return err_set(e, ERR_NOMEM, "out of memory for a model of %zu parameters", n_params);
    }
    memset(v->params, 0, bytes);
    v->grads = v->params + v->n_params;
    v->adam_m = v->grads + v->n_params;
    v->adam_v = v->adam_m + v->n_params;
    init_params(v, seed);
    if (vae_set_threads(v, nn_threads(), e)) {
        vae_free(v);
        return e ? e->code : ERR_NOMEM;
    }
    return ERR_OK;
}

static void free_gemms(VaeWork *w)
{
    for (int t = 0; t < NN_MAX_THREADS; t++) {
        nn_gemm_free(w->gemm[t]);
        w->gemm[t] = NULL;
    }
}

/* One bf16 GEMM backend per thread (in fp32 there are none). */
static int make_gemms(VaeWork *w, Err *e)
{
    free_gemms(w);
    if (w->prec != NN_PREC_BF16)
        return ERR_OK;
    for (int t = 0; t < w->threads; t++) {
        int rc = nn_gemm_init(&w->gemm[t], w->gemm_kind, e);
        if (rc) {
            free_gemms(w);
            return rc;
        }
    }
    return ERR_OK;
}

/* The bf16 buffers, for max_batch rows. */
static int alloc_bf16(Vae *v)
{
    VaeWork *w = v->work;
    if (w->hmem)
        return 0;
    size_t B = (size_t)v->max_batch, A = 32; /* 64-byte aligned in uint16_t */
    size_t total = round_up(v->n_params, A) + round_up(B * (size_t)v->cfg.z, A);
    for (int i = 0; i < w->n_linear; i++)
        total += 2 * round_up(B * (size_t)w->lin[i].out, A);
    uint16_t *p = aligned_alloc(64, round_up(total * sizeof *p, 64));
    if (!p)
        return -1;
    w->hmem = p;
    w->wh = p, p += round_up(v->n_params, A);
    w->zh = p, p += round_up(B * (size_t)v->cfg.z, A);
    for (int i = 0; i < w->n_linear; i++) {
        size_t sz = round_up(B * (size_t)w->lin[i].out, A);
        w->outh[i] = p, p += sz;
        w->douth[i] = p, p += sz;
    }
    return 0;
}

void vae_sync_bf16(Vae *v, size_t off, size_t n)
{
    if (v->work->prec == NN_PREC_BF16)
        bf16_from_floats(v->work->wh + off, v->params + off, (long)n);
}

void vae_params_changed(Vae *v) { vae_sync_bf16(v, 0, v->n_params); }

int vae_set_precision(Vae *v, NnPrecision p, Err *e)
{
    VaeWork *w = v->work;
    NnPrecision got;
    NnGemmKind kind;
    int rc = nn_precision_resolve(p, &got, &kind, e);
    if (rc)
        return rc;
    if (got == NN_PREC_BF16 && alloc_bf16(v))
        return err_set(e, ERR_NOMEM, "out of memory for the bf16 copies of the model");
    NnPrecision was = w->prec;
    NnGemmKind was_kind = w->gemm_kind;
    w->prec = got, w->gemm_kind = kind;
    if ((rc = make_gemms(w, e))) {
        w->prec = was, w->gemm_kind = was_kind;
        make_gemms(w, NULL);
        return rc;
    }
    vae_params_changed(v);
    return ERR_OK;
}

NnPrecision vae_precision(const Vae *v) { return v->work->prec; }

void vae_free(Vae *v)
{
    if (v->work) {
        free_gemms(v->work);
        free(v->work->hmem);
        pool_free(v->work->pool);
        free(v->work->cols_mem);
        free(v->work->sp_mem);
        free(v->work->items);
        free(v->work->mem);
        free(v->work);
    }
    free(v->params);
    memset(v, 0, sizeof *v);
}

int vae_set_threads(Vae *v, int threads, Err *e)
{
    VaeWork *w = v->work;
    if (threads < 1 || threads > NN_MAX_THREADS)
        return err_set(e, ERR_ARG, "thread count %d outside 1..%d", threads, NN_MAX_THREADS);
    if (w->pool && w->threads == threads)
        return ERR_OK;
    pool_free(w->pool);
    w->pool = NULL;
    free(w->cols_mem);
    size_t per = sparse_cols_bytes(v->max_batch);
    w->cols_mem = aligned_alloc(64, per * (size_t)threads);
    if (!w->cols_mem)
        return err_set(e, ERR_NOMEM, "out of memory for thread scratch");
    for (int t = 0; t < threads; t++)
        sparse_cols_init(&w->cols[t], (char *)w->cols_mem + per * (size_t)t, v->max_batch);
    w->threads = threads;
    if (threads > 1) /* our helpers call OpenBLAS; its own threads would compete */
        openblas_set_num_threads(1);
    int rc = make_gemms(w, e);
    return rc ? rc : pool_init(&w->pool, threads, e);
}

int vae_copy_params(Vae *dst, const Vae *src, Err *e)
{
    const VaeConfig *a = &dst->cfg, *b = &src->cfg;
    int same = a->x == b->x && a->z == b->z && a->n_hidden == b->n_hidden;
    for (int i = 0; same && i < a->n_hidden; i++)
        same = a->hidden[i] == b->hidden[i];
    if (!same)
        return err_set(e, ERR_ARG, "cannot copy parameters between different architectures");
    memcpy(dst->params, src->params, src->n_params * sizeof *src->params);
    vae_params_changed(dst);
    return ERR_OK;
}

int vae_tensor_count(const Vae *v) { return v->work->n_tensors; }

void vae_tensor_info(const Vae *v, int i, VaeTensorInfo *out) { *out = v->work->tensor[i].info; }

int vae_tensor_find(const Vae *v, const char *name)
{
    for (int i = 0; i < v->work->n_tensors; i++)
        if (!strcmp(v->work->tensor[i].info.name, name))
            return i;
    return -1;
}

static float *slot_base(const Vae *v, VaeSlot slot)
{
    switch (slot) {
    case VAE_GRADS: return v->grads;
    case VAE_ADAM_M: return v->adam_m;
    case VAE_ADAM_V: return v->adam_v;
    default: return v->params;
    }
}

/* Copy tensor t between the flat array at base and a PyTorch-order buffer,
 * undoing the transposed storage of layer 0 when needed. */
static void copy_tensor(const VaeTensor *t, float *base, float *buf, int to_buf)
{
    size_t rows = (size_t)t->info.shape[0], cols = (size_t)t->info.shape[1];
    if (!t->transposed) {
        size_t bytes = t->info.count * sizeof *buf;
        memcpy(to_buf ? buf : base, to_buf ? base : buf, bytes);
        return;
    }
    for (size_t c = 0; c < cols; c++)
        for (size_t r = 0; r < rows; r++) {
            float *flat = base + c * rows + r, *torch = buf + r * cols + c;
            if (to_buf)
                *torch = *flat;
            else
                *flat = *torch;
        }
}

void vae_tensor_get(const Vae *v, VaeSlot slot, int i, float *out)
{
    const VaeTensor *t = &v->work->tensor[i];
    copy_tensor(t, slot_base(v, slot) + t->off, out, 1);
}

void vae_tensor_set(Vae *v, VaeSlot slot, int i, const float *in)
{
    const VaeTensor *t = &v->work->tensor[i];
    copy_tensor(t, slot_base(v, slot) + t->off, (float *)in, 0); /* read-only in this direction */
    if (slot == VAE_PARAMS)
        vae_sync_bf16(v, t->off, t->info.count);
}
