/* view_compare: two models side by side (compare.h). Loads B next to A,
 * splits the map area, draws B's map with view_map.c's parameterised
 * pieces, decodes the shared z with B, and fills the decoder panel and the
 * dump's "compare" object. Thread rule: main thread (see compare.h). */
#include <SDL.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "embed/place.h"
#include "view_proj.h"

/* ---- before the window: both files open and agree on Z ---- */

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Z of the model file at path (its weights are read and dropped: a few MB). */
static int file_latent(const char *path, int *z, Err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_IO, "--compare: %s: no such model file", path);
    Vae v;
    VaeFileInfo info;
    if (vae_load(path, &v, 1, &info, e) != ERR_OK)
        return e->code;
    *z = v.cfg.z;
    vae_free(&v);
    vae_file_info_free(&info);
    return ERR_OK;
}

int app_check_compare(const AppOptions *o, Err *e)
{
    char a_path[4096];
    if (o->model_path)
        snprintf(a_path, sizeof a_path, "%s", o->model_path);
    else
        app_default_model_path(o->dataset ? o->dataset : "mnist", a_path, sizeof a_path);
    int za = 0, zb = 0;
    if (file_latent(a_path, &za, e) != ERR_OK || file_latent(o->compare_path, &zb, e) != ERR_OK)
        return e->code;
    if (za != zb)
        return err_set(e, ERR_ARG,
                       "--compare: %s has Z=%d but %s has Z=%d; compare needs the same latent size",
                       base_name(a_path), za, base_name(o->compare_path), zb);
    return ERR_OK;
}

/* ---- start-up and shut-down ---- */

static void fail(AppCompare *c, const char *what, const char *why)
{
    c->failed = true;
    snprintf(c->message, sizeof c->message, "%s\n\n%s", what, why);
}

void app_compare_open(App *a)
{
    if (!a->opt.compare_path)
        return;
    AppCompare *c = calloc(1, sizeof *c);
    if (!c) {
        ui_toast(&a->ui, "--compare: out of memory");
        return;
    }
    a->cmp = c;
    c->hover = c->hover_shown = -1;
    c->img = gfx_image_new(&a->gr, 28, 28);
    c->img_hover = gfx_image_new(&a->gr, 28, 28);
    Err e = {0};
    if (gfx_points_init(&c->pts, a->shader_dir, &e) != ERR_OK) {
        fail(c, "Cannot draw the second map.", e.msg);
        return;
    }
    c->pts_ok = true;
    /* B is shown on A's dataset, so both maps hold the same images */
    const char *ds = a->model.dataset[0] ? a->model.dataset : a->opt.dataset;
    if (model_load(&c->model, a->opt.compare_path, ds, &e) != ERR_OK) {
        fail(c, "Cannot open the second model.", e.msg);
        return;
    }
    c->loaded = true;
    if (a->have_model && c->model.vae.cfg.z != a->z_dim) {
        char why[128];
        snprintf(why, sizeof why, "It has Z = %d; the first model has Z = %d.",
                 c->model.vae.cfg.z, a->z_dim);
        fail(c, "The models have different latent sizes.", why);
        return;
    }
    if (model_start_encode(&c->model, a->opt.all_points, a->wake_event, &e) != ERR_OK) {
        fail(c, "Cannot encode the dataset.", e.msg);
        return;
    }
    snprintf(c->message, sizeof c->message, "Encoding the images with %s\xe2\x80\xa6",
             c->model.name);
}

void app_compare_free(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return;
    proj_free(&c->pj);
    proj_out_free(&c->lay);
    model_free(&c->model); /* joins B's encoder; safe after a failed load */
    if (c->pts_ok)
        gfx_points_free(&c->pts);
    free(c);
    a->cmp = NULL;
}

/* ---- each frame: B's encoder and projection ---- */

/* B's (N, 2) map positions: its means (Z = 2) or its current layout. */
static const float *b_xy(const AppCompare *c)
{
    if (!c->map_ready)
        return NULL;
    if (c->model.job.z == 2)
        return c->model.job.mu;
    return c->lay.y && c->lay.n == c->model.job.n ? c->lay.y : NULL;
}

