/* view_interp: latent walks in the explorer (see view_interp.h). Update
 * (app_walk_frame, the panel's actions) and draw (view_walk, view_walk_map
 * append commands; nothing here touches GL) are kept apart; the GIF export
 * is in walk_gif.c, the dump-state's "walk" in walk_dump.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app_impl.h"
#include "embed/place.h"
#include "viz/anim.h"

/* ---- the path ---- */

/* Per-class means of the test images' latent means, from the map's own
 * encoding (the first ds.test.n points are the test images). */
static void class_centroids(const ModelJob *j, float *cent, size_t *count)
{
    size_t n = j->n < j->ds.test.n ? j->n : j->ds.test.n;
    int z = j->z;
    memset(cent, 0, sizeof(float) * 10 * (size_t)z);
    memset(count, 0, sizeof(size_t) * 10);
    double *sum = calloc(10 * (size_t)z, sizeof *sum);
    if (!sum)
        return;
    for (size_t i = 0; i < n; i++) {
        int k = j->labels[i];
        if (k < 0 || k > 9)
            continue;
        count[k]++;
        for (int d = 0; d < z; d++)
            sum[(size_t)k * (size_t)z + (size_t)d] += j->mu[i * (size_t)z + (size_t)d];
    }
    for (int k = 0; k < 10; k++)
        for (int d = 0; d < z && count[k]; d++)
            cent[k * z + d] = (float)(sum[(size_t)k * (size_t)z + (size_t)d] / (double)count[k]);
    free(sum);
}

static void drop_path(AppWalk *w)
{
    if (w->have_path)
        viz_path_free(&w->path);
    w->have_path = false;
    w->have_timeline = false;
}

/* Build the path from the stops when they, the encoding or Z changed. */
static void build_path(App *a)
{
    AppWalk *w = &a->walk;
    const ModelJob *j = &a->map.model.job;
    uint64_t enc = a->map.ready ? j->reencodes + 1 : 0;
    if (w->have_path && w->built_version == w->st.version && w->built_enc == enc &&
        w->built_z == a->cur.dim)
        return;
    if (w->built_z != a->cur.dim) /* a new model: points of the old one mean nothing */
        w->st.have_a = w->st.have_b = false;
    drop_path(w);
    w->built_version = w->st.version;
    w->built_enc = enc;
    w->built_z = a->cur.dim;
    w->why[0] = '\0';
    if (!a->map.loaded) {
        snprintf(w->why, sizeof w->why, "no model loaded");
        return;
    }
    int z = a->cur.dim, n = 0;
    float stops[WALK_MAX_STOPS * VAE_MAX_Z];
    if (w->st.source == WALK_CLASSES) {
        if (!a->map.ready) {
            snprintf(w->why, sizeof w->why, "waiting for the map's encoding");
            return;
        }
        float *cent = malloc(sizeof(float) * 10 * (size_t)z);
        size_t count[10];
        if (!cent)
            return;
        class_centroids(j, cent, count);
        for (int i = 0; i < w->st.n_classes; i++) {
            int k = w->st.classes[i];
            if (!count[k]) {
                snprintf(w->why, sizeof w->why, "no test image of class %s on the map",
                         app_class_name(a, k));
                free(cent);
                return;
            }
            memcpy(stops + (size_t)n++ * (size_t)z, cent + k * z, (size_t)z * sizeof(float));
        }
        free(cent);
    } else {
        if (!w->st.have_a || !w->st.have_b) {
            snprintf(w->why, sizeof w->why, "set A and B from z");
            return;
        }
        memcpy(stops, w->st.a, (size_t)z * sizeof(float));
        memcpy(stops + z, w->st.b, (size_t)z * sizeof(float));
        n = 2;
    }
    Err e = {0};
    if (viz_path_init(&w->path, stops, n, z, w->st.slerp ? VIZ_SLERP : VIZ_LERP, &e) != ERR_OK) {
        snprintf(w->why, sizeof w->why, "%s", e.msg);
        return;
    }
    w->have_path = true;
}

