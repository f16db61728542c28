/* view_draw: the Draw-a-digit panel (see view_draw.h). Update (view_draw
 * paints and encodes, view_draw_map keeps the encoding and its map
 * position current and marks it) appends draw commands only; the textures
 * are uploaded in app_draw_upload, the one place here that touches GL. */
#include <cjson/cJSON.h>
#include <math.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "dumpjson.h"
#include "explore/pixels.h"
#include "core/timer.h"
#include "viz/draw_prep.h"

#define DRAW_BRUSH_MIN 6.0f
#define DRAW_BRUSH_MAX 30.0f

static void draw_init_once(AppDraw *d)
{
    if (d->inited)
        return;
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

bool app_draw_shown(const App *a)
{
    return app_side(a) == APP_SIDE_DRAW;
}

/* Where mu is on the map: itself (Z = 2) or its kNN placement in the
 * projection's current layout (Z > 2), as the z marker is placed. */
static void draw_place(App *a)
{
    AppDraw *d = &a->draw;
    d->map_valid = false;
    if (d->empty)
        return;
    d->map_seq = a->map.lay.seq;
    d->map_valid = map_model_place(&a->map, d->mu, d->map_xy);
}

/* Canvas -> 28x28 -> encode -> reconstruction; set_z: the drawing's mu
 * becomes the current z (after a stroke, not after new weights). */
static void draw_refresh(App *a, bool set_z)
{
    AppDraw *d = &a->draw;
    double t0 = timer_now();
    d->empty = !draw_prep_mnist(d->canvas, DRAW_CANVAS, DRAW_CANVAS, d->image, NULL);
    d->prep_seconds = timer_now() - t0;
    d->up_digit = true;
    d->changed = false;
    if (d->empty || !a->map.loaded) {
        d->map_valid = false;
        return;
    }
    pixels_to_bytes(d->image, d->image_bytes, VAE_X);
    sha1_of(d->image_bytes, VAE_X, d->image_sha1);
    t0 = timer_now();
    vae_encode(&a->map.model.vae, d->image, 1, d->mu, d->logvar);
    d->encode_seconds = timer_now() - t0;
    float xhat[VAE_X];
    vae_decode(&a->map.model.vae, d->mu, 1, xhat);
    pixels_to_bytes(xhat, d->recon, VAE_X);
    sha1_of(d->recon, VAE_X, d->recon_sha1);
    d->enc_z = a->cur.dim;
    d->enc_weights = a->train.applied;
    if (set_z)
        app_set_z(a, d->mu);
    draw_place(a);
}

static void draw_clear(App *a)
{
    AppDraw *d = &a->draw;
    memset(d->canvas, 0, sizeof d->canvas);
    d->strokes = 0;
    d->up_canvas = true;
    draw_refresh(a, false); /* empty: z stays where it is */
}

bool app_draw_key(App *a, UiKey k)
{
    AppDraw *d = &a->draw;
    draw_init_once(d);
    if (ui_key_chorded(k))
        return false; /* Ctrl+O and friends belong to others */
    switch (k.code) {
    case 'd':
        app_ask_side(a, APP_SIDE_DRAW, APP_SIDE_TOGGLE);
        return true;
    case UI_KEY_BACKSPACE:
        if (!app_draw_shown(a))
            return false;
        draw_clear(a);
        return true;
    default: return false;
    }
}

/* Paint with the left mouse: a dot on press, segments while held. */
static void paint(App *a, UiRect q)
{
    Ui *ui = &a->ui;
    AppDraw *d = &a->draw;
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
static void thumb(App *a, UiRect q, int img, bool valid, const char *caption)
{
    Ui *ui = &a->ui;
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
static void draw_info(App *a, int x, int y, int w)
{
    Ui *ui = &a->ui;
    const AppDraw *d = &a->draw;
    char l1[96], l2[96];
    if (a->cur.dim == 2) {
        snprintf(l1, sizeof l1, "\xce\xbc = (%.2f, %.2f)", (double)d->mu[0], (double)d->mu[1]);
        snprintf(l2, sizeof l2, "\xcf\x83 = (%.2f, %.2f)", (double)expf(0.5f * d->logvar[0]),
                 (double)expf(0.5f * d->logvar[1]));
    } else {
        double n2 = 0, sm = 0;
        for (int k = 0; k < a->cur.dim; k++) {
            n2 += (double)d->mu[k] * d->mu[k];
            sm += exp(0.5 * d->logvar[k]);
        }
        snprintf(l1, sizeof l1, "|\xce\xbc| = %.2f  (Z = %d)", sqrt(n2), a->cur.dim);
        snprintf(l2, sizeof l2, "mean \xcf\x83 = %.2f", sm / a->cur.dim);
    }
    int f = ui_text_width(ui, UI_FONT_BODY, l1) <= w && ui_text_width(ui, UI_FONT_BODY, l2) <= w
                ? UI_FONT_BODY
                : UI_FONT_SMALL;
    int line = ui_text_height(ui, f);
    ui_draw_text(ui, f, x, y, ui->theme.text, l1);
    ui_draw_text(ui, f, x, y + line, ui->theme.text_dim, l2);
}

void view_draw(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    AppDraw *d = &a->draw;
    draw_init_once(d);
    int pad = ui_pad(ui);
    ui_panel_begin(ui, "Draw a digit \xc2\xb7 D", a->layout.sliders, false);
    if (!a->map.loaded) {
        ui_label(ui, UI_FONT_BODY, t->text_dim, "no model loaded");
        ui_panel_end(ui);
        return;
    }
    UiRect r = ui_row(ui, 0);
    int bw = ui_text_width(ui, UI_FONT_BODY, "Clear") + 3 * pad;
    bw = bw > r.w / 2 ? r.w / 2 : bw;
    d->clear_rect = ui_rect(r.x, r.y, bw, r.h);
    if (ui_button_at(ui, d->clear_rect, "Clear"))
        draw_clear(a);
    d->brush_rect = ui_rect(r.x + bw + pad, r.y, r.w - bw - pad, r.h);
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
    paint(a, q);
    if (d->changed)
        draw_refresh(a, true);
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
    thumb(a, d->input_rect, d->img_input, !d->empty, "input");
    thumb(a, d->recon_rect, d->img_recon, !d->empty, "recon");
    if (!d->empty && iy + info_h <= rest.y + rest.h + pad)
        draw_info(a, ix, iy, rest.x + rest.w - ix);
    ui_panel_end(ui);
}

void app_draw_sync(App *a)
{
    AppDraw *d = &a->draw;
    draw_init_once(d);
    if (!app_draw_shown(a) || d->empty || !a->map.loaded)
        return;
    if (d->enc_z != a->cur.dim || d->enc_weights != a->train.applied)
        draw_refresh(a, false);
    else if (!d->map_valid || (a->cur.dim > 2 && d->map_seq != a->map.lay.seq))
        draw_place(a);
}

void view_draw_diamond(App *a, float sx, float sy)
{
    Ui *ui = &a->ui;
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

void view_draw_map(App *a)
{
    AppDraw *d = &a->draw;
    if (!app_draw_shown(a) || d->empty || !a->map.loaded || !d->map_valid)
        return;
    float sx, sy;
    map_to_screen(a, d->map_xy[0], d->map_xy[1], &sx, &sy);
    view_draw_diamond(a, sx, sy);
}

void app_draw_upload(App *a)
{
    AppDraw *d = &a->draw;
    draw_init_once(d);
    if (!app_draw_shown(a))
        return;
    if (d->img_canvas < 0) {
        d->img_canvas = gfx_image_new(&a->gr, DRAW_CANVAS, DRAW_CANVAS);
        d->img_input = gfx_image_new(&a->gr, 28, 28);
        d->img_recon = gfx_image_new(&a->gr, 28, 28);
        d->up_canvas = d->up_digit = true;
    }
    if (d->up_canvas && d->img_canvas >= 0) {
        static uint8_t px[DRAW_CANVAS * DRAW_CANVAS]; /* UI thread only */
        pixels_to_bytes(d->canvas, px, sizeof px);
        gfx_image_set(&a->gr, d->img_canvas, px);
        d->up_canvas = false;
    }
    if (d->up_digit && !d->empty && d->img_input >= 0 && d->img_recon >= 0) {
        gfx_image_set(&a->gr, d->img_input, d->image_bytes);
        gfx_image_set(&a->gr, d->img_recon, d->recon);
    }
    d->up_digit = false;
}

void app_draw_dump(const App *a, void *cjson_object)
{
    const AppDraw *d = &a->draw;
    cJSON *o = cjson_object;
    cJSON_AddBoolToObject(o, "shown", app_draw_shown(a));
    bool empty = d->empty || !d->inited || !a->map.loaded;
    cJSON_AddBoolToObject(o, "empty", empty);
    cJSON_AddNumberToObject(o, "strokes", d->strokes);
    cJSON_AddNumberToObject(o, "brush", d->brush);
    cJSON_AddNumberToObject(o, "canvas_side", DRAW_CANVAS);
    cJSON_AddItemToObject(o, "canvas_rect", dump_rect(d->canvas_rect));
    cJSON_AddItemToObject(o, "clear_rect", dump_rect(d->clear_rect));
    cJSON_AddItemToObject(o, "brush_rect", dump_rect(d->brush_rect));
    cJSON_AddItemToObject(o, "input_rect", dump_rect(d->input_rect));
    cJSON_AddItemToObject(o, "recon_rect", dump_rect(d->recon_rect));
    cJSON_AddNumberToObject(o, "prep_ms", d->prep_seconds * 1e3);
    if (empty) {
        cJSON_AddNullToObject(o, "image_sha1");
        return;
    }
    char hex[41];
    dump_sha1_hex(d->image_sha1, hex);
    cJSON_AddStringToObject(o, "image_sha1", hex);
    dump_sha1_hex(d->recon_sha1, hex);
    cJSON_AddStringToObject(o, "recon_sha1", hex);
    int px[VAE_X];
    for (int i = 0; i < VAE_X; i++)
        px[i] = d->image_bytes[i];
    cJSON_AddItemToObject(o, "image", cJSON_CreateIntArray(px, VAE_X));
    cJSON_AddItemToObject(o, "mu", cJSON_CreateFloatArray(d->mu, d->enc_z));
    cJSON_AddItemToObject(o, "logvar", cJSON_CreateFloatArray(d->logvar, d->enc_z));
    cJSON_AddNumberToObject(o, "encode_ms", d->encode_seconds * 1e3);
    if (d->map_valid)
        cJSON_AddItemToObject(o, "map_xy", cJSON_CreateFloatArray(d->map_xy, 2));
    else
        cJSON_AddNullToObject(o, "map_xy");
}
