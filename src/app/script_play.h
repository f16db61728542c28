/* script_play: the explorer plays a parsed script (explore/script.h) one
 * frame at a time. Input steps become real SDL events pushed onto the queue
 * the mouse and keyboard use; waiting steps read the app through a
 * ScriptWorld. Thread rule: main thread (SDL_PushEvent). */
#ifndef ZSPACE_APP_SCRIPT_PLAY_H
#define ZSPACE_APP_SCRIPT_PLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "explore/script.h"

/* What the app must do after rendering this frame. */
typedef struct {
    const char *screenshot; /* path or NULL */
    const char *dump;       /* path or NULL */
    bool done;              /* quit was pushed */
} ScriptOut;

/* What the waiting steps read of the app, this frame. */
typedef struct {
    bool ready; /* the model's map is ready (wait-ready) */
    /* Fill *v with the value at a dump-state dotted path (wait-until);
     * called at most every 50 ms. NULL: every path is absent. */
    void (*probe)(const void *ctx, const char *path, ScriptValue *v);
    const void *ctx;
} ScriptWorld;

/* Advance one frame: push this frame's events (to window_id) and fill out.
 * Returns ERR_OK, or an error naming the line when wait-ready or wait-until
 * times out. A script without `quit` leaves the window open for the user
 * when it ends. */
int script_tick(Script *s, uint32_t window_id, double now, const ScriptWorld *w, ScriptOut *out,
                Err *e);

#endif
