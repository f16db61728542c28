/* pointcsv: see pointcsv.h. One pass over the lines; label and name texts
 * go into one growing arena as offsets, turned into pointers at the end. */
#include "pointcsv.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slurp.h"

void io_points_free(IoPoints *p)
{
    free(p->x);
    free(p->labels);
    free(p->names);
    free(p->arena);
    memset(p, 0, sizeof *p);
}

typedef struct {
    const char *s;
    size_t len;
} Field;

typedef struct {
    const char *name;
    Err *e;
    Field *f;        /* fields of the current line */
    size_t fcap;
    char *arena;
    size_t alen, acap;
    size_t *label_off; /* (cap) */
    size_t *name_off;  /* (D) */
    size_t cap;        /* rows allocated */
} Parser;

/* Split [s, s + len) at commas into P->f; blanks, then one pair of double
 * quotes around the whole field, trimmed. Returns the count or -1 (memory). */
static int split(Parser *P, const char *s, size_t len)
{
    int nf = 0;
    for (size_t pos = 0;; nf++) {
        if ((size_t)nf == P->fcap) {
            size_t nc = P->fcap ? 2 * P->fcap : 64;
            if (nc > INT32_MAX)
                return -1;
            Field *f = realloc(P->f, nc * sizeof *f);
            if (!f)
                return -1;
            P->f = f;
            P->fcap = nc;
        }
        const char *comma = memchr(s + pos, ',', len - pos);
        size_t end = comma ? (size_t)(comma - s) : len, a = pos, b = end;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
            b--;
        if (b - a >= 2 && s[a] == '"' && s[b - 1] == '"') {
            a++;
            b--;
        }
        P->f[nf] = (Field){s + a, b - a};
        if (!comma)
            return nf + 1;
        pos = end + 1;
    }
}

/* A field as a number: 0 ok, -1 not a number, -2 NaN, -3 infinite/huge. */
static int number(Field f, float *out)
{
    char buf[64];
    if (f.len == 0 || f.len >= sizeof buf)
        return -1;
    memcpy(buf, f.s, f.len);
    buf[f.len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end != '\0')
        return -1;
    if (isnan(v))
        return -2;
    if (!isfinite(v) || fabs(v) > FLT_MAX)
        return -3;
    *out = (float)v;
    return 0;
}

/* Copy a field's text into the arena; its offset into *off. */
static int keep_text(Parser *P, Field f, size_t *off)
{
    if (P->alen + f.len + 1 > P->acap) {
        size_t nc = P->acap ? 2 * P->acap : 4096;
        while (nc < P->alen + f.len + 1)
            nc *= 2;
        char *a = realloc(P->arena, nc);
        if (!a)
            return -1;
        P->arena = a;
        P->acap = nc;
    }
    *off = P->alen;
    memcpy(P->arena + P->alen, f.s, f.len);
    P->arena[P->alen + f.len] = '\0';
    P->alen += f.len + 1;
    return 0;
}

static int is_label(Field f)
{
    return f.len == 5 && !strncasecmp(f.s, "label", 5);
}

/* The header line: the label column and the numeric columns' names. */
static int header(Parser *P, IoPoints *p, int nf, size_t lineno, int *label_col)
{
    *label_col = -1;
    for (int c = 0; c < nf; c++)
        if (is_label(P->f[c])) {
            if (*label_col >= 0)
                return err_set(P->e, ERR_FORMAT, "%s: line %zu: two 'label' columns", P->name,
                               lineno);
            *label_col = c;
        }
    p->d = nf - (*label_col >= 0);
    if (p->d < 1)
        return err_set(P->e, ERR_FORMAT, "%s: line %zu: no numeric columns, only a label",
                       P->name, lineno);
    P->name_off = malloc((size_t)p->d * sizeof *P->name_off);
    if (!P->name_off)
        return err_set(P->e, ERR_NOMEM, "%s: out of memory", P->name);
    for (int c = 0, k = 0; c < nf; c++)
        if (c != *label_col && keep_text(P, P->f[c], &P->name_off[k++]) != 0)
            return err_set(P->e, ERR_NOMEM, "%s: out of memory", P->name);
    return ERR_OK;
}

static int grow(Parser *P, IoPoints *p, int with_labels, size_t lineno)
{
    size_t nc = P->cap ? 2 * P->cap : 1024;
    float *x = realloc(p->x, nc * (size_t)p->d * sizeof *x);
    if (x)
        p->x = x;
    size_t *lo = with_labels ? realloc(P->label_off, nc * sizeof *lo) : NULL;
    if (lo)
        P->label_off = lo;
    if (!x || (with_labels && !lo))
        return err_set(P->e, ERR_NOMEM, "%s: out of memory at line %zu", P->name, lineno);
    P->cap = nc;
    return ERR_OK;
}

