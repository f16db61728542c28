/* view_curves: the live loss curves and the per-dimension KL bars.
 *
 * Loss curves: x is epochs (batch i of a run that started at epoch e0 sits
 * at e0 + (i + 1) / batches_per_epoch), y is nats per image. Each training
 * series (total = recon + beta KL, recon, KL) is drawn twice: the raw
 * per-batch values as a faint band (min..max of the batches falling in each
 * 2-pixel column, so a 100,000-batch run costs a few hundred rectangles),
 * and a smoothed line (an exponential moving average, debiased like
 * TensorBoard's, over about 20 batches). Test losses are one dot per epoch,
 * joined. The y range ignores the first 5% of batches (the untrained start
 * is an order of magnitude above the rest); the log scale shows everything.
 * Hovering reads out the values under the mouse.
 *
 * KL bars: the mean KL of each latent dimension, from the trainer's recent
 * batches while a run feeds the model, else over the map's points. A
 * dimension is active above VAE_ACTIVE_KL nats; inactive ones are grey, so
 * posterior collapse at large Z is plain to see. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app_impl.h"
#include "axis.h"
#include "vae/vae_eval.h"

#define SMOOTH 0.95 /* EMA weight of the past: ~20 batches */
enum { SERIES = 3 };
static const char *const series_names[SERIES] = {"total", "recon", "KL"};

static UiColor series_color(const Ui *ui, int k)
{
    switch (k) {
    case 0: return ui->theme.text;
    case 1: return ui->theme.high_contrast ? ui_rgba(0x40, 0xe0, 0xff, 255) : ui_rgba(0x5a, 0xa9, 0xff, 255);
    default: return ui->theme.high_contrast ? ui_rgba(0xff, 0x80, 0x20, 255) : ui_rgba(0xff, 0x9f, 0x43, 255);
    }
}

static UiColor fade(UiColor c, uint8_t alpha)
{
    c.a = alpha;
    return c;
}

static float batch_value(const TrainBatchLoss *b, int k)
{
    return k == 0 ? b->loss : k == 1 ? b->recon : b->kl;
}

static double epoch_test(const VaeEpochLoss *l, int k)
{
    return k == 0 ? l->test : k == 1 ? l->test_recon : l->test_kl;
}

static double epoch_train(const VaeEpochLoss *l, int k)
{
    return k == 0 ? l->train : k == 1 ? l->train_recon : l->train_kl;
}

typedef struct {
    UiRect p;            /* plot area */
    double x0, x1, y0, y1;
    bool log;
} Plot;

static float px(const Plot *pl, double x)
{
    return (float)pl->p.x + (float)((x - pl->x0) / (pl->x1 - pl->x0)) * (float)pl->p.w;
}

static float py(const Plot *pl, double y)
{
    double f;
    if (pl->log) {
        y = y < pl->y0 ? pl->y0 : y;
        f = (log(y) - log(pl->y0)) / (log(pl->y1) - log(pl->y0));
    } else {
        f = (y - pl->y0) / (pl->y1 - pl->y0);
    }
    f = !(f >= -0.05) ? -0.05 : f > 1.05 ? 1.05 : f; /* NaN, -inf: the bottom */
    return (float)(pl->p.y + pl->p.h) - (float)f * (float)pl->p.h;
}

/* What the curves show: the run feeding the shown model, or the model
 * file's per-epoch history. */
typedef struct {
    const TrainBatchLoss *b;
    size_t nb, per_epoch;
    double e0;           /* epochs before the first batch */
    const VaeEpochLoss *ep;
    int nep;
    double planned;      /* last epoch of the run */
} Series;

