/* safetensors: see safetensors.h. JSON goes through cJSON both ways; the
 * integers we write (shapes, offsets) are emitted as raw JSON text so they
 * are exact whatever their size, and the integers we read are accepted only
 * when a double holds them exactly (<= 2^53). */
#include "safetensors.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/afile.h"
#include "core/rfile.h"

#define META_KEY "__metadata__"
/* Largest integer a JSON number parsed into a double represents exactly. */
#define MAX_EXACT_INT 9007199254740992.0
/* Refuse files beyond this before reading them into memory. zspace models are
 * a few MB; the biggest sensible one (Z=256, hidden 4096,4096) is ~200 MB. */
#define MAX_FILE_BYTES ((uint64_t)4 << 30)

static uint64_t rd_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void wr_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The file's floats are little-endian; copy n of them to/from host order. */
static void floats_from_le(float *dst, const uint8_t *src, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(dst, src, n * sizeof *dst);
#else
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = src + 4 * i;
        uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24;
        memcpy(&dst[i], &u, 4);
    }
#endif
}

static void floats_to_le(uint8_t *dst, const float *src, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(dst, src, n * sizeof *src);
#else
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &src[i], 4);
        for (int b = 0; b < 4; b++)
            dst[4 * i + b] = (uint8_t)(u >> (8 * b));
    }
#endif
}

/* "[2,3]" into buf (truncated to fit). */
static const char *shape_str(const int64_t *shape, int ndim, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    k += (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < ndim && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%" PRId64, i ? "," : "", shape[i]);
    if (k < size)
        snprintf(buf + k, size - k, "]");
    return buf;
}

/* prod(shape) * 4 as bytes, or 0 with *ok = 0 on overflow. */
static uint64_t shape_bytes(const int64_t *shape, int ndim, size_t *numel, int *ok)
{
    uint64_t n = 1;
    *ok = 1;
    *numel = 0;
    for (int i = 0; i < ndim; i++)
        if (__builtin_mul_overflow(n, (uint64_t)shape[i], &n))
            *ok = 0;
    uint64_t bytes = 0;
    if (!*ok || __builtin_mul_overflow(n, (uint64_t)4, &bytes) || n > SIZE_MAX / 4) {
        *ok = 0;
        return 0;
    }
    *numel = (size_t)n;
    return bytes;
}

/* ---- writing ---------------------------------------------------------- */

static int check_inputs(const SafetensorsTensorIn *t, int n, const SafetensorsMeta *meta,
                        int n_meta, Err *e)
{
    if (n < 0 || n_meta < 0 || (n > 0 && !t) || (n_meta > 0 && !meta))
        return err_set(e, ERR_ARG, "safetensors: bad tensor or metadata list");
    for (int i = 0; i < n; i++) {
        if (!t[i].name || !t[i].name[0] || !strcmp(t[i].name, META_KEY))
            return err_set(e, ERR_ARG, "safetensors: tensor %d has an empty or reserved name", i);
        if (t[i].ndim < 0 || t[i].ndim > SAFETENSORS_MAX_DIMS)
            return err_set(e, ERR_ARG, "safetensors: tensor '%s': %d dimensions", t[i].name,
                           t[i].ndim);
        for (int d = 0; d < t[i].ndim; d++)
            if (t[i].shape[d] < 0)
                return err_set(e, ERR_ARG, "safetensors: tensor '%s': negative dimension",
                               t[i].name);
        size_t numel;
        int ok;
        shape_bytes(t[i].shape, t[i].ndim, &numel, &ok);
        if (!ok)
            return err_set(e, ERR_ARG, "safetensors: tensor '%s' is too large", t[i].name);
        if (numel > 0 && !t[i].data)
            return err_set(e, ERR_ARG, "safetensors: tensor '%s' has no data", t[i].name);
        for (int j = 0; j < i; j++)
            if (!strcmp(t[i].name, t[j].name))
                return err_set(e, ERR_ARG, "safetensors: tensor name '%s' appears twice",
                               t[i].name);
    }
    for (int i = 0; i < n_meta; i++) {
        if (!meta[i].key || !meta[i].value)
            return err_set(e, ERR_ARG, "safetensors: metadata entry %d is NULL", i);
        for (int j = 0; j < i; j++)
            if (!strcmp(meta[i].key, meta[j].key))
                return err_set(e, ERR_ARG, "safetensors: metadata key '%s' appears twice",
                               meta[i].key);
    }
    return ERR_OK;
}

/* An exact unsigned integer as a raw JSON number. */
static int add_raw_u64(cJSON *array, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRIu64, v);
    cJSON *item = cJSON_CreateRaw(num);
    return item && cJSON_AddItemToArray(array, item);
}

