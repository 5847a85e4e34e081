/* SPDX-License-Identifier: MIT */
/**
 * @file queue.h
 * @brief Task-queue runs: workers pull tasks from a shared queue until it
 *        is empty (the HPC Python workshop's pool and queue studies).
 */
#ifndef PERFKIT_QUEUE_H
#define PERFKIT_QUEUE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <perfkit/harness.h>
#include <perfkit/record.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup queue Task queue
 * @brief W workers pull tasks (one kernel run each) from one queue.
 *
 * All tasks are queued when the run starts; each of the @c workers
 * threads or processes takes the next task, runs it (setup, the
 * repetitions, verify, teardown) and takes the next, until the queue is
 * empty. In process mode the queue lives in shared memory; a worker
 * process that dies fails the task it held (status -ECHILD, the record's
 * extra column `error` says how it died) and a new process takes its
 * place, so every task runs exactly once.
 *
 * Each task becomes one record: @c worker is the worker that ran it,
 * @c t_submit the time the queue was filled, @c t_start the time the
 * worker took the task (so `t_start - t_submit` is its wait in the
 * queue, also in the parameter `wait_s`), @c t_setup / @c t_end bound
 * the timed repetitions. Parameters: `task` (its index from 0), `wait_s`,
 * `workers`, `mode`.
 * @{
 */

/** @brief Most tasks one queue run accepts. */
#define PERFKIT_QUEUE_TASKS_MAX 100000

/** @brief Options of perfkit_queue_run(). */
struct perfkit_queue_options {
	/** sizeof(struct perfkit_queue_options) as the caller knows it. */
	size_t size;
	/** Name of a registered kernel. Default "write-binary". */
	const char *kernel;
	/** Problem size of every task, > 0 (ignored with @c sizes).
	 *  Default 256. */
	int64_t problem_size;
	/** NULL, or one problem size per task (@c tasks of them, each
	 *  > 0). Default NULL. */
	const int64_t *sizes;
	/** Number of tasks, 1 to #PERFKIT_QUEUE_TASKS_MAX. Default 16. */
	uint64_t tasks;
	/** Workers, 1 to #PERFKIT_HARNESS_WORKERS_MAX. Default 2. */
	unsigned workers;
	/** Threads or processes. Default #PERFKIT_HARNESS_THREADS. */
	enum perfkit_harness_mode mode;
	/** Timed repetitions of each task, >= 1. Default 1. */
	uint64_t repetitions;
	/** Non-zero: each task checks its result with perfkit_kernel_verify()
	 *  after the timed work. Default 1. */
	int verify;
	/** Passed to the kernels (perfkit_kernel_options::output_dir): where
	 *  the I/O kernels write. Default NULL (a fresh folder per task). */
	const char *output_dir;
	/** Passed to the kernels (perfkit_kernel_options::keep_output).
	 *  Default 0. */
	int keep_output;
	/** A stop request, or NULL: when @c *cancel is non-zero, workers take
	 *  no further task; the tasks never taken get records with status
	 *  -ECANCELED and the call returns -ECANCELED. Default NULL. */
	const volatile sig_atomic_t *cancel;
};

/** @brief Initialiser for struct perfkit_queue_options with the defaults. */
#define PERFKIT_QUEUE_OPTIONS_INIT                                          \
	{ sizeof(struct perfkit_queue_options), "write-binary", 256, NULL, 16, \
	  2, PERFKIT_HARNESS_THREADS, 1, 1, NULL, 0, NULL }

/**
 * @brief Run every task once through a queue shared by the workers.
 * @param opt the options
 * @param[out] out a new set with one record per task, in task order (also
 *        on failure, when the run got as far as the workers); free with
 *        perfkit_results_destroy()
 * @return 0 when every task succeeded
 * @retval -EINVAL @p opt or @p out is NULL, or an option is invalid
 * @retval -ENOMEM no memory for the queue
 * @retval -ECANCELED the caller asked to stop; *out holds every task
 * @return else the first failed task's status; perfkit_last_error() says
 *         how many failed and why the first did, and *out holds every task
 *
 * Not to be run concurrently with another harness run (they would compete
 * for the same cores).
 */
int perfkit_queue_run(const struct perfkit_queue_options *opt,
		      struct perfkit_results **out);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_QUEUE_H */
