/* app: start-up, the one SDL event loop, and shut-down. See app_impl.h for
 * the frame structure (events -> update -> draw). The loop renders
 * continuously while something moves (a drag, a script, toasts, the encoder
 * working) and otherwise sleeps in SDL_WaitEventTimeout, so an idle window
 * leaves the CPU to training. */
#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "mappane.h"
#include "core/timer.h"
#include "core/xdg.h"
#include "sdlkey.h"

void app_default_model_path(const char *dataset, char *buf, size_t size)
{
    char rel[256];
    snprintf(rel, sizeof rel, "default-%s-z2.safetensors", dataset ? dataset : "mnist");
    xdg_path(XDG_CACHE, rel, buf, size);
}

int app_check_script(const char *path, Err *e)
{
    Script s;
    int rc = script_load(&s, path, e);
    if (rc == ERR_OK)
        script_free(&s);
    return rc;
}

/* Shown when MNIST is missing and the explorer starts on Fashion-MNIST. */
#define NO_MNIST_LINE \
    "MNIST is not installed: showing Fashion-MNIST. Add MNIST with 'zspace data fetch'."

static void open_model(App *a)
{
    char path[4096];
    const char *ds = a->opt.dataset;
    bool no_mnist = false;
    /* Toasts raised here count their seconds from now, not from before the
     * window and fonts were made (which can take seconds on a slow PC). */
    a->ui.now = timer_now() - a->t0;
    if (!ds && !a->opt.model_path) {
        /* The default model's dataset: MNIST, or Fashion-MNIST (a package
         * dependency) when MNIST is not installed, so the window never opens
         * on nothing. */
        ds = dataset_default();
        no_mnist = strcmp(ds, "fashion") == 0;
    }
    if (a->opt.model_path)
        snprintf(path, sizeof path, "%s", a->opt.model_path);
    else
        app_default_model_path(ds ? ds : "mnist", path, sizeof path);
    Err e = {0};
    int rc = app_open_model(a, path, ds, &e);
    if (rc != ERR_OK) {
        if (rc == ERR_IO && !a->opt.model_path) {
            /* No cached default model: train it in the background; the map
             * forms live and the result is cached for the next launch. */
            app_train_default(a, path, ds ? ds : "mnist");
            if (no_mnist)
                ui_toast(&a->ui, NO_MNIST_LINE);
            return;
        }
        snprintf(a->map.message, sizeof a->map.message, "Cannot open the model.\n\n%s", e.msg);
        snprintf(a->map.model.dataset, sizeof a->map.model.dataset, "%s", ds ? ds : "mnist");
        return;
    }
    if (!a->opt.model_path && !a->opt.compare_path)
        app_train_resume_default(a); /* an interrupted first training goes on */
    if (no_mnist)
        ui_toast(&a->ui, NO_MNIST_LINE);
}

/* Pick up the encoder's result once it is published. */
static void poll_model(App *a)
{
    int st = map_model_poll(&a->map);
    if (st == MODEL_FAILED) {
        snprintf(a->map.message, sizeof a->map.message, "Cannot show the map.\n\n%s",
                 a->map.model.job.err.msg);
        return;
    }
    if (st != MODEL_READY)
        return;
    if (a->cur.dim == 2) {
        map_reset_view(a);
    } else {
        snprintf(a->map.message, sizeof a->map.message,
                 "This model has Z = %d latent dimensions: projecting them to 2-D "
                 "(PCA, then t-SNE)\xe2\x80\xa6",
                 a->cur.dim);
    }
    cursor_set_nearest(&a->cur, app_nearest_point(a, a->cur.z));
    cursor_stale(&a->cur);
}

AppSide app_side(const App *a)
{
    return a->side;
}

void app_ask_side(App *a, AppSide want, AppSideHow how)
{
    a->side_ask = (AppSideAsk){.asked = true, .want = want, .how = how};
}

/* The one place the side slot changes. Showing a panel remembers the one it
 * covers; toggling the shown panel off gives the slot back to that one. */
static void apply_side(App *a)
{
    AppSideAsk q = a->side_ask;
    if (!q.asked)
        return;
    a->side_ask.asked = false;
    if (q.want == a->side) {
        if (q.how == APP_SIDE_TOGGLE) {
            a->side = a->side_under;
            a->side_under = APP_SIDE_SLIDERS;
        }
        return;
    }
    a->side_under = a->side;
    a->side = q.want;
}

static int mouse_button(uint8_t b)
{
    return b == SDL_BUTTON_LEFT ? UI_MOUSE_LEFT : b == SDL_BUTTON_RIGHT ? UI_MOUSE_RIGHT
                                                                        : UI_MOUSE_MIDDLE;
}

