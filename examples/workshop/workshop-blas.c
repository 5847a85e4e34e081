/* SPDX-License-Identifier: MIT */
/* The workshop's warning: numpy's BLAS starts one thread per core in
 * every worker, so W explicit workers times T implicit threads can be far
 * more than the cores. Set OMP_NUM_THREADS=1 when the parallelism is
 * explicit. Here: W = cores workers of dgemm with 1 BLIS thread each (what
 * OMP_NUM_THREADS=1 gives) against `cores` threads each (the default of a
 * threaded BLAS), the same work; the library says whether a run was
 * oversubscribed, and in which words (perfkit_harness_oversubscription()). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <perfkit/perfkit.h>

#include "cli.h"
#include "stop.h"
#include "workshop.h"

static int blas_point(struct blas_row *row, int64_t n, uint64_t loops,
		      unsigned workers, unsigned threads, long cores)
{
	struct perfkit_harness_options o = PERFKIT_HARNESS_OPTIONS_INIT;
	struct perfkit_results *res = NULL;
	const struct perfkit_record *r;
	double flops = 0, t0 = INFINITY, t1 = -INFINITY;
	int rc;

	o.kernel = "dgemm";
	o.problem_size = n;
	o.loopcount = loops;
	o.workers = workers;
	o.threads = threads;
	o.mode = PERFKIT_HARNESS_THREADS;
	o.cancel = &stop_signal;
	rc = perfkit_harness_run(&o, &res);
	if (rc) {
		perfkit_results_destroy(res);
		return cli_error("BLAS study: %s", perfkit_last_error());
	}
	for (size_t i = 0; i < perfkit_results_count(res); i++)
		if (perfkit_results_get(res, i, &r) == 0 && r->status == 0) {
			flops += r->flops;
			t0 = fmin(t0, r->t_setup);
			t1 = fmax(t1, r->t_end);
		}
	if (perfkit_harness_oversubscription(res, &row->factor, row->warning,
					     sizeof(row->warning)) != 0) {
		row->factor = NAN;
		row->warning[0] = '\0';
	}
	perfkit_results_destroy(res);
	if (!(t1 > t0))
		return cli_error("BLAS study: no worker finished");
	row->seconds = t1 - t0;     /* first product begun to last one done */
	row->workers = workers;
	row->threads = threads;
	row->gflops = flops / row->seconds * 1e-9;
	row->oversubscribed = row->factor > 1;
	(void)cores;
	return 0;
}

/* The library's words, one warning per line, and the workshop's advice. */
static void warn(const struct blas_row *row)
{
	char text[sizeof(row->warning)];

	snprintf(text, sizeof(text), "%s", row->warning);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(stderr, "%s: warning: %s\n", cli_program(), line);
	fprintf(stderr, "%s: warning: set OMP_NUM_THREADS=1 when the workers are "
		"explicit\n", cli_program());
}

int blas_study(struct study_data *d, int64_t n, uint64_t loops)
{
	unsigned w = (unsigned)(d->cores > 0 ? d->cores : 1);
	unsigned tlist[2] = { 1, w > 1 ? w : 2 };

	printf("BLAS threads: %u workers of dgemm N = %lld, %llu products each; "
	       "%ld cores\n", w, (long long)n, (unsigned long long)loops, d->cores);
	printf("%-8s %7s %8s %10s %8s  %s\n", "workers", "threads", "total",
	       "seconds", "GFLOPS", "");
	d->nblas = 0;
	for (int i = 0; i < 2 && !stop_signal; i++) {
		struct blas_row *row = &d->blas[d->nblas];

		if (blas_point(row, n, loops, w, tlist[i], d->cores) != 0)
			return -1;
		d->nblas++;
		printf("%-8u %7u %8u %10.4f %8.3g  %s\n", row->workers, row->threads,
		       row->workers * row->threads, row->seconds, row->gflops,
		       row->oversubscribed ? "oversubscribed" :
		       (row->threads == 1 ? "OMP_NUM_THREADS=1" : ""));
		if (row->oversubscribed)
			warn(row);
	}
	if (d->nblas == 2 && d->blas[1].seconds > 0)
		printf("           oversubscribed BLAS takes %.2fx the time of "
		       "OMP_NUM_THREADS=1\n", d->blas[1].seconds / d->blas[0].seconds);
	return 0;
}
