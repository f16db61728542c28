/* study_claims: the blog's claims judged by the study's numbers. Every
 * sentence is formatted from a StudyResult; nothing here is a typed-in
 * result. Each comparison is a difference with its standard error
 * (metrics.h: supported when the difference has the claimed sign and is at
 * least two standard errors). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "study.h"

/* Append printf-style to c->text (silently truncating at its size). */
__attribute__((format(printf, 2, 3))) static void say(StudyClaim *c, const char *fmt, ...)
{
    size_t k = strlen(c->text);
    if (k + 1 >= sizeof c->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->text + k, sizeof c->text - k, fmt, ap);
    va_end(ap);
}

/* "+5.1 points (z = 12.3)" for a difference of proportions. */
static void say_points(StudyClaim *c, Comparison k)
{
    say(c, "%+.1f points (z = %.1f)", 100 * k.d, k.z);
}

static void say_diff(StudyClaim *c, Comparison k, const char *unit)
{
    say(c, "%+.3f%s (z = %.1f)", k.d, unit, k.z);
}

static MeanSe mean_of_classes(const StudyModel *m, const int *cls, int n)
{
    double s = 0, v = 0;
    for (int i = 0; i < n; i++) {
        MeanSe p = metric_proportion((size_t)llround(m->recon_class_acc[cls[i]] *
                                                     (double)m->class_count[cls[i]]),
                                     m->class_count[cls[i]]);
        s += p.mean;
        v += p.se * p.se;
    }
    MeanSe r = {s / n, sqrt(v) / n};
    return r;
}

/* 1-based rank of class k by reconstruction accuracy (1 = best). */
static int class_rank(const StudyModel *m, int k)
{
    int r = 1;
    for (int j = 0; j < METRIC_CLASSES; j++)
        if (j != k && m->recon_class_acc[j] > m->recon_class_acc[k])
            r++;
    return r;
}

static void claim_z2_struggles(const StudyResult *r, StudyClaim *c)
{
    const StudyModel *m = &r->models[study_find(r, 2, 1.0f)];
    static const int easy[] = {0, 1}, hard[] = {2, 3, 4, 5, 6, 7, 8}, nine[] = {9};
    MeanSe a = mean_of_classes(m, easy, 2), b = mean_of_classes(m, hard, 7);
    MeanSe n9 = mean_of_classes(m, nine, 1);
    Comparison k = metric_compare(a, b, +1);
    Comparison k9 = metric_compare(n9, b, +1);
    int worst = 2;
    for (int j = 3; j <= 8; j++)
        if (m->recon_class_acc[j] < m->recon_class_acc[worst])
            worst = j;
    int r0 = class_rank(m, 0), r1 = class_rank(m, 1), r9 = class_rank(m, 9);
    Verdict parts[2] = {k.verdict, r0 <= 3 && r1 <= 3 ? VERDICT_SUPPORTED : VERDICT_CONTRADICTED};
    c->claim = "Z=2 struggles with the digits other than 0, 1 and maybe 9";
    c->verdict = metric_combine(parts, 2);
    say(c, "Z=2 β=1 reconstructions that the classifier reads as the right digit: "
           "0 %.1f%%, 1 %.1f%%, 9 %.1f%%; digits 2-8 %.1f%% on average (worst: %d at %.1f%%). "
           "0 and 1 rank %d and %d of 10, 9 ranks %d. ",
        100 * m->recon_class_acc[0], 100 * m->recon_class_acc[1], 100 * m->recon_class_acc[9],
        100 * b.mean, worst, 100 * m->recon_class_acc[worst], r0, r1, r9);
    say(c, "Mean of {0, 1} minus mean of {2..8}: ");
    say_points(c, k);
    say(c, "; 9 minus {2..8}: ");
    say_points(c, k9);
    say(c, " (%s for 9). ", metric_verdict_name(k9.verdict));
    say(c, "Of %zu prior samples the classifier reads %.1f%% as 0, %.1f%% as 1 and %.1f%% as 9 "
           "(equal shares would be 30%%).",
        m->prior.n, 100 * m->prior.hist[0], 100 * m->prior.hist[1], 100 * m->prior.hist[9]);
    int j64 = study_find(r, 64, 1.0f);
    if (j64 >= 0) {
        const StudyModel *w = &r->models[j64];
        Comparison k64 = metric_compare(mean_of_classes(w, easy, 2), mean_of_classes(w, hard, 7),
                                        +1);
        say(c, " For contrast, Z=64 β=1: {0, 1} minus {2..8} = ");
        say_points(c, k64);
        say(c, ", digits 2-8 at %.1f%%.", 100 * mean_of_classes(w, hard, 7).mean);
    }
}

