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
 * size without a shader of their own; the rings are its SDF circles. */
#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "app_impl.h"
#include "core/rng.h"
#include "core/timer.h"
#include "embed/place.h"

static const char *source_name[UNCERT_SOURCES] = {"hover", "draw", "nearest"};

/* O: the prior's rings on or off. */
bool app_uncert_key(App *a, UiKey k)
{
    if (ui_key_chorded(k) || k.code != 'o')
        return false; /* Ctrl+O and friends belong to others */
    a->uncert.rings = !a->uncert.rings;
    if (a->uncert.rings && a->map.loaded && a->cur.dim != 2)
        ui_toast(&a->ui, "Prior rings are drawn on Z = 2 maps only (this map is a projection)");
    return true;
}

/* Draws of q(z|x) for source s placed into the layout (Z > 2). */
static void place_samples(App *a, int s, UncertSource *u)
{
    uint64_t seq = a->map.lay.seq;
    int z = a->cur.dim;
    if (u->samples_valid && u->samples_seq == seq &&
        memcmp(u->samples_mu, u->mu, sizeof(float) * (size_t)z) == 0)
        return;
    Rng rng;
    rng_seed(&rng, 0x5eed0000u + (uint64_t)s * 100003u + (uint64_t)(u->index + 1));
    float zs[UNCERT_SAMPLES * VAE_MAX_Z];
    for (int i = 0; i < UNCERT_SAMPLES; i++)
        for (int k = 0; k < z; k++)
            zs[i * z + k] = u->mu[k] + u->sigma[k] * rng_normal(&rng);
    const ModelJob *j = &a->map.model.job;
    Err e = {0};
    double t0 = timer_now();
    u->samples_valid = place_points(j->mu, a->map.lay.y, j->n, j->z, zs, UNCERT_SAMPLES,
                                    PROJ_K, u->samples, 1, &e) == ERR_OK;
    a->uncert.place_seconds = timer_now() - t0;
    u->samples_seq = seq;
    memcpy(u->samples_mu, u->mu, sizeof(float) * (size_t)z);
}

/* Fill source s from map point i (hover, nearest). */
static void from_point(App *a, int s, int i)
{
    UncertSource *u = &a->uncert.src[s];
    const ModelJob *j = &a->map.model.job;
    int z = a->cur.dim;
    u->index = i;
    for (int k = 0; k < z; k++) {
        u->mu[k] = j->mu[(size_t)i * (size_t)z + (size_t)k];
        u->sigma[k] = expf(0.5f * j->logvar[(size_t)i * (size_t)z + (size_t)k]);
    }
    const float *xy = map_model_xy(&a->map);
    u->center[0] = xy[2 * i];
    u->center[1] = xy[2 * i + 1];
    u->on = true;
}

/* Which sources show this frame, their q(z|x), and (Z > 2) their samples. */
static void uncert_update(App *a)
{
    AppUncert *un = &a->uncert;
    for (int s = 0; s < UNCERT_SOURCES; s++)
        un->src[s].on = false;
    app_draw_sync(a); /* the drawing's mu and map position are current */
    if (!a->map.loaded || !map_model_xy(&a->map) || a->map.model.job.z != a->cur.dim)
        return;
    size_t n = a->map.model.job.n;
    if (a->map.hover >= 0 && (size_t)a->map.hover < n && a->map.hover != a->cur.nearest)
        from_point(a, UNCERT_HOVER, a->map.hover);
    if (a->cur.nearest >= 0 && (size_t)a->cur.nearest < n)
        from_point(a, UNCERT_NEAREST, a->cur.nearest);
    const AppDraw *d = &a->draw;
    if (app_draw_shown(a) && !d->empty && d->map_valid && d->enc_z == a->cur.dim) {
        UncertSource *u = &un->src[UNCERT_DRAW];
        u->index = -1;
        for (int k = 0; k < a->cur.dim; k++) {
            u->mu[k] = d->mu[k];
            u->sigma[k] = expf(0.5f * d->logvar[k]);
        }
        u->center[0] = d->map_xy[0];
        u->center[1] = d->map_xy[1];
        u->on = true;
    }
    if (a->cur.dim > 2)
        for (int s = 0; s < UNCERT_SOURCES; s++)
            if (un->src[s].on)
                place_samples(a, s, &un->src[s]);
}

static UiColor source_color(const App *a, int s)
{
    return s == UNCERT_NEAREST ? a->ui.theme.focus : ui_rgba(255, 255, 255, 255);
}

/* Axis-aligned ellipse with semi-axes rx, ry (map units) around (cx, cy),
 * on the map viewed through v in rect r. */
static void ellipse(App *a, const MapView *v, UiRect r, float cx, float cy, float rx, float ry,
                    float width, UiColor c)
{
    Ui *ui = &a->ui;
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

void view_uncert_ellipses_on(App *a, const MapModel *m, const float center[2],
                             const float sigma[2], bool focus)
{
    const MapView *v = &m->view;
    UiRect r = m->rect;
    UiColor c = focus ? a->ui.theme.focus : ui_rgba(255, 255, 255, 255), c2 = c;
    c2.a = 170;
    ellipse(a, v, r, center[0], center[1], 2 * sigma[0], 2 * sigma[1], 1.5f, c2);
    ellipse(a, v, r, center[0], center[1], sigma[0], sigma[1], 2.5f, c);
}

void view_uncert_rings_on(App *a, const MapModel *m)
{
    const MapView *v = &m->view;
    UiRect r = m->rect;
    Ui *ui = &a->ui;
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

void view_uncert_map(App *a)
{
    uncert_update(a);
    if (!a->map.loaded || !map_model_xy(&a->map))
        return;
    AppUncert *un = &a->uncert;
    if (un->rings && a->cur.dim == 2)
        view_uncert_rings_on(a, &a->map);
    Ui *ui = &a->ui;
    float line = (float)ui_text_height(ui, UI_FONT_BODY);
    for (int s = 0; s < UNCERT_SOURCES; s++) {
        const UncertSource *u = &un->src[s];
        if (!u->on)
            continue;
        if (a->cur.dim == 2) {
            view_uncert_ellipses_on(a, &a->map, u->center, u->sigma,
                                    s == UNCERT_NEAREST);
            continue;
        }
        UiColor c = source_color(a, s);
        if (!u->samples_valid)
            continue;
        float rad = fmaxf(2.5f, line * 0.14f);
        for (int i = 0; i < UNCERT_SAMPLES; i++) {
            float sx, sy;
            map_to_screen(a, u->samples[2 * i], u->samples[2 * i + 1], &sx, &sy);
            ui_draw_circle(ui, sx, sy, rad + 1.5f, 0, ui_rgba(0, 0, 0, 200));
            ui_draw_circle(ui, sx, sy, rad, 0, c);
        }
    }
}

void app_uncert_dump(const App *a, void *cjson_object)
{
    const AppUncert *un = &a->uncert;
    cJSON *o = cjson_object;
    bool rings = un->rings && a->map.loaded && a->cur.dim == 2 && map_model_xy(&a->map);
    cJSON_AddBoolToObject(o, "rings", un->rings);
    cJSON_AddBoolToObject(o, "rings_drawn", rings);
    if (rings)
        cJSON_AddItemToObject(o, "ring_radii", cJSON_CreateFloatArray((const float[]){1, 2, 3}, 3));
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
