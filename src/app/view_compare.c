/* view_compare: two models side by side (compare.h), drawn: both titles,
 * B's map through the map pane A's uses with B's own overlays (the drawn
 * digit, q(z|x) at Z = 2), and the decoder panel with both decodes. B's
 * model and its life are compare.c's. Thread rule: main thread. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "mappane.h"
#include "textfit.h"

/* ---- drawing ---- */

/* proj: how the map was projected, or NULL (Z = 2, or A: its own card says it). */
static void title(App *a, UiRect r, const char *tag, const Model *m, bool loaded, const char *proj)
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
                 textfit_elide(ui, UI_FONT_TITLE, line, r.w, fit, sizeof fit));
    if (loaded && !isnan(m->test_loss))
        snprintf(line, sizeof line, "test loss %.1f  \xc2\xb7  %s", m->test_loss, m->name);
    else if (loaded) /* e.g. a study file from before the study kept its test loss */
        snprintf(line, sizeof line, "%s  \xc2\xb7  no test loss in the file", m->name);
    else
        snprintf(line, sizeof line, "%s", m->name);
    ui_draw_text(ui, UI_FONT_SMALL, r.x, r.y + ui_text_height(ui, UI_FONT_TITLE), t->text_dim,
                 textfit_elide(ui, UI_FONT_SMALL, line, r.w, fit, sizeof fit));
}

/* The Draw panel's digit on B's map: encoded with B's weights whenever the
 * drawing changes (one image, tens of microseconds), placed as B's z marker
 * is (once per layout). False: no drawing, or no place for it yet. */
static bool b_drawn(App *a, AppCompare *c, float *x, float *y)
{
    const AppDraw *d = &a->draw;
    MapModel *m = &c->map;
    if (!app_draw_shown(a) || d->empty || !m->loaded) {
        c->drawn_valid = false;
        return false;
    }
    if (!c->drawn_valid || memcmp(c->drawn_sha1, d->image_sha1, sizeof c->drawn_sha1) != 0) {
        vae_encode(&m->model.vae, d->image, 1, c->drawn_mu, c->drawn_logvar);
        memcpy(c->drawn_sha1, d->image_sha1, sizeof c->drawn_sha1);
        c->drawn_valid = true;
        c->drawn_placed = false;
    }
    if (!c->drawn_placed || c->drawn_seq != m->lay.seq) {
        c->drawn_placed = map_model_place(m, c->drawn_mu, c->drawn_xy);
        c->drawn_seq = m->lay.seq;
    }
    *x = c->drawn_xy[0];
    *y = c->drawn_xy[1];
    return c->drawn_placed;
}

/* q(z|x) on B's map (Z = 2), as A's map shows it: B's reading of its
 * hovered point and of the drawn digit, and the prior's rings when O is on.
 * Side by side, the sigmas are where beta shows: wide at beta = 10, tiny at
 * beta = 0. */
static void b_uncert(App *a, AppCompare *c)
{
    const ModelJob *j = &c->map.model.job;
    c->n_ell = 0;
    if (a->uncert.rings)
        uncert_panel_rings(&a->ui, &c->map.view, c->map.rect);
    const float *mu[2] = {NULL, NULL}, *lv[2] = {NULL, NULL};
    if (c->map.hover >= 0 && (size_t)c->map.hover < j->n) {
        mu[0] = j->mu + 2 * (size_t)c->map.hover;
        lv[0] = j->logvar + 2 * (size_t)c->map.hover;
    }
    if (c->drawn_valid)
        mu[1] = c->drawn_mu, lv[1] = c->drawn_logvar;
    for (int s = 0; s < 2; s++) {
        if (!mu[s])
            continue;
        float sigma[2] = {expf(0.5f * lv[s][0]), expf(0.5f * lv[s][1])};
        uncert_panel_ellipses(&a->ui, &c->map.view, c->map.rect, mu[s], sigma, false);
        c->ell[c->n_ell].source = s ? "drawn" : "hover";
        memcpy(c->ell[c->n_ell].center, mu[s], sizeof c->ell[0].center);
        memcpy(c->ell[c->n_ell].sigma, sigma, sizeof sigma);
        c->n_ell++;
    }
}

