/* presenter: presenter mode's hideable panels (Tab, L, B) and the session
 * file (Ctrl+Shift+S saves; --session restores). See view_neigh.h for the
 * state and session.h for the file. Hiding only changes what app_layout
 * gives the map: the view keeps its centre and scale, so the data stay put
 * under the audience's eyes and just gain room. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"

bool app_side_visible(const App *a)
{
    return !a->pres.hide_side;
}

bool app_legend_visible(const App *a)
{
    return !a->pres.hide_legend;
}

bool app_status_visible(const App *a)
{
    return !a->pres.hide_status;
}

/* The session file's slot and the shell's AppSide are the same list. */
_Static_assert((int)APP_SIDE_SLIDERS == SESSION_SLOT_SLIDERS &&
                   (int)APP_SIDE_SAMPLING == SESSION_SLOT_SAMPLING &&
                   (int)APP_SIDE_TRAINING == SESSION_SLOT_TRAINING &&
                   (int)APP_SIDE_WALK == SESSION_SLOT_WALK && (int)APP_SIDE_DRAW == SESSION_SLOT_DRAW,
               "AppSide follows SESSION_SLOT_*");

static int current_slot(const App *a)
{
    return (int)app_side(a);
}

void app_session_capture(const App *a, Session *s)
{
    session_init(s);
    /* the default model is stored as null, so the lesson opens whatever
     * default the presenting machine has cached; any other as an absolute
     * path, so the session opens from any directory */
    char def[4096];
    app_default_model_path(a->map.model.dataset[0] ? a->map.model.dataset : "mnist", def, sizeof def);
    if (a->map.model.path[0] && strcmp(a->map.model.path, def) != 0) {
        char *abs = realpath(a->map.model.path, NULL);
        snprintf(s->model, sizeof s->model, "%s", abs ? abs : a->map.model.path);
        free(abs);
    }
    if (a->map.model.dataset[0])
        snprintf(s->dataset, sizeof s->dataset, "%s", a->map.model.dataset);
    s->points = a->opt.all_points ? 70000 : 10000;
    if (map_model_xy(&a->map)) {
        s->has_view = true;
        s->center[0] = a->map.view.cx;
        s->center[1] = a->map.view.cy;
        s->scale = a->map.view.scale;
    }
    if (a->map.loaded && a->cur.dim > 0) {
        s->z_dim = a->cur.dim;
        memcpy(s->z, a->cur.z, (size_t)a->cur.dim * sizeof *a->cur.z);
    }
    s->slot = current_slot(a);
    s->has_panels = true;
    s->side = app_side_visible(a);
    s->legend = app_legend_visible(a);
    s->status = app_status_visible(a);
    s->text_scale = a->text_scale;
    s->high_contrast = a->high_contrast;
    s->sort_by_kl = a->sliders.sort_by_kl;
    /* in the points fit_window asks for (X11 HiDPI: pixels / DPI scale) */
    s->window[0] = (int)lroundf((float)a->win.w / a->dpi_scale);
    s->window[1] = (int)lroundf((float)a->win.h / a->dpi_scale);
}

static void save_session(App *a)
{
    Session s;
    app_session_capture(a, &s);
    Err e = {0};
    char msg[4400];
    if (session_save(&s, a->pres.session_path, &e) == ERR_OK) {
        a->pres.saves++;
        char *abs = realpath(a->pres.session_path, NULL);
        snprintf(msg, sizeof msg, "Session saved to %s", abs ? abs : a->pres.session_path);
        free(abs);
    } else {
        snprintf(msg, sizeof msg, "Cannot save the session: %s", e.msg);
    }
    ui_toast(&a->ui, msg);
}

