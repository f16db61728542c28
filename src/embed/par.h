/* par: the tiny fork-join helper the embed module uses to split work across
 * cores. par_run starts nt-1 pthreads, runs part 0 on the calling thread and
 * joins them all before returning, so no thread outlives a call and nothing
 * is shared between calls. Each part gets (ctx, t, nt) and must write only to
 * memory that part t owns (disjoint ranges from par_range); shared inputs are
 * read-only for the duration of the call.
 *
 * Creating threads per call costs ~20-50 us; the t-SNE loop makes one call per
 * iteration, which is well under 1% of an iteration at N >= 1,000 (measured in
 * BENCHMARKS.md), and buys a trivially correct thread story (TSan-clean).
 * Thread rule: callable from any thread; the parts run concurrently. */
#ifndef ZSPACE_EMBED_PAR_H
#define ZSPACE_EMBED_PAR_H

#include <stddef.h>

typedef void (*ParFn)(void *ctx, int t, int nt);

/* Run fn(ctx, t, nt) for t in [0, nt) concurrently and wait for all. nt < 1
 * counts as 1. If a thread cannot be created its part runs on the caller, so
 * the call always completes every part. */
void par_run(int nt, ParFn fn, void *ctx);

/* The half-open range [*lo, *hi) of part t of n items split into nt nearly
 * equal contiguous pieces. */
void par_range(size_t n, int t, int nt, size_t *lo, size_t *hi);

#endif
