/* view_decoder: the decoded digit at the current z, large and crisp, and
 * beside it the nearest real test image (nearest in latent space). */
#include <stdio.h>

#include "app_impl.h"

void view_decoder(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    if (view_compare_decoder(a)) /* --compare: both models' decodes side by side */
        return;
    ui_panel_begin(ui, "Decoder", a->layout.decoder, false);
    int img = a->layout.dec_img < ui->lay.body.w ? a->layout.dec_img : ui->lay.body.w;
    int thumb = a->layout.dec_thumb;
    UiRect row = ui_row(ui, img);
    UiRect big = ui_rect(row.x + (row.w - img) / 2, row.y, img, img);
    if (a->cur.decoded_valid) {
        ui_draw_image(ui, big, a->img_decoded, ui_rgba(255, 255, 255, 255));
    } else {
        ui_draw_rect(ui, big, ui_rgba(0, 0, 0, 255), 0);
        const char *s = a->map.loaded ? "click the map" : "no model loaded";
        int w = ui_text_width(ui, UI_FONT_BODY, s);
        ui_draw_text(ui, UI_FONT_BODY, big.x + (img - w) / 2,
                     big.y + (img - ui_text_height(ui, UI_FONT_BODY)) / 2, t->text_dim, s);
    }
    ui_draw_frame(ui, big, t->border, 1, 0);

    UiRect info = ui_row(ui, thumb);
    UiRect th = ui_rect(info.x + (row.w - img) / 2, info.y, thumb, thumb);
    int tx = th.x + thumb + pad, lh = ui_text_height(ui, UI_FONT_SMALL);
    char buf[96];
    if (a->cur.nearest >= 0) {
        ui_draw_image(ui, th, a->img_nearest, ui_rgba(255, 255, 255, 255));
        ui_draw_frame(ui, th, t->border, 1, 0);
        ui_draw_text(ui, UI_FONT_SMALL, tx, info.y, t->text_dim, "nearest test image");
        int lab = a->map.model.job.labels[a->cur.nearest];
        snprintf(buf, sizeof buf, "#%d  \xc2\xb7  %s", a->cur.nearest, app_class_name(a, lab));
        ui_draw_text(ui, UI_FONT_BODY, tx, info.y + lh, app_label_ui_color(a, lab), buf);
    }
    if (a->cur.dim == 2 && a->map.loaded) {
        snprintf(buf, sizeof buf, "z = (%.2f, %.2f)", (double)a->cur.z[0], (double)a->cur.z[1]);
        ui_draw_text(ui, UI_FONT_BODY, a->cur.nearest >= 0 ? tx : th.x,
                     info.y + lh + ui_text_height(ui, UI_FONT_BODY), t->text, buf);
    }
    ui_panel_end(ui);
}
