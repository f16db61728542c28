/* afile: the one rule for opening an output file, used by every writer.
 *  - A regular file (or a new name) is replaced atomically: write into a
 *    temporary file in the target's directory, then fsync and rename it over
 *    the target, so readers (and a crash or kill -9 at any moment) see either
 *    the old file or the complete new one, never a partial write. The
 *    replaced file keeps its permissions.
 *  - A symbolic link is followed to its target (through chains, and to a
 *    missing target), and that target is replaced atomically: the link stays.
 *  - A character device (/dev/null, a terminal) or FIFO is written through,
 *    never replaced; a FIFO nobody reads is an error, not a wait.
 *  - Anything else (directory, socket, block device) is refused.
 * Thread rule: an AFile is used by one thread; any threads may hold AFiles. */
#ifndef ZSPACE_CORE_AFILE_H
#define ZSPACE_CORE_AFILE_H

#include <stdio.h>

#include "err.h"

typedef struct {
    FILE *f;        /* write through this between afile_open and commit/abort */
    char path[4096];   /* as given (for messages) */
    char target[4096]; /* path with symbolic links followed */
    char tmp[4096];
    int direct;        /* written through (device, FIFO): no temp, no rename */
    int slot;          /* registration for afile_unlink_temps, or -1 */
} AFile;

/* Whether afile_open(path) can be expected to succeed, by the rule above,
 * without creating anything: for checking an output option before the work. */
int afile_check(const char *path, Err *e);
/* Open path for writing by the rule above; for a regular file create
 * "<dir>/.<name>.XXXXXX" beside its target. On failure nothing is created. */
int afile_open(AFile *a, const char *path, Err *e);
/* Flush, fsync, close and rename over the target; fsync the directory. On any
 * failure the temporary file is removed and the target is left untouched. */
int afile_commit(AFile *a, Err *e);
/* Close and delete the temporary file; the target is left untouched. */
void afile_abort(AFile *a);
/* Write n bytes, turning a short write (e.g. disk full) into an Err. */
int afile_write(AFile *a, const void *buf, size_t n, Err *e);
/* Delete every temporary file an AFile is writing right now. Only calls
 * unlink(): safe in a signal handler, for a process about to die from the
 * signal (a second Ctrl-C during a save). */
void afile_unlink_temps(void);
/* For a signal handler that ends the process: afile_unlink_temps, then die
 * of sig by its default action (so the exit status says which signal). */
void afile_die_of_signal(int sig);
/* The whole dance for a file that is one buffer: open, write, commit (abort
 * on any failure). */
int afile_save(const char *path, const void *buf, size_t n, Err *e);

/* mkdir -p: create dir and its missing parents (0755); an existing path
 * that is not a directory is an error. */
int afile_mkdirs(const char *dir, Err *e);
/* mkdir -p of the directory that will hold file (nothing for a bare name). */
int afile_mkparent(const char *file, Err *e);

#endif