/* z at the walk's t, into the explorer's z (the decoder decodes it). */
static void drive_z(App *a)
{
    AppWalk *w = &a->walk;
    if (!w->have_path)
        return;
    float z[VAE_MAX_Z];
    viz_path_eval(&w->path, w->st.t, z);
    app_set_z(a, z);
    memcpy(w->set_z, z, (size_t)a->cur.dim * sizeof *z);
    w->driving = true;
}

/* ---- the path on the map ---- */

/* Map coordinates of the path's polyline and stops, recomputed when the
 * path or the map's layout changed. At Z > 2 each point is placed by the
 * projection's kNN placement (the same as the z marker's); a t-SNE run
 * publishes many layouts a second, so the placement follows at most every
 * 0.25 s. */
static void place_path(App *a)
{
    AppWalk *w = &a->walk;
    int z = a->cur.dim;
    bool proj = z > 2 && map_model_projected(&a->map);
    if (!w->have_path || (z != 2 && !proj)) {
        w->n_poly = w->n_poly_stops = 0;
        return;
    }
    uint64_t lay = proj ? a->map.lay.seq : 0;
    bool same = w->n_poly > 0 && w->poly_version == w->built_version &&
                w->poly_enc == w->built_enc && w->poly_z == z;
    if (same && (lay == w->poly_lay || a->now - w->poly_t < 0.25))
        return;
    const VizPath *p = &w->path;
    int seg = z == 2 ? APP_WALK_MAP_SEG : APP_WALK_MAP_SEG / 2; /* each placed point is a kNN */
    int n = (p->n_stops - 1) * seg + 1, m = n + p->n_stops;
    float *zs = malloc(sizeof(float) * (size_t)m * (size_t)z);
    if (!zs)
        return;
    for (int i = 0; i < n; i++)
        viz_path_eval(p, (double)i / (n - 1), zs + (size_t)i * (size_t)z);
    memcpy(zs + (size_t)n * (size_t)z, p->stops, sizeof(float) * (size_t)p->n_stops * (size_t)z);
    Err e = {0};
    int rc = ERR_OK;
    if (proj) {
        const ModelJob *j = &a->map.model.job;
        rc = place_points(j->mu, a->map.lay.y, j->n, z, zs, (size_t)m, PROJ_K, w->poly, 1, &e);
    } else {
        memcpy(w->poly, zs, sizeof(float) * (size_t)m * 2);
    }
    free(zs);
    w->n_poly = rc == ERR_OK ? n : 0;
    w->n_poly_stops = rc == ERR_OK ? p->n_stops : 0;
    w->poly_version = w->built_version;
    w->poly_enc = w->built_enc;
    w->poly_z = z;
    w->poly_lay = lay;
    w->poly_t = a->now;
}

/* ---- the classifier ---- */

static int classify(AppWalk *w, const float *x, float *prob)
{
    float p[CLF_CLASSES];
    clf_predict(&w->clf.clf, x, 1, p);
    int k = clf_argmax(p, CLF_CLASSES);
    *prob = p[k];
    return k;
}

/* The class along the path: decode evenly spaced points, classify each. */
static void build_timeline(App *a)
{
    AppWalk *w = &a->walk;
    if (w->have_timeline || !w->have_path || clf_job_state(&w->clf) != CLF_JOB_READY)
        return;
    int n = APP_WALK_TIMELINE, z = a->cur.dim;
    float *zs = malloc(sizeof(float) * (size_t)n * (size_t)z);
    float *x = malloc(sizeof(float) * (size_t)n * VAE_X);
    float *p = malloc(sizeof(float) * (size_t)n * CLF_CLASSES);
    if (zs && x && p) {
        for (int i = 0; i < n; i++)
            viz_path_eval(&w->path, (i + 0.5) / n, zs + (size_t)i * (size_t)z);
        vae_decode(&a->map.model.vae, zs, (size_t)n, x);
        clf_predict(&w->clf.clf, x, (size_t)n, p);
        for (int i = 0; i < n; i++)
            w->timeline[i] = (int8_t)clf_argmax(p + (size_t)i * CLF_CLASSES, CLF_CLASSES);
        w->have_timeline = true;
    }
    free(zs);
    free(x);
    free(p);
}

