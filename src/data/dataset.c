/* dataset: see dataset.h. Checksums use nettle's SHA-256. */
#include "dataset.h"

#include <errno.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xdg.h"
#include "data/idx.h"

#ifndef ZSPACE_SOURCE_DIR
#define ZSPACE_SOURCE_DIR "."
#endif
/* Set by the build (src/data/meson.build): the build tree, and the install
 * prefix's data directory. */
#ifndef ZSPACE_BUILD_ROOT
#define ZSPACE_BUILD_ROOT ""
#endif
#ifndef ZSPACE_SYSTEM_DATA
#define ZSPACE_SYSTEM_DATA "/usr/share/zspace/data"
#endif
#define FASHION_DEBIAN_DIR "/usr/share/datasets/fashion-mnist"

static const char *const digit_names[DATASET_CLASSES] = {"0", "1", "2", "3", "4",
                                                         "5", "6", "7", "8", "9"};
static const char *const fashion_names[DATASET_CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

static const DatasetInfo known[] = {
    {"mnist",
     "MNIST",
     {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte"},
     {"ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
     digit_names},
    {"fashion",
     "Fashion-MNIST",
     {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
      "t10k-labels-idx1-ubyte.gz"},
     {"b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
      "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
      "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
      "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"},
     fashion_names},
};

const DatasetInfo *dataset_known(int *count)
{
    *count = (int)(sizeof known / sizeof known[0]);
    return known;
}

const DatasetInfo *dataset_find(const char *name)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].name, name) == 0)
            return &known[i];
    return NULL;
}

void dataset_user_dir(char *buf, size_t size)
{
    const char *env = getenv("ZSPACE_DATA");
    if (env && *env)
        snprintf(buf, size, "%s", env);
    else
        xdg_path(XDG_DATA, "", buf, size);
}

/* The source tree's data/ belongs to builds run from their build tree: an
 * installed binary must not depend on where it was built. */
static bool running_from_build_tree(void)
{
    char exe[PATH_MAX], root[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || !*ZSPACE_BUILD_ROOT || !realpath(ZSPACE_BUILD_ROOT, root))
        return false;
    exe[n] = '\0';
    size_t len = strlen(root);
    return strncmp(exe, root, len) == 0 && exe[len] == '/';
}

/* $ZSPACE_DATA or $ZSPACE_FASHION_DIR when set and not empty, else NULL. */
static const char *override(const DatasetInfo *info)
{
    const char *env = getenv(strcmp(info->name, "mnist") == 0 ? "ZSPACE_DATA" : "ZSPACE_FASHION_DIR");
    return env && *env ? env : NULL;
}

int dataset_places(const DatasetInfo *info, char places[][4096])
{
    bool mnist = strcmp(info->name, "mnist") == 0;
    const char *env = override(info);
    if (env) {
        /* An explicit override is the only place, so a wrong one is named
         * in the error rather than silently passed over. */
        snprintf(places[0], 4096, "%s", env);
        return 1;
    }
    int n = 0;
    if (mnist) {
        dataset_user_dir(places[n++], 4096);
        snprintf(places[n++], 4096, "%s", dataset_system_dir());
        if (running_from_build_tree())
            snprintf(places[n++], 4096, "%s/data", ZSPACE_SOURCE_DIR);
    } else {
        snprintf(places[n++], 4096, "%s", FASHION_DEBIAN_DIR);
        dataset_user_dir(places[n++], 4096);
    }
    return n;
}

bool dataset_present_in(const DatasetInfo *info, const char *dir)
{
    for (int i = 0; i < DS_FILES; i++) {
        char p[4096 + 64];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, info->files[i]);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
            return false;
    }
    return true;
}

bool dataset_dir(const DatasetInfo *info, char *buf, size_t size)
{
    char places[DATASET_MAX_PLACES][4096];
    int n = dataset_places(info, places);
    for (int i = 0; i < n; i++) {
        if (dataset_present_in(info, places[i])) {
            snprintf(buf, size, "%s", places[i]);
            return true;
        }
    }
    snprintf(buf, size, "%s", places[0]);
    return false;
}

const char *dataset_system_dir(void)
{
    return ZSPACE_SYSTEM_DATA;
}

const char *dataset_default(void)
{
    char dir[4096];
    if (dataset_dir(dataset_find("mnist"), dir, sizeof dir))
        return "mnist";
    if (dataset_dir(dataset_find("fashion"), dir, sizeof dir))
        return "fashion";
    return "mnist";
}

