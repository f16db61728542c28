/* perf: the explorer's performance figures in dump-state ("timing",
 * "map.layer"), read by tests, the soak test and `zspace bench explore`:
 * frame work and intervals, start-up, and click-to-decoded-pixels latency
 * (from the click event's SDL timestamp to the swap of the first frame with
 * a decode after it). The statistics live in frametime.c.
 * Thread rule: main thread. */
#include <SDL.h>
#include <cjson/cJSON.h>

#include "app_impl.h"
#include "compare.h"
#include "core/timer.h"

void app_perf_event(App *a, const SDL_Event *ev)
{
    if (ev->type != SDL_MOUSEBUTTONDOWN || ev->button.button != SDL_BUTTON_LEFT || a->help ||
        !map_model_xy(&a->map))
        return;
    int x = (int)((float)ev->button.x * a->win.scale), y = (int)((float)ev->button.y * a->win.scale);
    if (!ui_rect_contains(a->map.rect, x, y) ||
        (a->cur.dim > 2 && ui_rect_contains(a->proj.card, x, y)))
        return; /* only a click that sets z awaits a decode */
    /* The event's timestamp is SDL_GetTicks() milliseconds when it was
     * queued: carry its age over to timer_now()'s clock (1 ms resolution). */
    double age = (double)(SDL_GetTicks() - ev->button.timestamp) / 1e3;
    frametime_input(&a->ft, timer_now() - age, a->cur.decodes);
}

void app_perf_frame(App *a, double work_start, bool continuous)
{
    double t = timer_now();
    frametime_frame(&a->ft, work_start, t, continuous, a->map.ready && map_model_xy(&a->map) != NULL);
    frametime_output(&a->ft, t, a->cur.decodes);
}

static void add_stats(cJSON *o, const char *prefix, const FrameRing *r)
{
    FrameStats s = frametime_stats(r);
    char key[64];
    snprintf(key, sizeof key, "%s_ms_p50", prefix);
    cJSON_AddNumberToObject(o, key, s.p50);
    snprintf(key, sizeof key, "%s_ms_p99", prefix);
    cJSON_AddNumberToObject(o, key, s.p99);
    snprintf(key, sizeof key, "%s_ms_max", prefix);
    cJSON_AddNumberToObject(o, key, s.max);
    snprintf(key, sizeof key, "%s_samples", prefix); /* in the ring (at most 1024) */
    cJSON_AddNumberToObject(o, key, s.n);
    snprintf(key, sizeof key, "%s_count", prefix); /* ever pushed */
    cJSON_AddNumberToObject(o, key, (double)r->count);
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
    add_stats(o, "work", &ft->work);
    add_stats(o, "interval", &ft->interval);
    add_stats(o, "click", &ft->latency); /* click to decoded pixels */
    cJSON_AddItemToObject(o, "work_ms_recent", recent(&ft->work));
    cJSON_AddItemToObject(o, "interval_ms_recent", recent(&ft->interval));
    cJSON_AddItemToObject(o, "click_ms_recent", recent(&ft->latency));
    /* start-up is timed from app_run's entry (main() only parsed options
     * before it); t_start_s is that moment on the system-wide monotonic clock
     * (timer_now), so a parent process can time from its own fork */
    cJSON_AddNumberToObject(o, "t_start_s", ft->t_start);
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
    const GfxPoints *p = &a->map.pts;
    cJSON_AddNumberToObject(o, "redraws", p->redraws);
    cJSON_AddStringToObject(o, "render", p->cpu ? "cpu" : "gl"); /* points.h: the two paths */
    cJSON_AddNumberToObject(o, "transformed_frames", (double)p->transformed);
    /* false while a moved view is shown from the layer of an earlier view */
    cJSON_AddBoolToObject(o, "exact", !gfx_points_pending(p));
    float v[3] = {p->drawn.cx, p->drawn.cy, p->drawn.scale};
    cJSON_AddItemToObject(o, "drawn_view", cJSON_CreateFloatArray(v, 3));
    cJSON_AddItemToObject(o, "size", cJSON_CreateIntArray((const int[]){p->tex_w, p->tex_h}, 2));
}

bool app_map_settling(const App *a)
{
    /* compare mode's second map has its own layer (compare.h) */
    return gfx_points_pending(&a->map.pts) || (a->cmp && gfx_points_pending(&a->cmp->map.pts));
}
