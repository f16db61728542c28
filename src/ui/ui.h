/* ui: immediate-mode widgets in the shape of rxi/microui. Each frame the app
 * feeds input, calls widgets (which take the value they edit, e.g. float *,
 * and return a "changed"/"clicked" flag) and ui_end; the widgets append draw
 * commands (cmd.h) that gfx renders. No GL here, so the logic is tested
 * headless by feeding synthetic input and reading the command list.
 *
 * Interaction follows microui: `hot` is the widget under the mouse, `active`
 * the one that took the press and keeps the mouse until release (so a slider
 * keeps tracking when the mouse leaves it). Ids hash the label (or a pointer)
 * with the enclosing panel's id. Overlays (tooltip, help, toasts) are queued
 * during the frame and drawn last by ui_end, so they are on top.
 * Thread rule: a Ui belongs to the main thread. */
#ifndef ZSPACE_UI_UI_H
#define ZSPACE_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "cmd.h"
#include "key.h"

enum { UI_FONT_SMALL, UI_FONT_BODY, UI_FONT_TITLE, UI_FONT_HUGE, UI_FONTS };
enum { UI_MOUSE_LEFT = 1, UI_MOUSE_RIGHT = 2, UI_MOUSE_MIDDLE = 4 };
/* ui_control result bits. */
enum { UI_HOVER = 1, UI_PRESS = 2, UI_ACTIVE = 4, UI_RELEASE = 8 };

typedef struct {
    UiColor bg, panel, header, border, text, text_dim, accent, on_accent;
    UiColor button, button_hot, button_down, track, handle, backdrop, card, grid, axis, focus;
    bool high_contrast;
} UiTheme;

/* Text measurement, supplied by the renderer (gfx/text) or a test. */
typedef struct {
    int (*width)(void *user, int font, const char *s, int len);
    int (*height)(void *user, int font);
    void *user;
} UiTextMetrics;

typedef struct {
    int mouse_x, mouse_y;
    int down;              /* buttons held now (UI_MOUSE_* mask) */
    int pressed, released; /* buttons that went down/up this frame */
    float scroll;          /* wheel notches this frame, positive = up */
    bool motion_held;      /* a motion after this frame's press/release, */
    int held_x, held_y;    /* applied by ui_end (see ui_input_motion) */
} UiInput;

typedef struct {
    uint32_t id;
    int scroll;    /* pixels scrolled down */
    int content_h; /* height of the content last frame */
    bool used;     /* seen this frame (stale panels are recycled) */
} UiPanelState;

typedef struct {
    char text[160];
    double t0; /* when it was raised (ui->now clock) */
} UiToast;

typedef struct {
    const char *key, *what;
} UiHelpEntry;

#define UI_MAX_PANELS 16
#define UI_MAX_TOASTS 4
#define UI_TOAST_SECONDS 3.5

typedef struct {
    UiCmdList list;
    UiTheme theme;
    UiTextMetrics tm;
    float scale;  /* pixels per design unit (HiDPI x text size) for padding */
    double now;   /* seconds, set by ui_begin; drives toasts */
    int screen_w, screen_h;
    UiInput in; /* what the window sent; widgets read it through ui_mouse */
    /* the modal layer (ui_modal_up): whether one is up this frame, whether
     * its widgets are running now, and what the layer beneath sees */
    bool modal_up, in_modal;
    UiInput beneath;
    uint32_t hot, active, next_hot;
    int active_button; /* which button made `active` */
    bool active_seen;  /* the active widget was called this frame */

    /* current panel and its row cursor */
    struct {
        bool open;
        uint32_t id;
        UiRect rect, body;
        int y;
        UiPanelState *st;
        bool scroll;
    } lay;
    UiPanelState panels[UI_MAX_PANELS];
    UiRect clip; /* current clip (whole screen when none) */

    /* queued overlays */
    char tooltip[512];
    int tooltip_image; /* -1: none */
    bool tooltip_on;
    UiToast toasts[UI_MAX_TOASTS];
    int ntoasts;
    const UiHelpEntry *help;
    int nhelp;
    const char *help_title;

    /* text fields (textfield.c): the one field with keyboard focus, its
     * caret, and the keys and text typed since its last frame */
    uint32_t focus;      /* 0: none */
    bool focus_seen;     /* the focused field was drawn this frame (like active_seen) */
    int caret;           /* byte offset in the focused field's text; -1: the end */
    char queue[256];     /* input for the focused field, in order: UTF-8 text
                            bytes, and UI_EDIT_* codes as bytes below 0x20 */
    int nqueue;
} Ui;

