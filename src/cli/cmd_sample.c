/* zspace sample: a grid of decoded samples, from the prior N(0, T^2 I) or
 * from the posteriors q(z|x) of random training images. Thin: the numbers
 * are vae_decode's, the picture viz_grid's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "core/rng.h"
#include "core/timer.h"
#include "export.h"
#include "viz/grid.h"

static void help(void)
{
    printf("usage: zspace sample -m MODEL [--grid RxC] [--prior | --posterior]\n"
           "                     [--temperature T] [--seed S] [--scale K] -o GRID.png\n\n"
           "Decodes R x C latent codes into a grid of images (decoder probabilities as\n"
           "grey levels, white ink on black like MNIST).\n\n"
           "  -m, --model FILE       the model (required)\n"
           "      --grid RxC         rows x columns, each 1..100 (default 10x10)\n"
           "      --prior            z ~ N(0, T^2 I): what the model invents (the default)\n"
           "      --posterior        z ~ q(z|x) = N(mu(x), T^2 sigma(x)^2) for random training\n"
           "                         images x: what it does with real digits\n"
           "      --temperature T    scales the noise, 0..10 (default 1; 0 = the means)\n"
           "  -s, --seed S           seed for z and the chosen images (default 0)\n"
           "      --scale K          upscaling of each 28x28 image, 1..%d (default: the\n"
           "                         largest keeping the figure within ~%d px across)\n"
           "  -d, --dataset NAME     mnist or fashion, for --posterior (default: the model's)\n"
           "  -o, --output FILE      the PNG to write (required; written atomically)\n"
           "  -h, --help             this help\n\n"
           "Prints one line: what was drawn, the image size and the time taken.\n",
           VIZ_MAX_SCALE, EXPORT_TARGET_PX);
}

int cmd_sample(int argc, char **argv)
{
    const char *model = NULL, *out = NULL, *dataset = NULL, *grid = "10x10";
    long seed = 0, scale = 0;
    double temp = 1.0;
    bool posterior = false, prior = false;
    const CliOpt *opts = CLI_OPTS(
        CLI_MODEL(&model),
        CLI_STRING("grid", 0, &grid),
        CLI_FLAG("prior", 0, &prior),
        CLI_FLAG("posterior", 0, &posterior),
        CLI_DOUBLE("temperature", 0, &temp, 0, 10),
        CLI_SEED(&seed),
        CLI_LONG("scale", 0, &scale, 1, VIZ_MAX_SCALE),
        CLI_DATASET(&dataset),
        CLI_OUTPUT(&out));
    int rc = cli_parse_opts("sample", argc, argv, 1, opts, help, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (prior && posterior)
        return cli_usage("sample", "--prior and --posterior exclude each other");
    int rows, cols;
    if (export_parse_pair("sample", "--grid", grid, 1, 100, "ROWSxCOLS, e.g. 10x10", &rows, &cols))
        return EXIT_USAGE;
    if (!model)
        return cli_usage("sample", "missing -m MODEL");
    if (!out)
        return cli_usage("sample", "missing -o FILE.png");
    if (cli_check_output("sample", "-o", out))
        return EXIT_USAGE;
    if (cli_parse_only)
        return EXIT_OK;

    double t0 = timer_now();
    ExportModel m;
    rc =
        export_model_load(&m, "sample", model, dataset, posterior ? EXPORT_TRAIN : EXPORT_NO_DATA);
    if (rc)
        return rc;
    int Z = m.v.cfg.z;
    size_t n = (size_t)rows * (size_t)cols;
    float *z = malloc(n * (size_t)Z * sizeof *z);
    float *img = malloc(n * 784 * sizeof *img);
    float *mu = malloc(n * (size_t)Z * sizeof *mu), *lv = malloc(n * (size_t)Z * sizeof *lv);
    float *x = posterior ? malloc(n * 784 * sizeof *x) : NULL;
    Err e = {0};
    VizImage im = {0};
    if (!z || !img || !mu || !lv || (posterior && !x)) {
        err_set(&e, ERR_NOMEM, "sample: out of memory");
        rc = cli_fail(&e);
        goto done;
    }
    Rng rng;
    rng_seed(&rng, (uint64_t)seed);
    if (posterior) {
        const DataSplit *tr = &m.ds.train;
        for (size_t i = 0; i < n; i++)
            memcpy(x + i * 784, tr->images + (size_t)rng_below(&rng, (uint32_t)tr->n) * 784,
                   784 * sizeof *x);
        vae_encode(&m.v, x, n, mu, lv);
        for (size_t k = 0; k < n * (size_t)Z; k++)
            z[k] = mu[k] + (float)temp * expf(0.5f * lv[k]) * rng_normal(&rng);
    } else {
        for (size_t k = 0; k < n * (size_t)Z; k++)
            z[k] = (float)temp * rng_normal(&rng);
    }
    if (export_decode(&m, z, n, img, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    VizGridStyle st;
    export_grid_style(&st, scale ? (int)scale : export_auto_scale(cols > rows ? cols : rows, 28));
    if (viz_grid(&im, &st, img, n, rows, cols, &e) != ERR_OK ||
        viz_image_save_png(&im, out, &e) != ERR_OK) {
        rc = cli_fail(&e);
        goto done;
    }
    printf("sample: %zu %s draws (temperature %g, seed %ld) -> %s, %dx%d px, %.2f s\n", n,
           posterior ? "posterior" : "prior", temp, seed, out, im.w, im.h, timer_now() - t0);
done:
    viz_image_free(&im);
    free(z);
    free(img);
    free(mu);
    free(lv);
    free(x);
    export_model_free(&m);
    return rc;
}
