/* sample_app: the Sampling panel's App side (see view_sample.h). Update
 * (view_sample, app_sample_key) runs the panel and applies what it returns;
 * the draws, decodes and texture uploads happen in app_sample_draw, the one
 * place here that touches GL. */
#include <cjson/cJSON.h>
#include <math.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "dumpjson.h"
#include "explore/pixels.h"
#include "core/timer.h"

/* The App is calloc'ed: the panel takes its defaults on first use; a new
 * shown model (a->map's generation moved) leaves it no valid grid. */
static AppSample *sample_of(App *a)
{
    AppSample *s = &a->samp;
    if (!(s->temperature > 0))
        sample_panel_defaults(s);
    if (s->map_gen != a->map.generation) {
        s->map_gen = a->map.generation;
        s->valid[0] = s->valid[1] = false;
    }
    return s;
}

/* A grid still shows what it was drawn for (its model is the shown one). */
static bool grid_valid(const App *a, int g)
{
    return a->samp.valid[g] && a->samp.map_gen == a->map.generation;
}

/* The posterior grid's images: the training split when it is loaded. */
static const DataSplit *posterior_split(const App *a, bool *train)
{
    const Dataset *ds = &a->map.model.job.ds;
    *train = ds->train.n > 0 && ds->train.images;
    return *train ? &ds->train : &ds->test;
}

/* z for one grid, from its own stream of the seed (so R changes both, and
 * the temperature changes only the prior's scale). */
static bool draw_z(App *a, int g)
{
    AppSample *s = &a->samp;
    int z = a->cur.dim;
    Rng rng;
    rng_seed(&rng, s->seed * 2 + (uint64_t)g);
    float *out = s->z[g];
    if (g == SAMPLE_PRIOR) {
        rng_normal_fill(&rng, out, (size_t)SAMPLE_CELLS * (size_t)z);
        for (int i = 0; i < SAMPLE_CELLS * z; i++)
            out[i] *= s->temperature;
        return true;
    }
    if (!a->map.ready)
        return false; /* the dataset is the encoder's, loaded with the map */
    bool train;
    const DataSplit *sp = posterior_split(a, &train);
    if (sp->n == 0)
        return false;
    static float x[SAMPLE_CELLS * VAE_X]; /* 200 KB: not on the stack; UI thread only */
    float mu[SAMPLE_CELLS * VAE_MAX_Z], lv[SAMPLE_CELLS * VAE_MAX_Z];
    for (int i = 0; i < SAMPLE_CELLS; i++) {
        s->index[i] = (int32_t)rng_below(&rng, (uint32_t)sp->n);
        memcpy(x + (size_t)i * VAE_X, sp->images + (size_t)s->index[i] * (size_t)sp->x,
               sizeof(float) * VAE_X);
    }
    vae_encode(&a->map.model.vae, x, SAMPLE_CELLS, mu, lv);
    for (int i = 0; i < SAMPLE_CELLS * z; i++)
        out[i] = mu[i] + expf(0.5f * lv[i]) * rng_normal(&rng);
    s->posterior_train = train;
    return true;
}

/* Decode a grid's 64 z into one 8x8 mosaic and upload it. */
static void decode_grid(App *a, int g)
{
    AppSample *s = &a->samp;
    static float xhat[SAMPLE_CELLS * VAE_X]; /* UI thread only, like x above */
    static uint8_t mosaic[SAMPLE_PX * SAMPLE_PX];
    vae_decode(&a->map.model.vae, s->z[g], SAMPLE_CELLS, xhat);
    for (int c = 0; c < SAMPLE_CELLS; c++) {
        uint8_t px[VAE_X];
        pixels_to_bytes(xhat + (size_t)c * VAE_X, px, VAE_X);
        struct sha1_ctx ctx;
        sha1_init(&ctx);
        sha1_update(&ctx, VAE_X, px);
        sha1_digest(&ctx, 20, s->sha1[g][c]);
        int cx = c % SAMPLE_SIDE, cy = c / SAMPLE_SIDE;
        for (int r = 0; r < 28; r++)
            memcpy(mosaic + (size_t)(cy * 28 + r) * SAMPLE_PX + (size_t)cx * 28, px + r * 28, 28);
    }
    if (s->img[g] < 0)
        s->img[g] = gfx_image_new(&a->gr, SAMPLE_PX, SAMPLE_PX);
    gfx_image_set(&a->gr, s->img[g], mosaic);
    s->valid[g] = true;
}

bool app_sample_shown(const App *a)
{
    return app_side(a) == APP_SIDE_SAMPLING;
}