/* Build the header JSON; tensors are laid out back to back in order. */
static char *build_header(const SafetensorsTensorIn *t, int n, const SafetensorsMeta *meta,
                          int n_meta, uint64_t *data_bytes)
{
    cJSON *root = cJSON_CreateObject();
    int ok = root != NULL;
    if (ok && n_meta > 0) {
        cJSON *m = cJSON_AddObjectToObject(root, META_KEY);
        ok = m != NULL;
        for (int i = 0; ok && i < n_meta; i++)
            ok = cJSON_AddStringToObject(m, meta[i].key, meta[i].value) != NULL;
    }
    uint64_t off = 0;
    for (int i = 0; ok && i < n; i++) {
        size_t numel;
        int fits;
        uint64_t bytes = shape_bytes(t[i].shape, t[i].ndim, &numel, &fits);
        /* Keys in the order Python's safetensors writes them. */
        cJSON *obj = cJSON_AddObjectToObject(root, t[i].name);
        ok = obj && cJSON_AddStringToObject(obj, "dtype", "F32");
        cJSON *shape = ok ? cJSON_AddArrayToObject(obj, "shape") : NULL;
        cJSON *offs = shape ? cJSON_AddArrayToObject(obj, "data_offsets") : NULL;
        ok = offs != NULL;
        for (int d = 0; ok && d < t[i].ndim; d++)
            ok = add_raw_u64(shape, (uint64_t)t[i].shape[d]);
        ok = ok && add_raw_u64(offs, off) && add_raw_u64(offs, off + bytes);
        off += bytes;
    }
    char *json = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    *data_bytes = off;
    return json;
}

int safetensors_serialize(const SafetensorsTensorIn *tensors, int n_tensors,
                          const SafetensorsMeta *meta, int n_meta, uint8_t **out,
                          size_t *out_len, Err *e)
{
    *out = NULL;
    *out_len = 0;
    int rc = check_inputs(tensors, n_tensors, meta, n_meta, e);
    if (rc != ERR_OK)
        return rc;
    uint64_t data_bytes;
    char *json = build_header(tensors, n_tensors, meta, n_meta, &data_bytes);
    if (!json)
        return err_set(e, ERR_NOMEM, "safetensors: out of memory building the header");
    size_t hlen = strlen(json);
    /* Pad with spaces so the buffer starts 8-byte aligned (allowed by the
     * spec; lets readers that map the file use the floats in place). */
    size_t padded = (hlen + 7) & ~(size_t)7;
    size_t total = 8 + padded + (size_t)data_bytes;
    uint8_t *buf = malloc(total);
    if (!buf) {
        cJSON_free(json);
        return err_set(e, ERR_NOMEM, "safetensors: out of memory (%zu bytes)", total);
    }
    wr_le64(buf, padded);
    memcpy(buf + 8, json, hlen);
    memset(buf + 8 + hlen, ' ', padded - hlen);
    cJSON_free(json);
    uint8_t *p = buf + 8 + padded;
    for (int i = 0; i < n_tensors; i++) {
        size_t numel;
        int fits;
        uint64_t bytes = shape_bytes(tensors[i].shape, tensors[i].ndim, &numel, &fits);
        if (numel)
            floats_to_le(p, tensors[i].data, numel);
        p += bytes;
    }
    *out = buf;
    *out_len = total;
    return ERR_OK;
}

