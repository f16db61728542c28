/* view_map: the latent map. Points coloured by label (drawn by gfx through a
 * custom command), a grid with ticks on z1/z2, a legend, the marker at the
 * current z, hover tooltips with the real image. Left click/drag sets z
 * (Z = 2), right drag pans, the wheel zooms around the mouse, Home refits.
 * Screen y grows downward, latent z2 upward. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "axis.h"

void map_to_screen_in(const MapView *v, UiRect r, float x, float y, float *sx, float *sy)
{
    *sx = (float)r.x + (float)r.w * 0.5f + (x - v->cx) * v->scale;
    *sy = (float)r.y + (float)r.h * 0.5f - (y - v->cy) * v->scale;
}

void map_from_screen_in(const MapView *v, UiRect r, float sx, float sy, float *x, float *y)
{
    *x = v->cx + (sx - (float)r.x - (float)r.w * 0.5f) / v->scale;
    *y = v->cy - (sy - (float)r.y - (float)r.h * 0.5f) / v->scale;
}

void map_to_screen(const App *a, float x, float y, float *sx, float *sy)
{
    map_to_screen_in(&a->view, a->r_map, x, y, sx, sy);
}

void map_from_screen(const App *a, float sx, float sy, float *x, float *y)
{
    map_from_screen_in(&a->view, a->r_map, sx, sy, x, y);
}

/* Limits of a drawable view. The centre stays well inside float's range, so
 * that the view's edges (centre +- half a window at the smallest scale) do
 * too; the scale keeps a pixel at least 4 float steps wide at the centre's
 * magnitude, or points and ticks could not be placed between pixels. */
#define MAP_MAX_COORD 1e30f
#define MAP_MIN_SCALE 1e-30f
#define MAP_MAX_SCALE 1e6f

void map_clamp_view(MapView *v)
{
    v->cx = isfinite(v->cx) ? fminf(fmaxf(v->cx, -MAP_MAX_COORD), MAP_MAX_COORD) : 0;
    v->cy = isfinite(v->cy) ? fminf(fmaxf(v->cy, -MAP_MAX_COORD), MAP_MAX_COORD) : 0;
    float m = fmaxf(fmaxf(fabsf(v->cx), fabsf(v->cy)), 1.0f);
    float ulp = nextafterf(m, INFINITY) - m;
    float hi = fminf(MAP_MAX_SCALE, 1.0f / (4.0f * ulp));
    if (!(v->scale >= MAP_MIN_SCALE)) /* NaN too */
        v->scale = MAP_MIN_SCALE;
    v->scale = fminf(v->scale, hi);
}

void map_fit_view(MapView *v, UiRect r, const float *xy, size_t n, float lo[2], float hi[2])
{
    lo[0] = lo[1] = -4;
    hi[0] = hi[1] = 4;
    if (xy && n > 0) {
        lo[0] = lo[1] = FLT_MAX;
        hi[0] = hi[1] = -FLT_MAX;
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 2; k++) {
                float x = xy[i * 2 + (size_t)k];
                lo[k] = x < lo[k] ? x : lo[k];
                hi[k] = x > hi[k] ? x : hi[k];
            }
    }
    v->cx = lo[0] / 2 + hi[0] / 2; /* halves first: a box near FLT_MAX does not overflow */
    v->cy = lo[1] / 2 + hi[1] / 2;
    float sx = (float)r.w / fmaxf(hi[0] - lo[0], 1e-3f);
    float sy = (float)r.h / fmaxf(hi[1] - lo[1], 1e-3f);
    v->scale = 0.9f * fminf(sx, sy); /* a margin around the data */
    v->fitted = xy != NULL;
    v->user_moved = false;
    map_clamp_view(v);
}

/* Right-drag: move view v by a mouse motion of (dx, dy) pixels. */
void map_pan(MapView *v, float dx, float dy)
{
    v->cx -= dx / v->scale;
    v->cy += dy / v->scale;
    v->user_moved = true;
    map_clamp_view(v);
}

void map_reset_view(App *a)
{
    float lo[2], hi[2];
    const float *xy = app_map_xy(a); /* Z > 2: the projection's layout */
    map_fit_view(&a->view, a->r_map, xy, xy ? a->model.job.n : 0, lo, hi);
    if (xy && a->z_dim > 2)
        app_proj_fit_beside_card(a, lo, hi);
    a->view.fitted = xy != NULL;
    a->view.user_moved = false;
}

