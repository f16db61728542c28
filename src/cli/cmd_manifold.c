/* zspace manifold: the classic figure of a 2-D VAE (Kingma & Welling 2014,
 * fig. 4): the decoded image at every point of a regular G x G grid over
 * the square [-R, R]^2 of the latent plane, z1 growing to the right and z2
 * upwards, tiled edge to edge. Thin: vae_decode and viz_grid. */
#include <stdlib.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/timer.h"
#include "export.h"
#include "viz/grid.h"

static void help(void)
{
    printf("usage: zspace manifold -m MODEL [--range R] [--grid G] [--scale K] -o MANIFOLD.png\n\n"
           "For a model with a 2-D latent space: decodes a G x G grid of codes evenly\n"
           "spaced over [-R, R] x [-R, R] (corners included; z1 left to right, z2 bottom\n"
           "to top) and tiles the images without gaps.\n\n"
           "  -m, --model FILE     the model (required; latent size 2)\n"
           "      --range R        half-width of the square, 0.01..50 (default 3: +-3 prior\n"
           "                       standard deviations)\n"
           "      --grid G         images per side, 2..100 (default 20)\n"
           "      --scale K        upscaling of each 28x28 image, 1..%d (default: the largest\n"
           "                       keeping the figure within ~%d px across)\n"
           "  -o, --output FILE    the PNG to write (required; written atomically)\n"
           "  -h, --help           this help\n\n"
           "Prints one line: the square, the image size and the time taken.\n",
           VIZ_MAX_SCALE, EXPORT_TARGET_PX);
}

int cmd_manifold(int argc, char **argv)
{
    const char *model = NULL, *out = NULL;
    long grid = 20, scale = 0;
    double range = 3.0;
    const CliOpt *opts = CLI_OPTS(
        CLI_MODEL(&model),
        CLI_DOUBLE("range", 0, &range, 0.01, 50),
        CLI_LONG("grid", 0, &grid, 2, 100),
        CLI_LONG("scale", 0, &scale, 1, VIZ_MAX_SCALE),
        CLI_OUTPUT(&out));
    int rc = cli_parse_opts("manifold", argc, argv, 1, opts, help, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (!model)
        return cli_usage("manifold", "missing -m MODEL");
    if (!out)
        return cli_usage("manifold", "missing -o FILE.png");
    if (cli_check_output("manifold", "-o", out))
        return EXIT_USAGE;
    if (cli_parse_only)
        return EXIT_OK;

    double t0 = timer_now();
    ExportModel m;
    rc = export_model_load(&m, "manifold", model, NULL, EXPORT_NO_DATA);
    if (rc)
        return rc;
    if (m.v.cfg.z != 2) {
        rc = cli_usage("manifold",
                       "%s has a %d-dimensional latent space; the manifold figure "
                       "needs 2 (try 'zspace sample' or 'zspace scatter')",
                       model, m.v.cfg.z);
        export_model_free(&m);
        return rc;
    }
    int g = (int)grid;
    size_t n = (size_t)g * (size_t)g;
    float *z = malloc(n * 2 * sizeof *z), *img = malloc(n * 784 * sizeof *img);
    Err e = {0};
    VizImage im = {0};
    if (!z || !img) {
        err_set(&e, ERR_NOMEM, "manifold: out of memory");
        rc = cli_fail(&e);
        goto done;
    }
    for (int r = 0; r < g; r++)
        for (int k = 0; k < g; k++) {
            float *zz = z + ((size_t)r * g + k) * 2;
            zz[0] = (float)(-range + 2 * range * k / (g - 1));
            zz[1] = (float)(range - 2 * range * r / (g - 1)); /* top row: z2 = +R */
        }
    if (export_decode(&m, z, n, img, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    VizGridStyle st;
    export_grid_style(&st, scale ? (int)scale : export_auto_scale(g, 28));
    st.pad = 0; /* seamless, as in the classic figure */
    st.margin = 0;
    if (viz_grid(&im, &st, img, n, g, g, &e) != ERR_OK ||
        viz_image_save_png(&im, out, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    printf("manifold: %dx%d codes over [-%g, %g]^2 -> %s, %dx%d px, %.2f s\n", g, g, range, range,
           out, im.w, im.h, timer_now() - t0);
done:
    viz_image_free(&im);
    free(z);
    free(img);
    export_model_free(&m);
    return rc;
}
