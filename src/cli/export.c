/* export: see export.h. */
#include "export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nn/nn.h"

int export_model_load(ExportModel *m, const char *cmd, const char *path, const char *dataset,
                      int need)
{
    memset(m, 0, sizeof *m);
    m->path = path;
    if (dataset && !dataset_find(dataset))
        return cli_usage(cmd, "--dataset '%s': expected mnist or fashion", dataset);
    nn_set_threads(nn_online_cpus());
    Err e = {0};
    if (vae_load(path, &m->v, 256, &m->info, &e) != ERR_OK)
        return cli_fail(&e);
    if (m->v.cfg.x != 784) {
        export_model_free(m);
        err_set(&e, ERR_FORMAT, "%s: images of %d pixels; zspace draws 28x28 (784)", path,
                m->v.cfg.x);
        return cli_fail(&e);
    }
    const char *name = dataset ? dataset : m->info.dataset;
    m->ds_info = dataset_find(name);
    if (!need)
        return EXIT_OK;
    if (!m->ds_info) {
        int rc = !name[0] ? cli_usage(cmd, "%s does not name its dataset; pass --dataset", path)
                          : cli_usage(cmd,
                                      "%s was trained on '%s', which zspace does not know; "
                                      "pass --dataset",
                                      path, name);
        export_model_free(m);
        return rc;
    }
    /* Only the splits asked for, with dataset_load's checks on each. */
    const DatasetInfo *di = m->ds_info;
    Dataset *ds = &m->ds;
    ds->name = di->name;
    ds->title = di->title;
    ds->class_names = di->class_names;
    m->has_ds = 1;
    static const int files[2][2] = {{DS_TEST_IMAGES, DS_TEST_LABELS},
                                    {DS_TRAIN_IMAGES, DS_TRAIN_LABELS}};
    for (int k = 0; k < 2; k++) {
        if (!(need & (k ? EXPORT_TRAIN : EXPORT_TEST)))
            continue;
        char img[4096], lab[4096];
        dataset_path(di, files[k][0], img, sizeof img);
        dataset_path(di, files[k][1], lab, sizeof lab);
        int rc = dataset_load_split(img, lab, k ? &ds->train : &ds->test, &ds->rows, &ds->cols, &e);
        if (rc == ERR_OK && ds->rows * ds->cols != 784)
            rc = err_set(&e, ERR_FORMAT, "%s: %dx%d images; zspace draws 28x28", img, ds->rows,
                         ds->cols);
        if (rc != ERR_OK) {
            export_model_free(m);
            return cli_fail(&e);
        }
    }
    return EXIT_OK;
}

int export_decode(ExportModel *m, const float *z, size_t n, float *img, Err *e)
{
    vae_decode(&m->v, z, n, img);
    size_t x = (size_t)m->v.cfg.x;
    for (size_t i = 0; i < n * x; i++)
        if (!isfinite(img[i]))
            return err_set(e, ERR_NUMERIC,
                           "%s: the model decodes to NaN or infinity (image %zu, pixel %zu); "
                           "its weights do not give images",
                           m->path, i / x + 1, i % x + 1);
    return ERR_OK;
}

void export_model_free(ExportModel *m)
{
    if (m->has_ds)
        dataset_free(&m->ds);
    vae_free(&m->v);
    vae_file_info_free(&m->info);
    memset(m, 0, sizeof *m);
}

const char *const *export_class_names(const ExportModel *m)
{
    return (m->ds_info ? m->ds_info : dataset_find("mnist"))->class_names;
}

int export_parse_pair(const char *cmd, const char *opt, const char *s, long min, long max,
                      const char *form, int *first, int *second)
{
    const char *x = strchr(s, 'x');
    char part[32];
    size_t n = x ? (size_t)(x - s) : 0;
    if (!x || n == 0 || n >= sizeof part || !x[1])
        return cli_usage(cmd, "%s '%s': expected %s", opt, s, form);
    memcpy(part, s, n);
    part[n] = '\0';
    long r, c;
    if (cli_parse_long(cmd, opt, part, min, max, &r) ||
        cli_parse_long(cmd, opt, x + 1, min, max, &c))
        return EXIT_USAGE;
    *first = (int)r;
    *second = (int)c;
    return EXIT_OK;
}

int export_auto_scale(int cells, int img_px)
{
    int s = EXPORT_TARGET_PX / (cells * img_px);
    return s < 1 ? 1 : s > 8 ? 8 : s;
}

void export_grid_style(VizGridStyle *s, int scale)
{
    viz_grid_style_default(s);
    s->scale = scale;
    /* Gaps and margins grow with the scale, so tiles stay apart on big
     * figures but tiny ones stay dense. */
    s->pad = scale < 2 ? 1 : scale;
    s->margin = 2 * s->pad;
}