static void tick_label(char *buf, size_t n, double v, double step)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-4);
    if (fabs(v) >= 1e6 || dec > 9) /* only where a clamped view lands far out */
        snprintf(buf, n, "%.6g", v);
    else
        snprintf(buf, n, "%.*f", dec, fabs(v) < step * 1e-3 ? 0.0 : v);
}

/* The z1/z2 grid with ticks of view v over the map rect r (Z = 2). */
void map_draw_grid_in(App *a, UiRect r, const MapView *v)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), sh = ui_text_height(ui, UI_FONT_SMALL);
    double step = axis_step_at_least(ui_text_height(ui, UI_FONT_BODY) * 5.0 / v->scale);
    float x0, y0, x1, y1;
    map_from_screen_in(v, r, (float)r.x, (float)(r.y + r.h), &x0, &y0);
    map_from_screen_in(v, r, (float)(r.x + r.w), (float)r.y, &x1, &y1);
    UiColor zero = t->axis;
    zero.a = 110;
    char buf[32];
    double tick[AXIS_MAX_TICKS];
    int n = axis_ticks(x0, x1, step, tick, AXIS_MAX_TICKS);
    for (int i = 0; i < n; i++) {
        float sx, sy;
        map_to_screen_in(v, r, (float)tick[i], 0, &sx, &sy);
        bool z = fabs(tick[i]) < step * 1e-3;
        ui_draw_rect(ui, ui_rect((int)sx, r.y, 1, r.h), z ? zero : t->grid, 0);
        tick_label(buf, sizeof buf, tick[i], step);
        int w = ui_text_width(ui, UI_FONT_SMALL, buf), lx = (int)sx - w / 2;
        /* a label the map's edge would cut ("-6" shown as "6") is left out */
        if (lx >= r.x + pad / 2 && lx + w <= r.x + r.w - pad / 2)
            ui_draw_text(ui, UI_FONT_SMALL, lx, r.y + r.h - sh - pad / 2, t->text_dim, buf);
    }
    n = axis_ticks(y0, y1, step, tick, AXIS_MAX_TICKS);
    for (int i = 0; i < n; i++) {
        float sx, sy;
        map_to_screen_in(v, r, 0, (float)tick[i], &sx, &sy);
        bool z = fabs(tick[i]) < step * 1e-3;
        ui_draw_rect(ui, ui_rect(r.x, (int)sy, r.w, 1), z ? zero : t->grid, 0);
        tick_label(buf, sizeof buf, tick[i], step);
        int ly = (int)sy - sh / 2;
        if (ly >= r.y && ly + sh <= r.y + r.h - sh - pad / 2) /* clear of the x labels' row */
            ui_draw_text(ui, UI_FONT_SMALL, r.x + pad / 2, ly, t->text_dim, buf);
    }
    /* axis names at the far ends */
    int bh = ui_text_height(ui, UI_FONT_BODY);
    int w = ui_text_width(ui, UI_FONT_BODY, "z1 \xe2\x86\x92");
    ui_draw_text(ui, UI_FONT_BODY, r.x + r.w - w - pad, r.y + r.h - sh - bh - pad, t->text,
                 "z1 \xe2\x86\x92");
    ui_draw_text(ui, UI_FONT_BODY, r.x + 3 * pad + ui_text_width(ui, UI_FONT_SMALL, "-0.0"),
                 r.y + pad, t->text, "\xe2\x86\x91 z2");
}

static void draw_grid(App *a)
{
    if (a->z_dim != 2)
        app_proj_axes(a); /* projection coordinates have no units: names only */
    else
        map_draw_grid_in(a, a->r_map, &a->view);
}

static void draw_legend(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), lh = ui_text_height(ui, UI_FONT_BODY) + pad / 2;
    int namew = 0;
    for (int k = 0; k < 10; k++) {
        int w = ui_text_width(ui, UI_FONT_BODY, app_class_name(a, k));
        namew = w > namew ? w : namew;
    }
    int dot = lh / 2;
    int w = pad * 3 + dot + namew, h = 10 * lh + pad * 2;
    UiRect box = ui_rect(a->r_map.x + a->r_map.w - w - pad, a->r_map.y + pad, w, h);
    UiColor bg = t->card;
    bg.a = 215;
    ui_draw_rect(ui, box, bg, (float)pad / 2);
    ui_draw_frame(ui, box, t->border, 1, (float)pad / 2);
    a->highlight = -1;
    for (int k = 0; k < 10; k++) {
        UiRect row = ui_rect(box.x, box.y + pad + k * lh, box.w, lh);
        if (ui_rect_contains(row, ui->in.mouse_x, ui->in.mouse_y) && !ui->active) {
            a->highlight = k;
            UiColor hl = t->button_hot;
            ui_draw_rect(ui, row, hl, 0);
        }
        ui_draw_circle(ui, (float)(row.x + pad + dot / 2), (float)row.y + (float)lh / 2,
                       (float)dot / 2, 0, app_label_ui_color(a, k));
        ui_draw_text(ui, UI_FONT_BODY, row.x + 2 * pad + dot, row.y + pad / 4, t->text,
                     app_class_name(a, k));
    }
}

