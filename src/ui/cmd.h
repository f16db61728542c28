/* cmd: the draw command list that the UI fills and gfx renders. Pure data,
 * no GL: a test reads it to see what a widget would draw.
 *
 * Coordinates are drawable pixels, origin top-left. Commands are drawn in
 * order (later ones on top). Text bytes live in one buffer owned by the list;
 * a command refers to them by offset. Capacity is fixed at init: when full,
 * further commands are dropped and `overflow` is set (a frame is never
 * allowed to grow memory without bound). Thread rule: one thread. */
#ifndef ZSPACE_UI_CMD_H
#define ZSPACE_UI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int x, y, w, h;
} UiRect;

typedef struct {
    uint8_t r, g, b, a;
} UiColor;

typedef enum {
    UI_CMD_RECT,   /* filled rect, corner radius `radius` (0 = square) */
    UI_CMD_FRAME,  /* outline of rect, `width` pixels thick, corner `radius` */
    UI_CMD_LINE,   /* segment x0,y0 -> x1,y1, `width` pixels wide */
    UI_CMD_CIRCLE, /* centre x0,y0, radius `radius`; ring of `width` or filled if 0 */
    UI_CMD_TEXT,   /* text at rect.x, rect.y (top-left), rect.w/h = measured size */
    UI_CMD_IMAGE,  /* grayscale image `image` scaled into rect, ink `color` */
    UI_CMD_CLIP,   /* clip later commands to rect (w < 0: no clip) */
    UI_CMD_CUSTOM, /* the app draws `custom` into rect itself (e.g. the point cloud) */
} UiCmdType;

typedef struct {
    UiCmdType type;
    UiColor color;
    UiRect rect;
    float x0, y0, x1, y1; /* LINE, CIRCLE */
    float width;          /* LINE, FRAME, CIRCLE ring */
    float radius;         /* RECT, FRAME, CIRCLE */
    int font;             /* TEXT: font role (UI_FONT_*) */
    int image;            /* IMAGE: renderer image id */
    int custom;           /* CUSTOM: app-defined id */
    uint32_t text, len;   /* TEXT: bytes [text, text+len) of the text buffer */
} UiCmd;

typedef struct {
    UiCmd *cmds;
    int n, cap;
    char *text;
    size_t text_n, text_cap;
    bool overflow;
} UiCmdList;

/* Allocate room for cap commands and text_cap bytes of text. */
bool ui_cmdlist_init(UiCmdList *l, int cap, size_t text_cap);
void ui_cmdlist_free(UiCmdList *l);
void ui_cmdlist_clear(UiCmdList *l);
/* Append a command (returns it zeroed except type) or NULL when full. */
UiCmd *ui_cmdlist_push(UiCmdList *l, UiCmdType type);
/* Copy len bytes of text into the buffer and attach them to c. */
bool ui_cmdlist_text(UiCmdList *l, UiCmd *c, const char *s, size_t len);
/* The text of a TEXT command (not NUL-terminated; use c->len). */
const char *ui_cmd_text(const UiCmdList *l, const UiCmd *c);

static inline UiRect ui_rect(int x, int y, int w, int h)
{
    UiRect r = {x, y, w, h};
    return r;
}
static inline UiColor ui_rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
    UiColor c = {r, g, b, a};
    return c;
}
static inline bool ui_rect_contains(UiRect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
/* Intersection of two rects (w or h 0 when disjoint). */
UiRect ui_rect_intersect(UiRect a, UiRect b);

#endif
