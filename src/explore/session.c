/* session: see session.h. Parsing walks a fixed table of the keys it
 * knows; each value is checked for type and range on its own line, so an
 * error names the key and what was wrong with it. */
#include "session.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/afile.h"
#include "core/rfile.h"
#include "core/xdg.h"
#include "data/dataset.h"

static const char *const slot_names[SESSION_SLOTS] = {"sliders", "sampling", "training", "walk",
                                                      "draw"};

void session_init(Session *s)
{
    memset(s, 0, sizeof *s);
    s->slot = -1;
    s->high_contrast = -1;
    s->sort_by_kl = -1;
}

const char *session_slot_name(int slot)
{
    return slot >= 0 && slot < SESSION_SLOTS ? slot_names[slot] : NULL;
}

int session_slot_from_name(const char *name)
{
    for (int i = 0; i < SESSION_SLOTS; i++)
        if (strcmp(name, slot_names[i]) == 0)
            return i;
    return -1;
}

/* ---- parsing ---- */

typedef struct {
    const char *name; /* file name for messages */
    Err *e;
} Ctx;

static int bad(Ctx *c, const char *key, const char *why)
{
    return err_set(c->e, ERR_FORMAT, "session %s: \"%s\" %s", c->name, key, why);
}

/* A finite number within [lo, hi], into *out. */
static int number(Ctx *c, const char *key, const cJSON *v, double lo, double hi, double *out)
{
    if (!cJSON_IsNumber(v))
        return bad(c, key, "is not a number");
    double x = v->valuedouble;
    if (!isfinite(x) || x < lo || x > hi) {
        char why[128];
        snprintf(why, sizeof why, "= %g is outside %g..%g", x, lo, hi);
        return bad(c, key, why);
    }
    *out = x;
    return ERR_OK;
}

static int boolean(Ctx *c, const char *key, const cJSON *v, bool *out)
{
    if (!cJSON_IsBool(v))
        return bad(c, key, "is not true or false");
    *out = cJSON_IsTrue(v);
    return ERR_OK;
}

/* An array of exactly n numbers (n = 0: 1..max) within [lo, hi]; returns
 * the count through *got. */
static int numbers(Ctx *c, const char *key, const cJSON *v, int n, int max, double lo, double hi,
                   float *out, int *got)
{
    if (!cJSON_IsArray(v))
        return bad(c, key, "is not an array");
    int size = cJSON_GetArraySize(v);
    if (n > 0 && size != n) {
        char why[64];
        snprintf(why, sizeof why, "has %d values, expected %d", size, n);
        return bad(c, key, why);
    }
    if (n == 0 && (size < 1 || size > max)) {
        char why[64];
        snprintf(why, sizeof why, "has %d values, expected 1..%d", size, max);
        return bad(c, key, why);
    }
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        double x = 0;
        char k[64];
        snprintf(k, sizeof k, "%s[%d]", key, i);
        if (number(c, k, it, lo, hi, &x) != ERR_OK)
            return c->e->code;
        out[i++] = (float)x;
    }
    *got = i;
    return ERR_OK;
}

static int parse_view(Ctx *c, Session *s, const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return bad(c, "view", "is not an object");
    const cJSON *cen = cJSON_GetObjectItemCaseSensitive(v, "center");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(v, "scale");
    if (!cen || !sc)
        return bad(c, "view", "needs both \"center\" and \"scale\"");
    int got;
    double x = 0;
    if (numbers(c, "view.center", cen, 2, 2, -SESSION_COORD_MAX, SESSION_COORD_MAX, s->center,
                &got) != ERR_OK ||
        number(c, "view.scale", sc, SESSION_SCALE_MIN, SESSION_SCALE_MAX, &x) != ERR_OK)
        return c->e->code;
    s->scale = (float)x;
    s->has_view = true;
    return ERR_OK;
}

static int parse_panels(Ctx *c, Session *s, const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return bad(c, "panels", "is not an object");
    const char *names[3] = {"side", "legend", "status"};
    bool *dst[3] = {&s->side, &s->legend, &s->status};
    for (int i = 0; i < 3; i++) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(v, names[i]);
        char key[32];
        snprintf(key, sizeof key, "panels.%s", names[i]);
        *dst[i] = true; /* absent: shown, as at start-up */
        if (b && boolean(c, key, b, dst[i]) != ERR_OK)
            return c->e->code;
    }
    s->has_panels = true;
    return ERR_OK;
}