static void draw_marker(App *a)
{
    float mx = a->z[0], my = a->z[1];
    if (!a->have_model || (a->z_dim != 2 && !app_proj_marker(a, &mx, &my)))
        return;
    float sx, sy;
    map_to_screen(a, mx, my, &sx, &sy);
    map_draw_marker_at(a, sx, sy);
}

/* The z marker's glyph (ring and crosshair ticks) centred at screen (sx, sy). */
void map_draw_marker_at(App *a, float sx, float sy)
{
    Ui *ui = &a->ui;
    float r = (float)ui_text_height(ui, UI_FONT_BODY) * 0.55f;
    UiColor dark = ui_rgba(0, 0, 0, 200);
    ui_draw_circle(ui, sx, sy, r, 5, dark);
    ui_draw_circle(ui, sx, sy, r, 2.5f, ui->theme.focus);
    ui_draw_line(ui, sx - r * 1.9f, sy, sx - r * 1.2f, sy, 2.5f, ui->theme.focus);
    ui_draw_line(ui, sx + r * 1.2f, sy, sx + r * 1.9f, sy, 2.5f, ui->theme.focus);
    ui_draw_line(ui, sx, sy - r * 1.9f, sx, sy - r * 1.2f, 2.5f, ui->theme.focus);
    ui_draw_line(ui, sx, sy + r * 1.2f, sx, sy + r * 1.9f, 2.5f, ui->theme.focus);
}

static void draw_message(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    UiRect r = a->r_map;
    int em = ui_text_height(ui, UI_FONT_BODY);
    int w = r.w * 9 / 10 < em * 36 ? r.w * 9 / 10 : em * 36;
    int th = ui_text_wrapped_height(ui, UI_FONT_BODY, w - 4 * pad, a->message);
    UiRect box = ui_rect(r.x + (r.w - w) / 2, r.y + (r.h - th) / 2 - 2 * pad, w, th + 4 * pad);
    UiRect inner = ui_rect(box.x + 2 * pad, box.y + 2 * pad, box.w - 4 * pad, th);
    ui_draw_rect(ui, box, t->card, (float)pad);
    ui_draw_frame(ui, box, t->accent, 2, (float)pad);
    ui_draw_text_wrapped(ui, UI_FONT_BODY, inner, t->text, a->message);
}

/* Wheel zoom of view v over rect r keeping the latent point under the
 * mouse fixed. */
void map_zoom_at(MapView *v, UiRect r, float notches, int mx, int my)
{
    float x, y;
    map_from_screen_in(v, r, (float)mx, (float)my, &x, &y);
    float s = v->scale * powf(1.2f, notches);
    float lo = fminf(1e-2f, v->scale); /* a fit to a huge cloud may sit below it */
    v->scale = s < lo ? lo : s;
    map_clamp_view(v);
    float nx, ny;
    map_from_screen_in(v, r, (float)mx, (float)my, &nx, &ny);
    v->cx += x - nx;
    v->cy += y - ny;
    v->user_moved = true;
    map_clamp_view(v); /* the centre moved: its float step too */
}

/* The point of xy (n, 2) under the mouse on view v over rect r, -1 none. */
int map_hover_point(const App *a, const MapView *v, UiRect r, const float *xy, size_t n, int mx,
                    int my)
{
    float x, y;
    map_from_screen_in(v, r, (float)mx, (float)my, &x, &y);
    float rad = (float)ui_text_height(&a->ui, UI_FONT_BODY) * 0.4f / v->scale;
    float best = rad * rad;
    int hit = -1;
    for (size_t i = 0; i < n; i++) {
        float dx = xy[2 * i] - x, dy = xy[2 * i + 1] - y;
        float d = dx * dx + dy * dy;
        if (d < best)
            best = d, hit = (int)i;
    }
    return hit;
}

