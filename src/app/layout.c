/* layout: where each view goes for the current drawable size and text
 * size. The map takes what the side column leaves; the side column is wide
 * enough for its text and the decoded digit, and the decoder panel never
 * takes more than half the height, so 1024x768 keeps room for sliders. */
#include "app_impl.h"

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void app_layout(App *a)
{
    Ui *ui = &a->ui;
    int W = a->win.pw, H = a->win.ph;
    int pad = ui_pad(ui);
    int line = ui_text_height(ui, UI_FONT_BODY);
    int status_h = app_status_visible(a) ? line + 2 * pad : 0; /* B hides it */
    a->r_status = ui_rect(0, H - status_h, W, status_h);
    int side_w = clampi(W * 31 / 100, line * 15, W * 45 / 100);
    if (app_sample_shown(a)) /* two 8x8 grids side by side want width more than the map */
        side_w = clampi(W * 42 / 100, line * 15, W * 45 / 100);
    int top = pad, bottom = H - status_h - pad;
    a->map.rect = ui_rect(pad, top, W - side_w - 3 * pad, bottom - top);
    a->r_side = ui_rect(a->map.rect.x + a->map.rect.w + pad, top, side_w, bottom - top);
    if (!app_side_visible(a)) { /* Tab: the map takes the width, the column goes off screen */
        a->map.rect = ui_rect(pad, top, W - 2 * pad, bottom - top);
        a->r_side = ui_rect(W, top, side_w, bottom - top);
    }

    int title_h = ui_text_height(ui, UI_FONT_TITLE) + pad * 2;
    int img = clampi(side_w - 2 * pad, 64, (bottom - top) * 42 / 100);
    /* a panel in the slot (sampling grids, Draw canvas, Training and Walk
     * controls) takes the height; z's decode still shows beside it */
    bool panel = app_side(a) != APP_SIDE_SLIDERS;
    if (panel)
        img = clampi(img * 55 / 100, 64, img);
    if (app_neigh_wanted(a)) /* room for the Neighbours strip under the sliders */
        img = clampi(img * 85 / 100, 64, img);
    int thumb = clampi(img * 30 / 100, line * 2, img);
    if (panel) /* the smaller decoder keeps its 3 lines beside the thumbnail */
        thumb = clampi(thumb, line * 3, img);
    int dec_h = title_h + img + pad + thumb + 2 * pad;
    a->dec_img = img;
    a->dec_thumb = thumb;
    a->r_decoder = ui_rect(a->r_side.x, top, side_w, dec_h);
    a->r_sliders = ui_rect(a->r_side.x, top + dec_h + pad, side_w, bottom - top - dec_h - pad);
}
