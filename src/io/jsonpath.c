/* jsonpath: see jsonpath.h. */
#include "jsonpath.h"

#include <math.h>
#include <string.h>

const cJSON *jsonpath_get(const cJSON *root, const char *dotted)
{
    char key[256];
    const char *p = dotted;
    const cJSON *j = root;
    while (j && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len >= sizeof key)
            return NULL;
        memcpy(key, p, len);
        key[len] = '\0';
        j = cJSON_GetObjectItemCaseSensitive(j, key);
        p = dot ? dot + 1 : p + len;
    }
    return j;
}

double jsonpath_num(const cJSON *root, const char *dotted)
{
    const cJSON *j = jsonpath_get(root, dotted);
    if (cJSON_IsNumber(j))
        return j->valuedouble;
    if (cJSON_IsBool(j))
        return cJSON_IsTrue(j);
    if (cJSON_IsArray(j))
        return cJSON_GetArraySize(j);
    return NAN;
}
