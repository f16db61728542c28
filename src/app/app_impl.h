/* app_impl: the explorer's state, shared by the files of src/app.
 *
 * Frame = events -> update -> draw. Events feed the Ui's input and the
 * shortcut handler; update runs the views (each computes its layout-driven
 * interaction and appends draw commands to the Ui list; no GL); then the
 * pending decode is refreshed, and draw renders the list with gfx (the only
 * GL step), including the point cloud through a custom command.
 *
 * Everything here belongs to the main thread, except model.job whose rule
 * is in model.h. */
#ifndef ZSPACE_APP_APP_IMPL_H
#define ZSPACE_APP_APP_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "core/rng.h"
#include "frametime.h"
#include "gfx/points.h"
#include "gfx/render.h"
#include "gfx/window.h"
#include "mapmodel.h"
#include "explore/cursor.h"
#include "explore/model.h"
#include "view_interp.h"
#include "script_play.h"
#include "ui/ui.h"
#include "view_train.h"
#include "view_decoder.h"
#include "view_sliders.h"
#include "view_proj.h"
#include "view_sample.h"
#include "view_draw.h"
#include "view_files.h"
#include "view_neigh.h"
#include "watchdog.h"

enum { APP_CUSTOM_POINTS = 1, APP_CUSTOM_POINTS_B = 2 /* compare.h */ };

/* Which panel holds the side column's slot under the decoder: one value,
 * owned by the shell. Panels ask for a change with app_ask_side; app.c
 * applies it (between events, after the views), so the choice is made in
 * one place. A panel toggled off gives the slot back to the one it took it
 * from. Same order as the session file's SESSION_SLOT_*. */
typedef enum {
    APP_SIDE_SLIDERS, APP_SIDE_SAMPLING, APP_SIDE_TRAINING, APP_SIDE_WALK, APP_SIDE_DRAW,
} AppSide;
typedef enum { APP_SIDE_SHOW, APP_SIDE_TOGGLE } AppSideHow;

/* What the window's layout depends on: its size, the text size and the
 * shell's state (layout.c). */
typedef struct {
    int w, h;                 /* drawable pixels */
    int pad;                  /* ui_pad */
    int line, title_line, small_line; /* text heights: body, title, small */
    AppSide side;             /* the slot's panel */
    bool side_visible;        /* false: Tab hid the side column */
    bool status;              /* the status bar shows (B hides it) */
    bool wide_side;           /* the sampling grids want a wider column */
    bool neigh;               /* the Neighbours strip wants room under the sliders */
    bool compare;             /* --compare: A's and B's maps side by side */
} AppLayoutIn;
/* Every view's rect for one frame, drawable pixels; computed once per frame
 * by app_layout, read by the views. Rects of views not shown are zero. */
typedef struct {
    UiRect map;               /* A's map */
    UiRect side, decoder, sliders, status;
    int dec_img, dec_thumb;   /* decoder panel: digit and thumbnail sizes */
    UiRect train, curves, kl; /* Training: its panel (the sliders' place), loss curves, KL bars */
    UiRect map_b, title[2];   /* --compare: B's map; A's and B's titles above their maps */
} AppLayout;
typedef struct {
    bool asked;
    AppSide want;
    AppSideHow how;
} AppSideAsk;

