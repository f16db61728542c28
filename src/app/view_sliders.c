/* view_sliders: the "Latent z" panel's widgets (see view_sliders.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_sliders.h"

static const float *sort_kl; /* qsort has no context argument */

static int by_kl(const void *x, const void *y)
{
    float a = sort_kl[*(const int *)x], b = sort_kl[*(const int *)y];
    return (a < b) - (a > b);
}

void sliders_panel_defaults(AppSliders *s)
{
    s->sort_by_kl = false;
    rng_seed(&s->rng, 20240501);
}

void sliders_panel_sort(AppSliders *s, bool on)
{
    s->sort_by_kl = on;
}

/* Ask for z (dim floats) as the new current z. */
static int ask(AppSliders *s, const float *z, int dim)
{
    memcpy(s->z, z, sizeof(float) * (size_t)dim);
    return SLIDERS_ACT_SET_Z;
}

int sliders_panel(Ui *ui, UiRect r, AppSliders *s, const SlidersPanelIn *in)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    int act = 0;
    ui_panel_begin(ui, "Latent z", r, true);
    if (!in->loaded) {
        ui_label(ui, UI_FONT_BODY, t->text_dim, "no model loaded");
        ui_panel_end(ui);
        return 0;
    }
    int dim = in->dim;
    UiRect row = ui_row(ui, 0);
    int bw = (row.w - 2 * pad) / 3;
    s->buttons[SLIDERS_ORIGIN] = ui_rect(row.x, row.y, bw, row.h);
    s->buttons[SLIDERS_RANDOM] = ui_rect(row.x + bw + pad, row.y, bw, row.h);
    s->buttons[SLIDERS_NEAREST] =
        ui_rect(row.x + 2 * (bw + pad), row.y, row.w - 2 * (bw + pad), row.h);
    float z[VAE_MAX_Z];
    for (int d = 0; d < dim; d++)
        z[d] = in->z[d];
    if (ui_button_at(ui, s->buttons[SLIDERS_ORIGIN], "Origin")) {
        for (int d = 0; d < dim; d++)
            z[d] = 0;
        act |= ask(s, z, dim);
    }
    if (ui_button_at(ui, s->buttons[SLIDERS_RANDOM], "Random")) {
        rng_normal_fill(&s->rng, z, (size_t)dim);
        act |= ask(s, z, dim);
    }
    if (ui_button_at(ui, s->buttons[SLIDERS_NEAREST], "Nearest") && in->nearest_mu)
        act |= ask(s, in->nearest_mu, dim);
    const float *kl = in->kl;
    s->sort = ui_rect(0, 0, 0, 0);
    if (kl && dim > 1) {
        s->sort = ui_row(ui, 0);
        if (ui_checkbox_at(ui, s->sort, "sort by KL", &s->sort_by_kl))
            act |= SLIDERS_ACT_SORT;
    }
    int order[VAE_MAX_Z];
    for (int d = 0; d < dim; d++)
        order[d] = d;
    if (kl && s->sort_by_kl) {
        sort_kl = kl;
        qsort(order, (size_t)dim, sizeof order[0], by_kl);
    }
    ui_label(ui, UI_FONT_SMALL, t->text_dim, kl ? "dim  KL (nats)" : "dim");
    bool changed = false;
    for (int i = 0; i < dim; i++) {
        int d = order[i];
        char label[48];
        if (kl)
            snprintf(label, sizeof label, "z%d  %.2f", d + 1, (double)kl[d]);
        else
            snprintf(label, sizeof label, "z%d", d + 1);
        UiRect rr = ui_row(ui, 0);
        s->rows[d] = rr;
        changed |= ui_slider_at(ui, rr, label, &z[d], -4.0f, 4.0f, "%+.2f");
    }
    if (changed)
        act |= ask(s, z, dim);
    ui_panel_end(ui);
    return act;
}
