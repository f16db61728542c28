/* walk: playback clock and the Walk panel (see walk.h). No SDL, no GL. */
#include "walk.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void walk_default(WalkState *w)
{
    static const int classic[] = {2, 3, 8, 7, 9, 1};
    memset(w, 0, sizeof *w);
    w->source = WALK_CLASSES;
    w->n_classes = (int)(sizeof classic / sizeof classic[0]);
    memcpy(w->classes, classic, sizeof classic);
    w->repeat = WALK_LOOP;
    w->speed = 0.5f;
    w->dir = 1;
}

int walk_legs(const WalkState *w)
{
    if (w->source == WALK_CLASSES)
        return w->n_classes - 1;
    return w->have_a && w->have_b ? 1 : 0;
}

bool walk_advance(WalkState *w, double dt)
{
    int legs = walk_legs(w);
    if (!w->playing || legs <= 0 || dt <= 0)
        return false;
    double t = w->t + w->dir * dt * w->speed / legs;
    switch (w->repeat) {
    case WALK_LOOP:
        t -= floor(t); /* wraps; dir stays +1 */
        break;
    case WALK_PINGPONG:
        /* reflect at the ends (a long frame may cross more than one) */
        while (t > 1 || t < 0) {
            if (t > 1)
                t = 2 - t;
            else
                t = -t;
            w->dir = -w->dir;
        }
        break;
    case WALK_ONCE:
        if (t >= 1) {
            t = 1;
            w->playing = false;
        } else if (t < 0) {
            t = 0;
            w->playing = false;
        }
        break;
    }
    bool moved = (float)t != w->t;
    w->t = (float)t;
    return moved;
}

void walk_toggle(WalkState *w)
{
    if (w->playing) {
        w->playing = false;
        return;
    }
    if (w->repeat != WALK_PINGPONG) {
        w->dir = 1;
        if (w->repeat == WALK_ONCE && w->t >= 1)
            w->t = 0;
    }
    w->playing = walk_legs(w) > 0;
}

/* ---- the panel ---- */

static void note_button(WalkButtons *bs, const char *id, UiRect r)
{
    if (!bs || bs->n >= (int)(sizeof bs->b / sizeof bs->b[0]))
        return;
    snprintf(bs->b[bs->n].id, sizeof bs->b[bs->n].id, "%s", id);
    bs->b[bs->n++].r = r;
}

static bool button(Ui *ui, UiRect r, const char *label, const char *id, WalkButtons *bs)
{
    note_button(bs, id, r);
    return ui_button_at(ui, r, label);
}

/* A small button whose label is not unique in the panel (the + and - of
 * each stop): its id is the stop and the sign, not the label. */
static bool stop_button(Ui *ui, UiRect r, int stop, int sign, WalkButtons *bs)
{
    const UiTheme *t = &ui->theme;
    int key[2] = {stop, sign};
    int res = ui_control(ui, ui_id(ui, key, sizeof key), r, UI_MOUSE_LEFT);
    bool over = ui_rect_contains(r, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
    UiColor bg = (res & UI_ACTIVE) && over ? t->button_down
                 : (res & UI_HOVER)         ? t->button_hot
                                            : t->button;
    ui_draw_rect(ui, r, bg, (float)ui_pad(ui) * 0.4f);
    const char *s = sign > 0 ? "+" : "\xe2\x88\x92"; /* minus sign */
    int tw = ui_text_width(ui, UI_FONT_BODY, s), th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x + (r.w - tw) / 2, r.y + (r.h - th) / 2, t->text, s);
    char id[16];
    snprintf(id, sizeof id, "stop%u%c", (unsigned)stop % 100u, sign > 0 ? '+' : '-');
    note_button(bs, id, r);
    return (res & UI_RELEASE) && over;
}

/* Split row r into n equal cells with gap pixels between them. */
static UiRect cell(UiRect r, int n, int i, int gap)
{
    int w = (r.w - gap * (n - 1)) / n;
    return ui_rect(r.x + i * (w + gap), r.y, w, r.h);
}

/* The stop nearest to t, for highlighting the chip being walked past. */
static int stop_at(const WalkState *w)
{
    int legs = walk_legs(w);
    return legs > 0 ? (int)lroundf(w->t * (float)legs) : -1;
}

