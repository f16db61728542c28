/* pathcomp: shell-style completion of a path typed into a text field.
 *
 * The text up to its last '/' names a directory (empty: the current one;
 * a leading "~" or "~/" is $HOME); the rest is a prefix. The entries of
 * that directory starting with the prefix are the candidates, sorted;
 * directories carry a trailing '/'; dot files are candidates only when the
 * prefix starts with '.'. Completion extends the text to the candidates'
 * longest common prefix, and one candidate completes whole (a directory
 * with its '/', ready for the next Tab). The text keeps the user's "~".
 * No SDL, no globals: tested headless. Thread rule: any thread; a PathComp
 * belongs to its caller. */
#ifndef ZSPACE_FILES_PATHCOMP_H
#define ZSPACE_FILES_PATHCOMP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PATHCOMP_MAX 64 /* candidates kept (all are counted) */

typedef struct {
    char text[4096];                   /* the completed text */
    int n;                             /* matching entries in all */
    int kept;                          /* of which names[0..kept) */
    char names[PATHCOMP_MAX][256];     /* entry names, dirs with '/' */
} PathComp;

/* Where a typed path really starts: after the last "//" or "/~/" (a path
 * typed over a prefilled directory: "/work/main//root/x" means "/root/x",
 * "/work/main/~/x" means "~/x"), else at in itself. Used by both below. */
const char *path_restart(const char *in);
/* Expand a leading "~" / "~/" to $HOME into out. ERR_ARG when it does not
 * fit or HOME is unset for a "~" path. */
int path_expand(const char *in, char *out, size_t size, Err *e);
/* Complete `text`. ERR_IO (naming the directory) when it cannot be read;
 * no match is not an error (n = 0, text unchanged). */
int pathcomp_complete(const char *text, PathComp *pc, Err *e);
/* The text with candidate i in place of the part after the last '/'. */
int pathcomp_pick(const PathComp *pc, const char *text, int i, char *out, size_t size);

#endif
