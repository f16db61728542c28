/* mappane: see mappane.h. */
#include <math.h>
#include <stdio.h>

#include "app_impl.h"
#include "axis.h"
#include "mappane.h"
#include "explore/pixels.h"

static void tick_label(char *buf, size_t n, double v, double step)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-4);
    if (fabs(v) >= 1e6 || dec > 9) /* only where a clamped view lands far out */
        snprintf(buf, n, "%.6g", v);
    else
        snprintf(buf, n, "%.*f", dec, fabs(v) < step * 1e-3 ? 0.0 : v);
}

/* The z1/z2 grid with ticks of view v over the map rect r (Z = 2). */
void map_pane_grid(App *a, const MapModel *m)
{
    const MapView *v = &m->view;
    UiRect r = m->rect;
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

/* The z marker's glyph (ring and crosshair ticks) centred at screen (sx, sy). */
static void map_draw_marker_at(App *a, float sx, float sy)
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

static void draw_message(App *a, const MapModel *m)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    UiRect r = m->rect;
    int em = ui_text_height(ui, UI_FONT_BODY);
    int w = r.w * 9 / 10 < em * 36 ? r.w * 9 / 10 : em * 36;
    int th = ui_text_wrapped_height(ui, UI_FONT_BODY, w - 4 * pad, m->message);
    UiRect box = ui_rect(r.x + (r.w - w) / 2, r.y + (r.h - th) / 2 - 2 * pad, w, th + 4 * pad);
    UiRect inner = ui_rect(box.x + 2 * pad, box.y + 2 * pad, box.w - 4 * pad, th);
    ui_draw_rect(ui, box, t->card, (float)pad);
    ui_draw_frame(ui, box, t->accent, 2, (float)pad);
    ui_draw_text_wrapped(ui, UI_FONT_BODY, inner, t->text, m->message);
}

/* The point of xy (n, 2) under the mouse on view v over rect r, -1 none. */
static int map_hover_point(const App *a, const MapView *v, UiRect r, const float *xy, size_t n,
                           int mx, int my)
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

/* Projection axes have no units: their names only. */
static void draw_axes(App *a, const MapModel *m)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    UiRect r = m->rect;
    int pad = ui_pad(ui), bh = ui_text_height(ui, UI_FONT_BODY);
    bool tsne = m->lay.method == PROJ_TSNE;
    const char *xl = tsne ? "t-SNE 1 \xe2\x86\x92" : "PC1 \xe2\x86\x92";
    const char *yl = tsne ? "\xe2\x86\x91 t-SNE 2" : "\xe2\x86\x91 PC2";
    int w = ui_text_width(ui, UI_FONT_BODY, xl);
    ui_draw_text(ui, UI_FONT_BODY, r.x + r.w - w - pad, r.y + r.h - bh - pad, t->text, xl);
    ui_draw_text(ui, UI_FONT_BODY, r.x + pad, r.y + pad, t->text, yl);
}

/* Right-drag pans, the wheel zooms, a left press or drag is a click at a
 * map position; the point under the mouse becomes m->hover. */
static bool interact(App *a, MapModel *m, const char *id, UiRect dead, float click[2])
{
    Ui *ui = &a->ui;
    UiRect r = m->rect;
    int mx = ui_mouse(ui)->mouse_x, my = ui_mouse(ui)->mouse_y;
    bool clicked = false;
    /* widgets over the map (the projection card) get the clicks over them */
    bool over = ui_rect_contains(dead, mx, my);
    int res = ui_control(ui, ui_id_str(ui, id), over ? ui_rect(0, 0, 0, 0) : r,
                         UI_MOUSE_LEFT | UI_MOUSE_RIGHT);
    if (res & UI_PRESS) {
        m->pan_x = (float)mx;
        m->pan_y = (float)my;
    }
    if ((res & UI_ACTIVE) && (ui->active_button & UI_MOUSE_RIGHT)) {
        map_pan(&m->view, (float)mx - m->pan_x, (float)my - m->pan_y);
        m->pan_x = (float)mx;
        m->pan_y = (float)my;
    } else if ((res & UI_ACTIVE) && (ui->active_button & UI_MOUSE_LEFT)) {
        map_from_screen_in(&m->view, r, (float)mx, (float)my, &click[0], &click[1]);
        clicked = true;
    }
    if ((res & UI_HOVER) && ui_mouse(ui)->scroll != 0) {
        map_zoom_at(&m->view, r, ui_mouse(ui)->scroll, mx, my);
        ui_take_scroll(ui);
    }
    m->hover = -1;
    if ((res & UI_HOVER) && !(res & UI_ACTIVE))
        m->hover = map_hover_point(a, &m->view, r, map_model_xy(m), m->model.job.n, mx, my);
    return clicked;
}

bool map_pane_begin(App *a, MapModel *m, const MapPaneIn *in, float click[2], bool *clicked)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    UiRect r = m->rect;
    *clicked = false;
    ui_draw_rect(ui, r, t->panel, 0);
    ui_draw_frame(ui, r, t->border, t->high_contrast ? 2 : 1, 0);
    if (!map_model_xy(m) || m->failed) {
        draw_message(a, m);
        m->hover = -1;
        return false;
    }
    *clicked = interact(a, m, in->id, in->dead, click);
    ui_clip(ui, r);
    if (m->model.job.z == 2)
        map_pane_grid(a, m);
    else
        draw_axes(a, m);
    ui_draw_custom(ui, r, in->points_id);
    return true;
}

bool map_pane_marker(App *a, const MapModel *m, const float *z)
{
    float xy[2], sx, sy;
    if (!map_model_place(m, z, xy))
        return false;
    map_to_screen_in(&m->view, m->rect, xy[0], xy[1], &sx, &sy);
    map_draw_marker_at(a, sx, sy);
    return true;
}

void map_pane_end(App *a, const MapModel *m)
{
    ui_clip_reset(&a->ui);
    if (m->hover < 0)
        return;
    const ModelJob *j = &m->model.job;
    size_t i = (size_t)m->hover, nt = j->ds.test.n;
    char tip[256];
    int k = snprintf(tip, sizeof tip, "%s\n%s image #%zu", app_class_name(a, j->labels[i]),
                     i < nt ? "test" : "train", i < nt ? i : i - nt);
    if (j->z == 2 && k > 0 && (size_t)k < sizeof tip)
        snprintf(tip + k, sizeof tip - (size_t)k, "\nz = (%.2f, %.2f)", (double)j->mu[2 * i],
                 (double)j->mu[2 * i + 1]);
    ui_tooltip(&a->ui, tip, m->img_hover);
}

void map_pane_upload_hover(App *a, MapModel *m)
{
    if (m->hover < 0 || m->hover == m->hover_shown || !m->ready ||
        (size_t)m->hover >= m->model.job.n)
        return;
    uint8_t px[VAE_X];
    pixels_to_bytes(model_point_image(&m->model.job, (size_t)m->hover), px, VAE_X);
    gfx_image_set(&a->gr, m->img_hover, px);
    m->hover_shown = m->hover;
}

void map_pane_points(App *a, MapModel *m, UiRect r)
{
    if (!m->pts_ok)
        return;
    const MapView *v = &m->view;
    size_t n = m->model.job.n;
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
    gfx_points_draw(&m->pts, &st, r, a->win.ph);
}
