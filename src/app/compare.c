/* compare: B's life beside A (compare.h): the check before the window,
 * B's MapModel loaded and encoded, its projection, the split of the map
 * area, Home, B's decode of the shared z, and the dump's "compare" object.
 * Drawing is view_compare.c's. Thread rule: main thread (compare.h). */
#include <math.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "dumpjson.h"
#include "mappane.h"
#include "explore/pixels.h"

/* ---- before the window: both files open and agree on Z ---- */

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Z of the model file at path (its weights are read and dropped: a few MB). */
static int file_latent(const char *path, int *z, Err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_IO, "--compare: %s: no such model file", path);
    Vae v;
    VaeFileInfo info;
    if (vae_load(path, &v, 1, &info, e) != ERR_OK)
        return e->code;
    *z = v.cfg.z;
    vae_free(&v);
    vae_file_info_free(&info);
    return ERR_OK;
}

int app_check_compare(const AppOptions *o, Err *e)
{
    char a_path[4096];
    if (o->model_path)
        snprintf(a_path, sizeof a_path, "%s", o->model_path);
    else
        app_default_model_path(o->dataset ? o->dataset : "mnist", a_path, sizeof a_path);
    int za = 0, zb = 0;
    if (file_latent(a_path, &za, e) != ERR_OK || file_latent(o->compare_path, &zb, e) != ERR_OK)
        return e->code;
    if (za != zb)
        return err_set(
            e, ERR_ARG,
            "--compare: %s has Z=%d but %s has Z=%d; compare needs the same latent size",
            base_name(a_path), za, base_name(o->compare_path), zb);
    return ERR_OK;
}

/* ---- start-up and shut-down ---- */

static void fail(AppCompare *c, const char *what, const char *why)
{
    c->map.failed = true;
    snprintf(c->map.message, sizeof c->map.message, "%s\n\n%s", what, why);
}

void app_compare_open(App *a)
{
    if (!a->opt.compare_path)
        return;
    AppCompare *c = calloc(1, sizeof *c);
    if (!c) {
        ui_toast(&a->ui, "--compare: out of memory");
        return;
    }
    a->cmp = c;
    MapModel *m = &c->map;
    map_model_init(m);
    c->img = gfx_image_new(&a->gr, 28, 28);
    m->img_hover = gfx_image_new(&a->gr, 28, 28);
    Err e = {0};
    if (gfx_points_init(&m->pts, a->shader_dir, &e) != ERR_OK) {
        fail(c, "Cannot draw the second map.", e.msg);
        return;
    }
    m->pts_ok = true;
    /* B is shown on A's dataset, so both maps hold the same images */
    const char *ds = a->map.model.dataset[0] ? a->map.model.dataset : a->opt.dataset;
    if (map_model_load(m, a->opt.compare_path, ds, &e) != ERR_OK) {
        fail(c, "Cannot open the second model.", e.msg);
        return;
    }
    if (a->map.loaded && m->model.vae.cfg.z != a->cur.dim) {
        char why[128];
        snprintf(why, sizeof why, "It has Z = %d; the first model has Z = %d.", m->model.vae.cfg.z,
                 a->cur.dim);
        fail(c, "The models have different latent sizes.", why);
        return;
    }
    if (map_model_encode(m, a->opt.all_points, a->wake_event, &e) != ERR_OK) {
        fail(c, "Cannot encode the dataset.", e.msg);
        return;
    }
    snprintf(m->message, sizeof m->message, "Encoding the images with %s\xe2\x80\xa6",
             m->model.name);
}

void app_compare_free(App *a)
{
    if (!a->cmp)
        return;
    map_model_free(&a->cmp->map); /* joins B's workers; safe after a failed load */
    free(a->cmp);
    a->cmp = NULL;
}

MapModel *app_compare_map(App *a)
{
    return a->cmp ? &a->cmp->map : NULL;
}

/* ---- each frame: B's encoder and projection ---- */

static void fit_b(AppCompare *c)
{
    float lo[2], hi[2];
    map_model_fit(&c->map, lo, hi);
}

/* Z > 2: B's projection, the recipe A's starts with (t-SNE at perplexity
 * 30, PCA first); one thread, as A's projection runs at the same time. */
