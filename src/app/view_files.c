/* view_files: keyboard routing for text fields, and the Open / Save model
 * dialogs (view_files.h).
 *
 * While a text field has focus (ui_wants_keys), app.c sends every key here
 * instead of to the shortcuts, so typing "t" into a path does not toggle
 * the Training panel; SDL text input is on only while a field has focus
 * (on-screen keyboards and IMEs follow it).
 * Thread rule: main thread. */
#include <SDL.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_impl.h"
#include "wake.h"

void app_text_input_sync(App *a)
{
    bool want = ui_wants_keys(&a->ui);
    if (want != (SDL_IsTextInputActive() == SDL_TRUE)) {
        if (want)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
    }
}

/* ---- the Open / Save dialogs ---- */

#define FIELD_NAME "files.path"

static UiColor error_color(const Ui *ui)
{
    return ui->theme.high_contrast ? ui_rgba(255, 110, 110, 255) : ui_rgba(240, 96, 96, 255);
}

static void load_recent(AppFiles *f)
{
    char file[4096];
    Err e = {0};
    f->recent.n = 0;
    if (recent_file(file, sizeof file, &e) == ERR_OK)
        recent_load(&f->recent, file, &e);
    recent_existing(&f->recent, &f->shown);
}

/* Remember path first in the recent list (a failure to store the list is
 * not worth more than a toast: the model itself was opened or saved). */
static void remember(App *a, const char *path)
{
    AppFiles *f = &a->files;
    char file[4096];
    Err e = {0};
    if (!recent_add(&f->recent, path))
        return;
    if (recent_file(file, sizeof file, &e) != ERR_OK || recent_save(&f->recent, file, &e) != ERR_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "Cannot remember recent files: %s", e.msg);
        ui_toast(&a->ui, msg);
    }
    recent_existing(&f->recent, &f->shown);
}

void app_files_open(App *a, int mode)
{
    AppFiles *f = &a->files;
    f->mode = mode;
    f->error[0] = '\0';
    f->show_comp = false;
    load_recent(f);
    if (mode == FILES_SAVE && a->map.loaded) {
        /* start from the shown model's own path: Save as next to it */
        snprintf(f->path, sizeof f->path, "%s", a->map.model.path);
    } else if (!f->path[0]) {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd))
            snprintf(f->path, sizeof f->path, "%.4094s/", cwd);
    }
    ui_focus(&a->ui, ui_text_field_id(&a->ui, FIELD_NAME));
}

static void close_dialog(App *a)
{
    a->files.mode = FILES_NONE;
    a->files.show_comp = false;
    ui_focus(&a->ui, 0);
}

bool app_field_key(App *a, UiKey k)
{
    if (ui_wants_keys(&a->ui)) {
        ui_input_key(&a->ui, k);
        return true; /* the field has the keyboard: no shortcut runs */
    }
    bool ctrl = (k.mods & UI_MOD_CTRL) && !(k.mods & (UI_MOD_SHIFT | UI_MOD_ALT | UI_MOD_GUI));
    if (ctrl && k.code == 'o') {
        app_files_open(a, FILES_OPEN);
        return true;
    }
    if (ctrl && k.code == 's') {
        app_files_open(a, FILES_SAVE);
        return true;
    }
    return false;
}

static void complete(AppFiles *f)
{
    Err e = {0};
    f->error[0] = '\0';
    if (pathcomp_complete(f->path, &f->comp, &e) != ERR_OK) {
        snprintf(f->error, sizeof f->error, "Cannot list %s", e.msg);
        f->show_comp = false;
        return;
    }
    snprintf(f->path, sizeof f->path, "%s", f->comp.text);
    f->show_comp = f->comp.n > 1;
    if (f->comp.n == 0)
        snprintf(f->error, sizeof f->error, "Nothing here starts with that name.");
}

static void do_open(App *a, const char *text)
{
    AppFiles *f = &a->files;
    char path[4096];
    Err e = {0};
    if (!text[0]) {
        snprintf(f->error, sizeof f->error, "Type the path of a model file.");
        return;
    }
    if (path_expand(text, path, sizeof path, &e) != ERR_OK ||
        app_open_model(a, path, NULL, &e) != ERR_OK) {
        if (app_training_active(a))
            snprintf(f->error, sizeof f->error,
                     "Training is running. Stop it first (Training panel, T), then open.");
        else
            snprintf(f->error, sizeof f->error, "Cannot open: %s", e.msg);
        return;
    }
    remember(a, path);
    char msg[300];
    snprintf(msg, sizeof msg, "Opened %s (Z = %d)", a->map.model.name, a->cur.dim);
    ui_toast(&a->ui, msg);
    close_dialog(a);
}

