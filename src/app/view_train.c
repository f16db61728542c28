/* view_train: the Training panel (view_train.h) and the room the training
 * views take. The panel draws the run's progress, its controls, the
 * steering knobs and the new-model form; it edits only its own state (the
 * knobs, the form, where its buttons are) and returns what the user asked
 * for as TRAIN_ACT_* bits, which train_run.c applies. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "nn/nn.h"

static const char *const lr_labels[APP_TRAIN_N_LR] = {"1e-4", "3e-4", "1e-3", "3e-3"};
static const char *const z_labels[APP_TRAIN_N_Z] = {"2", "8", "16", "32", "64"};
static const char *const hidden_labels[APP_TRAIN_N_HIDDEN] = {"128", "256", "512", "1024"};
static const char *const batch_labels[APP_TRAIN_N_BATCH] = {"32", "64", "128", "256"};
static const char *const ds_labels[APP_TRAIN_N_DS] = {"MNIST", "Fashion"};

/* ---- the Training panel ---- */

/* A button with an explicit id (labels repeat: "-", "+"), optionally shown
 * selected or disabled. Same look as ui_button_at. */
static bool tbutton(AppTrain *tr, Ui *ui, const char *id, UiRect r, const char *label,
                    bool selected, bool enabled)
{
    const UiTheme *t = &ui->theme;
    if (tr->nbuttons < (int)(sizeof tr->buttons / sizeof tr->buttons[0])) {
        snprintf(tr->buttons[tr->nbuttons].id, sizeof tr->buttons[0].id, "%s", id);
        UiRect vis = ui_rect_intersect(r, ui->clip); /* scrolled out: w or h 0 */
        tr->buttons[tr->nbuttons++].r = vis;
    }
    int res = enabled ? ui_control(ui, ui_id_str(ui, id), r, UI_MOUSE_LEFT) : 0;
    bool over = ui_rect_contains(r, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
    bool down = (res & UI_ACTIVE) && over;
    UiColor bg = selected || down ? t->accent : (res & UI_HOVER) ? t->button_hot : t->button;
    UiColor fg = selected || down ? t->on_accent : enabled ? t->text : t->text_dim;
    if (!enabled && !selected)
        bg.a = 120;
    float radius = (float)ui_pad(ui) * 0.6f;
    ui_draw_rect(ui, r, bg, radius);
    if (t->high_contrast)
        ui_draw_frame(ui, r, t->border, 2.0f, radius);
    int tw = ui_text_width(ui, UI_FONT_BODY, label), th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x + (r.w - tw) / 2, r.y + (r.h - th) / 2, fg, label);
    return (res & UI_RELEASE) && over;
}

/* "label  [a][b][c]": returns true when the choice changed. */
static bool choice(AppTrain *tr, Ui *ui, const char *id, const char *label,
                   const char *const *names, int n, int *sel, bool enabled)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    UiRect r = ui_row(ui, 0);
    int lw = r.w * 30 / 100;
    int th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, t->text, label);
    int x = r.x + lw, w = r.w - lw, gap = pad / 2;
    int bw = (w - (n - 1) * gap) / n;
    bool changed = false;
    for (int i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "%s/%d", id, i);
        UiRect b = ui_rect(x + i * (bw + gap), r.y, i == n - 1 ? w - i * (bw + gap) : bw, r.h);
        if (tbutton(tr, ui, key, b, names[i], *sel == i, enabled) && *sel != i) {
            *sel = i;
            changed = true;
        }
    }
    return changed;
}

/* "label  [-] value [+]" for an integer. */
static bool stepper(AppTrain *tr, Ui *ui, const char *id, const char *label, int *v, int lo,
                    int hi, int step, bool enabled)
{
    const UiTheme *t = &ui->theme;
    UiRect r = ui_row(ui, 0);
    int lw = r.w * 30 / 100, th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, t->text, label);
    int bw = r.h * 3 / 2;
    char key[64], val[32];
    int old = *v;
    snprintf(key, sizeof key, "%s/-", id);
    if (tbutton(tr, ui, key, ui_rect(r.x + lw, r.y, bw, r.h), "\xe2\x88\x92", false,
                enabled && *v > lo))
        *v = *v - step < lo ? lo : *v - step;
    snprintf(key, sizeof key, "%s/+", id);
    if (tbutton(tr, ui, key, ui_rect(r.x + r.w - bw, r.y, bw, r.h), "+", false,
                enabled && *v < hi))
        *v = *v + step > hi ? hi : *v + step;
    snprintf(val, sizeof val, "%d", *v);
    int vw = ui_text_width(ui, UI_FONT_BODY, val);
    int cx = r.x + lw + bw + (r.w - lw - 2 * bw) / 2;
    ui_draw_text(ui, UI_FONT_BODY, cx - vw / 2, r.y + (r.h - th) / 2, t->text, val);
    return *v != old;
}

