/* drive: run the explorer the way a user would, from outside: a child
 * process `zspace explore --script FILE ...` replaying a script, then read
 * the dump-state JSON it wrote (docs/dump-state.md). The one explorer driver
 * of `zspace bench explore` and the GUI tests (tests/gui/gui_util.c); it
 * knows the explorer's command line and dump format, none of its code, and
 * needs no SDL or GL. Thread rule: drive_run forks; call it from a thread
 * that owns no locks other threads need in the child (the CLI's and the
 * tests' main threads). */
#ifndef ZSPACE_DRIVE_DRIVE_H
#define ZSPACE_DRIVE_DRIVE_H

#include <cjson/cJSON.h>

#include "core/err.h"
#include "io/jsonpath.h" /* dumps are read with jsonpath_get/jsonpath_num */

typedef struct {
    const char *exe;         /* the zspace binary */
    const char *script;      /* the script file */
    const char *const *args; /* more arguments after the script, NULL-ended; NULL: none */
    /* "NAME=value" set (or replaced) in the child's environment, NULL-ended;
     * NULL: ours as it is */
    const char *const *env;
    const char *dir;         /* the child's working directory; NULL: ours */
    const char *stderr_path; /* the child's stderr is appended there; NULL: ours */
} DriveRun;

/* Run `exe explore --script SCRIPT ARGS...` to its end. ERR_OK when it ran,
 * with *status its exit status (-1 when a signal ended it; 127 when it
 * could not be started in the child); an error only when no child ran. */
int drive_run(const DriveRun *r, int *status, Err *e);
/* Write script text to path (atomically). */
int drive_write_script(const char *path, const char *text, Err *e);
/* Parse a JSON file (a dump); the caller frees it with cJSON_Delete. NULL
 * with e filled when it is missing or not JSON. */
cJSON *drive_load(const char *path, Err *e);
/* The rect ([x, y, w, h] in drawable pixels) at a dotted path in window
 * points, which script commands take: divided by view.pixel_scale. -1 when
 * it is not a 4-number array or the dump has no pixel scale. */
int drive_rect_points(const cJSON *root, const char *dotted, int out[4]);
/* The window point of map point (x, y) in a dump (its view: center, scale,
 * map_rect, pixel_scale). -1 when the dump has no view. */
int drive_map_to_window(const cJSON *root, float x, float y, int *wx, int *wy);

#endif
