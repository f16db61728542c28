/* view_uncert: q(z|x) made visible on the map (see view_draw.h). For the
 * hovered point, the drawn digit and the test image nearest to z:
 *   Z = 2: the 1-sigma and 2-sigma ellipses of N(mu, diag(sigma^2)),
 *          sigma = exp(logvar / 2); the posterior is diagonal, so the
 *          ellipses are axis-aligned with semi-axes k * sigma_1, k * sigma_2;
 *   Z > 2: UNCERT_SAMPLES draws z = mu + sigma * eps placed into the current
 *          layout by the projection's kNN placement (embed/place.h), the way
 *          the z marker is placed; a fixed seed per source, so the cloud
 *          holds still, and placed again only when mu or the layout change.
 * O adds the prior's rings at 1, 2, 3 sigma around the origin (Z = 2: the
 * map's axes are the latent axes; a projection has no such circles).
 *
 * The ellipses are polylines of the renderer's anti-aliased capsule lines
 * (a dark casing under a light line, like the walk's path), smooth at any
 * size without a shader of their own; the rings are its SDF circles.
 *
 * This file is the overlay itself: it reads the map through UncertPanelIn
 * and never the App (the App side is uncert_app.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "core/timer.h"
#include "embed/place.h"
#include "view_draw.h"

int uncert_panel_key(AppUncert *un, UiKey k)
{
    if (ui_key_chorded(k) || k.code != 'o')
        return 0; /* Ctrl+O and friends belong to others */
    un->rings = !un->rings;
    return UNCERT_ACT_RINGS;
}

/* Draws of q(z|x) for source s placed into the layout (Z > 2). */
static void place_samples(AppUncert *un, const UncertPanelIn *in, int s, UncertSource *u)
{
    int z = in->dim;
    if (u->samples_valid && u->samples_seq == in->lay_seq &&
        memcmp(u->samples_mu, u->mu, sizeof(float) * (size_t)z) == 0)
        return;
    Rng rng;
    rng_seed(&rng, 0x5eed0000u + (uint64_t)s * 100003u + (uint64_t)(u->index + 1));
    float zs[UNCERT_SAMPLES * VAE_MAX_Z];
    for (int i = 0; i < UNCERT_SAMPLES; i++)
        for (int k = 0; k < z; k++)
            zs[i * z + k] = u->mu[k] + u->sigma[k] * rng_normal(&rng);
    Err e = {0};
    double t0 = timer_now();
    u->samples_valid = place_points(in->mu, in->lay_y, in->n, z, zs, UNCERT_SAMPLES, in->place_k,
                                    u->samples, 1, &e) == ERR_OK;
    un->place_seconds = timer_now() - t0;
    u->samples_seq = in->lay_seq;
    memcpy(u->samples_mu, u->mu, sizeof(float) * (size_t)z);
}

/* Fill source s from map point i (hover, nearest). */
static void from_point(UncertSource *u, const UncertPanelIn *in, int i)
{
    int z = in->dim;
    u->index = i;
    for (int k = 0; k < z; k++) {
        u->mu[k] = in->mu[(size_t)i * (size_t)z + (size_t)k];
        u->sigma[k] = expf(0.5f * in->logvar[(size_t)i * (size_t)z + (size_t)k]);
    }
    u->center[0] = in->xy[2 * i];
    u->center[1] = in->xy[2 * i + 1];
    u->on = true;
}

void uncert_panel_update(AppUncert *un, const UncertPanelIn *in)
{
    for (int s = 0; s < UNCERT_SOURCES; s++)
        un->src[s].on = false;
    if (!in->xy || !in->same_z)
        return;
    size_t n = in->n;
    if (in->hover >= 0 && (size_t)in->hover < n && in->hover != in->nearest)
        from_point(&un->src[UNCERT_HOVER], in, in->hover);
    if (in->nearest >= 0 && (size_t)in->nearest < n)
        from_point(&un->src[UNCERT_NEAREST], in, in->nearest);
    if (in->drawing) {
        UncertSource *u = &un->src[UNCERT_DRAW];
        u->index = -1;
        for (int k = 0; k < in->dim; k++) {
            u->mu[k] = in->drawing->mu[k];
            u->sigma[k] = expf(0.5f * in->drawing->logvar[k]);
        }
        u->center[0] = in->drawing->map_xy[0];
        u->center[1] = in->drawing->map_xy[1];
        u->on = true;
    }
    if (in->dim > 2)
        for (int s = 0; s < UNCERT_SOURCES; s++)
            if (un->src[s].on)
                place_samples(un, in, s, &un->src[s]);
}