static int class_stops(Ui *ui, WalkState *w, const WalkPanelIn *in, WalkButtons *bs)
{
    const UiTheme *t = &ui->theme;
    int act = 0, pad = ui_pad(ui), gap = pad / 2;
    int bh = ui_row_h(ui) * 3 / 4, chip = ui_text_height(ui, UI_FONT_TITLE) + pad;
    UiRect plus = ui_row(ui, bh), chips = ui_row(ui, chip), minus = ui_row(ui, bh);
    int n = w->n_classes, near = stop_at(w);
    for (int i = 0; i < n; i++) {
        UiRect c = cell(chips, n, i, gap);
        int k = w->classes[i];
        if (stop_button(ui, cell(plus, n, i, gap), i, 1, bs)) {
            w->classes[i] = (k + 1) % 10;
            act |= WALK_ACT_PATH;
        }
        if (stop_button(ui, cell(minus, n, i, gap), i, -1, bs)) {
            w->classes[i] = (k + 9) % 10;
            act |= WALK_ACT_PATH;
        }
        k = w->classes[i];
        ui_draw_rect(ui, c, t->card, (float)pad * 0.4f);
        ui_draw_frame(ui, c, i == near ? t->focus : in->colors[k], i == near ? 3.0f : 1.5f,
                      (float)pad * 0.4f);
        /* the class number (the names of Fashion-MNIST are too long for a
         * chip; the reading below names it) */
        char s[8];
        snprintf(s, sizeof s, "%d", k);
        int tw = ui_text_width(ui, UI_FONT_TITLE, s), th = ui_text_height(ui, UI_FONT_TITLE);
        ui_draw_text(ui, UI_FONT_TITLE, c.x + (c.w - tw) / 2, c.y + (c.h - th) / 2, in->colors[k],
                     s);
    }
    UiRect row = ui_row(ui, 0);
    if (button(ui, cell(row, 2, 0, pad), "+ stop", "add", bs) && n < WALK_MAX_STOPS) {
        w->classes[n] = w->classes[n - 1];
        w->n_classes++;
        act |= WALK_ACT_PATH;
    }
    if (button(ui, cell(row, 2, 1, pad), "\xe2\x88\x92 stop", "remove", bs) && n > 2) {
        w->n_classes--;
        act |= WALK_ACT_PATH;
    }
    return act;
}

static int point_stops(Ui *ui, WalkState *w, const WalkPanelIn *in, WalkButtons *bs)
{
    const UiTheme *t = &ui->theme;
    int act = 0, pad = ui_pad(ui);
    UiRect row = ui_row(ui, 0);
    bool can = in->z_dim > 0 && in->z;
    if (button(ui, cell(row, 2, 0, pad), "A = current z", "set_a", bs) && can) {
        memcpy(w->a, in->z, (size_t)in->z_dim * sizeof *w->a);
        w->have_a = true;
        act |= WALK_ACT_PATH;
    }
    if (button(ui, cell(row, 2, 1, pad), "B = current z", "set_b", bs) && can) {
        memcpy(w->b, in->z, (size_t)in->z_dim * sizeof *w->b);
        w->have_b = true;
        act |= WALK_ACT_PATH;
    }
    char buf[96];
    for (int k = 0; k < 2; k++) {
        const float *p = k ? w->b : w->a;
        bool have = k ? w->have_b : w->have_a;
        if (!have)
            snprintf(buf, sizeof buf, "%c: click the map, then set it", k ? 'B' : 'A');
        else if (in->z_dim == 2)
            snprintf(buf, sizeof buf, "%c = (%.2f, %.2f)", k ? 'B' : 'A', (double)p[0],
                     (double)p[1]);
        else
            snprintf(buf, sizeof buf, "%c = (%.2f, %.2f, \xe2\x80\xa6)", k ? 'B' : 'A',
                     (double)p[0], (double)p[1]);
        ui_label(ui, UI_FONT_BODY, have ? t->text : t->text_dim, buf);
    }
    return act;
}

/* The class the classifier gives along the path, as a coloured strip under
 * the scrub slider with the current t marked: where a 3 turns into an 8. */
