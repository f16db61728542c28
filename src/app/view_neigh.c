/* view_neigh: the Neighbours strip's layout, search and widgets (see
 * view_neigh.h). It reads the map only through NeighPanelIn, edits only
 * its AppNeigh, and a click on a thumbnail comes back as NEIGH_ACT_SNAP for
 * the app to apply. */
#include <math.h>
#include <stdio.h>

#include "textfit.h"
#include "view_neigh.h"

/* Panel geometry (ui/panel.c): header height above the body, and the body's
 * insets. */
static int header_h(const Ui *ui)
{
    int pad = ui_pad(ui);
    return ui_text_height(ui, UI_FONT_TITLE) + pad + pad / 2;
}

void neigh_panel_defaults(AppNeigh *n)
{
    n->k = APP_NEIGH_K;
    n->snapped = -1;
}

UiRect neigh_panel_room(const Ui *ui, AppNeigh *n, UiRect slot, const NeighPanelIn *in)
{
    n->rect = ui_rect(slot.x, slot.y + slot.h, slot.w, 0);
    n->shown = false;
    if (!in->loaded || n->k <= 0)
        return slot;
    int pad = ui_pad(ui), gap = pad / 2;
    int row = ui_row_h(ui) + pad / 2;
    int small = ui_text_height(ui, UI_FONT_SMALL);
    int hh = header_h(ui);
    /* The sliders keep all their rows when they fit in about half the slot
     * (small Z), else that half or at least the buttons and two sliders
     * (they scroll); the strip takes at most the rest. */
    int want = hh + pad + (3 + in->cur_dim) * row;
    int least = hh + pad + 5 * row; /* buttons, sort, caption, two sliders */
    int half = slot.h * 55 / 100;
    int keep = least > half ? least : half;
    keep = want < keep ? want : keep;
    int budget = slot.h - keep - pad;
    int body_w = slot.w - 4 * pad;
    int fixed = hh + pad / 2 + pad; /* header and the body's insets */
    int best = 0, best_cols = 0;
    for (int cols = n->k; cols >= 1; cols /= 2) { /* one row, two rows, ... */
        int rows = (n->k + cols - 1) / cols;
        int tw = (body_w - (cols - 1) * gap) / cols;
        int th = (budget - fixed + gap) / rows - small - gap;
        int t = tw < th ? tw : th;
        int cap = ui_row_h(ui) * 4; /* beyond this a thumbnail only wastes the column */
        t = t < cap ? t : cap;
        if (t > best)
            best = t, best_cols = cols;
        if (rows >= 2)
            break; /* more rows only help a column narrower than the panel's */
    }
    /* Below ~the image's own 28 pixels a thumbnail stops being legible. */
    int min_thumb = 26 * (int)(in->win_scale > 1 ? in->win_scale : 1);
    if (best < min_thumb)
        return slot;
    n->cols = best_cols;
    n->thumb = best;
    int rows = (n->k + best_cols - 1) / best_cols;
    int h = fixed + rows * (best + small + gap) - gap;
    n->rect = ui_rect(slot.x, slot.y + slot.h - h, slot.w, h);
    n->shown = true;
    n->shown_frame = in->frame;
    return ui_rect(slot.x, slot.y, slot.w, slot.h - h - pad);
}

int neigh_panel(Ui *ui, AppNeigh *n, const NeighPanelIn *in)
{
    if (!n->shown || n->shown_frame != in->frame)
        return 0;
    const UiTheme *t = &ui->theme;
    if (in->ready) {
        Err e = {0};
        if (neigh_update(&n->nb, in->mu, in->n, in->z, in->data_tag, in->cur_z, n->k, &e) !=
            ERR_OK)
            ui_toast(ui, e.msg);
    } else {
        neigh_reset(&n->nb);
    }
    ui_panel_begin(ui, in->all_points ? "Nearest images" : "Nearest test images", n->rect, false);
    UiRect body = ui->lay.body;
    int pad = ui_pad(ui), gap = pad / 2, small = ui_text_height(ui, UI_FONT_SMALL);
    int cols = n->cols, th = n->thumb;
    int grid_w = cols * th + (cols - 1) * gap;
    int x0 = body.x + (body.w - grid_w) / 2;
    n->hover = -1;
    if (n->nb.k == 0) {
        ui_draw_text(ui, UI_FONT_SMALL, body.x, body.y, t->text_dim,
                     in->ready ? "no points" : "waiting for the map\xe2\x80\xa6");
    }
    int snap = -1;
    for (int s = 0; s < n->nb.k && s < n->k; s++) {
        int r = s / cols, c = s % cols;
        UiRect cell = ui_rect(x0 + c * (th + gap), body.y + r * (th + small + gap), th, th);
        n->cells[s] = cell;
        int point = n->nb.idx[s];
        int lab = in->labels[point];
        /* as the palette does: a label past the classes takes the last colour */
        UiColor lc = in->colors[lab < 10 ? lab : 9];
        const char *cls = lab < 10 ? in->names[lab] : "?";
        int res = ui_control(ui, ui_id(ui, &s, sizeof s), cell, UI_MOUSE_LEFT);
        bool over = ui_rect_contains(cell, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
        if ((res & UI_RELEASE) && over)
            snap = point;
        if (n->imgs_made && n->img_point[s] == point)
            ui_draw_image(ui, cell, n->img[s], ui_rgba(255, 255, 255, 255));
        else
            ui_draw_rect(ui, cell, ui_rgba(0, 0, 0, 255), 0);
        /* a frame in the class colour: mixed classes show at a glance */
        bool hot = (res & UI_HOVER) != 0;
        ui_draw_frame(ui, cell, hot ? t->focus : lc, hot ? 3.0f : 2.0f, 0);
        char name[64];
        textfit_elide(ui, UI_FONT_SMALL, cls, th + gap, name, sizeof name);
        int w = ui_text_width(ui, UI_FONT_SMALL, name);
        ui_draw_text(ui, UI_FONT_SMALL, cell.x + (th - w) / 2, cell.y + th + gap / 2, lc, name);
        if (hot) {
            n->hover = s;
            char tip[256];
            bool test = (size_t)point < in->n_test;
            snprintf(tip, sizeof tip, "%s\n%s image #%zu\ndistance %.2f in z\nclick: z = its mean",
                     cls, test ? "test" : "train",
                     test ? (size_t)point : (size_t)point - in->n_test,
                     (double)sqrtf(n->nb.dist2[s]));
            ui_tooltip(ui, tip, n->imgs_made ? n->img[s] : -1);
        }
    }
    ui_panel_end(ui);
    if (snap < 0)
        return 0;
    n->clicks++;
    n->snapped = snap;
    return NEIGH_ACT_SNAP;
}
