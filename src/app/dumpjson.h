/* dumpjson: pieces every panel's part of the dump-state JSON is made of
 * (docs/dump-state.md), so a rect or a digest reads the same everywhere. */
#ifndef ZSPACE_APP_DUMPJSON_H
#define ZSPACE_APP_DUMPJSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "ui/cmd.h"

/* [x, y, w, h] */
cJSON *dump_rect(UiRect r);
/* A SHA-1 digest as 40 lowercase hex digits. */
void dump_sha1_hex(const uint8_t dig[20], char hex[41]);

#endif