static void handle_event(App *a, const SDL_Event *ev)
{
    float s = a->win.scale;
    app_perf_event(a, ev); /* a click on the map starts a latency (perf.c) */
    switch (ev->type) {
    case SDL_QUIT: a->quit = true; break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            gfx_window_update_size(&a->win);
            Err e = {0};
            if (app_fonts(a, &e) != ERR_OK)
                ui_toast(&a->ui, e.msg);
            a->resized = true; /* the next frame's layout refits the map */
        }
        break;
    case SDL_MOUSEMOTION:
        ui_input_motion(&a->ui, (int)((float)ev->motion.x * s), (int)((float)ev->motion.y * s));
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
        bool down = ev->type == SDL_MOUSEBUTTONDOWN;
        if (down && a->help) { /* a click anywhere closes the help */
            a->help = false;
            a->help_swallow = true;
            break;
        }
        if (!down && a->help_swallow) {
            a->help_swallow = false;
            break;
        }
        ui_input_button(&a->ui, (int)((float)ev->button.x * s), (int)((float)ev->button.y * s),
                        mouse_button(ev->button.button), down);
        break;
    }
    case SDL_MOUSEWHEEL: {
        float y = ev->wheel.preciseY != 0 ? ev->wheel.preciseY : (float)ev->wheel.y;
        if (ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
            y = -y;
        ui_input_scroll(&a->ui, y);
        break;
    }
    case SDL_TEXTINPUT: ui_input_text(&a->ui, ev->text.text); break;
    case SDL_KEYDOWN: {
        UiKey k = app_key_from_sdl(ev->key.keysym.sym, ev->key.keysym.mod);
        /* a focused text field takes every key: no shortcut while typing */
        if (app_field_key(a, k))
            break;
        if (!app_panels_key(a, k) && !app_compare_key(a, k) && !app_key(a, k) &&
            !app_walk_key(a, k) && !app_sample_key(a, k) && !app_draw_key(a, k) &&
            !app_uncert_key(a, k))
            app_train_key(a, k);
        apply_side(a); /* the next key sees this one's panel */
        break;
    }
    default: break;
    }
}

static void update(App *a)
{
    ui_begin(&a->ui, a->win.pw, a->win.ph, a->now);
    app_files_begin(a); /* a dialog open: the views below get no mouse */
    app_layout(a); /* every rect of this frame, once */
    if (a->resized && !a->map.view.user_moved)
        map_reset_view(a);
    a->resized = false;
    view_map(a);
    view_compare(a);
    if (app_side_visible(a))
        view_decoder(a);
    AppSide side = app_side(a);
    if (side == APP_SIDE_TRAINING) {
        if (app_side_visible(a))
            view_train(a);
        view_curves(a);
        view_klbars(a);
    } else if (app_side_visible(a)) { /* else Tab (presenter mode): the map alone */
        switch (side) {
        case APP_SIDE_WALK: view_walk(a); break;
        case APP_SIDE_SAMPLING: view_sample(a); break;
        case APP_SIDE_DRAW: view_draw(a); break;
        default: view_sliders(a); break;
        }
    }
    view_status(a);
    view_files(a);
    if (a->help)
        ui_help(&a->ui, "zspace \xc2\xb7 keys", app_help, app_help_count);
    ui_end(&a->ui);
    apply_side(a); /* a panel's button asked (a run started, a walk played) */
}

static void draw_custom(void *user, int id, UiRect r)
{
    App *a = user;
    MapModel *m = id == APP_CUSTOM_POINTS ? &a->map : app_compare_map(a);
    if (m)
        map_pane_points(a, m, r);
}

static void draw(App *a)
{
    app_decode_if_dirty(a);
    app_compare_draw(a);
    app_sample_draw(a);
    app_draw_upload(a);
    app_neigh_draw(a);
    map_pane_upload_hover(a, &a->map);
    gfx_render(&a->gr, &a->ui.list, a->ui.theme.bg, a->win.pw, a->win.ph, draw_custom, a);
}

/* Frame rate over the recent frames that ran back to back (idle gaps are
 * not frames anyone waited for). */
static void count_frame(App *a)
{
    double t = timer_now();
    double dt = t - a->last_frame;
    a->last_frame = t;
    a->frames++;
    if (dt > 0.1)
        return;
    a->frame_dt[a->nframe_dt++ % 64] = dt;
    int n = a->nframe_dt < 64 ? a->nframe_dt : 64;
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += a->frame_dt[i];
    a->fps = (float)(n / sum);
}

