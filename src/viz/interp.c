/* interp: see interp.h. */
#include "interp.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void viz_lerp(const float *a, const float *b, int z, float t, float *out)
{
    /* (1 - t) a + t b rather than a + t (b - a): exact at t = 1 too. */
    for (int j = 0; j < z; j++)
        out[j] = (1.0f - t) * a[j] + t * b[j];
}

void viz_slerp(const float *a, const float *b, int z, float t, float *out)
{
    double aa = 0, bb = 0, ab = 0;
    for (int j = 0; j < z; j++) {
        aa += (double)a[j] * a[j];
        bb += (double)b[j] * b[j];
        ab += (double)a[j] * b[j];
    }
    double c = aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 1.0;
    c = c > 1 ? 1 : c < -1 ? -1 : c;
    double omega = acos(c), so = sin(omega);
    if (so < 1e-4) { /* parallel, antiparallel or a zero vector: no unique arc */
        viz_lerp(a, b, z, t, out);
        return;
    }
    if (t == 0.0f || t == 1.0f) { /* exact ends, as lerp */
        memcpy(out, t == 0.0f ? a : b, (size_t)z * sizeof *out);
        return;
    }
    double wa = sin((1.0 - t) * omega) / so, wb = sin(t * omega) / so;
    for (int j = 0; j < z; j++)
        out[j] = (float)(wa * a[j] + wb * b[j]);
}

int viz_path_init(VizPath *p, const float *stops, int n_stops, int z, VizInterp mode, Err *e)
{
    memset(p, 0, sizeof *p);
    if (n_stops < 2 || n_stops > VIZ_MAX_STOPS)
        return err_set(e, ERR_ARG, "a path needs 2..%d stops, not %d", VIZ_MAX_STOPS, n_stops);
    if (z < 1 || z > VAE_MAX_Z)
        return err_set(e, ERR_ARG, "latent size %d out of range", z);
    p->stops = malloc((size_t)n_stops * (size_t)z * sizeof *p->stops);
    if (!p->stops)
        return err_set(e, ERR_NOMEM, "out of memory for a path");
    memcpy(p->stops, stops, (size_t)n_stops * (size_t)z * sizeof *p->stops);
    p->z = z;
    p->n_stops = n_stops;
    p->mode = mode;
    return ERR_OK;
}

void viz_path_free(VizPath *p)
{
    free(p->stops);
    memset(p, 0, sizeof *p);
}

void viz_path_eval(const VizPath *p, double t, float *z)
{
    int segs = p->n_stops - 1;
    double u = (t > 0 ? (t < 1 ? t : 1) : 0) * segs; /* also maps NaN to 0 */
    int i = (int)floor(u);
    if (i >= segs) /* t = 1: the end of the last segment */
        i = segs - 1;
    float local = (float)(u - i);
    const float *a = p->stops + (size_t)i * p->z, *b = a + p->z;
    (p->mode == VIZ_SLERP ? viz_slerp : viz_lerp)(a, b, p->z, local, z);
}

size_t viz_path_frames(const VizPath *p, int steps)
{
    return (size_t)(p->n_stops - 1) * (size_t)steps + 1;
}

void viz_path_sample(const VizPath *p, int steps, float *z)
{
    size_t n = viz_path_frames(p, steps);
    for (size_t k = 0; k < n; k++) {
        /* Segment and position from integers, so stops land exactly. */
        size_t seg = k / (size_t)steps, off = k % (size_t)steps;
        if (seg == (size_t)(p->n_stops - 1)) {
            seg--;
            off = (size_t)steps;
        }
        const float *a = p->stops + seg * p->z, *b = a + p->z;
        float t = (float)off / (float)steps;
        (p->mode == VIZ_SLERP ? viz_slerp : viz_lerp)(a, b, p->z, t, z + k * p->z);
    }
}

int viz_class_centroids(Vae *v, const DataSplit *split, size_t n, float *centroids, size_t *counts,
                        Err *e)
{
    int Z = v->cfg.z;
    if (split->x != v->cfg.x)
        return err_set(e, ERR_ARG, "images have %d pixels, the model expects %d", split->x,
                       v->cfg.x);
    if (n == 0 || n > split->n)
        n = split->n;
    enum { CHUNK = 1024 };
    float *mu = malloc((size_t)CHUNK * (size_t)Z * sizeof *mu);
    double *sum = calloc((size_t)DATASET_CLASSES * (size_t)Z, sizeof *sum);
    if (!mu || !sum) {
        free(mu);
        free(sum);
        return err_set(e, ERR_NOMEM, "out of memory for class centroids");
    }
    memset(counts, 0, DATASET_CLASSES * sizeof *counts);
    for (size_t s = 0; s < n; s += CHUNK) {
        size_t b = n - s < CHUNK ? n - s : CHUNK;
        vae_encode(v, split->images + s * (size_t)split->x, b, mu, NULL);
        for (size_t i = 0; i < b; i++) {
            int c = split->labels[s + i];
            counts[c]++;
            for (int j = 0; j < Z; j++)
                sum[(size_t)c * Z + j] += mu[i * (size_t)Z + j];
        }
    }
    for (int c = 0; c < DATASET_CLASSES; c++)
        for (int j = 0; j < Z; j++)
            centroids[(size_t)c * Z + j] =
                counts[c] ? (float)(sum[(size_t)c * Z + j] / (double)counts[c]) : 0.0f;
    free(mu);
    free(sum);
    return ERR_OK;
}

int viz_parse_classes(const char *s, const char *const *names, int *out, int max, int *n, Err *e)
{
    *n = 0;
    const char *p = s;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len > 0 && isspace((unsigned char)p[len - 1]))
            len--;
        char item[64];
        if (len == 0)
            return err_set(e, ERR_ARG, "'%s': empty class in the list", s);
        snprintf(item, sizeof item, "%.*s", (int)(len < 63 ? len : 63), p);
        int cls = -1;
        if (len == 1 && isdigit((unsigned char)item[0]))
            cls = item[0] - '0';
        for (int c = 0; cls < 0 && names && c < DATASET_CLASSES; c++)
            if (strlen(names[c]) == len && !strncasecmp(names[c], p, len))
                cls = c;
        if (cls < 0)
            return err_set(e, ERR_ARG, "unknown class '%s' (classes are 0..9%s)", item,
                           names && strcmp(names[0], "0") ? " or their names" : "");
        if (*n == max)
            return err_set(e, ERR_ARG, "'%.40s...': more than %d classes", s, max);
        out[(*n)++] = cls;
        if (!end)
            return ERR_OK;
        p = end + 1;
    }
}