static int parse_root(Ctx *c, Session *s, const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return err_set(c->e, ERR_FORMAT, "session %s: not a JSON object", c->name);
    double x = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!v)
        return err_set(c->e, ERR_FORMAT, "session %s: no \"version\" (not a zspace session?)",
                       c->name);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1)
        return bad(c, "version", "is not a positive whole number");
    if (v->valuedouble > SESSION_VERSION)
        return err_set(c->e, ERR_FORMAT,
                       "session %s: version %g is newer than this zspace reads (%d)", c->name,
                       v->valuedouble, SESSION_VERSION);

    if ((v = cJSON_GetObjectItemCaseSensitive(root, "model")) && !cJSON_IsNull(v)) {
        if (!cJSON_IsString(v))
            return bad(c, "model", "is not a string or null");
        if (strlen(v->valuestring) >= sizeof s->model)
            return bad(c, "model", "is too long for a path");
        snprintf(s->model, sizeof s->model, "%s", v->valuestring);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "dataset"))) {
        if (!cJSON_IsString(v) || !dataset_find(v->valuestring))
            return bad(c, "dataset", "is not \"mnist\" or \"fashion\"");
        snprintf(s->dataset, sizeof s->dataset, "%s", v->valuestring);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "points"))) {
        /* the test images, or train and test: what the map can show */
        if (!cJSON_IsNumber(v) || (v->valuedouble != 10000 && v->valuedouble != 70000))
            return bad(c, "points", "is not 10000 (test) or 70000 (train and test)");
        s->points = (long)v->valuedouble;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "view")) && parse_view(c, s, v) != ERR_OK)
        return c->e->code;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "z")) &&
        numbers(c, "z", v, 0, VAE_MAX_Z, -SESSION_COORD_MAX, SESSION_COORD_MAX, s->z,
                &s->z_dim) != ERR_OK)
        return c->e->code;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "slot"))) {
        if (!cJSON_IsString(v) || (s->slot = session_slot_from_name(v->valuestring)) < 0)
            return bad(c, "slot", "is not one of sliders, sampling, training, walk, draw");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "panels")) &&
        parse_panels(c, s, v) != ERR_OK)
        return c->e->code;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "text_scale"))) {
        if (number(c, "text_scale", v, SESSION_TEXT_SCALE_MIN, SESSION_TEXT_SCALE_MAX, &x) !=
            ERR_OK)
            return c->e->code;
        s->text_scale = (float)x;
    }
    bool b = false;
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "high_contrast"))) {
        if (boolean(c, "high_contrast", v, &b) != ERR_OK)
            return c->e->code;
        s->high_contrast = b;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "sort_by_kl"))) {
        if (boolean(c, "sort_by_kl", v, &b) != ERR_OK)
            return c->e->code;
        s->sort_by_kl = b;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(root, "window"))) {
        /* the same limits as explore --size */
        float wh[2];
        int got;
        if (numbers(c, "window", v, 2, 2, 240, 16384, wh, &got) != ERR_OK)
            return c->e->code;
        if (wh[0] < 320 || wh[0] != floorf(wh[0]) || wh[1] != floorf(wh[1]))
            return bad(c, "window", "is not [width >= 320, height >= 240] in whole points");
        s->window[0] = (int)wh[0];
        s->window[1] = (int)wh[1];
    }
    return ERR_OK;
}

int session_parse(Session *s, const char *name, const char *text, size_t len, Err *e)
{
    session_init(s);
    Ctx c = {name, e};
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i == len)
        return err_set(e, ERR_FORMAT, "session %s: the file is empty", name);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        return err_set(e, ERR_FORMAT,
                       at >= len ? "session %s: not valid JSON (cut short at byte %zu?)"
                                 : "session %s: not valid JSON near byte %zu",
                       name, at);
    }
    /* No NUL inside the object: cJSON would end a string there and take
     * "a\0b" as "a". */
    const char *nul = memchr(text, '\0', (size_t)(end - text));
    if (nul) {
        cJSON_Delete(root);
        return err_set(e, ERR_FORMAT, "session %s: a NUL byte at byte %zu", name,
                       (size_t)(nul - text));
    }
    /* only white space may follow the object */
    size_t at = (size_t)(end - text);
    while (at < len && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' ||
                        text[at] == '\t' || text[at] == '\0'))
        at++;
    int rc = at < len ? err_set(e, ERR_FORMAT, "session %s: unexpected text after the JSON "
                                               "object at byte %zu", name, at)
                      : parse_root(&c, s, root);
    cJSON_Delete(root);
    if (rc != ERR_OK)
        session_init(s); /* a failed parse leaves nothing half-restored */
    return rc;
}

