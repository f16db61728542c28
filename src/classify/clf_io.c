/* clf_io: a classifier to and from safetensors (see clf.h). The container
 * checks (offsets, dtypes, JSON) are io/safetensors; this file maps the four
 * tensors and the metadata and refuses anything that is not exactly the
 * architecture the metadata names. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clf.h"
#include "core/xdg.h"
#include "io/safetensors.h"

#ifndef ZSPACE_VERSION
#define ZSPACE_VERSION "unknown"
#endif

void clf_default_path(const char *dataset, char *buf, size_t size)
{
    char rel[256];
    snprintf(rel, sizeof rel, "classifier-%s.safetensors", dataset ? dataset : "mnist");
    xdg_path(XDG_CACHE, rel, buf, size);
}

enum { N_TENSORS = 4 };
static const char *const names[N_TENSORS] = {"fc1.weight", "fc1.bias", "fc2.weight",
                                             "fc2.bias"};

/* Shapes of the four tensors, in names[] order; dims[i][1] == 0 for a bias. */
static void shapes(const Clf *m, int64_t dims[N_TENSORS][2])
{
    dims[0][0] = m->h, dims[0][1] = m->x;
    dims[1][0] = m->h, dims[1][1] = 0;
    dims[2][0] = m->c, dims[2][1] = m->h;
    dims[3][0] = m->c, dims[3][1] = 0;
}

int clf_save(const char *path, const Clf *m, const ClfInfo *info, Err *e)
{
    ClfTensors p = clf_tensors(m, m->params);
    const float *data[N_TENSORS] = {p.w1, p.b1, p.w2, p.b2};
    int64_t dims[N_TENSORS][2];
    shapes(m, dims);
    SafetensorsTensorIn t[N_TENSORS];
    memset(t, 0, sizeof t);
    for (int i = 0; i < N_TENSORS; i++) {
        t[i].name = names[i];
        t[i].ndim = dims[i][1] ? 2 : 1;
        t[i].shape[0] = dims[i][0];
        t[i].shape[1] = dims[i][1];
        t[i].data = data[i];
    }
    char pixels[16], hidden[16], classes[16], epochs[24], seed[24], acc[32];
    snprintf(pixels, sizeof pixels, "%d", m->x);
    snprintf(hidden, sizeof hidden, "%d", m->h);
    snprintf(classes, sizeof classes, "%d", m->c);
    snprintf(epochs, sizeof epochs, "%ld", info ? info->epochs : 0L);
    snprintf(seed, sizeof seed, "%" PRIu64, info ? info->seed : (uint64_t)0);
    if (info && isfinite(info->test_accuracy))
        snprintf(acc, sizeof acc, "%.17g", info->test_accuracy);
    else
        snprintf(acc, sizeof acc, "nan");
    const SafetensorsMeta meta[] = {
        {"architecture", CLF_ARCHITECTURE},
        {"producer", "zspace " ZSPACE_VERSION},
        {"pixels", pixels},
        {"hidden", hidden},
        {"classes", classes},
        {"dataset", info ? info->dataset : ""},
        {"epochs", epochs},
        {"seed", seed},
        {"test_accuracy", acc},
    };
    return safetensors_save(path, t, N_TENSORS, meta, (int)(sizeof meta / sizeof meta[0]), e);
}

static int read_info(const Safetensors *st, const char *path, ClfInfo *info, Err *e)
{
    memset(info, 0, sizeof *info);
    info->test_accuracy = NAN;
    if (safetensors_meta_run(st, path, info->dataset, sizeof info->dataset, &info->epochs,
                             &info->seed, e) != ERR_OK)
        return ERR_FORMAT;
    const char *s = safetensors_meta(st, "test_accuracy");
    if (s) {
        char *end;
        double v = strtod(s, &end);
        if (end == s || *end || (isfinite(v) && (v < 0 || v > 1)))
            return err_set(e, ERR_FORMAT, "%s: metadata test_accuracy '%.40s' is not in [0, 1]",
                           path, s);
        info->test_accuracy = v;
    }
    return ERR_OK;
}

int clf_load(const char *path, Clf *m, int max_batch, ClfInfo *info, Err *e)
{
    memset(m, 0, sizeof *m);
    Safetensors st;
    int rc = safetensors_load(path, &st, e);
    if (rc != ERR_OK)
        return rc;
    const char *arch = safetensors_meta(&st, "architecture");
    long x, h, c;
    ClfInfo in;
    if (!arch || strcmp(arch, CLF_ARCHITECTURE) != 0) {
        rc = err_set(e, ERR_FORMAT, "%s: architecture '%.40s' is not a zspace classifier (%s)",
                     path, arch ? arch : "(none)", CLF_ARCHITECTURE);
        goto done;
    }
    if ((rc = safetensors_meta_long(&st, path, "pixels", 1, 1 << 20, &x, e)) ||
        (rc = safetensors_meta_long(&st, path, "hidden", 1, CLF_MAX_HIDDEN, &h, e)) ||
        (rc = safetensors_meta_long(&st, path, "classes", 1, 1000, &c, e)) ||
        (rc = read_info(&st, path, &in, e)))
        goto done;
    if (c != CLF_CLASSES) {
        rc = err_set(e, ERR_FORMAT, "%s: %ld classes, expected %d", path, c, CLF_CLASSES);
        goto done;
    }
    if (st.n_tensors != N_TENSORS) {
        rc = err_set(e, ERR_FORMAT, "%s: %d tensors, a classifier has %d", path, st.n_tensors,
                     N_TENSORS);
        goto done;
    }
    if ((rc = clf_init(m, (int)x, (int)h, max_batch, 0, e)) != ERR_OK)
        goto done;
    ClfTensors p = clf_tensors(m, m->params);
    float *dst[N_TENSORS] = {p.w1, p.b1, p.w2, p.b2};
    int64_t dims[N_TENSORS][2];
    shapes(m, dims);
    for (int i = 0; i < N_TENSORS; i++) {
        const SafetensorsTensor *t = safetensors_find(&st, names[i]);
        int nd = dims[i][1] ? 2 : 1;
        if (!t) {
            rc = err_set(e, ERR_FORMAT, "%s: missing tensor '%s'", path, names[i]);
            goto done;
        }
        if (t->ndim != nd || t->shape[0] != dims[i][0] || (nd == 2 && t->shape[1] != dims[i][1])) {
            rc = err_set(e, ERR_FORMAT, "%s: tensor '%s' has the wrong shape for hidden %ld",
                         path, names[i], h);
            goto done;
        }
        for (size_t k = 0; k < t->numel; k++)
            if (!isfinite(t->data[k])) {
                rc = err_set(e, ERR_FORMAT, "%s: tensor '%s' holds a non-finite value", path,
                             names[i]);
                goto done;
            }
        memcpy(dst[i], t->data, t->numel * sizeof(float));
    }
    if (info)
        *info = in;
done:
    if (rc != ERR_OK)
        clf_free(m);
    safetensors_free(&st);
    return rc;
}
