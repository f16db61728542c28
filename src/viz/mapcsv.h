/* mapcsv: read a 2-D map as CSV, the format `zspace project` writes, by the
 * rules of io/pointcsv.h (the reader `project --input` uses): a header
 * naming columns x and y (and optionally label; other columns must be
 * numbers too), or a headerless file of exactly two columns. Labels become class ids for
 * colouring: when every label is a whole number 0..9 the number is the id
 * (so digits keep the explorer's colours); otherwise the first
 * VIZ_MAX_CLASSES distinct labels in order of appearance get ids 0, 1, ...
 * and the rest (and empty labels) are "other" (-1).
 * Thread rule: pure functions on caller-owned data, any thread. */
#ifndef ZSPACE_VIZ_MAPCSV_H
#define ZSPACE_VIZ_MAPCSV_H

#include <stddef.h>

#include "core/err.h"
#include "viz/plot.h"

typedef struct {
    size_t n;                        /* N points */
    float *xy;                       /* (N, 2) */
    int *cls;                        /* (N) class id or -1 */
    int n_classes;                   /* 0..VIZ_MAX_CLASSES */
    char names[VIZ_MAX_CLASSES][64]; /* label text of each class id */
    size_t counts[VIZ_MAX_CLASSES];  /* points per class id */
    size_t n_other;                  /* points with id -1 */
} VizMap;

/* Parse len bytes of CSV text; name (a file name) goes into messages,
 * which also name the line and column. Non-numeric or non-finite x or y is
 * an error. On failure *m is zeroed. */
int viz_map_parse(const char *text, size_t len, const char *name, VizMap *m, Err *e);
/* Read a file ("-": standard input) and parse it. */
int viz_map_read(const char *path, VizMap *m, Err *e);
void viz_map_free(VizMap *m);
/* Names as an array of pointers for VizScatterOpts.class_names. */
void viz_map_names(const VizMap *m, const char *names[VIZ_MAX_CLASSES]);

#endif
