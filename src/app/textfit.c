/* textfit: see textfit.h. */
#include <stdio.h>
#include <string.h>

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

const char *textfit_elide(const Ui *ui, int font, const char *s, int w, char *buf, size_t n)
{
    snprintf(buf, n, "%s", s);
    size_t len = strlen(buf);  /* buf holds s's first len bytes */
    bool cut = s[len] != '\0'; /* s did not fit in buf: it needs the ellipsis */
    while (len > 0 && (cut || ui_text_width(ui, font, buf) > w)) {
        do /* back up over a whole UTF-8 sequence */
            len--;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80);
        if (len + 4 <= n) { /* else shorter still, until the ellipsis fits */
            memcpy(buf + len, "\xe2\x80\xa6", 4);
            cut = false;
        }
    }
    return buf;
}
