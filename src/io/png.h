/* png: write and read 8-bit PNG images with libpng. Screenshots and decoded
 * digit grids are written atomically (core/afile.h), so a viewer never sees a
 * half-written file. The prefix is io_png_ because libpng owns png_*.
 * Thread rule: pure functions on caller-owned buffers, any thread. */
#ifndef ZSPACE_IO_PNG_H
#define ZSPACE_IO_PNG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Write w*h pixels of `channels` bytes each (1 gray, 3 RGB, 4 RGBA); rows are
 * `stride` bytes apart, top row first. */
int io_png_write(const char *path, const uint8_t *pixels, int w, int h, int channels,
                 size_t stride, Err *e);

/* Read any PNG (any colour type and depth, interlaced or not) as 8-bit
 * RGBA, top row first. *rgba is malloc'd (w*h*4 bytes) and owned by the
 * caller; on failure it is NULL. An image wider than max_w or taller than
 * max_h is refused from its header, before anything is decoded. */
int io_png_read_rgba_max(const char *path, int max_w, int max_h, uint8_t **rgba, int *w, int *h,
                         Err *e);
/* The same with IO_PNG_MAX_SIDE on both sides. */
enum { IO_PNG_MAX_SIDE = 8192 };
int io_png_read_rgba(const char *path, uint8_t **rgba, int *w, int *h, Err *e);

#endif
