/* mapcsv: see mapcsv.h. One pass over the text keeps, per point, both the
 * label's number (if it is a digit 0..9) and its index among the first
 * distinct labels; which of the two becomes the class id is decided at the
 * end, when it is known whether every label was a digit. */
#include "mapcsv.h"

#include "io/slurp.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FIELDS = 4096 };

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

/* [s, s + len) without surrounding blanks, as a NUL-terminated copy in buf. */
static const char *field(const char *s, size_t len, char *buf, size_t size)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static int parse_coord(const char *s, float *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || !isfinite(v) || fabs(v) > 3.0e38)
        return -1;
    *out = (float)v;
    return 0;
}

typedef struct {
    int col_x, col_y, col_label; /* column indices, -1 when absent */
    int n_cols;
    size_t cap;
    int *num; /* (cap) label as digit 0..9, or -1 */
    char distinct[VIZ_MAX_CLASSES][64];
    int n_distinct;
    int all_digits, any_label;
} Parse;

/* The header: find x, y and label. */
static int parse_header(Parse *p, const char *line, size_t len, const char *name, Err *e)
{
    p->col_x = p->col_y = p->col_label = -1;
    int c = 0;
    for (const char *s = line, *end = line + len;; c++) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        char buf[64];
        const char *f = field(s, comma ? (size_t)(comma - s) : (size_t)(end - s), buf, sizeof buf);
        int *slot = !strcmp(f, "x")       ? &p->col_x
                    : !strcmp(f, "y")     ? &p->col_y
                    : !strcmp(f, "label") ? &p->col_label
                                          : NULL;
        if (slot && *slot >= 0)
            return err_set(e, ERR_FORMAT, "%s: line 1: column '%s' appears twice", name, f);
        if (slot)
            *slot = c;
        if (!comma || c + 1 >= MAX_FIELDS)
            break;
        s = comma + 1;
    }
    p->n_cols = c + 1;
    if (p->col_x < 0 || p->col_y < 0)
        return err_set(e, ERR_FORMAT,
                       "%s: line 1: expected a header with columns x and y (and label), as "
                       "zspace project writes",
                       name);
    return ERR_OK;
}

static int grow(VizMap *m, Parse *p, const char *name, Err *e)
{
    size_t nc = p->cap ? 2 * p->cap : 1024;
    float *xy = realloc(m->xy, nc * 2 * sizeof *xy);
    if (xy)
        m->xy = xy;
    int *cls = realloc(m->cls, nc * sizeof *cls);
    if (cls)
        m->cls = cls;
    int *num = realloc(p->num, nc * sizeof *num);
    if (num)
        p->num = num;
    if (!xy || !cls || !num)
        return err_set(e, ERR_NOMEM, "%s: out of memory at %zu points", name, m->n);
    p->cap = nc;
    return ERR_OK;
}

/* One data line: x, y and the label's two readings. */
static int parse_row(VizMap *m, Parse *p, const char *line, size_t len, size_t lineno,
                     const char *name, Err *e)
{
    if (m->n == p->cap && grow(m, p, name, e) != ERR_OK)
        return ERR_NOMEM;
    float x = 0, y = 0;
    char label[64] = "";
    int c = 0;
    for (const char *s = line, *end = line + len;; c++) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        size_t flen = comma ? (size_t)(comma - s) : (size_t)(end - s);
        char buf[64];
        if (c == p->col_x || c == p->col_y) {
            const char *f = field(s, flen, buf, sizeof buf);
            if (parse_coord(f, c == p->col_x ? &x : &y) != 0)
                return err_set(e, ERR_FORMAT,
                               "%s: line %zu, column %d: '%.40s' is not a finite number", name,
                               lineno, c + 1, f);
        } else if (c == p->col_label) {
            field(s, flen, label, sizeof label);
        }
        if (!comma)
            break;
        s = comma + 1;
    }
    if (c + 1 != p->n_cols)
        return err_set(e, ERR_FORMAT, "%s: line %zu: %d field%s, the header has %d", name, lineno,
                       c + 1, c ? "s" : "", p->n_cols);
    m->xy[2 * m->n] = x;
    m->xy[2 * m->n + 1] = y;
    int num = -1, idx = -1;
    if (label[0]) {
        p->any_label = 1;
        if (label[0] >= '0' && label[0] <= '9' && !label[1])
            num = label[0] - '0';
        else
            p->all_digits = 0;
        for (int k = 0; k < p->n_distinct && idx < 0; k++)
            if (!strcmp(p->distinct[k], label))
                idx = k;
        if (idx < 0 && p->n_distinct < VIZ_MAX_CLASSES) {
            idx = p->n_distinct++;
            snprintf(p->distinct[idx], sizeof p->distinct[idx], "%s", label);
        }
    }
    p->num[m->n] = num;
    m->cls[m->n] = idx;
    m->n++;
    return ERR_OK;
}

int viz_map_parse(const char *text, size_t len, const char *name, VizMap *m, Err *e)
{
    memset(m, 0, sizeof *m);
    Parse p = {.all_digits = 1};
    int rc = ERR_OK, have_header = 0;
    size_t lineno = 0;
    for (size_t pos = 0; pos < len && rc == ERR_OK;) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl != NULL);
        lineno++;
        if (memchr(line, '\0', ll)) {
            rc = err_set(e, ERR_FORMAT, "%s: line %zu: contains a NUL byte", name, lineno);
            break;
        }
        size_t k = 0;
        while (k < ll && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
            k++;
        if (k == ll)
            continue; /* blank */
        if (!have_header) {
            rc = parse_header(&p, line, ll, name, e);
            have_header = 1;
        } else {
            rc = parse_row(m, &p, line, ll, lineno, name, e);
        }
    }
    if (rc == ERR_OK && m->n == 0)
        rc = err_set(e, ERR_FORMAT, "%s: no points", name);
    if (rc == ERR_OK) {
        int digits = p.any_label && p.all_digits;
        for (size_t i = 0; i < m->n; i++) {
            int c = digits ? p.num[i] : m->cls[i];
            m->cls[i] = c;
            if (c < 0) {
                m->n_other++;
                continue;
            }
            m->counts[c]++;
            if (c + 1 > m->n_classes)
                m->n_classes = c + 1;
        }
        for (int c = 0; c < m->n_classes; c++) {
            if (digits)
                snprintf(m->names[c], sizeof m->names[c], "%d", c);
            else
                memcpy(m->names[c], p.distinct[c], sizeof m->names[c]);
        }
    }
    free(p.num);
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
