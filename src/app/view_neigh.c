/* view_neigh: the Neighbours strip (view_neigh.h): layout at the bottom of
 * the "Latent z" slot, the search (neigh.h) once per changed z, thumbnails
 * with their labels, a click snaps z to that image's mean. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "textfit.h"

/* The version of the map's latent means: the job (a new model opens a new
 * one) and its re-encodes while training. */
static uint64_t data_tag(const App *a)
{
    const ModelJob *j = &a->map.model.job;
    return ((uint64_t)(uintptr_t)j->mu << 16) ^ (a->map.job_seq << 48) ^ j->reencodes ^
           (uint64_t)j->n;
}

/* Panel geometry (ui/panel.c): header height above the body, and the body's
 * insets. */
static int header_h(const Ui *ui)
{
    int pad = ui_pad(ui);
    return ui_text_height(ui, UI_FONT_TITLE) + pad + pad / 2;
}

void app_neigh_init(App *a)
{
    a->neigh.k = APP_NEIGH_K;
}

bool app_neigh_wanted(const App *a)
{
    return a->map.loaded && a->neigh.k > 0 && app_side_visible(a) &&
           app_side(a) == APP_SIDE_SLIDERS;
}

UiRect app_neigh_room(App *a, UiRect slot)
{
    AppNeigh *n = &a->neigh;
    Ui *ui = &a->ui;
    n->rect = ui_rect(slot.x, slot.y + slot.h, slot.w, 0);
    n->shown = false;
    if (!a->map.loaded || n->k <= 0)
        return slot;
    int pad = ui_pad(ui), gap = pad / 2;
    int row = ui_row_h(ui) + pad / 2;
    int small = ui_text_height(ui, UI_FONT_SMALL);
    int hh = header_h(ui);
    /* The sliders keep all their rows when they fit in about half the slot
     * (small Z), else that half or at least the buttons and two sliders
     * (they scroll); the strip takes at most the rest. */
    int want = hh + pad + (3 + a->cur.dim) * row;
    int least = hh + pad + 5 * row; /* buttons, sort, caption, two sliders */
    int half = slot.h * 55 / 100;
    int keep = least > half ? least : half;
    keep = want < keep ? want : keep;
    int budget = slot.h - keep - pad;
    int body_w = slot.w - 4 * pad;
    int fixed = hh + pad / 2 + pad; /* header and the body's insets */
    int best = 0, best_cols = 0;
    for (int cols = n->k; cols >= 1; cols /= 2) { /* one row, two rows, ... */
        int rows = (n->k + cols - 1) / cols;
        int tw = (body_w - (cols - 1) * gap) / cols;
        int th = (budget - fixed + gap) / rows - small - gap;
        int t = tw < th ? tw : th;
        int cap = ui_row_h(ui) * 4; /* beyond this a thumbnail only wastes the column */
        t = t < cap ? t : cap;
        if (t > best)
            best = t, best_cols = cols;
        if (rows >= 2)
            break; /* more rows only help a column narrower than the panel's */
    }
    /* Below ~the image's own 28 pixels a thumbnail stops being legible. */
    int min_thumb = 26 * (int)(a->win.scale > 1 ? a->win.scale : 1);
    if (best < min_thumb)
        return slot;
    n->cols = best_cols;
    n->thumb = best;
    int rows = (n->k + best_cols - 1) / best_cols;
    int h = fixed + rows * (best + small + gap) - gap;
    n->rect = ui_rect(slot.x, slot.y + slot.h - h, slot.w, h);
    n->shown = true;
    n->shown_frame = a->frames;
    return ui_rect(slot.x, slot.y, slot.w, slot.h - h - pad);
}

void view_neigh(App *a)
{
    AppNeigh *n = &a->neigh;
    if (!n->shown || n->shown_frame != a->frames)
        return;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    const ModelJob *j = &a->map.model.job;
    if (a->map.ready) {
        Err e = {0};
        if (neigh_update(&n->nb, j->mu, j->n, j->z, data_tag(a), a->cur.z, n->k, &e) != ERR_OK)
            ui_toast(ui, e.msg);
    } else {
        neigh_reset(&n->nb);
    }
    ui_panel_begin(ui, a->opt.all_points ? "Nearest images" : "Nearest test images", n->rect,
                   false);
    UiRect body = ui->lay.body;
    int pad = ui_pad(ui), gap = pad / 2, small = ui_text_height(ui, UI_FONT_SMALL);
    int cols = n->cols, th = n->thumb;
    int grid_w = cols * th + (cols - 1) * gap;
    int x0 = body.x + (body.w - grid_w) / 2;
    n->hover = -1;
    if (n->nb.k == 0) {
        ui_draw_text(ui, UI_FONT_SMALL, body.x, body.y, t->text_dim,
                     a->map.ready ? "no points" : "waiting for the map\xe2\x80\xa6");
    }
    int snap = -1;
    for (int s = 0; s < n->nb.k && s < n->k; s++) {
        int r = s / cols, c = s % cols;
        UiRect cell = ui_rect(x0 + c * (th + gap), body.y + r * (th + small + gap), th, th);
        n->cells[s] = cell;
        int point = n->nb.idx[s];
        int lab = j->labels[point];
        UiColor lc = app_label_ui_color(a, lab);
        int res = ui_control(ui, ui_id(ui, &s, sizeof s), cell, UI_MOUSE_LEFT);
        bool over = ui_rect_contains(cell, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
        if ((res & UI_RELEASE) && over)
            snap = point;
        if (n->imgs_made && n->img_point[s] == point)
            ui_draw_image(ui, cell, n->img[s], ui_rgba(255, 255, 255, 255));
        else
            ui_draw_rect(ui, cell, ui_rgba(0, 0, 0, 255), 0);
        /* a frame in the class colour: mixed classes show at a glance */
        bool hot = (res & UI_HOVER) != 0;
        ui_draw_frame(ui, cell, hot ? t->focus : lc, hot ? 3.0f : 2.0f, 0);
        char name[64];
        textfit_elide(ui, UI_FONT_SMALL, app_class_name(a, lab), th + gap, name, sizeof name);
        int w = ui_text_width(ui, UI_FONT_SMALL, name);
        ui_draw_text(ui, UI_FONT_SMALL, cell.x + (th - w) / 2, cell.y + th + gap / 2, lc, name);
        if (hot) {
            n->hover = s;
            char tip[256];
            bool test = (size_t)point < j->ds.test.n;
            snprintf(tip, sizeof tip, "%s\n%s image #%zu\ndistance %.2f in z\nclick: z = its mean",
                     app_class_name(a, lab), test ? "test" : "train",
                     test ? (size_t)point : (size_t)point - j->ds.test.n,
                     (double)sqrtf(n->nb.dist2[s]));
            ui_tooltip(ui, tip, n->imgs_made ? n->img[s] : -1);
        }
    }
    ui_panel_end(ui);
    if (snap >= 0) {
        n->clicks++;
        app_set_z(a, j->mu + (size_t)snap * (size_t)j->z);
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
    cJSON_AddItemToObject(o, "rect", cJSON_CreateIntArray((const int[]){r->x, r->y, r->w, r->h}, 4));
    cJSON_AddNumberToObject(o, "thumb", n->thumb);
    cJSON_AddNumberToObject(o, "cols", n->cols);
    cJSON *cells = cJSON_AddArrayToObject(o, "cells");
    for (int s = 0; s < k; s++) {
        const UiRect *c = &n->cells[s];
        cJSON_AddItemToArray(cells, cJSON_CreateIntArray((const int[]){c->x, c->y, c->w, c->h}, 4));
    }
}
