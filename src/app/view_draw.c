/* view_draw: the Draw-a-digit panel's canvas, widgets and keys (see
 * view_draw.h). It paints, prepares the canvas the MNIST way and has the
 * drawing encoded through DrawPanelIn's codec (the app's model, which the
 * panel never sees); what the app must do about it (take mu as z, mark it
 * on the map, show or hide the panel) comes back as DRAW_ACT_* bits. */
#include <math.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <string.h>

#include "core/timer.h"
#include "explore/pixels.h"
#include "view_draw.h"
#include "viz/draw_prep.h"

#define DRAW_BRUSH_MIN 6.0f
#define DRAW_BRUSH_MAX 30.0f

void draw_panel_defaults(AppDraw *d)
{
    d->inited = true;
    /* about an MNIST stroke for a digit drawn two thirds of the canvas tall */
    d->brush = 14.0f;
    d->empty = true;
    d->img_canvas = d->img_input = d->img_recon = -1;
}

static void sha1_of(const uint8_t *px, size_t n, uint8_t dig[20])
{
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, n, px);
    sha1_digest(&ctx, 20, dig);
}

int draw_panel_refresh(AppDraw *d, const DrawPanelIn *in)
{
    double t0 = timer_now();
    d->empty = !draw_prep_mnist(d->canvas, DRAW_CANVAS, DRAW_CANVAS, d->image, NULL);
    d->prep_seconds = timer_now() - t0;
    d->up_digit = true;
    d->changed = false;
    if (d->empty || !in->loaded) {
        d->map_valid = false;
        return 0;
    }
    pixels_to_bytes(d->image, d->image_bytes, VAE_X);
    sha1_of(d->image_bytes, VAE_X, d->image_sha1);
    t0 = timer_now();
    in->encode(in->codec, d->image, d->mu, d->logvar);
    d->encode_seconds = timer_now() - t0;
    float xhat[VAE_X];
    in->decode(in->codec, d->mu, xhat);
    pixels_to_bytes(xhat, d->recon, VAE_X);
    sha1_of(d->recon, VAE_X, d->recon_sha1);
    d->enc_z = in->z_dim;
    d->enc_weights = in->weights;
    return DRAW_ACT_ENCODED;
}

int draw_panel_clear(AppDraw *d, const DrawPanelIn *in)
{
    memset(d->canvas, 0, sizeof d->canvas);
    d->strokes = 0;
    d->up_canvas = true;
    return DRAW_ACT_CLEAR | draw_panel_refresh(d, in); /* empty: nothing to encode */
}

int draw_panel_key(AppDraw *d, UiKey k, bool shown, const DrawPanelIn *in)
{
    if (ui_key_chorded(k))
        return 0; /* Ctrl+O and friends belong to others */
    switch (k.code) {
    case 'd': return DRAW_ACT_TOGGLE;
    case UI_KEY_BACKSPACE: return shown ? draw_panel_clear(d, in) : 0;
    default: return 0;
    }
}

/* Paint with the left mouse: a dot on press, segments while held. */
static void paint(Ui *ui, AppDraw *d, UiRect q)
{
    int res = ui_control(ui, ui_id_str(ui, "draw-canvas"), q, UI_MOUSE_LEFT);
    float k = (float)DRAW_CANVAS / (float)q.w;
    float cx = ((float)ui_mouse(ui)->mouse_x - (float)q.x) * k;
    float cy = ((float)ui_mouse(ui)->mouse_y - (float)q.y) * k;
    if (res & UI_PRESS) {
        draw_prep_stroke(d->canvas, DRAW_CANVAS, DRAW_CANVAS, cx, cy, cx, cy, d->brush);
        d->strokes++;
        d->changed = d->up_canvas = true;
    } else if ((res & UI_ACTIVE) && (cx != d->last_x || cy != d->last_y)) {
        draw_prep_stroke(d->canvas, DRAW_CANVAS, DRAW_CANVAS, d->last_x, d->last_y, cx, cy,
                         d->brush);
        d->changed = d->up_canvas = true;
    }
    if (res & (UI_PRESS | UI_ACTIVE)) {
        d->last_x = cx;
        d->last_y = cy;
    }
}

