/* cmd: see cmd.h. */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

bool ui_cmdlist_init(UiCmdList *l, int cap, size_t text_cap)
{
    memset(l, 0, sizeof *l);
    l->cmds = calloc((size_t)cap, sizeof *l->cmds);
    l->text = malloc(text_cap);
    if (!l->cmds || !l->text) {
        ui_cmdlist_free(l);
        return false;
    }
    l->cap = cap;
    l->text_cap = text_cap;
    return true;
}

void ui_cmdlist_free(UiCmdList *l)
{
    free(l->cmds);
    free(l->text);
    memset(l, 0, sizeof *l);
}

void ui_cmdlist_clear(UiCmdList *l)
{
    l->n = 0;
    l->text_n = 0;
    l->overflow = false;
}

UiCmd *ui_cmdlist_push(UiCmdList *l, UiCmdType type)
{
    if (l->n >= l->cap) {
        l->overflow = true;
        return NULL;
    }
    UiCmd *c = &l->cmds[l->n++];
    memset(c, 0, sizeof *c);
    c->type = type;
    return c;
}

bool ui_cmdlist_text(UiCmdList *l, UiCmd *c, const char *s, size_t len)
{
    if (l->text_n + len > l->text_cap) {
        l->overflow = true;
        c->len = 0;
        return false;
    }
    memcpy(l->text + l->text_n, s, len);
    c->text = (uint32_t)l->text_n;
    c->len = (uint32_t)len;
    l->text_n += len;
    return true;
}

const char *ui_cmd_text(const UiCmdList *l, const UiCmd *c)
{
    return l->text + c->text;
}

UiRect ui_rect_intersect(UiRect a, UiRect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return ui_rect(x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0);
}
