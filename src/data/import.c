/* import: see import.h. */
#include "import.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/afile.h"

#define MAX_BYTES ((size_t)256 << 20) /* MNIST's largest file is 47 MB */
#define MAX_DEPTH 4
#define MAX_ENTRIES 100000 /* archive entries and directory entries read per call */

typedef struct {
    const char *dest;
    ImportResult *r;
    ImportNote note;
    void *ctx;
    long entries; /* bound on the work one call does */
} Import;

static void notef(Import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notef(Import *im, const char *fmt, ...)
{
    if (!im->note)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    im->note(im->ctx, line);
}

static void sha256_hex(const uint8_t *buf, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, buf);
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* The known file whose published SHA-256 these bytes have: true and *d, *f set. */
static bool identify(const uint8_t *buf, size_t len, int *d, int *f)
{
    char hex[65];
    sha256_hex(buf, len, hex);
    int n;
    const DatasetInfo *known = dataset_known(&n);
    for (int i = 0; i < n && i < IMPORT_MAX_DATASETS; i++)
        for (int j = 0; j < DS_FILES; j++)
            if (strcmp(hex, known[i].sha256[j]) == 0) {
                *d = i;
                *f = j;
                return true;
            }
    return false;
}

static bool is_gzip(const uint8_t *buf, size_t len)
{
    return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

/* POSIX ustar and GNU tar both write "ustar" at offset 257 of each header. */
static bool is_tar(const uint8_t *buf, size_t len)
{
    return len >= 512 && memcmp(buf + 257, "ustar", 5) == 0;
}

/* Gunzip buf with zlib into a new buffer of at most MAX_BYTES. Returns NULL
 * (and sets *why) when it is not valid gzip or too large. */
static uint8_t *gunzip(const uint8_t *buf, size_t len, size_t *out_len, const char **why)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        *why = "zlib could not start";
        return NULL;
    }
    size_t cap = len * 4 + 4096, used = 0;
    uint8_t *out = NULL;
    int rc = Z_OK;
    zs.next_in = (Bytef *)buf;
    /* Each pass either grows the buffer (bounded by MAX_BYTES) or ends. */
    while (rc == Z_OK) {
        if (cap > MAX_BYTES)
            cap = MAX_BYTES;
        uint8_t *grown = realloc(out, cap);
        if (!grown) {
            *why = "out of memory";
            break;
        }
        out = grown;
        size_t in_left = len - (size_t)(zs.next_in - (const Bytef *)buf);
        zs.avail_in = in_left > UINT32_MAX ? UINT32_MAX : (uInt)in_left;
        zs.next_out = out + used;
        zs.avail_out = (uInt)(cap - used > UINT32_MAX ? UINT32_MAX : cap - used);
        rc = inflate(&zs, Z_NO_FLUSH);
        used = (size_t)(zs.next_out - out);
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_BUF_ERROR && zs.avail_out > 0) {
            *why = "truncated gzip data";
            break;
        }
        if (rc == Z_BUF_ERROR)
            rc = Z_OK; /* output full: grow */
        if (rc != Z_OK) {
            *why = "damaged gzip data";
            break;
        }
        if (used == MAX_BYTES) {
            *why = "gunzips to more than 256 MiB";
            break;
        }
        if (used == cap)
            cap *= 2;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    *out_len = used;
    return out;
}

/* Write the recognised bytes as file f of dataset d in dest, unless a file
 * with the right sum is already there. */
static int store(Import *im, const char *src, const uint8_t *buf, size_t len, int d, int f,
                 Err *e)
{
    int n;
    const DatasetInfo *info = &dataset_known(&n)[d];
    char path[4096 + 64];
    snprintf(path, sizeof path, "%s/%s", im->dest, info->files[f]);
    im->r->recognised++;
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return err_set(e, ERR_IO, "%s: exists and is not a regular file; not replacing it",
                           path);
        char hex[65];
        Err ignored = {0};
        if (dataset_sha256_file(path, hex, &ignored) == ERR_OK && !strcmp(hex, info->sha256[f])) {
            if (im->r->state[d][f] == IMPORT_ABSENT)
                im->r->state[d][f] = IMPORT_ALREADY;
            notef(im, "%s: %s %s, SHA-256 ok, already in %s", src, info->title, info->files[f],
                  im->dest);
            return ERR_OK;
        }
    }
    int rc = afile_save(path, buf, len, e);
    if (rc != ERR_OK)
        return rc;
    im->r->state[d][f] = IMPORT_WRITTEN;
    notef(im, "%s: %s %s, SHA-256 ok -> %s", src, info->title, info->files[f], path);
    return ERR_OK;
}

/* Recognise bytes as they are or gunzipped. Returns 1 when stored, 0 when
 * not recognised (*plain / *plain_len then hold the gunzipped bytes if any,
 * for the caller to try as a tar archive), or an error. */
static int try_bytes(Import *im, const char *src, const uint8_t *buf, size_t len, uint8_t **plain,
                     size_t *plain_len, const char **why, Err *e)
{
    int d, f;
    *plain = NULL;
    if (identify(buf, len, &d, &f))
        return store(im, src, buf, len, d, f, e) == ERR_OK ? 1 : -1;
    if (!is_gzip(buf, len))
        return 0;
    *plain = gunzip(buf, len, plain_len, why);
    if (*plain && identify(*plain, *plain_len, &d, &f))
        return store(im, src, *plain, *plain_len, d, f, e) == ERR_OK ? 1 : -1;
    return 0;
}

