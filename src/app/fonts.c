/* fonts: the four text sizes follow the window (bigger windows, bigger
 * text, within limits), the HiDPI scale (a scaled drawable, or the display's
 * DPI on X11) and the presenter's Ctrl +/-.
 * Atlases are rebuilt only when a size actually changes. */
#include <math.h>
#include <string.h>

#include "app_impl.h"

int app_fonts(App *a, Err *e)
{
    float h_pt = (float)a->win.h / a->dpi_scale; /* points of the display's scale */
    float body = h_pt / 46.0f;
    body = body < 15 ? 15 : body > 24 ? 24 : body;
    body *= a->win.scale * a->dpi_scale * a->text_scale;
    static const float rel[UI_FONTS] = {0.82f, 1.0f, 1.12f, 1.6f};
    int px[UI_FONTS];
    for (int i = 0; i < UI_FONTS; i++)
        px[i] = (int)lroundf(body * rel[i]);
    if (!memcmp(px, a->font_px, sizeof px))
        return ERR_OK;
    if (gfx_renderer_fonts(&a->gr, a->font_regular, a->font_bold, px, e) != ERR_OK)
        return e ? e->code : ERR_IO;
    memcpy(a->font_px, px, sizeof px);
    return ERR_OK;
}
