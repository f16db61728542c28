/* afile: see afile.h. */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Temporary files in flight, for afile_unlink_temps() in a signal handler:
 * a slot is 0 free, 1 being filled, 2 holding a path. */
enum { TEMP_SLOTS = 16 };
static atomic_int temp_state[TEMP_SLOTS];
static char temp_path[TEMP_SLOTS][4096];

static int temp_register(const char *tmp)
{
    for (int i = 0; i < TEMP_SLOTS; i++) {
        int expect = 0;
        if (atomic_compare_exchange_strong(&temp_state[i], &expect, 1)) {
            snprintf(temp_path[i], sizeof temp_path[i], "%s", tmp);
            atomic_store(&temp_state[i], 2);
            return i;
        }
    }
    return -1; /* more writers than slots: such a file is merely not cleaned up */
}

static void temp_release(int slot)
{
    if (slot >= 0)
        atomic_store(&temp_state[slot], 0);
}

void afile_unlink_temps(void)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (atomic_load(&temp_state[i]) == 2)
            unlink(temp_path[i]);
}

void afile_die_of_signal(int sig)
{
    afile_unlink_temps();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Follow path through symbolic links (at most 40, as the kernel) to the name
 * a write should land on; a dangling link gives its missing target. */
static int resolve_links(const char *path, char *out, size_t size, Err *e)
{
    if (snprintf(out, size, "%s", path) >= (int)size)
        return err_set(e, ERR_ARG, "%s: path too long", path);
    for (int hop = 0; hop < 40; hop++) {
        struct stat st;
        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return ERR_OK;
        char link[4096];
        ssize_t n = readlink(out, link, sizeof link - 1);
        if (n < 0)
            return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
        link[n] = '\0';
        if (link[0] == '/') {
            if ((size_t)n >= size)
                return err_set(e, ERR_ARG, "%s: link target too long", path);
            memcpy(out, link, (size_t)n + 1);
        } else {
            char *slash = strrchr(out, '/');
            size_t keep = slash ? (size_t)(slash - out) + 1 : 0;
            if (keep + (size_t)n >= size)
                return err_set(e, ERR_ARG, "%s: link target too long", path);
            memcpy(out + keep, link, (size_t)n + 1);
        }
    }
    return err_set(e, ERR_IO, "%s: too many levels of symbolic links", path);
}

/* Character devices and FIFOs are written through, never replaced. A FIFO
 * with no reader is an error rather than a wait. */
static int open_direct(AFile *a, const struct stat *st, Err *e)
{
    int fd = open(a->target, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENXIO && S_ISFIFO(st->st_mode))
            return err_set(e, ERR_IO, "%s: a FIFO with no reader", a->path);
        return err_set(e, ERR_IO, "%s: %s", a->path, strerror(errno));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        int errnum = errno;
        close(fd);
        return err_set(e, ERR_IO, "%s: %s", a->path, strerror(errnum));
    }
    a->direct = 1;
    a->slot = -1;
    return ERR_OK;
}

int afile_check(const char *path, Err *e)
{
    char target[4096];
    if (!*path)
        return err_set(e, ERR_ARG, "empty file name");
    int rc = resolve_links(path, target, sizeof target - 16, e);
    if (rc != ERR_OK)
        return rc;
    struct stat st;
    int exists = stat(target, &st) == 0;
    if (!exists && errno != ENOENT)
        return err_set(e, ERR_IO, "'%s': %s", path, strerror(errno));
    if (exists && S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, "'%s' is a directory; give a file name", path);
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        if (access(target, W_OK) != 0)
            return err_set(e, ERR_IO, "'%s': %s", path, strerror(errno));
        return ERR_OK;
    }
    if (exists && !S_ISREG(st.st_mode))
        return err_set(e, ERR_IO, "'%s' is not a regular file, device or FIFO; not replacing it",
                       path);
    char dirbuf[4096];
    memcpy(dirbuf, target, strlen(target) + 1);
    const char *dir = dirname(dirbuf);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, "'%s': directory '%s' does not exist", path, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return err_set(e, ERR_IO, "'%s': directory '%s' is not writable", path, dir);
    return ERR_OK;
}

int afile_open(AFile *a, const char *path, Err *e)
{
    memset(a, 0, sizeof *a);
    a->slot = -1;
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof a->path - 16)
        return err_set(e, ERR_ARG, "%s: path is empty or too long", path);
    memcpy(a->path, path, len + 1);
    int rc = resolve_links(path, a->target, sizeof a->target - 16, e);
    if (rc != ERR_OK)
        return rc;

    struct stat st;
    int exists = stat(a->target, &st) == 0;
    if (!exists && errno != ENOENT)
        return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
    if (exists && S_ISDIR(st.st_mode))
        return err_set(e, ERR_IO, "%s: is a directory", path);
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
        return open_direct(a, &st, e);
    if (exists && !S_ISREG(st.st_mode))
        return err_set(e, ERR_IO, "%s: not a regular file, device or FIFO; not replacing it",
                       path);

    char dirbuf[4096], basebuf[4096];
    memcpy(dirbuf, a->target, strlen(a->target) + 1);
    memcpy(basebuf, a->target, strlen(a->target) + 1);
    const char *dir = dirname(dirbuf);
    const char *base = basename(basebuf);
    int n = snprintf(a->tmp, sizeof a->tmp, "%s/.%s.XXXXXX", dir, base);
    if (n < 0 || (size_t)n >= sizeof a->tmp)
        return err_set(e, ERR_ARG, "%s: path too long", path);

    int fd = mkstemp(a->tmp);
    if (fd < 0)
        return err_set(e, ERR_IO, "%s: cannot create a file in %s: %s", path, dir,
                       strerror(errno));
    a->slot = temp_register(a->tmp);
    /* mkstemp makes 0600. A replaced file keeps its permissions; a new one
     * follows the umask as fopen would (models and images are for sharing). */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, exists ? (st.st_mode & 07777) : (0666 & ~um));
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        int errnum = errno;
        close(fd);
        unlink(a->tmp);
        temp_release(a->slot);
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
    if (a->direct) { /* a device or FIFO: nothing to rename, nothing to sync */
        if (fflush(a->f) != 0)
            rc = err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
        if (fclose(a->f) != 0 && rc == ERR_OK)
            rc = err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
        a->f = NULL;
        return rc;
    }
    if (fflush(a->f) != 0 || fsync(fileno(a->f)) != 0)
        rc = err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
    if (fclose(a->f) != 0 && rc == ERR_OK)
        rc = err_set(e, ERR_IO, "%s: write failed: %s", a->path, strerror(errno));
    a->f = NULL;
    if (rc == ERR_OK && rename(a->tmp, a->target) != 0)
        rc = err_set(e, ERR_IO, "%s: cannot replace: %s", a->path, strerror(errno));
    if (rc != ERR_OK)
        unlink(a->tmp);
    temp_release(a->slot);
    a->slot = -1;
    if (rc != ERR_OK)
        return rc;
    /* Make the rename itself durable. Failure here is not worth an error: the
     * data is complete and in place. */
    char dirbuf[4096];
    memcpy(dirbuf, a->target, strlen(a->target) + 1);
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
        if (!a->direct)
            unlink(a->tmp);
        temp_release(a->slot);
        a->slot = -1;
    }
}