bool app_panels_key(App *a, UiKey k)
{
    bool ctrl = (k.mods & UI_MOD_CTRL) != 0, shift = (k.mods & UI_MOD_SHIFT) != 0;
    bool alt = (k.mods & (UI_MOD_ALT | UI_MOD_GUI)) != 0;
    if (ctrl && shift && !alt && k.code == 's') {
        save_session(a);
        return true;
    }
    if (ctrl || alt)
        return false;
    switch (k.code) {
    case UI_KEY_TAB:
        a->pres.hide_side = !a->pres.hide_side;
        if (a->pres.hide_side)
            ui_toast(&a->ui, "Panels hidden \xc2\xb7 Tab shows them");
        return true;
    case 'l': a->pres.hide_legend = !a->pres.hide_legend; return true;
    case 'b': a->pres.hide_status = !a->pres.hide_status; return true;
    default: return false;
    }
}

void app_presenter_start(App *a)
{
    AppPresenter *p = &a->pres;
    if (a->opt.session_path)
        snprintf(p->session_path, sizeof p->session_path, "%s", a->opt.session_path);
    else
        session_default_path(p->session_path, sizeof p->session_path);
    if (a->opt.session_new) {
        char msg[4400];
        snprintf(msg, sizeof msg, "New session: Ctrl+Shift+S saves it to %s", p->session_path);
        ui_toast(&a->ui, msg);
    }
    if (!a->opt.session)
        return;
    /* model, dataset, points and window size went into the options */
    const Session *s = a->opt.session;
    p->restore = *s;
    if (s->text_scale > 0 && s->text_scale != a->text_scale) {
        a->text_scale = s->text_scale;
        Err e = {0};
        if (app_fonts(a, &e) != ERR_OK)
            ui_toast(&a->ui, e.msg);
    }
    if (s->high_contrast >= 0) {
        a->high_contrast = s->high_contrast;
        a->ui.theme = a->high_contrast ? *ui_theme_high_contrast() : *ui_theme_dark();
    }
    if (s->sort_by_kl >= 0)
        sliders_panel_sort(&a->sliders, s->sort_by_kl);
    if (s->has_panels) {
        p->hide_side = !s->side;
        p->hide_legend = !s->legend;
        p->hide_status = !s->status;
    }
    if (s->slot >= 0 && s->slot < SESSION_SLOTS)
        app_ask_side(a, (AppSide)s->slot, APP_SIDE_SHOW);
    p->restore_z = s->z_dim > 0;
    p->restore_view = s->has_view;
}

void app_presenter_frame(App *a)
{
    AppPresenter *p = &a->pres;
    if (p->restore_z && a->map.loaded && a->cur.dim > 0) {
        p->restore_z = false;
        if (p->restore.z_dim == a->cur.dim) {
            app_set_z(a, p->restore.z);
        } else {
            char msg[160];
            snprintf(msg, sizeof msg, "session: z has %d values but the model has Z = %d; z "
                     "not restored", p->restore.z_dim, a->cur.dim);
            ui_toast(&a->ui, msg);
        }
    }
    if (p->restore_view && a->map.ready && map_model_xy(&a->map)) {
        /* after poll_model's fit: the saved view replaces it and, marked as
         * the user's, survives resizes and new layouts */
        p->restore_view = false;
        a->map.view.cx = p->restore.center[0];
        a->map.view.cy = p->restore.center[1];
        a->map.view.scale = p->restore.scale;
        map_clamp_view(&a->map.view); /* the file's values, as far as they can be drawn */
        a->map.view.fitted = true;
        a->map.view.user_moved = true;
    }
}

void app_panels_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    cJSON_AddBoolToObject(o, "side", app_side_visible(a));
    cJSON_AddBoolToObject(o, "legend", app_legend_visible(a));
    cJSON_AddBoolToObject(o, "status", app_status_visible(a));
    cJSON_AddStringToObject(o, "slot", session_slot_name(current_slot(a)));
    cJSON_AddStringToObject(o, "session_path", a->pres.session_path);
    cJSON_AddNumberToObject(o, "session_saves", a->pres.saves);
    cJSON_AddBoolToObject(o, "restore_pending", a->pres.restore_z || a->pres.restore_view);
}