static void start_classifier(App *a)
{
    AppWalk *w = &a->walk;
    if (w->clf.started || clf_job_state(&w->clf) != CLF_JOB_NONE || !a->map.model.dataset[0])
        return;
    Err e = {0};
    if (clf_job_start(&w->clf, a->map.model.dataset, &e) != ERR_OK)
        ui_toast(&a->ui, e.msg);
}

/* The App is calloc'ed: the walk takes its defaults on first use (a key
 * may come before the first frame). */
static AppWalk *walk_of(App *a)
{
    AppWalk *w = &a->walk;
    if (w->st.n_classes == 0) {
        walk_default(&w->st);
        w->cls = -1;
        w->last_now = a->now;
    }
    return w;
}

void app_walk_frame(App *a)
{
    AppWalk *w = walk_of(a);
    double dt = a->now - w->last_now;
    w->last_now = a->now;
    app_walk_gif_poll(a, w);
    bool shown = app_side(a) == APP_SIDE_WALK;
    if (shown)
        start_classifier(a);
    build_path(a);
    if (!w->have_path)
        w->st.playing = false;
    /* z moved by something else (map click, slider, key): the user took over */
    if (w->st.playing && w->driving &&
        memcmp(w->set_z, a->cur.z, (size_t)a->cur.dim * sizeof *a->cur.z) != 0)
        w->st.playing = false;
    /* A frame longer than 0.1 s (the window was idle or busy) is not time
     * anyone watched: do not jump ahead by it. */
    if (walk_advance(&w->st, dt < 0.1 ? dt : 0.1))
        drive_z(a);
    if (shown) {
        place_path(a);
        build_timeline(a);
        if (clf_job_state(&w->clf) == CLF_JOB_READY && a->cur.decoded_valid &&
            a->cur.decodes != w->classified) {
            float x[VAE_X];
            for (int i = 0; i < VAE_X; i++)
                x[i] = (float)a->cur.decoded[i] / 255.0f;
            w->cls = classify(w, x, &w->prob);
            w->classified = a->cur.decodes;
        }
    }
}

bool app_walk_busy(const App *a)
{
    return a->walk.st.playing;
}

/* ---- GIF export (walk_gif.c) ---- */

static void export_gif(App *a)
{
    AppWalk *w = walk_of(a);
    if (gif_job_running(&w->gif_job)) {
        ui_toast(&a->ui, "Still writing the last GIF\xe2\x80\xa6");
        return;
    }
    build_path(a);
    if (!w->have_path) {
        char msg[400];
        snprintf(msg, sizeof msg, "No walk to export: %s", w->why[0] ? w->why : "no path");
        ui_toast(&a->ui, msg);
        return;
    }
    app_walk_gif_start(a, w);
}

/* ---- input ---- */

static void play(App *a)
{
    AppWalk *w = walk_of(a);
    app_ask_side(a, APP_SIDE_WALK, APP_SIDE_SHOW);
    build_path(a);
    walk_toggle(&w->st);
    if (w->st.playing)
        drive_z(a);
    else if (!w->have_path && w->why[0])
        ui_toast(&a->ui, w->why);
}

bool app_walk_key(App *a, UiKey k)
{
    if (ui_key_chorded(k))
        return false;
    switch (k.code) {
    case 'i': app_ask_side(a, APP_SIDE_WALK, APP_SIDE_TOGGLE); return true;
    case 'p': play(a); return true;
    case 'g': export_gif(a); return true;
    default: return false;
    }
}

/* ---- views ---- */

