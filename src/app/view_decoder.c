/* view_decoder: the Decoder panel's drawing (see view_decoder.h). */
#include <stdio.h>

#include "view_decoder.h"

void decoder_panel(Ui *ui, const DecoderPanelIn *in)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    ui_panel_begin(ui, "Decoder", in->r, false);
    int img = in->img < ui->lay.body.w ? in->img : ui->lay.body.w;
    int thumb = in->thumb;
    UiRect row = ui_row(ui, img);
    UiRect big = ui_rect(row.x + (row.w - img) / 2, row.y, img, img);
    if (in->decoded) {
        ui_draw_image(ui, big, in->img_decoded, ui_rgba(255, 255, 255, 255));
    } else {
        ui_draw_rect(ui, big, ui_rgba(0, 0, 0, 255), 0);
        const char *s = in->loaded ? "click the map" : "no model loaded";
        int w = ui_text_width(ui, UI_FONT_BODY, s);
        ui_draw_text(ui, UI_FONT_BODY, big.x + (img - w) / 2,
                     big.y + (img - ui_text_height(ui, UI_FONT_BODY)) / 2, t->text_dim, s);
    }
    ui_draw_frame(ui, big, t->border, 1, 0);

    UiRect info = ui_row(ui, thumb);
    UiRect th = ui_rect(info.x + (row.w - img) / 2, info.y, thumb, thumb);
    int tx = th.x + thumb + pad, lh = ui_text_height(ui, UI_FONT_SMALL);
    char buf[96];
    if (in->nearest >= 0) {
        ui_draw_image(ui, th, in->img_nearest, ui_rgba(255, 255, 255, 255));
        ui_draw_frame(ui, th, t->border, 1, 0);
        ui_draw_text(ui, UI_FONT_SMALL, tx, info.y, t->text_dim, "nearest test image");
        snprintf(buf, sizeof buf, "#%d  \xc2\xb7  %s", in->nearest, in->nearest_name);
        ui_draw_text(ui, UI_FONT_BODY, tx, info.y + lh, in->nearest_color, buf);
    }
    if (in->dim == 2 && in->loaded) {
        snprintf(buf, sizeof buf, "z = (%.2f, %.2f)", (double)in->z[0], (double)in->z[1]);
        ui_draw_text(ui, UI_FONT_BODY, in->nearest >= 0 ? tx : th.x,
                     info.y + lh + ui_text_height(ui, UI_FONT_BODY), t->text, buf);
    }
    ui_panel_end(ui);
}
