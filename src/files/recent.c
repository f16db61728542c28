/* recent: see recent.h. */
#include "recent.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/xdg.h"

int recent_file(char *buf, size_t size, Err *e)
{
    /* unlike a cache, a list the user relies on is not written into "." */
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (!(xdg && *xdg) && !(home && *home))
        return err_set(e, ERR_ARG, "neither XDG_CONFIG_HOME nor HOME is set");
    if (!xdg_path(XDG_CONFIG, "recent", buf, size))
        return err_set(e, ERR_ARG, "config path too long");
    return ERR_OK;
}

int recent_load(Recent *r, const char *file, Err *e)
{
    r->n = 0;
    FILE *f = fopen(file, "r");
    if (!f) {
        if (errno == ENOENT)
            return ERR_OK;
        return err_set(e, ERR_IO, "%s: %s", file, strerror(errno));
    }
    char line[4096 + 2];
    while (r->n < RECENT_MAX && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        else if (!feof(f)) { /* longer than any path we store: skip the rest */
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        if (len == 0 || len >= sizeof r->path[0])
            continue;
        memcpy(r->path[r->n++], line, len + 1);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad)
        return err_set(e, ERR_IO, "%s: read error", file);
    return ERR_OK;
}

int recent_save(const Recent *r, const char *file, Err *e)
{
    if (afile_mkparent(file, e) != ERR_OK)
        return e->code;
    AFile af;
    if (afile_open(&af, file, e) != ERR_OK)
        return e->code;
    for (int i = 0; i < r->n; i++) {
        if (afile_write(&af, r->path[i], strlen(r->path[i]), e) != ERR_OK ||
            afile_write(&af, "\n", 1, e) != ERR_OK) {
            afile_abort(&af);
            return e->code;
        }
    }
    return afile_commit(&af, e);
}

bool recent_add(Recent *r, const char *path)
{
    char abs[PATH_MAX];
    if (!realpath(path, abs)) { /* not there (yet): absolute by hand */
        if (path[0] == '/') {
            if (snprintf(abs, sizeof abs, "%s", path) >= (int)sizeof abs)
                return false;
        } else {
            char cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd) ||
                snprintf(abs, sizeof abs, "%s/%s", cwd, path) >= (int)sizeof abs)
                return false;
        }
    }
    if (strchr(abs, '\n') || strlen(abs) >= sizeof r->path[0])
        return false;
    int at = r->n < RECENT_MAX ? r->n : RECENT_MAX - 1; /* the slot that goes */
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->path[i], abs)) {
            at = i;
            break;
        }
    memmove(r->path[1], r->path[0], (size_t)at * sizeof r->path[0]);
    memcpy(r->path[0], abs, strlen(abs) + 1);
    if (at == r->n)
        r->n++;
    return true;
}

void recent_existing(const Recent *r, Recent *out)
{
    out->n = 0;
    for (int i = 0; i < r->n; i++) {
        struct stat st;
        if (stat(r->path[i], &st) == 0 && S_ISREG(st.st_mode))
            memcpy(out->path[out->n++], r->path[i], sizeof r->path[i]);
    }
}
