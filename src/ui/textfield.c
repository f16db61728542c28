/* textfield: a one-line text field with keyboard focus and a caret.
 *
 * Keys and typed text arrive between frames (ui_input_key / ui_input_text)
 * into one byte queue, in the order they were typed: UI_EDIT_* codes are
 * bytes below 0x20, which typed text never holds (control characters are
 * dropped), so "type abc, Tab, type d" stays in that order even when it
 * lands in one frame. The focused field drains the queue when it is drawn;
 * it stops after a key that returns something to the caller (Enter, Esc,
 * Tab, Up, Down) and leaves the rest for the next frame, so the caller sees
 * e.g. the completed text before the next letters arrive.
 *
 * The caret is a byte offset kept on UTF-8 character boundaries. Only the
 * focused field has a caret, so it lives in the Ui. Text wider than the
 * field scrolls so the caret (or, unfocused, the end: the file name of a
 * long path) stays in view; the offset is derived each frame, not stored.
 * Thread rule: main thread, like the rest of the Ui. */
#include <string.h>

#include "ui.h"

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

static int prev_char(const char *buf, int i)
{
    while (i > 0 && is_cont((unsigned char)buf[--i]))
        ;
    return i;
}

static int next_char(const char *buf, int len, int i)
{
    if (i >= len)
        return len;
    i++;
    while (i < len && is_cont((unsigned char)buf[i]))
        i++;
    return i;
}

static void clamp_caret(const char *buf, int *caret)
{
    int len = (int)strlen(buf);
    if (*caret < 0 || *caret > len)
        *caret = len;
    while (*caret > 0 && *caret < len && is_cont((unsigned char)buf[*caret]))
        (*caret)--;
}

bool ui_text_edit_key(char *buf, int cap, int *caret, int key)
{
    (void)cap;
    clamp_caret(buf, caret);
    int len = (int)strlen(buf), c = *caret;
    switch (key) {
    case UI_EDIT_BACKSPACE:
        if (c == 0)
            return false;
        {
            int p = prev_char(buf, c);
            memmove(buf + p, buf + c, (size_t)(len - c + 1));
            *caret = p;
        }
        return true;
    case UI_EDIT_DELETE:
        if (c >= len)
            return false;
        {
            int n = next_char(buf, len, c);
            memmove(buf + c, buf + n, (size_t)(len - n + 1));
        }
        return true;
    case UI_EDIT_LEFT: *caret = prev_char(buf, c); return false;
    case UI_EDIT_RIGHT: *caret = next_char(buf, len, c); return false;
    case UI_EDIT_HOME: *caret = 0; return false;
    case UI_EDIT_END: *caret = len; return false;
    case UI_EDIT_CLEAR:
        *caret = 0;
        if (len == 0)
            return false;
        buf[0] = '\0';
        return true;
    default: return false;
    }
}

bool ui_text_edit_insert(char *buf, int cap, int *caret, const char *utf8)
{
    clamp_caret(buf, caret);
    int len = (int)strlen(buf);
    bool changed = false;
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        /* one whole character at a time, so a full buffer never ends in a
         * broken sequence */
        int n = 1;
        while (s[n] && is_cont(s[n]))
            n++;
        if (s[0] < 0x20 || s[0] == 0x7f || is_cont(s[0])) { /* control, stray byte */
            s += n;
            continue;
        }
        if (len + n + 1 > cap)
            break;
        memmove(buf + *caret + n, buf + *caret, (size_t)(len - *caret + 1));
        memcpy(buf + *caret, s, (size_t)n);
        *caret += n;
        len += n;
        s += n;
        changed = true;
    }
    return changed;
}

bool ui_wants_keys(const Ui *ui)
{
    return ui->focus != 0;
}

int ui_text_edit_for_key(UiKey k)
{
    switch (k.code) {
    case UI_KEY_BACKSPACE: return UI_EDIT_BACKSPACE;
    case UI_KEY_DELETE: return UI_EDIT_DELETE;
    case UI_KEY_LEFT: return UI_EDIT_LEFT;
    case UI_KEY_RIGHT: return UI_EDIT_RIGHT;
    case UI_KEY_HOME: return UI_EDIT_HOME;
    case UI_KEY_END: return UI_EDIT_END;
    case UI_KEY_ENTER:
    case UI_KEY_KP_ENTER: return UI_EDIT_ENTER;
    case UI_KEY_ESCAPE: return UI_EDIT_ESCAPE;
    case UI_KEY_TAB: return UI_EDIT_TAB;
    case UI_KEY_UP: return UI_EDIT_UP;
    case UI_KEY_DOWN: return UI_EDIT_DOWN;
    case 'a': /* the shells' and browsers' "select all / kill line" */
    case 'u': return (k.mods & UI_MOD_CTRL) ? UI_EDIT_CLEAR : UI_EDIT_NONE;
    default: return UI_EDIT_NONE;
    }
}

bool ui_input_key(Ui *ui, UiKey k)
{
    int key = ui_text_edit_for_key(k);
    if (!ui->focus || key <= UI_EDIT_NONE || key >= 0x20)
        return false;
    if (ui->nqueue < (int)sizeof ui->queue)
        ui->queue[ui->nqueue++] = (char)key;
    return true;
}

bool ui_input_text(Ui *ui, const char *utf8)
{
    if (!ui->focus)
        return false;
    size_t n = strlen(utf8);
    if (ui->nqueue + (int)n <= (int)sizeof ui->queue) { /* all of it or none */
        memcpy(ui->queue + ui->nqueue, utf8, n);
        ui->nqueue += (int)n;
    }
    return true;
}