/* Every entry of a tar archive held in memory; gzipped entries are gunzipped. */
static int import_tar(Import *im, const char *src, const uint8_t *buf, size_t len, Err *e)
{
    struct archive *a = archive_read_new();
    if (!a)
        return err_set(e, ERR_NOMEM, "%s: out of memory", src);
    archive_read_support_format_tar(a);
    int rc = ERR_OK;
    if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
        notef(im, "%s: skipped: %s", src, archive_error_string(a));
        im->r->skipped++;
        archive_read_free(a);
        return ERR_OK;
    }
    struct archive_entry *ent;
    int ar;
    while (rc == ERR_OK && im->entries++ < MAX_ENTRIES &&
           (ar = archive_read_next_header(a, &ent)) != ARCHIVE_EOF) {
        if (ar != ARCHIVE_OK && ar != ARCHIVE_WARN) {
            notef(im, "%s: damaged archive: %s", src, archive_error_string(a));
            break;
        }
        if (archive_entry_filetype(ent) != AE_IFREG)
            continue;
        la_int64_t size = archive_entry_size(ent);
        if (size <= 0 || (uint64_t)size > MAX_BYTES) {
            im->r->skipped++;
            continue;
        }
        uint8_t *data = malloc((size_t)size);
        if (!data) {
            rc = err_set(e, ERR_NOMEM, "%s: out of memory", src);
            break;
        }
        /* archive_read_data may hand out less than asked for: read on. */
        la_ssize_t got = 0, part = 1;
        while (got < size && part > 0) {
            part = archive_read_data(a, data + got, (size_t)(size - got));
            got += part > 0 ? part : 0;
        }
        char name[4096];
        snprintf(name, sizeof name, "%s:%s", src, archive_entry_pathname(ent));
        if (got != (la_ssize_t)size) {
            notef(im, "%s: damaged archive entry: %s", name,
                  part < 0 ? archive_error_string(a) : "shorter than its header says");
            free(data);
            break;
        }
        uint8_t *plain;
        size_t plain_len;
        const char *why = NULL;
        int got_one = try_bytes(im, name, data, (size_t)size, &plain, &plain_len, &why, e);
        if (got_one < 0)
            rc = e->code ? e->code : ERR_IO;
        else if (got_one == 0)
            im->r->skipped++;
        free(plain);
        free(data);
    }
    archive_read_free(a);
    return rc;
}

/* Read a whole regular file of at most MAX_BYTES. */
static uint8_t *read_file(const char *path, size_t *len, const char **why)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *why = strerror(errno);
        return NULL;
    }
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))
        *why = "not a regular file";
    else if ((uint64_t)st.st_size > MAX_BYTES)
        *why = "larger than 256 MiB, so none of the dataset files";
    else if (!(buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)))
        *why = "out of memory";
    else if (fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
        *why = "read failed";
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *len = buf ? (size_t)st.st_size : 0;
    return buf;
}

/* One file; named says whether the user named it (then a skip is reported). */
static int import_file(Import *im, const char *path, bool named, Err *e)
{
    size_t len;
    const char *why = NULL;
    uint8_t *buf = read_file(path, &len, &why);
    if (!buf) {
        im->r->skipped++;
        if (named)
            notef(im, "%s: skipped: %s", path, why);
        return ERR_OK;
    }
    uint8_t *plain;
    size_t plain_len;
    int got = try_bytes(im, path, buf, len, &plain, &plain_len, &why, e);
    int rc = got < 0 ? (e->code ? e->code : ERR_IO) : ERR_OK;
    if (got == 0) {
        if (plain && is_tar(plain, plain_len))
            rc = import_tar(im, path, plain, plain_len, e);
        else if (!plain && is_tar(buf, len))
            rc = import_tar(im, path, buf, len, e);
        else {
            im->r->skipped++;
            if (named)
                notef(im, "%s: skipped: %s", path,
                      why ? why : "not a file of MNIST or Fashion-MNIST (no SHA-256 matches)");
        }
    }
    free(plain);
    free(buf);
    return rc;
}

static int import_dir(Import *im, const char *dir, int depth, Err *e)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0 && depth > 0) {
        notef(im, "%s: skipped: %s", dir, strerror(errno));
        return ERR_OK;
    }
    if (n < 0)
        return err_set(e, ERR_IO, "%s: cannot read: %s", dir, strerror(errno));
    int rc = ERR_OK;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char path[4096];
        size_t dl = strlen(dir);
        int len = snprintf(path, sizeof path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
                           name);
        struct stat st;
        if (rc == ERR_OK && name[0] != '.' && len > 0 && (size_t)len < sizeof path &&
            im->entries++ < MAX_ENTRIES && lstat(path, &st) == 0) {
            /* Symbolic links to directories are not followed: no loops. */
            if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
                rc = import_dir(im, path, depth + 1, e);
            else if (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(path, &st) == 0 &&
                                             S_ISREG(st.st_mode)))
                rc = import_file(im, path, false, e);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int data_import(const char *path, const char *dest, ImportResult *r, ImportNote note, void *ctx,
                Err *e)
{
    memset(r, 0, sizeof *r);
    Import im = {dest, r, note, ctx, 0};
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    int rc = afile_mkdirs(dest, e);
    if (rc != ERR_OK)
        return rc;
    if (S_ISDIR(st.st_mode))
        return import_dir(&im, path, 0, e);
    return import_file(&im, path, true, e);
}
