/* metrics: see metrics.h. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"

double metric_entropy_bits(const double *p, int c)
{
    double h = 0;
    for (int j = 0; j < c; j++)
        if (p[j] > 0)
            h -= p[j] * log2(p[j]);
    return h == 0 ? 0 : h; /* no -0 in a report */
}

static int argmax(const float *p, int c)
{
    int best = 0;
    for (int j = 1; j < c; j++)
        if (p[j] > p[best])
            best = j;
    return best;
}

MeanSe metric_proportion(size_t k, size_t n)
{
    MeanSe r = {NAN, NAN};
    if (n == 0)
        return r;
    r.mean = (double)k / (double)n;
    /* The standard error from (k + 1) / (n + 2) rather than k / n (as in
     * the Agresti-Coull interval): close to sqrt(p (1 - p) / n) for large n,
     * but never 0 at 0% or 100%, where the plain form claims certainty. */
    double pt = ((double)k + 1) / ((double)n + 2);
    r.se = sqrt(pt * (1 - pt) / ((double)n + 2));
    return r;
}

/* Two passes: no cancellation in the sum of squares. */
MeanSe metric_mean(const double *v, size_t n)
{
    MeanSe r = {NAN, NAN};
    if (n == 0)
        return r;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    r.mean = s / (double)n;
    if (n > 1) {
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (v[i] - r.mean) * (v[i] - r.mean);
        r.se = sqrt(ss / (double)(n - 1) / (double)n);
    }
    return r;
}

int metric_score(const float *probs, size_t n, const uint8_t *labels, uint64_t seed,
                 SampleScore *out, Err *e)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return err_set(e, ERR_ARG, "metrics: no images to score");
    if (n > UINT32_MAX)
        return err_set(e, ERR_ARG, "metrics: %zu images is too many", n);
    const int c = METRIC_CLASSES;
    double *maxp = malloc(n * sizeof *maxp);
    uint8_t *pred = malloc(n);
    if (!maxp || !pred) {
        free(maxp);
        free(pred);
        return err_set(e, ERR_NOMEM, "metrics: out of memory");
    }
    size_t count[METRIC_CLASSES] = {0}, correct = 0;
    double class_sum[METRIC_CLASSES] = {0};
    for (size_t i = 0; i < n; i++) {
        const float *p = probs + i * (size_t)c;
        int k = argmax(p, c);
        pred[i] = (uint8_t)k;
        maxp[i] = p[k];
        count[k]++;
        class_sum[k] += p[k];
        if (labels && labels[i] == k)
            correct++;
    }
    out->n = n;
    out->maxp = metric_mean(maxp, n);
    for (int j = 0; j < c; j++) {
        out->hist[j] = (double)count[j] / (double)n;
        out->class_maxp[j] = count[j] ? class_sum[j] / (double)count[j] : NAN;
    }
    out->entropy.mean = metric_entropy_bits(out->hist, c);
    if (labels)
        out->accuracy = metric_proportion(correct, n);
    else
        out->accuracy.mean = out->accuracy.se = NAN;

    /* Bootstrap the entropy: resample the predictions with replacement. */
    Rng r;
    rng_seed(&r, seed);
    double boot[METRIC_BOOTSTRAP];
    for (int b = 0; b < METRIC_BOOTSTRAP; b++) {
        size_t bc[METRIC_CLASSES] = {0};
        for (size_t i = 0; i < n; i++)
            bc[pred[rng_below(&r, (uint32_t)n)]]++;
        double h[METRIC_CLASSES];
        for (int j = 0; j < c; j++)
            h[j] = (double)bc[j] / (double)n;
        boot[b] = metric_entropy_bits(h, c);
    }
    MeanSe bs = metric_mean(boot, METRIC_BOOTSTRAP);
    /* The bootstrap sd of the statistic is its standard error: mean_se
     * divided it by sqrt(B), so multiply back. */
    out->entropy.se = bs.se * sqrt((double)METRIC_BOOTSTRAP);
    free(maxp);
    free(pred);
    return ERR_OK;
}

MeanSe metric_blur(const float *x, size_t n, int X)
{
    MeanSe r = {NAN, NAN};
    if (n == 0 || X < 1)
        return r;
    double *per = malloc(n * sizeof *per);
    if (!per)
        return r;
    for (size_t i = 0; i < n; i++) {
        const float *img = x + i * (size_t)X;
        double s = 0;
        for (int k = 0; k < X; k++) {
            double p = img[k] < 0 ? 0 : img[k] > 1 ? 1 : img[k];
            if (p > 0 && p < 1)
                s -= p * log2(p) + (1 - p) * log2(1 - p);
        }
        per[i] = s / X;
    }
    r = metric_mean(per, n);
    free(per);
    return r;
}

Comparison metric_compare(MeanSe a, MeanSe b, int sign)
{
    Comparison c;
    c.d = a.mean - b.mean;
    c.se = sqrt(a.se * a.se + b.se * b.se);
    c.z = c.se > 0 ? c.d / c.se : c.d == 0 ? 0 : c.d > 0 ? INFINITY : -INFINITY;
    double zs = c.z * (sign < 0 ? -1 : 1);
    c.verdict = zs >= 2 ? VERDICT_SUPPORTED : zs <= -2 ? VERDICT_CONTRADICTED : VERDICT_INCONCLUSIVE;
    return c;
}

const char *metric_verdict_name(Verdict v)
{
    switch (v) {
    case VERDICT_SUPPORTED: return "supported";
    case VERDICT_CONTRADICTED: return "contradicted";
    case VERDICT_PARTLY: return "partly supported";
    default: return "inconclusive";
    }
}

Verdict metric_combine(const Verdict *parts, int n)
{
    int sup = 0, inc = 0;
    for (int i = 0; i < n; i++) {
        sup += parts[i] == VERDICT_SUPPORTED;
        inc += parts[i] == VERDICT_INCONCLUSIVE;
    }
    if (n == 0 || inc == n)
        return VERDICT_INCONCLUSIVE;
    if (sup == n)
        return VERDICT_SUPPORTED;
    if (sup == 0)
        return VERDICT_CONTRADICTED;
    return VERDICT_PARTLY;
}