static void fit_b(AppCompare *c)
{
    float lo[2], hi[2];
    const float *xy = b_xy(c);
    map_fit_view(&c->view, c->r_map, xy, xy ? c->model.job.n : 0, lo, hi);
    c->laid_out = c->r_map;
}

/* Runs on B's projection worker: wake the UI (SDL_PushEvent is thread-safe). */
static void wake_ui(void *user)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = (uint32_t)(uintptr_t)user;
    SDL_PushEvent(&ev);
}

static void start_projection(App *a, AppCompare *c)
{
    Err e = {0};
    /* one thread: A's projection runs at the same time */
    if (proj_start(&c->pj, 1, wake_ui, (void *)(uintptr_t)a->wake_event, &e) != ERR_OK) {
        fail(c, "Cannot project the second map.", e.msg);
        return;
    }
    c->pj_started = true;
    const ModelJob *j = &c->model.job;
    double perp = ((double)j->n - 1) / 3.0 - 0.01; /* t-SNE needs N >= 3 perplexity + 1 */
    perp = perp < 30 ? (perp > 1 ? perp : 1) : 30;
    if (!proj_submit(&c->pj, j->mu, j->n, j->z, PROJ_TSNE, perp, false))
        fail(c, "Cannot project the second map.", "out of memory");
    snprintf(c->message, sizeof c->message,
             "Projecting the Z = %d means of %s to 2-D (PCA, then t-SNE)\xe2\x80\xa6", j->z,
             c->model.name);
}

void app_compare_frame(App *a)
{
    AppCompare *c = a->cmp;
    if (!c || c->failed || !c->loaded || !c->model.job.started)
        return;
    if (!c->map_ready) {
        uint64_t seq;
        int st = model_job_state(&c->model.job, &seq);
        if (seq == c->job_seq)
            return;
        c->job_seq = seq;
        if (st == MODEL_FAILED) {
            fail(c, "Cannot show the second map.", c->model.job.err.msg);
            return;
        }
        if (st != MODEL_READY)
            return;
        c->map_ready = true;
        c->message[0] = '\0';
        if (c->model.job.z == 2) {
            gfx_points_set(&c->pts, c->model.job.mu, c->model.job.labels, (int)c->model.job.n);
            fit_b(c);
        } else {
            start_projection(a, c);
        }
        return;
    }
    if (!c->pj_started || !proj_poll(&c->pj, &c->lay))
        return;
    if (c->lay.state == PROJ_FAILED && c->lay.message[0])
        fail(c, "Cannot project the second map.", c->lay.message);
    if (!b_xy(c))
        return;
    c->message[0] = '\0';
    gfx_points_set(&c->pts, c->lay.y, c->model.job.labels, (int)c->lay.n);
    if (!c->view.user_moved)
        fit_b(c);
}

bool app_compare_ready(const App *a)
{
    const AppCompare *c = a->cmp;
    return !c || c->map_ready || c->failed;
}

/* ---- layout and keys ---- */

void app_compare_layout(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return;
    Ui *ui = &a->ui;
    int pad = ui_pad(ui);
    UiRect m = a->r_map;
    int title_h = ui_text_height(ui, UI_FONT_TITLE) + ui_text_height(ui, UI_FONT_SMALL) + pad;
    int w = (m.w - pad) / 2, h = m.h - title_h - pad / 2;
    a->r_map = ui_rect(m.x, m.y + m.h - h, w, h);
    c->r_map = ui_rect(m.x + w + pad, a->r_map.y, m.w - w - pad, h);
    c->r_title[0] = ui_rect(m.x, m.y, w, title_h);
    c->r_title[1] = ui_rect(c->r_map.x, m.y, c->r_map.w, title_h);
    /* a new window size refits B's map unless the user moved it */
    bool moved = memcmp(&c->laid_out, &c->r_map, sizeof c->r_map) != 0;
    if (moved && c->view.fitted && !c->view.user_moved)
        fit_b(c);
}

