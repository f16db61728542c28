/* grow: see grow.h. */
#include "grow.h"

#include <stdlib.h>

int grow_bytes(uint8_t **buf, size_t *cap, size_t ncap, const char *name, Err *e)
{
    uint8_t *nb = realloc(*buf, ncap);
    if (!nb)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    *buf = nb;
    *cap = ncap;
    return ERR_OK;
}
