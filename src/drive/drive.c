/* drive: see drive.h. The child is started with fork and execve: between
 * the two it only changes directory and redirects stderr (async-signal-safe
 * calls), and its environment is built before the fork. */
#include "drive.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/afile.h"
#include "io/slurp.h"

/* A dump is a few MB at most (70,000 projected points); far more is not one. */
#define DRIVE_MAX_JSON ((size_t)1 << 30)

extern char **environ;

static size_t count(const char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* Our environment with each of set's "NAME=value" replacing (or added to)
 * the variable of that name. The strings are borrowed; free the array. */
static char **child_env(const char *const *set)
{
    size_t n = count((const char *const *)environ), m = count(set);
    char **env = malloc((n + m + 1) * sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t len = eq ? (size_t)(eq - environ[i]) + 1 : strlen(environ[i]);
        bool replaced = false;
        for (size_t j = 0; j < m && !replaced; j++)
            replaced = strncmp(set[j], environ[i], len) == 0;
        if (!replaced)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < m; j++)
        env[k++] = (char *)set[j];
    env[k] = NULL;
    return env;
}

int drive_run(const DriveRun *r, int *status, Err *e)
{
    size_t na = count(r->args);
    const char **argv = malloc((na + 5) * sizeof *argv);
    char **env = child_env(r->env);
    if (!argv || !env) {
        free(argv);
        free(env);
        return err_set(e, ERR_NOMEM, "running %s: out of memory", r->exe);
    }
    argv[0] = r->exe;
    argv[1] = "explore";
    argv[2] = "--script";
    argv[3] = r->script;
    for (size_t i = 0; i < na; i++)
        argv[4 + i] = r->args[i];
    argv[4 + na] = NULL;
    fflush(NULL); /* no buffered output written twice */
    pid_t pid = fork();
    if (pid == 0) {
        if (r->dir && chdir(r->dir) != 0)
            _exit(127);
        if (r->stderr_path) {
            int fd = open(r->stderr_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
                _exit(127);
        }
        execve(r->exe, (char *const *)argv, env);
        _exit(127);
    }
    int err = errno;
    free(argv);
    free(env);
    if (pid < 0)
        return err_set(e, ERR_IO, "cannot run %s: %s", r->exe, strerror(err));
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return err_set(e, ERR_IO, "waiting for %s: %s", r->exe, strerror(errno));
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return ERR_OK;
}

int drive_write_script(const char *path, const char *text, Err *e)
{
    AFile af;
    int rc = afile_open(&af, path, e);
    if (rc == ERR_OK)
        rc = afile_write(&af, text, strlen(text), e);
    if (rc == ERR_OK)
        return afile_commit(&af, e);
    if (af.f)
        afile_abort(&af);
    return rc;
}

cJSON *drive_load(const char *path, Err *e)
{
    uint8_t *text;
    size_t len;
    if (io_slurp(path, DRIVE_MAX_JSON, &text, &len, e) != ERR_OK)
        return NULL;
    cJSON *j = cJSON_ParseWithLength((const char *)text, len);
    free(text);
    if (!j)
        err_set(e, ERR_FORMAT, "%s: not valid JSON", path);
    return j;
}

int drive_rect_points(const cJSON *root, const char *dotted, int out[4])
{
    const cJSON *r = jsonpath_get(root, dotted);
    double s = jsonpath_num(root, "view.pixel_scale");
    if (cJSON_GetArraySize(r) != 4 || !(s > 0))
        return -1;
    for (int i = 0; i < 4; i++) {
        const cJSON *v = cJSON_GetArrayItem(r, i);
        if (!cJSON_IsNumber(v))
            return -1;
        out[i] = (int)(v->valuedouble / s);
    }
    return 0;
}

int drive_map_to_window(const cJSON *root, float x, float y, int *wx, int *wy)
{
    const cJSON *c = jsonpath_get(root, "view.center"), *r = jsonpath_get(root, "view.map_rect");
    double scale = jsonpath_num(root, "view.scale"), ps = jsonpath_num(root, "view.pixel_scale");
    if (cJSON_GetArraySize(c) != 2 || cJSON_GetArraySize(r) != 4 || !(scale > 0) || !(ps > 0))
        return -1;
    double cx = cJSON_GetArrayItem(c, 0)->valuedouble, cy = cJSON_GetArrayItem(c, 1)->valuedouble;
    double rx = cJSON_GetArrayItem(r, 0)->valuedouble, ry = cJSON_GetArrayItem(r, 1)->valuedouble;
    double rw = cJSON_GetArrayItem(r, 2)->valuedouble, rh = cJSON_GetArrayItem(r, 3)->valuedouble;
    *wx = (int)lround((rx + rw / 2 + (x - cx) * scale) / ps);
    *wy = (int)lround((ry + rh / 2 - (y - cy) * scale) / ps);
    return 0;
}
