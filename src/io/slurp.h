/* slurp: read a whole file (or standard input) into memory, for parsers
 * that work on a buffer (GIF reading, map CSVs). Thread rule: any thread;
 * reading "-" consumes the process's standard input. */
#ifndef ZSPACE_IO_SLURP_H
#define ZSPACE_IO_SLURP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Read all of path ("-": standard input) into *data (malloc'd, owned by
 * the caller, with one extra NUL byte after the end) and its length into
 * *len. More than max bytes is ERR_FORMAT ("too large"). On failure *data is
 * NULL. */
int io_slurp(const char *path, size_t max, uint8_t **data, size_t *len, Err *e);

#endif
