/* export: what the figure and animation commands (interp, sample, recon,
 * manifold, scatter) share: loading the model and, when a command needs
 * images, its dataset; "RxC" grid sizes; the default upscaling. Thread
 * rule: main thread (CLI). */
#ifndef ZSPACE_CLI_EXPORT_H
#define ZSPACE_CLI_EXPORT_H

#include "data/dataset.h"
#include "vae/vae.h"
#include "vae/vae_io.h"
#include "viz/grid.h"

/* Figures aim for about this many pixels across when --scale is not given. */
enum { EXPORT_TARGET_PX = 1120 };

/* Which splits of the dataset a command needs (loading only the test split
 * saves ~0.2 s and ~200 MB). */
enum { EXPORT_NO_DATA = 0, EXPORT_TEST = 1, EXPORT_TRAIN = 2 };

typedef struct {
    const char *path; /* -m */
    Vae v;
    VaeFileInfo info;
    const DatasetInfo *ds_info; /* --dataset, else the model's own; NULL if unknown */
    Dataset ds;                 /* only the splits asked for are loaded */
    int has_ds;
} ExportModel;

/* Load the model at path (runtime failure: message, EXIT_FAIL) and the
 * splits of its dataset in `need` (EXPORT_TEST | EXPORT_TRAIN; --dataset
 * overrides the model's; a model that names no known dataset is then a usage
 * error). Uses all online CPUs. On failure nothing needs freeing. Returns an
 * exit status. */
int export_model_load(ExportModel *m, const char *cmd, const char *path, const char *dataset,
                      int need);
void export_model_free(ExportModel *m);
/* vae_decode z (N, Z) into img (N, X), refusing a model whose images are not
 * finite (eval refuses its loss; a PNG of NaN would be a lie), for every
 * command that draws decoded images. */
int export_decode(ExportModel *m, const float *z, size_t n, float *img, Err *e);
/* Class names of the model's dataset (MNIST's digits when unknown). */
const char *const *export_class_names(const ExportModel *m);

/* "10x10" -> 10, 10, each min..max; otherwise a usage error that shows
 * `form` (e.g. "ROWSxCOLS, e.g. 10x10"). */
int export_parse_pair(const char *cmd, const char *opt, const char *s, long min, long max,
                      const char *form, int *first, int *second);
/* The default scale: the largest of 1..8 keeping `cells` images of img_px
 * pixels within EXPORT_TARGET_PX across. */
int export_auto_scale(int cells, int img_px);
/* The grid style of zspace's figures at this scale. */
void export_grid_style(VizGridStyle *s, int scale);

#endif
