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

void app_timing_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const FrameTime *ft = &a->ft;
    cJSON_AddNumberToObject(o, "frames", (double)ft->frames);
    add_stats(o, "work", frametime_stats(&ft->work));
    add_stats(o, "interval", frametime_stats(&ft->interval));
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