static void claim_z64_clusters(const StudyResult *r, StudyClaim *c)
{
    const StudyModel *a = &r->models[study_find(r, 64, 1.0f)];
    const StudyModel *b = &r->models[study_find(r, 2, 1.0f)];
    Comparison k = metric_compare(a->knn, b->knn, +1);
    c->claim = "Z=64 gives better clusters than Z=2";
    c->verdict = k.verdict;
    say(c, "Leave-one-out %d-NN label accuracy of the test set's latent means: Z=64 β=1 %.1f%%, "
           "Z=2 β=1 %.1f%%: ",
        STUDY_KNN_K, 100 * a->knn.mean, 100 * b->knn.mean);
    say_points(c, k);
    say(c, ".");
    static const float others[] = {0.0f, 10.0f};
    for (int i = 0; i < 2; i++) {
        int ja = study_find(r, 64, others[i]), jb = study_find(r, 2, others[i]);
        if (ja < 0 || jb < 0)
            continue;
        Comparison o = metric_compare(r->models[ja].knn, r->models[jb].knn, +1);
        say(c, " At β=%g: %.1f%% vs %.1f%%, ", (double)others[i], 100 * r->models[ja].knn.mean,
            100 * r->models[jb].knn.mean);
        say_points(c, o);
        say(c, ".");
    }
}

static void claim_z64_prior(const StudyResult *r, StudyClaim *c)
{
    const StudyModel *m = &r->models[study_find(r, 64, 1.0f)];
    Comparison k = metric_compare(m->post.maxp, m->prior.maxp, +1);
    c->claim = "Z=64 prior samples look worse than posterior (\"close\") samples";
    c->verdict = k.verdict;
    say(c, "Z=64 β=1 mean classifier max-prob: posterior samples %.3f, prior samples %.3f: "
           "posterior minus prior ",
        m->post.maxp.mean, m->prior.maxp.mean);
    say_diff(c, k, "");
    say(c, ".");
    int j2 = study_find(r, 2, 1.0f);
    if (j2 >= 0) {
        const StudyModel *w = &r->models[j2];
        Comparison k2 = metric_compare(w->post.maxp, w->prior.maxp, +1);
        Comparison kk = metric_compare((MeanSe){k.d, k.se}, (MeanSe){k2.d, k2.se}, +1);
        say(c, " The blog's explanation (the gap grows with the latent size): at Z=2 the same "
               "gap is ");
        say_diff(c, k2, "");
        say(c, "; Z=64's gap minus Z=2's: ");
        say_diff(c, kk, "");
        say(c, " (%s).", metric_verdict_name(kk.verdict));
    }
}

static void claim_beta0(const StudyResult *r, StudyClaim *c)
{
    c->claim = "β=0: prior samples are garbage while posterior samples are fine";
    Verdict parts[6];
    int np = 0;
    static const int zs[] = {2, 64};
    for (int i = 0; i < 2; i++) {
        int j0 = study_find(r, zs[i], 0.0f), j1 = study_find(r, zs[i], 1.0f);
        if (j0 < 0)
            continue;
        const StudyModel *m = &r->models[j0];
        Comparison gap = metric_compare(m->post.maxp, m->prior.maxp, +1);
        parts[np++] = gap.verdict;
        say(c, "%sZ=%d β=0: max-prob posterior %.3f vs prior %.3f, ", np > 1 ? " " : "", zs[i],
            m->post.maxp.mean, m->prior.maxp.mean);
        say_diff(c, gap, "");
        say(c, "; posterior samples read as their source digit %.1f%%", 100 * m->post.accuracy.mean);
        if (j1 >= 0) {
            const StudyModel *w = &r->models[j1];
            Comparison worse = metric_compare(m->prior.maxp, w->prior.maxp, -1);
            Comparison fine = metric_compare(m->post.accuracy, w->post.accuracy, +1);
            parts[np++] = worse.verdict;
            /* "Fine" = not significantly below the beta=1 model. */
            parts[np++] = fine.verdict == VERDICT_CONTRADICTED ? VERDICT_CONTRADICTED
                                                               : VERDICT_SUPPORTED;
            say(c, " (β=1: %.1f%%, ", 100 * w->post.accuracy.mean);
            say_points(c, fine);
            say(c, "); prior max-prob vs β=1's %.3f: ", w->prior.maxp.mean);
            say_diff(c, worse, "");
        }
        say(c, "; prior class entropy %.2f bits.", m->prior.entropy.mean);
    }
    c->verdict = metric_combine(parts, np);
}

