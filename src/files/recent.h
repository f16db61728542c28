/* recent: the list of recently opened / saved model files, most recent
 * first, at most RECENT_MAX, kept one absolute path a line in
 * $XDG_CONFIG_HOME/zspace/recent (default ~/.config/zspace/recent) and
 * rewritten atomically (core/afile.h), so a crash never leaves half a list.
 * Paths holding a newline are not remembered (they cannot be one line).
 * No SDL: tested headless. Thread rule: a Recent belongs to its caller. */
#ifndef ZSPACE_FILES_RECENT_H
#define ZSPACE_FILES_RECENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define RECENT_MAX 10

typedef struct {
    char path[RECENT_MAX][4096];
    int n;
} Recent;

/* Where the list lives. ERR_ARG when neither XDG_CONFIG_HOME nor HOME is set. */
int recent_file(char *buf, size_t size, Err *e);
/* Read the list; a missing file is an empty list (ERR_OK). Blank lines and
 * lines beyond RECENT_MAX are skipped. */
int recent_load(Recent *r, const char *file, Err *e);
/* Write the list atomically, creating the directory when needed. */
int recent_save(const Recent *r, const char *file, Err *e);
/* Put path first (made absolute; an older entry of it goes), dropping the
 * oldest beyond RECENT_MAX. Returns false when the path cannot be stored. */
bool recent_add(Recent *r, const char *path);
/* Copy into out only the entries that are existing regular files. */
void recent_existing(const Recent *r, Recent *out);

#endif
