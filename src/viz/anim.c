/* anim: see anim.h. */
#include "anim.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/gif.h"

void viz_gif_opts_default(VizGifOpts *o)
{
    memset(o, 0, sizeof *o);
    o->img_w = o->img_h = 28;
    o->scale = 8;
    o->fps = 20;
}

int viz_gif_delay_cs(const VizGifOpts *o, size_t k)
{
    /* Viewers slow delays under 2 cs down to 10 cs, so 50 fps is the top. */
    int delay = (int)lround(100.0 / o->fps);
    delay = delay < 2 ? 2 : delay;
    if (o->stop_every > 0 && k % (size_t)o->stop_every == 0)
        delay += (int)lround(o->hold_ms / 10.0);
    return delay;
}

int viz_gif_write(const char *path, const float *frames, size_t n, const VizGifOpts *o, Err *e)
{
    if (n == 0 || o->img_w < 1 || o->img_h < 1 || o->scale < 1 || o->scale > 64 || o->fps < 1 ||
        o->fps > 50 || o->hold_ms < 0 || o->hold_ms > 60000 || o->stop_every < 0)
        return err_set(e, ERR_ARG, "%s: bad animation (%zu frames, scale %d, %d fps, hold %d ms)",
                       path, n, o->scale, o->fps, o->hold_ms);
    int k = o->scale, w = o->img_w * k, h = o->img_h * k;
    uint8_t pal[256 * 3];
    for (int i = 0; i < 256; i++)
        pal[3 * i] = pal[3 * i + 1] = pal[3 * i + 2] = (uint8_t)i;
    uint8_t *px = malloc((size_t)w * (size_t)h);
    if (!px)
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    IoGifWriter g;
    if (io_gif_open(&g, path, w, h, pal, 256, IO_GIF_LOOP_FOREVER, e) != ERR_OK) {
        free(px);
        return e ? e->code : ERR_IO;
    }
    /* Forwards, then (ping-pong) back without repeating either end. */
    size_t total = o->pingpong && n > 2 ? 2 * n - 2 : n, frame = (size_t)o->img_w * o->img_h;
    int rc = ERR_OK;
    for (size_t t = 0; t < total && rc == ERR_OK; t++) {
        size_t f = t < n ? t : 2 * n - 2 - t;
        const float *img = frames + f * frame;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                float v = img[(y / k) * o->img_w + x / k];
                v = v > 0 ? (v < 1 ? v : 1) : 0; /* also maps NaN to black */
                px[(size_t)y * w + x] = (uint8_t)lrintf(255.0f * v);
            }
        rc = io_gif_frame(&g, px, (size_t)w, viz_gif_delay_cs(o, f), e);
    }
    free(px);
    if (rc != ERR_OK) {
        io_gif_abort(&g);
        return rc;
    }
    return io_gif_commit(&g, e);
}
