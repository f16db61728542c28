/* cpu: run-time choice of CPU-specific variants of the hot loops.
 *
 * The package's build targets plain x86-64 (SSE2), yet most of the time goes
 * to a few loops that run two to four times faster with AVX2 + FMA or
 * AVX-512. ZS_KERNEL before such a function's definition makes GCC compile
 * it three times (x86-64-v4: AVX-512; x86-64-v3: AVX2, FMA; the build's
 * baseline) and bind one when the program loads (an ifunc whose resolver
 * asks cpuid), so the call costs one indirect jump.
 *
 * Only code compiled inside the marked function gets the variant's
 * instructions: static inline helpers (vmath.h, vector load/store) are
 * compiled into each variant where they are inlined, a function they call
 * out of line is not. So the attribute goes on the function that holds the
 * whole loop nest.
 *
 * The variants may round differently (FMA contraction, vector width in a
 * reduction): one binary on one CPU is still bit-reproducible, the same
 * seed on two CPUs agrees to rounding (tests/cpu/ checks the baseline
 * against the dispatched variants under qemu).
 *
 * ZS_KERNEL is empty where it cannot or need not work: compilers other than
 * GCC (clang builds are the fuzz and TSan passes), non-x86-64 targets, and
 * builds whose target already has AVX2 (-Dnative=true): those are compiled
 * for the machine they run on. */
#ifndef ZSPACE_CORE_CPU_H
#define ZSPACE_CORE_CPU_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__) && \
    !defined(__AVX2__)
#define ZS_DISPATCH 1
#define ZS_KERNEL __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
/* One function compiled for AVX-512F (intrinsics); call it only when
 * ZS_HAVE_AVX512F() is true. */
#define ZS_TARGET_AVX512F __attribute__((target("avx512f")))
#define ZS_HAVE_AVX512F() __builtin_cpu_supports("avx512f")
#else
#define ZS_DISPATCH 0
#define ZS_KERNEL
#endif

/* Which ZS_KERNEL variant this process runs: "x86-64-v4", "x86-64-v3" or
 * "baseline" (the resolver's own test), or "build target" when the build
 * has no dispatch. */
const char *cpu_kernel_level(void);

#endif
