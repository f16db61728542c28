/* draw_app: the Draw-a-digit panel's App side (see view_draw.h): the
 * input the panel reads, with the codec that encodes the drawing with the
 * shown model; the z and the map marker it asks for; re-encoding on new
 * weights; the textures, uploaded in app_draw_upload, the one place here
 * that touches GL; and the dump's "draw". */
#include <cjson/cJSON.h>
#include <string.h>

#include "app_impl.h"
#include "dumpjson.h"
#include "explore/pixels.h"

/* The App is calloc'ed: the panel takes its defaults on first use. */
static AppDraw *draw_of(App *a)
{
    if (!a->draw.inited)
        draw_panel_defaults(&a->draw);
    return &a->draw;
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

/* The codec the panel encodes its one image with: the shown model's UI
 * thread copy (codec is the App). */
static void encode_one(void *codec, const float *x, float *mu, float *logvar)
{
    App *a = codec;
    vae_encode(&a->map.model.vae, x, 1, mu, logvar);
}

static void decode_one(void *codec, const float *mu, float *xhat)
{
    App *a = codec;
    vae_decode(&a->map.model.vae, mu, 1, xhat);
}

static DrawPanelIn draw_in(App *a)
{
    return (DrawPanelIn){
        .loaded = a->map.loaded,
        .z_dim = a->cur.dim,
        .weights = a->train.applied,
        .encode = encode_one,
        .decode = decode_one,
        .codec = a,
    };
}

/* What the panel asked for: a new encoding is placed on the map, and after
 * a stroke its mu becomes the current z. */
static void draw_apply(App *a, int act)
{
    if (!(act & DRAW_ACT_ENCODED))
        return;
    if (act & DRAW_ACT_SET_Z)
        app_set_z(a, a->draw.mu);
    draw_place(a);
}

bool app_draw_key(App *a, UiKey k)
{
    DrawPanelIn in = draw_in(a);
    int act = draw_panel_key(draw_of(a), k, app_draw_shown(a), &in);
    if (act & DRAW_ACT_TOGGLE)
        app_ask_side(a, APP_SIDE_DRAW, APP_SIDE_TOGGLE);
    draw_apply(a, act);
    return act != 0;
}

void view_draw(App *a)
{
    DrawPanelIn in = draw_in(a);
    draw_apply(a, draw_panel(&a->ui, a->layout.sliders, draw_of(a), &in));
}

void app_draw_sync(App *a)
{
    AppDraw *d = draw_of(a);
    if (!app_draw_shown(a) || d->empty || !a->map.loaded)
        return;
    if (d->enc_z != a->cur.dim || d->enc_weights != a->train.applied) {
        DrawPanelIn in = draw_in(a);
        draw_apply(a, draw_panel_refresh(d, &in)); /* new weights: z stays */
    } else if (!d->map_valid || (a->cur.dim > 2 && d->map_seq != a->map.lay.seq)) {
        draw_place(a);
    }
}

void view_draw_map(App *a)
{
    AppDraw *d = &a->draw;
    if (!app_draw_shown(a) || d->empty || !a->map.loaded || !d->map_valid)
        return;
    float sx, sy;
    map_to_screen(a, d->map_xy[0], d->map_xy[1], &sx, &sy);
    draw_panel_marker(&a->ui, sx, sy);
}

void app_draw_upload(App *a)
{
    AppDraw *d = draw_of(a);
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
