/* pixels: decoded or dataset pixels (floats, 1 = white) to the bytes the
 * textures, hashes and dumps take. */
#ifndef ZSPACE_EXPLORE_PIXELS_H
#define ZSPACE_EXPLORE_PIXELS_H

#include <stddef.h>
#include <stdint.h>

/* out[i] = round(255 x[i]) with x clamped to [0, 1]; NaN gives 0. */
void pixels_to_bytes(const float *x, uint8_t *out, size_t n);

#endif