bool app_compare_key(App *a, int32_t key, uint16_t mods)
{
    if (!a->cmp || (mods & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)))
        return false;
    switch (key) {
    case SDLK_HOME:
        map_reset_view(a);
        fit_b(a->cmp);
        return true;
    case SDLK_t:
    case SDLK_SPACE:
    case SDLK_PERIOD:
        ui_toast(&a->ui, "Training is off while comparing two models: open one to train it.");
        return true;
    case SDLK_i:
    case SDLK_p:
    case SDLK_g:
        ui_toast(&a->ui, "Walks are off while comparing two models: click either map instead.");
        return true;
    case SDLK_s:
    case SDLK_r:
        ui_toast(&a->ui, "The Sampling panel is off while comparing two models.");
        return true;
    default: return false;
    }
}

/* ---- drawing ---- */

/* s cut at the end with an ellipsis to fit w pixels (into buf). */
static const char *fit_text(const Ui *ui, int font, const char *s, int w, char *buf, size_t n)
{
    snprintf(buf, n, "%s", s);
    size_t len = strlen(buf);
    while (len > 0 && ui_text_width(ui, font, buf) > w) {
        do /* back up over a whole UTF-8 sequence */
            len--;
        while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80);
        if (len + 4 > n)
            break;
        memcpy(buf + len, "\xe2\x80\xa6", 4);
    }
    return buf;
}

/* proj: how the map was projected, or NULL (Z = 2, or A: its own card says it). */
static void title(App *a, UiRect r, const char *tag, const Model *m, bool loaded,
                  const char *proj)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    char line[512], fit[512];
    if (loaded)
        snprintf(line, sizeof line, "%s  \xc2\xb7  Z = %d  \xc2\xb7  \xce\xb2 = %g%s%s", tag,
                 m->vae.cfg.z, (double)m->vae.cfg.beta, proj ? "  \xc2\xb7  " : "",
                 proj ? proj : "");
    else
        snprintf(line, sizeof line, "%s  \xc2\xb7  no model", tag);
    ui_draw_text(ui, UI_FONT_TITLE, r.x, r.y, t->text,
                 fit_text(ui, UI_FONT_TITLE, line, r.w, fit, sizeof fit));
    if (loaded && !isnan(m->test_loss))
        snprintf(line, sizeof line, "test loss %.1f  \xc2\xb7  %s", m->test_loss, m->name);
    else if (loaded) /* e.g. a study file from before the study kept its test loss */
        snprintf(line, sizeof line, "%s  \xc2\xb7  no test loss in the file", m->name);
    else
        snprintf(line, sizeof line, "%s", m->name);
    ui_draw_text(ui, UI_FONT_SMALL, r.x, r.y + ui_text_height(ui, UI_FONT_TITLE), t->text_dim,
                 fit_text(ui, UI_FONT_SMALL, line, r.w, fit, sizeof fit));
}

static void message_box(App *a, UiRect r, const char *msg)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    int w = r.w * 9 / 10;
    int th = ui_text_wrapped_height(ui, UI_FONT_BODY, w - 4 * pad, msg);
    UiRect box = ui_rect(r.x + (r.w - w) / 2, r.y + (r.h - th) / 2 - 2 * pad, w, th + 4 * pad);
    ui_draw_rect(ui, box, t->card, (float)pad);
    ui_draw_frame(ui, box, t->border, 2, (float)pad);
    ui_draw_text_wrapped(ui, UI_FONT_BODY, ui_rect(box.x + 2 * pad, box.y + 2 * pad, w - 4 * pad, th),
                         t->text, msg);
}

/* The Draw panel's digit on B's map: encoded with B's weights whenever the
 * drawing changes (one image, tens of microseconds), placed as B's z marker
 * is. False: no drawing, or no place for it yet. */
