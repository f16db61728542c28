/* view_sliders: one slider per latent dimension (range +-4, i.e. four
 * standard deviations of the prior N(0, 1)), labelled with the dimension's
 * mean KL over the map's points (nats; near 0 = an unused dimension),
 * optionally sorted by KL; buttons for z = 0, z ~ N(0, I) and snapping z
 * to the nearest data point's mean. */
#include <stdio.h>
#include <stdlib.h>

#include "app_impl.h"

static const float *sort_kl; /* qsort has no context argument */

static int by_kl(const void *x, const void *y)
{
    float a = sort_kl[*(const int *)x], b = sort_kl[*(const int *)y];
    return (a < b) - (a > b);
}

void view_sliders(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    /* the Neighbours strip takes the bottom of the slot (view_neigh.c) */
    ui_panel_begin(ui, "Latent z", app_neigh_room(a, a->layout.sliders), true);
    if (!a->map.loaded) {
        ui_label(ui, UI_FONT_BODY, t->text_dim, "no model loaded");
        ui_panel_end(ui);
        return;
    }
    UiRect r = ui_row(ui, 0);
    int bw = (r.w - 2 * pad) / 3;
    float z[VAE_MAX_Z];
    for (int d = 0; d < a->cur.dim; d++)
        z[d] = a->cur.z[d];
    if (ui_button_at(ui, ui_rect(r.x, r.y, bw, r.h), "Origin")) {
        for (int d = 0; d < a->cur.dim; d++)
            z[d] = 0;
        app_set_z(a, z);
    }
    if (ui_button_at(ui, ui_rect(r.x + bw + pad, r.y, bw, r.h), "Random")) {
        rng_normal_fill(&a->rng, z, (size_t)a->cur.dim);
        app_set_z(a, z);
    }
    if (ui_button_at(ui, ui_rect(r.x + 2 * (bw + pad), r.y, r.w - 2 * (bw + pad), r.h),
                     "Nearest") &&
        a->cur.nearest >= 0) {
        const ModelJob *j = &a->map.model.job;
        app_set_z(a, j->mu + (size_t)a->cur.nearest * (size_t)j->z);
    }
    const float *kl = a->map.ready ? a->map.model.job.kl_dim : NULL;
    if (kl && a->cur.dim > 1)
        ui_checkbox(ui, "sort by KL", &a->sort_by_kl);
    int order[VAE_MAX_Z];
    for (int d = 0; d < a->cur.dim; d++)
        order[d] = d;
    if (kl && a->sort_by_kl) {
        sort_kl = kl;
        qsort(order, (size_t)a->cur.dim, sizeof order[0], by_kl);
    }
    ui_label(ui, UI_FONT_SMALL, t->text_dim, kl ? "dim  KL (nats)" : "dim");
    bool changed = false;
    for (int i = 0; i < a->cur.dim; i++) {
        int d = order[i];
        char label[48];
        if (kl)
            snprintf(label, sizeof label, "z%d  %.2f", d + 1, (double)kl[d]);
        else
            snprintf(label, sizeof label, "z%d", d + 1);
        UiRect row = ui_row(ui, 0);
        a->slider_rows[d] = row;
        changed |= ui_slider_at(ui, row, label, &z[d], -4.0f, 4.0f, "%+.2f");
    }
    if (changed)
        app_set_z(a, z);
    ui_panel_end(ui);
    view_neigh(a);
}
