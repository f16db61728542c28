/* study_figures: the report's pictures, drawn with the figure library
 * (src/viz) from the cached models the study just measured:
 *   map-*.png      latent means of the test images by class: the plane
 *                  itself at Z=2, a t-SNE of the means at Z=64 (as the blog)
 *   samples-*.png  the prior samples (left) beside the posterior samples
 *                  (right) that the table scores: the very same images
 *   walk-*.gif     the blog's walks: class centroids 2 -> 3 -> 8 -> 7 -> 9 -> 1
 *                  at Z=2, 2 -> 1 at Z=64, each frame captioned with what the
 *                  classifier reads there
 *   manifold-*.png Z=2: decodes of a 20 x 20 grid over [-3, 3]^2, the region
 *                  prior samples come from
 * Thread rule: the calling thread only (viz text uses SDL_ttf, see
 * viz/text.h; t-SNE and the engine use `threads` inside their calls). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timer.h"
#include "embed/quality.h"
#include "embed/tsne.h"
#include "io/gif.h"
#include "nn/nn.h"
#include "study.h"
#include "vae/vae_io.h"
#include "viz/grid.h"
#include "viz/image.h"
#include "viz/interp.h"
#include "viz/plot.h"
#include "viz/text.h"

enum {
    WALK_SCALE = 6,    /* GIF digit upscaling: 168 px */
    WALK_BAR = 34,     /* caption strip under the digit */
    WALK_DELAY = 8,    /* hundredths of a second per frame */
    WALK_HOLD = 60,    /* extra pause on each stop */
    MANIFOLD_GRID = 20,
    SAMPLE_COLS = 8,
};
#define MANIFOLD_RANGE 3.0f

typedef struct {
    const StudyOpts *o;
    const StudyResult *r;
    StudyProgress p;
    const char *dir;
    StudyFigures *f;
    const Dataset *ds;
    VizFont font, small;
} Fig;

static void tick(Fig *g)
{
    g->p.done++;
    if (g->o->progress) {
        g->p.seconds = timer_now() - g->r->t_start;
        g->o->progress(g->o->user, &g->p);
    }
}

static void add(Fig *g, const char *file, const char *caption)
{
    if (g->f->n >= STUDY_MAX_FIGURES)
        return;
    StudyFigure *fig = &g->f->fig[g->f->n++];
    const StudyModel *m = &g->r->models[g->p.model];
    snprintf(fig->group, sizeof fig->group, "Z=%d β=%g", m->spec.z, (double)m->spec.beta);
    snprintf(fig->file, sizeof fig->file, "%s", file);
    snprintf(fig->caption, sizeof fig->caption, "%s", caption);
}

static void tag(const StudyModel *m, char *buf, size_t size)
{
    snprintf(buf, size, "z%d-b%g", m->spec.z, (double)m->spec.beta);
}

/* Save im as <kind>-<tag>.png in the report, free it, and list it with
 * caption. */
static int publish(Fig *g, VizImage *im, const char *kind, const StudyModel *m,
                   const char *caption, Err *e)
{
    char t[32], file[96], path[4096];
    tag(m, t, sizeof t);
    snprintf(file, sizeof file, "%s-%s.png", kind, t);
    snprintf(path, sizeof path, "%s/%s", g->dir, file);
    int rc = viz_image_save_png(im, path, e);
    viz_image_free(im);
    if (rc == ERR_OK)
        add(g, file, caption);
    return rc;
}

/* ---- the latent map ---------------------------------------------------- */

