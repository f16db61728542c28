/* frametime: see frametime.h. The ring is small (4 KiB per series), so
 * statistics sort a copy; nothing is kept sorted per frame. */
#include "frametime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void frametime_init(FrameTime *ft, double t_start)
{
    memset(ft, 0, sizeof *ft);
    ft->t_start = t_start;
    ft->last_present = -1;
    ft->startup_ms = -1;
    ft->map_ms = -1;
}

void frametime_push(FrameRing *r, float ms)
{
    r->ms[r->count % FRAMETIME_CAP] = ms;
    r->count++;
}

void frametime_frame(FrameTime *ft, double work_start, double presented, bool continuous,
                     bool map_shown)
{
    frametime_push(&ft->work, (float)((presented - work_start) * 1e3));
    if (continuous && ft->last_present >= 0)
        frametime_push(&ft->interval, (float)((presented - ft->last_present) * 1e3));
    ft->last_present = presented;
    ft->frames++;
    if (ft->startup_ms < 0)
        ft->startup_ms = (presented - ft->t_start) * 1e3;
    if (map_shown && ft->map_ms < 0)
        ft->map_ms = (presented - ft->t_start) * 1e3;
}

void frametime_input(FrameTime *ft, double t, uint64_t count)
{
    ft->input_at = t;
    ft->input_count = count;
    ft->input_pending = true;
}

void frametime_output(FrameTime *ft, double presented, uint64_t count)
{
    if (!ft->input_pending || count <= ft->input_count)
        return;
    frametime_push(&ft->latency, (float)((presented - ft->input_at) * 1e3));
    ft->input_pending = false;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the ceil(q * n)-th smallest sample (1-based). */
static double rank(const float *sorted, int n, double q)
{
    int k = (int)ceil(q * n);
    k = k < 1 ? 1 : k > n ? n : k;
    return sorted[k - 1];
}

FrameStats frametime_stats_of(const float *ms, int n)
{
    FrameStats s = {0};
    if (n <= 0)
        return s;
    float *v = malloc((size_t)n * sizeof *v);
    if (!v)
        return s;
    memcpy(v, ms, (size_t)n * sizeof *v);
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    s.n = n;
    s.p50 = rank(v, n, 0.50);
    s.p99 = rank(v, n, 0.99);
    s.max = v[n - 1];
    free(v);
    return s;
}

FrameStats frametime_stats(const FrameRing *r)
{
    int n = r->count < FRAMETIME_CAP ? (int)r->count : FRAMETIME_CAP;
    return frametime_stats_of(r->ms, n); /* ring order does not matter to percentiles */
}