/* Allocate the command list. Returns false when out of memory. */
bool ui_init(Ui *ui, UiTextMetrics tm, const UiTheme *theme);
void ui_free(Ui *ui);
/* The dark default and the high-contrast (projector) themes. */
const UiTheme *ui_theme_dark(void);
const UiTheme *ui_theme_high_contrast(void);

/* Input: call between frames (after ui_end, before ui_begin). */
void ui_input_motion(Ui *ui, int x, int y);
void ui_input_button(Ui *ui, int x, int y, int button, bool down);
void ui_input_scroll(Ui *ui, float notches);

/* Layers, the microui way: a modal layer (a dialog) takes the mouse from
 * the layer beneath without touching the input. ui_modal_up, after
 * ui_begin and before any widget, says a modal is up this frame; from then
 * on the layer beneath sees the mouse nowhere, no press or release, no
 * wheel (a button held stays held, so a widget it holds does not see a
 * release that never happened). The modal's widgets, called between
 * ui_modal_begin and ui_modal_end, see all of it. Everything reads the mouse
 * through ui_mouse, which answers for the layer running now. */
void ui_modal_up(Ui *ui);
void ui_modal_begin(Ui *ui);
void ui_modal_end(Ui *ui);
const UiInput *ui_mouse(const Ui *ui);
/* Take this frame's wheel: what the current layer scrolled with it, the
 * layers drawn after it (the map under a panel) must not act on too. */
void ui_take_scroll(Ui *ui);

/* Frame: ui_begin clears the command list; ui_end draws queued overlays and
 * resets per-frame input (pressed/released/scroll). */
void ui_begin(Ui *ui, int screen_w, int screen_h, double now);
void ui_end(Ui *ui);

/* Ids: hash of bytes mixed with the open panel's id. */
uint32_t ui_id(const Ui *ui, const void *data, int size);
uint32_t ui_id_str(const Ui *ui, const char *s);
/* A custom interactive region (the app's map view): returns UI_* bits for
 * buttons in `buttons`. While active it keeps the mouse outside rect too. */
int ui_control(Ui *ui, uint32_t id, UiRect r, int buttons);
/* True when the mouse is over a widget or a widget holds the mouse. */
bool ui_mouse_captured(const Ui *ui);

/* Metrics derived from the fonts, so layout follows the text size. */
int ui_text_width(const Ui *ui, int font, const char *s);
int ui_text_height(const Ui *ui, int font);
int ui_pad(const Ui *ui);    /* inner padding */
int ui_row_h(const Ui *ui);  /* a standard widget row */

/* Primitives (appended in order, clipped to the current clip). */
void ui_draw_rect(Ui *ui, UiRect r, UiColor c, float radius);
void ui_draw_frame(Ui *ui, UiRect r, UiColor c, float width, float radius);
void ui_draw_line(Ui *ui, float x0, float y0, float x1, float y1, float width, UiColor c);
void ui_draw_circle(Ui *ui, float x, float y, float radius, float ring, UiColor c);
/* Text with its top-left at x, y; returns its width. */
int ui_draw_text(Ui *ui, int font, int x, int y, UiColor c, const char *s);
/* Word-wrapped text inside r (honours '\n'); returns the height used. */
int ui_draw_text_wrapped(Ui *ui, int font, UiRect r, UiColor c, const char *s);
/* The height ui_draw_text_wrapped would use in a box w pixels wide. */
int ui_text_wrapped_height(Ui *ui, int font, int w, const char *s);
void ui_draw_image(Ui *ui, UiRect r, int image, UiColor ink);
void ui_draw_custom(Ui *ui, UiRect r, int custom);
/* Set the clip rect (intersected with the screen); ui_clip_reset undoes. */
void ui_clip(Ui *ui, UiRect r);
void ui_clip_reset(Ui *ui);

/* Panels: a titled box whose widgets are laid out top to bottom. With
 * scroll, content taller than the box scrolls (wheel, or drag the bar). */
void ui_panel_begin(Ui *ui, const char *title, UiRect r, bool scroll);
void ui_panel_end(Ui *ui);
/* The next row of the open panel, h pixels tall (0 = ui_row_h). */
UiRect ui_row(Ui *ui, int h);
/* The width ui_row gives a row now (the body less a scrollbar when one
 * shows): what wrapped text in the next row must be measured at. */