static int tsne_map(const float *mu, size_t n, int z, int threads, uint64_t seed, float *xy,
                    const atomic_int *cancel, Err *e)
{
    TsneParams p;
    tsne_params_default(&p);
    p.threads = threads;
    p.seed = seed;
    if ((double)n < 3 * p.perplexity + 1)
        return err_set(e, ERR_ARG, "%zu points are too few for a t-SNE map", n);
    TsneState s;
    int rc = tsne_init(&s, mu, n, z, &p, NULL, NULL, e);
    enum { ITERS = 1000 };
    while (rc == ERR_OK && s.iter < ITERS) {
        if (cancel && atomic_load_explicit(cancel, memory_order_acquire))
            rc = err_set(e, ERR_CANCELLED, "study: cancelled");
        else
            rc = tsne_step(&s, 50, e);
    }
    if (rc == ERR_OK)
        memcpy(xy, s.y, 2 * n * sizeof *xy);
    if (s.y)
        tsne_free(&s);
    return rc;
}

static int map_figure(Fig *g, Vae *v, const StudyModel *m, Err *e)
{
    const DataSplit *test = &g->ds->test;
    size_t n = g->r->n_test;
    int Z = v->cfg.z;
    float *mu = malloc(n * (size_t)Z * sizeof *mu);
    float *xy = malloc(n * 2 * sizeof *xy);
    int *cls = malloc(n * sizeof *cls);
    int32_t *lab = malloc(n * sizeof *lab);
    int rc = ERR_OK;
    if (!mu || !xy || !cls || !lab) {
        rc = err_set(e, ERR_NOMEM, "study: out of memory for the map");
        goto done;
    }
    vae_encode(v, test->images, n, mu, NULL);
    int threads = g->o->threads > 0 ? g->o->threads : nn_threads();
    if (Z == 2)
        memcpy(xy, mu, n * 2 * sizeof *xy);
    else if ((rc = tsne_map(mu, n, Z, threads, g->o->seed, xy, g->o->cancel, e)) != ERR_OK)
        goto done;
    size_t counts[VIZ_MAX_CLASSES] = {0};
    for (size_t i = 0; i < n; i++) {
        cls[i] = test->labels[i];
        lab[i] = test->labels[i];
        counts[cls[i]]++;
    }
    double acc = NAN;
    if (Z != 2 && (rc = quality_knn_accuracy(xy, n, 2, lab, STUDY_KNN_K, threads, &acc, e)))
        goto done;
    char title[256], caption[512];
    if (Z == 2)
        snprintf(title, sizeof title, "Z=2 β=%g: latent means of %zu test images",
                 (double)m->spec.beta, n);
    else
        snprintf(title, sizeof title, "Z=%d β=%g: t-SNE of the latent means of %zu test images",
                 Z, (double)m->spec.beta, n);
    if (Z == 2)
        snprintf(caption, sizeof caption, "%s (%d-NN accuracy %.1f%%)", title, STUDY_KNN_K,
                 100 * m->knn.mean);
    else
        snprintf(caption, sizeof caption,
                 "%s (%d-NN accuracy %.1f%% in the 64-d latent, %.1f%% in this map)", title,
                 STUDY_KNN_K, 100 * m->knn.mean, 100 * acc);
    VizScatterOpts so;
    viz_scatter_opts_default(&so);
    so.title = title;
    so.x_title = Z == 2 ? "z1" : "t-SNE 1";
    so.y_title = Z == 2 ? "z2" : "t-SNE 2";
    so.legend_title = strcmp(g->ds->name, "mnist") ? "class" : "digit";
    so.n_classes = DATASET_CLASSES;
    so.class_names = g->ds->class_names;
    so.class_counts = counts;
    so.equal_aspect = 1;
    VizImage im;
    if ((rc = viz_scatter(&im, xy, cls, n, &so, e)) == ERR_OK)
        rc = publish(g, &im, "map", m, caption, e);
done:
    free(mu);
    free(xy);
    free(cls);
    free(lab);
    return rc;
}

/* ---- prior beside posterior samples ------------------------------------ */

