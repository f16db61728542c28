/* view_files: the Open model (Ctrl+O) and Save model as (Ctrl+S) dialogs.
 *
 * A modal card over the window: a path field (Tab completes like a shell:
 * the longest common prefix, directories with '/', the candidates listed
 * below when several match, click one to take it), the recent files (most
 * recent first; in Open a click opens it, in Save it fills the field), the
 * action and Cancel buttons, and any error in red. Esc or Cancel closes it.
 * While it is open the views under it get no mouse and the keyboard
 * belongs to its field (ui_wants_keys), so no shortcut fires.
 *
 * Opening goes through app_open_model (model_open.c), the one function
 * that replaces the shown model; it is refused while a training run is
 * active (the dialog says so). Saving writes a copy of the shown weights
 * (the live ones while training) with vae_save, atomically, on a worker
 * (save_job.h); the dialog closes at once and a toast reports the result
 * (a failure reopens the dialog with the error).
 * Thread rule: main thread. */
#ifndef ZSPACE_APP_VIEW_FILES_H
#define ZSPACE_APP_VIEW_FILES_H

#include <stdbool.h>

#include "files/pathcomp.h"
#include "files/recent.h"
#include "explore/save_job.h"
#include "ui/ui.h"

enum { FILES_NONE, FILES_OPEN, FILES_SAVE };

#define FILES_ROWS 8 /* candidates listed at most */

typedef struct {
    int mode;                /* FILES_* */
    char path[4096];         /* the field */
    PathComp comp;           /* the last Tab's matches */
    bool show_comp;          /* several matched: list them */
    Recent recent;           /* as stored */
    Recent shown;            /* of which the files that exist */
    char error[768];         /* shown in red; "" none */
    double save_ms;          /* how long the last save took (on its worker) */
    int saves;               /* saves finished, written or failed */
    SaveJob save;            /* the save being written */
    char save_from[4096];    /* the shown model's path when it started */
    /* where things were drawn this frame (dump-state, for scripts) */
    UiRect card, field, b_ok, b_cancel;
    UiRect cand_r[FILES_ROWS];
    int ncand_r;
    UiRect recent_r[RECENT_MAX];
    int nrecent_r;
} AppFiles;

#endif
