/* metrics: the numbers the study reports about a model's images, each with
 * a standard error so a claim can be judged against noise rather than by eye.
 *
 * Definitions (the report restates them):
 *   max-prob      the classifier's largest softmax probability for an image:
 *                 how much it looks like *some* digit. Averaged over images.
 *   class entropy H of the histogram of predicted classes, in bits: 0 when
 *                 every image reads as one class, log2(10) = 3.32 when all ten
 *                 are equally common. The study's measure of diversity. Its
 *                 standard error is a bootstrap (resampling the images).
 *   accuracy      argmax == the label of the image the sample came from.
 *   blur          mean binary entropy of the decoded pixel probabilities,
 *                 bits per pixel: -p log2 p - (1-p) log2 (1-p), 0 for a pixel
 *                 that is surely ink or surely paper, 1 for p = 0.5. A sharp
 *                 digit is ~0 away from its stroke edges; a blurry one has
 *                 wide grey halos.
 * Standard errors of means are sd / sqrt(n); of a proportion k / n,
 * sqrt(q (1 - q) / (n + 2)) with q = (k + 1) / (n + 2), which is never 0.
 *
 * Thread rule: pure functions of their inputs; any thread. */
#ifndef ZSPACE_STUDY_METRICS_H
#define ZSPACE_STUDY_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum { METRIC_CLASSES = 10, METRIC_BOOTSTRAP = 200 };

typedef struct {
    double mean, se;
} MeanSe;

/* How a set of images reads to the classifier. */
typedef struct {
    size_t n;
    MeanSe maxp;                  /* mean max-prob */
    double hist[METRIC_CLASSES];  /* share of images predicted as each class */
    MeanSe entropy;               /* class entropy, bits; se by bootstrap */
    MeanSe accuracy;              /* vs labels; NaN when no labels were given */
    double class_maxp[METRIC_CLASSES]; /* mean max-prob of the images predicted as each
                                          class (NaN where none was) */
} SampleScore;

/* Entropy in bits of a distribution p (c entries summing to ~1; zeros
 * allowed). */
double metric_entropy_bits(const double *p, int c);

/* Score probs (N, C) (softmax rows, C = METRIC_CLASSES) against labels
 * (N, may be NULL). The bootstrap draws from seed, so the result is
 * deterministic. ERR_ARG for N = 0. */
int metric_score(const float *probs, size_t n, const uint8_t *labels, uint64_t seed,
                 SampleScore *out, Err *e);

/* Blur of images x (N, X) of pixel probabilities in [0, 1]: the mean (over
 * images) of each image's mean pixel entropy, and its standard error. */
MeanSe metric_blur(const float *x, size_t n, int X);

/* Mean of v[0..n) and sd / sqrt(n) (se NaN for n < 2; both NaN for n = 0). */
MeanSe metric_mean(const double *v, size_t n);

/* A proportion k / n and its standard error (see above; NaN for n = 0). */
MeanSe metric_proportion(size_t k, size_t n);

/* Claim verdicts: how the difference d = a - b compares with its standard
 * error sqrt(se_a^2 + se_b^2). */
typedef enum {
    VERDICT_SUPPORTED,    /* d has the claimed sign and |d| >= 2 se */
    VERDICT_CONTRADICTED, /* d has the opposite sign and |d| >= 2 se */
    VERDICT_INCONCLUSIVE, /* |d| < 2 se */
    VERDICT_PARTLY,       /* a claim with several parts, some supported and some not */
} Verdict;

typedef struct {
    double d;  /* a - b */
    double se; /* of d */
    double z;  /* d / se (signed; +-inf when se is 0 and d is not) */
    Verdict verdict;
} Comparison;

/* Compare a against b; sign is +1 when the claim is "a > b", -1 for "a < b". */
Comparison metric_compare(MeanSe a, MeanSe b, int sign);

/* "supported", "contradicted", "inconclusive", "partly supported". */
const char *metric_verdict_name(Verdict v);

/* The verdict of a claim made of n parts (PARTLY counts as not supported):
 * all inconclusive (or n = 0) -> inconclusive; all supported -> supported;
 * none supported but some contradicted -> contradicted; otherwise partly. */
Verdict metric_combine(const Verdict *parts, int n);

#endif
