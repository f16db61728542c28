/* gif: animated GIFs with giflib. The writer takes indexed frames over one
 * global palette, adds the NETSCAPE2.0 looping extension and a per-frame
 * delay (graphics control extension), and writes atomically (core/afile.h):
 * nothing appears at the path until io_gif_commit succeeds. Each frame after
 * the first stores only the rectangle that changed (disposal "do not
 * dispose"), which for a morphing digit on a plain background is most of
 * the saving. The reader decodes any GIF (interlaced, local palettes,
 * transparency, the three disposal methods) into full RGBA frames, as a
 * browser would show them: the tests read every export back through it.
 * The prefix is io_gif_ because giflib owns Gif*. Thread rule: a writer or an
 * IoGif belongs to one thread; different ones may be used concurrently. */
#ifndef ZSPACE_IO_GIF_H
#define ZSPACE_IO_GIF_H

#include <stddef.h>
#include <stdint.h>

#include "core/afile.h"
#include "core/err.h"

enum {
    IO_GIF_MAX_SIDE = 8192,  /* writer: width and height limit */
    IO_GIF_LOOP_NONE = -1,   /* no NETSCAPE extension: viewers play once */
    IO_GIF_LOOP_FOREVER = 0, /* the extension's loop count 0 */
};
/* Reader: decoded frames may total at most this many bytes of RGBA. */
#define IO_GIF_MAX_DECODED ((size_t)256 << 20)

typedef struct {
    AFile af;
    void *gif; /* GifFileType * */
    int w, h;
    int n_colors;  /* palette entries in use; indices must be below this */
    int frames;    /* frames written so far */
    uint8_t *prev; /* (h, w) the previous frame, to find the changed rectangle */
    uint8_t *row;  /* (w) scratch: giflib masks each line in place */
} IoGifWriter;

/* Start a GIF of w x h pixels at path with the global palette (n_colors, 3)
 * RGB (2..256 entries) and loop: IO_GIF_LOOP_NONE, IO_GIF_LOOP_FOREVER, or a
 * repeat count 1..65535. On failure nothing is left behind and *g needs no
 * abort. */
int io_gif_open(IoGifWriter *g, const char *path, int w, int h, const uint8_t *palette,
                int n_colors, int loop, Err *e);
/* Append one frame: indices (h rows of w palette indices, rows stride bytes
 * apart), shown for delay_cs hundredths of a second (1..65535; viewers treat
 * values below 2 as 10). On failure the writer must still be aborted. */
int io_gif_frame(IoGifWriter *g, const uint8_t *indices, size_t stride, int delay_cs, Err *e);
/* Finish the file and rename it over path. At least one frame is required.
 * Releases everything, success or not. */
int io_gif_commit(IoGifWriter *g, Err *e);
/* Drop the temporary file and release everything; path is untouched. */
void io_gif_abort(IoGifWriter *g);

typedef struct {
    int w, h; /* logical screen size */
    int n_frames;
    uint8_t *rgba; /* (n_frames, h, w, 4) composited frames, top row first */
    int *delay_cs; /* (n_frames) */
    int loop;      /* IO_GIF_LOOP_NONE, or the NETSCAPE loop count (0 = forever) */
    int n_colors;  /* entries in the global colour table, 0 if there is none */
} IoGif;

/* Decode a whole GIF file or buffer. Pixels never drawn stay transparent
 * (0, 0, 0, 0). On failure *g is zeroed. Files whose frames would exceed
 * IO_GIF_MAX_DECODED bytes are refused (ERR_FORMAT). */
int io_gif_read(const char *path, IoGif *g, Err *e);
int io_gif_read_mem(const uint8_t *data, size_t size, IoGif *g, Err *e);
void io_gif_free(IoGif *g);

#endif