static void do_save(App *a, const char *text)
{
    AppFiles *f = &a->files;
    char path[4096];
    Err e = {0};
    if (!a->map.loaded) {
        snprintf(f->error, sizeof f->error, "There is no model to save.");
        return;
    }
    size_t len = strlen(text);
    if (!len || text[len - 1] == '/') {
        snprintf(f->error, sizeof f->error, "Type a file name to save to.");
        return;
    }
    struct stat st;
    if (path_expand(text, path, sizeof path, &e) != ERR_OK) {
        snprintf(f->error, sizeof f->error, "Cannot save: %s", e.msg);
        return;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(f->error, sizeof f->error, "Cannot save: %.700s is a directory.", path);
        return;
    }
    if (save_job_start(&f->save, &a->map.model.vae, &a->map.model.info, path, app_wake_cb,
                       app_wake_arg(a->wake_event), &e) != ERR_OK) {
        snprintf(f->error, sizeof f->error, "Cannot save: %s", e.msg);
        return;
    }
    snprintf(f->save_from, sizeof f->save_from, "%s", a->map.model.path);
    close_dialog(a);
}

/* A save finished on its worker: report it. */
static void save_done(App *a)
{
    AppFiles *f = &a->files;
    SaveJob *j = &f->save;
    f->save_ms = j->ms;
    f->saves++;
    if (j->err.code != ERR_OK) {
        f->mode = FILES_SAVE; /* back, with the error, to try another place */
        snprintf(f->path, sizeof f->path, "%s", j->path);
        snprintf(f->error, sizeof f->error, "Cannot save: %s", j->err.msg);
        f->show_comp = false;
        load_recent(f);
        ui_focus(&a->ui, ui_text_field_id(&a->ui, FIELD_NAME));
        return;
    }
    remember(a, j->path);
    Model *m = &a->map.model;
    if (!app_training_active(a) && !strcmp(m->path, f->save_from)) {
        /* the shown model is now this file (Continue training writes here) */
        char *abs = realpath(j->path, NULL);
        snprintf(m->path, sizeof m->path, "%s", abs ? abs : j->path);
        free(abs);
        const char *base = strrchr(m->path, '/');
        snprintf(m->name, sizeof m->name, "%.255s", base ? base + 1 : m->path);
    }
    char msg[4200];
    snprintf(msg, sizeof msg, "Saved %s", j->path);
    ui_toast(&a->ui, msg);
}

void app_files_free(App *a)
{
    save_job_free(&a->files.save);
}

bool app_files_modal(const App *a)
{
    return a->files.mode != FILES_NONE;
}

void app_files_begin(App *a)
{
    if (a->files.mode) /* the views under the card see no mouse this frame */
        ui_modal_up(&a->ui);
}

/* A clickable list row: name, then dim detail. */
static bool row(Ui *ui, const char *id, UiRect r, const char *name, const char *detail)
{
    const UiTheme *t = &ui->theme;
    int res = ui_control(ui, ui_id_str(ui, id), r, UI_MOUSE_LEFT);
    bool over = ui_rect_contains(r, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y);
    if (res & (UI_HOVER | UI_ACTIVE))
        ui_draw_rect(ui, r, t->button_hot, (float)ui_pad(ui) * 0.4f);
    int pad = ui_pad(ui), th = ui_text_height(ui, UI_FONT_BODY);
    UiRect saved = ui->clip;
    ui_clip(ui, ui_rect_intersect(r, saved));
    int w = ui_draw_text(ui, UI_FONT_BODY, r.x + pad, r.y + (r.h - th) / 2, t->text, name);
    if (detail)
        ui_draw_text(ui, UI_FONT_BODY, r.x + 3 * pad + w, r.y + (r.h - th) / 2, t->text_dim,
                     detail);
    ui_clip(ui, saved);
    return (res & UI_RELEASE) && over;
}

