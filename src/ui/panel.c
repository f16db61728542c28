/* panel: titled boxes with a top-to-bottom row layout and optional
 * scrolling. A panel's scroll offset persists across frames in a small table
 * keyed by the title's id; the content height measured this frame sizes the
 * scroll bar next frame (immediate mode learns sizes one frame late). */
#include <string.h>

#include "ui.h"

static UiPanelState *panel_state(Ui *ui, uint32_t id)
{
    UiPanelState *free_slot = NULL;
    for (int i = 0; i < UI_MAX_PANELS; i++) {
        if (ui->panels[i].id == id)
            return &ui->panels[i];
        if (!free_slot && (ui->panels[i].id == 0 || !ui->panels[i].used))
            free_slot = &ui->panels[i];
    }
    if (free_slot) /* recycle a panel not shown this frame */
        memset(free_slot, 0, sizeof *free_slot), free_slot->id = id;
    return free_slot;
}

static int bar_w(const Ui *ui)
{
    return ui_pad(ui) + 4;
}

void ui_panel_begin(Ui *ui, const char *title, UiRect r, bool scroll)
{
    const UiTheme *t = &ui->theme;
    uint32_t id = ui_id_str(ui, title);
    UiPanelState *st = panel_state(ui, id);
    static UiPanelState fallback; /* more panels than slots: no memory of scroll */
    if (!st) {
        memset(&fallback, 0, sizeof fallback);
        st = &fallback;
    }
    st->used = true;
    int pad = ui_pad(ui);
    float radius = (float)pad * 0.8f;
    ui_draw_rect(ui, r, t->panel, radius);
    ui_draw_frame(ui, r, t->border, t->high_contrast ? 2.0f : 1.0f, radius);
    UiRect body = r;
    if (title[0]) {
        int hh = ui_text_height(ui, UI_FONT_TITLE) + pad;
        ui_draw_text(ui, UI_FONT_TITLE, r.x + 2 * pad, r.y + pad / 2 + pad / 4, t->text, title);
        body.y += hh + pad / 2;
        body.h -= hh + pad / 2;
    }
    body.x += 2 * pad;
    body.w -= 4 * pad;
    body.y += pad / 2;
    body.h -= pad;
    if (scroll && ui_rect_contains(body, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y) && ui_mouse(ui)->scroll != 0) {
        st->scroll -= (int)(ui_mouse(ui)->scroll * (float)ui_row_h(ui) * 2.0f);
        ui_take_scroll(ui); /* consumed: the map underneath must not zoom */
    }
    int max_scroll = st->content_h - body.h;
    if (st->scroll > max_scroll)
        st->scroll = max_scroll;
    if (st->scroll < 0 || !scroll)
        st->scroll = 0;

    ui->lay.open = true;
    ui->lay.id = id;
    ui->lay.rect = r;
    ui->lay.body = body;
    ui->lay.scroll = scroll;
    ui->lay.st = st;
    ui->lay.y = body.y - st->scroll;
    ui_clip(ui, body);
}

int ui_row_w(const Ui *ui)
{
    UiRect b = ui->lay.body;
    int w = b.w;
    if (ui->lay.scroll && ui->lay.st->content_h > b.h)
        w -= bar_w(ui) + ui_pad(ui) / 2;
    return w;
}

UiRect ui_row(Ui *ui, int h)
{
    if (h <= 0)
        h = ui_row_h(ui);
    UiRect b = ui->lay.body;
    UiRect r = ui_rect(b.x, ui->lay.y, ui_row_w(ui), h);
    ui->lay.y += h + ui_pad(ui) / 2;
    return r;
}

void ui_panel_end(Ui *ui)
{
    UiPanelState *st = ui->lay.st;
    UiRect b = ui->lay.body;
    st->content_h = ui->lay.y - (b.y - st->scroll);
    ui_clip_reset(ui);
    if (ui->lay.scroll && st->content_h > b.h) {
        /* The bar: a track along the right edge and a thumb the size of the
         * visible fraction; dragging the thumb scrolls proportionally. */
        const UiTheme *t = &ui->theme;
        int bw = bar_w(ui);
        UiRect track = ui_rect(b.x + b.w - bw, b.y, bw, b.h);
        int th = b.h * b.h / st->content_h;
        if (th < bw * 2)
            th = bw * 2;
        int range = st->content_h - b.h;
        int ty = b.y + (b.h - th) * st->scroll / (range > 0 ? range : 1);
        UiRect thumb = ui_rect(track.x, ty, bw, th);
        uint32_t id = ui->lay.id ^ 0x5c5c5c5cu;
        int res = ui_control(ui, id, track, UI_MOUSE_LEFT);
        if (res & UI_ACTIVE) {
            int y = ui_mouse(ui)->mouse_y - b.y - th / 2;
            int span = b.h - th > 0 ? b.h - th : 1;
            st->scroll = y * range / span;
            if (st->scroll < 0)
                st->scroll = 0;
            if (st->scroll > range)
                st->scroll = range;
        }
        ui_draw_rect(ui, track, t->bg, (float)bw / 2);
        ui_draw_rect(ui, thumb, (res & (UI_HOVER | UI_ACTIVE)) ? t->accent : t->track,
                     (float)bw / 2);
    }
    ui->lay.open = false;
}
