/* view_sample: the Sampling panel's widgets and keys (see view_sample.h).
 * They change only the panel's own settings (mode, seed, temperature, the
 * clicked cell) and append draw commands; what the app must do about them
 * (take a cell's z, show or hide the panel) comes back as SAMPLE_ACT_* bits. */
#include <stdio.h>

#include "view_sample.h"

void sample_panel_defaults(AppSample *s)
{
    s->temperature = 1.0f;
    s->seed = 1;
    s->img[0] = s->img[1] = -1;
    s->clicked = -1;
}

int sample_panel_key(AppSample *s, UiKey k, bool shown)
{
    if (ui_key_chorded(k))
        return 0;
    switch (k.code) {
    case 's': return SAMPLE_ACT_TOGGLE;
    case 'r':
        if (!shown)
            return 0;
        s->seed++;
        return SAMPLE_ACT_RESAMPLE;
    default: return 0;
    }
}

/* One grid: its caption, the mosaic, a click on a cell picks that cell.
 * Returns SAMPLE_ACT_PICK when a cell was pressed. */
static int grid_view(Ui *ui, AppSample *s, const SamplePanelIn *in, int g, UiRect r,
                     const char *caption, const char *brief)
{
    const UiTheme *t = &ui->theme;
    int lh = ui_text_height(ui, UI_FONT_SMALL);
    if (ui_text_width(ui, UI_FONT_SMALL, caption) > r.w) /* large text, narrow column */
        caption = brief;
    ui_draw_text(ui, UI_FONT_SMALL, r.x, r.y, t->text_dim, caption);
    int side = r.w < r.h - lh ? r.w : r.h - lh;
    side -= side % SAMPLE_SIDE; /* whole pixels per cell: even cells */
    UiRect q = ui_rect(r.x + (r.w - side) / 2, r.y + lh, side, side);
    s->grid[g] = q;
    if (!s->valid[g]) {
        ui_draw_rect(ui, q, ui_rgba(0, 0, 0, 255), 0);
        const char *m = in->ready ? "\xe2\x80\xa6" : "waiting for the data\xe2\x80\xa6";
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, q, t->text_dim, m);
        return 0;
    }
    ui_draw_image(ui, q, s->img[g], ui_rgba(255, 255, 255, 255));
    ui_draw_frame(ui, q, t->border, 1, 0);
    int cell = side / SAMPLE_SIDE;
    int res = ui_control(ui, ui_id(ui, &g, sizeof g), q, UI_MOUSE_LEFT);
    int mx = ui_mouse(ui)->mouse_x - q.x, my = ui_mouse(ui)->mouse_y - q.y;
    bool inside = mx >= 0 && my >= 0 && mx < side && my < side && cell > 0;
    int c = inside ? (my / cell) * SAMPLE_SIDE + mx / cell : -1;
    if (s->clicked >= 0 && s->clicked / SAMPLE_CELLS == g) { /* the cell z came from */
        int k = s->clicked % SAMPLE_CELLS;
        ui_draw_frame(
            ui,
            ui_rect(q.x + (k % SAMPLE_SIDE) * cell, q.y + (k / SAMPLE_SIDE) * cell, cell, cell),
            t->text, 2, 0);
    }
    if (c >= 0 && (res & UI_HOVER))
        ui_draw_frame(
            ui,
            ui_rect(q.x + (c % SAMPLE_SIDE) * cell, q.y + (c / SAMPLE_SIDE) * cell, cell, cell),
            t->accent, 2, 0);
    if (c >= 0 && (res & UI_PRESS)) {
        s->clicked = g * SAMPLE_CELLS + c;
        return SAMPLE_ACT_PICK;
    }
    return 0;
}

int sample_panel(Ui *ui, UiRect r, AppSample *s, const SamplePanelIn *in)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    int act = 0;
    s->grid[0] = s->grid[1] = ui_rect(0, 0, 0, 0);
    ui_panel_begin(ui, "Sampling \xc2\xb7 R resamples", r, false);
    if (!in->loaded) {
        ui_label(ui, UI_FONT_BODY, t->text_dim, "no model loaded");
        ui_panel_end(ui);
        return 0;
    }
    UiRect row = ui_row(ui, 0);
    int bw = (row.w - pad) / 2;
    static const char *modes[] = {"Both grids", "Prior only", "Posterior only"};
    s->mode_rect = ui_rect(row.x, row.y, bw, row.h);
    if (ui_button_at(ui, s->mode_rect, modes[s->mode])) {
        s->mode = (s->mode + 1) % 3;
        act |= SAMPLE_ACT_MODE;
    }
    if (ui_button_at(ui, ui_rect(row.x + bw + pad, row.y, row.w - bw - pad, row.h),
                     "Resample (R)")) {
        s->seed++;
        act |= SAMPLE_ACT_RESAMPLE;
    }
    s->t_row = ui_row(ui, 0);
    if (ui_slider_at(ui, s->t_row, "T", &s->temperature, 0.1f, 2.0f, "%.2f"))
        act |= SAMPLE_ACT_TEMPERATURE;
    UiRect body = ui->lay.body;
    int top = ui_row(ui, 0).y; /* the rest of the panel */
    UiRect rest = ui_rect(body.x, top, body.w, body.y + body.h - top);
    char post[64];
    snprintf(post, sizeof post, "posterior q(z|x), %s",
             !in->ready            ? "\xe2\x80\xa6"
             : in->posterior_train ? "train x"
                                   : "test x");
    char prior[64];
    snprintf(prior, sizeof prior, "prior N(0, %.2f\xc2\xb2 I)", (double)s->temperature);
    if (s->mode == SAMPLE_BOTH) {
        int w = (rest.w - pad) / 2;
        act |=
            grid_view(ui, s, in, SAMPLE_PRIOR, ui_rect(rest.x, rest.y, w, rest.h), prior, "prior");
        act |= grid_view(ui, s, in, SAMPLE_POSTERIOR, ui_rect(rest.x + w + pad, rest.y, w, rest.h),
                         post, "posterior");
    } else if (s->mode == SAMPLE_PRIOR_ONLY) {
        act |= grid_view(ui, s, in, SAMPLE_PRIOR, rest, prior, "prior");
    } else {
        act |= grid_view(ui, s, in, SAMPLE_POSTERIOR, rest, post, "posterior");
    }
    ui_panel_end(ui);
    return act;
}