static bool b_drawn(App *a, AppCompare *c, float *x, float *y)
{
    const AppDraw *d = &a->draw;
    if (!app_draw_shown(a) || d->empty || !c->loaded) {
        c->drawn_valid = false;
        return false;
    }
    if (!c->drawn_valid || memcmp(c->drawn_sha1, d->image_sha1, sizeof c->drawn_sha1) != 0) {
        vae_encode(&c->model.vae, d->image, 1, c->drawn_mu, c->drawn_logvar);
        memcpy(c->drawn_sha1, d->image_sha1, sizeof c->drawn_sha1);
        c->drawn_valid = true;
        c->drawn_placed = false;
    }
    int z = c->model.vae.cfg.z;
    if (!b_xy(c))
        return false;
    if (z == 2) {
        *x = c->drawn_mu[0];
        *y = c->drawn_mu[1];
        return true;
    }
    if (!c->drawn_placed || c->drawn_seq != c->lay.seq) {
        Err e = {0};
        c->drawn_placed = place_points(c->model.job.mu, c->lay.y, c->model.job.n, z,
                                       c->drawn_mu, 1, PROJ_K, c->drawn_xy, 1, &e) == ERR_OK;
        c->drawn_seq = c->lay.seq;
    }
    *x = c->drawn_xy[0];
    *y = c->drawn_xy[1];
    return c->drawn_placed;
}

/* q(z|x) on B's map (Z = 2), as A's map shows it: B's reading of its
 * hovered point and of the drawn digit, and the prior's rings when O is on.
 * Side by side, the sigmas are where beta shows: wide at beta = 10, tiny at
 * beta = 0. */
static void b_uncert(App *a, AppCompare *c, UiRect r)
{
    const ModelJob *j = &c->model.job;
    c->n_ell = 0;
    if (a->uncert.rings)
        view_uncert_rings_in(a, &c->view, r);
    const float *mu[2] = {NULL, NULL}, *lv[2] = {NULL, NULL};
    if (c->hover >= 0 && (size_t)c->hover < j->n) {
        mu[0] = j->mu + 2 * (size_t)c->hover;
        lv[0] = j->logvar + 2 * (size_t)c->hover;
    }
    if (c->drawn_valid)
        mu[1] = c->drawn_mu, lv[1] = c->drawn_logvar;
    for (int s = 0; s < 2; s++) {
        if (!mu[s])
            continue;
        float sigma[2] = {expf(0.5f * lv[s][0]), expf(0.5f * lv[s][1])};
        view_uncert_ellipses_in(a, &c->view, r, mu[s], sigma, false);
        c->ell[c->n_ell].source = s ? "drawn" : "hover";
        memcpy(c->ell[c->n_ell].center, mu[s], sizeof c->ell[0].center);
        memcpy(c->ell[c->n_ell].sigma, sigma, sizeof sigma);
        c->n_ell++;
    }
}

/* Where the shared z goes on B's map; false: nowhere yet. */
static bool b_marker(const App *a, const AppCompare *c, float *x, float *y)
{
    const float *xy = b_xy(c);
    if (!xy || a->z_dim <= 0)
        return false;
    if (a->z_dim == 2) {
        *x = a->z[0];
        *y = a->z[1];
        return true;
    }
    if (c->click_valid && c->click_seq == c->lay.seq &&
        memcmp(c->click_z, a->z, (size_t)a->z_dim * sizeof *a->z) == 0) {
        *x = c->click_xy[0];
        *y = c->click_xy[1];
        return true;
    }
    const ModelJob *j = &c->model.job;
    float p[2];
    Err e = {0};
    if (place_points(j->mu, xy, j->n, j->z, a->z, 1, PROJ_K, p, 1, &e) != ERR_OK)
        return false;
    *x = p[0];
    *y = p[1];
    return true;
}

/* A click at B's map position (x, y) sets the shared z. */
static void b_click(App *a, AppCompare *c, float x, float y)
{
    if (a->z_dim == 2) {
        float z[2] = {x, y};
        app_set_z(a, z);
        return;
    }
    const ModelJob *j = &c->model.job;
    float q[2] = {x, y}, z[VAE_MAX_Z];
    Err e = {0};
    if (place_inverse(j->mu, b_xy(c), j->n, j->z, q, 1, PROJ_K, z, 1, &e) != ERR_OK)
        return;
    app_set_z(a, z);
    c->click_xy[0] = x;
    c->click_xy[1] = y;
    memcpy(c->click_z, a->z, (size_t)a->z_dim * sizeof *a->z);
    c->click_seq = c->lay.seq;
    c->click_valid = true;
}