static Series series_of(const App *a)
{
    const AppTrain *tr = &a->train;
    const TrainSnapshot *s = &tr->snap;
    Series d = {0};
    if (s->run && s->run == tr->model_run) {
        d.b = s->batch_hist;
        d.nb = s->batches ? s->n_batch_hist : 0;
        d.per_epoch = s->batches;
        d.e0 = (double)s->epochs_before;
        d.ep = s->epoch_hist;
        d.nep = s->n_epoch_hist;
        d.planned = (double)(s->epochs_before + s->epochs);
    } else if (a->map.loaded) {
        d.ep = a->map.model.info.history;
        d.nep = a->map.model.info.n_history;
        d.planned = d.nep;
    }
    return d;
}

static double batch_x(const Series *d, size_t i)
{
    return d->e0 + (double)(i + 1) / (double)d->per_epoch;
}

static void y_range(const Series *d, bool log_scale, double *lo, double *hi)
{
    double mn = DBL_MAX, mx = -DBL_MAX;
    size_t skip = d->nb / 20;
    for (int k = 0; k < SERIES; k++) {
        double ema = 0, w = 0;
        for (size_t i = 0; i < d->nb; i++) {
            ema = SMOOTH * ema + (1 - SMOOTH) * batch_value(&d->b[i], k);
            w = SMOOTH * w + (1 - SMOOTH);
            double v = ema / w;
            if ((i >= skip || log_scale) && isfinite(v)) {
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
        }
        for (int e = 0; e < d->nep; e++)
            for (int which = 0; which < 2; which++) {
                double v = which ? epoch_test(&d->ep[e], k) : epoch_train(&d->ep[e], k);
                if (isfinite(v)) {
                    mn = v < mn ? v : mn;
                    mx = v > mx ? v : mx;
                }
            }
    }
    if (mn > mx)
        mn = 0, mx = 1;
    /* finite values near DBL_MAX (a damaged history) would overflow the margins */
    mn = axis_clamp(mn, 0);
    mx = axis_clamp(mx, 1);
    if (log_scale) {
        mn = mn < 0.01 ? 0.01 : mn;
        mx = mx < mn * 1.5 ? mn * 1.5 : mx;
        *lo = mn / 1.3;
        *hi = mx * 1.3;
    } else {
        *lo = 0;
        *hi = mx > 0 ? mx * 1.08 : 1;
    }
}

static void axes(Ui *ui, const Plot *pl)
{
    const UiTheme *t = &ui->theme;
    int sh = ui_text_height(ui, UI_FONT_SMALL), pad = ui_pad(ui);
    char buf[32];
    double tick[AXIS_MAX_TICKS];
    int n;
    bool whole = true; /* linear labels: "%.0f" for steps of 1 or more, else "%.1f" */
    /* y: decades (and 2, 5 between when they fit) on log, nice steps on linear */
    if (pl->log) {
        n = axis_log_ticks(pl->y0, pl->y1, (int)(pl->p.h / (sh * 1.6)), tick, AXIS_MAX_TICKS);
    } else {
        double st = axis_step_at_least((pl->y1 - pl->y0) / fmax(2, pl->p.h / (sh * 2.5)));
        n = axis_ticks(pl->y0, pl->y1, st, tick, AXIS_MAX_TICKS);
        whole = st >= 1;
    }
    for (int i = 0; i < n; i++) {
        double v = tick[i];
        float y = py(pl, v);
        ui_draw_rect(ui, ui_rect(pl->p.x, (int)y, pl->p.w, 1), t->grid, 0);
        if (pl->log || v >= 1e6) /* huge values (a damaged history) in short form */
            snprintf(buf, sizeof buf, v >= 1 && v < 1e6 ? "%.0f" : "%.2g", v);
        else
            snprintf(buf, sizeof buf, whole ? "%.0f" : "%.1f", v);
        int w = ui_text_width(ui, UI_FONT_SMALL, buf);
        ui_draw_text(ui, UI_FONT_SMALL, pl->p.x - w - pad / 2, (int)y - sh / 2, t->text_dim, buf);
    }
    /* x: epochs */
    int wlab = ui_text_width(ui, UI_FONT_SMALL, "0000");
    double st = axis_step_at_least((pl->x1 - pl->x0) / fmax(1, pl->p.w / (wlab * 2.0)));
    n = axis_ticks(pl->x0, pl->x1 + 1e-9, st, tick, AXIS_MAX_TICKS);
    for (int i = 0; i < n; i++) {
        double v = tick[i];
        float x = px(pl, v);
        ui_draw_rect(ui, ui_rect((int)x, pl->p.y, 1, pl->p.h), t->grid, 0);
        snprintf(buf, sizeof buf, st >= 1 ? "%.0f" : "%.1f", v);
        int w = ui_text_width(ui, UI_FONT_SMALL, buf);
        ui_draw_text(ui, UI_FONT_SMALL, (int)x - w / 2, pl->p.y + pl->p.h + pad / 3, t->text_dim,
                     buf);
    }
    ui_draw_frame(ui, pl->p, t->border, 1, 0);
    int w = ui_text_width(ui, UI_FONT_SMALL, "epoch");
    ui_draw_text(ui, UI_FONT_SMALL, pl->p.x + pl->p.w - w, pl->p.y + pl->p.h + pad / 3 + sh,
                 t->text_dim, "epoch");
}

/* One training series: faint per-column band of the raw batches, smoothed
 * line on top. *at_hover receives the smoothed value at batch `hover`. */
static void draw_series(Ui *ui, const Plot *pl, const Series *d, int k, size_t hover,
                        double *at_hover)
{
    UiColor c = series_color(ui, k), faint = fade(c, 55);
    double ema = 0, w = 0;
    int col = -1;
    float lo = 0, hi = 0, lx = 0, ly = 0;
    bool have_prev = false;
    for (size_t i = 0; i <= d->nb; i++) {
        int ci = i < d->nb ? (int)((px(pl, batch_x(d, i)) - (float)pl->p.x) / 2) : -2;
        if (ci != col && col >= 0) { /* flush the column */
            float x = (float)pl->p.x + (float)col * 2.0f;
            ui_draw_rect(ui, ui_rect((int)x, (int)lo, 2, (int)fmaxf(1, hi - lo)), faint, 0);
            float sy = py(pl, ema / w);
            if (have_prev)
                ui_draw_line(ui, lx, ly, x + 1, sy, 2.0f, c);
            lx = x + 1;
            ly = sy;
            have_prev = true;
        }
        if (i == d->nb)
            break;
        double v = batch_value(&d->b[i], k);
        ema = SMOOTH * ema + (1 - SMOOTH) * v;
        w = SMOOTH * w + (1 - SMOOTH);
        if (i == hover)
            *at_hover = ema / w;
        float y = py(pl, v);
        if (ci != col) {
            col = ci;
            lo = hi = y;
        } else {
            lo = fminf(lo, y);
            hi = fmaxf(hi, y);
        }
    }
}

static void draw_epochs(Ui *ui, const Plot *pl, const Series *d, int k)
{
    UiColor c = series_color(ui, k);
    float r = (float)ui_pad(ui) * 0.55f;
    float lx = 0, ly = 0;
    bool prev = false;
    for (int e = 0; e < d->nep; e++) {
        /* without per-batch data (a loaded model), the per-epoch train loss */
        if (d->nb == 0 && isfinite(epoch_train(&d->ep[e], k))) {
            float x = px(pl, e + 1), y = py(pl, epoch_train(&d->ep[e], k));
            if (e > 0 && isfinite(epoch_train(&d->ep[e - 1], k)))
                ui_draw_line(ui, px(pl, e), py(pl, epoch_train(&d->ep[e - 1], k)), x, y, 2.0f,
                             c);
        }
        double v = epoch_test(&d->ep[e], k);
        if (!isfinite(v)) {
            prev = false;
            continue;
        }
        float x = px(pl, e + 1), y = py(pl, v);
        if (prev)
            ui_draw_line(ui, lx, ly, x, y, 1.5f, fade(c, 170));
        ui_draw_circle(ui, x, y, r + 1.5f, 0, ui->theme.panel);
        ui_draw_circle(ui, x, y, r, 2.0f, c);
        lx = x;
        ly = y;
        prev = true;
    }
}

/* The key, at the plot's right edge: a line per series, and the test-loss
 * dot. */
static void legend(Ui *ui, UiRect p)
{
    const UiTheme *t = &ui->theme;
    int pad = ui_pad(ui), sh = ui_text_height(ui, UI_FONT_SMALL), lh = sh + pad / 3;
    int sw = 2 * pad, tw = ui_text_width(ui, UI_FONT_SMALL, "test (per epoch)");
    int w = pad * 2 + sw + pad / 2 + tw, h = pad + 4 * lh;
    /* right, mid-height: the curves sit high (total, recon) and low (KL) */
    UiRect box = ui_rect(p.x + p.w - w - pad / 2, p.y + (p.h - h) / 2, w, h);
    UiColor bg = t->card;
    bg.a = 225;
    ui_draw_rect(ui, box, bg, (float)pad / 2);
    int x = box.x + pad, y = box.y + pad / 2;
    for (int k = 0; k < SERIES; k++, y += lh) {
        float cy = (float)y + (float)sh / 2;
        ui_draw_line(ui, (float)x, cy, (float)(x + sw), cy, 3.0f, series_color(ui, k));
        ui_draw_text(ui, UI_FONT_SMALL, x + sw + pad / 2, y, t->text, series_names[k]);
    }
    float rr = (float)pad * 0.5f;
    ui_draw_circle(ui, (float)x + (float)sw / 2, (float)y + (float)sh / 2, rr, 2.0f, t->text);
    ui_draw_text(ui, UI_FONT_SMALL, x + sw + pad / 2, y, t->text, "test (per epoch)");
}

static void hover_readout(App *a, const Plot *pl, const Series *d, size_t i, const double sm[3])
{
    Ui *ui = &a->ui;
    float x = px(pl, batch_x(d, i));
    ui_draw_line(ui, x, (float)pl->p.y, x, (float)(pl->p.y + pl->p.h), 1.0f,
                 fade(ui->theme.focus, 160));
    char tip[256];
    int n = snprintf(tip, sizeof tip, "epoch %.2f \xc2\xb7 batch %zu\ntotal %.1f  recon %.1f  KL %.2f",
                     batch_x(d, i), i + 1, sm[0], sm[1], sm[2]);
    int e = (int)ceil(batch_x(d, i) - 1e-9) - 1; /* the epoch this batch belongs to */
    if (e >= 0 && e < d->nep && isfinite(d->ep[e].test) && n > 0 && (size_t)n < sizeof tip)
        snprintf(tip + n, sizeof tip - (size_t)n, "\ntest after epoch %d: %.1f", e + 1,
                 d->ep[e].test);
    ui_tooltip(ui, tip, -1);
}

void view_curves(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    AppTrain *tr = &a->train;
    UiRect r = a->layout.curves;
    int pad = ui_pad(ui), th = ui_text_height(ui, UI_FONT_BODY), sh = ui_text_height(ui, UI_FONT_SMALL);
    float radius = (float)pad * 0.8f;
    ui_draw_rect(ui, r, t->panel, radius);
    ui_draw_frame(ui, r, t->border, t->high_contrast ? 2.0f : 1.0f, radius);
    int head = th + pad;
    ui_draw_text(ui, UI_FONT_BODY, r.x + 2 * pad, r.y + pad / 2 + (head - th) / 2, t->text,
                 "Loss (nats per image)");
    int cw = th + pad + ui_text_width(ui, UI_FONT_BODY, "log scale");
    ui_checkbox_at(ui, ui_rect(r.x + r.w - cw - pad, r.y + pad / 2, cw, head), "log scale",
                   &tr->log_scale);
    Series d = series_of(a);
    int ylab = ui_text_width(ui, UI_FONT_SMALL, "0000") + pad;
    Plot pl = {.p = ui_rect(r.x + pad + ylab, r.y + head + pad, r.w - 3 * pad - ylab,
                            r.h - head - 2 * pad - 2 * sh - pad / 2),
               .log = tr->log_scale};
    if (pl.p.w < 20 || pl.p.h < 20)
        return;
    if (d.nb == 0 && d.nep == 0) {
        const char *msg = "No training history yet. Start a run in the Training panel.";
        int w = ui_text_width(ui, UI_FONT_BODY, msg);
        if (w <= pl.p.w) {
            ui_draw_text(ui, UI_FONT_BODY, pl.p.x + (pl.p.w - w) / 2, pl.p.y + (pl.p.h - th) / 2,
                         t->text_dim, msg);
        } else { /* a narrow plot: wrapped, and clipped to the panel like the curves */
            int h = ui_text_wrapped_height(ui, UI_FONT_BODY, pl.p.w, msg);
            ui_clip(ui, r);
            ui_draw_text_wrapped(ui, UI_FONT_BODY,
                                 ui_rect(pl.p.x, pl.p.y + (pl.p.h - h) / 2, pl.p.w, h),
                                 t->text_dim, msg);
            ui_clip_reset(ui);
        }
        return;
    }
    pl.x0 = 0;
    pl.x1 = fmax(1, fmax(d.planned, d.nb ? batch_x(&d, d.nb - 1) : 0));
    y_range(&d, pl.log, &pl.y0, &pl.y1);
    ui_clip(ui, ui_rect(r.x, r.y, r.w, r.h));
    axes(ui, &pl);
    /* hover: the batch under the mouse */
    size_t hover = SIZE_MAX;
    bool over = ui_rect_contains(pl.p, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y) && !ui->active;
    if (over && d.nb > 0) {
        double x = pl.x0 + (double)(ui_mouse(ui)->mouse_x - pl.p.x) / pl.p.w * (pl.x1 - pl.x0);
        double bi = (x - d.e0) * (double)d.per_epoch - 1;
        if (bi >= -0.5 && bi < (double)d.nb - 0.5)
            hover = (size_t)fmax(0, floor(bi + 0.5));
    }
    ui_clip(ui, pl.p);
    double sm[SERIES] = {0};
    for (int k = SERIES - 1; k >= 0; k--)
        draw_series(ui, &pl, &d, k, hover, &sm[k]);
    for (int k = SERIES - 1; k >= 0; k--)
        draw_epochs(ui, &pl, &d, k);
    legend(ui, pl.p);
    ui_clip_reset(ui);
    if (hover != SIZE_MAX)
        hover_readout(a, &pl, &d, hover, sm);
}

/* ---- KL per dimension ---- */

void view_klbars(App *a)
{
    Ui *ui = &a->ui;
    const UiTheme *t = &ui->theme;
    AppTrain *tr = &a->train;
    const TrainSnapshot *s = &tr->snap;
    UiRect r = a->layout.kl;
    int pad = ui_pad(ui), th = ui_text_height(ui, UI_FONT_BODY), sh = ui_text_height(ui, UI_FONT_SMALL);
    float radius = (float)pad * 0.8f;
    ui_draw_rect(ui, r, t->panel, radius);
    ui_draw_frame(ui, r, t->border, t->high_contrast ? 2.0f : 1.0f, radius);
    const float *kl = NULL;
    int z = 0;
    const char *source = "";
    if (s->run && s->run == tr->model_run && s->steps > 0) {
        kl = s->kl_dim;
        z = s->cfg.z;
        source = "recent batches";
    } else if (a->map.ready) {
        kl = a->map.model.job.kl_dim;
        z = a->map.model.job.z;
        source = "map images";
    }
    int active = 0;
    float mx = 0.1f;
    for (int d = 0; d < z; d++) {
        active += kl[d] > VAE_ACTIVE_KL;
        if (isfinite(kl[d]))
            mx = fmaxf(mx, kl[d]);
    }
    mx = fminf(mx, 1e30f); /* the axis' top, a nice step above it, stays a finite float */
    ui_draw_text(ui, UI_FONT_BODY, r.x + 2 * pad, r.y + pad, t->text, "KL per dimension");
    if (!z)
        return;
    char sub[128];
    snprintf(sub, sizeof sub, "%d of %d active \xc2\xb7 nats, %s", active, z, source);
    if (ui_text_width(ui, UI_FONT_SMALL, sub) > r.w - 3 * pad)
        snprintf(sub, sizeof sub, "%d of %d active (nats)", active, z);
    ui_draw_text(ui, UI_FONT_SMALL, r.x + 2 * pad, r.y + pad + th, t->text_dim, sub);
    int top = r.y + 2 * pad + th + sh;
    int ylab = ui_text_width(ui, UI_FONT_SMALL, "00.0") + pad;
    UiRect p = ui_rect(r.x + pad + ylab, top + pad, r.w - 3 * pad - ylab, r.y + r.h - top - 2 * pad - sh);
    if (p.w < z || p.h < 10)
        return;
    double st = axis_step_at_least(mx * 1.1 / fmax(1, p.h / (sh * 2.5)));
    float ymax = (float)(ceil(mx * 1.1 / st) * st);
    char buf[48];
    double tick[AXIS_MAX_TICKS];
    int nt = axis_ticks(0, ymax + 1e-9, st, tick, AXIS_MAX_TICKS);
    for (int i = 0; i < nt; i++) {
        double v = tick[i];
        int y = p.y + p.h - (int)((float)v / ymax * (float)p.h);
        ui_draw_rect(ui, ui_rect(p.x, y, p.w, 1), t->grid, 0);
        snprintf(buf, sizeof buf, v >= 1e6 ? "%.2g" : st >= 1 ? "%.0f" : "%.1f", v);
        int w = ui_text_width(ui, UI_FONT_SMALL, buf);
        ui_draw_text(ui, UI_FONT_SMALL, p.x - w - pad / 2, y - sh / 2, t->text_dim, buf);
    }
    float bw = (float)p.w / (float)z;
    float gap = bw > 6 ? fmaxf(1, bw * 0.18f) : 0;
    tr->hover_dim = -1;
    if (ui_rect_contains(p, ui_mouse(ui)->mouse_x, ui_mouse(ui)->mouse_y) && !ui->active)
        tr->hover_dim = (int)((float)(ui_mouse(ui)->mouse_x - p.x) / bw);
    int every = 1;
    while ((float)every * bw < (float)ui_text_width(ui, UI_FONT_SMALL, "z00") + pad)
        every *= 2;
    for (int d = 0; d < z; d++) {
        bool on = kl[d] > VAE_ACTIVE_KL;
        UiColor c = on ? t->accent : t->track;
        if (d == tr->hover_dim)
            c = t->focus;
        float h = fminf(kl[d] / ymax, 1.0f) * (float)p.h; /* inf, NaN: a full bar */
        int x = p.x + (int)((float)d * bw + gap / 2);
        int w = (int)fmaxf(1, bw - gap);
        ui_draw_rect(ui, ui_rect(x, p.y + p.h - (int)fmaxf(on ? 2 : 1, h), w, (int)fmaxf(on ? 2 : 1, h)), c, 0);
        if (d % every == 0) {
            snprintf(buf, sizeof buf, "z%d", d + 1);
            int tw = ui_text_width(ui, UI_FONT_SMALL, buf);
            ui_draw_text(ui, UI_FONT_SMALL, x + w / 2 - tw / 2, p.y + p.h + pad / 3, t->text_dim,
                         buf);
        }
    }
    ui_draw_rect(ui, ui_rect(p.x, p.y + p.h, p.w, 1), t->axis, 0);
    if (tr->hover_dim >= 0 && tr->hover_dim < z) {
        int d = tr->hover_dim;
        snprintf(buf, sizeof buf, "z%d: %.3f nats%s", d + 1, (double)kl[d],
                 kl[d] > VAE_ACTIVE_KL ? "" : " (inactive)");
        ui_tooltip(ui, buf, -1);
    }
}
