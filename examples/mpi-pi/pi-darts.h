/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-pi: the darts. One random stream per seed, counter-based:
 * dart i of seed s is SplitMix64's output for the counter i (Steele, Lea
 * and Flood, "Fast splittable pseudorandom number generators", 2014),
 * its high 32 bits the x and its low 32 bits the y of a point in the unit
 * square. A rank throws darts first .. first + count - 1, so any split of
 * the darts over ranks throws the same darts: the hits of a seed are the
 * same for every rank count, and each rank's stream is its own slice.
 */
#ifndef PI_DARTS_H
#define PI_DARTS_H

#include <signal.h>
#include <stdint.h>

/* Most darts of one run: their count stays exact in a double. */
#define PI_DARTS_MAX (UINT64_C(1) << 53)

/* The stream of @seed: seeds next to each other give unrelated streams. */
uint64_t pi_stream_key(uint64_t seed);

/* Rank @rank's share of @darts over @ranks ranks: the first and how many
 * (the first darts % ranks ranks throw one more). */
void pi_share(uint64_t darts, int ranks, int rank, uint64_t *first, uint64_t *count);

/*
 * Throw darts @first .. @first + @count - 1 of @key and count those that
 * land inside the quarter circle. Looks at *@stop between blocks of
 * darts: returns -1 when it was set (then *hits is partial), else 0.
 */
int pi_throw(uint64_t key, uint64_t first, uint64_t count,
	     const volatile sig_atomic_t *stop, uint64_t *hits);

/* 4 hits / darts, and its standard error from the binomial spread,
 * 4 sqrt(p (1 - p) / darts) with p = pi / 4. */
double pi_estimate(uint64_t hits, uint64_t darts);
double pi_standard_error(uint64_t darts);

#endif /* PI_DARTS_H */
