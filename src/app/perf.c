/* perf: the explorer's performance figures in dump-state ("timing"), read by
 * tests, the soak test and `zspace bench explore`. The statistics live in
 * frametime.c; this file only reports them. Thread rule: main thread. */
#include <cjson/cJSON.h>

#include "app_impl.h"

static void add_stats(cJSON *o, const char *prefix, FrameStats s)
{
    char key[64];
    snprintf(key, sizeof key, "%s_ms_p50", prefix);
    cJSON_AddNumberToObject(o, key, s.p50);
    snprintf(key, sizeof key, "%s_ms_p99", prefix);
    cJSON_AddNumberToObject(o, key, s.p99);
    snprintf(key, sizeof key, "%s_ms_max", prefix);
    cJSON_AddNumberToObject(o, key, s.max);
    snprintf(key, sizeof key, "%s_samples", prefix);
    cJSON_AddNumberToObject(o, key, s.n);
}

/* The ring's samples, oldest first, so a reader can take the statistics of
 * just the frames between two dumps (frames differ by k: the last k). */
static cJSON *recent(const FrameRing *r)
{
    cJSON *arr = cJSON_CreateArray();
    uint64_t n = r->count < FRAMETIME_CAP ? r->count : FRAMETIME_CAP;
    for (uint64_t i = r->count - n; i < r->count; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(r->ms[i % FRAMETIME_CAP]));
    return arr;
}

void app_timing_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const FrameTime *ft = &a->ft;
    cJSON_AddNumberToObject(o, "frames", (double)ft->frames);
    add_stats(o, "work", frametime_stats(&ft->work));
    add_stats(o, "interval", frametime_stats(&ft->interval));
    cJSON_AddItemToObject(o, "work_ms_recent", recent(&ft->work));
    cJSON_AddItemToObject(o, "interval_ms_recent", recent(&ft->interval));
    /* start-up is timed from app_run's entry: main() only parsed options before it */
    if (ft->startup_ms >= 0)
        cJSON_AddNumberToObject(o, "startup_ms", ft->startup_ms);
    else
        cJSON_AddNullToObject(o, "startup_ms");
    if (ft->map_ms >= 0)
        cJSON_AddNumberToObject(o, "map_ms", ft->map_ms);
    else
        cJSON_AddNullToObject(o, "map_ms");
}

void app_layer_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const GfxPoints *p = &a->pts;
    cJSON_AddNumberToObject(o, "redraws", p->redraws);
    cJSON_AddNumberToObject(o, "transformed_frames", (double)p->transformed);
    /* false while a moved view is shown from the layer of an earlier view */
    cJSON_AddBoolToObject(o, "exact", !gfx_points_pending(p));
    float v[3] = {p->drawn.cx, p->drawn.cy, p->drawn.scale};
    cJSON_AddItemToObject(o, "drawn_view", cJSON_CreateFloatArray(v, 3));
    cJSON_AddItemToObject(o, "size", cJSON_CreateIntArray((const int[]){p->tex_w, p->tex_h}, 2));
}

bool app_map_settling(const App *a)
{
    return gfx_points_pending(&a->pts);
}