typedef struct {
    AppOptions opt;
    GfxWindow win;
    GfxRenderer gr;
    Ui ui;
    char shader_dir[4096];
    char font_regular[1024], font_bold[1024];
    int font_px[UI_FONTS];
    uint32_t wake_event;

    /* the side column's slot: written only by app.c's apply_side */
    AppSide side, side_under; /* shown; what a toggle-off gives the slot back to */
    AppSideAsk side_ask;      /* the latest request of this frame, not applied yet */

    /* the display */
    float dpi_scale;       /* text and first window size: X11 HiDPI (DPI / 96), else 1 */
    float display_dpi;     /* what SDL reports, 0 unknown */
    int fit_borders;       /* frame size the first fit knew (refit when it changes) */
    bool fit_done;

    /* presenter settings */
    float text_scale;      /* Ctrl +/- */
    bool high_contrast;
    bool help;
    bool help_swallow;     /* the click that closed the help: drop its release */
    bool quit;

    /* timing */
    double t0, now, last_frame;
    double frame_dt[64];   /* recent frame intervals, for fps */
    int nframe_dt;
    float fps;
    uint64_t frames;

    /* this frame's rects (app_layout) */
    AppLayout layout;
    bool resized;          /* the window's size changed since the last frame */

    /* the shown model on its map (A), its rect set by app_layout */
    MapModel map;
    /* the current latent, its decode and nearest point (explore/cursor.h) */
    Cursor cur;
    int highlight;         /* legend label emphasised, -1 none */
    AppSliders sliders;    /* the "Latent z" panel (view_sliders.h) */
    int img_decoded, img_nearest;

    /* live training (view_train.h) */
    AppTrain train;

    /* the map of a Z > 2 model (view_proj.h) */
    AppProj proj;

    /* automation */
    Script script;
    bool scripted;
    char shot_path[4096];  /* screenshot to save after this frame's draw */
    char shot_toast;       /* F12 (toast) vs script (silent) */

    /* latent walks (view_interp.h) */
    AppWalk walk;

    /* the Sampling panel (view_sample.h) */
    AppSample samp;

    /* Draw a digit (D) and q(z|x) on the map (view_draw.h) */
    AppDraw draw;
    AppUncert uncert;

    /* the Open / Save model dialogs (view_files.h) */
    AppFiles files;

    /* a second model beside the first (compare.h); NULL without --compare */
    struct AppCompare *cmp;

    /* the Neighbours strip; hidden panels and the session file (view_neigh.h) */
    AppNeigh neigh;
    AppPresenter pres;

    /* frame-time statistics for dump-state and `zspace bench explore` (frametime.h) */
    FrameTime ft;

    /* aborts with a backtrace when a frame freezes (debug and test builds) */
    Watchdog wd;
} App;

/* app.c: the side column's slot (AppSide) */
AppSide app_side(const App *a);
void app_ask_side(App *a, AppSide want, AppSideHow how); /* applied by app.c; the last one wins */
/* layout.c: the rects for the window's size and the shell's state, pure;
 * app_layout computes them into a->layout (and A's and B's map rects), once
 * per frame before the views and once at start-up. */
AppLayout app_layout_compute(const AppLayoutIn *in);
void app_layout(App *a);
/* keys.c: shortcuts; returns true when the key was handled. */
bool app_key(App *a, UiKey k);
extern const UiHelpEntry app_help[];
extern const int app_help_count;
/* fonts.c: (re)build the fonts for the current size settings. */
int app_fonts(App *a, Err *e);
/* palette.c: label colours for the current theme. */
void app_label_color(const App *a, int label, float rgb[3]);
UiColor app_label_ui_color(const App *a, int label);
const char *app_class_name(const App *a, int label);
/* latent.c: the current z and what depends on it; the App side of the
 * Decoder and the sliders. */
void app_set_z(App *a, const float *z);
void app_z_from_map(App *a, float x, float y);
void app_decode_if_dirty(App *a);
int app_nearest_point(const App *a, const float *z);
void app_upload_point_image(App *a, int image, int point);
/* views */
void view_map(App *a);
void view_decoder(App *a);  /* latent.c */
void view_sliders(App *a);  /* latent.c: with the Neighbours strip below */
void view_status(App *a);
void map_reset_view(App *a);
void map_to_screen(const App *a, float x, float y, float *sx, float *sy); /* A's map */
float map_point_alpha(const App *a);
/* train_run.c, train_live.c, train_dump.c, view_train.c, view_curves.c:
 * live training (view_train.h) */
