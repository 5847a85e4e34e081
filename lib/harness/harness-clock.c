/* SPDX-License-Identifier: MIT */
/*
 * The clock under the `peak` loop's load on as many cores as the run
 * keeps busy: a core's turbo clock falls as its neighbours get busy, so
 * the theoretical peak of W cores needs the clock with W cores loaded.
 */
#include <pthread.h>
#include <stdlib.h>

#include "perfkit/machine.h"
#include "perfkit/kernel.h"
#include "harness-private.h"

struct clock_job {
	const struct pk_harness_plan *plan;
	unsigned pos; /* position in the plan's core order */
	double ghz, scalar;
	int rc;
};

/* No barrier: each measurement starts with ~15 ms of scalar chains, far
 * longer than it takes to start the others, and a failed thread start
 * must not leave the rest waiting. */
static void *clock_thread(void *arg)
{
	struct clock_job *j = arg;
	const struct pk_harness_plan *p = j->plan;

	if (p->core_order &&
	    (j->rc = pk_harness_bind(p->machine, p->core_order, p->ncores, j->pos, 1)))
		return NULL;
	j->rc = perfkit_kernel_peak_clock(&j->ghz, &j->scalar);
	return NULL;
}

/* Cores the run's workers and their kernel threads occupy at once. */
static unsigned busy_cores(const struct pk_harness_plan *plan)
{
	unsigned cores = plan->core_order ? plan->ncores
					  : perfkit_machine_allowed_cores(plan->machine);
	uint64_t want = (uint64_t)plan->workers * plan->threads;

	if (cores == 0)
		cores = 1;
	return want < cores ? (unsigned)want : cores;
}

/* Start @n jobs, join those that started; 0 or the first failure. */
static int run_jobs(struct clock_job *jobs, unsigned n)
{
	pthread_t *tid = calloc(n, sizeof(*tid));
	unsigned started = 0;
	int rc = 0;

	if (!tid)
		return pk_error(-ENOMEM, "harness: out of memory for the clock threads");
	while (started < n && pthread_create(&tid[started], NULL, clock_thread,
					     &jobs[started]) == 0)
		started++;
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	if (started < n)
		return pk_error(-EAGAIN, "harness: could not start %u clock threads", n);
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = jobs[i].rc;
	return rc;
}

int pk_harness_peak_clock(const struct pk_harness_plan *plan, double *ghz,
			  double *scalar, unsigned *cores)
{
	unsigned n = busy_cores(plan);
	struct clock_job *jobs = calloc(n, sizeof(*jobs));
	double *hot, *cold;
	int rc;

	if (!jobs)
		return pk_error(-ENOMEM, "harness: out of memory for the clock threads");
	for (unsigned i = 0; i < n; i++)
		jobs[i] = (struct clock_job){ .plan = plan, .pos = i * plan->threads };
	if ((rc = run_jobs(jobs, n)) == 0) {
		hot = malloc(2 * n * sizeof(double));
		if (!hot) {
			free(jobs);
			return pk_error(-ENOMEM, "harness: out of memory for the clocks");
		}
		cold = hot + n;
		for (unsigned i = 0; i < n; i++) {
			hot[i] = jobs[i].ghz;
			cold[i] = jobs[i].scalar;
		}
		*ghz = pk_median_sort(hot, n);
		*scalar = pk_median_sort(cold, n);
		*cores = n;
		free(hot);
	}
	free(jobs);
	return rc;
}
