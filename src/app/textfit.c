/* textfit: see textfit.h. */
#include "textfit.h"

static bool inside(UiRect a, UiRect b)
{
    return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
}

int textfit_scan(const UiCmdList *l, int screen_w, int screen_h, TextCut *out, int cap,
                 int *across)
{
    UiRect screen = {0, 0, screen_w, screen_h}, clip = screen;
    int n = 0, nx = 0;
    for (int i = 0; i < l->n; i++) {
        const UiCmd *c = &l->cmds[i];
        if (c->type == UI_CMD_CLIP) {
            clip = c->rect.w < 0 ? screen : ui_rect_intersect(c->rect, screen);
            continue;
        }
        if (c->type != UI_CMD_TEXT || c->len == 0 || c->rect.w <= 0 || c->rect.h <= 0)
            continue;
        UiRect shown = ui_rect_intersect(c->rect, clip);
        if (shown.w <= 0 || shown.h <= 0 || inside(c->rect, clip))
            continue;
        UiRect r = c->rect;
        bool x = r.x < clip.x || r.x + r.w > clip.x + clip.w;
        if (n < cap)
            out[n] = (TextCut){.cmd = i, .text = r, .clip = clip, .across = x};
        n++;
        nx += x;
    }
    if (across)
        *across = nx;
    return n;
}
