/* latent: the app's side of the cursor (explore/cursor.h): z set from the
 * map or the sliders, its nearest map point, and the decode done on the UI
 * thread with its own copy of the weights, at most once per frame, just
 * before drawing, then shown; and the App side of the panels that show z,
 * the Decoder (view_decoder.h) and the sliders (view_sliders.h). */
#include <float.h>

#include "app_impl.h"
#include "explore/pixels.h"

void app_set_z(App *a, const float *z)
{
    if (a->cur.dim <= 0)
        return;
    cursor_set_z(&a->cur, z, app_nearest_point(a, z));
}

void app_z_from_map(App *a, float x, float y)
{
    float xy[2] = {x, y}, z[VAE_MAX_Z];
    if (map_model_invert(&a->map, xy, z)) /* Z > 2: kNN inverse of the projection */
        app_set_z(a, z);
}

int app_nearest_point(const App *a, const float *z)
{
    if (!a->map.ready)
        return -1;
    const ModelJob *j = &a->map.model.job;
    int best = -1;
    float bd = FLT_MAX;
    for (size_t i = 0; i < j->n; i++) {
        const float *m = j->mu + i * (size_t)j->z;
        float d = 0;
        for (int k = 0; k < j->z; k++)
            d += (m[k] - z[k]) * (m[k] - z[k]);
        if (d < bd)
            bd = d, best = (int)i;
    }
    return best;
}

void app_decode_if_dirty(App *a)
{
    if (!a->map.loaded || !cursor_decode(&a->cur, &a->map.model.vae))
        return;
    gfx_image_set(&a->gr, a->img_decoded, a->cur.decoded);
    if (a->cur.nearest >= 0)
        app_upload_point_image(a, a->img_nearest, a->cur.nearest);
}

void app_upload_point_image(App *a, int image, int point)
{
    if (!a->map.ready || point < 0 || (size_t)point >= a->map.model.job.n)
        return;
    uint8_t px[VAE_X];
    pixels_to_bytes(model_point_image(&a->map.model.job, (size_t)point), px, VAE_X);
    gfx_image_set(&a->gr, image, px);
}

void view_decoder(App *a)
{
    if (view_compare_decoder(a)) /* --compare: both models' decodes side by side */
        return;
    int near = a->cur.nearest;
    int lab = near >= 0 ? a->map.model.job.labels[near] : -1;
    DecoderPanelIn in = {
        .r = a->layout.decoder,
        .img = a->layout.dec_img,
        .thumb = a->layout.dec_thumb,
        .loaded = a->map.loaded,
        .decoded = a->cur.decoded_valid,
        .img_decoded = a->img_decoded,
        .nearest = near,
        .img_nearest = a->img_nearest,
        .nearest_name = near >= 0 ? app_class_name(a, lab) : NULL,
        .nearest_color = near >= 0 ? app_label_ui_color(a, lab) : ui_rgba(0, 0, 0, 0),
        .dim = a->cur.dim,
        .z = a->cur.z,
    };
    decoder_panel(&a->ui, &in);
}

void view_sliders(App *a)
{
    /* the Neighbours strip takes the bottom of the slot (view_neigh.h) */
    UiRect r = app_neigh_room(a, a->layout.sliders);
    const ModelJob *j = &a->map.model.job;
    int near = a->cur.nearest;
    SlidersPanelIn in = {
        .loaded = a->map.loaded,
        .dim = a->cur.dim,
        .z = a->cur.z,
        .nearest_mu = near >= 0 ? j->mu + (size_t)near * (size_t)j->z : NULL,
        .kl = a->map.ready ? j->kl_dim : NULL,
    };
    if (sliders_panel(&a->ui, r, &a->sliders, &in) & SLIDERS_ACT_SET_Z)
        app_set_z(a, a->sliders.z);
    if (a->map.loaded)
        view_neigh(a);
}
