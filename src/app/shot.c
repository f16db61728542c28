/* shot: save the frame just drawn (before the swap) as a PNG. */
#include <stdlib.h>

#include "app_impl.h"
#include "io/png.h"

int app_screenshot(App *a, const char *path, Err *e)
{
    int w = a->win.pw, h = a->win.ph;
    uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
    if (!rgb)
        return err_set(e, ERR_NOMEM, "screenshot %s: out of memory", path);
    gfx_read_rgb(w, h, rgb);
    int rc = io_png_write(path, rgb, w, h, 3, (size_t)w * 3, e);
    free(rgb);
    return rc;
}