int safetensors_save(const char *path, const SafetensorsTensorIn *tensors, int n_tensors,
                     const SafetensorsMeta *meta, int n_meta, Err *e)
{
    uint8_t *buf;
    size_t len;
    int rc = safetensors_serialize(tensors, n_tensors, meta, n_meta, &buf, &len, e);
    if (rc != ERR_OK)
        return err_prefix(e, path);
    AFile a;
    rc = afile_open(&a, path, e);
    if (rc == ERR_OK) {
        rc = afile_write(&a, buf, len, e);
        if (rc == ERR_OK)
            rc = afile_commit(&a, e);
        else
            afile_abort(&a);
    }
    free(buf);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct {
    uint64_t begin, end;
    int index; /* into the parse-order tensor list */
} Range;

static int cmp_range(const void *a, const void *b)
{
    const Range *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Some string appearing twice in names[0..n) (sorted in place), or NULL.
 * Sorting keeps a header with millions of keys from taking quadratic time. */
static const char *first_duplicate(const char **names, int n)
{
    if (n < 2)
        return NULL;
    qsort(names, (size_t)n, sizeof *names, cmp_name);
    for (int i = 1; i < n; i++)
        if (!strcmp(names[i - 1], names[i]))
            return names[i];
    return NULL;
}

/* A JSON number that is an exact non-negative integer. */
static int json_uint(const cJSON *item, uint64_t *out)
{
    if (!cJSON_IsNumber(item))
        return 0;
    double d = item->valuedouble;
    if (!(d >= 0 && d <= MAX_EXACT_INT) || d != floor(d))
        return 0;
    *out = (uint64_t)d;
    return 1;
}

/* A parsed tensor entry before its data is copied. */
typedef struct {
    const char *name; /* borrowed from the cJSON tree */
    int ndim;
    int64_t shape[SAFETENSORS_MAX_DIMS];
    size_t numel;
    uint64_t begin, end;
} Entry;

static int parse_entry(const cJSON *item, const char *label, uint64_t buf_len, Entry *t, Err *e)
{
    const char *name = item->string;
    t->name = name;
    if (!cJSON_IsObject(item))
        return err_set(e, ERR_FORMAT, "%s: tensor '%s': entry is not a JSON object", label, name);

    const cJSON *dtype = cJSON_GetObjectItemCaseSensitive(item, "dtype");
    if (!cJSON_IsString(dtype))
        return err_set(e, ERR_FORMAT, "%s: tensor '%s': missing or non-string \"dtype\"", label,
                       name);
    if (strcmp(dtype->valuestring, "F32") != 0)
        return err_set(e, ERR_FORMAT, "%s: tensor '%s': dtype %.16s is not supported (zspace reads F32 only)",
                       label, name, dtype->valuestring);

    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(item, "shape");
    if (!cJSON_IsArray(shape))
        return err_set(e, ERR_FORMAT, "%s: tensor '%s': missing or non-array \"shape\"", label,
                       name);
    int ndim = cJSON_GetArraySize(shape);
    if (ndim > SAFETENSORS_MAX_DIMS)
        return err_set(e, ERR_FORMAT, "%s: tensor '%s': %d dimensions (at most %d supported)",
                       label, name, ndim, SAFETENSORS_MAX_DIMS);
    t->ndim = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, shape)
    {
        uint64_t v;
        if (!json_uint(d, &v) || v > INT64_MAX)
            return err_set(e, ERR_FORMAT,
                           "%s: tensor '%s': shape entry %d is not a non-negative integer", label,
                           name, t->ndim);
        t->shape[t->ndim++] = (int64_t)v;
    }

    const cJSON *offs = cJSON_GetObjectItemCaseSensitive(item, "data_offsets");
    uint64_t begin = 0, end = 0;
    if (!cJSON_IsArray(offs) || cJSON_GetArraySize(offs) != 2 ||
        !json_uint(cJSON_GetArrayItem(offs, 0), &begin) ||
        !json_uint(cJSON_GetArrayItem(offs, 1), &end) || begin > end)
        return err_set(e, ERR_FORMAT,
                       "%s: tensor '%s': \"data_offsets\" must be [begin, end] with 0 <= begin <= end",
                       label, name);
    t->begin = begin;
    t->end = end;

    char sh[64];
    int fits;
    uint64_t bytes = shape_bytes(t->shape, t->ndim, &t->numel, &fits);
    if (!fits)
        return err_set(e, ERR_FORMAT, "%s: tensor '%s': shape %s is impossibly large", label, name,
                       shape_str(t->shape, t->ndim, sh, sizeof sh));
    if (bytes != end - begin)
        return err_set(e, ERR_FORMAT,
                       "%s: tensor '%s': shape %s needs %" PRIu64 " bytes but data_offsets [%" PRIu64
                       ",%" PRIu64 "] hold %" PRIu64,
                       label, name, shape_str(t->shape, t->ndim, sh, sizeof sh), bytes, begin, end,
                       end - begin);
    if (end > buf_len)
        return err_set(e, ERR_FORMAT,
                       "%s: tensor '%s': data_offsets [%" PRIu64 ",%" PRIu64
                       "] run past the end of the data (%" PRIu64 " bytes): truncated file?",
                       label, name, begin, end, buf_len);
    return ERR_OK;
}

static int parse_meta(const cJSON *m, const char *label, Safetensors *st, Err *e)
{
    if (!cJSON_IsObject(m))
        return err_set(e, ERR_FORMAT, "%s: \"__metadata__\" is not a JSON object", label);
    int n = cJSON_GetArraySize(m);
    st->meta = calloc(n ? (size_t)n : 1, sizeof *st->meta);
    if (!st->meta)
        return err_set(e, ERR_NOMEM, "%s: out of memory", label);
    const cJSON *v;
    cJSON_ArrayForEach(v, m)
    {
        if (!cJSON_IsString(v))
            return err_set(e, ERR_FORMAT, "%s: metadata '%s' is not a string (safetensors metadata values must be strings)",
                           label, v->string);
        char *k = strdup(v->string), *s = strdup(v->valuestring);
        st->meta[st->n_meta].key = k;
        st->meta[st->n_meta].value = s;
        st->n_meta++;
        if (!k || !s)
            return err_set(e, ERR_NOMEM, "%s: out of memory", label);
    }
    const char **keys = malloc((n ? (size_t)n : 1) * sizeof *keys);
    if (!keys)
        return err_set(e, ERR_NOMEM, "%s: out of memory", label);
    for (int i = 0; i < st->n_meta; i++)
        keys[i] = st->meta[i].key;
    const char *dup = first_duplicate(keys, st->n_meta);
    int rc = dup ? err_set(e, ERR_FORMAT, "%s: metadata key '%s' appears twice", label, dup)
                 : ERR_OK;
    free(keys);
    return rc;
}

/* Parse the tree into st. Entries are validated one by one, then against
 * each other (names unique, ranges disjoint), and only then copied. */
static int parse_tree(const cJSON *root, const char *label, const uint8_t *buf, uint64_t buf_len,
                      Safetensors *st, Err *e)
{
    int n_items = cJSON_GetArraySize(root);
    Entry *ent = calloc(n_items ? (size_t)n_items : 1, sizeof *ent);
    Range *rng = calloc(n_items ? (size_t)n_items : 1, sizeof *rng);
    const char **names = calloc(n_items ? (size_t)n_items : 1, sizeof *names);
    int rc = (ent && rng && names) ? ERR_OK : err_set(e, ERR_NOMEM, "%s: out of memory", label);

    int n = 0, seen_meta = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, root)
    {
        if (rc != ERR_OK)
            break;
        if (!strcmp(item->string, META_KEY)) {
            if (seen_meta++)
                rc = err_set(e, ERR_FORMAT, "%s: \"__metadata__\" appears twice", label);
            else
                rc = parse_meta(item, label, st, e);
            continue;
        }
        rc = parse_entry(item, label, buf_len, &ent[n], e);
        if (rc == ERR_OK) {
            names[n] = ent[n].name;
            rng[n] = (Range){ent[n].begin, ent[n].end, n};
            n++;
        }
    }

    if (rc == ERR_OK && n > 1) {
        const char *dup = first_duplicate(names, n);
        if (dup)
            rc = err_set(e, ERR_FORMAT, "%s: tensor '%s' appears twice", label, dup);
        qsort(rng, (size_t)n, sizeof *rng, cmp_range);
        /* Empty tensors occupy no bytes and overlap nothing. */
        int prev = -1;
        for (int i = 0; i < n && rc == ERR_OK; i++) {
            if (rng[i].begin == rng[i].end)
                continue;
            if (prev >= 0 && rng[i].begin < rng[prev].end)
                rc = err_set(e, ERR_FORMAT,
                             "%s: tensors '%s' [%" PRIu64 ",%" PRIu64 ") and '%s' [%" PRIu64
                             ",%" PRIu64 ") overlap",
                             label, ent[rng[prev].index].name, rng[prev].begin, rng[prev].end,
                             ent[rng[i].index].name, rng[i].begin, rng[i].end);
            prev = i;
        }
    }

    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += ent[i].numel; /* disjoint ranges inside buf_len: no overflow */
    if (rc == ERR_OK) {
        st->tensors = calloc(n ? (size_t)n : 1, sizeof *st->tensors);
        st->arena = malloc((total ? total : 1) * sizeof(float));
        if (!st->tensors || !st->arena)
            rc = err_set(e, ERR_NOMEM, "%s: out of memory (%zu floats)", label, total);
    }
    size_t at = 0;
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        const Entry *en = &ent[rng[i].index]; /* in offset order */
        SafetensorsTensor *t = &st->tensors[i];
        t->name = strdup(en->name);
        if (!t->name) {
            rc = err_set(e, ERR_NOMEM, "%s: out of memory", label);
            break;
        }
        st->n_tensors++;
        t->ndim = en->ndim;
        memcpy(t->shape, en->shape, sizeof t->shape);
        t->numel = en->numel;
        t->data = st->arena + at;
        floats_from_le(t->data, buf + en->begin, en->numel);
        at += en->numel;
    }
    free(ent);
    free(rng);
    free(names);
    return rc;
}

