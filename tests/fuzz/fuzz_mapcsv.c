/* fuzz_mapcsv: the map CSV reader (viz_map_parse, what `zspace scatter
 * --input` reads) on arbitrary bytes. A parse either succeeds with
 * consistent points, class ids and counts, or fails with a message. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "viz/mapcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VizMap m;
    Err e = {0};
    if (viz_map_parse((const char *)data, size, "fuzz.csv", &m, &e) == ERR_OK) {
        if (m.n == 0 || m.n_classes < 0 || m.n_classes > VIZ_MAX_CLASSES)
            abort();
        size_t total = m.n_other;
        for (int c = 0; c < m.n_classes; c++)
            total += m.counts[c];
        if (total != m.n)
            abort();
        for (size_t i = 0; i < m.n; i++)
            if (m.cls[i] < -1 || m.cls[i] >= m.n_classes || !isfinite(m.xy[2 * i]) ||
                !isfinite(m.xy[2 * i + 1]))
                abort();
        viz_map_free(&m);
    } else if (e.msg[0] == '\0' || m.xy) {
        abort();
    }
    return 0;
}
