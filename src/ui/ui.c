/* ui: context, input, ids, hot/active tracking and draw primitives. The
 * widgets live in widgets.c, panels in panel.c, overlays in overlay.c. */
#include "ui.h"

#include <math.h>
#include <string.h>

bool ui_init(Ui *ui, UiTextMetrics tm, const UiTheme *theme)
{
    memset(ui, 0, sizeof *ui);
    if (!ui_cmdlist_init(&ui->list, 16384, 1 << 18))
        return false;
    ui->tm = tm;
    ui->theme = *theme;
    ui->scale = 1.0f;
    ui->tooltip_image = -1;
    return true;
}

void ui_free(Ui *ui)
{
    ui_cmdlist_free(&ui->list);
}

/* A motion that comes after a press or release in the same frame waits for
 * the frame's end: the widgets must see the button where it went down or
 * up. Otherwise a late pointer event from the window system (Xvfb reports
 * its own pointer when the window appears) could move a click elsewhere. */
void ui_input_motion(Ui *ui, int x, int y)
{
    if (ui->in.pressed || ui->in.released) {
        ui->in.motion_held = true;
        ui->in.held_x = x;
        ui->in.held_y = y;
        return;
    }
    ui->in.mouse_x = x;
    ui->in.mouse_y = y;
}

void ui_input_button(Ui *ui, int x, int y, int button, bool down)
{
    ui->in.mouse_x = x;
    ui->in.mouse_y = y;
    ui->in.motion_held = false;
    if (down) {
        ui->in.down |= button;
        ui->in.pressed |= button;
    } else {
        ui->in.down &= ~button;
        ui->in.released |= button;
    }
}

void ui_input_scroll(Ui *ui, float notches)
{
    ui->in.scroll += notches;
}

void ui_begin(Ui *ui, int screen_w, int screen_h, double now)
{
    ui_cmdlist_clear(&ui->list);
    ui->screen_w = screen_w;
    ui->screen_h = screen_h;
    ui->now = now;
    ui->clip = ui_rect(0, 0, screen_w, screen_h);
    ui->hot = ui->next_hot;
    ui->next_hot = 0;
    ui->tooltip_on = false;
    ui->tooltip_image = -1;
    ui->help = NULL;
    ui->modal_up = ui->in_modal = false;
    for (int i = 0; i < UI_MAX_PANELS; i++)
        ui->panels[i].used = false;
}

void ui_modal_up(Ui *ui)
{
    ui->modal_up = true;
    ui->beneath = ui->in;
    ui->beneath.mouse_x = ui->beneath.mouse_y = -100000; /* over nothing */
    ui->beneath.pressed = ui->beneath.released = 0;
    ui->beneath.scroll = 0;
    ui->beneath.motion_held = false;
}

void ui_modal_begin(Ui *ui)
{
    ui->in_modal = true;
}

void ui_modal_end(Ui *ui)
{
    ui->in_modal = false;
}

const UiInput *ui_mouse(const Ui *ui)
{
    return ui->modal_up && !ui->in_modal ? &ui->beneath : &ui->in;
}

void ui_take_scroll(Ui *ui)
{
    if (ui_mouse(ui) == &ui->in)
        ui->in.scroll = 0;
}

/* FNV-1a: small, stable, good enough to tell widget labels apart. */
static uint32_t fnv(uint32_t h, const void *data, int size)
{
    const unsigned char *p = data;
    for (int i = 0; i < size; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

uint32_t ui_id(const Ui *ui, const void *data, int size)
{
    uint32_t seed = ui->lay.open ? ui->lay.id : 2166136261u;
    uint32_t h = fnv(seed, data, size);
    return h ? h : 1; /* 0 means "nothing" */
}

uint32_t ui_id_str(const Ui *ui, const char *s)
{
    return ui_id(ui, s, (int)strlen(s));
}

int ui_control(Ui *ui, uint32_t id, UiRect r, int buttons)
{
    const UiInput *in = ui_mouse(ui);
    int res = 0;
    bool over = ui_rect_contains(r, in->mouse_x, in->mouse_y) &&
                ui_rect_contains(ui->clip, in->mouse_x, in->mouse_y);
    if (over && (ui->active == 0 || ui->active == id)) {
        ui->next_hot = id;
        res |= UI_HOVER;
    }
    if (over && ui->active == 0 && (in->pressed & buttons)) {
        ui->active = id;
        ui->active_button = in->pressed & buttons;
        res |= UI_PRESS;
    }
    if (ui->active == id) {
        ui->active_seen = true;
        res |= UI_ACTIVE;
        if (!(in->down & ui->active_button)) {
            /* released (possibly pressed and released within one frame) */
            ui->active = 0;
            res |= UI_RELEASE;
        }
    }
    return res;
}

bool ui_mouse_captured(const Ui *ui)
{
    return ui->hot != 0 || ui->active != 0;
}

int ui_text_width(const Ui *ui, int font, const char *s)
{
    return ui->tm.width(ui->tm.user, font, s, (int)strlen(s));
}

int ui_text_height(const Ui *ui, int font)
{
    return ui->tm.height(ui->tm.user, font);
}

int ui_pad(const Ui *ui)
{
    int h = ui_text_height(ui, UI_FONT_BODY);
    return h / 3 > 2 ? h / 3 : 2;
}

int ui_row_h(const Ui *ui)
{
    return ui_text_height(ui, UI_FONT_BODY) + 2 * ui_pad(ui);
}

static bool visible(const Ui *ui, UiRect r)
{
    UiRect c = ui_rect_intersect(r, ui->clip);
    return c.w > 0 && c.h > 0;
}

void ui_draw_rect(Ui *ui, UiRect r, UiColor c, float radius)
{
    if (c.a == 0 || !visible(ui, r))
        return;
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_RECT);
    if (cmd) {
        cmd->rect = r;
        cmd->color = c;
        cmd->radius = radius;
    }
}

void ui_draw_frame(Ui *ui, UiRect r, UiColor c, float width, float radius)
{
    if (c.a == 0 || !visible(ui, r))
        return;
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_FRAME);
    if (cmd) {
        cmd->rect = r;
        cmd->color = c;
        cmd->width = width;
        cmd->radius = radius;
    }
}