/* A captioned 28x28 image (or a dark square while there is none). */
static void thumb(Ui *ui, UiRect q, int img, bool valid, const char *caption)
{
    const UiTheme *t = &ui->theme;
    int lh = ui_text_height(ui, UI_FONT_SMALL);
    ui_draw_text(ui, UI_FONT_SMALL, q.x, q.y - lh, t->text_dim, caption);
    if (valid && img >= 0)
        ui_draw_image(ui, q, img, ui_rgba(255, 255, 255, 255));
    else
        ui_draw_rect(ui, q, ui_rgba(0, 0, 0, 255), 0);
    ui_draw_frame(ui, q, t->border, 1, 0);
}

/* mu and sigma of the drawing's q(z|x), two lines at (x, y) in w pixels
 * (the small font when the body font is too wide); Z > 2: their sizes. */
static void draw_info(Ui *ui, const AppDraw *d, int dim, int x, int y, int w)
{
    char l1[96], l2[96];
    if (dim == 2) {
        snprintf(l1, sizeof l1, "\xce\xbc = (%.2f, %.2f)", (double)d->mu[0], (double)d->mu[1]);
        snprintf(l2, sizeof l2, "\xcf\x83 = (%.2f, %.2f)", (double)expf(0.5f * d->logvar[0]),
                 (double)expf(0.5f * d->logvar[1]));
    } else {
        double n2 = 0, sm = 0;
        for (int k = 0; k < dim; k++) {
            n2 += (double)d->mu[k] * d->mu[k];
            sm += exp(0.5 * d->logvar[k]);
        }
        snprintf(l1, sizeof l1, "|\xce\xbc| = %.2f  (Z = %d)", sqrt(n2), dim);
        snprintf(l2, sizeof l2, "mean \xcf\x83 = %.2f", sm / dim);
    }
    int f = ui_text_width(ui, UI_FONT_BODY, l1) <= w && ui_text_width(ui, UI_FONT_BODY, l2) <= w
                ? UI_FONT_BODY
                : UI_FONT_SMALL;
    int line = ui_text_height(ui, f);
    ui_draw_text(ui, f, x, y, ui->theme.text, l1);
    ui_draw_text(ui, f, x, y + line, ui->theme.text_dim, l2);
}

