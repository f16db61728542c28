/* main: the `zspace` binary. Dispatches to one subcommand per file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

static const CliCommand commands[] = {
    {"data", "the datasets: where they are, checksums; import, fetch MNIST; inspect IDX", cmd_data},
    {"train", "train a VAE on MNIST or Fashion-MNIST and save it as safetensors", cmd_train},
    {"eval", "evaluate a saved model: -ELBO, KL per latent dimension, IWAE bound", cmd_eval},
    {"explore", "open the latent space explorer window (the default command)", cmd_explore},
    {"bench", "benchmarks: data loading, training throughput, t-SNE (see BENCHMARKS.md)", cmd_bench},
    {"project", "2-D maps of points from a CSV: t-SNE or PCA", cmd_project},
    {"interp", "animate a walk through latent space: classes or two images, GIF / PNG strip", cmd_interp},
    {"sample", "a grid of images decoded from the prior or from posteriors, as PNG", cmd_sample},
    {"recon", "test images above their reconstructions, as PNG", cmd_recon},
    {"manifold", "the decoded 2-D latent plane (the classic VAE figure), as PNG", cmd_manifold},
    {"scatter", "the latent map coloured by class, with legend and axes, as PNG", cmd_scatter},
    {"classify", "the digit classifier that judges generated images: train, eval, predict", cmd_classify},
    {"study", "the blog's experiments reproduced: six VAEs measured, claims judged, a report", cmd_study},
};
static const int n_commands = (int)(sizeof commands / sizeof commands[0]);

static void usage(FILE *f)
{
    fprintf(f, "usage: zspace <command> [options]\n"
               "       zspace --help | --version\n\n"
               "Train variational autoencoders on handwritten digits and explore their latent space.\n\n"
               "commands:\n");
    for (int i = 0; i < n_commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'zspace <command> --help' describes a command's options.\n");
}

/* Every command's results go to standard output: if they could not all be
 * written (a full disk, `> /dev/full`, a closed pipe), a command that
 * otherwise succeeded fails with one line instead of exit 0. A command that
 * already failed has said why. */
static int finish_stdout(int status)
{
    errno = 0;
    int flushed = fflush(stdout) == 0;
    int errnum = errno;
    if ((flushed && !ferror(stdout)) || status != EXIT_OK)
        return status;
    fprintf(stderr, "zspace: standard output: write failed%s%s\n", errnum ? ": " : "",
            errnum ? strerror(errnum) : "");
    return EXIT_FAIL;
}

int main(int argc, char **argv)
{
    /* Past a file-size limit (ulimit -f) the kernel would kill us with
     * SIGXFSZ mid-write; ignored, the write fails with EFBIG instead and the
     * atomic writers report it and leave the old file in place. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) /* plain `zspace` opens the explorer */
        return cmd_explore(argc, argv);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return finish_stdout(EXIT_OK);
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("zspace %s\n", ZSPACE_VERSION);
        return finish_stdout(EXIT_OK);
    }
    for (int i = 0; i < n_commands; i++)
        if (!strcmp(cmd, commands[i].name)) {
            /* The explorer's window library turns Ctrl-C into a quit event. */
            if (commands[i].run != cmd_explore && !cli_parse_only)
                cli_signals_default();
            return finish_stdout(commands[i].run(argc - 1, argv + 1));
        }
    fprintf(stderr, "zspace: unknown command '%s' (see 'zspace --help')\n", cmd);
    return EXIT_USAGE;
}
