/* idx: see idx.h. zlib's gzread reads plain files unchanged, so one path
 * handles both encodings; the plain case is sized from fstat so it is read
 * with one allocation and no copy beyond the kernel's. */
#include "idx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/grow.h"

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static size_t type_size(int type)
{
    switch (type) {
    case IDX_U8:
    case IDX_S8: return 1;
    case IDX_I16: return 2;
    case IDX_I32:
    case IDX_F32: return 4;
    case IDX_F64: return 8;
    default: return 0;
    }
}

const char *idx_type_name(int type)
{
    switch (type) {
    case IDX_U8: return "unsigned byte";
    case IDX_S8: return "signed byte";
    case IDX_I16: return "int16";
    case IDX_I32: return "int32";
    case IDX_F32: return "float32";
    case IDX_F64: return "float64";
    default: return "unknown";
    }
}

void idx_dims_str(const IdxHeader *h, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < h->ndim && used < size; i++) {
        int n = snprintf(buf + used, size - used, i ? "x%u" : "%u", h->dims[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int idx_read_all(const char *path, uint8_t **data, size_t *len, Err *e)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return err_set(e, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int errnum = errno;
        close(fd);
        return err_set(e, ERR_IO, "%s: cannot stat: %s", path, strerror(errnum));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return err_set(e, ERR_IO, "%s: is a directory, not an IDX file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        return err_set(e, ERR_FORMAT, "%s: empty file", path);
    }
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return err_set(e, ERR_NOMEM, "%s: cannot start reading", path);
    }
    (void)gzbuffer(gz, 1 << 17);

    /* A plain file's size is known; a gzip one grows geometrically. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 1 << 20;
    if (cap > IDX_MAX_BYTES)
        cap = IDX_MAX_BYTES;
    uint8_t *buf = malloc(cap);
    size_t n = 0;
    int rc = ERR_OK;
    if (!buf)
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
    while (rc == ERR_OK) {
        if (n == cap) {
            if (cap >= IDX_MAX_BYTES) {
                rc = err_set(e, ERR_FORMAT, "%s: more than %zu bytes of content: refusing", path,
                             IDX_MAX_BYTES);
                break;
            }
            size_t ncap = cap * 2 > IDX_MAX_BYTES ? IDX_MAX_BYTES : cap * 2;
            if ((rc = grow_bytes(&buf, &cap, ncap, path, e)) != ERR_OK)
                break;
        }
        size_t want = cap - n > (1u << 30) ? (1u << 30) : cap - n;
        int got = gzread(gz, buf + n, (unsigned)want);
        if (got < 0) {
            int zerr = 0;
            const char *msg = gzerror(gz, &zerr);
            if (zerr == Z_ERRNO)
                rc = err_set(e, ERR_IO, "%s: read failed: %s", path, strerror(errno));
            else
                rc = err_set(e, ERR_FORMAT, "%s: corrupt gzip data: %s", path, msg);
            break;
        }
        if (got == 0) {
            /* gzread reports a gzip stream cut short as a clean end of file
             * with Z_BUF_ERROR set; don't mistake it for success. */
            int zerr = 0;
            const char *msg = gzerror(gz, &zerr);
            if (zerr != Z_OK)
                rc = err_set(e, ERR_FORMAT, "%s: corrupt gzip data: %s", path, msg);
            break;
        }
        n += (size_t)got;
    }
    gzclose(gz);
    if (rc != ERR_OK) {
        free(buf);
        return rc;
    }
    if (n == 0) {
        free(buf);
        return err_set(e, ERR_FORMAT, "%s: empty file (after decompression)", path);
    }
    *data = buf;
    *len = n;
    return ERR_OK;
}

