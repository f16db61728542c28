/* session: the explorer's session file, so a teacher prepares a lesson in
 * advance: which model and data, the map's view, the current z, which
 * panel holds the side column's slot, hidden panels and presenter
 * settings. JSON (cJSON), e.g.
 *   {"version": 1, "model": "/path/m.safetensors" | null (the default model),
 *    "dataset": "mnist", "points": 10000, "view": {"center": [x, y],
 *    "scale": px per unit}, "z": [...], "slot": "sliders",
 *    "panels": {"side": true, "legend": true, "status": true},
 *    "text_scale": 1.0, "high_contrast": false, "sort_by_kl": false,
 *    "window": [w, h]}
 * Every key but "version" is optional (absent: not restored); unknown keys
 * are ignored, so newer files with extra keys still load. A value of the
 * wrong type or out of range is an error naming the key, never clamped:
 * a file that silently restores something else would mislead a lesson.
 *
 * Parse and serialise only: no SDL, no GL (tests/test_session.c runs
 * headless); the app applies a Session (presenter.c). Errors read
 * "session FILE: why" so the CLI prints `zspace: session FILE: why`.
 * Thread rule: plain data, owned by its caller. */
#ifndef ZSPACE_EXPLORE_SESSION_H
#define ZSPACE_EXPLORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "vae/vae.h"

enum { SESSION_VERSION = 1 };

/* What holds the slot under the decoder (names as stored). */
typedef enum {
    SESSION_SLOT_SLIDERS, SESSION_SLOT_SAMPLING, SESSION_SLOT_TRAINING, SESSION_SLOT_WALK,
    SESSION_SLOT_DRAW, SESSION_SLOTS,
} SessionSlot;

/* Valid ranges (the explorer's own limits). */
#define SESSION_TEXT_SCALE_MIN 0.6f
#define SESSION_TEXT_SCALE_MAX 2.5f
#define SESSION_SCALE_MIN 1e-2f  /* map zoom, pixels per latent unit */
#define SESSION_SCALE_MAX 1e6f
#define SESSION_COORD_MAX 1e6f   /* |view centre| and |z| */
#define SESSION_FILE_MAX (1 << 20)

typedef struct {
    /* has_* / empty strings: the key was absent (do not restore it) */
    char model[4096];     /* "": absent or null (the default model) */
    char dataset[32];     /* "": absent */
    long points;          /* 0: absent; else 10000 (test) or 70000 (train + test) */
    bool has_view;
    float center[2], scale;
    int z_dim;            /* 0: absent */
    float z[VAE_MAX_Z];
    int slot;             /* SessionSlot, -1: absent */
    bool has_panels;
    bool side, legend, status; /* visible */
    float text_scale;     /* 0: absent */
    int high_contrast;    /* -1 absent, 0, 1 */
    int sort_by_kl;       /* -1 absent, 0, 1 */
    int window[2];        /* {0, 0}: absent; points */
} Session;

/* Everything absent. */
void session_init(Session *s);
const char *session_slot_name(int slot); /* NULL if out of range */
int session_slot_from_name(const char *name); /* -1 if unknown */

/* Parse text (len bytes, need not be NUL-terminated); name is the file
 * name used in messages. ERR_FORMAT for bad JSON, types or ranges. */
int session_parse(Session *s, const char *name, const char *text, size_t len, Err *e);
/* Read and parse a file: ERR_IO if it cannot be read (errno in the
 * message), ERR_FORMAT as session_parse, also for empty or huge files. */
int session_load(Session *s, const char *path, Err *e);
/* The JSON text of s (malloc'd, caller frees with free()), NULL when out of
 * memory. Absent values are left out; model "" is written as null. */
char *session_to_json(const Session *s);
/* Write s to path atomically (core/afile.h), creating its directory. */
int session_save(const Session *s, const char *path, Err *e);
/* $XDG_CONFIG_HOME/zspace/session.json ($XDG_CONFIG_HOME defaulting to
 * ~/.config) into buf. */
void session_default_path(char *buf, size_t size);

#endif