static void b_interact(App *a, AppCompare *c)
{
    Ui *ui = &a->ui;
    UiRect r = c->r_map;
    int mx = ui->in.mouse_x, my = ui->in.mouse_y;
    int res = ui_control(ui, ui_id_str(ui, "compare-map"), r, UI_MOUSE_LEFT | UI_MOUSE_RIGHT);
    if (res & UI_PRESS) {
        c->pan_x = (float)mx;
        c->pan_y = (float)my;
    }
    if ((res & UI_ACTIVE) && (ui->active_button & UI_MOUSE_RIGHT)) {
        map_pan(&c->view, (float)mx - c->pan_x, (float)my - c->pan_y);
        c->pan_x = (float)mx;
        c->pan_y = (float)my;
    } else if ((res & UI_ACTIVE) && (ui->active_button & UI_MOUSE_LEFT)) {
        float x, y;
        map_from_screen_in(&c->view, r, (float)mx, (float)my, &x, &y);
        b_click(a, c, x, y);
    }
    if ((res & UI_HOVER) && ui->in.scroll != 0) {
        map_zoom_at(&c->view, r, ui->in.scroll, mx, my);
        ui->in.scroll = 0;
    }
    c->hover = -1;
    if ((res & UI_HOVER) && !(res & UI_ACTIVE))
        c->hover = map_hover_point(a, &c->view, r, b_xy(c), c->model.job.n, mx, my);
}

/* Projection axes have no units: their names only (as A's map). */
static void b_axes(App *a, const AppCompare *c)
{
    Ui *ui = &a->ui;
    UiRect r = c->r_map;
    int pad = ui_pad(ui), bh = ui_text_height(ui, UI_FONT_BODY);
    bool tsne = c->lay.method == PROJ_TSNE;
    const char *xl = tsne ? "t-SNE 1 \xe2\x86\x92" : "PC1 \xe2\x86\x92";
    const char *yl = tsne ? "\xe2\x86\x91 t-SNE 2" : "\xe2\x86\x91 PC2";
    int w = ui_text_width(ui, UI_FONT_BODY, xl);
    ui_draw_text(ui, UI_FONT_BODY, r.x + r.w - w - pad, r.y + r.h - bh - pad, ui->theme.text, xl);
    ui_draw_text(ui, UI_FONT_BODY, r.x + pad, r.y + pad, ui->theme.text, yl);
}

static void b_tooltip(App *a, const AppCompare *c)
{
    const ModelJob *j = &c->model.job;
    size_t i = (size_t)c->hover, nt = j->ds.test.n;
    int lab = j->labels[i];
    char tip[256];
    int k = snprintf(tip, sizeof tip, "%s\n%s image #%zu", app_class_name(a, lab),
                     i < nt ? "test" : "train", i < nt ? i : i - nt);
    if (j->z == 2 && k > 0 && (size_t)k < sizeof tip)
        snprintf(tip + k, sizeof tip - (size_t)k, "\nz = (%.2f, %.2f)", (double)j->mu[2 * i],
                 (double)j->mu[2 * i + 1]);
    ui_tooltip(&a->ui, tip, c->img_hover);
}