static void interact(App *a)
{
    Ui *ui = &a->ui;
    UiRect r = a->r_map;
    int mx = ui->in.mouse_x, my = ui->in.mouse_y;
    /* the projection card's widgets get the clicks over it */
    bool card = a->z_dim > 2 && ui_rect_contains(a->proj.card, mx, my);
    int res = ui_control(ui, ui_id_str(ui, "map"), card ? ui_rect(0, 0, 0, 0) : r,
                         UI_MOUSE_LEFT | UI_MOUSE_RIGHT);
    if (res & UI_PRESS) {
        a->pan_x = (float)mx;
        a->pan_y = (float)my;
    }
    if ((res & UI_ACTIVE) && (ui->active_button & UI_MOUSE_RIGHT)) {
        map_pan(&a->view, (float)mx - a->pan_x, (float)my - a->pan_y);
        a->pan_x = (float)mx;
        a->pan_y = (float)my;
    } else if ((res & UI_ACTIVE) && (ui->active_button & UI_MOUSE_LEFT)) {
        float x, y;
        map_from_screen(a, (float)mx, (float)my, &x, &y);
        app_z_from_map(a, x, y);
    }
    if ((res & UI_HOVER) && ui->in.scroll != 0) {
        map_zoom_at(&a->view, r, ui->in.scroll, mx, my);
        ui->in.scroll = 0;
    }
    a->hover = -1;
    if ((res & UI_HOVER) && !(res & UI_ACTIVE) && app_map_xy(a))
        a->hover = map_hover_point(a, &a->view, r, app_map_xy(a), a->model.job.n, mx, my);
}

void view_map(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    UiRect r = a->r_map;
    bool map = app_map_xy(a) != NULL;
    ui_draw_rect(ui, r, t->panel, 0);
    ui_draw_frame(ui, r, t->border, t->high_contrast ? 2 : 1, 0);
    if (!map) {
        draw_message(a);
        a->hover = -1;
        return;
    }
    if (a->z_dim > 2)
        app_proj_card(a);
    interact(a);
    ui_clip(ui, r);
    draw_grid(a);
    ui_draw_custom(ui, r, APP_CUSTOM_POINTS);
    view_walk_map(a);
    draw_marker(a);
    view_uncert_map(a); /* on top of the z marker: q(z|x) of the nearest image */
    view_draw_map(a);
    ui_clip_reset(ui);
    if (app_legend_visible(a)) /* L hides it (presenter mode) */
        draw_legend(a);
    else
        a->highlight = -1;
    if (a->z_dim > 2)
        view_proj_controls(a);
    if (a->hover >= 0 && a->z_dim > 2) {
        int lab = a->model.job.labels[a->hover];
        char tip[256];
        snprintf(tip, sizeof tip, "%s\n%s image #%zu", app_class_name(a, lab),
                 (size_t)a->hover < a->model.job.ds.test.n ? "test" : "train",
                 (size_t)a->hover < a->model.job.ds.test.n
                     ? (size_t)a->hover
                     : (size_t)a->hover - a->model.job.ds.test.n);
        ui_tooltip(ui, tip, a->img_hover);
    } else if (a->hover >= 0) {
        const ModelJob *j = &a->model.job;
        int lab = j->labels[a->hover];
        char tip[256];
        snprintf(tip, sizeof tip, "%s\ntest image #%d\nz = (%.2f, %.2f)", app_class_name(a, lab),
                 a->hover, (double)j->mu[2 * a->hover], (double)j->mu[2 * a->hover + 1]);
        if ((size_t)a->hover >= j->ds.test.n)
            snprintf(tip, sizeof tip, "%s\ntrain image #%zu\nz = (%.2f, %.2f)",
                     app_class_name(a, lab), (size_t)a->hover - j->ds.test.n,
                     (double)j->mu[2 * a->hover], (double)j->mu[2 * a->hover + 1]);
        ui_tooltip(ui, tip, a->img_hover);
    }
}

float map_point_alpha(const App *a)
{
    return a->model.job.n > 20000 ? 0.6f : 0.85f; /* dense clouds need more see-through */
}

void map_draw_points(App *a, UiRect r)
{
    map_draw_points_with(a, &a->pts, &a->view, a->model.job.n, r);
}

/* Draw the cloud pts (n points) with view v into r, in the map's style. */
void map_draw_points_with(App *a, GfxPoints *pts, const MapView *v, size_t n, UiRect r)
{
    GfxPointsStyle st;
    st.cx = v->cx;
    st.cy = v->cy;
    st.scale = v->scale;
    float dense = n > 20000 ? 0.75f : 1.0f;
    st.size = fmaxf(2.0f, (float)ui_text_height(&a->ui, UI_FONT_BODY) * 0.2f * dense);
    st.alpha = map_point_alpha(a);
    st.highlight = a->highlight;
    for (int k = 0; k < 10; k++)
        app_label_color(a, k, st.colors[k]);
    gfx_points_draw(pts, &st, r, a->win.ph);
}
