/* wake: how a worker thread wakes the UI thread's event loop, which sleeps
 * in SDL_WaitEvent when nothing animates; the loop then polls the jobs.
 * SDL_PushEvent is safe from any thread. */
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

#endif
