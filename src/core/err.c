/* err: see err.h. Messages are truncated to fit, never overflowed. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(Err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}

/* Append s to dst (holding *len chars, capacity cap incl. NUL), cutting it short if needed. */
static void append(char *dst, size_t *len, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(dst + *len, s, n);
    *len += n;
    dst[*len] = '\0';
}

int err_prefix(Err *e, const char *prefix)
{
    if (!e)
        return ERR_OK;
    char old[sizeof e->msg];
    memcpy(old, e->msg, sizeof old);
    size_t len = 0;
    e->msg[0] = '\0';
    append(e->msg, &len, sizeof e->msg, prefix);
    append(e->msg, &len, sizeof e->msg, ": ");
    append(e->msg, &len, sizeof e->msg, old);
    return e->code;
}

void err_clear(Err *e)
{
    if (e) {
        e->code = ERR_OK;
        e->msg[0] = '\0';
    }
}
