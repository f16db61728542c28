/* overlay: tooltip, toasts and the help overlay. Widgets and views queue
 * them during the frame; ui_end draws them last (on top) and then resets the
 * per-frame input. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

void ui_tooltip(Ui *ui, const char *text, int image)
{
    snprintf(ui->tooltip, sizeof ui->tooltip, "%s", text);
    ui->tooltip_image = image;
    ui->tooltip_on = true;
}

void ui_toast(Ui *ui, const char *text)
{
    if (ui->ntoasts == UI_MAX_TOASTS) { /* drop the oldest */
        memmove(ui->toasts, ui->toasts + 1, (UI_MAX_TOASTS - 1) * sizeof ui->toasts[0]);
        ui->ntoasts--;
    }
    UiToast *t = &ui->toasts[ui->ntoasts++];
    snprintf(t->text, sizeof t->text, "%s", text);
    t->t0 = ui->now;
}

bool ui_toasts_active(const Ui *ui)
{
    return ui->ntoasts > 0;
}

void ui_help(Ui *ui, const char *title, const UiHelpEntry *entries, int n)
{
    ui->help_title = title;
    ui->help = entries;
    ui->nhelp = n;
}

static UiColor with_alpha(UiColor c, float a)
{
    c.a = (uint8_t)((float)c.a * (a < 0 ? 0 : a > 1 ? 1 : a));
    return c;
}

static void draw_tooltip(Ui *ui)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), lh = ui_text_height(ui, UI_FONT_BODY);
    int lines = 0, tw = 0;
    for (const char *s = ui->tooltip; *s;) {
        const char *e = strchr(s, '\n');
        int len = e ? (int)(e - s) : (int)strlen(s);
        int w = ui->tm.width(ui->tm.user, UI_FONT_BODY, s, len);
        tw = w > tw ? w : tw;
        lines++;
        s += len + (e ? 1 : 0);
    }
    int img = ui->tooltip_image >= 0 ? lh * 4 : 0;
    int w = tw + 2 * pad + (img ? img + pad : 0);
    int text_h = lines * lh;
    int h = (text_h > img ? text_h : img) + 2 * pad;
    int x = ui->in.mouse_x + 2 * pad, y = ui->in.mouse_y + 2 * pad;
    if (x + w > ui->screen_w)
        x = ui->in.mouse_x - 2 * pad - w;
    if (y + h > ui->screen_h)
        y = ui->in.mouse_y - 2 * pad - h;
    x = x < 0 ? 0 : x;
    y = y < 0 ? 0 : y;
    UiRect r = ui_rect(x, y, w, h);
    ui_draw_rect(ui, r, t->card, (float)pad);
    ui_draw_frame(ui, r, t->high_contrast ? t->border : t->accent, 1.5f, (float)pad);
    if (img)
        ui_draw_image(ui, ui_rect(x + pad, y + pad, img, img), ui->tooltip_image, t->text);
    int tx = x + pad + (img ? img + pad : 0), ty = y + pad;
    for (const char *s = ui->tooltip; *s;) {
        const char *e = strchr(s, '\n');
        int len = e ? (int)(e - s) : (int)strlen(s);
        char line[256];
        snprintf(line, sizeof line, "%.*s", len, s);
        ui_draw_text(ui, UI_FONT_BODY, tx, ty, ty == y + pad ? t->text : t->text_dim, line);
        ty += lh;
        s += len + (e ? 1 : 0);
    }
}

/* The help's grid for one font: columns, rows, and the card's size. */
typedef struct {
    int font, lh, keyw, colw, cols, rows, w, h, title_h;
} HelpGrid;

static HelpGrid help_grid(Ui *ui, int font, int cols)
{
    int pad = ui_pad(ui);
    HelpGrid g = {.font = font, .cols = cols};
    g.lh = ui_text_height(ui, font) + pad;
    int whatw = 0;
    for (int i = 0; i < ui->nhelp; i++) {
        int k = ui_text_width(ui, font, ui->help[i].key);
        int d = ui_text_width(ui, font, ui->help[i].what);
        g.keyw = k > g.keyw ? k : g.keyw;
        whatw = d > whatw ? d : whatw;
    }
    g.keyw += 2 * pad;
    g.colw = g.keyw + 2 * pad + whatw;
    g.title_h = ui_text_height(ui, UI_FONT_HUGE) + 2 * pad;
    g.rows = (ui->nhelp + cols - 1) / cols;
    g.w = cols * g.colw + (cols - 1) * 4 * pad + 4 * pad;
    g.h = g.title_h + g.rows * g.lh + 3 * pad;
    return g;
}

