/* dump: the app state as JSON for tests and recordings (`dump-state`).
 * Shape (DESIGN.md "Explorer contracts"):
 *   {"z": [...], "decoded_sha1": hex of the 784 decoded bytes shown (or
 *    null), "view": {"center": [x, y], "scale": px per unit, "map_rect":
 *    [x, y, w, h], "window": [w, h], "drawable": [w, h]}, "model": {...},
 *    "training": {"running": false}, "fps": n, "ui": {...}, "map": {...},
 *    "decodes": count, "recent_decodes": [SHA-1 of up to 32 last decodes]}
 * The decoded bytes themselves are in "decoded" (784 numbers, 0..255).
 * Written atomically with cJSON. */
#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "app_impl.h"
#include "dumpjson.h"
#include "core/afile.h"
#include "io/jsonpath.h"
#include "textfit.h"

static cJSON *ints(const int *v, int n)
{
    return cJSON_CreateIntArray(v, n);
}

/* The texts of the last frame that their clip cuts (textfit.h): how many,
 * and the first few with their words, boxes and clips. */
static void cut_text_json(const App *a, cJSON *ui)
{
    TextCut cut[16];
    int across = 0;
    int n = textfit_scan(&a->ui.list, a->win.pw, a->win.ph, cut, 16, &across);
    cJSON_AddNumberToObject(ui, "cut_across", across);
    cJSON_AddNumberToObject(ui, "cut_down", n - across);
    cJSON *arr = cJSON_AddArrayToObject(ui, "cut_text");
    for (int i = 0; i < n && i < 16; i++) {
        const UiCmd *c = &a->ui.list.cmds[cut[i].cmd];
        char text[256];
        size_t len = c->len < sizeof text - 1 ? c->len : sizeof text - 1;
        memcpy(text, a->ui.list.text + c->text, len);
        text[len] = '\0';
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "text", text);
        UiRect t = cut[i].text, k = cut[i].clip;
        cJSON_AddItemToObject(o, "rect", dump_rect(t));
        cJSON_AddItemToObject(o, "clip", dump_rect(k));
        cJSON_AddBoolToObject(o, "across", cut[i].across);
        cJSON_AddItemToArray(arr, o);
    }
}

static cJSON *model_json(const App *a)
{
    const Model *m = &a->map.model;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "loaded", a->map.loaded);
    cJSON_AddStringToObject(o, "path", m->path);
    cJSON_AddStringToObject(o, "dataset", m->dataset);
    if (a->map.loaded) {
        char hidden[64];
        vae_hidden_str(&m->vae.cfg, hidden, sizeof hidden);
        cJSON_AddNumberToObject(o, "latent", m->vae.cfg.z);
        cJSON_AddStringToObject(o, "hidden", hidden);
        cJSON_AddNumberToObject(o, "beta", m->vae.cfg.beta);
        cJSON_AddNumberToObject(o, "epochs", (double)m->info.epochs);
        if (isnan(m->test_loss))
            cJSON_AddNullToObject(o, "test_loss");
        else
            cJSON_AddNumberToObject(o, "test_loss", m->test_loss);
    }
    return o;
}

