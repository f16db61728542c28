/* rng: a small seeded random number generator (xoshiro256**) with uniform
 * and standard-normal draws. Every random choice in zspace (init, shuffling,
 * reparameterization noise, sampling) goes through an explicit Rng, so a seed
 * reproduces a run. Thread rule: an Rng is owned by one thread; give each
 * thread its own (see rng_split). */
#ifndef ZSPACE_CORE_RNG_H
#define ZSPACE_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t s[4];
    int has_spare; /* Box-Muller makes normals in pairs: keep the second one */
    float spare;
} Rng;

void rng_seed(Rng *r, uint64_t seed);
/* A new independent stream derived from r (advances r). */
Rng rng_split(Rng *r);
uint64_t rng_u64(Rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint32_t rng_below(Rng *r, uint32_t n);
/* Uniform float in [0, 1). */
float rng_uniform(Rng *r);
/* Standard normal N(0, 1). */
float rng_normal(Rng *r);
/* Fill out[0..n) with N(0, 1) draws. */
void rng_normal_fill(Rng *r, float *out, size_t n);
/* Fisher-Yates shuffle of idx[0..n). */
void rng_shuffle_u32(Rng *r, uint32_t *idx, size_t n);

#endif
