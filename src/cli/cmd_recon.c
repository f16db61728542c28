/* zspace recon: test images above their reconstructions decode(mu(x)),
 * the quickest look at what a model keeps and what it blurs. Thin: vae
 * encode/decode and viz_grid with row groups. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/timer.h"
#include "export.h"
#include "viz/grid.h"

static void help(void)
{
    printf(
        "usage: zspace recon -m MODEL [--n N] [--start I] [--cols C] [--scale K] -o RECON.png\n\n"
        "Test images (upper row of each pair) above their reconstructions (lower row):\n"
        "each image is encoded to its latent mean mu(x) and decoded, so the figure is\n"
        "deterministic.\n\n"
        "  -m, --model FILE     the model (required)\n"
        "      --n N            how many images, 1..1000 (default 16)\n"
        "      --start I        the first test image (default 0: images I..I+N-1)\n"
        "      --cols C         images per row, 1..100 (default min(N, 16))\n"
        "      --scale K        upscaling of each 28x28 image, 1..%d (default: the largest\n"
        "                       keeping the figure within ~%d px across)\n"
        "  -d, --dataset NAME   mnist or fashion (default: the model's)\n"
        "  -o, --output FILE    the PNG to write (required; written atomically)\n"
        "  -h, --help           this help\n\n"
        "Prints one line: the images used, the mean squared error of the reconstructions\n"
        "(pixels in [0, 1]), the image size and the time taken.\n",
        VIZ_MAX_SCALE, EXPORT_TARGET_PX);
}

int cmd_recon(int argc, char **argv)
{
    const char *model = NULL, *out = NULL, *dataset = NULL;
    long n = 16, start = 0, cols = 0, scale = 0;
    const CliOpt *opts = CLI_OPTS(
        CLI_MODEL(&model),
        CLI_LONG("n", 0, &n, 1, 1000),
        CLI_LONG("start", 0, &start, 0, 1000000000),
        CLI_LONG("cols", 0, &cols, 1, 100),
        CLI_LONG("scale", 0, &scale, 1, VIZ_MAX_SCALE),
        CLI_DATASET(&dataset),
        CLI_OUTPUT(&out));
    int rc = cli_parse_opts("recon", argc, argv, 1, opts, help, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (!model)
        return cli_usage("recon", "missing -m MODEL");
    if (!out)
        return cli_usage("recon", "missing -o FILE.png");
    if (cli_check_output("recon", "-o", out))
        return EXIT_USAGE;
    if (cli_parse_only)
        return EXIT_OK;

    double t0 = timer_now();
    ExportModel m;
    rc = export_model_load(&m, "recon", model, dataset, EXPORT_TEST);
    if (rc)
        return rc;
    const DataSplit *test = &m.ds.test;
    if ((size_t)start + (size_t)n > test->n) {
        rc = cli_usage("recon", "--start %ld --n %ld: the %s test split has %zu images", start, n,
                       m.ds.title, test->n);
        export_model_free(&m);
        return rc;
    }
    if (!cols)
        cols = n < 16 ? n : 16;
    int pairs = (int)((n + cols - 1) / cols), Z = m.v.cfg.z;
    const float *x = test->images + (size_t)start * 784;
    float *mu = malloc((size_t)n * (size_t)Z * sizeof *mu);
    float *xhat = malloc((size_t)n * 784 * sizeof *xhat);
    Err e = {0};
    VizImage im = {0};
    if (!mu || !xhat) {
        err_set(&e, ERR_NOMEM, "recon: out of memory");
        rc = cli_fail(&e);
        goto done;
    }
    vae_encode(&m.v, x, (size_t)n, mu, NULL);
    if (export_decode(&m, mu, (size_t)n, xhat, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    VizGridStyle st;
    export_grid_style(&st, scale ? (int)scale : export_auto_scale((int)cols, 28));
    st.group_rows = 2; /* a wider gap between pairs of rows than inside a pair */
    st.group_gap = 3 * st.pad + 4;
    if (viz_grid(&im, &st, NULL, 0, pairs * 2, (int)cols, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    /* Pair p: originals in row 2p, reconstructions in row 2p + 1. */
    double se = 0;
    for (long i = 0; i < n; i++) {
        int p = (int)(i / cols), k = (int)(i % cols), cx, cy;
        viz_grid_cell_xy(&st, 2 * p, k, &cx, &cy);
        viz_draw_digit(&im, &st, x + i * 784, cx, cy);
        viz_grid_cell_xy(&st, 2 * p + 1, k, &cx, &cy);
        viz_draw_digit(&im, &st, xhat + i * 784, cx, cy);
        for (int j = 0; j < 784; j++) {
            double d = (double)xhat[i * 784 + j] - x[i * 784 + j];
            se += d * d;
        }
    }
    if (viz_image_save_png(&im, out, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    printf("recon: %s test images %ld..%ld, mean squared error %.4f -> %s, %dx%d px, %.2f s\n",
           m.ds.title, start, start + n - 1, se / ((double)n * 784), out, im.w, im.h,
           timer_now() - t0);
done:
    viz_image_free(&im);
    free(mu);
    free(xhat);
    export_model_free(&m);
    return rc;
}