static cJSON *state_json(const App *a)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *z = cJSON_AddArrayToObject(root, "z");
    for (int d = 0; d < a->cur.dim; d++)
        cJSON_AddItemToArray(z, cJSON_CreateNumber(a->cur.z[d]));
    if (a->cur.decoded_valid) {
        char hex[41];
        dump_sha1_hex(cursor_sha1(&a->cur, a->cur.decodes - 1), hex);
        cJSON_AddStringToObject(root, "decoded_sha1", hex);
        cJSON *px = cJSON_AddArrayToObject(root, "decoded");
        for (int i = 0; i < VAE_X; i++)
            cJSON_AddItemToArray(px, cJSON_CreateNumber(a->cur.decoded[i]));
    } else {
        cJSON_AddNullToObject(root, "decoded_sha1");
    }
    cJSON_AddNumberToObject(root, "decodes", (double)a->cur.decodes);
    cJSON *recent = cJSON_AddArrayToObject(root, "recent_decodes");
    for (uint64_t k = a->cur.decodes > CURSOR_SHA1_RING ? a->cur.decodes - CURSOR_SHA1_RING : 0; k < a->cur.decodes; k++) {
        char hex[41];
        dump_sha1_hex(cursor_sha1(&a->cur, k), hex);
        cJSON_AddItemToArray(recent, cJSON_CreateString(hex));
    }
    cJSON *view = cJSON_AddObjectToObject(root, "view");
    float c[2] = {a->map.view.cx, a->map.view.cy};
    cJSON_AddItemToObject(view, "center", cJSON_CreateFloatArray(c, 2));
    cJSON_AddNumberToObject(view, "scale", a->map.view.scale);
    const UiRect *r = &a->map.rect;
    cJSON_AddItemToObject(view, "map_rect", dump_rect(*r));
    cJSON_AddItemToObject(view, "window", ints((const int[]){a->win.w, a->win.h}, 2));
    cJSON_AddItemToObject(view, "drawable", ints((const int[]){a->win.pw, a->win.ph}, 2));
    cJSON_AddNumberToObject(view, "pixel_scale", a->win.scale);
    cJSON_AddItemToObject(root, "model", model_json(a));
    cJSON *tr = cJSON_AddObjectToObject(root, "training");
    app_train_dump(a, tr);
    app_walk_dump(a, cJSON_AddObjectToObject(root, "walk"));
    app_sample_dump(a, cJSON_AddObjectToObject(root, "sampling"));
    app_draw_dump(a, cJSON_AddObjectToObject(root, "draw"));
    app_uncert_dump(a, cJSON_AddObjectToObject(root, "uncertainty"));
    app_neigh_dump(a, cJSON_AddObjectToObject(root, "neighbours"));
    app_panels_dump(a, cJSON_AddObjectToObject(root, "panels"));
    cJSON_AddNumberToObject(root, "fps", a->fps);
    app_timing_dump(a, cJSON_AddObjectToObject(root, "timing"));
    cJSON *ui = cJSON_AddObjectToObject(root, "ui");
    cJSON_AddBoolToObject(ui, "help", a->help);
    cJSON_AddBoolToObject(ui, "fullscreen", a->win.fullscreen);
    cJSON_AddBoolToObject(ui, "high_contrast", a->high_contrast);
    cJSON_AddNumberToObject(ui, "text_scale", a->text_scale);
    cJSON_AddNumberToObject(ui, "dpi_scale", a->dpi_scale);
    cJSON_AddNumberToObject(ui, "display_dpi", a->display_dpi);
    cJSON_AddItemToObject(ui, "font_px", ints(a->font_px, UI_FONTS));
    cJSON_AddNumberToObject(ui, "toasts", a->ui.ntoasts);
    cut_text_json(a, ui);
    cJSON *sl = cJSON_AddArrayToObject(ui, "slider_rows");
    for (int d = 0; d < a->cur.dim; d++) {
        const UiRect *q = &a->sliders.rows[d];
        cJSON_AddItemToArray(sl, dump_rect(*q));
    }
    cJSON *map = cJSON_AddObjectToObject(root, "map");
    cJSON *pal = cJSON_AddArrayToObject(map, "palette");
    for (int k = 0; k < 10; k++) {
        UiColor c = app_label_ui_color(a, k);
        cJSON_AddItemToArray(pal, ints((const int[]){c.r, c.g, c.b}, 3));
    }
    UiColor bg = a->ui.theme.panel;
    cJSON_AddItemToObject(map, "background", ints((const int[]){bg.r, bg.g, bg.b}, 3));
    cJSON_AddNumberToObject(map, "point_alpha", map_point_alpha(a));
    cJSON_AddBoolToObject(map, "ready", a->map.ready);
    cJSON_AddNumberToObject(map, "points", a->map.ready ? (double)a->map.model.job.n : 0);
    cJSON_AddNumberToObject(map, "hover", a->map.hover);
    cJSON_AddNumberToObject(map, "nearest", a->cur.nearest);
    app_layer_dump(a, cJSON_AddObjectToObject(map, "layer"));
    cJSON_AddStringToObject(map, "message", a->map.message);
    app_proj_dump(a, cJSON_AddObjectToObject(root, "projection"));
    app_compare_dump(a, cJSON_AddObjectToObject(root, "compare"));
    app_files_dump(a, cJSON_AddObjectToObject(root, "dialog"));
    cJSON_AddNumberToObject(root, "frame", (double)a->frames);
    return root;
}

void app_dump_probe(const void *app, const char *path, ScriptValue *v)
{
    cJSON *root = state_json(app);
    const cJSON *j = root ? jsonpath_get(root, path) : NULL;
    v->kind = SV_NONE;
    if (cJSON_IsString(j)) {
        v->kind = SV_STRING;
        snprintf(v->str, sizeof v->str, "%s", j->valuestring);
    } else if (cJSON_IsNumber(j) || cJSON_IsBool(j) || cJSON_IsArray(j)) {
        v->kind = SV_NUMBER;
        v->num = jsonpath_num(j, "");
    }
    cJSON_Delete(root);
}

int app_dump_state(const App *a, const char *path, Err *e)
{
    cJSON *root = state_json(a);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return err_set(e, ERR_NOMEM, "dump-state %s: out of memory", path);
    AFile af;
    int rc = afile_open(&af, path, e);
    if (rc == ERR_OK)
        rc = afile_write(&af, text, strlen(text), e);
    if (rc == ERR_OK)
        rc = afile_write(&af, "\n", 1, e);
    if (rc == ERR_OK)
        rc = afile_commit(&af, e);
    else if (af.f)
        afile_abort(&af);
    cJSON_free(text);
    return rc;
}
