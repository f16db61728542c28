/* neigh_app: the Neighbours strip's App side (view_neigh.h): the input
 * the strip reads, the z a click asks for, the thumbnails' uploads and the
 * dump's "neighbours". */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"

/* The version of the map's latent means: the job (a new model opens a new
 * one) and its re-encodes while training. */
static uint64_t data_tag(const App *a)
{
    const ModelJob *j = &a->map.model.job;
    return ((uint64_t)(uintptr_t)j->mu << 16) ^ (a->map.job_seq << 48) ^ j->reencodes ^
           (uint64_t)j->n;
}

/* What the strip reads this frame; names holds the class names it points at. */
static NeighPanelIn neigh_in(const App *a, const char *names[10])
{
    const ModelJob *j = &a->map.model.job;
    NeighPanelIn in = {
        .loaded = a->map.loaded,
        .ready = a->map.ready,
        .cur_z = a->cur.z,
        .cur_dim = a->cur.dim,
        .names = names,
        .all_points = a->opt.all_points,
        .win_scale = a->win.scale,
        .frame = a->frames,
    };
    for (int k = 0; k < 10; k++) {
        names[k] = app_class_name(a, k);
        in.colors[k] = app_label_ui_color(a, k);
    }
    if (a->map.ready) { /* the job's results are the UI's to read once the map is in */
        in.mu = j->mu;
        in.labels = j->labels;
        in.n = j->n;
        in.z = j->z;
        in.n_test = j->ds.test.n;
        in.data_tag = data_tag(a);
    }
    return in;
}

bool app_neigh_wanted(const App *a)
{
    return a->map.loaded && a->neigh.k > 0 && app_side_visible(a) &&
           app_side(a) == APP_SIDE_SLIDERS;
}

UiRect app_neigh_room(App *a, UiRect slot)
{
    const char *names[10];
    NeighPanelIn in = neigh_in(a, names);
    return neigh_panel_room(&a->ui, &a->neigh, slot, &in);
}

void view_neigh(App *a)
{
    const char *names[10];
    NeighPanelIn in = neigh_in(a, names);
    AppNeigh *n = &a->neigh;
    if (neigh_panel(&a->ui, n, &in) & NEIGH_ACT_SNAP) {
        const ModelJob *j = &a->map.model.job;
        app_set_z(a, j->mu + (size_t)n->snapped * (size_t)j->z);
    }
}

void app_neigh_draw(App *a)
{
    AppNeigh *n = &a->neigh;
    if (!n->shown || n->shown_frame != a->frames || !a->map.ready)
        return;
    if (!n->imgs_made) {
        for (int s = 0; s < n->k; s++) {
            n->img[s] = gfx_image_new(&a->gr, 28, 28);
            n->img_point[s] = -1;
        }
        n->imgs_made = true;
    }
    uint64_t tag = data_tag(a);
    for (int s = 0; s < n->nb.k && s < n->k; s++) {
        if (n->img_point[s] == n->nb.idx[s] && n->img_tag == tag)
            continue;
        app_upload_point_image(a, n->img[s], n->nb.idx[s]);
        n->img_point[s] = n->nb.idx[s];
    }
    n->img_tag = tag;
}

void app_neigh_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const AppNeigh *n = &a->neigh;
    cJSON_AddBoolToObject(o, "visible", n->shown && n->shown_frame == a->frames);
    cJSON_AddNumberToObject(o, "k", n->k);
    int idx[NEIGH_MAX], lab[NEIGH_MAX];
    float dist[NEIGH_MAX];
    int k = n->nb.k;
    for (int s = 0; s < k; s++) {
        idx[s] = n->nb.idx[s];
        lab[s] = a->map.ready ? a->map.model.job.labels[idx[s]] : -1;
        dist[s] = sqrtf(n->nb.dist2[s]);
    }
    cJSON_AddItemToObject(o, "indices", cJSON_CreateIntArray(idx, k));
    cJSON_AddItemToObject(o, "labels", cJSON_CreateIntArray(lab, k));
    cJSON_AddItemToObject(o, "distances", cJSON_CreateFloatArray(dist, k));
    cJSON *q = cJSON_AddArrayToObject(o, "for_z");
    for (int d = 0; n->nb.valid && d < n->nb.z_dim; d++)
        cJSON_AddItemToArray(q, cJSON_CreateNumber(n->nb.z[d]));
    cJSON_AddNumberToObject(o, "searches", (double)n->nb.searches);
    cJSON_AddNumberToObject(o, "search_ms", n->nb.last_ms);
    cJSON_AddNumberToObject(o, "clicks", n->clicks);
    const UiRect *r = &n->rect;
    cJSON_AddItemToObject(o, "rect",
                          cJSON_CreateIntArray((const int[]){r->x, r->y, r->w, r->h}, 4));
    cJSON_AddNumberToObject(o, "thumb", n->thumb);
    cJSON_AddNumberToObject(o, "cols", n->cols);
    cJSON *cells = cJSON_AddArrayToObject(o, "cells");
    for (int s = 0; s < k; s++) {
        const UiRect *c = &n->cells[s];
        cJSON_AddItemToArray(cells,
                             cJSON_CreateIntArray((const int[]){c->x, c->y, c->w, c->h}, 4));
    }
}
