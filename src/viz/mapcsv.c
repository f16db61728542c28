/* mapcsv: see mapcsv.h. The CSV itself is read by io/pointcsv (the same
 * rules as `project --input`); here the columns become a map. */
#include "mapcsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/pointcsv.h"
#include "io/slurp.h"

void viz_map_free(VizMap *m)
{
    free(m->xy);
    free(m->cls);
    memset(m, 0, sizeof *m);
}

void viz_map_names(const VizMap *m, const char *names[VIZ_MAX_CLASSES])
{
    for (int c = 0; c < VIZ_MAX_CLASSES; c++)
        names[c] = m->names[c];
}

/* Class ids from labels (rules in mapcsv.h). */
static void classes(VizMap *m, char *const *labels)
{
    int all_digits = labels != NULL;
    for (size_t i = 0; labels && i < m->n && all_digits; i++)
        all_digits = !labels[i][0] ||
                     (labels[i][0] >= '0' && labels[i][0] <= '9' && !labels[i][1]);
    int any = 0;
    for (size_t i = 0; labels && i < m->n; i++)
        any |= labels[i][0] != 0;
    all_digits &= any;
    for (size_t i = 0; i < m->n; i++) {
        const char *l = labels ? labels[i] : "";
        int c = -1;
        if (!l[0]) {
            c = -1;
        } else if (all_digits) {
            c = l[0] - '0';
        } else {
            char name[sizeof m->names[0]];
            snprintf(name, sizeof name, "%s", l);
            for (int k = 0; k < m->n_classes && c < 0; k++)
                if (!strcmp(m->names[k], name))
                    c = k;
            if (c < 0 && m->n_classes < VIZ_MAX_CLASSES) {
                c = m->n_classes++;
                memcpy(m->names[c], name, sizeof name);
            }
        }
        m->cls[i] = c;
        if (c < 0) {
            m->n_other++;
            continue;
        }
        m->counts[c]++;
        if (all_digits && c + 1 > m->n_classes)
            m->n_classes = c + 1;
    }
    for (int c = 0; all_digits && c < m->n_classes; c++)
        snprintf(m->names[c], sizeof m->names[c], "%d", c);
}

/* The map from parsed points: columns x and y by name, or the two columns
 * of a file without a header. */
static int from_points(const IoPoints *p, const char *name, VizMap *m, Err *e)
{
    int cx, cy;
    if (p->names) {
        cx = io_points_column(p, "x");
        cy = io_points_column(p, "y");
        if (cx == -2 || cy == -2)
            return err_set(e, ERR_FORMAT, "%s: line 1: column '%s' appears twice", name,
                           cx == -2 ? "x" : "y");
        if (cx < 0 || cy < 0)
            return err_set(e, ERR_FORMAT,
                           "%s: the header has no column named '%s' (a map needs columns x "
                           "and y, as zspace project writes)",
                           name, cx < 0 ? "x" : "y");
    } else if (p->d == 2) {
        cx = 0;
        cy = 1;
    } else {
        return err_set(e, ERR_FORMAT,
                       "%s: no header line and %d columns; a map needs a header naming "
                       "columns x and y",
                       name, p->d);
    }
    m->n = p->n;
    m->xy = malloc(2 * p->n * sizeof *m->xy);
    m->cls = malloc(p->n * sizeof *m->cls);
    if (!m->xy || !m->cls)
        return err_set(e, ERR_NOMEM, "%s: out of memory for %zu points", name, p->n);
    for (size_t i = 0; i < p->n; i++) {
        m->xy[2 * i] = p->x[i * (size_t)p->d + cx];
        m->xy[2 * i + 1] = p->x[i * (size_t)p->d + cy];
    }
    classes(m, p->labels);
    return ERR_OK;
}

int viz_map_parse(const char *text, size_t len, const char *name, VizMap *m, Err *e)
{
    memset(m, 0, sizeof *m);
    IoPoints p;
    int rc = io_points_parse(text, len, name, 0, &p, e);
    if (rc != ERR_OK)
        return rc;
    rc = from_points(&p, name, m, e);
    io_points_free(&p);
    if (rc != ERR_OK)
        viz_map_free(m);
    return rc;
}

int viz_map_read(const char *path, VizMap *m, Err *e)
{
    memset(m, 0, sizeof *m);
    uint8_t *buf;
    size_t n;
    if (io_slurp(path, (size_t)1 << 31, &buf, &n, e) != ERR_OK)
        return e ? e->code : ERR_IO;
    int rc = viz_map_parse((const char *)buf, n, strcmp(path, "-") ? path : "standard input", m, e);
    free(buf);
    return rc;
}
