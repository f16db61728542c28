/* pointcsv: the one reader of points as CSV, for `project --input` and
 * `scatter --input` (and the maps `project` writes). One set of rules:
 *  - a UTF-8 byte-order mark at the start (spreadsheets' "CSV UTF-8") is
 *    skipped; lines end at '\n', a '\r' before it is dropped; a NUL byte is
 *    an error; blank lines are skipped;
 *  - fields are separated by ',', surrounding blanks trimmed, a pair of
 *    double quotes around a whole field removed (no quoting beyond that);
 *  - the first line is a header when any of its fields is not a number;
 *    a numeric first line is the first point, never taken as a header;
 *  - with a header, a column named "label" (any case) holds each point's
 *    label, verbatim text; every other column, and every column without a
 *    header, must be a finite number within float range on every line;
 *  - every line has as many fields as the first.
 * Errors name the file, the line and the column.
 * Thread rule: pure functions on caller-owned data, any thread. */
#ifndef ZSPACE_IO_POINTCSV_H
#define ZSPACE_IO_POINTCSV_H

#include <stddef.h>

#include "core/err.h"

typedef struct {
    size_t n;       /* N points (lines of data) */
    int d;          /* D numeric columns: every column but the label */
    float *x;       /* (N, D) */
    char **labels;  /* (N) label texts, or NULL without a label column */
    char **names;   /* (D) header names of the numeric columns, or NULL */
    char *arena;    /* storage of the label and name texts */
} IoPoints;

/* Parse len bytes; name (a file name) goes into messages. At most max_n
 * points are kept (0: all). On failure *p is zeroed. */
int io_points_parse(const char *text, size_t len, const char *name, size_t max_n, IoPoints *p,
                    Err *e);
/* Read a file ("-": standard input; pipes are fine) and parse it. */
int io_points_read(const char *path, size_t max_n, IoPoints *p, Err *e);
/* Index of the numeric column named `name` (exact), -1 when there is none
 * (or no header), -2 when two columns have that name. */
int io_points_column(const IoPoints *p, const char *name);
void io_points_free(IoPoints *p);

#endif
