/* grow: enlarging a byte buffer that a reader fills, for the readers that do
 * not know the length up front (gzip'd IDX files, standard input). Thread
 * rule: any thread, on its own buffer. */
#ifndef ZSPACE_CORE_GROW_H
#define ZSPACE_CORE_GROW_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Reallocate *buf to ncap bytes and set *cap = ncap. Out of memory:
 * ERR_NOMEM ("<name>: out of memory"), *buf and *cap left as they were (the
 * caller still owns and frees *buf). */
int grow_bytes(uint8_t **buf, size_t *cap, size_t ncap, const char *name, Err *e);

#endif
