/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/harness.h
 * @brief The FLOPS harness: run a kernel on W pinned workers (threads or
 *        processes), one result record per worker, and the aggregates of
 *        the pywren GFLOPS notebook: summed and effective rates,
 *        stragglers, timelines and a histogram.
 */
#ifndef PERFKIT_HARNESS_H
#define PERFKIT_HARNESS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <perfkit/record.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup harness_api FLOPS harness API
 * @brief Run a kernel on many workers at once and say how fast each worker
 *        and the whole job were.
 *
 * perfkit_harness_run() starts W workers, each of which binds itself to a
 * core, sets up its own instance of the kernel (allocation and first
 * touch), runs it @c loopcount times (or for at least @c min_time seconds),
 * checks the result and hands back one struct perfkit_record with five
 * timestamps: submitted, started, setup done, ended, collected. The records
 * land in a result set (record.h) with the machine and the options in its
 * metadata, ready to be written as CSV, JSON or JSON Lines.
 *
 * The aggregate functions work on any result set of worker records, also
 * one read back from a file: perfkit_harness_summarize() (summed "peak" and
 * effective GFLOPS, per-worker spread, straggler ratio, fractions of the
 * theoretical and measured peak), perfkit_harness_peak_timeline() and
 * perfkit_harness_effective_timeline() (the two curves of the pywren
 * GFLOPS notebook), and perfkit_harness_histogram(). See
 * @ref harness "the harness guide".
 *
 * @code
 * struct perfkit_harness_options opt = PERFKIT_HARNESS_OPTIONS_INIT;
 * struct perfkit_harness_summary sum;
 * struct perfkit_results *res = NULL;
 * int rc;
 *
 * opt.kernel = "dgemm";
 * opt.problem_size = 1024;
 * opt.loopcount = 10;
 * opt.workers = 4;
 * rc = perfkit_harness_run(&opt, &res);
 * if (rc != 0)
 *	fprintf(stderr, "%s\n", perfkit_last_error());
 * if (res && perfkit_harness_summarize(res, &sum) == 0)
 *	printf("summed %.1f GFLOPS, effective %.1f GFLOPS\n",
 *	       sum.peak_gflops, sum.effective_gflops);
 * perfkit_results_destroy(res);
 * @endcode
 *
 * Threads: perfkit_harness_run() and the sweeps may be called from any
 * thread, but runs should not overlap (they would compete for the same
 * cores). The aggregate functions only read the set and are thread-safe
 * while nobody changes it.
 * @{
 */

/** @brief Most workers one run accepts (a guard against typos). */
#define PERFKIT_HARNESS_WORKERS_MAX 4096

/** @brief Longest accepted @c min_time and @c stagger, seconds. */
#define PERFKIT_HARNESS_SECONDS_MAX 86400.0

/** @brief How workers are isolated from each other. */
enum perfkit_harness_mode {
	/** One thread per worker in the calling process. */
	PERFKIT_HARNESS_THREADS = 0,
	/** One forked child process per worker (the isolation of the pywren
	 *  notebook's lambdas: a worker that crashes cannot take the others
	 *  along). */
	PERFKIT_HARNESS_PROCESSES = 1,
};

/** @brief Where workers run. */
enum perfkit_harness_placement {
	/** No binding: the operating system places and moves workers. */
	PERFKIT_HARNESS_PLACE_NONE = 0,
	/** Worker i on the i-th allowed core in hwloc order (neighbours share
	 *  caches and sockets). */
	PERFKIT_HARNESS_PLACE_COMPACT = 1,
	/** Workers spread round-robin over the topology tree: consecutive
	 *  workers on different packages, then NUMA nodes and caches, where
	 *  there are several. */
	PERFKIT_HARNESS_PLACE_SCATTER = 2,
};

/** @brief How workers are started. */
enum perfkit_harness_start {
	/** All workers are submitted, set up, and wait for each other; then
	 *  their timed work starts together. */
	PERFKIT_HARNESS_START_BARRIER = 0,
	/** Workers are submitted one after the other, @c stagger seconds
	 *  apart, and each starts its timed work as soon as its setup is
	 *  done, like the pywren notebook's invoker submitting jobs. */
	PERFKIT_HARNESS_START_STAGGERED = 1,
};

/** @brief What the progress callback is told after each collected worker. */
struct perfkit_harness_progress {
	/** sizeof(struct perfkit_harness_progress) as the library knows it. */
	size_t size;
	/** Workers collected so far in this run, 1 to @c total. */
	unsigned done;
	/** Workers in this run. */
	unsigned total;
	/** Sweep point of this run, from 0 (0 outside sweeps). */
	unsigned point;
	/** Number of sweep points (1 outside sweeps). */
	unsigned points;
	/** The record just collected; valid during the call only. */
	const struct perfkit_record *record;
	/** The set the run's records go into, valid during the call only
	 *  and not to be changed: its metadata and epoch are final (the
	 *  record's timestamps count from that epoch), and it holds the
	 *  records of the sweep points already finished (this point's
	 *  records are appended once all its workers are collected). Enough
	 *  to open a perfkit_results_stream and write each record as it
	 *  comes, so that an interrupted run keeps what it finished. */
	const struct perfkit_results *results;
};

/**
 * @brief Options of a harness run.
 *
 * Start from #PERFKIT_HARNESS_OPTIONS_INIT or
 * perfkit_harness_options_init(): fields are only ever added at the end,
 * and the library reads no further than @c size bytes (later fields keep
 * their defaults).
 */
struct perfkit_harness_options {
	/** sizeof(struct perfkit_harness_options) as the caller knows it. */
	size_t size;
	/** Name of a registered kernel (perfkit_kernel_find()). Default
	 *  "dgemm". */
	const char *kernel;
	/** Problem size N in the kernel's unit (matrix order for `dgemm`),
	 *  > 0. Default 1024. */
	int64_t problem_size;
	/** Timed repetitions per worker (the pywren notebook's `loopcount`).
	 *  Default 10.
	 *  0 means "use @c min_time". */
	uint64_t loopcount;
	/** With @c loopcount = 0: each worker repeats the kernel until its
	 *  timed work has lasted at least this many seconds (0 to
	 *  #PERFKIT_HARNESS_SECONDS_MAX). Default 0. Exactly one of
	 *  @c loopcount and @c min_time must be non-zero. */
	double min_time;
	/** Number of workers, 1 to #PERFKIT_HARNESS_WORKERS_MAX; 0 means one
	 *  per allowed physical core (perfkit_machine_allowed_cores()).
	 *  Default 0. More workers than cores is allowed (oversubscribed). */
	unsigned workers;
	/** Where workers run. Default #PERFKIT_HARNESS_PLACE_COMPACT. */
	enum perfkit_harness_placement placement;
	/** Threads or processes. Default #PERFKIT_HARNESS_THREADS. */
	enum perfkit_harness_mode mode;
	/** Threads each worker's kernel may use (BLIS threads for `dgemm`);
	 *  0 means 1, at most #PERFKIT_KERNEL_THREADS_MAX. With a placement,
	 *  a worker is bound to this many consecutive cores of its order.
	 *  Default 1. */
	unsigned threads;
	/** Untimed repetitions each worker runs after its setup and before
	 *  the timed work (counted as setup). Default 0, as in the pywren
	 *  notebook. */
	uint64_t warmup;
	/** Barrier or staggered start. Default
	 *  #PERFKIT_HARNESS_START_BARRIER. */
	enum perfkit_harness_start start;
	/** With a staggered start: seconds between two submissions (0 to
	 *  #PERFKIT_HARNESS_SECONDS_MAX); 0 submits as fast as the runner
	 *  can. Must be 0 with a barrier start. Default 0. */
	double stagger;
	/** Non-zero: each worker checks its result with
	 *  perfkit_kernel_verify() after the timed work (kernels without a
	 *  check pass). Default 1. */
	int verify;
	/** Seconds (0 to 60) of the `peak` kernel (`peak-sp` for
	 *  single-precision kernels) run on the same workers before the real
	 *  run, to measure the peak this placement reaches; stored in the
	 *  metadata for perfkit_harness_summarize(). 0 skips it. Default 0. */
	double peak_reference;
	/**
	 * Called in the calling thread after each worker is collected; may be
	 * NULL. It must not start another harness run.
	 * @param progress where the run stands
	 * @param userdata the @c userdata field
	 */
	void (*progress)(const struct perfkit_harness_progress *progress,
			 void *userdata);
	/** Passed to @c progress and @c before_submit; the library ignores
	 *  it. */
	void *userdata;
	/**
	 * Called in the calling thread once per run (once per point of a
	 * sweep) when everything before the workers is done (options
	 * checked, machine probed, metadata and peak reference measured),
	 * just before the first worker is submitted; may be NULL. It lets
	 * several processes submit together: libperfkit-mpi puts a barrier
	 * across MPI ranks here. Not called when the run fails before any
	 * worker could be submitted. Default NULL.
	 * @param userdata the @c userdata field
	 */
	void (*before_submit)(void *userdata);
	/**
	 * A stop request, or NULL. When @c *cancel is non-zero, the run
	 * (or sweep) starts no further point: workers already submitted
	 * always finish and are collected, and the call returns -ECANCELED
	 * with the records of the points that finished. Checked before
	 * each point of a sweep and before a run's first worker is
	 * submitted (also before the @c peak_reference run). A signal
	 * handler may set the flag: the harness only reads it. Default
	 * NULL.
	 */
	const volatile sig_atomic_t *cancel;
	/**
	 * Strong scaling (fixed total work): when non-zero, the run's W
	 * workers share this many timed repetitions in all, in place of
	 * @c loopcount: worker i runs ⌊T / W⌋ repetitions, plus one when
	 * i < T mod W (the split is as even as it can be, and every
	 * repetition runs exactly once), and its record's @c repetitions
	 * says its share. In a worker sweep the same total is split at each
	 * point, so the time falls with W: the workshop's "find the optimal
	 * number of cores" experiment. Needs @c min_time = 0 and at least
	 * as many repetitions as workers (-EINVAL otherwise: a worker with
	 * nothing to do would measure nothing). The metadata holds
	 * "harness.total_loopcount".
	 * Default 0 (each worker runs @c loopcount).
	 */
	uint64_t total_loopcount;
};

/** @brief Initialiser for struct perfkit_harness_options with the
 *         defaults. */
#define PERFKIT_HARNESS_OPTIONS_INIT                                        \
	{ sizeof(struct perfkit_harness_options), "dgemm", 1024, 10, 0.0, 0,   \
	  PERFKIT_HARNESS_PLACE_COMPACT, PERFKIT_HARNESS_THREADS, 1, 0,        \
	  PERFKIT_HARNESS_START_BARRIER, 0.0, 1, 0.0, NULL, NULL, NULL, NULL, \
	  0 }

/**
 * @brief Fill options with the defaults (as #PERFKIT_HARNESS_OPTIONS_INIT).
 * @param opt the options
 * @return 0 on success
 * @retval -EINVAL @p opt is NULL
 */
int perfkit_harness_options_init(struct perfkit_harness_options *opt);

/**
 * @brief Check options without running anything.
 * @param opt the options
 * @return 0 if perfkit_harness_run() would accept them
 * @retval -EINVAL @p opt is NULL or an option is invalid;
 *         perfkit_last_error() names the option and the accepted values
 *
 * Thread-safe.
 */
int perfkit_harness_options_check(const struct perfkit_harness_options *opt);

/**
 * @brief Name of a mode: "threads" or "processes".
 * @param mode the mode
 * @return a static string; "unknown" for anything else
 */
const char *perfkit_harness_mode_name(enum perfkit_harness_mode mode);

/**
 * @brief Name of a placement: "none", "compact" or "scatter".
 * @param placement the placement
 * @return a static string; "unknown" for anything else
 */
const char *
perfkit_harness_placement_name(enum perfkit_harness_placement placement);

/**
 * @brief Name of a start policy: "barrier" or "staggered".
 * @param start the policy
 * @return a static string; "unknown" for anything else
 */
const char *perfkit_harness_start_name(enum perfkit_harness_start start);

/**
 * @brief Run the kernel on W workers and collect one record per worker.
 * @param opt the options
 * @param[out] out a new result set: one record per worker, in worker
 *             order; free it with perfkit_results_destroy()
 * @return 0 when every worker succeeded
 * @retval -EINVAL @p opt or @p out is NULL or an option is invalid
 *         (@p out is set to NULL; the message names the option)
 * @retval -ENOMEM, -EIO the harness itself failed (@p out is NULL)
 * @retval other a worker failed: the status of the first failed worker
 *         (e.g. -ENOMEM when its setup could not allocate, -EBADMSG when
 *         its result was wrong, -ECHILD when its process died). @p out
 *         still holds every record, the failed ones with that status and
 *         an "error" column saying why; perfkit_last_error() counts the
 *         failures and quotes the first.
 * @retval -ECANCELED @c *opt->cancel was set before the first worker
 *         was submitted: @p out holds the set's metadata and no record
 *
 * Each record has name = kernel, problem_size = N, repetitions = the
 * timed repetitions, flops and bytes from perfkit_kernel_flops() and
 * perfkit_kernel_bytes(), elapsed = the timed work on the monotonic clock,
 * cpu = the logical PU the worker ended on, the five timestamps in seconds
 * from the set's epoch (perfkit_results_epoch_ns()), and the parameters
 * "workers", "mode", "placement" and "threads". The set's metadata holds
 * the machine (keys "machine.*"), "harness.kernel", "harness.size",
 * "harness.loopcount", "harness.workers" and the other options, and,
 * where known, "harness.core_peak_gflops" (theoretical peak of one core
 * for the kernel's precision at the measured clock), "harness.cores",
 * "harness.peak_clock_ghz" and "harness.peak_clock_scalar_ghz" (the clock
 * under the `peak` kernel's load and the scalar clock beside it: medians
 * of perfkit_kernel_peak_clock() run at once on each of the
 * "harness.peak_clock_cores" cores the run keeps busy, ~35 ms),
 * "harness.peak_clock_isa" (perfkit_kernel_peak_isa()),
 * "harness.core_peak_gflops_at_peak_clock" (one core's peak at the loaded
 * clock) and, with @c peak_reference,
 * "harness.peak_kernel_gflops_per_core" (the `peak` kernel run once on
 * each busy core, its rate per core) and
 * "harness.peak_kernel_gflops_per_worker" (the busy cores' rate / workers).
 * Where the clock under load could not be measured,
 * "harness.peak_clock_error" says why and its keys are left out.
 *
 * A failing worker never stops the others, the harness never waits
 * without end for a worker that died, and it never signals or kills
 * anything. In process mode each child is waited for. Not to be run
 * concurrently with another run (see the group's notes).
 */
int perfkit_harness_run(const struct perfkit_harness_options *opt,
			struct perfkit_results **out);

/**
 * @brief Run the same options for several worker counts: a strong- or
 *        weak-scaling series in one result set.
 * @param opt the options; @c workers is ignored
 * @param counts worker counts, each 1 to #PERFKIT_HARNESS_WORKERS_MAX; NULL
 *        means 1, 2, ..., @c opt->workers (or the allowed cores when that
 *        is 0)
 * @param ncounts number of entries of @p counts (ignored when it is NULL)
 * @param[out] out one set holding the records of every point, told apart
 *             by their "workers" parameter; the metadata's
 *             "harness.sweep" is "workers" and "harness.workers" the
 *             comma-separated counts
 * @return 0 when every worker of every point succeeded
 * @retval -EINVAL an argument or option is invalid, or @p counts is given
 *         with @p ncounts = 0 (@p out is NULL)
 * @retval -ECANCELED @c *opt->cancel was set: @p out holds the points
 *         that finished (the point in flight completes first)
 * @retval other as for perfkit_harness_run(): the first failed worker's
 *         status; @p out holds all points
 *
 * Summarise each point with perfkit_harness_summarize_point(res,
 * "workers", "4", &sum).
 */
int perfkit_harness_sweep_workers(const struct perfkit_harness_options *opt,
				  const unsigned *counts, size_t ncounts,
				  struct perfkit_results **out);

/**
 * @brief Run the same options for several problem sizes: roofline points.
 * @param opt the options; @c problem_size is ignored
 * @param sizes problem sizes, each > 0
 * @param nsizes number of sizes, at least 1
 * @param[out] out one set holding every point's records, told apart by
 *             their problem_size; "harness.sweep" is "sizes" and
 *             "harness.size" the comma-separated sizes
 * @return 0 when every worker of every point succeeded
 * @retval -EINVAL an argument or option is invalid (@p out is NULL)
 * @retval -ECANCELED as for perfkit_harness_sweep_workers()
 * @retval other as for perfkit_harness_run()
 *
 * Summarise each point with perfkit_harness_summarize_point(res,
 * "problem_size", "1024", &sum); its @c intensity and @c peak_gflops are
 * the roofline coordinates.
 */
int perfkit_harness_sweep_sizes(const struct perfkit_harness_options *opt,
				const int64_t *sizes, size_t nsizes,
				struct perfkit_results **out);

/**
 * @brief Aggregates of a set of worker records (perfkit_harness_summarize()).
 *
 * "Succeeded" records are worker records (@c worker >= 0) with status 0
 * and elapsed > 0; rates and spreads are over them. Times are seconds.
 * Figures that cannot be computed are NaN.
 */
struct perfkit_harness_summary {
	/** sizeof(struct perfkit_harness_summary) as the library knows it. */
	size_t size;
	/** Worker records considered. */
	size_t workers;
	/** Of those, records with a non-zero status. */
	size_t failed;
	/** Total floating-point operations of the succeeded workers. */
	double flops;
	/** Total bytes of the succeeded workers. */
	double bytes;
	/** flops / bytes, the roofline x coordinate (NaN without bytes). */
	double intensity;
	/** Last t_collected − first t_submit over all worker records. */
	double span;
	/** Sum of per-worker rates: over succeeded workers, flops / elapsed,
	 *  in GFLOPS. What the workers computed together while they ran
	 *  *if they ran at the same time*; workers time-sliced on fewer cores
	 *  (more workers than cores) are added as if they had, so this can
	 *  exceed the machine by far (2,800 workers on 2 cores: 24,000 GFLOPS
	 *  of 230). @c concurrent_gflops cannot. */
	double peak_gflops;
	/** flops / span in GFLOPS: the job's rate including start-up,
	 *  setup, stragglers and collection ("effective"). */
	double effective_gflops;
	/** Sum over succeeded workers of bytes / elapsed, GB/s. */
	double peak_gbps;
	/** bytes / span, GB/s. */
	double effective_gbps;
	/** Slowest worker's GFLOPS. */
	double worker_gflops_min;
	/** Median worker GFLOPS (mean of the middle two for an even count). */
	double worker_gflops_median;
	/** Fastest worker's GFLOPS. */
	double worker_gflops_max;
	/** Median worker elapsed time. */
	double elapsed_median;
	/** Longest worker elapsed time. */
	double elapsed_max;
	/** elapsed_max / elapsed_median: 1 when no worker straggles. */
	double straggler_ratio;
	/** Theoretical peak of the cores the workers could use:
	 *  "harness.core_peak_gflops" × min(workers × threads,
	 *  "harness.cores") from the metadata; NaN if absent. */
	double theoretical_gflops;
	/** peak_gflops / theoretical_gflops. */
	double fraction_theoretical;
	/** Measured `peak` kernel rate for this many workers:
	 *  "harness.peak_kernel_gflops_per_core" × min(workers × threads,
	 *  "harness.cores"), else (older files)
	 *  "harness.peak_kernel_gflops_per_worker" × workers; NaN if absent. */
	double peak_kernel_gflops;
	/** peak_gflops / peak_kernel_gflops. */
	double fraction_peak_kernel;
	/** Median of t_setup − t_start: setup and warm-up (and, with a
	 *  barrier, the wait for the other workers). */
	double setup_median;
	/** Median of t_start − t_submit, microseconds: what starting a
	 *  worker costs. */
	double spawn_us_median;
	/** Median of t_collected − t_end, microseconds: verification and
	 *  handing the result back (the kernel's teardown comes after). */
	double collect_us_median;
	/** Theoretical peak of all allowed cores: "harness.core_peak_gflops"
	 *  × "harness.cores"; NaN if absent. A rate the workers reached
	 *  together above it is a bug (of the measurement or of the peak),
	 *  never a result. */
	double machine_gflops;
	/** The summed rate the workers provably reached together, in
	 *  GFLOPS: the highest, over time windows [a, b], of the flops of the
	 *  succeeded workers whose timed work [t_setup, t_end] lay wholly
	 *  inside the window, divided by b − a. All those flops were computed
	 *  inside the window, so it cannot exceed what the cores can do,
	 *  however the workers were time-sliced. With a barrier start on
	 *  enough cores it is close to @c peak_gflops (a little lower with
	 *  stragglers); effective_gflops ≤ concurrent_gflops ≤ the cores'
	 *  real peak. With more than 4096 records, windows start at 4096 of
	 *  the start times (a lower bound then). */
	double concurrent_gflops;
	/** concurrent_gflops / theoretical_gflops. */
	double concurrent_fraction_theoretical;
	/** Threads the workers ran at most (workers × "harness.threads")
	 *  over the allowed cores ("harness.cores"): above 1 the cores were
	 *  oversubscribed and workers time-sliced; NaN if unknown. See
	 *  perfkit_harness_oversubscription() for the words. */
	double oversubscription;
};

/**
 * @brief Aggregate every worker record of a set.
 * @param res the set (from perfkit_harness_run() or read from a file)
 * @param[out] out the aggregates
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -EDOM the set holds no succeeded worker record (@p out is still
 *         filled: counts, span, NaN rates)
 * @retval -ENOMEM out of memory
 *
 * Thread-safe while nobody changes the set.
 */
int perfkit_harness_summarize(const struct perfkit_results *res,
			      struct perfkit_harness_summary *out);

/**
 * @brief Aggregate the worker records whose value for @p key equals
 *        @p value (one point of a sweep).
 * @param res the set
 * @param key a field or parameter name (see perfkit_results_value()),
 *        e.g. "workers" or "problem_size"
 * @param value the text to match, e.g. "4"
 * @param[out] out the aggregates
 * @return 0 on success
 * @retval -EINVAL an argument is NULL
 * @retval -ENOENT no worker record matches
 * @retval -EDOM records match but none succeeded (@p out is filled)
 * @retval -ENOMEM out of memory
 *
 * Thread-safe while nobody changes the set.
 */
int perfkit_harness_summarize_point(const struct perfkit_results *res,
				    const char *key, const char *value,
				    struct perfkit_harness_summary *out);

/**
 * @brief The pywren notebook's "peak GFLOPS" curve: the summed rate of
 *        the workers computing in each time bin.
 * @param res the set
 * @param bin_width bin width, seconds, > 0 and finite
 * @param[out] gflops receives up to @p capacity bin values; may be NULL
 *             when @p capacity is 0
 * @param capacity length of @p gflops
 * @param[out] nbins number of bins the timeline has (may exceed
 *             @p capacity: call again with a larger array)
 * @return 0 on success
 * @retval -EINVAL @p res or @p nbins is NULL, @p gflops is NULL with
 *         @p capacity > 0, or @p bin_width is not > 0 and finite
 * @retval -EDOM the set holds no worker record with a t_submit and a
 *         t_collected
 * @retval -ERANGE more than 10^7 bins (choose a wider bin)
 *
 * Time 0 is the first t_submit; there are ceil(span / bin_width) bins
 * (at least 1), bin k covering [k w, (k + 1) w). A succeeded worker
 * computes at rate r = flops / (t_end − t_setup) over [t_setup, t_end];
 * bin k gets r × (overlap of that interval with the bin) / w, summed over
 * workers, in GFLOPS. The bins thus hold the mean summed rate in each bin,
 * and bin values × w add up to the total flops. Thread-safe.
 */
int perfkit_harness_peak_timeline(const struct perfkit_results *res,
				  double bin_width, double *gflops,
				  size_t capacity, size_t *nbins);

/**
 * @brief The pywren notebook's "effective GFLOPS" curve: at each worker's
 *        collection, the flops collected so far over the time since the
 *        first submission.
 * @param res the set
 * @param[out] time receives up to @p capacity collection times, seconds
 *             from the first t_submit, increasing; may be NULL when
 *             @p capacity is 0
 * @param[out] gflops the rate at each of those times; may be NULL when
 *             @p capacity is 0
 * @param capacity length of @p time and @p gflops
 * @param[out] count number of points (one per succeeded worker)
 * @return 0 on success
 * @retval -EINVAL @p res or @p count is NULL, or @p time or @p gflops is
 *         NULL with @p capacity > 0
 * @retval -EDOM no succeeded worker record has a t_collected, or the set
 *         has no t_submit
 * @retval -ENOMEM out of memory
 *
 * The last point equals the effective rate of perfkit_harness_summarize()
 * when the last record collected succeeded. Thread-safe.
 */
int perfkit_harness_effective_timeline(const struct perfkit_results *res,
				       double *time, double *gflops,
				       size_t capacity, size_t *count);

/**
 * @brief Histogram of the per-worker GFLOPS of the succeeded workers.
 * @param res the set
 * @param edges bin edges, strictly increasing and finite
 * @param nedges number of edges, at least 2 (nedges − 1 bins)
 * @param[out] counts nedges − 1 counts: bin i holds values in
 *             [edges[i], edges[i+1]), the last bin also its upper edge
 *             (numpy.histogram's convention)
 * @param[out] below values under edges[0] (may be NULL)
 * @param[out] above values over edges[nedges − 1] (may be NULL)
 * @return 0 on success
 * @retval -EINVAL @p res, @p edges or @p counts is NULL, @p nedges < 2,
 *         or the edges are not strictly increasing and finite
 *
 * Thread-safe.
 */
int perfkit_harness_histogram(const struct perfkit_results *res,
			      const double *edges, size_t nedges,
			      size_t *counts, size_t *below, size_t *above);

/**
 * @brief Say whether a run had more threads than allowed cores, by how
 *        much, and what to change.
 * @param res a set made by the harness (or read back from a file): its
 *        metadata "harness.cores", "harness.workers" (a sweep's largest
 *        count), "harness.threads", "harness.kernel_builtin" and
 *        "harness.env.*" are read
 * @param[out] factor the largest oversubscription found: threads that
 *        may run at once over allowed cores (at most 1: none)
 * @param[out] text the warnings in words, one per line, empty when
 *        @p factor ≤ 1; truncated to @p len bytes (may be NULL when
 *        @p len is 0)
 * @param len size of @p text
 * @return 0 on success
 * @retval -EINVAL @p res or @p factor is NULL, or @p text is NULL with
 *         @p len > 0
 * @retval -ENOENT the metadata lacks "harness.cores" or
 *         "harness.workers" (@p factor is NaN)
 *
 * Two causes are checked. Workers × kernel threads per worker above the
 * allowed cores ("2 workers x 4 kernel threads = 8 threads on 2 allowed
 * cores: 4x oversubscribed"). And, for kernels registered by the user
 * only, OMP_NUM_THREADS, BLIS_NUM_THREADS and OPENBLAS_NUM_THREADS as
 * they were when the run started: such a kernel may start that many
 * threads in each worker. The built-in kernels set their own thread
 * count (the BLAS kernels pass BLIS a per-call runtime with
 * @c threads threads; the others run one), so these variables do not
 * change them and are not reported. Thread-safe while nobody changes
 * the set.
 */
int perfkit_harness_oversubscription(const struct perfkit_results *res,
				     double *factor, char *text, size_t len);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_HARNESS_H */
