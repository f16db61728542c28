/* gemm_dnnl: nn_gemm's oneDNN backends (see gemm.h): one matmul primitive
 * per shape, cached per thread.
 *
 * A product is described to oneDNN by strides, so transposed operands and
 * row blocks of larger matrices need no copies; acc adds a sum post-op.
 * Each cache entry owns its primitive and the memory objects that name the
 * operands (their data pointers are set at each call), so after a shape's
 * first call the only work per call is oneDNN's own. The scratchpad is
 * user-managed: one buffer per cache, grown when a primitive needing more
 * is created, so oneDNN allocates none per call. oneDNN's OpenMP runtime is
 * held at one thread on every thread that calls it: zspace splits the work
 * over its own threads (nn/pool.h), as it does for OpenBLAS. The setter is
 * looked up in the runtime libdnnl already loaded (libgomp), so zspace
 * needs no OpenMP compiler support of its own. */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <oneapi/dnnl/dnnl.h>

#include "gemm.h"

enum { CACHE_CAP = 96 };

typedef struct {
    int ta, tb, m, n, k, lda, ldb, ldc, acc;
    dnnl_primitive_t prim;
    dnnl_memory_t a, b, c, scratch;
} Entry;

struct NnDnnl {
    int bf16;
    void (*omp_set_threads)(int); /* NULL if the runtime is not OpenMP */
    dnnl_engine_t eng;
    dnnl_stream_t stream;
    Entry cache[CACHE_CAP];
    int used, next_evict;
    void *scratch;
    size_t scratch_bytes;
};

static int dnnl_fail(Err *e, dnnl_status_t s, const char *what)
{
    return err_set(e, s == dnnl_out_of_memory ? ERR_NOMEM : ERR_ARG, "oneDNN: %s failed (status %d)",
                   what, (int)s);
}

int nn_dnnl_bf16_native(void)
{
    dnnl_cpu_isa_t isa = dnnl_get_effective_cpu_isa();
    return ((unsigned)isa & (unsigned)dnnl_cpu_isa_avx512_core_bf16) ==
           (unsigned)dnnl_cpu_isa_avx512_core_bf16;
}

static void entry_free(Entry *t)
{
    if (t->prim)
        dnnl_primitive_destroy(t->prim);
    dnnl_memory_t m[4] = {t->a, t->b, t->c, t->scratch};
    for (int i = 0; i < 4; i++)
        if (m[i])
            dnnl_memory_destroy(m[i]);
    memset(t, 0, sizeof *t);
}

/* A rows x cols operand stored row-major with stride ld, seen transposed if tr. */
static void operand_md(dnnl_memory_desc_t *md, int rows, int cols, int ld, int tr,
                       dnnl_data_type_t dt)
{
    dnnl_dims_t dims = {tr ? cols : rows, tr ? rows : cols};
    dnnl_dims_t strides = {tr ? 1 : ld, tr ? ld : 1};
    dnnl_memory_desc_init_by_strides(md, 2, dims, dt, strides);
}

static int entry_make(NnDnnl *d, Entry *t, Err *e)
{
    dnnl_data_type_t dt = d->bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t amd, bmd, cmd, smd;
    /* A as stored is (M, K), or (K, M) when transposed; likewise B. */
    operand_md(&amd, t->ta ? t->k : t->m, t->ta ? t->m : t->k, t->lda, t->ta, dt);
    operand_md(&bmd, t->tb ? t->n : t->k, t->tb ? t->k : t->n, t->ldb, t->tb, dt);
    operand_md(&cmd, t->m, t->n, t->ldc, 0, dnnl_f32);
    dnnl_matmul_desc_t desc;
    dnnl_primitive_attr_t attr = NULL;
    dnnl_post_ops_t po = NULL;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s = dnnl_matmul_desc_init(&desc, &amd, &bmd, NULL, &cmd);
    if (s == dnnl_success)
        s = dnnl_primitive_attr_create(&attr);
    if (s == dnnl_success)
        s = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    if (s == dnnl_success && t->acc) {
        s = dnnl_post_ops_create(&po);
        if (s == dnnl_success)
            s = dnnl_post_ops_append_sum(po, 1.0f);
        if (s == dnnl_success)
            s = dnnl_primitive_attr_set_post_ops(attr, po);
    }
    if (s == dnnl_success)
        s = dnnl_primitive_desc_create(&pd, &desc, attr, d->eng, NULL);
    if (po)
        dnnl_post_ops_destroy(po);
    if (attr)
        dnnl_primitive_attr_destroy(attr);
    if (s != dnnl_success)
        return dnnl_fail(e, s, d->bf16 ? "creating a bf16 matmul" : "creating an fp32 matmul");
    smd = *dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    size_t need = dnnl_memory_desc_get_size(&smd);
    if (need > d->scratch_bytes) {
        void *p = aligned_alloc(64, (need + 63) / 64 * 64);
        if (!p) {
            dnnl_primitive_desc_destroy(pd);
            return err_set(e, ERR_NOMEM, "out of memory for oneDNN scratch (%zu bytes)", need);
        }
        free(d->scratch);
        d->scratch = p, d->scratch_bytes = need;
    }
    s = dnnl_primitive_create(&t->prim, pd);
    dnnl_primitive_desc_destroy(pd);
    if (s == dnnl_success)
        s = dnnl_memory_create(&t->a, &amd, d->eng, DNNL_MEMORY_NONE);
    if (s == dnnl_success)
        s = dnnl_memory_create(&t->b, &bmd, d->eng, DNNL_MEMORY_NONE);
    if (s == dnnl_success)
        s = dnnl_memory_create(&t->c, &cmd, d->eng, DNNL_MEMORY_NONE);
    if (s == dnnl_success)
        s = dnnl_memory_create(&t->scratch, &smd, d->eng, DNNL_MEMORY_NONE);
    if (s != dnnl_success) {
        entry_free(t);
        return dnnl_fail(e, s, "creating matmul memory");
    }
    return ERR_OK;
}

