/* plot: see plot.h. Layout, from the outside in: a margin; the title on
 * top; the legend at the right; the y title (turned) and the y tick labels
 * at the left; the x tick labels and the x title below; the plot area takes
 * the rest. The y tick labels' width depends on the ticks, which depend on
 * the area's size (equal aspect widens one axis' range), so the layout is
 * settled in a few passes. */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "viz/palette.h"
#include "viz/text.h"

typedef struct {
    uint8_t bg[3], panel[3], grid[3], zero[3], axis[3], text[3], dim[3], other[3];
    VizPalette palette;
} Theme;

/* Dark: the explorer's theme (ui/theme.c), grid and zero lines pre-blended
 * over the panel colour. Light: black-on-white for print. */
static const Theme dark = {
    {0x14, 0x16, 0x1b}, {0x1d, 0x20, 0x27}, {0x2c, 0x30, 0x38},
    {0x4d, 0x52, 0x5b}, {0x8a, 0x91, 0x9c}, {0xec, 0xee, 0xf1},
    {0xa3, 0xa9, 0xb3}, {0x6a, 0x70, 0x7a}, VIZ_PALETTE_DARK,
};
static const Theme light = {
    {0xff, 0xff, 0xff}, {0xff, 0xff, 0xff}, {0xe6, 0xe6, 0xe6},
    {0xb4, 0xb4, 0xb4}, {0x55, 0x55, 0x55}, {0x22, 0x22, 0x22},
    {0x55, 0x55, 0x55}, {0xb8, 0xb8, 0xb8}, VIZ_PALETTE_LIGHT,
};

void viz_scatter_opts_default(VizScatterOpts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1400;
    o->height = 1000;
    o->x_title = "z1";
    o->y_title = "z2";
    o->equal_aspect = 1;
}

