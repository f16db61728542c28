/* gif: see gif.h. Writing streams frames through giflib's EGif* record calls
 * into the AFile; reading uses the DGif* record calls rather than DGifSlurp,
 * so image sizes are checked against the decode budget before anything is
 * allocated for them. */
#include "gif.h"

#include "slurp.h"

#include <gif_lib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* giflib hands back an int error code; GifErrorString names it. */
static int gif_err(Err *e, int code, const char *path, const char *what, int gif_code)
{
    const char *s = GifErrorString(gif_code);
    return err_set(e, code, "%s: %s: %s", path, what, s ? s : "unknown giflib error");
}

/* ---- writing ---- */

static int write_out(GifFileType *gif, const GifByteType *buf, int n)
{
    FILE *f = gif->UserData;
    return (int)fwrite(buf, 1, (size_t)n, f);
}

static void writer_release(IoGifWriter *g)
{
    free(g->prev);
    free(g->row);
    g->prev = g->row = NULL;
}

void io_gif_abort(IoGifWriter *g)
{
    if (g->gif) {
        int code;
        EGifCloseFile(g->gif, &code); /* flushes into the temp file we delete next */
        g->gif = NULL;
    }
    afile_abort(&g->af);
    writer_release(g);
}

int io_gif_open(IoGifWriter *g, const char *path, int w, int h, const uint8_t *palette,
                int n_colors, int loop, Err *e)
{
    memset(g, 0, sizeof *g);
    if (w < 1 || h < 1 || w > IO_GIF_MAX_SIDE || h > IO_GIF_MAX_SIDE)
        return err_set(e, ERR_ARG, "%s: GIF size %dx%d out of range 1..%d", path, w, h,
                       IO_GIF_MAX_SIDE);
    if (n_colors < 2 || n_colors > 256)
        return err_set(e, ERR_ARG, "%s: %d palette colours; a GIF holds 2..256", path, n_colors);
    if (loop < IO_GIF_LOOP_NONE || loop > 65535)
        return err_set(e, ERR_ARG, "%s: loop count %d out of range", path, loop);
    g->w = w;
    g->h = h;
    g->n_colors = n_colors;
    g->prev = malloc((size_t)w * (size_t)h);
    g->row = malloc((size_t)w);
    if (!g->prev || !g->row) {
        writer_release(g);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    if (afile_open(&g->af, path, e) != ERR_OK) {
        writer_release(g);
        return e ? e->code : ERR_IO;
    }
    /* The colour table's size is a power of two; pad with black. */
    int size = 2;
    while (size < n_colors)
        size *= 2;
    GifColorType colors[256];
    memset(colors, 0, sizeof colors);
    for (int i = 0; i < n_colors; i++) {
        colors[i].Red = palette[3 * i];
        colors[i].Green = palette[3 * i + 1];
        colors[i].Blue = palette[3 * i + 2];
    }
    int code = 0;
    GifFileType *gif = EGifOpen(g->af.f, write_out, &code);
    if (!gif) {
        io_gif_abort(g);
        return gif_err(e, ERR_IO, path, "cannot start GIF", code);
    }
    g->gif = gif;
    ColorMapObject *map = GifMakeMapObject(size, colors);
    if (!map) {
        io_gif_abort(g);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    EGifSetGifVersion(gif, true); /* GIF89a: the extensions below need it */
    int ok = EGifPutScreenDesc(gif, w, h, size, 0, map) == GIF_OK;
    GifFreeMapObject(map);
    if (ok && loop != IO_GIF_LOOP_NONE) {
        /* Application extension "NETSCAPE2.0" with sub-block {1, count lo, hi}. */
        const GifByteType sub[3] = {1, (GifByteType)(loop & 0xff), (GifByteType)(loop >> 8)};
        ok = EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
             EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0") == GIF_OK &&
             EGifPutExtensionBlock(gif, 3, sub) == GIF_OK && EGifPutExtensionTrailer(gif) == GIF_OK;
    }
    if (!ok) {
        int gc = gif->Error;
        io_gif_abort(g);
        return gif_err(e, ERR_IO, path, "cannot write the GIF header", gc);
    }
    return ERR_OK;
}

int io_gif_frame(IoGifWriter *g, const uint8_t *indices, size_t stride, int delay_cs, Err *e)
{
    GifFileType *gif = g->gif;
    const char *path = g->af.path;
    if (!gif)
        return err_set(e, ERR_ARG, "%s: GIF writer is not open", path);
    if (delay_cs < 1 || delay_cs > 65535)
        return err_set(e, ERR_ARG, "%s: frame delay %d cs out of range 1..65535", path, delay_cs);
    int w = g->w, h = g->h;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (indices[(size_t)y * stride + (size_t)x] >= g->n_colors)
                return err_set(e, ERR_ARG, "%s: frame %d: pixel (%d, %d) has colour %d of %d", path,
                               g->frames, x, y, indices[(size_t)y * stride + (size_t)x],
                               g->n_colors);
    /* The rectangle that differs from the previous frame (the whole frame
     * first). An unchanged frame still needs an image to carry its delay:
     * one pixel, rewritten with the colour it already has. */
    int x0 = 0, y0 = 0, x1 = w - 1, y1 = h - 1;
    if (g->frames > 0) {
        x0 = w;
        y0 = h;
        x1 = y1 = -1;
        for (int y = 0; y < h; y++) {
            const uint8_t *a = indices + (size_t)y * stride, *b = g->prev + (size_t)y * w;
            for (int x = 0; x < w; x++)
                if (a[x] != b[x]) {
                    x0 = x < x0 ? x : x0;
                    x1 = x > x1 ? x : x1;
                    y0 = y < y0 ? y : y0;
                    y1 = y;
                }
        }
        if (x1 < 0)
            x0 = x1 = y0 = y1 = 0;
    }
    GraphicsControlBlock gcb = {
        .DisposalMode = DISPOSE_DO_NOT,
        .UserInputFlag = false,
        .DelayTime = delay_cs,
        .TransparentColor = NO_TRANSPARENT_COLOR,
    };
    GifByteType ext[4];
    size_t n_ext = EGifGCBToExtension(&gcb, ext);
    int ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, (int)n_ext, ext) == GIF_OK &&
             EGifPutImageDesc(gif, x0, y0, x1 - x0 + 1, y1 - y0 + 1, false, NULL) == GIF_OK;
    for (int y = y0; ok && y <= y1; y++) {
        memcpy(g->row, indices + (size_t)y * stride + (size_t)x0, (size_t)(x1 - x0 + 1));
        ok = EGifPutLine(gif, g->row, x1 - x0 + 1) == GIF_OK;
    }
    if (!ok)
        return gif_err(e, ERR_IO, path, "cannot write a frame", gif->Error);
    for (int y = 0; y < h; y++)
        memcpy(g->prev + (size_t)y * w, indices + (size_t)y * stride, (size_t)w);
    g->frames++;
    return ERR_OK;
}

int io_gif_commit(IoGifWriter *g, Err *e)
{
    if (!g->gif)
        return err_set(e, ERR_ARG, "%s: GIF writer is not open", g->af.path);
    if (g->frames == 0) {
        io_gif_abort(g);
        return err_set(e, ERR_ARG, "%s: a GIF needs at least one frame", g->af.path);
    }
    int code = 0;
    /* EGifCloseFile writes the trailer and fcloses nothing of ours: the
     * output function owns no file. It frees gif whatever happens. */
    int rc = EGifCloseFile(g->gif, &code);
    g->gif = NULL;
    writer_release(g);
    if (rc != GIF_OK) {
        Err tmp;
        gif_err(&tmp, ERR_IO, g->af.path, "cannot finish the GIF", code);
        afile_abort(&g->af);
        return err_set(e, tmp.code, "%s", tmp.msg);
    }
    return afile_commit(&g->af, e);
}

/* ---- reading ---- */

typedef struct {
    const uint8_t *data;
    size_t size, pos;
} MemIn;

static int read_in(GifFileType *gif, GifByteType *buf, int n)
{
    MemIn *m = gif->UserData;
    size_t left = m->size - m->pos, k = (size_t)n < left ? (size_t)n : left;
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return (int)k;
}

void io_gif_free(IoGif *g)
{
    free(g->rgba);
    free(g->delay_cs);
    memset(g, 0, sizeof *g);
}

/* Append the canvas as a new frame. */
static int push_frame(IoGif *g, const uint8_t *canvas, int delay, size_t frame_bytes, int *cap,
                      Err *e, const char *name)
{
    if ((size_t)(g->n_frames + 1) * frame_bytes > IO_GIF_MAX_DECODED)
        return err_set(e, ERR_FORMAT, "%s: more than %zu MiB of decoded frames", name,
                       IO_GIF_MAX_DECODED >> 20);
    if (g->n_frames == *cap) {
        /* Grow geometrically, but never past what the budget allows. */
        size_t budget = IO_GIF_MAX_DECODED / frame_bytes;
        int nc = *cap ? 2 * *cap : 8;
        if ((size_t)nc > budget)
            nc = (int)budget;
        uint8_t *nr = realloc(g->rgba, (size_t)nc * frame_bytes);
        if (nr)
            g->rgba = nr;
        int *nd = realloc(g->delay_cs, (size_t)nc * sizeof *nd);
        if (nd)
            g->delay_cs = nd;
        if (!nr || !nd)
            return err_set(e, ERR_NOMEM, "%s: out of memory", name);
        *cap = nc;
    }
    memcpy(g->rgba + (size_t)g->n_frames * frame_bytes, canvas, frame_bytes);
    g->delay_cs[g->n_frames++] = delay;
    return ERR_OK;
}

/* Read one image's pixels (de-interlacing) into raster (w * h). */
static int read_raster(GifFileType *gif, GifByteType *raster, int w, int h, bool interlaced)
{
    static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
    if (!interlaced) {
        for (int y = 0; y < h; y++)
            if (DGifGetLine(gif, raster + (size_t)y * w, w) != GIF_OK)
                return GIF_ERROR;
        return GIF_OK;
    }
    for (int pass = 0; pass < 4; pass++)
        for (int y = start[pass]; y < h; y += step[pass])
            if (DGifGetLine(gif, raster + (size_t)y * w, w) != GIF_OK)
                return GIF_ERROR;
    return GIF_OK;
}

/* Draw raster (an image at left, top of size w x h) onto the canvas,
 * clipped to the screen, skipping the transparent index. */
static void composite(uint8_t *canvas, int sw, int sh, const GifByteType *raster, int left, int top,
                      int w, int h, const ColorMapObject *map, int transparent)
{
    for (int y = 0; y < h; y++) {
        int cy = top + y;
        if (cy >= sh)
            break;
        for (int x = 0; x < w; x++) {
            int cx = left + x;
            if (cx >= sw)
                break;
            int idx = raster[(size_t)y * w + x];
            if (idx == transparent)
                continue;
            uint8_t *p = canvas + ((size_t)cy * sw + cx) * 4;
            if (idx < map->ColorCount) {
                p[0] = map->Colors[idx].Red;
                p[1] = map->Colors[idx].Green;
                p[2] = map->Colors[idx].Blue;
            } else { /* out of the table: what most decoders show */
                p[0] = p[1] = p[2] = 0;
            }
            p[3] = 255;
        }
    }
}

/* The record loop. Cleanup of gif, raster and canvases is the caller's. */
typedef struct {
    uint8_t *canvas, *saved; /* (h, w, 4) current screen; copy for DISPOSE_PREVIOUS (lazily) */
    GifByteType *raster;
} ReadBufs;

static int read_records(GifFileType *gif, IoGif *g, ReadBufs *b, const char *name, Err *e)
{
    size_t frame_bytes = (size_t)g->w * (size_t)g->h * 4;
    int cap = 0;
    GraphicsControlBlock gcb = {DISPOSAL_UNSPECIFIED, false, 0, NO_TRANSPARENT_COLOR};
    for (;;) {
        GifRecordType type;
        if (DGifGetRecordType(gif, &type) != GIF_OK)
            return gif_err(e, ERR_FORMAT, name, "bad record", gif->Error);
        if (type == TERMINATE_RECORD_TYPE)
            return ERR_OK;
        if (type == EXTENSION_RECORD_TYPE) {
            int code;
            GifByteType *ext;
            if (DGifGetExtension(gif, &code, &ext) != GIF_OK)
                return gif_err(e, ERR_FORMAT, name, "bad extension", gif->Error);
            int netscape = 0;
            if (ext && code == GRAPHICS_EXT_FUNC_CODE && ext[0] == 4)
                DGifExtensionToGCB(4, ext + 1, &gcb);
            else if (ext && code == APPLICATION_EXT_FUNC_CODE && ext[0] == 11)
                netscape =
                    !memcmp(ext + 1, "NETSCAPE2.0", 11) || !memcmp(ext + 1, "ANIMEXTS1.0", 11);
            while (ext) {
                if (DGifGetExtensionNext(gif, &ext) != GIF_OK)
                    return gif_err(e, ERR_FORMAT, name, "bad extension block", gif->Error);
                if (ext && netscape && ext[0] >= 3 && ext[1] == 1)
                    g->loop = ext[2] | ext[3] << 8;
            }
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE)
            continue; /* UNDEFINED / SCREEN_DESC records carry nothing we use */
        if (DGifGetImageDesc(gif) != GIF_OK)
            return gif_err(e, ERR_FORMAT, name, "bad image descriptor", gif->Error);
        GifImageDesc *d = &gif->Image;
        int w = d->Width, h = d->Height;
        if (w < 1 || h < 1 || (size_t)w * (size_t)h > IO_GIF_MAX_DECODED / 4)
            return err_set(e, ERR_FORMAT, "%s: frame %d has size %dx%d", name, g->n_frames, w, h);
        const ColorMapObject *map = d->ColorMap ? d->ColorMap : gif->SColorMap;
        if (!map)
            return err_set(e, ERR_FORMAT, "%s: frame %d has no colour table", name, g->n_frames);
        GifByteType *r = realloc(b->raster, (size_t)w * (size_t)h);
        if (!r)
            return err_set(e, ERR_NOMEM, "%s: out of memory", name);
        b->raster = r;
        if (read_raster(gif, r, w, h, d->Interlace) != GIF_OK)
            return gif_err(e, ERR_FORMAT, name, "bad image data", gif->Error);
        if (gcb.DisposalMode == DISPOSE_PREVIOUS) {
            if (!b->saved && !(b->saved = malloc(frame_bytes)))
                return err_set(e, ERR_NOMEM, "%s: out of memory", name);
            memcpy(b->saved, b->canvas, frame_bytes);
        }
        composite(b->canvas, g->w, g->h, r, d->Left, d->Top, w, h, map, gcb.TransparentColor);
        if (push_frame(g, b->canvas, gcb.DelayTime, frame_bytes, &cap, e, name) != ERR_OK)
            return e ? e->code : ERR_FORMAT;
        if (gcb.DisposalMode == DISPOSE_BACKGROUND) { /* browsers clear to transparent */
            for (int y = d->Top; y < d->Top + h && y < g->h; y++)
                for (int x = d->Left; x < d->Left + w && x < g->w; x++)
                    memset(b->canvas + ((size_t)y * g->w + x) * 4, 0, 4);
        } else if (gcb.DisposalMode == DISPOSE_PREVIOUS) {
            memcpy(b->canvas, b->saved, frame_bytes);
        }
        gcb = (GraphicsControlBlock){DISPOSAL_UNSPECIFIED, false, 0, NO_TRANSPARENT_COLOR};
    }
}

/* Decode a buffer; name goes into error messages. */
static int read_buffer(const uint8_t *data, size_t size, const char *name, IoGif *g, Err *e)
{
    memset(g, 0, sizeof *g);
    MemIn in = {data, size, 0};
    int code = 0;
    GifFileType *gif = DGifOpen(&in, read_in, &code);
    if (!gif)
        return gif_err(e, ERR_FORMAT, name, "not a GIF", code);
    g->w = gif->SWidth;
    g->h = gif->SHeight;
    g->loop = IO_GIF_LOOP_NONE;
    g->n_colors = gif->SColorMap ? gif->SColorMap->ColorCount : 0;
    ReadBufs b = {0};
    size_t frame_bytes = (size_t)g->w * (size_t)g->h * 4;
    int rc;
    if (g->w < 1 || g->h < 1 || frame_bytes > IO_GIF_MAX_DECODED) {
        rc = err_set(e, ERR_FORMAT, "%s: screen size %dx%d out of range", name, g->w, g->h);
    } else if (!(b.canvas = calloc(1, frame_bytes))) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
    } else {
        rc = read_records(gif, g, &b, name, e);
        if (rc == ERR_OK && g->n_frames == 0)
            rc = err_set(e, ERR_FORMAT, "%s: no images", name);
    }
    DGifCloseFile(gif, &code);
    free(b.canvas);
    free(b.saved);
    free(b.raster);
    if (rc != ERR_OK)
        io_gif_free(g);
    return rc;
}

int io_gif_read_mem(const uint8_t *data, size_t size, IoGif *g, Err *e)
{
    return read_buffer(data, size, "GIF data", g, e);
}

int io_gif_read(const char *path, IoGif *g, Err *e)
{
    memset(g, 0, sizeof *g);
    uint8_t *buf;
    size_t n;
    if (io_slurp(path, IO_GIF_MAX_DECODED, &buf, &n, e) != ERR_OK)
        return e ? e->code : ERR_IO;
    int rc = read_buffer(buf, n, path, g, e);
    free(buf);
    return rc;
}