static int samples_figure(Fig *g, const StudyModel *m, Err *e)
{
    int rows = (int)((m->n_keep + SAMPLE_COLS - 1) / SAMPLE_COLS);
    if (rows == 0)
        return ERR_OK;
    VizGridStyle st;
    viz_grid_style_default(&st);
    /* Two blocks of SAMPLE_COLS columns with one empty column between. */
    int gw, gh;
    viz_grid_size(&st, rows, 2 * SAMPLE_COLS + 1, &gw, &gh);
    int head = g->font.height + 8;
    VizImage im;
    int rc = viz_image_init(&im, gw, gh + head, st.bg, e);
    if (rc != ERR_OK)
        return rc;
    for (size_t i = 0; i < m->n_keep; i++) {
        int r = (int)i / SAMPLE_COLS, c = (int)i % SAMPLE_COLS, x, y;
        viz_grid_cell_xy(&st, r, c, &x, &y);
        viz_draw_digit(&im, &st, m->prior_images + i * VAE_X, x, y + head);
        viz_grid_cell_xy(&st, r, c + SAMPLE_COLS + 1, &x, &y);
        viz_draw_digit(&im, &st, m->post_images + i * VAE_X, x, y + head);
    }
    static const uint8_t white[3] = {235, 235, 235};
    int x0, x1, y0;
    viz_grid_cell_xy(&st, 0, 0, &x0, &y0);
    viz_grid_cell_xy(&st, 0, SAMPLE_COLS + 1, &x1, &y0);
    if ((rc = viz_text_draw(&im, &g->font, x0, 4, "prior: z ~ N(0, I)", white, 0, e)) ||
        (rc = viz_text_draw(&im, &g->font, x1, 4, "posterior: z ~ q(z|x)", white, 0, e))) {
        viz_image_free(&im);
        return rc;
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Z=%d β=%g: the first %zu prior samples (left; classifier max-prob %.3f over %zu) "
             "and posterior samples of test images (right; %.3f)",
             m->spec.z, (double)m->spec.beta, m->n_keep, m->prior.maxp.mean, m->prior.n,
             m->post.maxp.mean);
    return publish(g, &im, "samples", m, caption, e);
}

/* ---- walks ------------------------------------------------------------- */

/* One GIF frame: the digit, and under it what the classifier reads. RGB
 * stays grey throughout, so the red channel is the palette index. */
static int walk_frame(Fig *g, VizImage *im, const VizGridStyle *st, const float *img,
                      const float *probs, uint8_t *idx, Err *e)
{
    static const uint8_t black[3] = {0, 0, 0}, grey[3] = {200, 200, 200};
    viz_fill_rect(im, 0, 0, im->w, im->h, black);
    viz_draw_digit(im, st, img, 0, 0);
    int k = clf_argmax(probs, CLF_CLASSES);
    char text[64];
    snprintf(text, sizeof text, "reads %s  %.2f", g->ds->class_names[k], (double)probs[k]);
    int w = viz_text_width(&g->small, text);
    int rc = viz_text_draw(im, &g->small, (im->w - w) / 2, im->h - WALK_BAR + 6, text, grey, 0, e);
    for (int i = 0; i < im->w * im->h; i++)
        idx[i] = im->rgb[3 * i];
    return rc;
}