void app_sample_draw(App *a)
{
    AppSample *s = sample_of(a);
    if (!app_sample_shown(a) || !a->map.loaded)
        return;
    uint64_t enc = a->map.model.job.reencodes;
    double t0 = timer_now();
    bool redrawn = false;
    bool stale = s->drawn_z != a->cur.dim || s->drawn_enc != enc;
    for (int g = 0; g < 2; g++) {
        bool want = stale || !s->valid[g] || s->drawn_seed[g] != s->seed ||
                    (g == SAMPLE_PRIOR && s->drawn_t != s->temperature);
        if (!want)
            continue;
        s->valid[g] = false;
        if (s->clicked / SAMPLE_CELLS == g)
            s->clicked = -1; /* that cell is gone */
        if (!draw_z(a, g))
            continue;
        decode_grid(a, g);
        s->drawn_seed[g] = s->seed;
        redrawn = true;
    }
    if (redrawn)
        s->draw_seconds = timer_now() - t0;
    s->drawn_t = s->temperature;
    s->drawn_z = a->cur.dim;
    s->drawn_enc = enc;
}

bool app_sample_key(App *a, UiKey k)
{
    int act = sample_panel_key(sample_of(a), k, app_sample_shown(a));
    if (act & SAMPLE_ACT_TOGGLE)
        app_ask_side(a, APP_SIDE_SAMPLING, APP_SIDE_TOGGLE);
    return act != 0;
}

void view_sample(App *a)
{
    AppSample *s = sample_of(a);
    SamplePanelIn in = {.loaded = a->map.loaded, .ready = a->map.ready};
    if (a->map.ready) /* the encoder's dataset is ours to read once the map is in */
        posterior_split(a, &in.posterior_train);
    int act = sample_panel(&a->ui, a->layout.sliders, s, &in);
    if ((act & SAMPLE_ACT_PICK) && s->clicked >= 0) {
        int g = s->clicked / SAMPLE_CELLS, c = s->clicked % SAMPLE_CELLS;
        app_set_z(a, s->z[g] + (size_t)c * (size_t)a->cur.dim);
    }
}

static cJSON *grid_json(const App *a, int g)
{
    const AppSample *s = &a->samp;
    cJSON *o = cJSON_CreateObject();
    bool valid = grid_valid(a, g);
    cJSON_AddBoolToObject(o, "valid", valid);
    const UiRect *q = &s->grid[g];
    cJSON_AddItemToObject(o, "rect", dump_rect(*q));
    cJSON *sha = cJSON_AddArrayToObject(o, "cells_sha1");
    cJSON *zs = cJSON_AddArrayToObject(o, "z");
    for (int c = 0; valid && c < SAMPLE_CELLS; c++) {
        char hex[41];
        dump_sha1_hex(s->sha1[g][c], hex);
        cJSON_AddItemToArray(sha, cJSON_CreateString(hex));
        cJSON_AddItemToArray(
            zs, cJSON_CreateFloatArray(s->z[g] + (size_t)c * (size_t)a->cur.dim, a->cur.dim));
    }
    if (g == SAMPLE_POSTERIOR && valid)
        cJSON_AddItemToObject(o, "images", cJSON_CreateIntArray(s->index, SAMPLE_CELLS));
    return o;
}

void app_sample_dump(const App *a, void *cjson_object)
{
    const AppSample *s = &a->samp;
    cJSON *o = cjson_object;
    static const char *modes[] = {"both", "prior", "posterior"};
    cJSON_AddBoolToObject(o, "visible", app_sample_shown(a));
    cJSON_AddNumberToObject(o, "temperature", s->temperature);
    cJSON_AddNumberToObject(o, "seed", (double)s->seed);
    cJSON_AddStringToObject(o, "mode", modes[s->mode]);
    cJSON_AddStringToObject(o, "posterior_split", s->posterior_train ? "train" : "test");
    cJSON_AddNumberToObject(o, "clicked", s->clicked);
    cJSON_AddNumberToObject(o, "draw_ms", s->draw_seconds * 1e3);
    const UiRect *q = &s->t_row;
    cJSON_AddItemToObject(o, "temperature_rect",
                          cJSON_CreateIntArray((const int[]){q->x, q->y, q->w, q->h}, 4));
    q = &s->mode_rect;
    cJSON_AddItemToObject(o, "mode_rect",
                          cJSON_CreateIntArray((const int[]){q->x, q->y, q->w, q->h}, 4));
    cJSON_AddItemToObject(o, "prior", grid_json(a, SAMPLE_PRIOR));
    cJSON_AddItemToObject(o, "posterior", grid_json(a, SAMPLE_POSTERIOR));
}
