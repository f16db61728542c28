/* classify_predict: see classify_predict.h. */
#include "classify_predict.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "data/idx.h"
#include "io/png.h"

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcasecmp(s + n - k, suf);
}

/* A PNG as one image of X floats in [0, 1] (luminance times alpha). */
static int load_png(const char *path, int invert, float *x, int rows, int cols, Err *e)
{
    uint8_t *rgba;
    int w, h;
    /* Larger than the classifier's input: refused from the header. */
    int rc = io_png_read_rgba_max(path, cols, rows, &rgba, &w, &h, e);
    if (rc != ERR_OK)
        return rc;
    if (w != cols || h != rows) {
        free(rgba);
        return err_set(e, ERR_FORMAT, "%s: %dx%d pixels; the classifier takes %dx%d", path, w, h,
                       cols, rows);
    }
    for (int i = 0; i < w * h; i++) {
        const uint8_t *p = rgba + 4 * i;
        float lum = (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 255.0f;
        if (invert)
            lum = 1 - lum;
        x[i] = lum * (float)p[3] / 255.0f;
    }
    free(rgba);
    return ERR_OK;
}

static void print_prediction(const char *name, long index, const float *p)
{
    int k = clf_argmax(p, CLF_CLASSES);
    if (index < 0)
        printf("%s  %d  %.4f\n", name, k, (double)p[k]);
    else
        printf("%s#%ld  %d  %.4f\n", name, index, k, (double)p[k]);
}

int classify_predict(Clf *m, char **paths, int n, bool invert)
{
    Err e = {0};
    float probs[CLF_CLASSES];
    for (int i = 0; i < n; i++) {
        const char *path = paths[i];
        if (has_suffix(path, ".png")) {
            float *x = malloc((size_t)m->x * sizeof *x);
            if (!x) {
                fprintf(stderr, "zspace: classify: out of memory\n");
                return EXIT_FAIL;
            }
            int side = (int)lround(sqrt((double)m->x));
            int rc = side * side == m->x ? load_png(path, invert, x, side, side, &e)
                                         : err_set(&e, ERR_ARG, "classifier pixels %d are not a "
                                                                "square image", m->x);
            if (rc == ERR_OK) {
                clf_predict(m, x, 1, probs);
                print_prediction(path, -1, probs);
            }
            free(x);
            if (rc != ERR_OK)
                return cli_fail(&e);
        } else {
            IdxImages im;
            if (idx_load_images(path, &im, &e) != ERR_OK)
                return cli_fail(&e);
            if (im.rows * im.cols != m->x) {
                idx_images_free(&im);
                err_set(&e, ERR_FORMAT, "%s: %dx%d images; the classifier takes %d pixels", path,
                        im.rows, im.cols, m->x);
                return cli_fail(&e);
            }
            float *p = malloc(im.n * CLF_CLASSES * sizeof *p);
            if (!p) {
                idx_images_free(&im);
                fprintf(stderr, "zspace: classify: out of memory\n");
                return EXIT_FAIL;
            }
            clf_predict(m, im.pixels, im.n, p);
            for (size_t k = 0; k < im.n; k++)
                print_prediction(path, (long)k, p + k * CLF_CLASSES);
            free(p);
            idx_images_free(&im);
        }
    }
    return EXIT_OK;
}