static Entry *lookup(NnDnnl *d, const Entry *key, Err *e)
{
    for (int i = 0; i < d->used; i++) {
        Entry *t = &d->cache[i];
        if (t->m == key->m && t->n == key->n && t->k == key->k && t->ta == key->ta &&
            t->tb == key->tb && t->lda == key->lda && t->ldb == key->ldb && t->ldc == key->ldc &&
            t->acc == key->acc)
            return t;
    }
    Entry *t;
    if (d->used < CACHE_CAP) {
        t = &d->cache[d->used];
    } else { /* more shapes than a training run has: replace round-robin */
        t = &d->cache[d->next_evict];
        d->next_evict = (d->next_evict + 1) % CACHE_CAP;
        entry_free(t);
    }
    *t = *key;
    t->prim = NULL, t->a = t->b = t->c = t->scratch = NULL;
    if (entry_make(d, t, e))
        return NULL; /* t is zeroed; a full cache keeps a zero entry that never matches a shape */
    if (t == &d->cache[d->used])
        d->used++;
    return t;
}

int nn_dnnl_gemm(NnDnnl *d, int ta, int tb, int M, int N, int K, const void *a, int lda,
                 const void *b, int ldb, float *c, int ldc, int acc, Err *e)
{
    if (d->omp_set_threads) /* a per-thread setting: this thread's calls stay on it */
        d->omp_set_threads(1);
    Entry key = {.ta = !!ta, .tb = !!tb, .m = M, .n = N, .k = K, .lda = lda, .ldb = ldb,
                 .ldc = ldc, .acc = !!acc};
    Entry *t = lookup(d, &key, e);
    if (!t)
        return e ? e->code : ERR_ARG;
    dnnl_memory_set_data_handle(t->a, (void *)(uintptr_t)a); /* oneDNN only reads src/weights */
    dnnl_memory_set_data_handle(t->b, (void *)(uintptr_t)b);
    dnnl_memory_set_data_handle(t->c, c);
    dnnl_memory_set_data_handle(t->scratch, d->scratch);
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, t->a}, {DNNL_ARG_WEIGHTS, t->b},
                               {DNNL_ARG_DST, t->c}, {DNNL_ARG_SCRATCHPAD, t->scratch}};
    dnnl_status_t s = dnnl_primitive_execute(t->prim, d->stream, 4, args);
    if (s == dnnl_success)
        s = dnnl_stream_wait(d->stream);
    return s == dnnl_success ? ERR_OK : dnnl_fail(e, s, "executing a matmul");
}

void nn_dnnl_free(NnDnnl *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->used; i++)
        entry_free(&d->cache[i]);
    if (d->stream)
        dnnl_stream_destroy(d->stream);
    if (d->eng)
        dnnl_engine_destroy(d->eng);
    free(d->scratch);
    free(d);
}

int nn_dnnl_init(NnDnnl **out, int bf16, Err *e)
{
    *out = NULL;
    NnDnnl *d = calloc(1, sizeof *d);
    if (!d)
        return err_set(e, ERR_NOMEM, "out of memory for a oneDNN context");
    d->bf16 = bf16;
    /* POSIX allows the object-to-function pointer conversion dlsym needs. */
    *(void **)&d->omp_set_threads = dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    dnnl_status_t s = dnnl_engine_create(&d->eng, dnnl_cpu, 0);
    if (s == dnnl_success)
        s = dnnl_stream_create(&d->stream, d->eng, dnnl_stream_default_flags);
    if (s != dnnl_success) {
        nn_dnnl_free(d);
        return dnnl_fail(e, s, "creating a CPU engine");
    }
    /* Can this CPU run the product at all? (oneDNN 2.6 has no bf16 matmul without AVX-512.) */
    float probe[16 * 16] = {0}; /* big enough for either type */
    float c[16 * 16];
    int rc = nn_dnnl_gemm(d, 0, 1, 16, 16, 16, probe, 16, probe, 16, c, 16, 0, e);
    if (rc) {
        nn_dnnl_free(d);
        return rc;
    }
    *out = d;
    return ERR_OK;
}
