/* SPDX-License-Identifier: MIT */
/* Timing BLIS's kernel sets (blis-measure.c), for blis-arch.c. */
#ifndef PERFKIT_BLIS_MEASURE_H
#define PERFKIT_BLIS_MEASURE_H

#include <blis.h>
#include <stddef.h>

/* The kernel sets worth timing, in BLIS's order (at most @max): those
 * this CPU executes in its two widest vector classes, and @own; their
 * number. */
size_t pk_blis_candidates(arch_t own, arch_t *ids, size_t max);

/* Is @own generic, or narrower than the widest set this CPU executes? */
int pk_blis_below_cpu(arch_t own);

/*
 * In a forked child: let BLIS start with kernel set @id (-1: its own
 * choice), then time a single-threaded dgemm for @seconds (0: none).
 * *ran is the set BLIS ran, *gflops the fastest call. 0, -ENOTSUP when
 * BLIS has no set @id, -EIO when the child died or did not answer; the
 * calling process's BLIS is not touched.
 */
int pk_blis_trial(int id, double seconds, arch_t *ran, double *gflops);

#endif /* PERFKIT_BLIS_MEASURE_H */
