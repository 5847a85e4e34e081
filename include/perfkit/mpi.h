/* SPDX-License-Identifier: MIT */
/**
 * @file perfkit/mpi.h
 * @brief The FLOPS harness across MPI ranks (libperfkit-mpi): every rank
 *        runs the harness on its own node's workers, rank 0 gets every
 *        record on one time axis.
 *
 * Not included by perfkit/perfkit.h: it needs <mpi.h>. Compile and link
 * with `pkg-config --cflags --libs perfkit-mpi`.
 */
#ifndef PERFKIT_MPI_H
#define PERFKIT_MPI_H

#include <mpi.h>

#include <perfkit/harness.h>
#include <perfkit/record.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @defgroup mpi_api MPI
 * @brief Run the harness on many nodes with MPI as the distributed engine
 *        (Open MPI or MPICH, started with mpirun or Slurm's srun).
 *
 * perfkit_mpi_harness_run() is collective: every rank of the communicator
 * runs perfkit_harness_run() with its options on its own workers; the
 * ranks submit their workers together (a barrier), and rank 0 receives one
 * result set holding every rank's records, with the @c rank field set,
 * worker indices made global, and every timestamp moved to rank 0's
 * epoch with the clock offset measured against rank 0. The harness's
 * aggregates (perfkit_harness_summarize(), the timelines, the histogram)
 * then describe the whole job: the effective rate is the total flops over
 * the time from the first submission on any rank to the last collection.
 * See @ref mpi "the MPI guide".
 *
 * @code
 * struct perfkit_harness_options opt = PERFKIT_HARNESS_OPTIONS_INIT;
 * struct perfkit_harness_summary sum;
 * struct perfkit_results *res = NULL;
 * int provided, rank, rc;
 *
 * MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
 * MPI_Comm_rank(MPI_COMM_WORLD, &rank);
 * opt.workers = 4; // per rank
 * rc = perfkit_mpi_harness_run(MPI_COMM_WORLD, &opt, &res);
 * if (rc != 0)
 *	fprintf(stderr, "rank %d: %s\n", rank, perfkit_last_error());
 * if (rank == 0 && res && perfkit_harness_summarize(res, &sum) == 0)
 *	printf("%.1f GFLOPS effective on %zu workers\n",
 *	       sum.effective_gflops, sum.workers);
 * perfkit_results_destroy(res);
 * MPI_Finalize();
 * @endcode
 *
 * Rules common to every function here:
 * - They are collective: every rank of @c comm calls them, with the same
 *   @c root. Each rank may pass its own harness options (e.g. a worker
 *   count per node).
 * - A failure on one rank never leaves the others waiting: every rank
 *   takes part in every collective step, and all ranks return the same
 *   code, that of the lowest-numbered rank that failed; perfkit_last_error()
 *   says on every rank which rank failed and why ("rank 2 of 4: ...").
 * - Only @c comm = MPI_COMM_NULL, an inter-communicator, or MPI not being
 *   initialised return at once, without communicating (-EINVAL).
 * - They communicate on a duplicate of @c comm, so they never match the
 *   caller's own messages. MPI must have been initialised; since the
 *   harness starts worker threads (that never call MPI), initialise with
 *   at least MPI_THREAD_FUNNELED. Process mode forks, which some
 *   interconnects (InfiniBand verbs) do not allow after MPI_Init.
 * - Clock offsets are estimates on CLOCK_REALTIME: Cristian's method, the
 *   best of #PERFKIT_MPI_CLOCK_ROUNDS ping-pongs with the root; the
 *   uncertainty is half that round trip (plus the drift during a harness
 *   run). Ranks on one host share a clock and measure about 0.
 *
 * Threads: call them from the thread that initialised MPI (or any one
 * thread with MPI_THREAD_SERIALIZED), one at a time.
 * @{
 */

/** @brief Ping-pongs with the root behind each clock offset estimate. */
#define PERFKIT_MPI_CLOCK_ROUNDS 10

/**
 * @brief Estimate this rank's clock offset against the root's (collective).
 * @param comm the communicator
 * @param root rank in @p comm whose clock is the reference
 * @param[out] offset seconds to add to this rank's CLOCK_REALTIME to get
 *             the root's at the same instant (0 on the root)
 * @param[out] uncertainty half the shortest round trip, seconds: the true
 *             offset lies within @p offset ± @p uncertainty as long as
 *             the clocks do not drift (0 on the root)
 * @return 0 on success, on every rank
 * @retval -EINVAL @p comm is MPI_COMM_NULL or an inter-communicator, MPI
 *         is not initialised, @p root is out of range, or an out pointer
 *         is NULL on some rank (then every rank returns it)
 *
 * For timing one's own MPI code across nodes: convert a rank's
 * CLOCK_REALTIME readings to the root's clock. The root answers the ranks
 * one after the other (#PERFKIT_MPI_CLOCK_ROUNDS round trips each).
 */
int perfkit_mpi_clock_offset(MPI_Comm comm, int root, double *offset,
			     double *uncertainty);

/**
 * @brief Gather every rank's result set onto the root, on the root's time
 *        axis (collective).
 * @param comm the communicator
 * @param local this rank's records (any result set; not changed)
 * @param root rank in @p comm that receives the set
 * @param[out] out on the root: a new set with the records of every rank
 *             in rank order; NULL on the other ranks and on failure. Free
 *             it with perfkit_results_destroy().
 * @return 0 on success, on every rank
 * @retval -EINVAL @p comm is MPI_COMM_NULL or an inter-communicator, MPI
 *         is not initialised, or, on some rank, @p local or @p out is
 *         NULL or @p root is out of range (then every rank returns it)
 * @retval -ENOMEM out of memory on some rank
 * @retval -ERANGE one rank's records serialise to more than 2 GiB
 * @retval -ENOTSUP some rank writes another binary form than the root
 *         reads (another build of libperfkit: record version or size, or
 *         byte order); the message names both forms
 * @retval -EBADMSG a rank's block arrived malformed
 *
 * The records travel in a compact, versioned binary form (the bytes of
 * each record, then its strings and extra columns), checked on every rank
 * before anything is sent, so all ranks must run one build of libperfkit
 * on machines of one byte order. In each gathered record
 * @c rank is the sender's rank in @p comm; a worker record's @c worker
 * becomes global: the sender's own index plus the worker indices the
 * lower ranks hold (largest index + 1 of each), and the sender's index
 * is kept in the extra column "local_worker"; a record without a host
 * gets the sender's processor name; timestamps are moved from the
 * sender's epoch to the root's with the clock offset measured by this
 * call (perfkit_mpi_clock_offset()). Extra columns travel along. The
 * metadata is the root's, plus "mpi.ranks", "mpi.root", "mpi.library"
 * (MPI_Get_library_version()), "mpi.standard", "mpi.clock" (the method),
 * "mpi.workers_per_rank" (comma-separated) and per rank
 * "mpi.rank.<r>.host", ".records", ".workers", ".clock_offset_s" and
 * ".clock_uncertainty_s".
 */
int perfkit_mpi_results_gather(MPI_Comm comm,
			       const struct perfkit_results *local, int root,
			       struct perfkit_results **out);

/**
 * @brief Run the harness on every rank at once and gather the records on
 *        rank 0 (collective).
 * @param comm the communicator
 * @param opt this rank's options (perfkit_harness_run()); @c workers is
 *        per rank (0: one per allowed core of this rank). The @c progress
 *        callback reports this rank's workers. A staggered start spreads
 *        the submissions over all ranks' workers: the worker with global
 *        index g is submitted g × @c stagger seconds after the common
 *        start.
 * @param[out] out on rank 0: every rank's records as by
 *             perfkit_mpi_results_gather(), also when some failed (a
 *             rank whose harness could not run at all contributes none);
 *             NULL on the other ranks, and on every rank when the options
 *             were refused or the gathering failed
 * @return 0 when every worker on every rank succeeded, on every rank
 * @retval -EINVAL @p comm is MPI_COMM_NULL or an inter-communicator or
 *         MPI is not initialised (returned at once), or, on some rank,
 *         @p opt or @p out is NULL or an option is invalid: every rank
 *         returns -EINVAL before any work, and perfkit_last_error() names
 *         the rank and the option
 * @retval other the status of the lowest-numbered rank that failed (as
 *         perfkit_harness_run() returns it: a failed worker's status,
 *         -ENOMEM, ...), on every rank; rank 0 still gets the records
 *
 * Steps: options checked and agreed; clock offsets measured against rank
 * 0; a barrier just before the first worker is submitted (the harness's
 * before_submit hook: after each rank's machine probe and peak reference,
 * so that the ranks' workers start together); the run; clock offsets
 * measured again; the records gathered. The offset stored for a rank is
 * the mean of the two measurements, its uncertainty the larger half
 * round trip plus half their difference ("mpi.rank.<r>.clock_drift_s"
 * holds the difference). Besides the keys of perfkit_mpi_results_gather(),
 * rank 0's metadata has "mpi.rank.<r>.status" (each rank's return of
 * perfkit_harness_run()), "harness.workers" = the workers of all ranks,
 * "harness.cores" = the allowed cores summed over distinct hosts, and
 * "harness.peak_kernel_gflops_per_worker" = the workers-weighted mean of
 * the ranks' measurements, so that perfkit_harness_summarize() compares
 * the whole job with the peak of all its cores (from rank 0's per-core
 * peak: nodes are assumed alike). Should rank 0's harness fail before
 * running any worker, the metadata comes from the lowest rank that ran.
 * A rank whose @c cancel flag is set before its workers are submitted
 * runs none and contributes no records, without holding the others up;
 * once submitted, the run always completes on every rank.
 */
int perfkit_mpi_harness_run(MPI_Comm comm,
			    const struct perfkit_harness_options *opt,
			    struct perfkit_results **out);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_MPI_H */