void view_compare(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return;
    MapModel *m = &c->map;
    char proj[64] = "";
    if (m->loaded && m->model.vae.cfg.z > 2 && map_model_xy(m)) {
        if (m->lay.method != PROJ_TSNE)
            snprintf(proj, sizeof proj, "PCA");
        else if (m->lay.iter < m->lay.max_iter)
            snprintf(proj, sizeof proj, "t-SNE %d/%d", m->lay.iter, m->lay.max_iter);
        else
            snprintf(proj, sizeof proj, "t-SNE");
    }
    title(a, a->layout.title[0], "A", &a->map.model, a->map.loaded, NULL);
    title(a, a->layout.title[1], "B", &m->model, m->loaded, proj[0] ? proj : NULL);
    MapPaneIn in = {.id = "compare-map", .points_id = APP_CUSTOM_POINTS_B};
    float click[2], z[VAE_MAX_Z];
    bool clicked;
    if (!map_pane_begin(a, m, &in, click, &clicked)) {
        c->n_ell = 0;
        return;
    }
    /* a click on B's map sets the one shared z */
    if (clicked && a->cur.dim == m->model.job.z && map_model_invert(m, click, z))
        app_set_z(a, z);
    float dx, dy;
    bool drawn = b_drawn(a, c, &dx, &dy);
    c->n_ell = 0;
    if (m->model.job.z == 2)
        b_uncert(a, c);
    if (a->cur.dim == m->model.job.z)
        map_pane_marker(a, m, a->cur.z);
    if (drawn) {
        float sx, sy;
        map_to_screen_in(&m->view, m->rect, dx, dy, &sx, &sy);
        draw_panel_marker(&a->ui, sx, sy);
    }
    map_pane_end(a, m);
}

/* ---- the decoder panel ---- */

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
                 textfit_elide(ui, UI_FONT_BODY, line, r.w, fit, sizeof fit));
    ui_draw_text(ui, UI_FONT_SMALL, r.x, y + ui_text_height(ui, UI_FONT_BODY), t->text_dim,
                 textfit_elide(ui, UI_FONT_SMALL, m->name, r.w, fit, sizeof fit));
}

bool view_compare_decoder(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return false;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    ui_panel_begin(ui, "Decoders  \xc2\xb7  same z", a->layout.decoder, false);
    int bw = ui->lay.body.w;
    int img = (bw - pad) / 2 < a->layout.dec_img ? (bw - pad) / 2 : a->layout.dec_img;
    UiRect row = ui_row(ui, img);
    int x0 = row.x + (row.w - 2 * img - pad) / 2;
    c->r_dec[0] = ui_rect(x0, row.y, img, img);
    c->r_dec[1] = ui_rect(x0 + img + pad, row.y, img, img);
    decode_slot(a, c->r_dec[0], a->img_decoded, a->cur.decoded_valid, "A", &a->map.model,
                a->map.loaded);
    decode_slot(a, c->r_dec[1], c->img, c->dec_valid, "B", &c->map.model, c->map.loaded);
    int lh = ui_text_height(ui, UI_FONT_BODY) + ui_text_height(ui, UI_FONT_SMALL) + pad / 2;
    UiRect info = ui_row(ui, lh + ui_text_height(ui, UI_FONT_BODY));
    if (a->map.loaded) {
        char buf[96];
        if (c->map.loaded && c->map.model.vae.cfg.z != a->cur.dim)
            snprintf(buf, sizeof buf, "B (Z = %d) cannot decode A's z (Z = %d)",
                     c->map.model.vae.cfg.z, a->cur.dim);
        else if (a->cur.dim == 2)
            snprintf(buf, sizeof buf, "z = (%.2f, %.2f)", (double)a->cur.z[0],
                     (double)a->cur.z[1]);
        else
            snprintf(buf, sizeof buf, "the same z in both (%d dimensions)", a->cur.dim);
        char fit[128];
        ui_draw_text(ui, UI_FONT_BODY, x0, info.y + lh, t->text,
                     textfit_elide(ui, UI_FONT_BODY, buf, 2 * img + pad, fit, sizeof fit));
    }
    ui_panel_end(ui);
    return true;
}
