/* xdg: see xdg.h. */
#include "xdg.h"

#include <stdio.h>
#include <stdlib.h>

_Bool xdg_path(XdgKind kind, const char *rel, char *buf, size_t size)
{
    const char *xdg = getenv(kind == XDG_CACHE ? "XDG_CACHE_HOME" : "XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    const char *sep = rel && *rel ? "/" : "";
    int n;
    if (xdg && *xdg)
        n = snprintf(buf, size, "%s/zspace%s%s", xdg, sep, rel ? rel : "");
    else
        n = snprintf(buf, size, "%s/%s/zspace%s%s", home && *home ? home : ".",
                     kind == XDG_CACHE ? ".cache" : ".config", sep, rel ? rel : "");
    return n >= 0 && (size_t)n < size;
}
