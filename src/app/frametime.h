/* frametime: the explorer's frame-time statistics. A ring of the last
 * FRAMETIME_CAP frames holds two series: work (from the start of event
 * handling to after the buffer swap: what the frame cost) and interval
 * (swap to swap: what the viewer saw). Percentiles are computed on demand
 * (dump-state, benchmarks), never per frame.
 *
 * Intervals are kept only for frames that followed another without the loop
 * sleeping for input: an idle window waits up to 250 ms for an event, and
 * that gap is no frame anyone waited for.
 *
 * Latency: an input whose effect is awaited (a click on the map, awaiting
 * its decode) is noted with the effect counter at that moment (decodes
 * done); the first presented frame after the counter moved past it ends the
 * latency. A newer input replaces one still waiting.
 *
 * Pure (no SDL, no clock of its own: the caller passes seconds from
 * timer_now), so it is tested headless. Thread rule: one owner (the UI
 * thread); no locking. */
#ifndef ZSPACE_APP_FRAMETIME_H
#define ZSPACE_APP_FRAMETIME_H

#include <stdbool.h>
#include <stdint.h>

enum { FRAMETIME_CAP = 1024 };

/* A ring of up to FRAMETIME_CAP samples in milliseconds. */
typedef struct {
    float ms[FRAMETIME_CAP];
    uint64_t count; /* samples pushed so far; the ring holds the last min(count, CAP) */
} FrameRing;

typedef struct {
    FrameRing work, interval;
    FrameRing latency;   /* input to the first frame showing its effect */
    double input_at;     /* seconds: the input awaiting its effect */
    uint64_t input_count; /* the effect counter when it came */
    bool input_pending;
    uint64_t frames;     /* frames presented */
    double t_start;      /* seconds: when start-up began */
    double last_present; /* seconds: the previous swap, < 0 before the first */
    double startup_ms;   /* start-up to the first frame presented; < 0 until then */
    double map_ms;       /* start-up to the first frame showing the map; < 0 until then */
} FrameTime;

/* Summary of one ring: nearest-rank percentiles over the samples it holds
 * (all zero when it is empty). */
typedef struct {
    int n;
    double p50, p99, max;
} FrameStats;

/* Start counting; t_start (seconds) is when start-up began. */
void frametime_init(FrameTime *ft, double t_start);
/* One presented frame: its work began at work_start and the swap returned at
 * presented (seconds). continuous: the loop did not sleep for input before
 * this frame, so the interval since the previous swap is a real frame
 * interval. map_shown: this frame drew the map (for map_ms). */
void frametime_frame(FrameTime *ft, double work_start, double presented, bool continuous,
                     bool map_shown);
/* An input at t (seconds) whose effect will move a counter that stands at
 * count now (e.g. a click on the map and the number of decodes). */
void frametime_input(FrameTime *ft, double t, uint64_t count);
/* A frame was presented at `presented` with the counter at count: if it
 * moved past the pending input's, record the latency (call after
 * frametime_frame, every frame). */
void frametime_output(FrameTime *ft, double presented, uint64_t count);
/* Push one sample (milliseconds) into a ring. */
void frametime_push(FrameRing *r, float ms);
/* Nearest-rank percentile summary of a ring (p50: the smallest sample with
 * at least half the samples <= it; p99 likewise). */
FrameStats frametime_stats(const FrameRing *r);
/* The same over any array of samples (copied, not reordered). */
FrameStats frametime_stats_of(const float *ms, int n);

#endif