void ui_focus(Ui *ui, uint32_t id)
{
    if (ui->focus != id)
        ui->nqueue = 0;
    ui->focus = id;
    ui->caret = -1;
    ui->focus_seen = id != 0; /* survives this frame's ui_end */
}

uint32_t ui_text_field_id(const Ui *ui, const char *name)
{
    return ui_id_str(ui, name);
}

void ui_text_end(Ui *ui)
{
    if (ui->focus && !ui->focus_seen)
        ui->focus = 0;
    ui->focus_seen = false;
    if (!ui->focus)
        ui->nqueue = 0;
}

/* Drain the queue into buf; returns UI_TEXT_* bits. */
static int drain(Ui *ui, char *buf, int cap)
{
    int res = 0, i = 0;
    while (i < ui->nqueue) {
        unsigned char b = (unsigned char)ui->queue[i];
        if (b >= 0x20) { /* a run of text */
            char run[sizeof ui->queue + 1];
            int n = 0;
            while (i < ui->nqueue && (unsigned char)ui->queue[i] >= 0x20)
                run[n++] = ui->queue[i++];
            run[n] = '\0';
            if (ui_text_edit_insert(buf, cap, &ui->caret, run))
                res |= UI_TEXT_CHANGED;
            continue;
        }
        i++;
        int stop = b == UI_EDIT_ENTER    ? UI_TEXT_SUBMIT
                   : b == UI_EDIT_ESCAPE ? UI_TEXT_CANCEL
                   : b == UI_EDIT_TAB    ? UI_TEXT_TAB
                   : b == UI_EDIT_UP     ? UI_TEXT_UP
                   : b == UI_EDIT_DOWN   ? UI_TEXT_DOWN
                                        : 0;
        if (stop) {
            res |= stop;
            break;
        }
        if (ui_text_edit_key(buf, cap, &ui->caret, b))
            res |= UI_TEXT_CHANGED;
    }
    memmove(ui->queue, ui->queue + i, (size_t)(ui->nqueue - i));
    ui->nqueue -= i;
    return res;
}

static int width_n(const Ui *ui, const char *s, int n)
{
    return ui->tm.width(ui->tm.user, UI_FONT_BODY, s, n);
}

/* The caret offset nearest to x pixels into the text. */
static int caret_at(const Ui *ui, const char *buf, int x)
{
    int len = (int)strlen(buf), best = 0, best_d = x < 0 ? -x : x;
    for (int i = next_char(buf, len, 0); i <= len; i = next_char(buf, len, i)) {
        int d = width_n(ui, buf, i) - x;
        d = d < 0 ? -d : d;
        if (d < best_d) {
            best_d = d;
            best = i;
        }
        if (i == len)
            break;
    }
    return best;
}

int ui_text_field(Ui *ui, const char *name, UiRect r, char *buf, int cap, const char *hint)
{
    const UiTheme *t = &ui->theme;
    uint32_t id = ui_text_field_id(ui, name);
    int pad = ui_pad(ui);
    UiRect inner = ui_rect(r.x + pad, r.y, r.w - 2 * pad, r.h);
    int res = 0;
    bool over = ui_rect_contains(r, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
    int ctl = ui_control(ui, id, r, UI_MOUSE_LEFT);
    int len = (int)strlen(buf);
    int tw = width_n(ui, buf, len);

    if (ui->focus == id && (ui_mouse(ui)->pressed & UI_MOUSE_LEFT) && !over)
        ui_focus(ui, 0); /* a click elsewhere */
    if (ctl & UI_PRESS) {
        int offset = tw > inner.w ? tw - inner.w : 0; /* as drawn last frame, unfocused */
        if (ui->focus == id) {
            clamp_caret(buf, &ui->caret);
            int cx = width_n(ui, buf, ui->caret);
            offset = cx > inner.w ? cx - inner.w : 0;
        }
        if (ui->focus != id)
            ui_focus(ui, id);
        ui->caret = caret_at(ui, buf, ui_mouse(ui)->mouse_x - inner.x + offset);
    }
    bool focused = ui->focus == id;
    if (focused) {
        ui->focus_seen = true;
        res = drain(ui, buf, cap);
        if (res & (UI_TEXT_SUBMIT | UI_TEXT_CANCEL))
            ui_focus(ui, 0);
        len = (int)strlen(buf);
        tw = width_n(ui, buf, len);
        clamp_caret(buf, &ui->caret);
    }

    float radius = (float)pad * 0.6f;
    ui_draw_rect(ui, r, focused ? t->card : t->button, radius);
    ui_draw_frame(ui, r, focused ? t->accent : t->border, focused || t->high_contrast ? 2.0f : 1.0f,
                  radius);
    int th = ui_text_height(ui, UI_FONT_BODY);
    int ty = r.y + (r.h - th) / 2;
    int cx = focused ? width_n(ui, buf, ui->caret) : tw;
    int offset = cx > inner.w ? cx - inner.w : 0;
    UiRect saved = ui->clip;
    ui_clip(ui, ui_rect_intersect(inner, saved));
    if (len == 0 && hint && !focused)
        ui_draw_text(ui, UI_FONT_BODY, inner.x, ty, t->text_dim, hint);
    else
        ui_draw_text(ui, UI_FONT_BODY, inner.x - offset, ty, t->text, buf);
    if (focused) {
        float x = (float)(inner.x + cx - offset) + 0.5f;
        ui_draw_line(ui, x, (float)ty, x, (float)(ty + th), 2.0f, t->accent);
    }
    if (saved.x == 0 && saved.y == 0 && saved.w == ui->screen_w && saved.h == ui->screen_h)
        ui_clip_reset(ui);
    else
        ui_clip(ui, saved);
    return res;
}