void view_compare(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    char proj[64] = "";
    if (c->loaded && c->model.vae.cfg.z > 2 && b_xy(c)) {
        if (c->lay.method != PROJ_TSNE)
            snprintf(proj, sizeof proj, "PCA");
        else if (c->lay.iter < c->lay.max_iter)
            snprintf(proj, sizeof proj, "t-SNE %d/%d", c->lay.iter, c->lay.max_iter);
        else
            snprintf(proj, sizeof proj, "t-SNE");
    }
    title(a, c->r_title[0], "A", &a->model, a->have_model, NULL);
    title(a, c->r_title[1], "B", &c->model, c->loaded, proj[0] ? proj : NULL);
    UiRect r = c->r_map;
    ui_draw_rect(ui, r, t->panel, 0);
    ui_draw_frame(ui, r, t->border, t->high_contrast ? 2 : 1, 0);
    if (!b_xy(c) || c->failed) {
        message_box(a, r, c->message);
        c->hover = -1;
        c->n_ell = 0;
        return;
    }
    b_interact(a, c);
    ui_clip(ui, r);
    if (c->model.job.z == 2)
        map_draw_grid_in(a, r, &c->view);
    else
        b_axes(a, c);
    ui_draw_custom(ui, r, APP_CUSTOM_POINTS_B);
    float mx, my, dx, dy;
    bool drawn = b_drawn(a, c, &dx, &dy);
    if (c->model.job.z == 2)
        b_uncert(a, c, r);
    else
        c->n_ell = 0;
    if (b_marker(a, c, &mx, &my)) {
        float sx, sy;
        map_to_screen_in(&c->view, r, mx, my, &sx, &sy);
        map_draw_marker_at(a, sx, sy);
    }
    if (drawn) {
        float sx, sy;
        map_to_screen_in(&c->view, r, dx, dy, &sx, &sy);
        view_draw_diamond(a, sx, sy);
    }
    ui_clip_reset(ui);
    if (c->hover >= 0)
        b_tooltip(a, c);
}

void app_compare_draw_points(App *a, UiRect r)
{
    AppCompare *c = a->cmp;
    if (c && c->pts_ok)
        map_draw_points_with(a, &c->pts, &c->view, c->model.job.n, r);
}

/* ---- B's decode and the decoder panel ---- */

static void to_bytes(const float *x, uint8_t *out)
{
    for (int i = 0; i < VAE_X; i++)
        out[i] = (uint8_t)lroundf(255.0f * fminf(fmaxf(x[i], 0.0f), 1.0f));
}

void app_compare_draw(App *a)
{
    AppCompare *c = a->cmp;
    if (!c || !c->loaded || !a->have_model || c->model.vae.cfg.z != a->z_dim)
        return;
    size_t zb = (size_t)a->z_dim * sizeof *a->z;
    if (!c->dec_valid || memcmp(c->dec_z, a->z, zb) != 0) {
        float xhat[VAE_X];
        vae_decode(&c->model.vae, a->z, 1, xhat);
        to_bytes(xhat, c->decoded);
        gfx_image_set(&a->gr, c->img, c->decoded);
        memcpy(c->dec_z, a->z, zb);
        struct sha1_ctx ctx;
        sha1_init(&ctx);
        sha1_update(&ctx, sizeof c->decoded, c->decoded);
        sha1_digest(&ctx, sizeof c->sha1, c->sha1);
        c->dec_valid = true;
        c->decodes++;
    }
    if (c->hover >= 0 && c->hover != c->hover_shown && c->map_ready) {
        uint8_t px[VAE_X];
        to_bytes(model_point_image(&c->model.job, (size_t)c->hover), px);
        gfx_image_set(&a->gr, c->img_hover, px);
        c->hover_shown = c->hover;
    }
}

/* One decode: the image (or a black square saying why not) at r, and under
 * it the model's tag, Z and β, and its file name. */
