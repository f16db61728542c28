/* uncert_app: the uncertainty overlay's App side (see view_draw.h): the
 * input it reads of A's map, the O key's toast, and the dump's
 * "uncertainty". */
#include <cjson/cJSON.h>

#include "app_impl.h"

static const char *source_name[UNCERT_SOURCES] = {"hover", "draw", "nearest"};

bool app_uncert_key(App *a, UiKey k)
{
    if (!uncert_panel_key(&a->uncert, k))
        return false;
    if (a->uncert.rings && a->map.loaded && a->cur.dim != 2)
        ui_toast(&a->ui, "Prior rings are drawn on Z = 2 maps only (this map is a projection)");
    return true;
}

void view_uncert_map(App *a)
{
    app_draw_sync(a); /* the drawing's mu and map position are current */
    const ModelJob *j = &a->map.model.job;
    const AppDraw *d = &a->draw;
    UncertPanelIn in = {
        .xy = a->map.loaded ? map_model_xy(&a->map) : NULL,
        .same_z = j->z == a->cur.dim,
        .dim = a->cur.dim,
        .hover = a->map.hover,
        .nearest = a->cur.nearest,
        .place_k = PROJ_K,
        .view = &a->map.view,
        .rect = a->map.rect,
    };
    if (in.xy && in.same_z) { /* the job's results are readable: the map is in */
        in.mu = j->mu;
        in.logvar = j->logvar;
        in.n = j->n;
        in.lay_y = a->map.lay.y;
        in.lay_seq = a->map.lay.seq;
        if (app_draw_shown(a) && !d->empty && d->map_valid && d->enc_z == a->cur.dim)
            in.drawing = d;
    }
    uncert_panel_update(&a->uncert, &in);
    uncert_panel_map(&a->ui, &a->uncert, &in);
}

void app_uncert_dump(const App *a, void *cjson_object)
{
    const AppUncert *un = &a->uncert;
    cJSON *o = cjson_object;
    bool rings = un->rings && a->map.loaded && a->cur.dim == 2 && map_model_xy(&a->map);
    cJSON_AddBoolToObject(o, "rings", un->rings);
    cJSON_AddBoolToObject(o, "rings_drawn", rings);
    if (rings)
        cJSON_AddItemToObject(o, "ring_radii",
                              cJSON_CreateFloatArray((const float[]){1, 2, 3}, 3));
    cJSON_AddStringToObject(o, "mode", a->cur.dim == 2 ? "ellipses" : "samples");
    cJSON_AddNumberToObject(o, "place_ms", un->place_seconds * 1e3);
    cJSON *arr = cJSON_AddArrayToObject(o, "sources");
    for (int s = 0; s < UNCERT_SOURCES; s++) {
        const UncertSource *u = &un->src[s];
        if (!u->on)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "source", source_name[s]);
        cJSON_AddNumberToObject(e, "index", u->index);
        cJSON_AddItemToObject(e, "center", cJSON_CreateFloatArray(u->center, 2));
        cJSON_AddItemToObject(e, "mu", cJSON_CreateFloatArray(u->mu, a->cur.dim));
        cJSON_AddItemToObject(e, "sigma", cJSON_CreateFloatArray(u->sigma, a->cur.dim));
        if (a->cur.dim == 2) {
            float r2[2] = {2 * u->sigma[0], 2 * u->sigma[1]};
            cJSON_AddItemToObject(e, "radii_1sigma", cJSON_CreateFloatArray(u->sigma, 2));
            cJSON_AddItemToObject(e, "radii_2sigma", cJSON_CreateFloatArray(r2, 2));
        } else if (u->samples_valid) {
            cJSON *sm = cJSON_AddArrayToObject(e, "samples");
            for (int i = 0; i < UNCERT_SAMPLES; i++)
                cJSON_AddItemToArray(sm, cJSON_CreateFloatArray(u->samples + 2 * i, 2));
        }
        cJSON_AddItemToArray(arr, e);
    }
}