static void start_projection(App *a, AppCompare *c)
{
    Err e = {0};
    if (map_model_project_start(&c->map, 1, a->wake_event, &e) != ERR_OK) {
        fail(c, "Cannot project the second map.", e.msg);
        return;
    }
    if (!map_model_project(&c->map, PROJ_TSNE, 30, false))
        fail(c, "Cannot project the second map.", "out of memory");
    snprintf(c->map.message, sizeof c->map.message,
             "Projecting the Z = %d means of %s to 2-D (PCA, then t-SNE)\xe2\x80\xa6",
             c->map.model.job.z, c->map.model.name);
}

void app_compare_frame(App *a)
{
    AppCompare *c = a->cmp;
    if (!c || c->map.failed || !c->map.loaded || !c->map.model.job.started)
        return;
    MapModel *m = &c->map;
    if (!m->ready) {
        int st = map_model_poll(m);
        if (st == MODEL_FAILED)
            fail(c, "Cannot show the second map.", m->model.job.err.msg);
        if (st != MODEL_READY)
            return;
        m->message[0] = '\0';
        if (m->model.job.z == 2)
            fit_b(c);
        else
            start_projection(a, c);
        return;
    }
    if (!map_model_take_layout(m))
        return;
    if (m->lay.state == PROJ_FAILED && m->lay.message[0]) {
        fail(c, "Cannot project the second map.", m->lay.message);
        return;
    }
    if (!map_model_xy(m))
        return;
    m->message[0] = '\0';
    if (!m->view.user_moved)
        fit_b(c);
}

bool app_compare_ready(const App *a)
{
    const AppCompare *c = a->cmp;
    return !c || c->map.ready || c->map.failed;
}

/* ---- B's rect and keys ---- */

void app_compare_place(App *a)
{
    AppCompare *c = a->cmp;
    if (!c)
        return;
    c->map.rect = a->layout.map_b;
    /* a new window size refits B's map unless the user moved it (A's is
     * refitted the same way in view_map, after its projection card) */
    if (map_view_stale(&c->map.view, c->map.rect))
        fit_b(c);
}

/* Home fits both maps; every other key acts on A as without B (training,
 * walks and sampling included). */
bool app_compare_key(App *a, UiKey k)
{
    if (!a->cmp || ui_key_chorded(k) || k.code != UI_KEY_HOME)
        return false;
    map_reset_view(a);
    fit_b(a->cmp);
    return true;
}

/* ---- B's decode of the shared z ---- */

void app_compare_draw(App *a)
{
    AppCompare *c = a->cmp;
    if (!c || !c->map.loaded || !a->map.loaded)
        return;
    if (c->map.model.vae.cfg.z != a->cur.dim) { /* A was replaced by a run of another Z */
        c->dec_valid = false;
        return;
    }
    size_t zb = (size_t)a->cur.dim * sizeof *a->cur.z;
    if (!c->dec_valid || memcmp(c->dec_z, a->cur.z, zb) != 0) {
        float xhat[VAE_X];
        vae_decode(&c->map.model.vae, a->cur.z, 1, xhat);
        pixels_to_bytes(xhat, c->decoded, VAE_X);
        gfx_image_set(&a->gr, c->img, c->decoded);
        memcpy(c->dec_z, a->cur.z, zb);
        struct sha1_ctx ctx;
        sha1_init(&ctx);
        sha1_update(&ctx, sizeof c->decoded, c->decoded);
        sha1_digest(&ctx, sizeof c->sha1, c->sha1);
        c->dec_valid = true;
        c->decodes++;
    }
    map_pane_upload_hover(a, &c->map);
}

/* One decode: the image (or a black square saying why not) at r, and under
 * it the model's tag, Z and β, and its file name. */

/* ---- dump-state ---- */

/* One side: what view_map's dump says of A's map, in the same shape, so a
 * test converts latent points to window points the same way for both. */