int ui_row_w(const Ui *ui);

/* Widgets. The _at forms take an explicit rect; the plain forms take the
 * next panel row. */
bool ui_button_at(Ui *ui, UiRect r, const char *label);
bool ui_button(Ui *ui, const char *label);
/* Returns true when *value changed; it stays in [lo, hi]. fmt formats the
 * value shown (NULL = "%.2f"). The id is the pointer `value`. */
bool ui_slider_at(Ui *ui, UiRect r, const char *label, float *value, float lo, float hi,
                  const char *fmt);
bool ui_slider(Ui *ui, const char *label, float *value, float lo, float hi, const char *fmt);
/* The track of a slider in row r with that range and format (label 30% |
 * track | value as wide as the range's widest end), for marks drawn under it. */
UiRect ui_slider_track(const Ui *ui, UiRect r, float lo, float hi, const char *fmt);
bool ui_checkbox_at(Ui *ui, UiRect r, const char *label, bool *state);
bool ui_checkbox(Ui *ui, const char *label, bool *state);
void ui_label(Ui *ui, int font, UiColor c, const char *s);

/* Overlays, drawn by ui_end on top of everything. */
void ui_tooltip(Ui *ui, const char *text, int image); /* image -1: none */
void ui_toast(Ui *ui, const char *text);
bool ui_toasts_active(const Ui *ui);
void ui_help(Ui *ui, const char *title, const UiHelpEntry *entries, int n);

/* Text fields (textfield.c). One field at a time has keyboard focus: a
 * click in it (or ui_focus) takes it, a click elsewhere, Enter or Esc drops
 * it. While a field has focus the app sends it keys and typed text and
 * skips its own shortcuts (ui_wants_keys). Focus also lapses when the
 * focused field was not drawn in the last frame (its dialog closed).
 * The field's editing commands, which ui_input_key makes of keys: */
enum {
    UI_EDIT_NONE, UI_EDIT_BACKSPACE, UI_EDIT_DELETE, UI_EDIT_LEFT, UI_EDIT_RIGHT, UI_EDIT_HOME,
    UI_EDIT_END, UI_EDIT_ENTER, UI_EDIT_ESCAPE, UI_EDIT_TAB, UI_EDIT_UP, UI_EDIT_DOWN,
    UI_EDIT_CLEAR, /* Ctrl+A, Ctrl+U: empty the field */
};
/* ui_text_field result bits */
enum {
    UI_TEXT_CHANGED = 1, /* the text was edited */
    UI_TEXT_SUBMIT = 2,  /* Enter */
    UI_TEXT_CANCEL = 4,  /* Esc */
    UI_TEXT_TAB = 8,     /* Tab (the caller may complete) */
    UI_TEXT_UP = 16,     /* Up / Down arrows (the caller may pick from a list) */
    UI_TEXT_DOWN = 32,
};
/* True while a text field has keyboard focus: keys belong to it. */
bool ui_wants_keys(const Ui *ui);
/* Queue a key / typed UTF-8 text for the focused field (between frames).
 * Return false (nothing queued) when no field has focus or the key edits
 * nothing (printable keys arrive as text). */
bool ui_input_key(Ui *ui, UiKey k);
/* The editing command a key gives a text field, UI_EDIT_NONE for none. */
int ui_text_edit_for_key(UiKey k);
bool ui_input_text(Ui *ui, const char *utf8);
/* Give the field `id` (ui_text_field_id) the focus, caret at the end; 0 drops it. */
void ui_focus(Ui *ui, uint32_t id);
uint32_t ui_text_field_id(const Ui *ui, const char *name);
/* A one-line text field editing buf (NUL-terminated, cap bytes with the
 * NUL). name gives its id; hint is shown dim while buf is empty (NULL:
 * none). Returns UI_TEXT_* bits. */
int ui_text_field(Ui *ui, const char *name, UiRect r, char *buf, int cap, const char *hint);
/* The editing rules alone, for tests: apply one UI_EDIT_* command / insert
 * text at *caret; return true when buf changed. */
bool ui_text_edit_key(char *buf, int cap, int *caret, int edit);
bool ui_text_edit_insert(char *buf, int cap, int *caret, const char *utf8);
/* Called by ui_end: focus lapses when its field was not drawn; unread keys go. */
void ui_text_end(Ui *ui);

#endif