/* The beta slider (0..10) with its landmarks 0, 1 and 10 marked under the
 * track; values within a small distance of 1 snap to it. */
static bool beta_slider(Ui *ui, float *beta)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    UiRect r = ui_row(ui, 0);
    bool changed = ui_slider_at(ui, r, "\xce\xb2", beta, 0.0f, 10.0f, "%.2f");
    if (changed && fabsf(*beta - 1.0f) < 0.12f)
        *beta = 1.0f;
    UiRect track = ui_slider_track(ui, r, 0.0f, 10.0f, "%.2f");
    int tx = track.x, tw = track.w;
    int sh = ui_text_height(ui, UI_FONT_SMALL);
    UiRect marks = ui_row(ui, sh);
    static const float at[] = {0, 1, 10};
    static const char *const names[] = {"0", "1", "10"};
    for (int i = 0; i < 3; i++) {
        float x = (float)tx + at[i] / 10.0f * (float)tw;
        ui_draw_line(ui, x, (float)marks.y - (float)pad * 0.9f, x, (float)marks.y - 2, 2,
                     t->text_dim);
        int w = ui_text_width(ui, UI_FONT_SMALL, names[i]);
        int lx = (int)x - w / 2;
        if (i == 2)
            lx = (int)x - w; /* keep "10" inside the panel */
        ui_draw_text(ui, UI_FONT_SMALL, lx, marks.y, t->text_dim, names[i]);
    }
    return changed;
}

static void fmt_duration(double s, char *buf, size_t n)
{
    long v = (long)(s + 0.5);
    if (v >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
    else
        snprintf(buf, n, "%ld:%02ld", v / 60, v % 60);
}

static UiColor state_color(const Ui *ui, TrainState st)
{
    switch (st) {
    case TRAIN_RUNNING: return ui_rgba(0x4c, 0xd1, 0x7a, 255);
    case TRAIN_PAUSED: return ui->theme.focus;
    case TRAIN_FAILED: return ui_rgba(0xff, 0x5a, 0x5a, 255);
    case TRAIN_STARTING:
    case TRAIN_STOPPING: return ui->theme.accent;
    default: return ui->theme.text_dim;
    }
}

static void progress_rows(Ui *ui, const TrainSnapshot *s)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui);
    char buf[512];
    UiRect r = ui_row(ui, 0);
    int th = ui_text_height(ui, UI_FONT_BODY);
    float dot = (float)th * 0.3f;
    ui_draw_circle(ui, (float)r.x + dot, (float)(r.y + r.h / 2), dot, 0,
                   state_color(ui, s->state));
    const char *name = s->run ? train_state_name(s->state) : "no run yet";
    char head[160], where[96] = "";
    snprintf(head, sizeof head, "%c%s", name[0] - 32 * (name[0] >= 'a' && name[0] <= 'z'),
             name + 1);
    if (s->run && s->batches > 0)
        snprintf(where, sizeof where, "epoch %d/%d \xc2\xb7 batch %zu/%zu",
                 s->epoch + (s->batch_i > 0 && s->epoch < s->epochs ? 1 : 0), s->epochs,
                 s->batch_i, s->batches);
    int hx = r.x + (int)(3 * dot) + pad / 2;
    /* state and progress on one line where they fit (a narrow column: two) */
    bool one = where[0] && ui_text_width(ui, UI_FONT_BODY, head) + 3 * pad +
                                   ui_text_width(ui, UI_FONT_BODY, where) <=
                               r.x + r.w - hx;
    if (one)
        snprintf(head + strlen(head), sizeof head - strlen(head), "   %s", where);
    ui_draw_text(ui, UI_FONT_BODY, hx, r.y + (r.h - th) / 2, t->text, head);
    if (where[0] && !one)
        ui_label(ui, UI_FONT_BODY, t->text, where);
    if (s->run && s->batches > 0) {
        char eta[32], el[32];
        fmt_duration(s->eta_s, eta, sizeof eta);
        fmt_duration(s->elapsed_s, el, sizeof el);
        snprintf(buf, sizeof buf, "%.0f images/s \xc2\xb7 ETA %s \xc2\xb7 elapsed %s",
                 s->samples_per_s, train_state_finished(s->state) ? "\xe2\x80\x94" : eta, el);
        int h = ui_text_wrapped_height(ui, UI_FONT_BODY, ui_row_w(ui), buf);
        ui_draw_text_wrapped(ui, UI_FONT_BODY, ui_row(ui, h), t->text_dim, buf);
    }
    int cores = train_default_threads() + 1;
    snprintf(buf, sizeof buf, "trainer: %d thread%s, %s \xc2\xb7 the window keeps %d of %d cores",
             s->run ? s->threads : train_default_threads(),
             (s->run ? s->threads : train_default_threads()) == 1 ? "" : "s",
             s->run ? nn_precision_name(s->precision) : "precision auto",
             cores - train_default_threads(), cores);
    int bh = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), buf);
    ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, bh), t->text_dim, buf);
    const char *msg =
        s->state == TRAIN_FAILED || train_state_finished(s->state) || s->state == TRAIN_STARTING
            ? s->message
            : "";
    if (s->save_error[0]) {
        snprintf(buf, sizeof buf, "Autosave failed: %s", s->save_error);
        msg = buf;
    }
    if (msg[0]) {
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), msg);
        UiRect mr = ui_row(ui, h);
        ui_draw_text_wrapped(
            ui, UI_FONT_SMALL, mr,
            s->state == TRAIN_FAILED || s->save_error[0] ? state_color(ui, TRAIN_FAILED) : t->text,
            msg);
    }
}

