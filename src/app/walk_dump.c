/* walk_dump: the dump-state's "walk" object (docs/dump-state.md): the
 * player's settings and clock, the path's stops, the path as drawn on the
 * map, the classifier's reading and timeline, the last GIF export and
 * where the Walk panel's buttons are. */
#include <cjson/cJSON.h>

#include "app_impl.h"

void app_walk_dump(const App *a, void *obj)
{
    const AppWalk *w = &a->walk;
    cJSON *o = obj;
    static const char *const rep[3] = {"once", "loop", "pingpong"};
    cJSON_AddBoolToObject(o, "show", app_side(a) == APP_SIDE_WALK);
    cJSON_AddBoolToObject(o, "playing", w->st.playing);
    cJSON_AddNumberToObject(o, "t", w->st.t);
    cJSON_AddNumberToObject(o, "dir", w->st.dir);
    cJSON_AddNumberToObject(o, "speed", w->st.speed);
    cJSON_AddStringToObject(o, "source", w->st.source == WALK_CLASSES ? "classes" : "points");
    cJSON_AddStringToObject(o, "mode", w->st.slerp ? "slerp" : "lerp");
    cJSON_AddStringToObject(o, "repeat", rep[w->st.repeat]);
    cJSON_AddItemToObject(o, "classes", cJSON_CreateIntArray(w->st.classes, w->st.n_classes));
    cJSON *stops = cJSON_AddArrayToObject(o, "stops");
    if (w->have_path)
        for (int s = 0; s < w->path.n_stops; s++)
            cJSON_AddItemToArray(stops,
                                 cJSON_CreateFloatArray(w->path.stops + s * w->path.z, w->path.z));
    if (w->why[0])
        cJSON_AddStringToObject(o, "why", w->why);
    /* the path as drawn on the map (map coordinates; none at Z > 2 until
     * the projection's layout is in) */
    cJSON_AddNumberToObject(o, "map_points", w->n_poly);
    cJSON_AddNumberToObject(o, "map_layout_seq", (double)w->poly_lay); /* projection.seq */
    cJSON *ms = cJSON_AddArrayToObject(o, "map_stops");
    for (int s = 0; s < w->n_poly_stops; s++)
        cJSON_AddItemToArray(ms, cJSON_CreateFloatArray(w->poly + 2 * (w->n_poly + s), 2));
    static const char *const cst[5] = {"none", "loading", "training", "ready", "failed"};
    int cs = atomic_load_explicit(&((AppWalk *)w)->clf.state, memory_order_acquire);
    cJSON_AddStringToObject(o, "classifier", cst[cs >= 0 && cs < 5 ? cs : 0]);
    if (w->cls >= 0) {
        cJSON_AddNumberToObject(o, "class", w->cls);
        cJSON_AddNumberToObject(o, "prob", w->prob);
    } else {
        cJSON_AddNullToObject(o, "class");
    }
    if (w->have_timeline) {
        int tl[APP_WALK_TIMELINE];
        for (int i = 0; i < APP_WALK_TIMELINE; i++)
            tl[i] = w->timeline[i];
        cJSON_AddItemToObject(o, "timeline", cJSON_CreateIntArray(tl, APP_WALK_TIMELINE));
    }
    cJSON_AddBoolToObject(o, "gif_writing", gif_job_running(&w->gif_job));
    if (w->gif[0]) {
        cJSON_AddStringToObject(o, "gif", w->gif);
        cJSON_AddNumberToObject(o, "gif_frames", w->gif_frames);
        cJSON_AddNumberToObject(o, "gif_seconds", w->gif_seconds); /* decode + write */
        cJSON_AddNumberToObject(o, "gif_ui_ms", w->gif_ui_ms); /* the decode, on the UI thread */
    }
    cJSON *b = cJSON_AddObjectToObject(o, "buttons");
    for (int i = 0; i < w->buttons.n; i++) {
        const UiRect *r = &w->buttons.b[i].r;
        cJSON_AddItemToObject(b, w->buttons.b[i].id,
                              cJSON_CreateIntArray((const int[]){r->x, r->y, r->w, r->h}, 4));
    }
}