static cJSON *side_json(const App *a, const MapModel *m, UiRect title_r, UiRect dec_r,
                        const float *z, const uint8_t *px, const uint8_t *sha1)
{
    const Model *md = &m->model;
    bool ready = map_model_xy(m) != NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", md->name);
    cJSON_AddStringToObject(o, "path", md->path);
    cJSON_AddBoolToObject(o, "loaded", m->loaded);
    if (m->loaded) {
        cJSON_AddNumberToObject(o, "latent", md->vae.cfg.z);
        cJSON_AddNumberToObject(o, "beta", md->vae.cfg.beta);
        if (isnan(md->test_loss))
            cJSON_AddNullToObject(o, "test_loss");
        else
            cJSON_AddNumberToObject(o, "test_loss", md->test_loss);
    }
    cJSON_AddBoolToObject(o, "map_ready", ready);
    cJSON_AddNumberToObject(o, "points", ready ? (double)md->job.n : 0);
    cJSON *view = cJSON_AddObjectToObject(o, "view");
    float cxy[2] = {m->view.cx, m->view.cy};
    cJSON_AddItemToObject(view, "center", cJSON_CreateFloatArray(cxy, 2));
    cJSON_AddNumberToObject(view, "scale", m->view.scale);
    cJSON_AddItemToObject(view, "map_rect", dump_rect(m->rect));
    cJSON_AddNumberToObject(view, "pixel_scale", a->win.scale);
    cJSON_AddBoolToObject(view, "user_moved", m->view.user_moved);
    cJSON_AddItemToObject(o, "title_rect", dump_rect(title_r));
    cJSON_AddItemToObject(o, "decode_rect", dump_rect(dec_r));
    if (px && sha1) {
        char hex[41];
        dump_sha1_hex(sha1, hex);
        cJSON_AddStringToObject(o, "decoded_sha1", hex);
        cJSON *d = cJSON_AddArrayToObject(o, "decoded");
        for (int i = 0; i < VAE_X; i++)
            cJSON_AddItemToArray(d, cJSON_CreateNumber(px[i]));
        cJSON_AddItemToObject(o, "z", cJSON_CreateFloatArray(z, a->cur.dim));
    } else {
        cJSON_AddNullToObject(o, "decoded_sha1");
    }
    return o;
}

void app_compare_dump(const App *a, void *cjson_object)
{
    cJSON *o = cjson_object;
    const AppCompare *c = a->cmp;
    cJSON_AddBoolToObject(o, "on", c != NULL);
    if (!c)
        return;
    bool a_dec = a->cur.decoded_valid && !a->cur.dirty; /* A's decode is of the current z */
    cJSON_AddItemToObject(o, "left",
                          side_json(a, &a->map, a->layout.title[0], c->r_dec[0], a->cur.z,
                                    a_dec ? a->cur.decoded : NULL,
                                    a_dec ? cursor_sha1(&a->cur, a->cur.decodes - 1) : NULL));
    cJSON_AddItemToObject(o, "right",
                          side_json(a, &c->map, a->layout.title[1], c->r_dec[1], c->dec_z,
                                    c->dec_valid ? c->decoded : NULL,
                                    c->dec_valid ? c->sha1 : NULL));
    if (c->drawn_valid) { /* the Draw panel's digit as B reads it */
        int z = c->map.model.vae.cfg.z;
        cJSON *dj = cJSON_AddObjectToObject(o, "drawn");
        cJSON_AddItemToObject(dj, "mu", cJSON_CreateFloatArray(c->drawn_mu, z));
        cJSON_AddItemToObject(dj, "logvar", cJSON_CreateFloatArray(c->drawn_logvar, z));
        if (z == 2 || c->drawn_placed)
            cJSON_AddItemToObject(dj, "map_xy",
                                  cJSON_CreateFloatArray(z == 2 ? c->drawn_mu : c->drawn_xy, 2));
        else
            cJSON_AddNullToObject(dj, "map_xy");
    } else {
        cJSON_AddNullToObject(o, "drawn");
    }
    cJSON *ell = cJSON_AddArrayToObject(o, "ellipses"); /* q(z|x) on B's map, last frame */
    for (int i = 0; i < c->n_ell; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "source", c->ell[i].source);
        cJSON_AddItemToObject(e, "center", cJSON_CreateFloatArray(c->ell[i].center, 2));
        cJSON_AddItemToObject(e, "sigma", cJSON_CreateFloatArray(c->ell[i].sigma, 2));
        cJSON_AddItemToArray(ell, e);
    }
    cJSON_AddBoolToObject(o, "failed", c->map.failed);
    cJSON_AddStringToObject(o, "message", c->map.message);
    cJSON_AddNumberToObject(o, "hover", c->map.hover);
    cJSON_AddNumberToObject(o, "decodes", (double)c->decodes);
    if (c->map.pj_started) {
        cJSON_AddStringToObject(o, "projection", c->map.lay.method == PROJ_TSNE ? "tsne" : "pca");
        cJSON_AddNumberToObject(o, "projection_iter", c->map.lay.iter);
    }
}
