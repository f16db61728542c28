/* rfile: the one rule for opening an input file, so that no reader blocks
 * forever or reads a directory as an empty file.
 *  - The file is opened without blocking (a FIFO with no writer would
 *    otherwise wait forever in open()) and then examined:
 *  - a directory is refused as "is a directory";
 *  - a regular file is read as usual;
 *  - anything else (FIFO, device, socket) is refused as "not a regular file"
 *    unless the caller reads streams (a CSV from a pipe: RFILE_STREAM), in
 *    which case it is read blocking, as a pipe should be.
 * Thread rule: pure function; any thread. */
#ifndef ZSPACE_CORE_RFILE_H
#define ZSPACE_CORE_RFILE_H

#include <stdio.h>

#include "err.h"

enum { RFILE_REGULAR = 0, RFILE_STREAM = 1 };

/* fopen(path, "rb") by the rule above; NULL with *e filled on failure
 * ("<path>: cannot open: <why>"). */
FILE *rfile_open(const char *path, int mode, Err *e);

#endif