int safetensors_parse(const uint8_t *bytes, size_t len, const char *label, Safetensors *st,
                      Err *e)
{
    memset(st, 0, sizeof *st);
    if (len < 8)
        return err_set(e, ERR_FORMAT,
                       "%s: truncated: %zu bytes, too short for the 8-byte header length", label,
                       len);
    uint64_t n = rd_le64(bytes);
    if (n > SAFETENSORS_MAX_HEADER)
        return err_set(e, ERR_FORMAT,
                       "%s: header length %" PRIu64 " is beyond the %u-byte limit: not a safetensors file, or corrupt",
                       label, n, SAFETENSORS_MAX_HEADER);
    if (n > len - 8)
        return err_set(e, ERR_FORMAT,
                       "%s: truncated: header length %" PRIu64 " but only %zu bytes follow", label,
                       n, len - 8);
    const char *h = (const char *)bytes + 8;
    if (n < 2 || h[0] != '{')
        return err_set(e, ERR_FORMAT,
                       "%s: header is not a JSON object (does not start with '{'): not a safetensors file?",
                       label);
    if (memchr(h, '\0', n))
        return err_set(e, ERR_FORMAT, "%s: header contains a NUL byte", label);

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(h, n, &end, 0);
    if (!root)
        return err_set(e, ERR_FORMAT, "%s: header is not valid JSON (error near byte %td of %" PRIu64 ")",
                       label, end ? end - h : (ptrdiff_t)0, n);
    for (const char *p = end; p < h + n; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            cJSON_Delete(root);
            return err_set(e, ERR_FORMAT,
                           "%s: header has stray bytes after its JSON object (at byte %td)", label,
                           p - h);
        }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return err_set(e, ERR_FORMAT, "%s: header is not a JSON object", label);
    }
    int rc = parse_tree(root, label, bytes + 8 + n, (uint64_t)(len - 8 - n), st, e);
    cJSON_Delete(root);
    if (rc != ERR_OK)
        safetensors_free(st);
    return rc;
}

