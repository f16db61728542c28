/* vmath: exp and log1p as inline, branch-free float code that compilers
 * vectorize inside loops (libm calls would keep those loops scalar).
 *
 * vm_expf: Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, a degree-6
 * polynomial for e^r, then 2^n through the exponent bits; max relative error
 * about 2 ulp on [-87, 88]; inputs are clamped to that range (so +-Inf give
 * the extreme finite values, NaN stays NaN through the polynomial).
 * vm_log1pf01: log(1 + e) for e in [0, 1] (what stable BCE needs), with
 * log(1 + f) = 2 atanh(f / (2 + f)); absolute error below 1e-7.
 * Pure functions; any thread. */
#ifndef ZSPACE_NN_VMATH_H
#define ZSPACE_NN_VMATH_H

#include <stdint.h>

/* One union for both directions: reading the member not last written
 * reinterprets the bits (C11 6.5.2.3). */
typedef union {
    uint32_t u;
    float f;
} VmBits;

static inline float vm_bits_to_float(uint32_t u)
{
    return (VmBits){.u = u}.f;
}

static inline uint32_t vm_float_to_bits(float f)
{
    return (VmBits){.f = f}.u;
}

static inline float vm_expf(float x)
{
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    /* Round x / ln2 to nearest with the 1.5 * 2^23 trick (no libm call). */
    const float shift = 12582912.0f;
    float t = x * 1.44269504f + shift;
    float n = t - shift;
    float r = x - n * 0.693145752f; /* ln2 split: hi part exact in float */
    r = r - n * 1.42860677e-6f;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* n's integer value sits in t's low mantissa bits: no float->int cast,
     * so a NaN input cannot hit undefined behaviour. */
    uint32_t k = vm_float_to_bits(t) - 0x4B400000u;
    return p * vm_bits_to_float((k + 127u) << 23);
}

/* log(1 + e), 0 <= e <= 1. */
static inline float vm_log1pf01(float e)
{
    /* Reduce 1 + e into [1, sqrt 2] by halving when e > sqrt 2 - 1; both
     * branches of f are exact in float, so small e keeps full precision. */
    int big = e > 0.41421356f;
    float f = big ? (e - 1.0f) * 0.5f : e;
    float s = f / (2.0f + f);
    float s2 = s * s;
    float q = 1.0f / 9.0f;
    q = q * s2 + 1.0f / 7.0f;
    q = q * s2 + 1.0f / 5.0f;
    q = q * s2 + 1.0f / 3.0f;
    q = q * s2 + 1.0f;
    return (big ? 0.693147181f : 0.0f) + 2.0f * s * q;
}

#endif