double viz_nice_step(double span, double target)
{
    double raw = span / (target > 1 ? target : 1);
    if (!(raw > 0) || !isfinite(raw))
        return 1.0;
    double p = pow(10.0, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* Tick label for v with as many decimals as the step needs, a true minus
 * sign, and no "-0". */
static void tick_label(char *buf, size_t size, double v, double step)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (fabs(v) < step * 1e-6)
        v = 0;
    char num[40];
    snprintf(num, sizeof num, "%.*f", dec > 12 ? 12 : dec, fabs(v));
    snprintf(buf, size, "%s%s", v < 0 ? "\xe2\x88\x92" : "", num);
}

typedef struct {
    VizFont small, body, title;
} Fonts;

static void fonts_close(Fonts *f)
{
    viz_font_close(&f->small);
    viz_font_close(&f->body);
    viz_font_close(&f->title);
}

static int fonts_open(Fonts *f, const char *pattern, int height, Err *e)
{
    memset(f, 0, sizeof *f);
    int body = (int)lround(height / 44.0);
    body = body < 12 ? 12 : body > 40 ? 40 : body;
    char bold[256];
    snprintf(bold, sizeof bold, "%s:bold", pattern ? pattern : "DejaVu Sans");
    if (viz_font_open(&f->small, pattern, (int)lround(body * 0.85), e) != ERR_OK ||
        viz_font_open(&f->body, pattern, body, e) != ERR_OK ||
        viz_font_open(&f->title, bold, (int)lround(body * 1.3), e) != ERR_OK) {
        fonts_close(f);
        return e ? e->code : ERR_IO;
    }
    return ERR_OK;
}

/* The visible data window and where it lands on the canvas. */
typedef struct {
    int x0, y0, x1, y1;        /* plot area, pixels [x0, x1) x [y0, y1) */
    double vx0, vx1, vy0, vy1; /* data range shown */
    double sx, sy;             /* pixels per unit */
    double xstep, ystep;       /* tick steps */
} Frame;

static void frame_fit(Frame *f, const double lo[2], const double hi[2], int equal, int tick_px)
{
    double w = f->x1 - f->x0, h = f->y1 - f->y0;
    double cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
    double rx = hi[0] - lo[0], ry = hi[1] - lo[1];
    f->sx = w / rx;
    f->sy = h / ry;
    if (equal)
        f->sx = f->sy = f->sx < f->sy ? f->sx : f->sy;
    f->vx0 = cx - w / f->sx / 2;
    f->vx1 = cx + w / f->sx / 2;
    f->vy0 = cy - h / f->sy / 2;
    f->vy1 = cy + h / f->sy / 2;
    f->xstep = viz_nice_step(f->vx1 - f->vx0, w / tick_px);
    f->ystep = viz_nice_step(f->vy1 - f->vy0, h / tick_px);
}

static double to_px_x(const Frame *f, double x)
{
    return f->x0 + (x - f->vx0) * f->sx;
}

static double to_px_y(const Frame *f, double y)
{
    return f->y1 - (y - f->vy0) * f->sy;
}

/* Widest y tick label of the frame. */
static int ytick_width(const Frame *f, const VizFont *font)
{
    int w = 0;
    char buf[64];
    for (long i = (long)ceil(f->vy0 / f->ystep); i * f->ystep <= f->vy1; i++) {
        tick_label(buf, sizeof buf, (double)i * f->ystep, f->ystep);
        int tw = viz_text_width(font, buf);
        w = tw > w ? tw : w;
    }
    return w;
}

typedef struct {
    int n; /* entries (classes, plus "other" if any point needs it) */
    char names[VIZ_MAX_CLASSES + 1][96];
    char counts[VIZ_MAX_CLASSES + 1][32];
    const uint8_t *colors[VIZ_MAX_CLASSES + 1];
    int w, h, line, swatch, pad;
} Legend;

static void legend_layout(Legend *l, const VizScatterOpts *o, const Fonts *f, const Theme *t,
                          size_t n_other)
{
    memset(l, 0, sizeof *l);
    if (o->n_classes == 0)
        return;
    for (int c = 0; c < o->n_classes; c++) {
        snprintf(l->names[c], sizeof l->names[c], "%s", o->class_names[c]);
        if (o->class_counts)
            snprintf(l->counts[c], sizeof l->counts[c], "%zu", o->class_counts[c]);
        l->colors[c] = viz_label_rgb(c, t->palette);
    }
    l->n = o->n_classes;
    if (n_other) {
        snprintf(l->names[l->n], sizeof l->names[0], "other");
        if (o->class_counts)
            snprintf(l->counts[l->n], sizeof l->counts[0], "%zu", n_other);
        l->colors[l->n++] = t->other;
    }
    l->line = f->body.height * 13 / 10;
    l->swatch = f->body.height * 6 / 10;
    l->pad = f->body.height * 6 / 10;
    int name_w = 0, count_w = 0;
    for (int i = 0; i < l->n; i++) {
        int a = viz_text_width(&f->body, l->names[i]), b = viz_text_width(&f->small, l->counts[i]);
        name_w = a > name_w ? a : name_w;
        count_w = b > count_w ? b : count_w;
    }
    l->w = l->pad + l->swatch + l->pad / 2 + name_w + (count_w ? l->pad + count_w : 0) + l->pad;
    int tw = o->legend_title ? viz_text_width(&f->body, o->legend_title) + 2 * l->pad : 0;
    l->w = tw > l->w ? tw : l->w;
    l->h = l->pad + (o->legend_title ? l->line : 0) + l->n * l->line + l->pad / 2;
}

/* Everything drawn with text; the points are drawn before this. */
static int draw_axes(VizImage *im, const Frame *fr, const Fonts *f, const Theme *t,
                     const VizScatterOpts *o, int tick_len, Err *e)
{
    char buf[64];
    int rc = ERR_OK;
    /* Frame lines on all four sides. */
    viz_fill_rect(im, fr->x0 - 1, fr->y0 - 1, fr->x1 - fr->x0 + 2, 1, t->axis);
    viz_fill_rect(im, fr->x0 - 1, fr->y1, fr->x1 - fr->x0 + 2, 1, t->axis);
    viz_fill_rect(im, fr->x0 - 1, fr->y0 - 1, 1, fr->y1 - fr->y0 + 2, t->axis);
    viz_fill_rect(im, fr->x1, fr->y0 - 1, 1, fr->y1 - fr->y0 + 2, t->axis);
    for (long i = (long)ceil(fr->vx0 / fr->xstep); rc == ERR_OK && i * fr->xstep <= fr->vx1; i++) {
        int x = (int)lround(to_px_x(fr, (double)i * fr->xstep));
        viz_fill_rect(im, x, fr->y1 + 1, 1, tick_len, t->axis);
        tick_label(buf, sizeof buf, (double)i * fr->xstep, fr->xstep);
        rc = viz_text_draw(im, &f->small, x - viz_text_width(&f->small, buf) / 2,
                           fr->y1 + 1 + tick_len + tick_len / 2, buf, t->dim, 0, e);
    }
    for (long i = (long)ceil(fr->vy0 / fr->ystep); rc == ERR_OK && i * fr->ystep <= fr->vy1; i++) {
        int y = (int)lround(to_px_y(fr, (double)i * fr->ystep));
        viz_fill_rect(im, fr->x0 - 1 - tick_len, y, tick_len, 1, t->axis);
        tick_label(buf, sizeof buf, (double)i * fr->ystep, fr->ystep);
        rc = viz_text_draw(im, &f->small,
                           fr->x0 - 1 - tick_len - tick_len / 2 - viz_text_width(&f->small, buf),
                           y - f->small.height / 2, buf, t->dim, 0, e);
    }
    int gap = f->body.height / 2;
    if (rc == ERR_OK && o->x_title)
        rc = viz_text_draw(
            im, &f->body, (fr->x0 + fr->x1) / 2 - viz_text_width(&f->body, o->x_title) / 2,
            fr->y1 + 1 + tick_len * 3 / 2 + f->small.height + gap, o->x_title, t->text, 0, e);
    return rc;
}

static int draw_legend(VizImage *im, const Legend *l, int x, int y, const Fonts *f, const Theme *t,
                       const char *title, Err *e)
{
    viz_fill_rect(im, x, y, l->w, l->h, t->panel);
    int rc = ERR_OK, row = y + l->pad * 2 / 3;
    if (title) {
        rc = viz_text_draw(im, &f->body, x + l->pad, row, title, t->text, 0, e);
        row += l->line;
    }
    for (int i = 0; rc == ERR_OK && i < l->n; i++, row += l->line) {
        float cy = (float)row + (float)f->body.height / 2.0f;
        viz_disc(im, (float)(x + l->pad) + (float)l->swatch / 2.0f, cy, (float)l->swatch / 2.0f,
                 l->colors[i], 1.0f);
        int tx = x + l->pad + l->swatch + l->pad / 2;
        rc = viz_text_draw(im, &f->body, tx, row, l->names[i], t->text, 0, e);
        if (rc == ERR_OK && l->counts[i][0])
            rc = viz_text_draw(
                im, &f->small, x + l->w - l->pad - viz_text_width(&f->small, l->counts[i]),
                row + (f->body.ascent - f->small.ascent), l->counts[i], t->dim, 0, e);
    }
    return rc;
}

int viz_scatter(VizImage *out, const float *xy, const int *cls, size_t n, const VizScatterOpts *o,
                Err *e)
{
    memset(out, 0, sizeof *out);
    if (o->width < 200 || o->height < 150 || o->width > VIZ_MAX_SIDE || o->height > VIZ_MAX_SIDE)
        return err_set(e, ERR_ARG, "plot size %dx%d out of range 200x150..%dx%d", o->width,
                       o->height, VIZ_MAX_SIDE, VIZ_MAX_SIDE);
    if (o->n_classes < 0 || o->n_classes > VIZ_MAX_CLASSES || (o->n_classes && !o->class_names))
        return err_set(e, ERR_ARG, "plot: %d classes; at most %d, each named", o->n_classes,
                       VIZ_MAX_CLASSES);
    const Theme *t = o->light ? &light : &dark;

    /* Data bounds over the finite points, padded by 4% per side. */
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    size_t n_other = 0, n_finite = 0;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            continue;
        n_finite++;
        lo[0] = x < lo[0] ? x : lo[0];
        hi[0] = x > hi[0] ? x : hi[0];
        lo[1] = y < lo[1] ? y : lo[1];
        hi[1] = y > hi[1] ? y : hi[1];
        n_other += cls[i] < 0 || cls[i] >= o->n_classes;
    }
    for (int k = 0; k < 2; k++) {
        if (!n_finite) {
            lo[k] = -1;
            hi[k] = 1;
        }
        double span = hi[k] - lo[k];
        if (span < 1e-9 * (fabs(lo[k]) + 1)) {
            span = fabs(lo[k]) > 0 ? fabs(lo[k]) : 1;
            lo[k] -= span / 2;
            hi[k] += span / 2;
        } else {
            lo[k] -= 0.04 * span;
            hi[k] += 0.04 * span;
        }
    }

    Fonts f;
    if (fonts_open(&f, o->font, o->height, e) != ERR_OK)
        return e ? e->code : ERR_IO;
    Legend leg;
    legend_layout(&leg, o, &f, t, o->n_classes ? n_other : 0);

    int margin = f.body.height, gap = f.body.height / 2, tick_len = f.small.height / 3 + 2;
    int top = margin + (o->title ? f.title.height + gap : f.small.height / 2);
    int left_fixed = margin + (o->y_title ? f.body.height + gap : 0) + tick_len * 3 / 2 + 1;
    int bottom =
        margin + tick_len * 3 / 2 + f.small.height + (o->x_title ? gap + f.body.height : 0);
    int right = margin + (leg.n ? leg.w + margin : 0);
    Frame fr;
    int ytw = viz_text_width(&f.small, "\xe2\x88\x92"
                                       "0.0");
    for (int pass = 0; pass < 4; pass++) {
        fr.x0 = left_fixed + ytw;
        fr.x1 = o->width - right;
        fr.y0 = top;
        fr.y1 = o->height - bottom;
        if (fr.x1 - fr.x0 < 50 || fr.y1 - fr.y0 < 50) {
            fonts_close(&f);
            return err_set(e, ERR_ARG, "plot size %dx%d leaves no room for the data", o->width,
                           o->height);
        }
        frame_fit(&fr, lo, hi, o->equal_aspect, f.body.height * 6);
        int w = ytick_width(&fr, &f.small);
        if (w == ytw)
            break;
        ytw = w;
    }

    int rc = viz_image_init(out, o->width, o->height, t->bg, e);
    if (rc != ERR_OK) {
        fonts_close(&f);
        return rc;
    }
    viz_fill_rect(out, fr.x0, fr.y0, fr.x1 - fr.x0, fr.y1 - fr.y0, t->panel);
    /* Grid lines, the zero lines a little brighter. */
    for (long i = (long)ceil(fr.vx0 / fr.xstep); i * fr.xstep <= fr.vx1; i++)
        viz_fill_rect(out, (int)lround(to_px_x(&fr, (double)i * fr.xstep)), fr.y0, 1, fr.y1 - fr.y0,
                      i == 0 ? t->zero : t->grid);
    for (long i = (long)ceil(fr.vy0 / fr.ystep); i * fr.ystep <= fr.vy1; i++)
        viz_fill_rect(out, fr.x0, (int)lround(to_px_y(&fr, (double)i * fr.ystep)), fr.x1 - fr.x0, 1,
                      i == 0 ? t->zero : t->grid);

    /* Points: a fixed shuffled order (seeded) so the picture is reproducible. */
    double area = (double)(fr.x1 - fr.x0) * (fr.y1 - fr.y0);
    float r = o->point_radius > 0 ? o->point_radius
                                  : (float)(0.3 * sqrt(area / (double)(n_finite ? n_finite : 1)));
    r = o->point_radius > 0 ? r : r < 1.3f ? 1.3f : r > 5.0f ? 5.0f : r;
    float alpha = o->point_alpha > 0 ? o->point_alpha
                                     : (float)(0.9 - 0.15 * log10(fmax(1.0, n_finite / 2000.0)));
    alpha = alpha < 0.35f ? 0.35f : alpha > 1.0f ? 1.0f : alpha;
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) {
        viz_image_free(out);
        fonts_close(&f);
        return err_set(e, ERR_NOMEM, "out of memory for %zu points", n);
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    Rng rng;
    rng_seed(&rng, 12345);
    rng_shuffle_u32(&rng, order, n);
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            continue;
        const uint8_t *c = cls[i] >= 0 && cls[i] < o->n_classes ? viz_label_rgb(cls[i], t->palette)
                           : o->n_classes                       ? t->other
                                                                : viz_label_rgb(0, t->palette);
        viz_disc(out, (float)to_px_x(&fr, x), (float)to_px_y(&fr, y), r, c, alpha);
    }
    free(order);

    rc = draw_axes(out, &fr, &f, t, o, tick_len, e);
    if (rc == ERR_OK && o->y_title)
        rc = viz_text_draw(out, &f.body, margin,
                           (fr.y0 + fr.y1) / 2 - viz_text_width(&f.body, o->y_title) / 2,
                           o->y_title, t->text, 1, e);
    if (rc == ERR_OK && o->title)
        rc = viz_text_draw(out, &f.title, fr.x0, margin, o->title, t->text, 0, e);
    if (rc == ERR_OK && leg.n)
        rc = draw_legend(out, &leg, o->width - margin - leg.w, fr.y0, &f, t, o->legend_title, e);
    fonts_close(&f);
    if (rc != ERR_OK)
        viz_image_free(out);
    return rc;
}
