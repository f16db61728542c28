/* view_status: the bottom line: model (file, Z, beta, epochs, test loss),
 * dataset and point count, frame rate, and the help hint. */
#include <math.h>
#include <stdio.h>

#include "app_impl.h"

void view_status(App *a)
{
    if (!app_status_visible(a)) /* B (presenter mode) */
        return;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    UiRect r = a->layout.status;
    int pad = ui_pad(ui);
    ui_draw_rect(ui, r, t->header, 0);
    char left[512], right[96];
    const Model *m = &a->map.model;
    if (a->map.loaded) {
        const VaeConfig *c = &m->vae.cfg;
        char loss[48] = "";
        if (!isnan(m->test_loss))
            snprintf(loss, sizeof loss, "  \xc2\xb7  test loss %.1f", m->test_loss);
        const DatasetInfo *ds = dataset_find(m->dataset);
        char points[64];
        if (a->map.ready)
            snprintf(points, sizeof points, "%zu points", m->job.n);
        else
            snprintf(points, sizeof points, "encoding\xe2\x80\xa6");
        snprintf(left, sizeof left,
                 "%s  \xc2\xb7  Z=%d  \xc2\xb7  \xce\xb2=%g  \xc2\xb7  %ld epoch%s%s  \xc2\xb7  %s  "
                 "\xc2\xb7  %s",
                 m->name, c->z, (double)c->beta, m->info.epochs, m->info.epochs == 1 ? "" : "s",
                 loss, ds ? ds->title : m->dataset,
                 points);
    } else {
        snprintf(left, sizeof left, "no model");
    }
    snprintf(right, sizeof right, "%.0f fps  \xc2\xb7  F1 help", (double)a->fps);
    int th = ui_text_height(ui, UI_FONT_BODY);
    int rw = ui_text_width(ui, UI_FONT_BODY, right);
    ui_clip(ui, ui_rect(r.x, r.y, r.w - rw - 3 * pad, r.h));
    ui_draw_text(ui, UI_FONT_BODY, r.x + pad * 2, r.y + (r.h - th) / 2, t->text, left);
    ui_clip_reset(ui);
    ui_draw_text(ui, UI_FONT_BODY, r.x + r.w - rw - pad * 2, r.y + (r.h - th) / 2, t->text_dim,
                 right);
}
