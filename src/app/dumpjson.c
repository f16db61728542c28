/* dumpjson: see dumpjson.h. */
#include <stdio.h>

#include "dumpjson.h"

cJSON *dump_rect(UiRect r)
{
    return cJSON_CreateIntArray((const int[]){r.x, r.y, r.w, r.h}, 4);
}

void dump_sha1_hex(const uint8_t dig[20], char hex[41])
{
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", dig[i]);
}
