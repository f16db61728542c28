/* walk_gif: the walk exported as an animated GIF (G, or the Walk panel's
 * button). The frames are decoded on the UI thread with the weights shown
 * now (a few ms; training may change them later) and written by the GIF
 * job's worker (gif_job.h); the finished export is announced and kept in
 * AppWalk for the dump. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app_impl.h"
#include "wake.h"
#include "core/timer.h"

void app_walk_gif_start(App *a, AppWalk *w)
{
    double t0 = timer_now();
    int steps = APP_WALK_GIF_STEPS, z = a->cur.dim;
    size_t n = viz_path_frames(&w->path, steps);
    float *zs = malloc(sizeof(float) * n * (size_t)z);
    float *x = malloc(sizeof(float) * n * VAE_X);
    char name[64];
    /* next to the F12 screenshots: the current directory, named by the time */
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(name, sizeof name, "zspace-walk-%Y%m%d-%H%M%S.gif", &tm);
    Err e = {0};
    int rc = zs && x ? ERR_OK : err_set(&e, ERR_NOMEM, "out of memory");
    if (rc == ERR_OK) {
        /* decoded here, with the weights shown now (training may change them) */
        viz_path_sample(&w->path, steps, zs);
        vae_decode(&a->map.model.vae, zs, n, x);
        VizGifOpts o;
        viz_gif_opts_default(&o);
        /* the GIF plays at the speed the walk plays here */
        long fps = lround((double)w->st.speed * steps);
        o.fps = fps < 1 ? 1 : fps > 50 ? 50 : (int)fps;
        o.stop_every = steps;
        o.pingpong = w->st.repeat == WALK_PINGPONG;
        w->gif_ui_ms = (timer_now() - t0) * 1e3;
        w->gif_frames = (int)n;
        rc = gif_job_start(&w->gif_job, x, n, &o, name, app_wake_cb, app_wake_arg(a->wake_event),
                           &e);
        x = NULL; /* the job owns it now */
    }
    free(zs);
    free(x);
    if (rc == ERR_OK) {
        ui_toast(&a->ui, "Writing the walk as a GIF\xe2\x80\xa6");
    } else {
        char msg[400];
        snprintf(msg, sizeof msg, "GIF export failed: %s", e.msg);
        ui_toast(&a->ui, msg);
    }
}

/* The export finished: say where it went (or why not). */
void app_walk_gif_poll(App *a, AppWalk *w)
{
    if (!gif_job_poll(&w->gif_job))
        return;
    GifJob *j = &w->gif_job;
    char msg[4400];
    if (j->err.code == ERR_OK) {
        char *abs = realpath(j->path, NULL);
        snprintf(w->gif, sizeof w->gif, "%s", abs ? abs : j->path);
        free(abs);
        w->gif_seconds = (w->gif_ui_ms + j->ms) / 1e3;
        snprintf(msg, sizeof msg, "Saved %s (%d frames)", w->gif, w->gif_frames);
    } else {
        snprintf(msg, sizeof msg, "GIF export failed: %s", j->err.msg);
    }
    ui_toast(&a->ui, msg);
}
