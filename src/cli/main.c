/* main: the `zspace` binary. Dispatches to one subcommand per file. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const CliCommand commands[] = {
    {"data", "list the datasets found, their sizes and checksums; inspect IDX files", cmd_data},
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
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("zspace %s\n", ZSPACE_VERSION);
        return EXIT_OK;
    }
    for (int i = 0; i < n_commands; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "zspace: unknown command '%s' (see 'zspace --help')\n", cmd);
    return EXIT_USAGE;
}
