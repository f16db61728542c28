/* latent: the current latent vector z and what follows from it: the
 * decoded digit (decoded on the UI thread with its own copy of the weights,
 * at most once per frame, just before drawing) and the nearest map point. */
#include <float.h>
#include <nettle/sha1.h>
#include <math.h>
#include <string.h>

#include "app_impl.h"
#include "pixels.h"

void app_set_z(App *a, const float *z)
{
    if (a->z_dim <= 0)
        return;
    memcpy(a->z, z, (size_t)a->z_dim * sizeof *z);
    a->z_dirty = true;
    a->nearest = app_nearest_point(a, a->z);
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
    if (!a->z_dirty || !a->map.loaded)
        return;
    float xhat[VAE_X];
    vae_decode(&a->map.model.vae, a->z, 1, xhat);
    pixels_to_bytes(xhat, a->decoded, VAE_X);
    gfx_image_set(&a->gr, a->img_decoded, a->decoded);
    a->decoded_valid = true;
    /* Remember a fingerprint of each decode, so a script can check that a
     * drag produced a sequence of different images. */
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, sizeof a->decoded, a->decoded);
    sha1_digest(&ctx, 20, a->recent_sha1[a->decodes % 32]);
    a->decodes++;
    a->z_dirty = false;
    if (a->nearest >= 0)
        app_upload_point_image(a, a->img_nearest, a->nearest);
}

void app_upload_point_image(App *a, int image, int point)
{
    if (!a->map.ready || point < 0 || (size_t)point >= a->map.model.job.n)
        return;
    uint8_t px[VAE_X];
    pixels_to_bytes(model_point_image(&a->map.model.job, (size_t)point), px, VAE_X);
    gfx_image_set(&a->gr, image, px);
}
