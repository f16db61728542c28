/* fuzz_script: the explorer's --script parser (script_parse) on arbitrary
 * bytes, then the parsed script played (script_tick) on a fake clock into
 * SDL's event queue with no window. A parse either succeeds with steps whose
 * fields are in range, or fails with a message naming the line; playing any
 * parsed script never crashes and ends or waits, tick by tick.
 * Thread rule: single-threaded (libFuzzer calls one input at a time). */
#include <SDL.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/script_play.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Ticks played per input: enough to reach every step of a short script,
 * bounded so a `wait 3600s` or a 100000-step drag cannot time out. */
enum { MAX_TICKS = 4000 };

static void check_step(const ScriptStep *st, int lines)
{
    if (st->line < 1 || st->line > lines)
        abort();
    switch (st->op) {
    case SC_TYPE:
        if (!st->arg || !st->arg[0])
            abort();
        break;
    case SC_SCREENSHOT:
    case SC_DUMP:
        if (!st->arg || !st->arg[0] || strchr(st->arg, ' '))
            abort();
        break;
    case SC_DRAG:
        if (st->steps < 1)
            abort();
        break;
    case SC_WAIT_MS:
    case SC_WAIT_READY:
        if (!(st->seconds >= 0 && st->seconds <= 3600e3))
            abort();
        break;
    case SC_WAIT_UNTIL:
        if (!st->arg || !st->text || !(st->seconds > 0 && st->seconds <= 3600) ||
            !strchr("<>=!", st->cmp[0]) || (isnan(st->value) && st->cmp[1] != '='))
            abort();
        break;
    case SC_WAIT_FRAMES:
        if (st->frames < 0)
            abort();
        break;
    case SC_RESIZE:
        if (st->x0 < 200 || st->y0 < 150 || st->x0 > 16384 || st->y0 > 16384)
            abort();
        break;
    case SC_KEY:
        if (st->key.code == UI_KEY_NONE)
            abort();
        break;
    default: break;
    }
}

/* A fake app state for wait-until: every path reads as a number that grows
 * with the clock, some paths are absent. */
static void fake_probe(const void *ctx, const char *path, ScriptValue *v)
{
    double now = *(const double *)ctx;
    size_t n = strlen(path);
    v->kind = n % 5 == 0 ? SV_NONE : n % 5 == 1 ? SV_STRING : SV_NUMBER;
    v->num = now * (double)n;
    snprintf(v->str, sizeof v->str, "%s", now > 10 ? "paused" : path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool sdl_ok;
    if (!sdl_ok) {
        /* The event queue alone (no video): pushes succeed like in the app. */
        sdl_ok = SDL_Init(SDL_INIT_EVENTS) == 0;
        if (!sdl_ok)
            abort();
    }
    if (size > (1 << 20)) /* script_load's own limit */
        return 0;
    /* The parser reads text up to a NUL, as script_load's buffer would. */
    char *text = strndup((const char *)data, size);
    if (!text)
        return 0;
    int lines = 1;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';

    Script s;
    Err e = {0};
    if (script_parse(&s, "fuzz.zss", text, &e) != ERR_OK) {
        /* A failure names the script, leaves nothing allocated. */
        if (strncmp(e.msg, "fuzz.zss", 8) != 0 || s.steps || s.n)
            abort();
        free(text);
        return 0;
    }
    free(text); /* steps own their strings */
    for (int i = 0; i < s.n; i++)
        check_step(&s.steps[i], lines);

    double now = 0;
    for (int t = 0; t < MAX_TICKS && s.pc < s.n; t++) {
        ScriptOut out;
        /* the map is sometimes not ready yet */
        ScriptWorld w = {.ready = t % 7 != 3, .probe = fake_probe, .ctx = &now};
        int rc = script_tick(&s, 1, now, &w, &out, &e);
        SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
        if (rc != ERR_OK) {
            if (!e.msg[0])
                abort();
            break;
        }
        if (s.pc < 0 || s.pc > s.n)
            abort();
        if (out.done)
            break;
        now += 0.25;
    }
    script_free(&s);
    return 0;
}