static void decode_slot(App *a, UiRect r, int image, bool valid, const char *tag, const Model *m,
                        bool loaded)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    if (valid) {
        ui_draw_image(ui, r, image, ui_rgba(255, 255, 255, 255));
    } else {
        ui_draw_rect(ui, r, ui_rgba(0, 0, 0, 255), 0);
        const char *s = loaded ? "\xe2\x80\xa6" : "no model";
        int w = ui_text_width(ui, UI_FONT_SMALL, s);
        ui_draw_text(ui, UI_FONT_SMALL, r.x + (r.w - w) / 2,
                     r.y + (r.h - ui_text_height(ui, UI_FONT_SMALL)) / 2, t->text_dim, s);
    }
    ui_draw_frame(ui, r, t->border, 1, 0);
    char line[256], fit[256];
    int y = r.y + r.h + pad / 2;
    if (loaded)
        snprintf(line, sizeof line, "%s  \xc2\xb7  \xce\xb2 = %g", tag, (double)m->vae.cfg.beta);
    else
        snprintf(line, sizeof line, "%s", tag);
    ui_draw_text(ui, UI_FONT_BODY, r.x, y, t->text,
                 fit_text(ui, UI_FONT_BODY, line, r.w, fit, sizeof fit));
    ui_draw_text(ui, UI_FONT_SMALL, r.x, y + ui_text_height(ui, UI_FONT_BODY), t->text_dim,
                 fit_text(ui, UI_FONT_SMALL, m->name, r.w, fit, sizeof fit));
}

bool view_compare_decoder(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return false;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    ui_panel_begin(ui, "Decoders  \xc2\xb7  same z", a->r_decoder, false);
    int bw = ui->lay.body.w;
    int img = (bw - pad) / 2 < a->dec_img ? (bw - pad) / 2 : a->dec_img;
    UiRect row = ui_row(ui, img);
    int x0 = row.x + (row.w - 2 * img - pad) / 2;
    c->r_dec[0] = ui_rect(x0, row.y, img, img);
    c->r_dec[1] = ui_rect(x0 + img + pad, row.y, img, img);
    decode_slot(a, c->r_dec[0], a->img_decoded, a->decoded_valid, "A", &a->model, a->have_model);
    decode_slot(a, c->r_dec[1], c->img, c->dec_valid, "B", &c->model, c->loaded);
    int lh = ui_text_height(ui, UI_FONT_BODY) + ui_text_height(ui, UI_FONT_SMALL) + pad / 2;
    UiRect info = ui_row(ui, lh + ui_text_height(ui, UI_FONT_BODY));
    if (a->have_model) {
        char buf[96];
        if (a->z_dim == 2)
            snprintf(buf, sizeof buf, "z = (%.2f, %.2f)", (double)a->z[0], (double)a->z[1]);
        else
            snprintf(buf, sizeof buf, "the same z in both (%d dimensions)", a->z_dim);
        char fit[128];
        ui_draw_text(ui, UI_FONT_BODY, x0, info.y + lh, t->text,
                     fit_text(ui, UI_FONT_BODY, buf, 2 * img + pad, fit, sizeof fit));
    }
    ui_panel_end(ui);
    return true;
}

/* ---- dump-state ---- */

static cJSON *rect_json(UiRect r)
{
    return cJSON_CreateIntArray((const int[]){r.x, r.y, r.w, r.h}, 4);
}

/* One side: what view_map's dump says of A's map, in the same shape, so a
 * test converts latent points to window points the same way for both. */
