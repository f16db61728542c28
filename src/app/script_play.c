/* script_play: turn script steps into SDL events, one frame at a time.
 * A press and its release go in different frames, like a real click, so
 * widgets see the button held for at least one frame. Waiting steps (wait,
 * wait-ready, wait-until) hold the script; screenshot/dump-state are requested from the
 * app after the frame renders, so they see everything pushed before them. */
#include <SDL.h>
#include <math.h>
#include <string.h>

#include "script_play.h"
#include "sdlkey.h"

static void push_motion(uint32_t win, int x, int y, uint32_t state)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEMOTION;
    ev.motion.windowID = win;
    ev.motion.x = x;
    ev.motion.y = y;
    ev.motion.state = state;
    SDL_PushEvent(&ev);
}

static void push_button(uint32_t win, int x, int y, int button, bool down)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
    ev.button.windowID = win;
    ev.button.button = (uint8_t)button;
    ev.button.state = down ? SDL_PRESSED : SDL_RELEASED;
    ev.button.clicks = 1;
    ev.button.x = x;
    ev.button.y = y;
    SDL_PushEvent(&ev);
}

static void push_key(uint32_t win, const ScriptStep *st, bool down)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = down ? SDL_KEYDOWN : SDL_KEYUP;
    ev.key.windowID = win;
    ev.key.state = down ? SDL_PRESSED : SDL_RELEASED;
    Uint16 mod;
    app_key_to_sdl(st->key, &ev.key.keysym.sym, &mod);
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(ev.key.keysym.sym);
    ev.key.keysym.mod = down ? mod : 0;
    SDL_PushEvent(&ev);
}

static void push_text(uint32_t win, const char *s)
{
    /* SDL_TEXTINPUT carries up to 31 bytes; split on UTF-8 boundaries. */
    while (*s) {
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_TEXTINPUT;
        ev.text.windowID = win;
        size_t n = strlen(s);
        if (n > sizeof ev.text.text - 1) {
            n = sizeof ev.text.text - 1;
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
            if (n == 0) /* no boundary in reach (not UTF-8): cut anyway, always advance */
                n = sizeof ev.text.text - 1;
        }
        memcpy(ev.text.text, s, n);
        SDL_PushEvent(&ev);
        s += n;
    }
}

static void push_wheel(uint32_t win, int notches)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEWHEEL;
    ev.wheel.windowID = win;
    ev.wheel.y = notches;
    ev.wheel.preciseY = (float)notches;
    ev.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    SDL_PushEvent(&ev);
}

/* Whether v compares to the step's value by its operator. A number step
 * needs a number, a string step a string; an absent value never compares. */
static bool until_met(const ScriptStep *st, const ScriptValue *v)
{
    const char *c = st->cmp;
    if (isnan(st->value)) {
        if (v->kind != SV_STRING)
            return false;
        return (strcmp(v->str, st->text) == 0) == (c[0] == '=');
    }
    if (v->kind != SV_NUMBER || isnan(v->num))
        return false;
    double x = v->num;
    return c[0] == '>' ? (c[1] ? x >= st->value : x > st->value)
           : c[0] == '<' ? (c[1] ? x <= st->value : x < st->value)
           : c[0] == '=' ? x == st->value
                         : x != st->value;
}

static bool wait_until(Script *s, const ScriptStep *st, double now, const ScriptWorld *w, Err *e,
                       int *rc)
{
    if (s->phase == 0) {
        s->deadline = now + st->seconds;
        s->next_probe = now;
    }
    if (now < s->next_probe)
        return false;
    /* Reading the state builds the whole dump: a few times a second is
     * plenty for a wait measured in seconds. */
    s->next_probe = now + 0.05;
    ScriptValue v = {.kind = SV_NONE};
    if (w->probe)
        w->probe(w->ctx, st->arg, &v);
    if (until_met(st, &v))
        return true;
    if (now >= s->deadline) {
        char seen[160];
        if (v.kind == SV_NUMBER)
            snprintf(seen, sizeof seen, "%g", v.num);
        else if (v.kind == SV_STRING)
            snprintf(seen, sizeof seen, "\"%s\"", v.str);
        else
            snprintf(seen, sizeof seen, "absent");
        *rc = err_set(e, ERR_IO, "%s:%d: wait-until: %s was %s after %.0f s, not %s %s", s->name,
                      st->line, st->arg, seen, st->seconds, st->cmp, st->text);
    }
    return false;
}

