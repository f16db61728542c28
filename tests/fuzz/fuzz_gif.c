/* fuzz_gif: the GIF reader (io_gif_read_mem: giflib's record parser plus our
 * compositing of frames, palettes, transparency and disposal) on arbitrary
 * bytes. Whatever the bytes, a read either succeeds with consistent sizes
 * (every frame's pixels readable) or fails with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "io/gif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    IoGif g;
    Err e = {0};
    if (io_gif_read_mem(data, size, &g, &e) == ERR_OK) {
        if (g.n_frames < 1 || g.w < 1 || g.h < 1 || !g.rgba || !g.delay_cs)
            abort();
        size_t last = (size_t)g.n_frames * (size_t)g.w * (size_t)g.h * 4 - 1;
        volatile uint8_t px = g.rgba[last];
        volatile int d = g.delay_cs[g.n_frames - 1];
        (void)px;
        (void)d;
        io_gif_free(&g);
    } else if (e.msg[0] == '\0' || g.rgba) {
        abort(); /* every failure says why and leaves nothing allocated */
    }
    return 0;
}
