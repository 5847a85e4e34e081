/* SPDX-License-Identifier: MIT */
/*
 * Appending 1,000,000 records to a result set against the floor: copying
 * them into one array of the final size allocated up front (the same bytes
 * written, the same fresh pages touched, no growth). Then the cost per
 * record of a sort by a double field and of a filter, for scale.
 *
 *   build/benchmarks/bench-results [records]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfkit/perfkit.h"

enum { ROUNDS = 7 };
#define GOAL_RATIO 1.5

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void fill(struct perfkit_record *r, size_t i)
{
	r->worker = (int32_t)(i % 64);
	r->elapsed = (double)((i * 2654435761u) % 1000003) * 1e-6;
}

/* The floor: one allocation of the final size, records copied in. */
static double reference(const struct perfkit_record *proto, size_t n)
{
	struct perfkit_record r = *proto;
	uint64_t t0 = now();
	struct perfkit_record *a = malloc(n * sizeof(*a));

	if (!a)
		return -1;
	for (size_t i = 0; i < n; i++) {
		fill(&r, i);
		memcpy(&a[i], &r, sizeof(r));
	}
	t0 = now() - t0;
	/* Read one back so the copies are not optimised away. */
	if (a[n - 1].worker != (int32_t)((n - 1) % 64))
		t0 = 0;
	free(a);
	return (double)t0 / (double)n;
}

static double append(const struct perfkit_record *proto, size_t n,
		     struct perfkit_results **keep)
{
	struct perfkit_record r = *proto;
	struct perfkit_results *res;
	uint64_t t0;

	if (perfkit_results_new(&res) != 0)
		return -1;
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		fill(&r, i);
		if (perfkit_results_append(res, &r) != 0) {
			perfkit_results_destroy(res);
			return -1;
		}
	}
	t0 = now() - t0;
	if (keep)
		*keep = res;
	else
		perfkit_results_destroy(res);
	return (double)t0 / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	double ref[ROUNDS], app[ROUNDS], ratio[ROUNDS];
	struct perfkit_results *res = NULL, *sub = NULL;
	struct perfkit_record proto;
	double m_ref, m_app, m_ratio;
	uint64_t t0, t_sort, t_filter;

	if (n == 0) {
		fprintf(stderr, "usage: %s [records > 0]\n", argv[0]);
		return 1;
	}
	perfkit_record_init(&proto);
	perfkit_record_set_name(&proto, "triad");
	perfkit_record_set_param(&proto, "n", "1000000");
	for (int k = 0; k < ROUNDS; k++) {
		/* Alternate which goes first: the second finds warm pages. */
		if (k % 2) {
			app[k] = append(&proto, n, NULL);
			ref[k] = reference(&proto, n);
		} else {
			ref[k] = reference(&proto, n);
			app[k] = append(&proto, n, NULL);
		}
		if (ref[k] <= 0 || app[k] <= 0) {
			fprintf(stderr, "out of memory: %s\n",
				perfkit_last_error());
			return 1;
		}
		ratio[k] = app[k] / ref[k];
	}
	m_ref = median(ref, ROUNDS);
	m_app = median(app, ROUNDS);
	m_ratio = median(ratio, ROUNDS);
	printf("%zu records of %zu bytes, %d rounds (median)\n", n,
	       sizeof(struct perfkit_record), ROUNDS);
	printf("  preallocated array copy : %7.1f ns/record\n", m_ref);
	printf("  perfkit_results_append  : %7.1f ns/record\n", m_app);
	printf("  ratio (rounds)          : %7.2f   goal <= %.1f: %s\n",
	       m_ratio, GOAL_RATIO, m_ratio <= GOAL_RATIO ? "met" : "MISSED");

	if (append(&proto, n, &res) <= 0)
		return 1;
	t0 = now();
	perfkit_results_sort(res, "elapsed", 0);
	t_sort = now() - t0;
	t0 = now();
	perfkit_results_filter(res, "worker", "7", &sub);
	t_filter = now() - t0;
	printf("  sort by elapsed (1 run) : %7.1f ns/record\n",
	       (double)t_sort / (double)n);
	printf("  filter worker=7 (1 run) : %7.1f ns/record, kept %zu\n",
	       (double)t_filter / (double)n, perfkit_results_count(sub));
	perfkit_results_destroy(sub);
	perfkit_results_destroy(res);
	return 0;
}
