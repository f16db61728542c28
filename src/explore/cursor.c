/* cursor: see cursor.h. */
#include "cursor.h"

#include <nettle/sha1.h>
#include <string.h>

#include "pixels.h"

void cursor_reset(Cursor *c, int dim)
{
    c->dim = dim;
    memset(c->z, 0, sizeof c->z);
    c->dirty = dim > 0;
    c->nearest = -1;
}

void cursor_forget(Cursor *c)
{
    c->nearest = -1;
    c->decoded_valid = false;
}

void cursor_set_z(Cursor *c, const float *z, int nearest)
{
    if (c->dim <= 0)
        return;
    memcpy(c->z, z, (size_t)c->dim * sizeof *z);
    c->dirty = true;
    c->nearest = nearest;
}

void cursor_set_nearest(Cursor *c, int nearest)
{
    c->nearest = nearest;
}

void cursor_stale(Cursor *c)
{
    c->dirty = true;
}

bool cursor_decode(Cursor *c, Vae *v)
{
    if (!c->dirty)
        return false;
    float xhat[VAE_X];
    vae_decode(v, c->z, 1, xhat);
    pixels_to_bytes(xhat, c->decoded, VAE_X);
    c->decoded_valid = true;
    /* A fingerprint of each decode lets a script check that a drag made a
     * sequence of different images. */
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, sizeof c->decoded, c->decoded);
    sha1_digest(&ctx, 20, c->recent_sha1[c->decodes % CURSOR_SHA1_RING]);
    c->decodes++;
    c->dirty = false;
    return true;
}

const uint8_t *cursor_sha1(const Cursor *c, uint64_t k)
{
    return c->recent_sha1[k % CURSOR_SHA1_RING];
}