int draw_panel(Ui *ui, UiRect r, AppDraw *d, const DrawPanelIn *in)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    int act = 0;
    ui_panel_begin(ui, "Draw a digit \xc2\xb7 D", r, false);
    if (!in->loaded) {
        ui_label(ui, UI_FONT_BODY, t->text_dim, "no model loaded");
        ui_panel_end(ui);
        return 0;
    }
    UiRect row = ui_row(ui, 0);
    int bw = ui_text_width(ui, UI_FONT_BODY, "Clear") + 3 * pad;
    bw = bw > row.w / 2 ? row.w / 2 : bw;
    d->clear_rect = ui_rect(row.x, row.y, bw, row.h);
    if (ui_button_at(ui, d->clear_rect, "Clear"))
        act |= draw_panel_clear(d, in);
    d->brush_rect = ui_rect(row.x + bw + pad, row.y, row.w - bw - pad, row.h);
    ui_slider_at(ui, d->brush_rect, "Brush", &d->brush, DRAW_BRUSH_MIN, DRAW_BRUSH_MAX, "%.0f");

    /* the rest: the canvas, and beside (or below) it what the encoder saw
     * and its reconstruction */
    UiRect body = ui->lay.body;
    int top = ui_row(ui, 0).y;
    UiRect rest = ui_rect(body.x, top, body.w, body.y + body.h - top);
    int lh = ui_text_height(ui, UI_FONT_SMALL);
    int line = ui_text_height(ui, UI_FONT_BODY);
    int info_h = 2 * line + pad; /* mu and sigma */
    int tw = rest.w / 4;
    tw = tw < line * 3 ? line * 3 : tw;
    tw = tw > (rest.h - 2 * lh - pad) / 2 ? (rest.h - 2 * lh - pad) / 2 : tw;
    /* Two arrangements; the one with the larger canvas wins. Beside: the
     * two images right of the canvas, mu and sigma under it. Stacked (a
     * tall, narrow slot as at 1024x768): the images in a row under the
     * canvas, mu and sigma right of them. */
    int beside = rest.w - tw - pad < rest.h - info_h ? rest.w - tw - pad : rest.h - info_h;
    int stacked = rest.w < rest.h - lh - tw - pad ? rest.w : rest.h - lh - tw - pad;
    bool stack = stacked > beside + pad;
    int side = stack ? stacked : beside;
    side = side < 32 ? 32 : side;
    UiRect q = ui_rect(rest.x, rest.y, side, side);
    d->canvas_rect = q;
    paint(ui, d, q);
    if (d->changed && (draw_panel_refresh(d, in) & DRAW_ACT_ENCODED))
        act |= DRAW_ACT_ENCODED | DRAW_ACT_SET_Z; /* a stroke: its mu becomes z */
    if (d->img_canvas >= 0)
        ui_draw_image(ui, q, d->img_canvas, ui_rgba(255, 255, 255, 255));
    else
        ui_draw_rect(ui, q, ui_rgba(0, 0, 0, 255), 0);
    ui_draw_frame(ui, q, ui->active == ui_id_str(ui, "draw-canvas") ? t->accent : t->border, 2, 0);
    if (d->empty) {
        const char *hint = "draw a digit here";
        int w = ui_text_width(ui, UI_FONT_BODY, hint);
        ui_draw_text(ui, UI_FONT_BODY, q.x + (q.w - w) / 2, q.y + (q.h - line) / 2, t->text_dim,
                     hint);
    }
    int ix, iy;
    if (stack) {
        int y = q.y + side + pad + lh;
        d->input_rect = ui_rect(q.x, y, tw, tw);
        d->recon_rect = ui_rect(q.x + tw + pad, y, tw, tw);
        ix = q.x + 2 * (tw + pad);
        iy = y - lh;
    } else {
        int x = q.x + side + pad;
        d->input_rect = ui_rect(x, q.y + lh, tw, tw);
        d->recon_rect = ui_rect(x, q.y + 2 * lh + tw + pad, tw, tw);
        ix = q.x;
        iy = q.y + side + pad / 2;
    }
    thumb(ui, d->input_rect, d->img_input, !d->empty, "input");
    thumb(ui, d->recon_rect, d->img_recon, !d->empty, "recon");
    if (!d->empty && iy + info_h <= rest.y + rest.h + pad)
        draw_info(ui, d, in->z_dim, ix, iy, rest.x + rest.w - ix);
    ui_panel_end(ui);
    return act;
}

void draw_panel_marker(Ui *ui, float sx, float sy)
{
    /* a diamond, unlike the round z marker, with a "drawn" tag */
    float r = (float)ui_text_height(ui, UI_FONT_BODY) * 0.95f; /* outside the z marker's ring */
    float px[5] = {sx, sx + r, sx, sx - r, sx}, py[5] = {sy - r, sy, sy + r, sy, sy - r};
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 4; i++)
            ui_draw_line(ui, px[i], py[i], px[i + 1], py[i + 1], pass ? 2.5f : 5.5f,
                         pass ? ui_rgba(255, 255, 255, 255) : ui_rgba(0, 0, 0, 210));
    const char *tag = "drawn";
    int pad = ui_pad(ui), th = ui_text_height(ui, UI_FONT_SMALL);
    int tw = ui_text_width(ui, UI_FONT_SMALL, tag);
    UiRect box = ui_rect((int)(sx + r + pad / 2), (int)(sy - r) - th, tw + pad, th);
    ui_draw_rect(ui, box, ui_rgba(0, 0, 0, 190), (float)pad / 3);
    ui_draw_text(ui, UI_FONT_SMALL, box.x + pad / 2, box.y, ui_rgba(255, 255, 255, 255), tag);
}
