/* pixels: see pixels.h. */
#include <math.h>

#include "pixels.h"

void pixels_to_bytes(const float *x, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) /* fmaxf(NaN, 0) is 0 */
        out[i] = (uint8_t)lroundf(255.0f * fminf(fmaxf(x[i], 0.0f), 1.0f));
}
