/* fuzz_pointcsv: the one points-CSV reader (io_points_parse: project --input
 * and, through viz_map_parse, scatter --input) on arbitrary bytes, with and
 * without a row limit. A parse either succeeds with N >= 1 rows of D >= 1
 * finite numbers (labels and names NUL-terminated strings) or fails with a
 * message and nothing allocated. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/pointcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size, size_t max_n)
{
    IoPoints p;
    Err e = {0};
    if (io_points_parse((const char *)data, size, "fuzz.csv", max_n, &p, &e) == ERR_OK) {
        if (p.n == 0 || p.d < 1 || (max_n && p.n > max_n) || !p.x)
            abort();
        for (size_t i = 0; i < p.n * (size_t)p.d; i++)
            if (!isfinite(p.x[i]))
                abort();
        size_t len = 0;
        for (size_t i = 0; p.labels && i < p.n; i++)
            len += strlen(p.labels[i]); /* ASan: every label is in the arena */
        for (int c = 0; p.names && c < p.d; c++)
            len += strlen(p.names[c]);
        if (len > size)
            abort();
        int col = io_points_column(&p, "x");
        if (col < -2 || col >= p.d || (!p.names && col != -1))
            abort();
        io_points_free(&p);
    } else if (e.msg[0] == '\0' || p.x || p.labels || p.names || p.arena) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size, 0);
    check(data, size, 2);
    return 0;
}