int safetensors_load(const char *path, Safetensors *st, Err *e)
{
    memset(st, 0, sizeof *st);
    FILE *f = rfile_open(path, RFILE_REGULAR, e);
    if (!f)
        return e ? e->code : ERR_IO;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return err_set(e, ERR_IO, "%s: not a regular file", path);
    }
    if ((uint64_t)sb.st_size > MAX_FILE_BYTES) {
        fclose(f);
        return err_set(e, ERR_FORMAT, "%s: %lld bytes is too large for a zspace model", path,
                       (long long)sb.st_size);
    }
    size_t len = (size_t)sb.st_size;
    uint8_t *bytes = malloc(len ? len : 1);
    if (!bytes) {
        fclose(f);
        return err_set(e, ERR_NOMEM, "%s: out of memory (%zu bytes)", path, len);
    }
    size_t got = fread(bytes, 1, len, f);
    int read_err = ferror(f);
    fclose(f);
    if (read_err) {
        free(bytes);
        return err_set(e, ERR_IO, "%s: read failed", path);
    }
    /* got < len only if the file shrank under us; parse what is there. */
    int rc = safetensors_parse(bytes, got, path, st, e);
    free(bytes);
    return rc;
}

const SafetensorsTensor *safetensors_find(const Safetensors *st, const char *name)
{
    for (int i = 0; i < st->n_tensors; i++)
        if (!strcmp(st->tensors[i].name, name))
            return &st->tensors[i];
    return NULL;
}