static int walk_figure(Fig *g, Vae *v, Clf *c, const StudyModel *m, Err *e)
{
    static const int long_path[] = {2, 3, 8, 7, 9, 1}, short_path[] = {2, 1};
    const int *path = m->spec.z == 2 ? long_path : short_path;
    int n_stops = m->spec.z == 2 ? 6 : 2, steps = m->spec.z == 2 ? 12 : 30, Z = v->cfg.z;
    float cent[DATASET_CLASSES * VAE_MAX_Z], stops[6 * VAE_MAX_Z];
    size_t counts[DATASET_CLASSES];
    DataSplit test = g->ds->test;
    test.n = g->r->n_test;
    int rc = viz_class_centroids(v, &test, 0, cent, counts, e);
    if (rc != ERR_OK)
        return rc;
    for (int s = 0; s < n_stops; s++) {
        if (!counts[path[s]])
            return ERR_OK; /* a cut test split without that class: no walk */
        memcpy(stops + s * Z, cent + path[s] * Z, (size_t)Z * sizeof(float));
    }
    VizPath vp;
    if ((rc = viz_path_init(&vp, stops, n_stops, Z, VIZ_LERP, e)) != ERR_OK)
        return rc;
    size_t nf = viz_path_frames(&vp, steps);
    float *z = malloc(nf * (size_t)Z * sizeof *z);
    float *x = malloc(nf * VAE_X * sizeof *x);
    float *p = malloc(nf * CLF_CLASSES * sizeof *p);
    VizGridStyle st;
    viz_grid_style_default(&st);
    st.scale = WALK_SCALE;
    int side = 28 * WALK_SCALE, h = side + WALK_BAR;
    uint8_t *idx = malloc((size_t)side * (size_t)h);
    VizImage im = {0};
    IoGifWriter gw;
    int open = 0;
    char t[32], file[64], gpath[4096], seq[256] = "", caption[512];
    if (!z || !x || !p || !idx) {
        rc = err_set(e, ERR_NOMEM, "study: out of memory for a walk");
        goto done;
    }
    viz_path_sample(&vp, steps, z);
    vae_decode(v, z, nf, x);
    clf_predict(c, x, nf, p);
    tag(m, t, sizeof t);
    snprintf(file, sizeof file, "walk-%s.gif", t);
    snprintf(gpath, sizeof gpath, "%s/%s", g->dir, file);
    uint8_t pal[256 * 3];
    for (int i = 0; i < 256; i++)
        pal[3 * i] = pal[3 * i + 1] = pal[3 * i + 2] = (uint8_t)i;
    static const uint8_t black[3] = {0, 0, 0};
    if ((rc = viz_image_init(&im, side, h, black, e)) != ERR_OK ||
        (rc = io_gif_open(&gw, gpath, side, h, pal, 256, IO_GIF_LOOP_FOREVER, e)) != ERR_OK)
        goto done;
    open = 1;
    int last = -1;
    size_t k = 0;
    for (size_t f = 0; f < nf && rc == ERR_OK; f++) {
        int cls = clf_argmax(p + f * CLF_CLASSES, CLF_CLASSES);
        if (cls != last && k + 8 < sizeof seq)
            k += (size_t)snprintf(seq + k, sizeof seq - k, "%s%d", last < 0 ? "" : "→", cls);
        last = cls;
        if ((rc = walk_frame(g, &im, &st, x + f * VAE_X, p + f * CLF_CLASSES, idx, e)) == ERR_OK)
            rc = io_gif_frame(&gw, idx, (size_t)side, WALK_DELAY + (f % (size_t)steps ? 0 : WALK_HOLD),
                              e);
    }
    if (rc == ERR_OK) {
        open = 0;
        rc = io_gif_commit(&gw, e);
    }
    if (rc == ERR_OK) {
        char stops_s[64] = "";
        for (int s = 0, q = 0; s < n_stops; s++)
            q += snprintf(stops_s + q, sizeof stops_s - (size_t)q, "%s%d", s ? "→" : "",
                          path[s]);
        snprintf(caption, sizeof caption,
                 "Z=%d β=%g: a straight walk through the class centroids %s, %zu frames; the "
                 "classifier reads %s",
                 m->spec.z, (double)m->spec.beta, stops_s, nf, seq);
        add(g, file, caption);
    }
done:
    if (open)
        io_gif_abort(&gw);
    viz_image_free(&im);
    viz_path_free(&vp);
    free(z);
    free(x);
    free(p);
    free(idx);
    return rc;
}

/* ---- the Z=2 manifold --------------------------------------------------- */

