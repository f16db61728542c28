/* pathcomp: see pathcomp.h. */
#include "pathcomp.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *path_restart(const char *in)
{
    const char *start = in;
    for (const char *p = in + 1; *p; p++)
        if (p[-1] == '/' && (p[0] == '/' || (p[0] == '~' && (p[1] == '/' || p[1] == '\0'))))
            start = p;
    return start;
}

int path_expand(const char *in, char *out, size_t size, Err *e)
{
    in = path_restart(in);
    int n;
    if (in[0] == '~' && (in[1] == '\0' || in[1] == '/')) {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return err_set(e, ERR_ARG, "%s: HOME is not set", in);
        n = snprintf(out, size, "%s%s", home, in + 1);
    } else {
        n = snprintf(out, size, "%s", in);
    }
    if (n < 0 || (size_t)n >= size)
        return err_set(e, ERR_ARG, "path too long (%d bytes)", n);
    return ERR_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

int pathcomp_complete(const char *text, PathComp *pc, Err *e)
{
    pc->n = pc->kept = 0;
    text = path_restart(text);
    if (snprintf(pc->text, sizeof pc->text, "%s", text) >= (int)sizeof pc->text)
        return err_set(e, ERR_ARG, "path too long");
    const char *slash = strrchr(text, '/');
    size_t dlen = slash ? (size_t)(slash - text) + 1 : 0;
    const char *prefix = text + dlen;
    size_t plen = strlen(prefix);

    char dir[4096], expanded[4096];
    if (dlen == 0)
        snprintf(dir, sizeof dir, ".");
    else if (dlen < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)dlen, text);
    else
        return err_set(e, ERR_ARG, "path too long");
    if (dlen == 0 && text[0] == '~' && text[1] == '\0') { /* "~" alone: its own '/' */
        if (snprintf(pc->text, sizeof pc->text, "~/") < 0)
            return err_set(e, ERR_ARG, "path too long");
        pc->n = pc->kept = 1;
        snprintf(pc->names[0], sizeof pc->names[0], "~/");
        return ERR_OK;
    }
    if (path_expand(dir, expanded, sizeof expanded, e) != ERR_OK)
        return e->code;
    DIR *d = opendir(expanded);
    if (!d)
        return err_set(e, ERR_IO, "%s: %s", dir, strerror(errno));

    /* the longest common prefix, over all matches (not only the kept) */
    char lcp[256] = "";
    size_t lcp_len = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        if (name[0] == '.' && prefix[0] != '.')
            continue;
        if (strncmp(name, prefix, plen) != 0)
            continue;
        char full[4096 + 256];
        snprintf(full, sizeof full, "%s/%s", expanded, name);
        struct stat st;
        bool is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        char entry[256];
        if (snprintf(entry, sizeof entry, "%s%s", name, is_dir ? "/" : "") >= (int)sizeof entry)
            continue; /* a name this long cannot be shown anyway */
        if (pc->n == 0) {
            snprintf(lcp, sizeof lcp, "%s", entry);
            lcp_len = strlen(lcp);
        } else {
            size_t k = 0;
            while (k < lcp_len && lcp[k] == entry[k])
                k++;
            lcp_len = k;
            lcp[k] = '\0';
        }
        if (pc->kept < PATHCOMP_MAX)
            memcpy(pc->names[pc->kept++], entry, sizeof entry);
        pc->n++;
    }
    closedir(d);
    qsort(pc->names, (size_t)pc->kept, sizeof pc->names[0], cmp_names);
    if (pc->n == 0)
        return ERR_OK;
    if (snprintf(pc->text, sizeof pc->text, "%.*s%s", (int)dlen, text, lcp) >=
        (int)sizeof pc->text)
        return err_set(e, ERR_ARG, "path too long");
    return ERR_OK;
}

int pathcomp_pick(const PathComp *pc, const char *text, int i, char *out, size_t size)
{
    if (i < 0 || i >= pc->kept)
        return ERR_ARG;
    const char *slash = strrchr(text, '/');
    int dlen = slash ? (int)(slash - text) + 1 : 0;
    int n = snprintf(out, size, "%.*s%s", dlen, text, pc->names[i]);
    return n < 0 || (size_t)n >= size ? ERR_ARG : ERR_OK;
}