static int control_rows(Ui *ui, AppTrain *tr, const TrainPanelIn *in)
{
    const TrainSnapshot *s = &tr->snap;
    int pad = ui_pad(ui), act = 0;
    UiRect r = ui_row(ui, 0);
    int bw = (r.w - 2 * pad) / 3;
    UiRect b0 = ui_rect(r.x, r.y, bw, r.h), b1 = ui_rect(r.x + bw + pad, r.y, bw, r.h),
           b2 = ui_rect(r.x + 2 * (bw + pad), r.y, r.w - 2 * (bw + pad), r.h);
    if (in->live) {
        bool paused = s->state == TRAIN_PAUSED;
        if (tbutton(tr, ui, "tr/pause", b0, paused ? "Resume" : "Pause", false,
                    s->state == TRAIN_RUNNING || paused))
            act |= paused ? TRAIN_ACT_RESUME : TRAIN_ACT_PAUSE;
        if (tbutton(tr, ui, "tr/step", b1, "Step", false, paused))
            act |= TRAIN_ACT_STEP;
        if (tbutton(tr, ui, "tr/stop", b2, "Stop", false, s->state != TRAIN_STOPPING))
            act |= TRAIN_ACT_STOP;
    } else {
        /* (a new model is started from the form below) */
        char label[64];
        snprintf(label, sizeof label, "Continue training: %d more epoch%s", tr->epochs,
                 tr->epochs == 1 ? "" : "s");
        if (ui_text_width(ui, UI_FONT_BODY, label) > r.w - 2 * pad)
            snprintf(label, sizeof label, "Continue: +%d epochs", tr->epochs);
        if (tbutton(tr, ui, "tr/continue", r, label, false, in->can_continue))
            act |= TRAIN_ACT_CONTINUE;
    }
    bool knobs = beta_slider(ui, &tr->beta);
    int lr = tr->lr_i;
    knobs |= choice(tr, ui, "tr/lr", "lr", lr_labels, APP_TRAIN_N_LR, &lr, true);
    tr->lr_i = lr;
    knobs |= ui_slider(ui, "slow-mo", &tr->slow_ms, 0, 1000, "%.0f ms");
    return knobs ? act | TRAIN_ACT_PARAMS : act;
}

