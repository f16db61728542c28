/* textfit: which texts of a frame are cut. A text command is cut when the
 * clip in force (the last CLIP command, always within the screen) shows part
 * of its measured box but not all of it. Across (its start or end missing:
 * a line too long for its panel) is always a fault: text must wrap or elide.
 * Down (its top or bottom missing) is what a scrolling panel does at its
 * edges, and a fault elsewhere. Text wholly outside its clip (a list
 * scrolled past it) is not drawn and not counted. dump-state reports them
 * ("ui.cut_across", "ui.cut_down", "ui.cut_text"), so a test can ask that
 * every panel's text fits at a window size. Text drawn with no clip over a
 * neighbour is not seen here. textfit_elide is how a panel makes a line
 * fit. Headless: reads a UiCmdList, measures through the Ui's metrics. */
#ifndef ZSPACE_APP_TEXTFIT_H
#define ZSPACE_APP_TEXTFIT_H

#include <stdbool.h>

#include <stddef.h>

#include "ui/cmd.h"
#include "ui/ui.h"

typedef struct {
    int cmd;          /* index in the list */
    UiRect text, clip;
    bool across;      /* cut at the clip's left or right (else only at its top or bottom) */
} TextCut;

/* Scan list l drawn on a screen_w x screen_h drawable; write up to cap cuts
 * into out (may be NULL when cap is 0); returns how many there are, and how
 * many of them are cut across in *across (may be NULL). */
int textfit_scan(const UiCmdList *l, int screen_w, int screen_h, TextCut *out, int cap,
                 int *across);

/* s, cut at its end with an ellipsis (whole UTF-8 characters) so that it
 * is at most w pixels wide in font, into buf (n bytes); returns buf. */
const char *textfit_elide(const Ui *ui, int font, const char *s, int w, char *buf, size_t n);

#endif