/* Axis-aligned ellipse with semi-axes rx, ry (map units) around (cx, cy),
 * on the map viewed through v in rect r. */
static void ellipse(Ui *ui, const MapView *v, UiRect r, float cx, float cy, float rx, float ry,
                    float width, UiColor c)
{
    float sx, sy;
    map_to_screen_in(v, r, cx, cy, &sx, &sy);
    float ax = rx * v->scale, ay = ry * v->scale;
    /* segments about 4 px long: smooth, and few for small ellipses */
    int n = (int)(6.2832f * fmaxf(ax, ay) / 4.0f);
    n = n < 24 ? 24 : n > 160 ? 160 : n;
    UiColor casing = ui_rgba(0, 0, 0, (uint8_t)(c.a * 3 / 4));
    for (int pass = 0; pass < 2; pass++) {
        float px = sx + ax, py = sy;
        for (int i = 1; i <= n; i++) {
            float t = 6.2831853f * (float)i / (float)n;
            float qx = sx + ax * cosf(t), qy = sy - ay * sinf(t);
            ui_draw_line(ui, px, py, qx, qy, pass ? width : width + 2.5f, pass ? c : casing);
            px = qx, py = qy;
        }
    }
}

void uncert_panel_ellipses(Ui *ui, const MapView *v, UiRect r, const float center[2],
                           const float sigma[2], bool focus)
{
    UiColor c = focus ? ui->theme.focus : ui_rgba(255, 255, 255, 255), c2 = c;
    c2.a = 170;
    ellipse(ui, v, r, center[0], center[1], 2 * sigma[0], 2 * sigma[1], 1.5f, c2);
    ellipse(ui, v, r, center[0], center[1], sigma[0], sigma[1], 2.5f, c);
}

void uncert_panel_rings(Ui *ui, const MapView *v, UiRect r)
{
    const UiTheme *t = &ui->theme;
    float ox, oy;
    map_to_screen_in(v, r, 0, 0, &ox, &oy);
    int pad = ui_pad(ui), th = ui_text_height(ui, UI_FONT_BODY);
    UiColor ring = t->high_contrast ? ui_rgba(255, 255, 255, 240) : ui_rgba(236, 238, 241, 200);
    for (int k = 1; k <= 3; k++) {
        float rad = (float)k * v->scale;
        ui_draw_circle(ui, ox, oy, rad, 4.0f, ui_rgba(0, 0, 0, 110));
        ui_draw_circle(ui, ox, oy, rad, 2.0f, ring);
    }
    /* labels on the rings at 45 degrees up and right, on a dark tag */
    for (int k = 1; k <= 3; k++) {
        char lab[8];
        snprintf(lab, sizeof lab, "%d\xcf\x83", k);
        float d = (float)k * v->scale * 0.70710678f;
        int w = ui_text_width(ui, UI_FONT_BODY, lab);
        UiRect box = ui_rect((int)(ox + d) - w / 2 - pad / 2, (int)(oy - d) - th / 2, w + pad, th);
        ui_draw_rect(ui, box, ui_rgba(0, 0, 0, 200), (float)pad / 2);
        ui_draw_text(ui, UI_FONT_BODY, box.x + pad / 2, box.y, t->text, lab);
    }
}

void uncert_panel_map(Ui *ui, const AppUncert *un, const UncertPanelIn *in)
{
    if (!in->xy)
        return;
    if (un->rings && in->dim == 2)
        uncert_panel_rings(ui, in->view, in->rect);
    float line = (float)ui_text_height(ui, UI_FONT_BODY);
    for (int s = 0; s < UNCERT_SOURCES; s++) {
        const UncertSource *u = &un->src[s];
        if (!u->on)
            continue;
        if (in->dim == 2) {
            uncert_panel_ellipses(ui, in->view, in->rect, u->center, u->sigma,
                                  s == UNCERT_NEAREST);
            continue;
        }
        UiColor c = s == UNCERT_NEAREST ? ui->theme.focus : ui_rgba(255, 255, 255, 255);
        if (!u->samples_valid)
            continue;
        float rad = fmaxf(2.5f, line * 0.14f);
        for (int i = 0; i < UNCERT_SAMPLES; i++) {
            float sx, sy;
            map_to_screen_in(in->view, in->rect, u->samples[2 * i], u->samples[2 * i + 1], &sx,
                             &sy);
            ui_draw_circle(ui, sx, sy, rad + 1.5f, 0, ui_rgba(0, 0, 0, 200));
            ui_draw_circle(ui, sx, sy, rad, 0, c);
        }
    }
}