static void claim_beta10(const StudyResult *r, StudyClaim *c)
{
    c->claim = "β=10: blurry samples with little diversity";
    Verdict parts[6];
    int np = 0;
    static const int zs[] = {2, 64};
    for (int i = 0; i < 2; i++) {
        int j10 = study_find(r, zs[i], 10.0f), j1 = study_find(r, zs[i], 1.0f);
        if (j10 < 0 || j1 < 0)
            continue;
        const StudyModel *m = &r->models[j10], *w = &r->models[j1];
        Comparison bp = metric_compare(m->blur_prior, w->blur_prior, +1);
        Comparison bq = metric_compare(m->blur_post, w->blur_post, +1);
        Comparison dv = metric_compare(m->prior.entropy, w->prior.entropy, -1);
        parts[np++] = bp.verdict;
        parts[np++] = bq.verdict;
        parts[np++] = dv.verdict;
        say(c, "%sZ=%d, β=10 vs β=1: blur of prior samples %.3f vs %.3f bits/pixel (",
            np > 3 ? " " : "", zs[i], m->blur_prior.mean, w->blur_prior.mean);
        say_diff(c, bp, "");
        say(c, "), of posterior samples %.3f vs %.3f (", m->blur_post.mean, w->blur_post.mean);
        say_diff(c, bq, "");
        say(c, "); diversity (prior class entropy) %.2f vs %.2f bits (", m->prior.entropy.mean,
            w->prior.entropy.mean);
        say_diff(c, dv, " bits");
        say(c, "); active units %d vs %d.", m->eval.active_units, w->eval.active_units);
    }
    c->verdict = metric_combine(parts, np);
}

static void claim_z64_walk(const StudyResult *r, StudyClaim *c)
{
    const StudyModel *a = &r->models[study_find(r, 64, 1.0f)];
    const StudyModel *b = &r->models[study_find(r, 2, 1.0f)];
    Comparison k = metric_compare(a->walk_others, b->walk_others, -1);
    c->claim = "Z=64: a walk from a 2 to a 1 passes through few other digits";
    c->verdict = k.verdict;
    say(c, "Straight walks between the latent means of %zu test 2s and 1s (%d decodes each): "
           "the classifier reads %.2f other digits per walk at Z=64 β=1, %.2f at Z=2 β=1: ",
        a->n_walks, STUDY_WALK_STEPS, a->walk_others.mean, b->walk_others.mean);
    say_diff(c, k, "");
    say(c, ".");
}

int study_claims(const StudyResult *r, StudyClaim *out, int max)
{
    int n = 0;
    int z2 = study_find(r, 2, 1.0f), z64 = study_find(r, 64, 1.0f);
    int b0 = study_find(r, 2, 0.0f) >= 0 || study_find(r, 64, 0.0f) >= 0;
    int b10 = (study_find(r, 2, 10.0f) >= 0 && z2 >= 0) || (study_find(r, 64, 10.0f) >= 0 && z64 >= 0);
    void (*fns[6])(const StudyResult *, StudyClaim *) = {
        claim_z2_struggles, claim_z64_clusters, claim_z64_prior,
        claim_z64_walk,     claim_beta0,        claim_beta10};
    int have[6] = {z2 >= 0, z2 >= 0 && z64 >= 0, z64 >= 0, z2 >= 0 && z64 >= 0, b0, b10};
    for (int i = 0; i < 6 && n < max; i++) {
        if (!have[i])
            continue;
        memset(&out[n], 0, sizeof out[n]);
        fns[i](r, &out[n]);
        n++;
    }
    return n;
}
