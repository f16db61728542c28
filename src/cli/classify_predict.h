/* classify_predict: the work of `zspace classify predict` (cmd_classify.c
 * parses its options): the class of PNG images, or of every image in IDX
 * files. */
#ifndef ZSPACE_CLI_CLASSIFY_PREDICT_H
#define ZSPACE_CLI_CLASSIFY_PREDICT_H

#include <stdbool.h>

#include "classify/clf.h"

/* One line per image on stdout: FILE (or FILE#INDEX for IDX files), the
 * class, its probability. PNGs are white ink on black (invert: the other
 * way round). Returns an exit status; stops at the first file it cannot use. */
int classify_predict(Clf *m, char **paths, int n, bool invert);

#endif
