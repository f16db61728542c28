/* script: the explorer's script language for tests, demos and recordings,
 * parsed into steps. The window plays them (app/script_play.h): input steps
 * become real SDL events, so a script exercises exactly the code a user does.
 *
 * One command per line; '#' starts a comment; coordinates are window points:
 *   click X Y            left press at X Y, release next frame
 *   rclick X Y           the same with the right button
 *   move X Y             move the mouse (hover)
 *   drag X1 Y1 X2 Y2 N   left press at 1, N motion frames to 2, release
 *   rdrag X1 Y1 X2 Y2 N  the same with the right button (pans the map)
 *   scroll X Y NOTCHES   mouse wheel at X Y (positive = up = zoom in)
 *   key NAME             press and release a key: the names of ui/key.h,
 *                        which are SDL's ("F1", "Home", "A"), modifiers as
 *                        prefixes: "Ctrl+=", "Shift+Ctrl+minus"
 *   type TEXT            text input (the rest of the line)
 *   wait 500ms | wait 2s | wait 30 frames
 *   wait-ready [SECONDS] wait until the model's map is drawn (Z > 2: its first
 *                        layout; default 60 s;
 *                        longer is an error)
 *   wait-until PATH OP VALUE [SECONDS]
 *                        wait until the value at a dump-state path
 *                        (docs/dump-state.md) compares to VALUE by OP: a
 *                        number (a boolean reads as 0/1, an array as its
 *                        length) by >=, <=, >, <, == or !=; a string by ==
 *                        or !=. "wait-until training.epoch >= 2",
 *                        "wait-until training.state == paused 30";
 *                        default 60 s, at most 3600; a timeout is an error
 *                        naming the line and the last value seen
 *   screenshot FILE      save the next rendered frame as PNG
 *   dump-state FILE      write the app state as JSON (see dump.c)
 *   resize W H           set the window's size in points (as a user dragging
 *                        its border would; the app sees the size-changed event)
 *   quit
 * Parsing knows no window: tests and the fuzzer run it headless. */
#ifndef ZSPACE_EXPLORE_SCRIPT_H
#define ZSPACE_EXPLORE_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "ui/key.h"

typedef enum {
    SC_CLICK, SC_MOVE, SC_DRAG, SC_SCROLL, SC_KEY, SC_TYPE, SC_WAIT_MS, SC_WAIT_FRAMES,
    SC_WAIT_READY, SC_WAIT_UNTIL, SC_SCREENSHOT, SC_DUMP, SC_QUIT, SC_RESIZE,
} ScriptOp;

typedef struct {
    ScriptOp op;
    int line;
    bool right;         /* CLICK, DRAG: the right button, else the left */
    int x0, y0, x1, y1; /* CLICK/MOVE/SCROLL use x0, y0; RESIZE: width x0, height y0 */
    int steps;          /* DRAG: motion frames; SCROLL: notches */
    UiKey key;          /* KEY: the key and its modifiers */
    double seconds;     /* WAIT_MS, WAIT_READY, WAIT_UNTIL: how long */
    char cmp[3];        /* WAIT_UNTIL: ">=", "<=", ">", "<", "==" or "!=" */
    double value;       /* WAIT_UNTIL: the number compared with (NaN: a string) */
    char *text;         /* WAIT_UNTIL: the string compared with, as written (owned) */
    int frames;         /* WAIT_FRAMES */
    char *arg;          /* TYPE text, SCREENSHOT/DUMP file, WAIT_UNTIL dump path (owned) */
} ScriptStep;

typedef struct {
    char name[256];
    ScriptStep *steps;
    int n;
    int pc;             /* current step */
    int phase;          /* frame within the current step */
    double deadline;    /* WAIT_MS / WAIT_READY / WAIT_UNTIL */
    double next_probe;  /* WAIT_UNTIL: when to read the state again */
} Script;

/* One value of the app's state, as wait-until reads it (a string step's
 * text must fit in str). */
typedef struct {
    enum { SV_NONE, SV_NUMBER, SV_STRING } kind; /* NONE: absent, or an object */
    double num;
    char str[128]; /* cut to fit */
} ScriptValue;

/* Parse text (name for messages). Errors name the line: "FILE:3: ...". */
int script_parse(Script *s, const char *name, const char *text, Err *e);
int script_load(Script *s, const char *path, Err *e);
void script_free(Script *s);

#endif
