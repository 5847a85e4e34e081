/* SPDX-License-Identifier: MIT */
/*
 * perfkit-timeit: two implementations of the same work, timed in
 * alternating rounds (timeit-compare.c) and printed side by side
 * (timeit-report.c); the two cases are timeit-sum.c and timeit-write.c.
 */
#ifndef TIMEIT_H
#define TIMEIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <perfkit/perfkit.h>

/* Samples per side in each round of the alternation. */
#define ROUND_SAMPLES 10

struct timeit_options {
	double precision;  /* stop at this 95 % CI half-width / median */
	double max_time;   /* seconds per implementation */
};

/* One implementation being timed, and its samples pooled over rounds. */
struct timeit_side {
	const char *name;
	void (*fn)(void *, uint64_t);
	void *user;
	struct perfkit_runner *runner;
	double *ns;           /* pooled per-call times */
	size_t n, cap;
	uint64_t iterations;  /* calls per sample */
	double overhead_ns;   /* one clock read */
	double spent_ns;      /* wall time of this side's runs */
	struct perfkit_stats st;
};

/* 0, or -1 with a message. */
int timeit_side_init(struct timeit_side *s, const char *name,
		     void (*fn)(void *, uint64_t), void *user);
/* Free what init allocated; also after a failed init (zeroed). */
void timeit_side_fini(struct timeit_side *s);

/* Time @a and @b in alternating rounds (AB, BA, ...) until both medians
 * are precise enough or the budget is spent; *stop names the rule that
 * ended it. 0, or -1 with a message. */
int timeit_compare(struct timeit_side *a, struct timeit_side *b,
		   const struct timeit_options *o, const char **stop);

/* The column titles, one row per side, and the ratio of their medians. */
void timeit_print_header(void);
void timeit_print_row(const struct timeit_side *s, const char *stop,
		      size_t elements, double bytes);
void timeit_print_ratio(const struct timeit_side *slow,
			const struct timeit_side *fast, const char *what);

/* (a) a branchy loop against a SIMD one; (b) text against binary output.
 * 0, or -1 with a message. */
int timeit_case_vectorise(const struct timeit_options *o);
int timeit_case_text_binary(const struct timeit_options *o);

/* Random doubles in [-1, 1] from a fixed seed: the same input each run. */
static inline void timeit_fill_random(double *x, size_t n, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)rand() / RAND_MAX * 2.0 - 1.0;
}

#endif /* TIMEIT_H */