void dataset_path(const DatasetInfo *info, int i, char *buf, size_t size)
{
    char dir[4096];
    dataset_dir(info, dir, sizeof dir);
    snprintf(buf, size, "%s/%s", dir, info->files[i]);
}

int dataset_sha256_file(const char *path, char hex[65], Err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    static const size_t chunk = 1 << 16;
    uint8_t *buf = malloc(chunk);
    if (!buf) {
        fclose(f);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    size_t n;
    while ((n = fread(buf, 1, chunk, f)) > 0)
        sha256_update(&ctx, n, buf);
    int failed = ferror(f);
    free(buf);
    fclose(f);
    if (failed)
        return err_set(e, ERR_IO, "%s: read failed", path);
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return ERR_OK;
}

int dataset_load_split(const char *images_path, const char *labels_path, DataSplit *out, int *rows,
                       int *cols, Err *e)
{
    memset(out, 0, sizeof *out);
    IdxImages im;
    IdxLabels lb;
    int rc = idx_load_images(images_path, &im, e);
    if (rc != ERR_OK)
        return rc;
    rc = idx_load_labels(labels_path, &lb, e);
    if (rc != ERR_OK) {
        idx_images_free(&im);
        return rc;
    }
    if (im.n != lb.n) {
        rc = err_set(e, ERR_FORMAT, "%s holds %zu images but %s holds %zu labels", images_path,
                     im.n, labels_path, lb.n);
    } else {
        for (size_t i = 0; i < lb.n; i++) {
            if (lb.labels[i] >= DATASET_CLASSES) {
                rc = err_set(e, ERR_FORMAT, "%s: label %u at item %zu: expected 0 to %d",
                             labels_path, lb.labels[i], i, DATASET_CLASSES - 1);
                break;
            }
        }
    }
    if (rc != ERR_OK) {
        idx_images_free(&im);
        idx_labels_free(&lb);
        return rc;
    }
    out->n = im.n;
    out->x = im.rows * im.cols;
    out->images = im.pixels;
    out->labels = lb.labels;
    *rows = im.rows;
    *cols = im.cols;
    return ERR_OK;
}

int dataset_load(const char *name, Dataset *ds, Err *e)
{
    memset(ds, 0, sizeof *ds);
    const DatasetInfo *info = dataset_find(name);
    if (!info)
        return err_set(e, ERR_ARG, "unknown dataset '%s' (known: mnist, fashion)", name);
    char dir[4096];
    if (!dataset_dir(info, dir, sizeof dir) && !override(info))
        return err_set(e, ERR_IO, "%s is not installed: %s; 'zspace data' lists where zspace looks",
                       info->title,
                       strcmp(info->name, "mnist") == 0
                           ? "add it with 'zspace data fetch' (downloads it) or 'zspace data "
                             "import DIR|FILE'"
                           : "install the Debian package dataset-fashion-mnist");
    char p[DS_FILES][4096 + 64];
    for (int i = 0; i < DS_FILES; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", dir, info->files[i]);
    int rows, cols, trows, tcols;
    int rc = dataset_load_split(p[DS_TRAIN_IMAGES], p[DS_TRAIN_LABELS], &ds->train, &rows, &cols, e);
    if (rc != ERR_OK)
        return rc;
    rc = dataset_load_split(p[DS_TEST_IMAGES], p[DS_TEST_LABELS], &ds->test, &trows, &tcols, e);
    if (rc == ERR_OK && (trows != rows || tcols != cols))
        rc = err_set(e, ERR_FORMAT, "%s: test images are %dx%d but training images are %dx%d",
                     p[DS_TEST_IMAGES], trows, tcols, rows, cols);
    if (rc != ERR_OK) {
        dataset_free(ds);
        return rc;
    }
    ds->name = info->name;
    ds->title = info->title;
    ds->rows = rows;
    ds->cols = cols;
    ds->class_names = info->class_names;
    return ERR_OK;
}

void dataset_split_free(DataSplit *s)
{
    free(s->images);
    free(s->labels);
    memset(s, 0, sizeof *s);
}

void dataset_free(Dataset *ds)
{
    dataset_split_free(&ds->train);
    dataset_split_free(&ds->test);
    memset(ds, 0, sizeof *ds);
}
