/* dataset: the named datasets zspace knows (MNIST, Fashion-MNIST), where
 * their IDX files live, their published SHA-256 sums, and loading a whole
 * dataset (train + test, images + labels) with cross-file checks.
 *
 * Places, looked in this order; a dataset lives in the first place that holds
 * all four of its files:
 *   MNIST: $ZSPACE_DATA alone when it is set; else $XDG_DATA_HOME/zspace (the
 *     user's data dir, filled by `zspace data import|fetch`), the install
 *     prefix's share/zspace/data, and <source tree>/data only for a binary
 *     run from its build tree.
 *   Fashion-MNIST: $ZSPACE_FASHION_DIR alone when it is set; else
 *     /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), then
 *     the user's data dir.
 * Thread rule: a Dataset is read-only after dataset_load and may be shared by
 * any number of threads; the lookups read the environment only. */
#ifndef ZSPACE_DATA_DATASET_H
#define ZSPACE_DATA_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define DATASET_CLASSES 10

typedef struct {
    size_t n;         /* N */
    int x;            /* X = rows * cols (784) */
    float *images;    /* (N, X) in [0, 1] */
    uint8_t *labels;  /* (N), each < DATASET_CLASSES */
} DataSplit;

typedef struct {
    const char *name;  /* "mnist" or "fashion" */
    const char *title; /* "MNIST", "Fashion-MNIST" */
    int rows, cols;
    DataSplit train, test;
    const char *const *class_names; /* DATASET_CLASSES entries */
} Dataset;

/* The four files of a dataset, in this order. */
enum { DS_TRAIN_IMAGES, DS_TRAIN_LABELS, DS_TEST_IMAGES, DS_TEST_LABELS, DS_FILES };

typedef struct {
    const char *name;
    const char *title;
    const char *files[DS_FILES];   /* file names inside the directory */
    const char *sha256[DS_FILES];  /* lowercase hex of each file as shipped */
    const char *const *class_names;
} DatasetInfo;

/* The known datasets; *count receives how many. */
const DatasetInfo *dataset_known(int *count);
/* Look one up by name ("mnist", "fashion"); NULL if unknown. */
const DatasetInfo *dataset_find(const char *name);
#define DATASET_MAX_PLACES 4

/* The places looked in for a dataset, in order, into places[]; returns how
 * many (1..DATASET_MAX_PLACES). */
int dataset_places(const DatasetInfo *info, char places[][4096]);
/* True when dir holds all four files of the dataset (whatever their contents). */
_Bool dataset_present_in(const DatasetInfo *info, const char *dir);
/* The directory holding a dataset's files: the first place that holds them
 * all, else the first place (where it is expected), into buf. Returns whether
 * one holds them all. */
_Bool dataset_dir(const DatasetInfo *info, char *buf, size_t size);
/* Where `zspace data import|fetch` put files: $ZSPACE_DATA when set, else
 * $XDG_DATA_HOME/zspace (default ~/.local/share/zspace). */
void dataset_user_dir(char *buf, size_t size);
/* The install prefix's data directory (share/zspace/data). */
const char *dataset_system_dir(void);
/* The dataset to start on when none is named: "mnist" when it is present,
 * else "fashion" when that is, else "mnist" (whose error says how to add it). */
const char *dataset_default(void);
/* Full path of file i of a dataset into buf. */
void dataset_path(const DatasetInfo *info, int i, char *buf, size_t size);

/* SHA-256 of a file as lowercase hex (65 bytes incl. NUL) into hex. */
int dataset_sha256_file(const char *path, char hex[65], Err *e);

/* Load train and test splits of a named dataset. On failure *ds is zeroed
 * and nothing needs freeing. */
int dataset_load(const char *name, Dataset *ds, Err *e);
/* Load one split from an explicit pair of image/label files. */
int dataset_load_split(const char *images_path, const char *labels_path, DataSplit *out, int *rows,
                       int *cols, Err *e);
void dataset_split_free(DataSplit *s);
void dataset_free(Dataset *ds);

#endif
