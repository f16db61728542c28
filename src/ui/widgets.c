/* widgets: button, slider, checkbox, label. Each one asks ui_control who
 * owns the mouse, updates the caller's value, then draws itself; the return
 * value says whether the value changed (or the button was clicked). */
#include <stdio.h>

#include "ui.h"

bool ui_button_at(Ui *ui, UiRect r, const char *label)
{
    const UiTheme *t = &ui->theme;
    int res = ui_control(ui, ui_id_str(ui, label), r, UI_MOUSE_LEFT);
    bool over = ui_rect_contains(r, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
    bool clicked = (res & UI_RELEASE) && over;
    UiColor bg = (res & UI_ACTIVE) && over ? t->button_down
                 : (res & UI_HOVER)         ? t->button_hot
                                            : t->button;
    UiColor fg = (res & UI_ACTIVE) && over ? t->on_accent : t->text;
    float radius = (float)ui_pad(ui) * 0.6f;
    ui_draw_rect(ui, r, bg, radius);
    if (t->high_contrast)
        ui_draw_frame(ui, r, t->border, 2.0f, radius);
    int tw = ui_text_width(ui, UI_FONT_BODY, label);
    int th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x + (r.w - tw) / 2, r.y + (r.h - th) / 2, fg, label);
    return clicked;
}

bool ui_button(Ui *ui, const char *label)
{
    return ui_button_at(ui, ui_row(ui, 0), label);
}

UiRect ui_slider_track(const Ui *ui, UiRect r, float lo, float hi, const char *fmt)
{
    int pad = ui_pad(ui);
    /* the value column is as wide as the widest of the range's ends in this
     * format (a unit such as "legs/s" ran over the track), so the track
     * keeps its length while the value changes */
    char buf[32];
    int vw = ui_text_width(ui, UI_FONT_BODY, "-0.00");
    for (int end = 0; end < 2; end++) {
        snprintf(buf, sizeof buf, fmt ? fmt : "%.2f", (double)(end ? hi : lo));
        int ew = ui_text_width(ui, UI_FONT_BODY, buf);
        vw = ew > vw ? ew : vw;
    }
    int lw = r.w * 30 / 100;
    UiRect track = ui_rect(r.x + lw + pad, r.y, r.w - lw - vw - 3 * pad, r.h);
    if (track.w < 8)
        track.w = 8;
    return track;
}

bool ui_slider_at(Ui *ui, UiRect r, const char *label, float *value, float lo, float hi,
                  const char *fmt)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    int th = ui_text_height(ui, UI_FONT_BODY);
    UiRect track = ui_slider_track(ui, r, lo, hi, fmt);
    float old = *value;
    int res = ui_control(ui, ui_id(ui, &value, sizeof value), track, UI_MOUSE_LEFT);
    if (res & (UI_PRESS | UI_ACTIVE)) {
        float f = (float)(ui_mouse(ui)->mouse_x - track.x) / (float)track.w;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        *value = lo + f * (hi - lo);
    }
    /* A value outside [lo, hi] that the user did not touch stays as it is
     * (a beta = 0 model's z reaches +-30 on +-4 sliders): the knob is pinned
     * at the end and the text shows the real value. */
    float shown = *value < lo ? lo : *value > hi ? hi : *value;

    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, t->text, label);
    int bar = pad > 3 ? pad * 2 / 3 : 2;
    int cy = r.y + r.h / 2;
    ui_draw_rect(ui, ui_rect(track.x, cy - bar / 2, track.w, bar), t->track, (float)bar / 2);
    /* Fill from 0 when the range spans it (latent sliders are centred on the
     * prior mean), else from lo. */
    float base = lo <= 0 && hi >= 0 ? 0 : lo;
    int xb = track.x + (int)((base - lo) / (hi - lo) * (float)track.w);
    int xv = track.x + (int)((shown - lo) / (hi - lo) * (float)track.w);
    int x0 = xb < xv ? xb : xv, x1 = xb < xv ? xv : xb;
    ui_draw_rect(ui, ui_rect(x0, cy - bar / 2, x1 - x0, bar), t->accent, (float)bar / 2);
    float knob = (float)r.h * 0.3f;
    ui_draw_circle(ui, (float)xv, (float)cy, knob, 0,
                   res & (UI_HOVER | UI_ACTIVE) ? t->accent : t->handle);
    char buf[32];
    snprintf(buf, sizeof buf, fmt ? fmt : "%.2f", (double)*value);
    int w = ui_text_width(ui, UI_FONT_BODY, buf);
    ui_draw_text(ui, UI_FONT_BODY, r.x + r.w - w, r.y + (r.h - th) / 2, t->text_dim, buf);
    return *value != old;
}

bool ui_slider(Ui *ui, const char *label, float *value, float lo, float hi, const char *fmt)
{
    return ui_slider_at(ui, ui_row(ui, 0), label, value, lo, hi, fmt);
}

bool ui_checkbox_at(Ui *ui, UiRect r, const char *label, bool *state)
{
    const UiTheme *t = &ui->theme;
    int res = ui_control(ui, ui_id(ui, &state, sizeof state), r, UI_MOUSE_LEFT);
    bool changed = false;
    if ((res & UI_RELEASE) && ui_rect_contains(r, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y)) {
        *state = !*state;
        changed = true;
    }
    int th = ui_text_height(ui, UI_FONT_BODY);
    int box = th;
    UiRect b = ui_rect(r.x, r.y + (r.h - box) / 2, box, box);
    float radius = (float)box / 5;
    ui_draw_rect(ui, b, res & UI_HOVER ? t->button_hot : t->button, radius);
    ui_draw_frame(ui, b, *state ? t->accent : t->border, t->high_contrast ? 2.0f : 1.5f, radius);
    if (*state) {
        int in = box / 4;
        ui_draw_rect(ui, ui_rect(b.x + in, b.y + in, box - 2 * in, box - 2 * in), t->accent,
                     radius / 2);
    }
    ui_draw_text(ui, UI_FONT_BODY, b.x + box + ui_pad(ui), r.y + (r.h - th) / 2, t->text, label);
    return changed;
}

bool ui_checkbox(Ui *ui, const char *label, bool *state)
{
    return ui_checkbox_at(ui, ui_row(ui, 0), label, state);
}

void ui_label(Ui *ui, int font, UiColor c, const char *s)
{
    UiRect r = ui_row(ui, ui_text_height(ui, font));
    ui_draw_text(ui, font, r.x, r.y, c, s);
}