static void timeline(Ui *ui, const WalkState *w, const WalkPanelIn *in)
{
    if (!in->timeline || in->n_timeline < 2)
        return;
    const UiTheme *t = &ui->theme;
    int sh = ui_text_height(ui, UI_FONT_SMALL);
    UiRect r = ui_row(ui, sh + ui_pad(ui));
    int n = in->n_timeline;
    int start = 0;
    for (int i = 1; i <= n; i++) {
        if (i < n && in->timeline[i] == in->timeline[start])
            continue;
        int k = in->timeline[start];
        int x0 = r.x + (int)((long)r.w * start / n), x1 = r.x + (int)((long)r.w * i / n);
        UiColor c = k >= 0 && k < 10 ? in->colors[k] : t->text_dim;
        ui_draw_rect(ui, ui_rect(x0, r.y, x1 - x0, r.h), c, 0);
        char s[8];
        snprintf(s, sizeof s, "%d", k);
        if (k >= 0 && ui_text_width(ui, UI_FONT_SMALL, s) + 4 < x1 - x0)
            ui_draw_text(ui, UI_FONT_SMALL, x0 + 2, r.y + (r.h - sh) / 2, ui_rgba(0, 0, 0, 255),
                         s);
        start = i;
    }
    float x = (float)r.x + w->t * (float)r.w;
    ui_draw_line(ui, x, (float)r.y - 2, x, (float)(r.y + r.h + 2), 5, ui_rgba(0, 0, 0, 255));
    ui_draw_line(ui, x, (float)r.y - 2, x, (float)(r.y + r.h + 2), 2.5f, t->focus);
}

static void reading(Ui *ui, const WalkPanelIn *in)
{
    const UiTheme *t = &ui->theme;
    char buf[160];
    if (in->cls >= 0 && in->cls < 10) {
        snprintf(buf, sizeof buf, "classifier: %s  %.0f%%", in->names[in->cls],
                 100.0 * (double)in->prob);
        ui_label(ui, UI_FONT_TITLE, in->colors[in->cls], buf);
    } else if (in->clf_note) { /* wrapped: an error names a file */
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), in->clf_note);
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, h), t->text_dim, in->clf_note);
    }
}

int walk_panel(Ui *ui, UiRect r, WalkState *w, const WalkPanelIn *in, WalkButtons *bs)
{
    int act = 0, pad = ui_pad(ui);
    if (bs)
        bs->n = 0;
    ui_panel_begin(ui, "Walk", r, true);
    /* what a student watches first: the reading, where t is, what comes */
    reading(ui, in);
    UiRect tr = ui_row(ui, 0);
    note_button(bs, "t", tr);
    if (ui_slider_at(ui, tr, "t", &w->t, 0, 1, "%.3f")) {
        w->playing = false;
        act |= WALK_ACT_SCRUB;
    }
    timeline(ui, w, in);
    UiRect row = ui_row(ui, 0);
    if (button(ui, cell(row, 3, 0, pad), w->playing ? "Pause (P)" : "Play (P)", "play", bs)) {
        walk_toggle(w);
        act |= WALK_ACT_PLAY;
    }
    static const char *const rep[3] = {"Once", "Loop", "Ping-pong"};
    if (button(ui, cell(row, 3, 1, pad), rep[w->repeat], "repeat", bs)) {
        w->repeat = (WalkRepeat)((w->repeat + 1) % 3);
        if (w->repeat != WALK_PINGPONG)
            w->dir = 1;
    }
    if (button(ui, cell(row, 3, 2, pad), "GIF (G)", "export", bs))
        act |= WALK_ACT_EXPORT;

    row = ui_row(ui, 0);
    const char *src[2] = {"Classes", "A \xe2\x86\x92 B"};
    for (int i = 0; i < 2; i++) {
        UiRect c = cell(row, 2, i, pad);
        if (button(ui, c, src[i], i ? "points" : "classes", bs) && w->source != (WalkSource)i) {
            w->source = (WalkSource)i;
            act |= WALK_ACT_PATH;
        }
        if (w->source == (WalkSource)i)
            ui_draw_frame(ui, c, ui->theme.focus, 2.5f, (float)pad * 0.6f);
    }
    act |= w->source == WALK_CLASSES ? class_stops(ui, w, in, bs) : point_stops(ui, w, in, bs);

    row = ui_row(ui, 0);
    const char *mode[2] = {"Linear", "Spherical"};
    for (int i = 0; i < 2; i++) {
        UiRect c = cell(row, 2, i, pad);
        if (button(ui, c, mode[i], i ? "slerp" : "lerp", bs) && w->slerp != (i == 1)) {
            w->slerp = i == 1;
            act |= WALK_ACT_PATH;
        }
        if (w->slerp == (i == 1))
            ui_draw_frame(ui, c, ui->theme.focus, 2.5f, (float)pad * 0.6f);
    }
    ui_slider(ui, "speed", &w->speed, WALK_SPEED_MIN, WALK_SPEED_MAX, "%.2f legs/s");
    ui_panel_end(ui);
    if (act & WALK_ACT_PATH)
        w->version++;
    return act;
}
