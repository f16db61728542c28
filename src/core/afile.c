/* afile: see afile.h. */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int afile_open(AFile *a, const char *path, Err *e)
{
    memset(a, 0, sizeof *a);
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof a->path - 16)
        return err_set(e, ERR_ARG, "%s: path is empty or too long", path);
    memcpy(a->path, path, len + 1);

    char dirbuf[4096], basebuf[4096];
    memcpy(dirbuf, path, len + 1);
    memcpy(basebuf, path, len + 1);
    const char *dir = dirname(dirbuf);
    const char *base = basename(basebuf);
    int n = snprintf(a->tmp, sizeof a->tmp, "%s/.%s.XXXXXX", dir, base);
    if (n < 0 || (size_t)n >= sizeof a->tmp)
        return err_set(e, ERR_ARG, "%s: path too long", path);

    int fd = mkstemp(a->tmp);
    if (fd < 0)
        return err_set(e, ERR_IO, "%s: cannot create a file in %s: %s", path, dir,
                       strerror(errno));
    /* mkstemp makes 0600; model and image files are for sharing like any
     * other output, so follow the umask as fopen would. */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        int errnum = errno;
        close(fd);
        unlink(a->tmp);
        return err_set(e, ERR_IO, "%s: %s", path, strerror(errnum));
    }
    return ERR_OK;
}

int afile_write(AFile *a, const void *buf, size_t n, Err *e)
{
    if (n && fwrite(buf, 1, n, a->f) != n)
        return err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
    return ERR_OK;
}

int afile_mkdirs(const char *dir, Err *e)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return err_set(e, ERR_ARG, "path too long: %.60s...", dir);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return err_set(e, ERR_IO, "%s: cannot create directory: %s", buf, strerror(errno));
            struct stat st;
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                return err_set(e, ERR_IO, "%s: not a directory", buf);
            *p = c;
            if (c == '\0')
                break;
        }
    }
    return ERR_OK;
}

int afile_mkparent(const char *file, Err *e)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", file) >= (int)sizeof dir)
        return err_set(e, ERR_ARG, "path too long: %.60s...", file);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return ERR_OK;
    *slash = '\0';
    return afile_mkdirs(dir, e);
}

int afile_save(const char *path, const void *buf, size_t n, Err *e)
{
    AFile a;
    int rc = afile_open(&a, path, e);
    if (rc != ERR_OK)
        return rc;
    if ((rc = afile_write(&a, buf, n, e)) != ERR_OK) {
        afile_abort(&a);
        return rc;
    }
    return afile_commit(&a, e);
}

int afile_commit(AFile *a, Err *e)
{
    int rc = ERR_OK;
    if (fflush(a->f) != 0 || fsync(fileno(a->f)) != 0)
        rc = err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
    if (fclose(a->f) != 0 && rc == ERR_OK)
        rc = err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
    a->f = NULL;
    if (rc == ERR_OK && rename(a->tmp, a->path) != 0)
        rc = err_set(e, ERR_IO, "%s: cannot replace: %s", a->path, strerror(errno));
    if (rc != ERR_OK) {
        unlink(a->tmp);
        return rc;
    }
    /* Make the rename itself durable. Failure here is not worth an error: the
     * data is complete and in place. */
    char dirbuf[4096];
    memcpy(dirbuf, a->path, strlen(a->path) + 1);
    int dfd = open(dirname(dirbuf), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return ERR_OK;
}

void afile_abort(AFile *a)
{
    if (a->f) {
        fclose(a->f);
        a->f = NULL;
        unlink(a->tmp);
    }
}
