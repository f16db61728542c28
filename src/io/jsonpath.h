/* jsonpath: read one value out of a parsed JSON document by a dotted path
 * ("view.scale", "training.buttons.tr/continue"). Used wherever a dump-state
 * document is read back: the explorer's own `wait-until` script step, the
 * explorer driver (drive.h) and the GUI tests. Thread rule: any thread; the
 * document is only read. */
#ifndef ZSPACE_IO_JSONPATH_H
#define ZSPACE_IO_JSONPATH_H

#include <cjson/cJSON.h>

/* The item at the dotted path; NULL when any step is missing or a key is
 * longer than 255 bytes. An empty path is the root itself. */
const cJSON *jsonpath_get(const cJSON *root, const char *dotted);
/* The number (a boolean as 0/1, an array as its length) at the dotted path;
 * NaN when absent or of another type. */
double jsonpath_num(const cJSON *root, const char *dotted);

#endif
