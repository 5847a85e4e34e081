/* SPDX-License-Identifier: MIT */
/* The body of one worker, shared by the thread and process runners. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "perfkit/timer.h"
#include "perfkit/machine.h"
#include "perfkit/kernel.h"
#include "harness-private.h"

void pk_harness_sleep(double seconds)
{
	struct timespec ts = {
		.tv_sec = (time_t)seconds,
		.tv_nsec = (long)((seconds - floor(seconds)) * 1e9),
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void fail(struct pk_worker_out *out, int rc, const char *stage)
{
	out->status = rc;
	snprintf(out->error, sizeof(out->error), "%s: %s", stage,
		 perfkit_last_error());
}

/*
 * Repeat until the timed work has lasted @min_time: the first call runs
 * once, later calls as many repetitions as the rate so far says are
 * still missing (at least one, at most 1000 x what ran so far, so a
 * first repetition slowed down by chance cannot ask for too few, nor a
 * quick one for an absurd count).
 */
static int run_for(struct perfkit_kernel_instance *inst, double min_time,
		   uint64_t t_setup, uint64_t *reps)
{
	uint64_t chunk = 1;
	int rc;

	*reps = 0;
	for (;;) {
		double el, per;
		uint64_t cap;

		if ((rc = perfkit_kernel_run(inst, chunk)))
			return rc;
		*reps += chunk;
		el = (double)(perfkit_now_ns() - t_setup) * 1e-9;
		if (el >= min_time)
			return 0;
		per = el / (double)*reps;
		cap = *reps * 1000;
		chunk = per > 0 ? (uint64_t)ceil((min_time - el) / per) : cap;
		if (chunk < 1)
			chunk = 1;
		if (chunk > cap)
			chunk = cap;
	}
}

/* Setup and warm-up; the instance in *inst on success. */
static int prepare(const struct pk_harness_plan *plan, unsigned index,
		   struct pk_worker_out *out, struct perfkit_kernel_instance **inst)
{
	struct perfkit_kernel_options kopt = PERFKIT_KERNEL_OPTIONS_INIT;
	int rc;

	if (plan->core_order) {
		rc = pk_harness_bind(plan->machine, plan->core_order, plan->ncores,
				     index * plan->threads, plan->threads);
		if (rc) {
			fail(out, rc, "bind");
			return rc;
		}
	}
	kopt.threads = plan->threads;
	rc = perfkit_kernel_setup(plan->kernel, plan->opt.problem_size, &kopt, inst);
	if (rc) {
		fail(out, rc, "setup");
		return rc;
	}
	if (plan->opt.warmup > 0 &&
	    (rc = perfkit_kernel_run(*inst, plan->opt.warmup)) != 0) {
		fail(out, rc, "warm-up");
		perfkit_kernel_teardown(*inst);
		*inst = NULL;
	}
	return rc;
}

/* Where the worker ended, and whether its result is right. */
static void finish(const struct pk_harness_plan *plan,
		   struct perfkit_kernel_instance *inst, struct pk_worker_out *out)
{
	unsigned pu;
	int rc;

	if (plan->machine && perfkit_machine_last_pu(plan->machine, &pu) == 0)
		out->cpu = (int32_t)pu;
	if (out->status == 0 && plan->opt.verify) {
		rc = perfkit_kernel_verify(inst);
		if (rc != 0 && rc != -ENOTSUP)
			fail(out, rc, "verify");
	}
}

void pk_harness_worker(const struct pk_harness_plan *plan, unsigned index,
		       const struct pk_worker_sync *sync,
		       struct pk_worker_out *out)
{
	struct perfkit_kernel_instance *inst = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->cpu = -1;
	out->t_start = perfkit_now_ns();
	rc = prepare(plan, index, out, &inst);
	if (sync->ready)
		sync->ready(sync->ctx, rc);
	if (rc) {
		sync->done(sync->ctx, out);
		return;
	}
	out->t_setup = perfkit_now_ns();
	if (plan->opt.min_time > 0) {
		rc = run_for(inst, plan->opt.min_time, out->t_setup, &out->repetitions);
	} else {
		out->repetitions = pk_harness_reps(plan, index);
		rc = perfkit_kernel_run(inst, out->repetitions);
	}
	out->t_end = perfkit_now_ns();
	if (rc)
		fail(out, rc, "run");
	finish(plan, inst, out);
	sync->done(sync->ctx, out);
	perfkit_kernel_teardown(inst);
}
