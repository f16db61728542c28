/* png: see png.h. libpng reports errors by longjmp; each function keeps its
 * cleanup state in volatile-free heap/stack objects touched only before the
 * setjmp or through the png structs, so the error path frees everything. */
#include "png.h"

#include <errno.h>
/* Spelled with its directory: this folder's own png.h would shadow <png.h>. */
#include <libpng/png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "core/afile.h"
#include "core/rfile.h"

/* libpng's default error handler prints to stderr; route the text into an
 * Err instead (library code never prints). */
typedef struct {
    Err *e;
    const char *path;
} PngCtx;

static void on_error(png_structp png, png_const_charp msg)
{
    PngCtx *c = png_get_error_ptr(png);
    err_set(c->e, ERR_FORMAT, "%s: %s", c->path, msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int io_png_write(const char *path, const uint8_t *pixels, int w, int h, int channels,
                 size_t stride, Err *e)
{
    static const int types[5] = {0, PNG_COLOR_TYPE_GRAY, 0, PNG_COLOR_TYPE_RGB,
                                 PNG_COLOR_TYPE_RGBA};
    if (w <= 0 || h <= 0 || channels < 1 || channels > 4 || channels == 2)
        return err_set(e, ERR_ARG, "%s: bad image shape %dx%d with %d channels", path, w, h,
                       channels);
    AFile af;
    if (afile_open(&af, path, e) != ERR_OK)
        return e ? e->code : ERR_IO;
    PngCtx ctx = {e, path};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        afile_abort(&af);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        afile_abort(&af);
        return e ? e->code : ERR_FORMAT;
    }
    png_init_io(png, af.f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return afile_commit(&af, e);
}

/* libpng's own reader reports any short read as "Read Error"; say which. */
static void read_data(png_structp png, png_bytep out, size_t n)
{
    FILE *f = png_get_io_ptr(png);
    if (fread(out, 1, n, f) != n)
        png_error(png, ferror(f) ? "read error" : "the file is truncated");
}

int io_png_read_rgba_max(const char *path, int max_w, int max_h, uint8_t **rgba, int *w, int *h,
                         Err *e)
{
    *rgba = NULL;
    FILE *f = rfile_open(path, RFILE_REGULAR, e);
    if (!f)
        return e ? e->code : ERR_IO;
    PngCtx ctx = {e, path};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    /* Written only before setjmp can return twice, or read after it via the
     * heap pointers, so no volatile is needed. */
    uint8_t **buf = calloc(1, sizeof *buf);
    png_bytep **rows = calloc(1, sizeof *rows);
    if (!info || !buf || !rows) {
        png_destroy_read_struct(&png, NULL, NULL);
        free(buf);
        free(rows);
        fclose(f);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(*buf);
        free(buf);
        free(*rows);
        free(rows);
        fclose(f);
        return e ? e->code : ERR_FORMAT;
    }
    png_set_read_fn(png, f, read_data);
    png_read_info(png, info);
    /* The size from the header, before a single pixel is decoded. */
    png_uint_32 pw = png_get_image_width(png, info), ph = png_get_image_height(png, info);
    if (pw == 0 || ph == 0 || pw > (png_uint_32)max_w || ph > (png_uint_32)max_h) {
        char msg[96];
        snprintf(msg, sizeof msg, "%lux%lu pixels, more than the %dx%d expected",
                 (unsigned long)pw, (unsigned long)ph, max_w, max_h);
        png_error(png, msg);
    }
    /* Normalise every colour type and depth to 8-bit RGBA; Adam7-interlaced
     * images are de-interlaced by libpng over its passes. */
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    *buf = malloc((size_t)pw * ph * 4);
    *rows = malloc((size_t)ph * sizeof **rows);
    if (!*buf || !*rows)
        png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < ph; y++)
        (*rows)[y] = *buf + (size_t)y * pw * 4;
    png_read_image(png, *rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    *rgba = *buf;
    free(*rows);
    free(rows);
    free(buf);
    *w = (int)pw;
    *h = (int)ph;
    return ERR_OK;
}

int io_png_read_rgba(const char *path, uint8_t **rgba, int *w, int *h, Err *e)
{
    return io_png_read_rgba_max(path, IO_PNG_MAX_SIDE, IO_PNG_MAX_SIDE, rgba, w, h, e);
}