/* One data line into row p->n. */
static int row(Parser *P, IoPoints *p, int nf, int nf0, int label_col, size_t lineno)
{
    if (nf != nf0)
        return err_set(P->e, ERR_FORMAT, "%s: line %zu: %d field%s, expected %d", P->name, lineno,
                       nf, nf == 1 ? "" : "s", nf0);
    if (p->n == P->cap && grow(P, p, label_col >= 0, lineno) != ERR_OK)
        return ERR_NOMEM;
    float *r = p->x + p->n * (size_t)p->d;
    for (int c = 0, k = 0; c < nf; c++) {
        if (c == label_col) {
            if (keep_text(P, P->f[c], &P->label_off[p->n]) != 0)
                return err_set(P->e, ERR_NOMEM, "%s: out of memory", P->name);
            continue;
        }
        int bad = number(P->f[c], &r[k++]);
        if (bad == -1)
            return err_set(P->e, ERR_FORMAT, "%s: line %zu, column %d: '%.*s' is not a number",
                           P->name, lineno, c + 1, (int)(P->f[c].len > 40 ? 40 : P->f[c].len),
                           P->f[c].s);
        if (bad)
            return err_set(P->e, ERR_FORMAT, "%s: line %zu, column %d: %s is not allowed",
                           P->name, lineno, c + 1,
                           bad == -2 ? "NaN" : "an infinite or huge value");
    }
    p->n++;
    return ERR_OK;
}

int io_points_parse(const char *text, size_t len, const char *name, size_t max_n, IoPoints *p,
                    Err *e)
{
    memset(p, 0, sizeof *p);
    Parser P = {.name = name, .e = e};
    size_t pos = 0, lineno = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        pos = 3; /* the byte-order mark spreadsheets put before "CSV UTF-8" */
    int nf0 = -1, label_col = -1, rc = ERR_OK;
    while (pos < len && rc == ERR_OK && !(max_n && p->n == max_n)) {
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
        int nf = split(&P, line, ll);
        if (nf < 0) {
            rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
            break;
        }
        if (nf0 < 0) { /* the first line: a header when any field is not a number */
            nf0 = nf;
            int is_header = 0;
            float dummy;
            for (int c = 0; c < nf && !is_header; c++)
                is_header = number(P.f[c], &dummy) == -1;
            if (is_header) {
                rc = header(&P, p, nf, lineno, &label_col);
                continue;
            }
            p->d = nf;
        }
        rc = row(&P, p, nf, nf0, label_col, lineno);
    }
    if (rc == ERR_OK && p->n == 0)
        rc = err_set(e, ERR_FORMAT, "%s: no data rows", name);
    if (rc == ERR_OK) {
        p->labels = label_col >= 0 ? malloc(p->n * sizeof *p->labels) : NULL;
        p->names = P.name_off ? malloc((size_t)p->d * sizeof *p->names) : NULL;
        if ((label_col >= 0 && !p->labels) || (P.name_off && !p->names))
            rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
    }
    if (rc == ERR_OK) {
        p->arena = P.arena;
        P.arena = NULL;
        for (size_t i = 0; p->labels && i < p->n; i++)
            p->labels[i] = p->arena + P.label_off[i];
        for (int c = 0; p->names && c < p->d; c++)
            p->names[c] = p->arena + P.name_off[c];
    }
    free(P.f);
    free(P.arena);
    free(P.label_off);
    free(P.name_off);
    if (rc != ERR_OK)
        io_points_free(p);
    return rc;
}

int io_points_read(const char *path, size_t max_n, IoPoints *p, Err *e)
{
    memset(p, 0, sizeof *p);
    uint8_t *buf;
    size_t n;
    if (io_slurp(path, (size_t)1 << 31, &buf, &n, e) != ERR_OK)
        return e ? e->code : ERR_IO;
    int rc = io_points_parse((const char *)buf, n, strcmp(path, "-") ? path : "standard input",
                             max_n, p, e);
    free(buf);
    return rc;
}

int io_points_column(const IoPoints *p, const char *name)
{
    int found = -1;
    for (int c = 0; p->names && c < p->d; c++)
        if (!strcmp(p->names[c], name)) {
            if (found >= 0)
                return -2;
            found = c;
        }
    return found;
}
