/* afile: atomic file replacement. Write into a temporary file in the target's
 * directory, then fsync and rename it over the target, so readers (and a crash
 * or kill -9 at any moment) see either the old file or the complete new one,
 * never a partial write. Thread rule: an AFile is used by one thread. */
#ifndef ZSPACE_CORE_AFILE_H
#define ZSPACE_CORE_AFILE_H

#include <stdio.h>

#include "err.h"

typedef struct {
    FILE *f;        /* write through this between afile_open and commit/abort */
    char path[4096];
    char tmp[4096];
} AFile;

/* Create "<dir>/.<name>.XXXXXX" beside path. On failure nothing is created. */
int afile_open(AFile *a, const char *path, Err *e);
/* Flush, fsync, close and rename over the target; fsync the directory. On any
 * failure the temporary file is removed and the target is left untouched. */
int afile_commit(AFile *a, Err *e);
/* Close and delete the temporary file; the target is left untouched. */
void afile_abort(AFile *a);
/* Write n bytes, turning a short write (e.g. disk full) into an Err. */
int afile_write(AFile *a, const void *buf, size_t n, Err *e);
/* The whole dance for a file that is one buffer: open, write, commit (abort
 * on any failure). */
int afile_save(const char *path, const void *buf, size_t n, Err *e);

/* mkdir -p: create dir and its missing parents (0755); an existing path
 * that is not a directory is an error. */
int afile_mkdirs(const char *dir, Err *e);
/* mkdir -p of the directory that will hold file (nothing for a bare name). */
int afile_mkparent(const char *file, Err *e);

#endif
