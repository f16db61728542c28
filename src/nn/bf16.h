/* bf16: bfloat16 storage for mixed-precision GEMM operands.
 *
 * A bf16 value is the high 16 bits of an IEEE float (same exponent range,
 * 8 significant bits). float -> bf16 rounds to nearest, ties to even, like
 * oneDNN's and PyTorch's conversions; NaN stays NaN (quiet), +-Inf stays
 * Inf, and finite values too large to round down become Inf as in IEEE.
 * bf16 -> float is exact. Plain integer code that compilers vectorize; it
 * never needs a bf16 instruction. Pure functions; any thread. */
#ifndef ZSPACE_NN_BF16_H
#define ZSPACE_NN_BF16_H

#include <stdint.h>
#include <string.h>

static inline uint16_t bf16_from_float(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    uint32_t rounded = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    uint32_t nan = (u & 0x7FFFFFFFu) > 0x7F800000u;
    return (uint16_t)(nan ? (u >> 16) | 0x40u : rounded);
}

static inline float bf16_to_float(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* dst[i] = bf16(src[i]), i < n. */
static inline void bf16_from_floats(uint16_t *restrict dst, const float *restrict src, long n)
{
    for (long i = 0; i < n; i++)
        dst[i] = bf16_from_float(src[i]);
}

/* dst[i] = float(src[i]), i < n. */
static inline void bf16_to_floats(float *restrict dst, const uint16_t *restrict src, long n)
{
    for (long i = 0; i < n; i++)
        dst[i] = bf16_to_float(src[i]);
}

#endif