static int manifold_figure(Fig *g, Vae *v, const StudyModel *m, Err *e)
{
    const int G = MANIFOLD_GRID;
    float z[MANIFOLD_GRID * MANIFOLD_GRID * 2];
    float *x = malloc((size_t)G * G * VAE_X * sizeof *x);
    if (!x)
        return err_set(e, ERR_NOMEM, "study: out of memory for the manifold");
    /* Row 0 at the top is z2 = +R: the plane as it is plotted. */
    for (int r = 0; r < G; r++)
        for (int c = 0; c < G; c++) {
            z[2 * (r * G + c)] = -MANIFOLD_RANGE + 2 * MANIFOLD_RANGE * (float)c / (float)(G - 1);
            z[2 * (r * G + c) + 1] = MANIFOLD_RANGE - 2 * MANIFOLD_RANGE * (float)r / (float)(G - 1);
        }
    vae_decode(v, z, (size_t)G * G, x);
    VizGridStyle st;
    viz_grid_style_default(&st);
    st.pad = 0;
    VizImage im;
    int rc = viz_grid(&im, &st, x, (size_t)G * G, G, G, e);
    free(x);
    if (rc != ERR_OK)
        return rc;
    char caption[512];
    snprintf(caption, sizeof caption,
             "Z=2 β=%g: decodes of a %dx%d grid over [−%g, %g]² (z1 across, z2 up), the region "
             "prior samples come from",
             (double)m->spec.beta, G, G, (double)MANIFOLD_RANGE, (double)MANIFOLD_RANGE);
    return publish(g, &im, "manifold", m, caption, e);
}

int study_figures(const char *dir, const StudyOpts *o, const StudyResult *r, StudyFigures *f,
                  Err *e)
{
    memset(f, 0, sizeof *f);
    Fig g = {.o = o, .r = r, .dir = dir, .f = f};
    g.p.stage = STUDY_STAGE_FIGURES;
    g.p.model = -1;
    g.p.n_models = r->n_models;
    for (int i = 0; i < r->n_models; i++)
        g.p.total += r->models[i].spec.z == 2 ? 4 : 3;
    Dataset ds;
    int rc = dataset_load(r->dataset, &ds, e);
    if (rc != ERR_OK)
        return rc;
    g.ds = &ds;
    Clf c;
    if ((rc = clf_load(r->clf_path, &c, 256, NULL, e)) != ERR_OK) {
        dataset_free(&ds);
        return rc;
    }
    if ((rc = viz_font_open(&g.font, NULL, 20, e)) != ERR_OK ||
        (rc = viz_font_open(&g.small, NULL, 16, e)) != ERR_OK) {
        /* No font, no figures with words: say so rather than fail the study. */
        snprintf(f->missing, sizeof f->missing, "all figures: %s", e->msg);
        viz_font_close(&g.font);
        clf_free(&c);
        dataset_free(&ds);
        return ERR_OK;
    }
    for (int i = 0; i < r->n_models && rc == ERR_OK; i++) {
        const StudyModel *m = &r->models[i];
        g.p.model = i;
        Vae v;
        if ((rc = vae_load(m->path, &v, 256, NULL, e)) != ERR_OK)
            break;
        if (o->threads > 0)
            rc = vae_set_threads(&v, o->threads, e);
        if (rc == ERR_OK && (rc = map_figure(&g, &v, m, e)) == ERR_OK)
            tick(&g);
        if (rc == ERR_OK && (rc = samples_figure(&g, m, e)) == ERR_OK)
            tick(&g);
        if (rc == ERR_OK && (rc = walk_figure(&g, &v, &c, m, e)) == ERR_OK)
            tick(&g);
        if (rc == ERR_OK && m->spec.z == 2 && (rc = manifold_figure(&g, &v, m, e)) == ERR_OK)
            tick(&g);
        vae_free(&v);
    }
    viz_font_close(&g.small);
    viz_font_close(&g.font);
    clf_free(&c);
    dataset_free(&ds);
    return rc;
}