int session_load(Session *s, const char *path, Err *e)
{
    session_init(s);
    FILE *f = rfile_open(path, RFILE_REGULAR, e); /* never blocks on a FIFO */
    if (!f)
        return e ? err_prefix(e, "session") : ERR_IO;
    char *buf = malloc(SESSION_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        return err_set(e, ERR_NOMEM, "session %s: out of memory", path);
    }
    size_t n = fread(buf, 1, SESSION_FILE_MAX + 1, f);
    int rerr = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    int rc;
    if (rerr)
        rc = err_set(e, ERR_IO, "session %s: read error: %s", path, strerror(rerr));
    else if (n > SESSION_FILE_MAX)
        rc = err_set(e, ERR_FORMAT, "session %s: larger than %d bytes, not a session file", path,
                     SESSION_FILE_MAX);
    else
        rc = session_parse(s, path, buf, n, e);
    free(buf);
    return rc;
}

/* ---- writing ---- */

char *session_to_json(const Session *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "version", SESSION_VERSION);
    if (s->model[0])
        cJSON_AddStringToObject(o, "model", s->model);
    else
        cJSON_AddNullToObject(o, "model");
    if (s->dataset[0])
        cJSON_AddStringToObject(o, "dataset", s->dataset);
    if (s->points)
        cJSON_AddNumberToObject(o, "points", (double)s->points);
    if (s->has_view) {
        cJSON *v = cJSON_AddObjectToObject(o, "view");
        cJSON_AddItemToObject(v, "center", cJSON_CreateFloatArray(s->center, 2));
        cJSON_AddNumberToObject(v, "scale", s->scale);
    }
    if (s->z_dim > 0)
        cJSON_AddItemToObject(o, "z", cJSON_CreateFloatArray(s->z, s->z_dim));
    if (session_slot_name(s->slot))
        cJSON_AddStringToObject(o, "slot", session_slot_name(s->slot));
    if (s->has_panels) {
        cJSON *p = cJSON_AddObjectToObject(o, "panels");
        cJSON_AddBoolToObject(p, "side", s->side);
        cJSON_AddBoolToObject(p, "legend", s->legend);
        cJSON_AddBoolToObject(p, "status", s->status);
    }
    if (s->text_scale > 0)
        cJSON_AddNumberToObject(o, "text_scale", s->text_scale);
    if (s->high_contrast >= 0)
        cJSON_AddBoolToObject(o, "high_contrast", s->high_contrast);
    if (s->sort_by_kl >= 0)
        cJSON_AddBoolToObject(o, "sort_by_kl", s->sort_by_kl);
    if (s->window[0] > 0)
        cJSON_AddItemToObject(o, "window", cJSON_CreateIntArray(s->window, 2));
    char *cj = cJSON_Print(o);
    cJSON_Delete(o);
    if (!cj)
        return NULL;
    char *text = strdup(cj); /* callers free() it, whatever allocator cJSON uses */
    cJSON_free(cj);
    return text;
}

int session_save(const Session *s, const char *path, Err *e)
{
    if (afile_mkparent(path, e) != ERR_OK) {
        char what[4200];
        snprintf(what, sizeof what, "session %s", path);
        return err_prefix(e, what);
    }
    char *text = session_to_json(s);
    if (!text)
        return err_set(e, ERR_NOMEM, "session %s: out of memory", path);
    /* The file ends with a newline like any text file: the string's NUL
     * becomes it (text is only freed after this). */
    size_t n = strlen(text);
    text[n] = '\n';
    int rc = afile_save(path, text, n + 1, e);
    free(text);
    return rc;
}

void session_default_path(char *buf, size_t size)
{
    xdg_path(XDG_CONFIG, "session.json", buf, size);
}
