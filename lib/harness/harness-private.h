/* SPDX-License-Identifier: MIT */
/* The harness's internals, shared by lib/harness/. Not installed. */
#ifndef PERFKIT_HARNESS_PRIVATE_H
#define PERFKIT_HARNESS_PRIVATE_H

#include <limits.h>
#include <stdint.h>

#include "common.h"
#include "perfkit/harness.h"

/* Options checked and resolved: defaults applied, the kernel looked up,
 * workers counted. */
struct pk_harness_plan {
	struct perfkit_harness_options opt; /* full size, defaults filled */
	const struct perfkit_kernel *kernel;
	const struct perfkit_machine *machine; /* NULL if the probe failed */
	unsigned workers;
	unsigned threads;
	unsigned *core_order; /* allowed cores in placement order */
	unsigned ncores;
	unsigned point, points; /* for the progress callback */
};

/* What one worker measured, sent as is through a pipe in process mode:
 * plain data, no pointers. Times are monotonic ns, 0 where not reached. */
struct pk_worker_out {
	int32_t status;
	int32_t cpu;
	uint64_t t_start;
	uint64_t t_setup;
	uint64_t t_end;
	uint64_t repetitions;
	char error[256];
};

/* How a worker talks to its runner. ready(): after setup, returns when the
 * timed work may begin (NULL: start at once); @setup_rc is the setup's
 * result (a failed worker still reports, so that nobody waits for it).
 * done(): the result is final; called before the kernel's teardown, so
 * that freeing the data is not part of the collection time. */
struct pk_worker_sync {
	void (*ready)(void *ctx, int setup_rc);
	void (*done)(void *ctx, const struct pk_worker_out *out);
	void *ctx;
};

/* The worker body, the same for threads and processes: bind, set up, warm
 * up, wait, run, verify, report (sync->done), tear down. Fills *out. */
void pk_harness_worker(const struct pk_harness_plan *plan, unsigned index,
		       const struct pk_worker_sync *sync,
		       struct pk_worker_out *out);

/* One worker's slot on the caller's side. */
struct pk_worker_slot {
	struct pk_worker_out out;
	uint64_t t_submit;    /* monotonic ns */
	uint64_t t_collected; /* monotonic ns */
};

/* Called by a runner in the caller's thread each time a worker is
 * collected (its slot complete). */
typedef void (*pk_collect_fn)(void *ctx, unsigned index);

/* Run every worker and fill @slots[plan->workers]. Worker failures are in
 * the slots; the return value is only the runner's own failure. */
int pk_harness_run_threads(const struct pk_harness_plan *plan,
			   struct pk_worker_slot *slots,
			   pk_collect_fn collect, void *ctx);
int pk_harness_run_processes(const struct pk_harness_plan *plan,
			     struct pk_worker_slot *slots,
			     pk_collect_fn collect, void *ctx);

/* Options → plan (validates; on error the message is set). Free with
 * pk_harness_plan_fini(). */
int pk_harness_plan_init(struct pk_harness_plan *plan,
			 const struct perfkit_harness_options *opt);
void pk_harness_plan_fini(struct pk_harness_plan *plan);

/* Placement: the allowed cores in compact or scatter order, and binding
 * the calling thread to @count consecutive cores of that order starting
 * at position @first (wrapping). */
int pk_harness_core_order(const struct perfkit_machine *m,
			  enum perfkit_harness_placement placement,
			  unsigned **order, unsigned *n);
int pk_harness_bind(const struct perfkit_machine *m, const unsigned *order,
		    unsigned n, unsigned first, unsigned count);

/* Sleep @seconds (> 0) on the monotonic clock. */
void pk_harness_sleep(double seconds);

/* Has the caller asked to stop (opt.cancel)? */
int pk_harness_cancelled(const struct pk_harness_plan *plan);

/* Run one point into @res: records appended, metadata not touched.
 * Returns 0, the first failed worker's status, -ECANCELED without running
 * anything when the caller asked to stop, or the harness's own error
 * (then *harness_failed is set). */
int pk_harness_run_into(const struct pk_harness_plan *plan,
			struct perfkit_results *res, int *harness_failed);

/* Cores the workers and their kernel threads keep busy at once:
 * min(workers x threads, allowed cores) (harness-clock.c). */
unsigned pk_harness_busy_cores(const struct pk_harness_plan *plan);

/* perfkit_kernel_peak_pairs() on each core the run keeps busy (each
 * thread bound to one in placement order), all at once, into @res's
 * metadata: the clock under load, the `peak` loop's share of the
 * theoretical peak at it and that share's uncertainty, one core's peak
 * (@core_peak at the measured clock) at the loaded clock. A failed
 * measurement leaves the keys out; returns only a metadata error
 * (harness-clock.c). */
int pk_harness_meta_peak_clock(struct perfkit_results *res,
			       const struct pk_harness_plan *plan, double core_peak);

/* Optional extra metadata for pk_harness_new_set(), written after the
 * common keys; 0 or -errno. */
typedef int (*pk_harness_meta_fn)(struct perfkit_results *res, void *ctx);

/* A new set ready for the first run: the common metadata, @more's keys
 * (may be NULL), the `peak` reference (with opt.peak_reference > 0) and
 * the epoch set to now. On failure *out is NULL. */
int pk_harness_new_set(const struct pk_harness_plan *plan, pk_harness_meta_fn more,
		       void *ctx, struct perfkit_results **out);

/* Strong scaling (harness-strong.c). The timed repetitions of worker
 * @index: its share of opt.total_loopcount, else opt.loopcount. */
uint64_t pk_harness_reps(const struct pk_harness_plan *plan, unsigned index);
/* -EINVAL (with a message) when @workers cannot share the total. */
int pk_harness_check_total(const struct pk_harness_plan *plan, unsigned workers);
/* "harness.total_loopcount" in @res when set; 0 or -errno. */
int pk_harness_meta_total(struct perfkit_results *res,
			  const struct pk_harness_plan *plan);

/* Is the kernel single precision (its peak reference is `peak-sp`)? */
int pk_harness_kernel_is_sp(const struct perfkit_kernel *k);

/* A worker record (worker >= 0), and one that succeeded (status 0, a
 * positive elapsed time, finite counts): the aggregates use these. */
int pk_harness_is_worker(const struct perfkit_record *r);
int pk_harness_succeeded(const struct perfkit_record *r);

/* A succeeded worker's timed work: [start, end] (t_setup, t_end) and its
 * flops. */
struct pk_interval {
	double start, end, flops;
};

/* The highest rate over time windows of the workers whose timed work lay
 * wholly inside the window (harness-concurrent.c), GFLOPS; NaN for n = 0.
 * Sorts @v. 0 or -ENOMEM. */
int pk_harness_concurrent_gflops(struct pk_interval *v, size_t n, double *gflops);

#endif /* PERFKIT_HARNESS_PRIVATE_H */