const char *safetensors_meta(const Safetensors *st, const char *key)
{
    for (int i = 0; i < st->n_meta; i++)
        if (!strcmp(st->meta[i].key, key))
            return st->meta[i].value;
    return NULL;
}

int safetensors_meta_long(const Safetensors *st, const char *path, const char *key, long min,
                          long max, long *out, Err *e)
{
    const char *s = safetensors_meta(st, key);
    if (!s)
        return err_set(e, ERR_FORMAT, "%s: metadata has no \"%s\"", path, key);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    /* Digits only (strtol would also skip leading blanks and a '+'). */
    if (!(isdigit((unsigned char)s[0]) || (s[0] == '-' && isdigit((unsigned char)s[1]))) ||
        end == s || *end || errno || v < min || v > max)
        return err_set(e, ERR_FORMAT, "%s: metadata %s '%.40s' is not a whole number in %ld..%ld",
                       path, key, s, min, max);
    *out = v;
    return ERR_OK;
}

int safetensors_meta_u64(const Safetensors *st, const char *path, const char *key, uint64_t *out,
                         Err *e)
{
    const char *s = safetensors_meta(st, key);
    if (!s)
        return err_set(e, ERR_FORMAT, "%s: metadata has no \"%s\"", path, key);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    /* Digits only: strtoull skips blanks and negates "-1", so " -1" would
     * read as 2^64 - 1 while "-1" is refused. */
    if (!isdigit((unsigned char)s[0]) || end == s || *end || errno)
        return err_set(e, ERR_FORMAT, "%s: metadata %s '%.40s' is not a whole number", path, key, s);
    *out = v;
    return ERR_OK;
}

int safetensors_meta_run(const Safetensors *st, const char *path, char *dataset,
                         size_t dataset_size, long *epochs, uint64_t *seed, Err *e)
{
    const char *s = safetensors_meta(st, "dataset");
    if (s) {
        if (strlen(s) >= dataset_size)
            return err_set(e, ERR_FORMAT, "%s: metadata dataset '%.40s' is too long", path, s);
        strcpy(dataset, s);
    }
    if (safetensors_meta(st, "epochs") &&
        safetensors_meta_long(st, path, "epochs", 0, 1L << 30, epochs, e))
        return ERR_FORMAT;
    if (safetensors_meta(st, "seed") && safetensors_meta_u64(st, path, "seed", seed, e))
        return ERR_FORMAT;
    return ERR_OK;
}

void safetensors_free(Safetensors *st)
{
    for (int i = 0; i < st->n_tensors; i++)
        free(st->tensors[i].name);
    for (int i = 0; i < st->n_meta; i++) {
        free((char *)st->meta[i].key);
        free((char *)st->meta[i].value);
    }
    free(st->tensors);
    free(st->meta);
    free(st->arena);
    memset(st, 0, sizeof *st);
}