static int after_draw(App *a, const ScriptOut *so, Err *e)
{
    if (so->screenshot && app_screenshot(a, so->screenshot, e) != ERR_OK)
        return e->code;
    if (a->shot_path[0]) {
        Err se = {0};
        char msg[4400];
        if (app_screenshot(a, a->shot_path, &se) == ERR_OK) {
            char *abs = realpath(a->shot_path, NULL);
            snprintf(msg, sizeof msg, "Saved %s", abs ? abs : a->shot_path);
            free(abs);
        } else {
            snprintf(msg, sizeof msg, "Screenshot failed: %s", se.msg);
        }
        ui_toast(&a->ui, msg);
        a->shot_path[0] = '\0';
    }
    if (so->dump && app_dump_state(a, so->dump, e) != ERR_OK)
        return e->code;
    return ERR_OK;
}

/* Size and place the window inside the display's usable bounds (without
 * panels and docks), with its frame when the window manager has told SDL
 * its size: the asked size where it fits, else the largest that does,
 * centred. Text follows the display's DPI where the drawable is not scaled
 * already (X11 reports HiDPI as DPI; Wayland and macOS as a larger
 * drawable): the window asked for is in points of that scale. */
static void fit_window(App *a, int w, int h)
{
    SDL_Window *win = a->win.win;
    int d = SDL_GetWindowDisplayIndex(win);
    float ddpi = 0, hdpi = 0, vdpi = 0;
    if (d >= 0 && SDL_GetDisplayDPI(d, &ddpi, &hdpi, &vdpi) == 0 && a->win.scale < 1.01f &&
        hdpi >= 110 && hdpi <= 480) /* physical sizes below that are often made up */
        a->dpi_scale = hdpi / 96.0f;
    a->display_dpi = hdpi;
    SDL_Rect u;
    if (d < 0 || SDL_GetDisplayUsableBounds(d, &u) != 0 || u.w <= 0 || u.h <= 0)
        return;
    int top = 0, left = 0, bottom = 0, right = 0;
    if (SDL_GetWindowBordersSize(win, &top, &left, &bottom, &right) != 0)
        top = left = bottom = right = 0;
    int room_w = u.w - left - right, room_h = u.h - top - bottom;
    w = (int)lroundf((float)w * a->dpi_scale);
    h = (int)lroundf((float)h * a->dpi_scale);
    w = w < room_w ? w : room_w;
    h = h < room_h ? h : room_h;
    a->fit_borders = top + left + bottom + right;
    SDL_SetWindowSize(win, w, h);
    SDL_SetWindowPosition(win, u.x + left + (room_w - w) / 2, u.y + top + (room_h - h) / 2);
    gfx_window_update_size(&a->win);
}

/* A window manager reports the frame after the window is shown: fit again
 * once, if it then overflows the usable bounds. */
static void refit_window(App *a)
{
    if (a->frames > 60 || a->fit_done)
        return;
    int top = 0, left = 0, bottom = 0, right = 0;
    if (SDL_GetWindowBordersSize(a->win.win, &top, &left, &bottom, &right) != 0 ||
        top + left + bottom + right == a->fit_borders)
        return;
    a->fit_done = true;
    int d = SDL_GetWindowDisplayIndex(a->win.win);
    SDL_Rect u;
    int x, y;
    SDL_GetWindowPosition(a->win.win, &x, &y);
    if (d < 0 || SDL_GetDisplayUsableBounds(d, &u) != 0)
        return;
    if (x - left >= u.x && y - top >= u.y && x + a->win.w + right <= u.x + u.w &&
        y + a->win.h + bottom <= u.y + u.h)
        return;
    float s = a->dpi_scale;
    a->dpi_scale = 1; /* fit_window scales its arguments: they are pixels here */
    fit_window(a, a->win.w, a->win.h);
    a->dpi_scale = s;
}

