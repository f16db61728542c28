/* slurp: see slurp.h. */
#include "slurp.h"

#include "core/grow.h"
#include "core/rfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int io_slurp(const char *path, size_t max, uint8_t **data, size_t *len, Err *e)
{
    *data = NULL;
    *len = 0;
    int is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "standard input" : path;
    FILE *f = is_stdin ? stdin : rfile_open(path, RFILE_STREAM, e);
    if (!f)
        return e ? e->code : ERR_IO;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = ERR_OK;
    for (;;) {
        if (n + 1 >= cap) { /* room for the data read so far plus the NUL */
            if ((rc = grow_bytes(&buf, &cap, cap ? 2 * cap : 65536, name, e)) != ERR_OK)
                break;
        }
        size_t k = fread(buf + n, 1, cap - 1 - n, f);
        n += k;
        if (n > max) {
            rc = err_set(e, ERR_FORMAT, "%s: too large (more than %zu bytes)", name, max);
            break;
        }
        if (k == 0)
            break;
    }
    if (rc == ERR_OK && ferror(f))
        rc = err_set(e, ERR_IO, "%s: read error: %s", name, strerror(errno));
    if (!is_stdin)
        fclose(f);
    if (rc != ERR_OK) {
        free(buf);
        return rc;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return ERR_OK;
}
