/* zspace bench: reproducible timings behind BENCHMARKS.md. Each benchmark
 * prints its method's inputs and the best/median of several repeats; figures
 * are meant to be compared side by side within one run. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/timer.h"
#include "data/dataset.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Time loading all of a dataset (train + test, images as floats, labels). */
static int bench_load(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dataset", required_argument, 0, 'd'},
        {"repeat", required_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *name = "mnist";
    long repeat = 5;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': name = optarg; break;
        case 'r':
            if (cli_parse_long("bench", "--repeat", optarg, 1, 1000, &repeat))
                return EXIT_USAGE;
            break;
        case 'h':
            printf("usage: zspace bench load [--dataset mnist|fashion] [--repeat N]\n\n"
                   "Times loading a whole dataset (train + test images as floats in [0,1],\n"
                   "labels, all checks) N times (default 5); prints best and median.\n");
            return EXIT_OK;
        default: return cli_bad_option("bench", c, argv);
        }
    }
    if (!dataset_find(name))
        return cli_usage("bench", "--dataset '%s': expected mnist or fashion", name);
    double *t = malloc((size_t)repeat * sizeof *t);
    if (!t)
        return EXIT_FAIL;
    size_t n = 0;
    for (long i = 0; i < repeat; i++) {
        Dataset ds;
        Err e = {0};
        double t0 = timer_now();
        if (dataset_load(name, &ds, &e) != ERR_OK) {
            free(t);
            return cli_fail(&e);
        }
        t[i] = timer_now() - t0;
        n = ds.train.n + ds.test.n;
        dataset_free(&ds);
    }
    qsort(t, (size_t)repeat, sizeof *t, cmp_double);
    printf("load %s: %zu images, %ld runs: best %.3f s, median %.3f s (%.0f images/s)\n", name, n,
           repeat, t[0], t[repeat / 2], (double)n / t[repeat / 2]);
    free(t);
    return EXIT_OK;
}

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int, char **);
} Bench;

static const Bench benches[] = {
    {"load", "time to load a whole dataset (IDX parse + float conversion)", bench_load},
};

int cmd_bench(int argc, char **argv)
{
    int nb = (int)(sizeof benches / sizeof benches[0]);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: zspace bench <benchmark> [options]\n\nbenchmarks:\n");
        for (int i = 0; i < nb; i++)
            fprintf(f, "  %-8s %s\n", benches[i].name, benches[i].summary);
        fprintf(f, "\nMethod and recorded figures: BENCHMARKS.md.\n");
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (int i = 0; i < nb; i++)
        if (!strcmp(argv[1], benches[i].name))
            return benches[i].run(argc - 1, argv + 1);
    return cli_usage("bench", "unknown benchmark '%s'", argv[1]);
}