/* Run step st at its current phase; true when the step is finished. */
static bool run_step(Script *s, ScriptStep *st, uint32_t win, double now, const ScriptWorld *w,
                     ScriptOut *out, Err *e, int *rc)
{
    int button = st->right ? SDL_BUTTON_RIGHT : SDL_BUTTON_LEFT;
    uint32_t mask = SDL_BUTTON(button);
    switch (st->op) {
    case SC_CLICK:
        if (s->phase == 0) {
            push_motion(win, st->x0, st->y0, 0);
            push_button(win, st->x0, st->y0, button, true);
            return false;
        }
        push_button(win, st->x0, st->y0, button, false);
        return true;
    case SC_MOVE: push_motion(win, st->x0, st->y0, 0); return true;
    case SC_DRAG:
        if (s->phase == 0) {
            push_motion(win, st->x0, st->y0, 0);
            push_button(win, st->x0, st->y0, button, true);
            return false;
        }
        if (s->phase <= st->steps) {
            /* 64-bit: a long drag's span times its step overflows int */
            int x = st->x0 + (int)((long long)(st->x1 - st->x0) * s->phase / st->steps);
            int y = st->y0 + (int)((long long)(st->y1 - st->y0) * s->phase / st->steps);
            push_motion(win, x, y, mask);
            return false;
        }
        push_button(win, st->x1, st->y1, button, false);
        return true;
    case SC_SCROLL:
        push_motion(win, st->x0, st->y0, 0);
        push_wheel(win, st->steps);
        return true;
    case SC_KEY:
        push_key(win, st, s->phase == 0);
        return s->phase > 0;
    case SC_TYPE: push_text(win, st->arg); return true;
    case SC_WAIT_MS:
        if (s->phase == 0)
            s->deadline = now + st->seconds;
        return now >= s->deadline;
    case SC_WAIT_FRAMES: return s->phase >= st->frames;
    case SC_WAIT_READY:
        if (s->phase == 0)
            s->deadline = now + st->seconds;
        if (w->ready)
            return true;
        if (now >= s->deadline)
            *rc = err_set(e, ERR_IO, "%s:%d: wait-ready: the map was not ready after %.0f s",
                          s->name, st->line, st->seconds);
        return false;
    case SC_WAIT_UNTIL: return wait_until(s, st, now, w, e, rc);
    case SC_SCREENSHOT: out->screenshot = st->arg; return true;
    case SC_DUMP: out->dump = st->arg; return true;
    case SC_RESIZE: {
        /* No window (a headless replay) leaves nothing to resize. */
        SDL_Window *w = SDL_GetWindowFromID(win);
        if (w)
            SDL_SetWindowSize(w, st->x0, st->y0);
        return true;
    }
    case SC_QUIT: {
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_QUIT;
        SDL_PushEvent(&ev);
        out->done = true;
        return true;
    }
    }
    return true;
}

int script_tick(Script *s, uint32_t window_id, double now, const ScriptWorld *w, ScriptOut *out,
                Err *e)
{
    memset(out, 0, sizeof *out);
    int rc = ERR_OK;
    /* Steps that finish at once (move, type, wait 0) let the next step run
     * in the same frame; input with a release, and captures, end the frame. */
    while (s->pc < s->n && rc == ERR_OK && !out->done) {
        ScriptStep *st = &s->steps[s->pc];
        bool finished = run_step(s, st, window_id, now, w, out, e, &rc);
        s->phase++;
        if (!finished)
            break;
        s->pc++;
        s->phase = 0;
        if (st->op == SC_CLICK || st->op == SC_DRAG || st->op == SC_KEY || st->op == SC_SCROLL)
            break; /* the release must be processed before the next input */
        if (st->op == SC_RESIZE)
            break; /* later input lands in the new layout */
        if (st->op == SC_SCREENSHOT || st->op == SC_DUMP)
            break; /* later input must not reach the frame being captured */
    }
    return rc;
}
