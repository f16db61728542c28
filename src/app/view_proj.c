/* view_proj: see view_proj.h. */
#include <SDL.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "embed/place.h"

/* Runs on the projection worker: wake the UI (SDL_PushEvent is thread-safe). */
static void notify(void *user)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = (uint32_t)(uintptr_t)user;
    SDL_PushEvent(&ev);
}

/* t-SNE needs N >= 3 perplexity + 1: cap the slider's value for small maps. */
static double usable_perplexity(const App *a)
{
    double hi = ((double)a->model.job.n - 1) / 3.0 - 0.01;
    double p = a->proj.perplexity;
    return p < hi ? p : hi > 1 ? hi : 1;
}

static void submit(App *a, int method, bool warm)
{
    AppProj *p = &a->proj;
    const ModelJob *j = &a->model.job;
    p->method = method;
    p->paused = false;
    uint64_t id = proj_submit(&p->job, j->mu, j->n, j->z, method, usable_perplexity(a), warm);
    if (id) {
        p->last_request = id;
        p->requests++;
        p->warm_requests += warm;
    }
}

bool app_proj_active(const App *a)
{
    const AppProj *p = &a->proj;
    return a->map_ready && a->z_dim > 2 && p->lay.y && p->lay.n == a->model.job.n;
}

const float *app_map_xy(const App *a)
{
    if (!a->map_ready)
        return NULL;
    if (a->z_dim == 2)
        return a->model.job.mu;
    return app_proj_active(a) ? a->proj.lay.y : NULL;
}

/* Re-encodings arrive every few batches, faster than a t-SNE restart
 * (affinities, then iterations) can show anything; replacing the run each
 * time would freeze the map. So new means wait until the current run has
 * shown PROJ_WARM_MIN iterations (a cold run: its early exaggeration too). */
#define PROJ_WARM_MIN 50
static bool run_far_enough(const AppProj *p)
{
    const ProjOut *o = &p->lay;
    if (o->request != p->last_request)
        return false; /* the newest request has not published yet */
    if (o->state == PROJ_DONE || o->state == PROJ_FAILED || o->state == PROJ_PAUSED)
        return true;
    return o->method == PROJ_TSNE && o->iter >= (o->warm ? PROJ_WARM_MIN : 250 + PROJ_WARM_MIN);
}

void app_proj_frame(App *a)
{
    AppProj *p = &a->proj;
    if (!a->map_ready || a->z_dim <= 2)
        return;
    if (!p->started) {
        int cores = SDL_GetCPUCount();
        Err e = {0};
        /* one core stays with the window (and a training run shares the rest) */
        if (proj_start(&p->job, cores > 2 ? cores - 1 : 1, notify,
                       (void *)(uintptr_t)a->wake_event, &e) != ERR_OK) {
            snprintf(a->message, sizeof a->message, "Cannot project the map.\n\n%s", e.msg);
            return;
        }
        p->started = true;
        if (p->perplexity <= 0)
            p->perplexity = 30;
        p->reencodes_seen = a->model.job.reencodes;
        submit(a, PROJ_TSNE, false);
    }
    if (a->model.job.reencodes != p->reencodes_seen) {
        p->reencodes_seen = a->model.job.reencodes;
        p->reencode_waiting = true;
    }
    if (p->reencode_waiting && run_far_enough(p)) {
        /* live training re-encoded the points: continue from the current map */
        p->reencode_waiting = false;
        submit(a, p->method, p->method == PROJ_TSNE);
    }
    if (p->perp_dirty && !a->ui.active) {
        p->perp_dirty = false;
        submit(a, PROJ_TSNE, false);
    }
    if (!proj_poll(&p->job, &p->lay))
        return;
    if (p->lay.state == PROJ_FAILED && p->lay.message[0]) {
        ui_toast(&a->ui, p->lay.message);
        snprintf(a->message, sizeof a->message, "Cannot project the map.\n\n%s",
                 p->lay.message);
    }
    if (!app_proj_active(a))
        return;
    gfx_points_set(&a->pts, p->lay.y, a->model.job.labels, (int)p->lay.n);
    if (!a->view.user_moved)
        map_reset_view(a);
    a->nearest = app_nearest_point(a, a->z);
}

void app_proj_free(App *a)
{
    proj_free(&a->proj.job);
    proj_out_free(&a->proj.lay);
}

void app_proj_inverse(App *a, float x, float y)
{
    AppProj *p = &a->proj;
    if (!app_proj_active(a))
        return;
    const ModelJob *j = &a->model.job;
    float q[2] = {x, y}, z[VAE_MAX_Z];
    Err e = {0};
    if (place_inverse(j->mu, p->lay.y, j->n, j->z, q, 1, PROJ_K, z, 1, &e) != ERR_OK)
        return;
    app_set_z(a, z);
    p->click_xy[0] = x;
    p->click_xy[1] = y;
    memcpy(p->click_z, a->z, (size_t)a->z_dim * sizeof *a->z);
    p->click_seq = p->lay.seq;
    p->click_valid = true;
}