void app_train_init(App *a);
void app_train_free(App *a);
void app_train_frame(App *a);   /* each frame, before update: snapshots, weights, map */
/* A new shown model (a->map's generation moved): no run drives it, nothing
 * glides. (The frame and a run's start call it.) */
void app_train_follow_model(App *a);
bool app_train_busy(const App *a); /* something animates: render continuously */
bool app_train_key(App *a, UiKey k);
/* No model at the default path: train it in the background (map forms live). */
void app_train_default(App *a, const char *path, const char *dataset);
/* The default model was loaded but has fewer epochs than the default: go on. */
void app_train_resume_default(App *a);
void view_train(App *a);
void view_curves(App *a);
void view_klbars(App *a);
void app_train_dump(const App *a, void *cjson_object); /* fills the dump's "training" */
/* view_proj.c: the projection of a Z > 2 model (view_proj.h) */
void app_proj_frame(App *a);      /* each frame: requests, new layouts */
UiRect app_proj_card(App *a);     /* lay out the projection card (before interaction) */
void app_proj_fit_beside_card(App *a, const float lo[2], const float hi[2]); /* map_reset_view */
void view_proj_controls(App *a);
void app_proj_dump(const App *a, void *cjson_object); /* fills the dump's "projection" */
/* view_files.c: text-field keyboard routing; Open / Save model dialogs */
bool app_field_key(App *a, UiKey k); /* true: a field took it */
void app_text_input_sync(App *a); /* SDL text input on while a field has focus */
void app_files_open(App *a, int mode); /* show the dialog (FILES_OPEN / FILES_SAVE) */
bool app_files_modal(const App *a);    /* a dialog is open */
void app_files_begin(App *a);          /* after ui_begin: a dialog takes the mouse (modal layer) */
void view_files(App *a);               /* last view: the dialog card */
void app_files_dump(const App *a, void *cjson_object); /* fills the dump's "dialog" */
void app_files_free(App *a);           /* waits for a save being written */
/* model_open.c: the one way the shown model is replaced */
bool app_training_active(const App *a); /* a run is active (not finished) */
void app_forget_model(App *a);  /* free the model and all that hangs on its points */
/* Check, then show the model file at path (dataset NULL: its own). A bad
 * file keeps the old model; ERR_ARG while training runs. */
int app_open_model(App *a, const char *path, const char *dataset, Err *e);
/* Replace it by a fresh model of config cfg (a new training run's), and
 * start encoding its map; false: the message is on the map. */
bool app_adopt_new_model(App *a, const VaeConfig *cfg, uint64_t seed, const char *ds,
                         const char *path);
/* compare.c, view_compare.c: a second model beside the first (compare.h); all no-ops
 * without --compare */
void app_compare_open(App *a);      /* start-up, after the first model: load and encode B */
void app_compare_free(App *a);
MapModel *app_compare_map(App *a);  /* B's map; NULL without --compare */
void app_compare_frame(App *a);     /* each frame, before update: B's encoder and projection */
bool app_compare_ready(const App *a); /* B's map is in (or failed): for wait-ready */
void app_compare_place(App *a);      /* from app_layout: B's map in its rect, refit when it moved */
bool app_compare_key(App *a, UiKey k); /* Home fits both */
void view_compare(App *a);          /* after view_map: both titles and B's map */
bool view_compare_decoder(App *a);  /* the decoder panel with both decodes; false: not comparing */
void app_compare_draw(App *a);      /* before gfx_render: decode z with B */
void app_compare_dump(const App *a, void *cjson_object); /* fills the dump's "compare" */
/* view_neigh.c, neigh_app.c, presenter.c: neighbours, hideable panels, session (view_neigh.h) */
bool app_neigh_wanted(const App *a); /* the sliders hold the slot: the strip wants room */
UiRect app_neigh_room(App *a, UiRect slot); /* the sliders' rect; lays out the strip below */
void view_neigh(App *a);            /* after the sliders: search if z changed, draw */
void app_neigh_draw(App *a);        /* before gfx_render: upload changed thumbnails */
void app_neigh_dump(const App *a, void *cjson_object); /* fills the dump's "neighbours" */
bool app_side_visible(const App *a);   /* Tab */
bool app_legend_visible(const App *a); /* L */
bool app_status_visible(const App *a); /* B */
bool app_panels_key(App *a, UiKey k); /* Tab, L, B, Ctrl+Shift+S */
void app_presenter_start(App *a);   /* end of start-up: --session settings */
void app_presenter_frame(App *a);   /* each frame: restore z / view once they can be */
void app_session_capture(const App *a, Session *s);
void app_panels_dump(const App *a, void *cjson_object); /* fills the dump's "panels" */
/* dump.c */
int app_dump_state(const App *a, const char *path, Err *e);
/* The value at a dotted path of the dump, for wait-until (app: an App, as
 * ScriptWorld.probe takes it). */