static cJSON *side_json(const App *a, const Model *m, bool loaded, const MapView *v, UiRect map,
                        UiRect title_r, UiRect dec_r, bool ready, const float *z,
                        const uint8_t *px, const uint8_t *sha1)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddStringToObject(o, "path", m->path);
    cJSON_AddBoolToObject(o, "loaded", loaded);
    if (loaded) {
        cJSON_AddNumberToObject(o, "latent", m->vae.cfg.z);
        cJSON_AddNumberToObject(o, "beta", m->vae.cfg.beta);
        if (isnan(m->test_loss))
            cJSON_AddNullToObject(o, "test_loss");
        else
            cJSON_AddNumberToObject(o, "test_loss", m->test_loss);
    }
    cJSON_AddBoolToObject(o, "map_ready", ready);
    cJSON_AddNumberToObject(o, "points", ready ? (double)m->job.n : 0);
    cJSON *view = cJSON_AddObjectToObject(o, "view");
    float cxy[2] = {v->cx, v->cy};
    cJSON_AddItemToObject(view, "center", cJSON_CreateFloatArray(cxy, 2));
    cJSON_AddNumberToObject(view, "scale", v->scale);
    cJSON_AddItemToObject(view, "map_rect", rect_json(map));
    cJSON_AddNumberToObject(view, "pixel_scale", a->win.scale);
    cJSON_AddBoolToObject(view, "user_moved", v->user_moved);
    cJSON_AddItemToObject(o, "title_rect", rect_json(title_r));
    cJSON_AddItemToObject(o, "decode_rect", rect_json(dec_r));
    if (px && sha1) {
        char hex[41];
        for (int i = 0; i < 20; i++)
            snprintf(hex + 2 * i, 3, "%02x", sha1[i]);
        cJSON_AddStringToObject(o, "decoded_sha1", hex);
        cJSON *d = cJSON_AddArrayToObject(o, "decoded");
        for (int i = 0; i < VAE_X; i++)
            cJSON_AddItemToArray(d, cJSON_CreateNumber(px[i]));
        cJSON *zj = cJSON_AddArrayToObject(o, "z");
        for (int d2 = 0; d2 < a->z_dim; d2++)
            cJSON_AddItemToArray(zj, cJSON_CreateNumber(z[d2]));
    } else {
        cJSON_AddNullToObject(o, "decoded_sha1");
    }
    return o;
}

void app_compare_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const AppCompare *c = a->cmp;
    cJSON_AddBoolToObject(o, "on", c != NULL);
    if (!c)
        return;
    bool a_dec = a->decoded_valid && !a->z_dirty; /* A's decode is of the current z */
    cJSON_AddItemToObject(
        o, "left",
        side_json(a, &a->model, a->have_model, &a->view, a->r_map, c->r_title[0], c->r_dec[0],
                  a->map_ready && app_map_xy(a), a->z, a_dec ? a->decoded : NULL,
                  a_dec ? a->recent_sha1[(a->decodes - 1) % 32] : NULL));
    cJSON_AddItemToObject(o, "right",
                          side_json(a, &c->model, c->loaded, &c->view, c->r_map, c->r_title[1],
                                    c->r_dec[1], b_xy(c) != NULL, c->dec_z,
                                    c->dec_valid ? c->decoded : NULL,
                                    c->dec_valid ? c->sha1 : NULL));
    if (c->drawn_valid) { /* the Draw panel's digit as B reads it */
        int z = c->model.vae.cfg.z;
        cJSON *dj = cJSON_AddObjectToObject(o, "drawn");
        cJSON_AddItemToObject(dj, "mu", cJSON_CreateFloatArray(c->drawn_mu, z));
        cJSON_AddItemToObject(dj, "logvar", cJSON_CreateFloatArray(c->drawn_logvar, z));
        if (z == 2 || c->drawn_placed)
            cJSON_AddItemToObject(dj, "map_xy",
                                  cJSON_CreateFloatArray(z == 2 ? c->drawn_mu : c->drawn_xy, 2));
        else
            cJSON_AddNullToObject(dj, "map_xy");
    } else {
        cJSON_AddNullToObject(o, "drawn");
    }
    cJSON *ell = cJSON_AddArrayToObject(o, "ellipses"); /* q(z|x) on B's map, last frame */
    for (int i = 0; i < c->n_ell; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "source", c->ell[i].source);
        cJSON_AddItemToObject(e, "center", cJSON_CreateFloatArray(c->ell[i].center, 2));
        cJSON_AddItemToObject(e, "sigma", cJSON_CreateFloatArray(c->ell[i].sigma, 2));
        cJSON_AddItemToArray(ell, e);
    }
    cJSON_AddBoolToObject(o, "failed", c->failed);
    cJSON_AddStringToObject(o, "message", c->message);
    cJSON_AddNumberToObject(o, "hover", c->hover);
    cJSON_AddNumberToObject(o, "decodes", (double)c->decodes);
    if (c->pj_started) {
        cJSON_AddStringToObject(o, "projection", c->lay.method == PROJ_TSNE ? "tsne" : "pca");
        cJSON_AddNumberToObject(o, "projection_iter", c->lay.iter);
    }
}
