/* wake: how a worker thread wakes the UI thread's event loop, which sleeps
 * in SDL_WaitEvent when nothing animates; the loop then polls the jobs.
 * SDL_PushEvent is safe from any thread. The jobs know no SDL: they take a
 * callback and its user pointer, and the app gives them app_wake_cb. */
#ifndef ZSPACE_APP_WAKE_H
#define ZSPACE_APP_WAKE_H

#include <SDL.h>
#include <stdint.h>
#include <string.h>

static inline void app_wake(uint32_t event)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = event;
    SDL_PushEvent(&ev);
}

/* The wake callback the workers take (model, projection, save, GIF jobs and
 * the trainer): user carries the event type, as app_wake_arg makes it. */
static inline void app_wake_cb(void *user)
{
    app_wake((uint32_t)(uintptr_t)user);
}

static inline void *app_wake_arg(uint32_t event)
{
    return (void *)(uintptr_t)event;
}

#endif