/* The card and what was done in it; the caller runs it in the modal layer. */
static void dialog(App *a)
{
    AppFiles *f = &a->files;
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), rh = ui_row_h(ui), th = ui_text_height(ui, UI_FONT_BODY);
    int title_h = ui_text_height(ui, UI_FONT_TITLE);
    bool open = f->mode == FILES_OPEN;
    bool busy = app_training_active(a);

    /* size: wide enough for a long path, at most the window less a margin */
    int w = th * 36;
    if (w > ui->screen_w - 4 * pad)
        w = ui->screen_w - 4 * pad;
    int inner_w = w - 4 * pad;
    const char *note = NULL;
    if (open && busy)
        note = "A training run is active: stop it first (Training panel, T) to open "
               "another model.";
    else if (!open && busy)
        note = "Training is running: this saves its newest weights.";
    int note_h = note ? ui_text_wrapped_height(ui, UI_FONT_BODY, inner_w, note) + pad : 0;
    int err_h = f->error[0] ? ui_text_wrapped_height(ui, UI_FONT_BODY, inner_w, f->error) + pad
                            : 0;
    int ncand = f->show_comp ? (f->comp.kept < FILES_ROWS ? f->comp.kept : FILES_ROWS) : 0;
    bool more = f->show_comp && f->comp.n > ncand;
    int cand_h = ncand ? (ncand + more) * (th + pad) + pad : 0;
    int fixed = 2 * pad + title_h + pad + th + pad + rh + pad + note_h + err_h + cand_h +
                th + pad /* "Recent" */ + pad + rh + 2 * pad;
    int nrec = f->shown.n;
    int max_h = ui->screen_h - 4 * pad;
    while (nrec > 0 && fixed + nrec * (th + pad) > max_h)
        nrec--;
    int h = fixed + (nrec ? nrec : 1) * (th + pad);
    if (h > max_h)
        h = max_h;
    UiRect card = ui_rect((ui->screen_w - w) / 2, (ui->screen_h - h) / 2, w, h);
    f->card = card;

    ui_draw_rect(ui, ui_rect(0, 0, ui->screen_w, ui->screen_h), t->backdrop, 0);
    ui_draw_rect(ui, card, t->card, (float)pad);
    ui_draw_frame(ui, card, t->border, t->high_contrast ? 2.0f : 1.0f, (float)pad);
    /* the card swallows clicks that miss its widgets */
    int x = card.x + 2 * pad, y = card.y + 2 * pad;
    ui_draw_text(ui, UI_FONT_TITLE, x, y, t->text, open ? "Open model" : "Save model as");
    y += title_h + pad;
    ui_draw_text(ui, UI_FONT_BODY, x, y, t->text_dim,
                 open ? "Path of a .safetensors model \xc2\xb7 Tab completes \xc2\xb7 "
                        "Enter opens \xc2\xb7 Esc cancels"
                      : "File to write \xc2\xb7 Tab completes \xc2\xb7 Enter saves \xc2\xb7 "
                        "Esc cancels");
    y += th + pad;
    f->field = ui_rect(x, y, inner_w, rh);
    int res = ui_text_field(ui, FIELD_NAME, f->field, f->path, (int)sizeof f->path,
                            open ? "/path/to/model.safetensors" : "/path/to/new.safetensors");
    y += rh + pad;
    if (res & UI_TEXT_CHANGED) {
        f->show_comp = false;
        f->error[0] = '\0';
    }
    if (res & UI_TEXT_TAB) {
        complete(f);
        ui_focus(ui, ui_text_field_id(ui, FIELD_NAME)); /* the caret to the new end */
    }
    bool act = (res & UI_TEXT_SUBMIT) != 0, cancel = (res & UI_TEXT_CANCEL) != 0;

    if (note) {
        y += ui_draw_text_wrapped(ui, UI_FONT_BODY, ui_rect(x, y, inner_w, note_h), t->accent,
                                  note) + pad;
    }
    if (f->error[0])
        y += ui_draw_text_wrapped(ui, UI_FONT_BODY, ui_rect(x, y, inner_w, err_h),
                                  error_color(ui), f->error) + pad;
    char pick[4096] = "";
    f->ncand_r = 0;
    if (ncand) {
        for (int i = 0; i < ncand; i++) {
            char id[32];
            snprintf(id, sizeof id, "files.cand.%d", i);
            UiRect r = ui_rect(x, y, inner_w, th + pad);
            f->cand_r[f->ncand_r++] = r;
            if (row(ui, id, r, f->comp.names[i], NULL))
                pathcomp_pick(&f->comp, f->path, i, pick, sizeof pick);
            y += th + pad;
        }
        if (more) {
            char m[64];
            snprintf(m, sizeof m, "\xe2\x80\xa6 and %d more", f->comp.n - ncand);
            ui_draw_text(ui, UI_FONT_BODY, x + pad, y + pad / 2, t->text_dim, m);
            y += th + pad;
        }
        y += pad;
    }
    if (pick[0]) { /* a candidate: take it, and list a directory's entries */
        snprintf(f->path, sizeof f->path, "%s", pick);
        f->show_comp = false;
        size_t n = strlen(pick);
        if (n && pick[n - 1] == '/')
            complete(f);
        ui_focus(ui, ui_text_field_id(ui, FIELD_NAME));
    }

    ui_draw_text(ui, UI_FONT_BODY, x, y, t->text, "Recent");
    y += th + pad;
    f->nrecent_r = 0;
    const char *chosen = NULL;
    if (nrec == 0) {
        ui_draw_text(ui, UI_FONT_BODY, x + pad, y + pad / 2, t->text_dim,
                     "none yet: files you open or save appear here");
    }
    for (int i = 0; i < nrec; i++) {
        char id[32], dir[4096];
        snprintf(id, sizeof id, "files.recent.%d", i);
        snprintf(dir, sizeof dir, "%s", f->shown.path[i]);
        char *slash = strrchr(dir, '/');
        const char *name = slash ? slash + 1 : dir;
        if (slash)
            *slash = '\0';
        char name_copy[256];
        snprintf(name_copy, sizeof name_copy, "%.255s", name);
        UiRect r = ui_rect(x, y, inner_w, th + pad);
        f->recent_r[f->nrecent_r++] = r;
        if (row(ui, id, r, name_copy, slash ? (dir[0] ? dir : "/") : NULL))
            chosen = f->shown.path[i];
        y += th + pad;
    }

    int bw = ui_text_width(ui, UI_FONT_BODY, "Cancel") + 4 * pad;
    f->b_cancel = ui_rect(card.x + card.w - 2 * pad - bw, card.y + card.h - 2 * pad - rh, bw, rh);
    f->b_ok = ui_rect(f->b_cancel.x - pad - bw, f->b_cancel.y, bw, rh);
    if (ui_button_at(ui, f->b_ok, open ? "Open" : "Save"))
        act = true;
    if (ui_button_at(ui, f->b_cancel, "Cancel"))
        cancel = true;
    ui_control(ui, ui_id_str(ui, "files.card"), card, UI_MOUSE_LEFT);

    if (cancel) {
        close_dialog(a);
        return;
    }
    if (chosen) {
        char c[4096];
        snprintf(c, sizeof c, "%s", chosen);
        snprintf(f->path, sizeof f->path, "%s", c);
        f->show_comp = false;
        if (open)
            do_open(a, c);
        else
            ui_focus(ui, ui_text_field_id(ui, FIELD_NAME));
    } else if (act) {
        char c[4096];
        snprintf(c, sizeof c, "%s", f->path);
        if (open)
            do_open(a, c);
        else
            do_save(a, c);
    }
    /* the field keeps the keyboard while the dialog is open */
    if (f->mode && !ui_wants_keys(ui))
        ui_focus(ui, ui_text_field_id(ui, FIELD_NAME));
}