static int loop(App *a, Err *e)
{
    uint32_t win_id = SDL_GetWindowID(a->win.win);
    while (!a->quit) {
        double start = timer_now();
        a->now = start - a->t0;
        ScriptOut so = {0};
        bool scripting = a->scripted && a->script.pc < a->script.n;
        /* wait-ready ends when the map is in, or when there will be none */
        bool ready = a->map.ready || !a->map.loaded || !a->map.model.job.started ||
                     model_job_state(&a->map.model.job, NULL) == MODEL_FAILED;
        /* Z > 2: the map is in when its first layout (PCA) is drawn */
        ready = ready && (a->cur.dim <= 2 || !a->map.ready || map_model_projected(&a->map) ||
                          a->map.lay.state == PROJ_FAILED);
        ready = ready && app_compare_ready(a);
        ScriptWorld world = {.ready = ready, .probe = app_dump_probe, .ctx = a};
        if (scripting && script_tick(&a->script, win_id, a->now, &world, &so, e) != ERR_OK)
            return e->code;
        bool busy = scripting || a->ui.active || ui_toasts_active(&a->ui) ||
                    (a->map.loaded && !a->map.ready) || a->shot_path[0] || app_train_busy(a) ||
                    app_walk_busy(a) || app_map_settling(a);
        SDL_Event ev;
        bool woken = !busy && SDL_WaitEventTimeout(&ev, 250);
        watchdog_frame_begin(&a->wd); /* from here to the swap, the frame is ours */
        if (woken)
            handle_event(a, &ev);
        double work0 = busy ? start : timer_now(); /* frame work starts after an idle wait */
        while (SDL_PollEvent(&ev))
            handle_event(a, &ev);
        refit_window(a);
        poll_model(a);
        app_train_frame(a);
        app_walk_frame(a);
        app_proj_frame(a);
        app_presenter_frame(a);
        app_compare_frame(a);
        update(a);
        app_text_input_sync(a);
        draw(a);
        if (after_draw(a, &so, e) != ERR_OK)
            return e->code;
        watchdog_frame_end(&a->wd); /* a driver may hold the swap of a hidden window */
        gfx_window_swap(&a->win);
        app_perf_frame(a, work0, busy);
        count_frame(a);
        /* Without working vsync, hold to ~60 fps rather than spin. */
        double spent = timer_now() - start;
        if (spent < 1.0 / 62)
            SDL_Delay((uint32_t)((1.0 / 62 - spent) * 1000));
    }
    return ERR_OK;
}

static int start(App *a, Err *e)
{
    if (gfx_shader_dir(a->shader_dir, sizeof a->shader_dir, e) != ERR_OK)
        return e->code;
    if (gfx_font_find("DejaVu Sans", a->font_regular, sizeof a->font_regular, e) != ERR_OK ||
        gfx_font_find("DejaVu Sans:bold", a->font_bold, sizeof a->font_bold, e) != ERR_OK)
        return e->code;
    int w = a->opt.width > 0 ? a->opt.width : 1280, h = a->opt.height > 0 ? a->opt.height : 800;
    if (gfx_window_init(&a->win, "zspace \xe2\x80\x94 latent space explorer", w, h, e) != ERR_OK)
        return e->code;
    fit_window(a, w, h);
    if (gfx_renderer_init(&a->gr, a->shader_dir, e) != ERR_OK ||
        gfx_points_init(&a->map.pts, a->shader_dir, e) != ERR_OK)
        return e->code;
    a->map.pts_ok = true;
    if (!ui_init(&a->ui, gfx_renderer_metrics(&a->gr), ui_theme_dark()))
        return err_set(e, ERR_NOMEM, "out of memory");
    if (app_fonts(a, e) != ERR_OK)
        return e->code;
    a->img_decoded = gfx_image_new(&a->gr, 28, 28);
    a->img_nearest = gfx_image_new(&a->gr, 28, 28);
    a->map.img_hover = gfx_image_new(&a->gr, 28, 28);
    a->wake_event = SDL_RegisterEvents(1);
    app_layout(a);
    map_reset_view(a);
    app_train_init(a);
    a->map.opened = true;
    open_model(a);
    neigh_panel_defaults(&a->neigh);
    app_presenter_start(a);
    apply_side(a); /* the session's panel */
    app_compare_open(a);
    return ERR_OK;
}

int app_run(const AppOptions *o, Err *e)
{
    App *a = calloc(1, sizeof *a);
    if (!a)
        return err_set(e, ERR_NOMEM, "out of memory");
    a->opt = *o;
    a->text_scale = 1.0f;
    a->dpi_scale = 1.0f;
    map_model_init(&a->map);
    cursor_reset(&a->cur, 0);
    a->highlight = -1;
    a->t0 = timer_now();
    frametime_init(&a->ft, a->t0);
    sliders_panel_defaults(&a->sliders);
    int rc = ERR_OK;
    if (o->script) {
        rc = script_load(&a->script, o->script, e);
        a->scripted = rc == ERR_OK;
    }
    if (rc == ERR_OK)
        rc = start(a, e);
    if (rc == ERR_OK)
        rc = watchdog_start(&a->wd, watchdog_limit_from_env(), e);
    if (rc == ERR_OK)
        rc = loop(a, e);
    watchdog_stop(&a->wd);
    app_train_free(a); /* stops a run, which saves its last complete batch */
    app_walk_free(a);
    app_files_free(a); /* a save being written completes */
    app_compare_free(a);
    map_model_free(&a->map); /* joins its projection and encoder workers */
    script_free(&a->script);
    ui_free(&a->ui);
    gfx_renderer_free(&a->gr);
    gfx_window_free(&a->win);
    free(a);
    return rc;
}