bool app_proj_marker(App *a, float *x, float *y)
{
    AppProj *p = &a->proj;
    if (!app_proj_active(a) || !a->have_model)
        return false;
    if (p->click_valid && p->click_seq == p->lay.seq &&
        memcmp(p->click_z, a->z, (size_t)a->z_dim * sizeof *a->z) == 0) {
        *x = p->click_xy[0];
        *y = p->click_xy[1];
        return true;
    }
    const ModelJob *j = &a->model.job;
    float xy[2];
    Err e = {0};
    if (place_points(j->mu, p->lay.y, j->n, j->z, a->z, 1, PROJ_K, xy, 1, &e) != ERR_OK)
        return false;
    *x = xy[0];
    *y = xy[1];
    return true;
}

static const char *method_name(int m)
{
    return m == PROJ_TSNE ? "t-SNE" : m == PROJ_PCA ? "PCA" : "none";
}

void app_proj_axes(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    UiRect r = a->r_map;
    int pad = ui_pad(ui), bh = ui_text_height(ui, UI_FONT_BODY);
    const char *m = a->proj.lay.method == PROJ_TSNE ? "t-SNE" : "PC";
    char xl[32], yl[32];
    snprintf(xl, sizeof xl, "%s%s1 \xe2\x86\x92", m, a->proj.lay.method == PROJ_TSNE ? " " : "");
    snprintf(yl, sizeof yl, "\xe2\x86\x91 %s%s2", m, a->proj.lay.method == PROJ_TSNE ? " " : "");
    int w = ui_text_width(ui, UI_FONT_BODY, xl);
    ui_draw_text(ui, UI_FONT_BODY, r.x + r.w - w - pad, r.y + r.h - bh - pad, t->text, xl);
    ui_draw_text(ui, UI_FONT_BODY, r.x + pad, r.y + pad, t->text, yl);
}

/* The card's rect for this frame's layout (bottom left of the map). */
UiRect app_proj_card(App *a)
{
    Ui *ui = &a->ui;
    int pad = ui_pad(ui), rh = ui_row_h(ui), em = ui_text_height(ui, UI_FONT_BODY);
    int w = em * 21, h = 2 * rh + ui_text_height(ui, UI_FONT_SMALL) + 4 * pad;
    if (w > a->r_map.w - 2 * pad)
        w = a->r_map.w - 2 * pad;
    a->proj.card = ui_rect(a->r_map.x + pad, a->r_map.y + a->r_map.h - h - 2 * pad - em, w, h);
    return a->proj.card;
}

/* Fit the data box [lo, hi] beside the card rather than under it: above it
 * or to its right, whichever leaves the map larger. */
void app_proj_fit_beside_card(App *a, const float lo[2], const float hi[2])
{
    UiRect r = a->r_map, c = a->proj.card;
    if (c.w <= 0 || c.h <= 0)
        return;
    float dx = fmaxf(hi[0] - lo[0], 1e-3f), dy = fmaxf(hi[1] - lo[1], 1e-3f);
    float hb = (float)(r.y + r.h - c.y), wb = (float)(c.x + c.w - r.x);
    float above = 0.9f * fminf((float)r.w / dx, ((float)r.h - hb) / dy);
    float right = 0.9f * fminf(((float)r.w - wb) / dx, (float)r.h / dy);
    if (above <= 0 && right <= 0)
        return;
    if (above >= right) {
        a->view.scale = above; /* the data's centre at the middle of the part above */
        a->view.cy = (lo[1] + hi[1]) / 2 - hb / 2 / above;
    } else {
        a->view.scale = right;
        a->view.cx = (lo[0] + hi[0]) / 2 - wb / 2 / right;
    }
    map_clamp_view(&a->view);
}

static void status_line(const App *a, char *buf, size_t n)
{
    const ProjOut *o = &a->proj.lay;
    if (!o->y) {
        snprintf(buf, n, "projecting\xe2\x80\xa6");
        return;
    }
    if (o->state == PROJ_FAILED) {
        snprintf(buf, n, "%s failed: %s", method_name(a->proj.method), o->message);
        return;
    }
    if (o->method == PROJ_PCA && a->proj.method == PROJ_TSNE && o->state == PROJ_RUNNING) {
        snprintf(buf, n, "PCA shown \xc2\xb7 t-SNE: finding neighbours\xe2\x80\xa6");
        return;
    }
    if (o->method == PROJ_PCA) {
        snprintf(buf, n, "PCA of %d dims \xc2\xb7 %zu points", a->z_dim, o->n);
        return;
    }
    const char *st = o->state == PROJ_PAUSED ? "paused" : o->state == PROJ_DONE ? "done"
                                                                                 : "running";
    int k = snprintf(buf, n, "t-SNE %s%s \xc2\xb7 iteration %d / %d \xc2\xb7 %.0f it/s", st,
                     o->warm ? " (warm)" : "", o->iter, o->max_iter, o->its);
    if (!isnan(o->kl) && k > 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " \xc2\xb7 KL %.3f", o->kl);
}