void view_files(App *a)
{
    if (save_job_poll(&a->files.save))
        save_done(a);
    if (!a->files.mode)
        return;
    ui_modal_begin(&a->ui);
    dialog(a);
    ui_modal_end(&a->ui);
}

void app_files_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const AppFiles *f = &a->files;
    cJSON_AddStringToObject(o, "open", f->mode == FILES_OPEN   ? "open"
                                       : f->mode == FILES_SAVE ? "save"
                                                               : "none");
    cJSON_AddStringToObject(o, "path", f->path);
    cJSON_AddBoolToObject(o, "focused", ui_wants_keys(&a->ui));
    cJSON *c = cJSON_AddArrayToObject(o, "candidates");
    for (int i = 0; f->show_comp && i < f->comp.kept; i++)
        cJSON_AddItemToArray(c, cJSON_CreateString(f->comp.names[i]));
    cJSON_AddNumberToObject(o, "matches", f->show_comp ? f->comp.n : 0);
    cJSON *r = cJSON_AddArrayToObject(o, "recent");
    for (int i = 0; i < f->shown.n; i++)
        cJSON_AddItemToArray(r, cJSON_CreateString(f->shown.path[i]));
    cJSON_AddStringToObject(o, "error", f->error);
    cJSON_AddNumberToObject(o, "save_ms", f->save_ms);
    cJSON_AddNumberToObject(o, "saves", f->saves);
    cJSON *rects = cJSON_AddObjectToObject(o, "rects");
    const UiRect *rs[] = {&f->card, &f->field, &f->b_ok, &f->b_cancel};
    const char *names[] = {"card", "field", "ok", "cancel"};
    for (int i = 0; i < 4; i++)
        cJSON_AddItemToObject(rects, names[i],
                              cJSON_CreateIntArray((const int[]){rs[i]->x, rs[i]->y, rs[i]->w,
                                                                 rs[i]->h},
                                                   4));
    cJSON *cr = cJSON_AddArrayToObject(rects, "candidates");
    for (int i = 0; f->mode && i < f->ncand_r; i++)
        cJSON_AddItemToArray(cr, cJSON_CreateIntArray((const int[]){f->cand_r[i].x, f->cand_r[i].y,
                                                                    f->cand_r[i].w, f->cand_r[i].h},
                                                      4));
    cJSON *rr = cJSON_AddArrayToObject(rects, "recent");
    for (int i = 0; f->mode && i < f->nrecent_r; i++)
        cJSON_AddItemToArray(rr, cJSON_CreateIntArray((const int[]){f->recent_r[i].x,
                                                                    f->recent_r[i].y,
                                                                    f->recent_r[i].w,
                                                                    f->recent_r[i].h},
                                                      4));
}