void app_dump_probe(const void *app, const char *path, ScriptValue *v);
/* shot.c */
int app_screenshot(App *a, const char *path, Err *e);
/* view_interp.c, walk_dump.c: latent walks (view_interp.h) */
void app_walk_frame(App *a);    /* each frame, before update: classifier, path, clock -> z */
bool app_walk_busy(const App *a); /* the walk plays: render continuously */
bool app_walk_key(App *a, UiKey k);
void view_walk(App *a);         /* the Walk panel, in place of the sliders */
void view_walk_map(App *a);     /* the path on the map (Z = 2), inside its clip */
void app_walk_dump(const App *a, void *cjson_object); /* fills the dump's "walk" */
void app_walk_free(App *a);
/* walk_gif.c: the GIF export of w's built path (w->have_path), and its
 * end announced (each frame) */
void app_walk_gif_start(App *a, AppWalk *w);
void app_walk_gif_poll(App *a, AppWalk *w);
/* sample_app.c: the Sampling panel's App side (view_sample.h) */
bool app_sample_key(App *a, UiKey k);
bool app_sample_shown(const App *a); /* S is on and neither T nor I took the slot */
void view_sample(App *a);         /* in place of the sliders */
void app_sample_draw(App *a);     /* before gfx_render: decode and upload stale grids */
void app_sample_dump(const App *a, void *cjson_object); /* fills the dump's "sampling" */
/* draw_app.c, uncert_app.c: Draw a digit, uncertainty on the map (view_draw.h) */
bool app_draw_key(App *a, UiKey k); /* D, Backspace (panel shown) */
bool app_draw_shown(const App *a); /* D is on and no other panel took the slot */
void view_draw(App *a);            /* the panel, in place of the sliders */
void app_draw_sync(App *a);        /* re-encode on new weights, place on a new layout */
void view_draw_map(App *a);        /* the drawing's marker, inside the map clip */
void view_uncert_map(App *a);      /* ellipses / samples of q(z|x), prior rings */
bool app_uncert_key(App *a, UiKey k); /* O: the prior's rings */
void app_draw_upload(App *a);      /* before gfx_render: canvas and digit textures */
void app_draw_dump(const App *a, void *cjson_object);   /* fills the dump's "draw" */
void app_uncert_dump(const App *a, void *cjson_object); /* fills the dump's "uncertainty" */
/* perf.c: frame-time figures (frametime.h) */
void app_timing_dump(const App *a, void *cjson_object); /* fills the dump's "timing" */
void app_layer_dump(const App *a, void *cjson_object);  /* fills the dump's "map.layer" */
bool app_map_settling(const App *a); /* the map shows a moved layer: render until it is redrawn */
union SDL_Event;
void app_perf_event(App *a, const union SDL_Event *ev); /* each event, first */
void app_perf_frame(App *a, double work_start, bool continuous); /* after each swap */

#endif