void ui_draw_line(Ui *ui, float x0, float y0, float x1, float y1, float width, UiColor c)
{
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_LINE);
    if (cmd) {
        cmd->x0 = x0, cmd->y0 = y0, cmd->x1 = x1, cmd->y1 = y1;
        cmd->width = width;
        cmd->color = c;
    }
}

void ui_draw_circle(Ui *ui, float x, float y, float radius, float ring, UiColor c)
{
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_CIRCLE);
    if (cmd) {
        cmd->x0 = x, cmd->y0 = y;
        cmd->radius = radius;
        cmd->width = ring;
        cmd->color = c;
    }
}

static int draw_text_n(Ui *ui, int font, int x, int y, UiColor c, const char *s, int len)
{
    int w = ui->tm.width(ui->tm.user, font, s, len);
    UiRect r = ui_rect(x, y, w, ui_text_height(ui, font));
    if (len == 0 || !visible(ui, r))
        return w;
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_TEXT);
    if (cmd) {
        cmd->rect = r;
        cmd->color = c;
        cmd->font = font;
        ui_cmdlist_text(&ui->list, cmd, s, (size_t)len);
    }
    return w;
}

int ui_draw_text(Ui *ui, int font, int x, int y, UiColor c, const char *s)
{
    return draw_text_n(ui, font, x, y, c, s, (int)strlen(s));
}

/* Bytes of s (up to len) that fit in w pixels, at least one character. */
static int fit_chars(const Ui *ui, int font, const char *s, int len, int w)
{
    int n = 1;
    while (n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    for (int k = n + 1; k <= len; k++) {
        if (k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
            continue; /* inside a UTF-8 sequence */
        if (ui->tm.width(ui->tm.user, font, s, k) > w)
            break;
        n = k;
    }
    return n;
}

static int wrap(Ui *ui, int font, UiRect r, UiColor c, const char *s, bool draw)
{
    int lh = ui_text_height(ui, font), y = r.y;
    while (*s) {
        /* Take words while they fit; a word wider than the box is cut. */
        int len = 0, fit = 0;
        for (;;) {
            int end = len;
            while (s[end] == ' ')
                end++;
            while (s[end] && s[end] != ' ' && s[end] != '\n')
                end++;
            if (end == len)
                break;
            if (ui->tm.width(ui->tm.user, font, s, end) > r.w) {
                if (fit == 0)
                    fit = fit_chars(ui, font, s, end, r.w);
                break;
            }
            fit = len = end;
            if (s[end] == '\n' || !s[end])
                break;
        }
        if (draw)
            draw_text_n(ui, font, r.x, y, c, s, fit);
        y += lh;
        s += fit;
        while (*s == ' ')
            s++;
        if (*s == '\n')
            s++;
    }
    return y - r.y;
}

int ui_draw_text_wrapped(Ui *ui, int font, UiRect r, UiColor c, const char *s)
{
    return wrap(ui, font, r, c, s, true);
}

int ui_text_wrapped_height(Ui *ui, int font, int w, const char *s)
{
    return wrap(ui, font, ui_rect(0, 0, w, 0), ui->theme.text, s, false);
}

void ui_draw_image(Ui *ui, UiRect r, int image, UiColor ink)
{
    if (!visible(ui, r))
        return;
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_IMAGE);
    if (cmd) {
        cmd->rect = r;
        cmd->image = image;
        cmd->color = ink;
    }
}

void ui_draw_custom(Ui *ui, UiRect r, int custom)
{
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_CUSTOM);
    if (cmd) {
        cmd->rect = r;
        cmd->custom = custom;
    }
}

void ui_clip(Ui *ui, UiRect r)
{
    ui->clip = ui_rect_intersect(r, ui_rect(0, 0, ui->screen_w, ui->screen_h));
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_CLIP);
    if (cmd)
        cmd->rect = ui->clip;
}

void ui_clip_reset(Ui *ui)
{
    ui->clip = ui_rect(0, 0, ui->screen_w, ui->screen_h);
    UiCmd *cmd = ui_cmdlist_push(&ui->list, UI_CMD_CLIP);
    if (cmd)
        cmd->rect = ui_rect(0, 0, -1, -1);
}