static void draw_help(Ui *ui)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    ui_draw_rect(ui, ui_rect(0, 0, ui->screen_w, ui->screen_h), t->backdrop, 0);
    /* The first grid that fits the screen: body text in 1, 2 or 3 columns,
     * then small text (every panel adds lines; 1024x768 projectors must
     * still show them all). If nothing fits, the smallest, widest one. */
    static const int fonts[] = {UI_FONT_BODY, UI_FONT_SMALL};
    HelpGrid g;
    bool found = false;
    for (int f = 0; f < 2 && !found; f++)
        for (int cols = 1; cols <= 3 && !found; cols++) {
            g = help_grid(ui, fonts[f], cols);
            found = g.w <= ui->screen_w - 2 * pad && g.h <= ui->screen_h - 2 * pad;
        }
    if (!found) {
        /* Small text in as few columns as the height allows, each column
         * narrowed to the screen; descriptions are clipped to it. */
        int cols = 1;
        do
            g = help_grid(ui, UI_FONT_SMALL, cols);
        while (g.h > ui->screen_h - 2 * pad && ++cols < 3);
        if (g.w > ui->screen_w) {
            g.colw = (ui->screen_w - 4 * pad - (g.cols - 1) * 4 * pad) / g.cols;
            g.w = ui->screen_w;
        }
    }
    int lh = g.lh;
    UiRect card = ui_rect((ui->screen_w - g.w) / 2, (ui->screen_h - g.h) / 2, g.w, g.h);
    if (card.x < 0)
        card.x = 0;
    if (card.y < 0)
        card.y = 0;
    ui_draw_rect(ui, card, t->card, (float)pad);
    ui_draw_frame(ui, card, t->accent, 2.0f, (float)pad);
    ui_draw_text(ui, UI_FONT_HUGE, card.x + 2 * pad, card.y + pad, t->text, ui->help_title);
    for (int i = 0; i < ui->nhelp; i++) {
        int c = i / g.rows, r = i % g.rows;
        int x = card.x + 2 * pad + c * (g.colw + 4 * pad);
        int y = card.y + g.title_h + pad + r * lh;
        int kw = ui_text_width(ui, g.font, ui->help[i].key) + 2 * pad;
        UiRect cap = ui_rect(x + g.keyw - kw, y, kw, lh - pad / 2);
        ui_draw_rect(ui, cap, t->button, (float)pad / 2);
        ui_draw_frame(ui, cap, t->border, 1.0f, (float)pad / 2);
        ui_draw_text(ui, g.font, cap.x + pad, y + pad / 4, t->accent, ui->help[i].key);
        ui_clip(ui, ui_rect(x, y, g.colw, lh));
        ui_draw_text(ui, g.font, x + g.keyw + 2 * pad, y + pad / 4, t->text, ui->help[i].what);
        ui_clip_reset(ui);
    }
}

static void draw_toasts(Ui *ui)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), lh = ui_text_height(ui, UI_FONT_BODY);
    /* expire old ones first */
    int k = 0;
    for (int i = 0; i < ui->ntoasts; i++)
        if (ui->now - ui->toasts[i].t0 < UI_TOAST_SECONDS)
            ui->toasts[k++] = ui->toasts[i];
    ui->ntoasts = k;
    int y = ui->screen_h - 3 * (lh + 2 * pad);
    for (int i = ui->ntoasts - 1; i >= 0; i--) {
        double age = ui->now - ui->toasts[i].t0;
        float a = age > UI_TOAST_SECONDS - 0.5 ? (float)(UI_TOAST_SECONDS - age) / 0.5f : 1.0f;
        int w = ui_text_width(ui, UI_FONT_BODY, ui->toasts[i].text) + 4 * pad;
        int h = lh + 2 * pad;
        UiRect r = ui_rect((ui->screen_w - w) / 2, y - h, w, h);
        ui_draw_rect(ui, r, with_alpha(t->card, a * 0.96f), (float)h / 2);
        ui_draw_frame(ui, r, with_alpha(t->accent, a), 1.5f, (float)h / 2);
        ui_draw_text(ui, UI_FONT_BODY, r.x + 2 * pad, r.y + pad, with_alpha(t->text, a),
                     ui->toasts[i].text);
        y -= h + pad;
    }
}

void ui_end(Ui *ui)
{
    if (ui->lay.open)
        ui_panel_end(ui);
    ui_clip_reset(ui);
    if (ui->tooltip_on && !ui->help)
        draw_tooltip(ui);
    if (ui->help)
        draw_help(ui);
    if (ui->ntoasts)
        draw_toasts(ui);
    /* A widget that held the mouse but was not drawn this frame (its panel
     * was hidden) must not keep it forever. */
    if (ui->active && !ui->active_seen)
        ui->active = 0;
    ui->active_seen = false;
    ui_text_end(ui);
    ui->in.pressed = ui->in.released = 0;
    ui->in.scroll = 0;
    if (ui->in.motion_held) { /* see ui_input_motion */
        ui->in.mouse_x = ui->in.held_x;
        ui->in.mouse_y = ui->in.held_y;
        ui->in.motion_held = false;
    }
}