void view_proj_controls(App *a)
{
    Ui *ui = &a->ui;
    AppProj *p = &a->proj;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), rh = ui_row_h(ui);
    UiRect c = p->card;
    UiColor bg = t->card;
    bg.a = 225;
    ui_draw_rect(ui, c, bg, (float)pad / 2);
    ui_draw_frame(ui, c, t->border, 1, (float)pad / 2);
    int x = c.x + pad, y = c.y + pad, bw = (c.w - 5 * pad) / 4;
    p->b_pca = ui_rect(x, y, bw, rh);
    p->b_tsne = ui_rect(x + bw + pad, y, bw, rh);
    p->b_pause = ui_rect(x + 2 * (bw + pad), y, bw, rh);
    p->b_stop = ui_rect(x + 3 * (bw + pad), y, bw, rh);
    if (ui_button_at(ui, p->b_pca, "PCA"))
        submit(a, PROJ_PCA, false);
    if (ui_button_at(ui, p->b_tsne, "t-SNE"))
        submit(a, PROJ_TSNE, false);
    UiRect on = p->method == PROJ_TSNE ? p->b_tsne : p->b_pca;
    ui_draw_rect(ui, ui_rect(on.x, on.y + on.h - 3, on.w, 3), t->accent, 0);
    /* a t-SNE run is under way (or requested and not yet published) */
    bool running = p->method == PROJ_TSNE &&
                   (p->lay.request != p->last_request || p->lay.state == PROJ_RUNNING ||
                    p->lay.state == PROJ_PAUSED);
    if (ui_button_at(ui, p->b_pause, p->paused ? "Resume" : "Pause") && running) {
        p->paused = !p->paused;
        proj_pause(&p->job, p->paused);
    }
    if (ui_button_at(ui, p->b_stop, "Stop") && running) {
        p->paused = false;
        proj_stop(&p->job);
    }
    y += rh + pad;
    float before = p->perplexity;
    ui_slider_at(ui, ui_rect(x, y, c.w - 2 * pad, rh), "perplexity", &p->perplexity, 5, 100,
                 "%.0f");
    p->perplexity = roundf(p->perplexity);
    if (p->perplexity != before)
        p->perp_dirty = true;
    y += rh + pad;
    char buf[320];
    status_line(a, buf, sizeof buf);
    ui_draw_text(ui, UI_FONT_SMALL, x, y, t->text_dim, buf);
}

static cJSON *rect_json(UiRect r)
{
    return cJSON_CreateIntArray((const int[]){r.x, r.y, r.w, r.h}, 4);
}

void app_proj_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const AppProj *p = &a->proj;
    const ProjOut *l = &p->lay;
    static const char *const states[] = {"idle", "running", "paused", "done", "failed"};
    bool on = app_proj_active(a);
    cJSON_AddStringToObject(o, "method", a->z_dim == 2 ? "identity"
                                         : on          ? (l->method == PROJ_TSNE ? "tsne" : "pca")
                                                       : "none");
    cJSON_AddStringToObject(o, "chosen", p->method == PROJ_TSNE ? "tsne" : "pca");
    cJSON_AddStringToObject(o, "state", on ? states[l->state] : "idle");
    cJSON_AddNumberToObject(o, "iter", l->iter);
    cJSON_AddNumberToObject(o, "max_iter", l->max_iter);
    cJSON_AddNumberToObject(o, "perplexity", l->perplexity);
    if (isnan(l->kl) || !on)
        cJSON_AddNullToObject(o, "kl");
    else
        cJSON_AddNumberToObject(o, "kl", l->kl);
    cJSON_AddNumberToObject(o, "its_per_s", l->its);
    cJSON_AddBoolToObject(o, "warm", l->warm);
    cJSON_AddNumberToObject(o, "seq", (double)l->seq);
    cJSON_AddNumberToObject(o, "requests", (double)p->requests);
    cJSON_AddNumberToObject(o, "warm_requests", (double)p->warm_requests);
    cJSON_AddStringToObject(o, "message", l->message);
    cJSON_AddItemToObject(o, "card", rect_json(p->card));
    cJSON *b = cJSON_AddObjectToObject(o, "buttons");
    cJSON_AddItemToObject(b, "pca", rect_json(p->b_pca));
    cJSON_AddItemToObject(b, "tsne", rect_json(p->b_tsne));
    cJSON_AddItemToObject(b, "pause", rect_json(p->b_pause));
    cJSON_AddItemToObject(b, "stop", rect_json(p->b_stop));
    cJSON *lay = cJSON_AddArrayToObject(o, "layout");
    if (on)
        for (size_t i = 0; i < 2 * l->n; i++)
            cJSON_AddItemToArray(lay, cJSON_CreateNumber(l->y[i]));
}
