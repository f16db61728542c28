/* layout: where each view goes this frame, computed once from the drawable
 * size, the text size and the shell's state into one AppLayout that the
 * views read. The map takes what the side column leaves; the side column is
 * wide enough for its text and the decoded digit, and the digit never
 * takes more than 42% of the height, so 1024x768 keeps room for sliders.
 * With Training shown the loss curves and KL bars take the map's bottom;
 * --compare splits what is left of the map in two. */
#include <string.h>

#include "app_impl.h"

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The side column: the decoder on top, the slot's panel under it. */
static void side_column(AppLayout *L, const AppLayoutIn *in, int top, int bottom)
{
    int pad = in->pad, line = in->line;
    int side_w = L->side.w;
    int title_h = in->title_line + pad * 2;
    int img = clampi(side_w - 2 * pad, 64, (bottom - top) * 42 / 100);
    /* a panel in the slot (sampling grids, Draw canvas, Training and Walk
     * controls) takes the height; z's decode still shows beside it */
    bool panel = in->side != APP_SIDE_SLIDERS;
    if (panel)
        img = clampi(img * 55 / 100, 64, img);
    if (in->neigh) /* room for the Neighbours strip under the sliders */
        img = clampi(img * 85 / 100, 64, img);
    int thumb = clampi(img * 30 / 100, line * 2, img);
    if (panel) /* the smaller decoder keeps its 3 lines beside the thumbnail */
        thumb = clampi(thumb, line * 3, img);
    int dec_h = title_h + img + pad + thumb + 2 * pad;
    L->dec_img = img;
    L->dec_thumb = thumb;
    L->decoder = ui_rect(L->side.x, top, side_w, dec_h);
    L->sliders = ui_rect(L->side.x, top + dec_h + pad, side_w, bottom - top - dec_h - pad);
}

/* Training: the map on top, the curves and KL bars below it; the Training
 * panel takes the sliders' place under the decoder. */
static void training(AppLayout *L, const AppLayoutIn *in)
{
    int pad = in->pad;
    UiRect m = L->map;
    int strip = m.h * 40 / 100;
    int min_strip = in->line * 9;
    if (strip < min_strip)
        strip = min_strip < m.h / 2 ? min_strip : m.h / 2;
    L->map = ui_rect(m.x, m.y, m.w, m.h - strip - pad);
    int kl_w = m.w * 30 / 100;
    L->curves = ui_rect(m.x, m.y + m.h - strip, m.w - kl_w - pad, strip);
    L->kl = ui_rect(m.x + m.w - kl_w, m.y + m.h - strip, kl_w, strip);
    L->train = L->sliders;
}

/* --compare: A's map and B's side by side, each under its title. */
static void compare(AppLayout *L, const AppLayoutIn *in)
{
    int pad = in->pad;
    UiRect m = L->map;
    int title_h = in->title_line + in->small_line + pad;
    int w = (m.w - pad) / 2, h = m.h - title_h - pad / 2;
    L->map = ui_rect(m.x, m.y + m.h - h, w, h);
    L->map_b = ui_rect(m.x + w + pad, L->map.y, m.w - w - pad, h);
    L->title[0] = ui_rect(m.x, m.y, w, title_h);
    L->title[1] = ui_rect(L->map_b.x, m.y, L->map_b.w, title_h);
}

AppLayout app_layout_compute(const AppLayoutIn *in)
{
    AppLayout L;
    memset(&L, 0, sizeof L);
    int W = in->w, H = in->h, pad = in->pad, line = in->line;
    int status_h = in->status ? line + 2 * pad : 0; /* B hides it */
    L.status = ui_rect(0, H - status_h, W, status_h);
    /* two 8x8 grids side by side want width more than the map */
    int side_w = clampi(W * (in->wide_side ? 42 : 31) / 100, line * 15, W * 45 / 100);
    int top = pad, bottom = H - status_h - pad;
    L.map = ui_rect(pad, top, W - side_w - 3 * pad, bottom - top);
    L.side = ui_rect(L.map.x + L.map.w + pad, top, side_w, bottom - top);
    if (!in->side_visible) { /* Tab: the map takes the width, the column goes off screen */
        L.map = ui_rect(pad, top, W - 2 * pad, bottom - top);
        L.side = ui_rect(W, top, side_w, bottom - top);
    }
    side_column(&L, in, top, bottom);
    if (in->side == APP_SIDE_TRAINING)
        training(&L, in);
    if (in->compare)
        compare(&L, in);
    return L;
}

void app_layout(App *a)
{
    const Ui *ui = &a->ui;
    AppLayoutIn in = {
        .w = a->win.pw,
        .h = a->win.ph,
        .pad = ui_pad(ui),
        .line = ui_text_height(ui, UI_FONT_BODY),
        .title_line = ui_text_height(ui, UI_FONT_TITLE),
        .small_line = ui_text_height(ui, UI_FONT_SMALL),
        .side = app_side(a),
        .side_visible = app_side_visible(a),
        .status = app_status_visible(a),
        .wide_side = app_sample_shown(a),
        .neigh = app_neigh_wanted(a),
        .compare = a->cmp != NULL,
    };
    a->layout = app_layout_compute(&in);
    a->map.rect = a->layout.map;
    app_compare_place(a); /* B's map, refitted when its rect changed */
}
