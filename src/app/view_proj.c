/* view_proj: see view_proj.h. */
#include <SDL.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "dumpjson.h"

void app_proj_forget(AppProj *p)
{
    float perplexity = p->perplexity;
    memset(p, 0, sizeof *p);
    p->perplexity = perplexity;
}

static void submit(App *a, int method, bool warm)
{
    AppProj *p = &a->proj;
    p->method = method;
    p->paused = false;
    uint64_t id = map_model_project(&a->map, method, p->perplexity, warm);
    if (id) {
        p->last_request = id;
        p->requests++;
        p->warm_requests += warm;
    }
}

/* Re-encodings arrive every few batches, faster than a t-SNE restart
 * (affinities, then iterations) can show anything; replacing the run each
 * time would freeze the map. So new means wait until the current run has
 * shown PROJ_WARM_MIN iterations (a cold run: its early exaggeration too). */
#define PROJ_WARM_MIN 50
static bool run_far_enough(const AppProj *p, const ProjOut *o)
{
    if (o->request != p->last_request)
        return false; /* the newest request has not published yet */
    if (o->state == PROJ_DONE || o->state == PROJ_FAILED || o->state == PROJ_PAUSED)
        return true;
    return o->method == PROJ_TSNE && o->iter >= (o->warm ? PROJ_WARM_MIN : 250 + PROJ_WARM_MIN);
}

void app_proj_frame(App *a)
{
    AppProj *p = &a->proj;
    if (!a->map.ready || a->cur.dim <= 2)
        return;
    if (!a->map.pj_started) {
        int cores = SDL_GetCPUCount();
        Err e = {0};
        /* one core stays with the window (and a training run shares the rest) */
        if (map_model_project_start(&a->map, cores > 2 ? cores - 1 : 1, a->wake_event, &e) !=
            ERR_OK) {
            snprintf(a->map.message, sizeof a->map.message, "Cannot project the map.\n\n%s",
                     e.msg);
            return;
        }
        if (p->perplexity <= 0)
            p->perplexity = 30;
        p->reencodes_seen = a->map.model.job.reencodes;
        submit(a, PROJ_TSNE, false);
    }
    if (a->map.model.job.reencodes != p->reencodes_seen) {
        p->reencodes_seen = a->map.model.job.reencodes;
        p->reencode_waiting = true;
    }
    if (p->reencode_waiting && run_far_enough(p, &a->map.lay)) {
        /* live training re-encoded the points: continue from the current map */
        p->reencode_waiting = false;
        submit(a, p->method, p->method == PROJ_TSNE);
    }
    if (p->perp_dirty && !a->ui.active) {
        p->perp_dirty = false;
        submit(a, PROJ_TSNE, false);
    }
    if (!map_model_take_layout(&a->map))
        return;
    const ProjOut *lay = &a->map.lay;
    if (lay->state == PROJ_FAILED && lay->message[0]) {
        ui_toast(&a->ui, lay->message);
        snprintf(a->map.message, sizeof a->map.message, "Cannot project the map.\n\n%s",
                 lay->message);
    }
    if (!map_model_projected(&a->map))
        return;
    if (!a->map.view.user_moved)
        map_reset_view(a);
    cursor_set_nearest(&a->cur, app_nearest_point(a, a->cur.z));
}

static const char *method_name(int m)
{
    return m == PROJ_TSNE ? "t-SNE" : m == PROJ_PCA ? "PCA" : "none";
}

/* The card's rect for this frame's layout (bottom left of the map). */
UiRect app_proj_card(App *a)
{
    Ui *ui = &a->ui;
    int pad = ui_pad(ui), rh = ui_row_h(ui), em = ui_text_height(ui, UI_FONT_BODY);
    int w = em * 21, h = 2 * rh + ui_text_height(ui, UI_FONT_SMALL) + 4 * pad;
    if (w > a->map.rect.w - 2 * pad)
        w = a->map.rect.w - 2 * pad;
    a->proj.card = ui_rect(a->map.rect.x + pad, a->map.rect.y + a->map.rect.h - h - 2 * pad - em, w, h);
    return a->proj.card;
}

/* Fit the data box [lo, hi] beside the card rather than under it: above it
 * or to its right, whichever leaves the map larger. */
void app_proj_fit_beside_card(App *a, const float lo[2], const float hi[2])
{
    UiRect r = a->map.rect, c = a->proj.card;
    if (c.w <= 0 || c.h <= 0)
        return;
    float dx = fmaxf(hi[0] - lo[0], 1e-3f), dy = fmaxf(hi[1] - lo[1], 1e-3f);
    float hb = (float)(r.y + r.h - c.y), wb = (float)(c.x + c.w - r.x);
    float above = 0.9f * fminf((float)r.w / dx, ((float)r.h - hb) / dy);
    float right = 0.9f * fminf(((float)r.w - wb) / dx, (float)r.h / dy);
    if (above <= 0 && right <= 0)
        return;
    if (above >= right) {
        a->map.view.scale = above; /* the data's centre at the middle of the part above */
        a->map.view.cy = (lo[1] + hi[1]) / 2 - hb / 2 / above;
    } else {
        a->map.view.scale = right;
        a->map.view.cx = (lo[0] + hi[0]) / 2 - wb / 2 / right;
    }
    map_clamp_view(&a->map.view);
}

static void status_line(const App *a, char *buf, size_t n)
{
    const ProjOut *o = &a->map.lay;
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
        snprintf(buf, n, "PCA of %d dims \xc2\xb7 %zu points", a->cur.dim, o->n);
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
                   (a->map.lay.request != p->last_request || a->map.lay.state == PROJ_RUNNING ||
                    a->map.lay.state == PROJ_PAUSED);
    if (ui_button_at(ui, p->b_pause, p->paused ? "Resume" : "Pause") && running) {
        p->paused = !p->paused;
        proj_pause(&a->map.pj, p->paused);
    }
    if (ui_button_at(ui, p->b_stop, "Stop") && running) {
        p->paused = false;
        proj_stop(&a->map.pj);
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

void app_proj_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const AppProj *p = &a->proj;
    const ProjOut *l = &a->map.lay;
    static const char *const states[] = {"idle", "running", "paused", "done", "failed"};
    bool on = map_model_projected(&a->map);
    cJSON_AddStringToObject(o, "method", a->cur.dim == 2 ? "identity"
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
    cJSON_AddItemToObject(o, "card", dump_rect(p->card));
    cJSON *b = cJSON_AddObjectToObject(o, "buttons");
    cJSON_AddItemToObject(b, "pca", dump_rect(p->b_pca));
    cJSON_AddItemToObject(b, "tsne", dump_rect(p->b_tsne));
    cJSON_AddItemToObject(b, "pause", dump_rect(p->b_pause));
    cJSON_AddItemToObject(b, "stop", dump_rect(p->b_stop));
    cJSON *lay = cJSON_AddArrayToObject(o, "layout");
    if (on)
        for (size_t i = 0; i < 2 * l->n; i++)
            cJSON_AddItemToArray(lay, cJSON_CreateNumber(l->y[i]));
}