/* A whole number in [lo, hi] with nothing else around it. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static void z_entry(AppTrain *tr, Ui *ui, bool on)
{
    const UiTheme *t = &ui->theme;
    UiRect r = ui_row(ui, 0);
    int lw = r.w * 30 / 100, th = ui_text_height(ui, UI_FONT_BODY);
    ui_draw_text(ui, UI_FONT_BODY, r.x, r.y + (r.h - th) / 2, on ? t->text : t->text_dim,
                 "type Z");
    bool focused = ui->focus == ui_text_field_id(ui, "tr/ztext");
    if (!focused && !tr->z_error[0])
        snprintf(tr->z_text, sizeof tr->z_text, "%d", tr->z); /* follows presets and stepper */
    UiRect fr = ui_rect(r.x + lw, r.y, r.w - lw, r.h);
    if (tr->nbuttons < (int)(sizeof tr->buttons / sizeof tr->buttons[0])) { /* dump-state */
        snprintf(tr->buttons[tr->nbuttons].id, sizeof tr->buttons[0].id, "tr/ztext");
        tr->buttons[tr->nbuttons++].r = ui_rect_intersect(fr, ui->clip);
    }
    int res =
        on ? ui_text_field(ui, "tr/ztext", fr, tr->z_text, (int)sizeof tr->z_text, "1-256") : 0;
    if (!on)
        ui_draw_text(ui, UI_FONT_BODY, fr.x + ui_pad(ui), r.y + (r.h - th) / 2, t->text_dim,
                     tr->z_text);
    if (res & (UI_TEXT_CHANGED | UI_TEXT_SUBMIT)) {
        int z;
        if (parse_int(tr->z_text, 1, VAE_MAX_Z, &z)) {
            tr->z = z;
            tr->z_error[0] = '\0';
        } else if (tr->z_text[0] || (res & UI_TEXT_SUBMIT)) {
            snprintf(tr->z_error, sizeof tr->z_error, "Z must be a whole number from 1 to %d.",
                     VAE_MAX_Z);
        }
    }
    if (res & UI_TEXT_CANCEL)
        tr->z_error[0] = '\0'; /* Esc: back to the current Z */
    if (tr->z_error[0]) {
        UiColor red = t->high_contrast ? ui_rgba(255, 110, 110, 255) : ui_rgba(240, 96, 96, 255);
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), tr->z_error);
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, h), red, tr->z_error);
    }
}

static int form_rows(Ui *ui, AppTrain *tr, const TrainPanelIn *in)
{
    const UiTheme *t = &ui->theme;
    bool live = in->live, on = !live;
    int act = 0;
    ui_row(ui, ui_pad(ui) / 2);
    ui_label(ui, UI_FONT_BODY, t->text, live ? "New model (stop training first)" : "New model");
    choice(tr, ui, "tr/ds", "dataset", ds_labels, APP_TRAIN_N_DS, &tr->ds_i, on);
    int zi = -1;
    for (int i = 0; i < APP_TRAIN_N_Z; i++)
        if (app_train_z[i] == tr->z)
            zi = i;
    if (choice(tr, ui, "tr/z", "latent Z", z_labels, APP_TRAIN_N_Z, &zi, on)) {
        tr->z = app_train_z[zi];
        tr->z_error[0] = '\0';
    }
    if (stepper(tr, ui, "tr/zfree", "", &tr->z, 1, VAE_MAX_Z, 1, on))
        tr->z_error[0] = '\0';
    z_entry(tr, ui, on);
    choice(tr, ui, "tr/hidden", "hidden", hidden_labels, APP_TRAIN_N_HIDDEN, &tr->hidden_i, on);
    choice(tr, ui, "tr/batch", "batch", batch_labels, APP_TRAIN_N_BATCH, &tr->batch_i, on);
    stepper(tr, ui, "tr/epochs", "epochs", &tr->epochs, 1, 1000, 1, true);
    stepper(tr, ui, "tr/seed", "seed", &tr->seed, 0, 1000000, 1, on);
    char label[64];
    snprintf(label, sizeof label, "Train a new Z=%d model", tr->z);
    if (tbutton(tr, ui, "tr/new", ui_row(ui, 0), label, false, on && in->can_train))
        act = TRAIN_ACT_NEW;
    const char *path = tr->snap.run ? tr->snap.save_path : "";
    if (path[0]) {
        char buf[4200];
        snprintf(buf, sizeof buf, "autosaves each epoch to %s", path);
        int h = ui_text_wrapped_height(ui, UI_FONT_SMALL, ui_row_w(ui), buf);
        ui_draw_text_wrapped(ui, UI_FONT_SMALL, ui_row(ui, h), t->text_dim, buf);
    }
    return act;
}

void train_panel_defaults(AppTrain *tr)
{
    tr->beta = 1.0f;
    tr->lr_i = 2;
    tr->ds_i = 0;
    tr->z = 2;
    tr->hidden_i = 2;
    tr->batch_i = 2;
    tr->epochs = APP_TRAIN_DEFAULT_EPOCHS;
    tr->log_scale = true;
    tr->hover_dim = -1;
}

int train_panel(Ui *ui, AppTrain *tr, const TrainPanelIn *in)
{
    tr->nbuttons = 0;
    ui_panel_begin(ui, "Training", tr->r_train, true);
    progress_rows(ui, &tr->snap);
    int act = control_rows(ui, tr, in);
    act |= form_rows(ui, tr, in);
    ui_panel_end(ui);
    return act;
}