int idx_parse(const uint8_t *d, size_t len, const char *path, IdxHeader *h, Err *e)
{
    memset(h, 0, sizeof *h);
    if (len < 4)
        return err_set(e, ERR_FORMAT, "%s: truncated header: %zu bytes, an IDX header needs at least 4",
                       path, len);
    if (d[0] != 0 || d[1] != 0)
        return err_set(e, ERR_FORMAT,
                       "%s: not an IDX file: starts with 0x%02x 0x%02x, expected 0x00 0x00", path,
                       d[0], d[1]);
    h->type = d[2];
    size_t es = type_size(h->type);
    if (es == 0)
        return err_set(e, ERR_FORMAT, "%s: unknown IDX element type 0x%02x", path, d[2]);
    h->ndim = d[3];
    if (h->ndim < 1 || h->ndim > IDX_MAX_DIMS)
        return err_set(e, ERR_FORMAT, "%s: %d dimensions: expected 1 to %d", path, h->ndim,
                       IDX_MAX_DIMS);
    h->header_bytes = 4 + 4 * (size_t)h->ndim;
    if (len < h->header_bytes)
        return err_set(e, ERR_FORMAT,
                       "%s: truncated header: %d dimensions need %zu bytes, file holds %zu", path,
                       h->ndim, h->header_bytes, len);
    uint64_t count = 1;
    int overflow = 0;
    for (int i = 0; i < h->ndim; i++) {
        h->dims[i] = be32(d + 4 + 4 * i);
        if (h->dims[i] != 0 && count > UINT64_MAX / h->dims[i])
            overflow = 1;
        else
            count *= h->dims[i];
    }
    char dims[96];
    idx_dims_str(h, dims, sizeof dims);
    if (overflow || count > IDX_MAX_BYTES / es)
        return err_set(e, ERR_FORMAT, "%s: dimensions %s are too large (more than %zu bytes)", path,
                       dims, IDX_MAX_BYTES);
    h->count = count;
    h->data_bytes = (size_t)count * es;
    size_t body = len - h->header_bytes;
    if (body < h->data_bytes)
        return err_set(e, ERR_FORMAT, "%s: truncated: header says %s (%zu bytes), file holds %zu bytes of data",
                       path, dims, h->data_bytes, body);
    if (body > h->data_bytes)
        return err_set(e, ERR_FORMAT, "%s: %zu unexpected bytes after the %s data", path,
                       body - h->data_bytes, dims);
    return ERR_OK;
}

/* Read, parse and check that the file is unsigned bytes with ndim dims. */
static int load_u8(const char *path, int ndim, const char *what, uint8_t **data, IdxHeader *h,
                   Err *e)
{
    size_t len;
    int rc = idx_read_all(path, data, &len, e);
    if (rc == ERR_OK)
        rc = idx_parse(*data, len, path, h, e);
    if (rc == ERR_OK && h->type != IDX_U8)
        rc = err_set(e, ERR_FORMAT, "%s: element type %s (0x%02x): %s must be unsigned byte (0x08)",
                     path, idx_type_name(h->type), h->type, what);
    if (rc == ERR_OK && h->ndim != ndim)
        rc = err_set(e, ERR_FORMAT, "%s: %d dimensions: %s must have %d", path, h->ndim, what, ndim);
    if (rc == ERR_OK && h->dims[0] == 0)
        rc = err_set(e, ERR_FORMAT, "%s: holds no items", path);
    if (rc != ERR_OK) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

int idx_load_images(const char *path, IdxImages *out, Err *e)
{
    memset(out, 0, sizeof *out);
    uint8_t *data;
    IdxHeader h;
    int rc = load_u8(path, 3, "images", &data, &h, e);
    if (rc != ERR_OK)
        return rc;
    if (h.dims[1] == 0 || h.dims[2] == 0 || h.dims[1] > 4096 || h.dims[2] > 4096) {
        free(data);
        return err_set(e, ERR_FORMAT, "%s: image size %ux%u is not plausible", path, h.dims[1],
                       h.dims[2]);
    }
    float *px = malloc(h.count * sizeof(float));
    if (!px) {
        free(data);
        return err_set(e, ERR_NOMEM, "%s: out of memory for %llu pixels", path,
                       (unsigned long long)h.count);
    }
    const uint8_t *src = data + h.header_bytes;
    const float scale = 1.0f / 255.0f;
    for (size_t i = 0; i < h.count; i++)
        px[i] = (float)src[i] * scale;
    free(data);
    out->n = h.dims[0];
    out->rows = (int)h.dims[1];
    out->cols = (int)h.dims[2];
    out->pixels = px;
    return ERR_OK;
}

int idx_load_labels(const char *path, IdxLabels *out, Err *e)
{
    memset(out, 0, sizeof *out);
    IdxHeader h;
    /* The file's buffer becomes the labels: load_u8 leaves NULL on failure. */
    int rc = load_u8(path, 1, "labels", &out->labels, &h, e);
    if (rc != ERR_OK)
        return rc;
    /* Shift the labels to the front of the buffer we already own. */
    memmove(out->labels, out->labels + h.header_bytes, h.count);
    out->n = h.dims[0];
    return ERR_OK;
}

void idx_images_free(IdxImages *im)
{
    free(im->pixels);
    memset(im, 0, sizeof *im);
}

void idx_labels_free(IdxLabels *lb)
{
    free(lb->labels);
    memset(lb, 0, sizeof *lb);
}
