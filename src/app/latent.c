/* latent: the current latent vector z and what follows from it: the
 * decoded digit (decoded on the UI thread with its own copy of the weights,
 * at most once per frame, just before drawing) and the nearest map point. */
#include <float.h>
#include <nettle/sha1.h>
#include <math.h>
#include <string.h>

#include "app_impl.h"

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
    if (a->z_dim != 2) {
        app_proj_inverse(a, x, y); /* Z > 2: kNN inverse of the projection */
        return;
    }
    float z[2] = {x, y};
    app_set_z(a, z);
}

int app_nearest_point(const App *a, const float *z)
{
    if (!a->map_ready)
        return -1;
    const ModelJob *j = &a->model.job;
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

static void to_bytes(const float *x, uint8_t *out)
{
    for (int i = 0; i < VAE_X; i++) {
        float v = x[i] < 0 ? 0 : x[i] > 1 ? 1 : x[i];
        out[i] = (uint8_t)lroundf(v * 255.0f);
    }
}

void app_decode_if_dirty(App *a)
{
    if (!a->z_dirty || !a->have_model)
        return;
    float xhat[VAE_X];
    vae_decode(&a->model.vae, a->z, 1, xhat);
    to_bytes(xhat, a->decoded);
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
    if (!a->map_ready || point < 0 || (size_t)point >= a->model.job.n)
        return;
    uint8_t px[VAE_X];
    to_bytes(model_point_image(&a->model.job, (size_t)point), px);
    gfx_image_set(&a->gr, image, px);
}
