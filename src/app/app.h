/* app: the explorer window (`zspace` / `zspace explore`). One SDL event
 * loop on the main thread; see app_impl.h for the pieces. */
#ifndef ZSPACE_APP_APP_H
#define ZSPACE_APP_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "explore/session.h"

typedef struct {
    const char *model_path; /* NULL: the cached default model for the dataset */
    const char *dataset;    /* "mnist" or "fashion"; NULL: the model's own, else mnist */
    const char *script;     /* --script FILE, or NULL */
    bool all_points;        /* map train + test (70,000) instead of test (10,000) */
    int width, height;      /* initial window size in points */
    const char *session_path; /* --session FILE: Ctrl+Shift+S saves there; NULL: the default */
    const Session *session;   /* its contents to restore (caller-owned), or NULL */
    bool session_new;         /* --session named a file that does not exist yet */
    const char *compare_path; /* --compare FILE: a second model beside the first, or NULL */
} AppOptions;

/* The default model path for a dataset ($XDG_CACHE_HOME/zspace/default-<ds>-
 * z2.safetensors, XDG_CACHE_HOME defaulting to ~/.cache) into buf. */
void app_default_model_path(const char *dataset, char *buf, size_t size);

/* Check a script file without opening a window (used before app_run so a
 * bad script is an error with its line number, not a half-open window). */
int app_check_script(const char *path, Err *e);

/* With --compare: check that both model files open and have the same
 * latent size, before any window opens (compare.c). ERR_ARG for
 * different sizes (a usage error: "--compare: A has Z=2 but B has Z=64;
 * ..."), ERR_IO / ERR_FORMAT when a file is missing or bad. */
int app_check_compare(const AppOptions *o, Err *e);

/* Open the window and run until the user (or the script) quits. Returns
 * ERR_OK on a normal quit; an error (window, GL, shaders, fonts, a failed
 * script screenshot...) fills e. A missing model is not an error: the window
 * says how to make one. */
int app_run(const AppOptions *o, Err *e);

#endif