void view_walk(App *a)
{
    AppWalk *w = walk_of(a);
    WalkPanelIn in = {0};
    const char *names[10];
    for (int k = 0; k < 10; k++) {
        names[k] = app_class_name(a, k);
        in.colors[k] = app_label_ui_color(a, k);
    }
    in.names = names;
    in.z_dim = a->map.loaded ? a->cur.dim : 0;
    in.z = a->cur.z;
    in.cls = w->cls;
    in.prob = w->prob;
    char note[320];
    switch (clf_job_state(&w->clf)) {
    case CLF_JOB_LOADING: in.clf_note = "classifier: loading\xe2\x80\xa6"; break;
    case CLF_JOB_TRAINING:
        snprintf(note, sizeof note, "classifier: training (first use) %d%%",
                 atomic_load(&w->clf.progress) / 10);
        in.clf_note = note;
        break;
    case CLF_JOB_FAILED:
        snprintf(note, sizeof note, "no classifier: %s", w->clf.err.msg);
        in.clf_note = note;
        break;
    default: in.clf_note = w->have_path ? NULL : w->why; break;
    }
    if (!w->have_path && w->why[0] && in.cls >= 0)
        in.clf_note = w->why;
    in.timeline = w->have_timeline ? w->timeline : NULL;
    in.n_timeline = APP_WALK_TIMELINE;
    int act = walk_panel(&a->ui, a->layout.sliders, &w->st, &in, &w->buttons);
    if (act & WALK_ACT_PATH) {
        build_path(a);
        if (w->have_path)
            drive_z(a);
    }
    if ((act & WALK_ACT_SCRUB) || ((act & WALK_ACT_PLAY) && w->st.playing))
        drive_z(a);
    if (act & WALK_ACT_EXPORT)
        export_gif(a);
}

void view_walk_map(App *a)
{
    AppWalk *w = &a->walk;
    if (app_side(a) != APP_SIDE_WALK || w->n_poly < 2)
        return;
    Ui *ui = &a->ui;
    float lw = fmaxf(2.5f, (float)ui_text_height(ui, UI_FONT_BODY) * 0.12f);
    for (int pass = 0; pass < 2; pass++) { /* a dark casing, then the line */
        float px = 0, py = 0;
        for (int i = 0; i < w->n_poly; i++) {
            float sx, sy;
            map_to_screen(a, w->poly[2 * i], w->poly[2 * i + 1], &sx, &sy);
            if (i > 0)
                ui_draw_line(ui, px, py, sx, sy, pass ? lw : lw + 3,
                             pass ? ui_rgba(255, 255, 255, 230) : ui_rgba(0, 0, 0, 170));
            px = sx, py = sy;
        }
    }
    float r = (float)ui_text_height(ui, UI_FONT_BODY) * 0.45f;
    for (int s = 0; s < w->n_poly_stops; s++) {
        const float *q = w->poly + 2 * (w->n_poly + s);
        float sx, sy;
        map_to_screen(a, q[0], q[1], &sx, &sy);
        bool classes = w->st.source == WALK_CLASSES && s < w->st.n_classes;
        UiColor c = classes ? app_label_ui_color(a, w->st.classes[s]) : ui->theme.accent;
        ui_draw_circle(ui, sx, sy, r, 0, ui_rgba(0, 0, 0, 220));
        ui_draw_circle(ui, sx, sy, r * 0.75f, 0, c);
        if (!classes)
            ui_draw_text(ui, UI_FONT_BODY, (int)(sx + r * 1.3f),
                         (int)(sy - r * 1.3f) - ui_text_height(ui, UI_FONT_BODY) / 2,
                         ui->theme.text, s ? "B" : "A");
    }
    /* the moving point itself is the explorer's z marker, drawn next */
}

void app_walk_free(App *a)
{
    gif_job_free(&a->walk.gif_job);
    clf_job_free(&a->walk.clf);
    drop_path(&a->walk);
}
