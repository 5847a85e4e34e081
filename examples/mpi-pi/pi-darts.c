/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-pi: the darts (see pi-darts.h). */
#include <math.h>

#include "pi-darts.h"

/* SplitMix64's increment (the golden ratio) and its finaliser. */
#define GAMMA UINT64_C(0x9e3779b97f4a7c15)

/* Darts between two looks at the stop flag: about 10 ms. */
#define BLOCK (UINT64_C(1) << 23)

static inline uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t pi_stream_key(uint64_t seed)
{
	return mix(seed + GAMMA);
}

void pi_share(uint64_t darts, int ranks, int rank, uint64_t *first, uint64_t *count)
{
	uint64_t base = darts / (uint64_t)ranks, extra = darts % (uint64_t)ranks;
	uint64_t r = (uint64_t)rank;

	*first = r * base + (r < extra ? r : extra);
	*count = base + (r < extra ? 1 : 0);
}

/* Darts at the centres of a 2^32 x 2^32 grid: x = (X + 1/2) / 2^32. */
static uint64_t throw_block(uint64_t key, uint64_t first, uint64_t count)
{
	const double scale = 0x1p-32;
	uint64_t hits = 0, ctr = key + first * GAMMA;

	for (uint64_t i = 0; i < count; i++) {
		uint64_t z = mix(ctr += GAMMA);
		double x = ((double)(z >> 32) + 0.5) * scale;
		double y = ((double)(z & 0xffffffffu) + 0.5) * scale;

		hits += x * x + y * y < 1.0;
	}
	return hits;
}

int pi_throw(uint64_t key, uint64_t first, uint64_t count,
	     const volatile sig_atomic_t *stop, uint64_t *hits)
{
	*hits = 0;
	while (count > 0) {
		uint64_t n = count < BLOCK ? count : BLOCK;

		if (stop && *stop)
			return -1;
		*hits += throw_block(key, first, n);
		first += n;
		count -= n;
	}
	return 0;
}

double pi_estimate(uint64_t hits, uint64_t darts)
{
	return darts ? 4.0 * (double)hits / (double)darts : NAN;
}

double pi_standard_error(uint64_t darts)
{
	const double p = M_PI / 4;

	return darts ? 4.0 * sqrt(p * (1 - p) / (double)darts) : NAN;
}
