/* SPDX-License-Identifier: MIT */
/* perfkit-timeit: measuring two sides in alternating rounds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timeit.h"

/*
 * The machine's load drifts, so measuring A for two seconds and then B for
 * two seconds can put the drift into the ratio. Instead the two take turns:
 * rounds of ROUND_SAMPLES samples each, in the order AB, BA, AB, ..., and
 * each side's samples are pooled. Every side has its own runner, so the
 * iteration count calibrated in its first round is kept for the others.
 */
#define MAX_ROUNDS 100

int timeit_side_init(struct timeit_side *s, const char *name,
		     void (*fn)(void *, uint64_t), void *user)
{
	*s = (struct timeit_side){ .name = name, .fn = fn, .user = user };
	if (perfkit_runner_new(&s->runner) < 0 ||
	    perfkit_runner_set_samples(s->runner, ROUND_SAMPLES, ROUND_SAMPLES) < 0) {
		cli_error("%s", perfkit_last_error());
		return -1;
	}
	return 0;
}

void timeit_side_fini(struct timeit_side *s)
{
	perfkit_runner_destroy(s->runner);
	free(s->ns);
}

static int side_append(struct timeit_side *s, const double *ns, size_t n)
{
	if (s->n + n > s->cap) {
		size_t cap = (s->n + n) * 2;
		double *p = realloc(s->ns, cap * sizeof(*p));

		if (!p) {
			cli_error("out of memory");
			return -1;
		}
		s->ns = p;
		s->cap = cap;
	}
	memcpy(s->ns + s->n, ns, n * sizeof(*ns));
	s->n += n;
	return 0;
}

/* One round for one side: a run of ROUND_SAMPLES samples, pooled. */
static int side_round(struct timeit_side *s)
{
	struct perfkit_runner_result *res;
	const double *ns;
	size_t n;
	int rc = perfkit_runner_run(s->runner, s->fn, s->user, &res);

	if (rc < 0) {
		cli_error("timing %s failed: %s (%s)",
			s->name, perfkit_strerror(rc), perfkit_last_error());
		return -1;
	}
	if (s->iterations == 0) {
		s->iterations = perfkit_runner_result_iterations(res);
		perfkit_runner_set_iterations(s->runner, s->iterations);
	}
	s->overhead_ns = perfkit_runner_result_timer_overhead_ns(res);
	s->spent_ns += perfkit_runner_result_elapsed_ns(res);
	perfkit_runner_result_samples(res, &ns, &n);
	rc = side_append(s, ns, n);
	perfkit_runner_result_destroy(res);
	if (rc == 0 && perfkit_stats_compute(s->ns, s->n, &s->st) < 0)
		rc = -1;
	return rc;
}

static int precise_enough(const struct timeit_side *s, double precision)
{
	return s->st.ci_coverage >= PERFKIT_STATS_CI_LEVEL &&
	       (s->st.ci_high - s->st.ci_low) / 2 <= precision * s->st.median;
}

/* Alternate rounds until both medians are precise enough (after at least
 * one round in each order) or the budget is spent. */
int timeit_compare(struct timeit_side *a, struct timeit_side *b,
		   const struct timeit_options *o, const char **stop)
{
	for (int round = 0; round < MAX_ROUNDS; round++) {
		struct timeit_side *first = round % 2 ? b : a;
		struct timeit_side *second = round % 2 ? a : b;

		if (side_round(first) < 0 || side_round(second) < 0)
			return -1;
		if (round >= 1 && precise_enough(a, o->precision) &&
		    precise_enough(b, o->precision)) {
			*stop = "precision";
			return 0;
		}
		if (fmax(a->spent_ns, b->spent_ns) >= o->max_time * 1e9) {
			*stop = "time";
			return 0;
		}
	}
	*stop = "rounds";
	return 0;
}
