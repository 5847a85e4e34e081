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
#include <signal.h>

#include <perfkit/harness.h>
#include <perfkit/queue.h>
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

/**
 * @brief Agree on one result across ranks (collective).
 * @param comm the communicator
 * @param rc this rank's result: 0, or a negative errno with its message in
 *        perfkit_last_error()
 * @return on every rank: 0 if every rank passed 0, else the @p rc of the
 *         lowest-numbered rank that failed; its message, prefixed
 *         "rank R of N: ", becomes every rank's perfkit_last_error()
 * @retval -EINVAL @p comm is MPI_COMM_NULL or an inter-communicator, or
 *         MPI is not initialised (returned at once, without communicating)
 *
 * What a program calls after checking its options and before its first
 * other collective, so that one rank that refuses them makes every rank
 * stop with the same message instead of leaving the others waiting.
 * The message travels truncated to 511 bytes. A positive @p rc counts as
 * a failure too and is returned as it is.
 */
int perfkit_mpi_agree(MPI_Comm comm, int rc);

/** @brief How perfkit_mpi_queue_run() deals tasks to ranks. */
enum perfkit_mpi_tasks {
	/** Rank 0 hands out one task at a time over MPI_Send / MPI_Recv to
	 *  the rank that asks next (the workshop's "our own workload
	 *  manager"); rank 0 itself only hands out, unless it is alone. */
	PERFKIT_MPI_TASKS_QUEUE = 0,
	/** The tasks are split evenly before they start, with MPI_Scatterv
	 *  from rank 0 (the workshop's comm.Scatter): rank r of n takes
	 *  tasks r T/n to (r+1) T/n − 1, rank 0 included. */
	PERFKIT_MPI_TASKS_SCATTER = 1,
};

/**
 * @brief Options of perfkit_mpi_queue_run().
 *
 * Start from #PERFKIT_MPI_QUEUE_OPTIONS_INIT or
 * perfkit_mpi_queue_options_init(); fields are only ever added at the
 * end.
 */
struct perfkit_mpi_queue_options {
	/** sizeof(struct perfkit_mpi_queue_options) as the caller knows it. */
	size_t size;
	/** The distribution. Default #PERFKIT_MPI_TASKS_QUEUE. */
	enum perfkit_mpi_tasks distribution;
	/** Name of a registered kernel (registered on every rank). Default
	 *  "write-binary". */
	const char *kernel;
	/** Problem size of every task, > 0 (ignored with @c sizes). Default
	 *  256. */
	int64_t problem_size;
	/** NULL, or one problem size per task (@c tasks of them, each > 0).
	 *  Read on rank 0 only: the sizes travel with the tasks. Default
	 *  NULL. */
	const int64_t *sizes;
	/** Number of tasks, 1 to #PERFKIT_QUEUE_TASKS_MAX. Default 16. */
	uint64_t tasks;
	/** Timed repetitions of each task, 1 to 1000000. Default 1. */
	uint64_t repetitions;
	/** Non-zero: each task checks its result with perfkit_kernel_verify()
	 *  after the timed work. Default 1. */
	int verify;
	/** Where this rank's I/O kernels write
	 *  (perfkit_kernel_options::output_dir); may differ between ranks.
	 *  Default NULL (a fresh folder per task). */
	const char *output_dir;
	/** Passed to the kernels (perfkit_kernel_options::keep_output).
	 *  Default 0. */
	int keep_output;
	/** A stop request, or NULL. #PERFKIT_MPI_TASKS_QUEUE: when rank 0's
	 *  @c *cancel is non-zero it hands out no further task;
	 *  #PERFKIT_MPI_TASKS_SCATTER: a rank whose flag is set takes none of
	 *  its remaining tasks. Tasks not taken get records with status
	 *  -ECANCELED. Default NULL. */
	const volatile sig_atomic_t *cancel;
};

/** @brief Initialiser for struct perfkit_mpi_queue_options with the
 *         defaults. */
#define PERFKIT_MPI_QUEUE_OPTIONS_INIT                                        \
	{ sizeof(struct perfkit_mpi_queue_options), PERFKIT_MPI_TASKS_QUEUE,     \
	  "write-binary", 256, NULL, 16, 1, 1, NULL, 0, NULL }

/**
 * @brief Fill task-queue options with the defaults.
 * @param opt the options
 * @return 0 on success
 * @retval -EINVAL @p opt is NULL
 */
int perfkit_mpi_queue_options_init(struct perfkit_mpi_queue_options *opt);

/**
 * @brief The name of a distribution ("mpi-queue", "mpi-scatter").
 * @param d the distribution
 * @return the name, or NULL if @p d is not one
 */
const char *perfkit_mpi_tasks_name(enum perfkit_mpi_tasks d);

/**
 * @brief Run every task once across the ranks, handed out by rank 0 or
 *        scattered up front, and gather one record per task on rank 0
 *        (collective).
 * @param comm the communicator (one rank is allowed: it runs every task
 *        itself)
 * @param opt this rank's options: @c distribution, @c kernel, @c tasks,
 *        @c repetitions and @c verify must equal rank 0's
 * @param[out] out on rank 0: a new set with one record per task, in task
 *             order, also when tasks failed; NULL on the other ranks, and
 *             on every rank when the options were refused
 * @return 0 when every task succeeded, on every rank
 * @retval -EINVAL @p comm is unusable (returned at once), or on some rank
 *         @p opt or @p out is NULL, an option is out of range, the kernel
 *         is not registered, or the options differ from rank 0's (every
 *         rank returns it before any task runs, and perfkit_last_error()
 *         names the rank)
 * @retval -ECANCELED a stop was requested; rank 0 has every task's record
 * @return else the first failed task's status, on every rank;
 *         perfkit_last_error() says how many failed and why the first did
 *
 * Each task is one kernel instance: setup, @c repetitions timed runs,
 * verify, teardown (as perfkit_queue_run()). A task that fails (setup,
 * run or verify) fails alone: its record keeps the status and the extra
 * column "error" says why, and its worker goes on with the next task, so
 * every task runs exactly once. (A rank that dies ends the MPI job, as
 * MPI's default error handler does.)
 *
 * #PERFKIT_MPI_TASKS_QUEUE with n > 1 ranks: ranks 1 to n − 1 are the
 * workers; each asks rank 0 for a task (MPI_Send), receives the next
 * task's index and size (MPI_Recv), runs it and asks again, until rank 0
 * answers that the queue is empty. Rank 0 waits for requests by polling
 * with short sleeps, so it leaves the cores to the workers.
 *
 * Each record: @c rank the rank that ran the task (as gathered by
 * perfkit_mpi_results_gather(): timestamps on rank 0's clock), @c worker
 * its worker index (worker ranks in order, from 0; -1 for a task never
 * taken), @c t_submit the time rank 0 filled the queue, @c t_start the
 * time the worker took the task (so `t_start − t_submit` is its wait,
 * also in the parameter `wait_s`), @c t_setup / @c t_end the timed
 * repetitions; parameters `task` (its index from 0), `wait_s`, `workers`
 * (the worker ranks) and `mode` (perfkit_mpi_tasks_name()). The metadata
 * has the keys of perfkit_mpi_results_gather() and "queue.kernel",
 * "queue.tasks", "queue.distribution", "queue.repetitions".
 */
int perfkit_mpi_queue_run(MPI_Comm comm, const struct perfkit_mpi_queue_options *opt,
			  struct perfkit_results **out);

/** @brief Largest grid side perfkit_mpi_write_hdf5() accepts. */
#define PERFKIT_MPI_IO_N_MAX 16384

/**
 * @brief Options of perfkit_mpi_write_hdf5().
 *
 * Start from #PERFKIT_MPI_IO_OPTIONS_INIT or perfkit_mpi_io_options_init();
 * fields are only ever added at the end.
 */
struct perfkit_mpi_io_options {
	/** sizeof(struct perfkit_mpi_io_options) as the caller knows it. */
	size_t size;
	/** Grid side N (N x N doubles per dataset), 1 to
	 *  #PERFKIT_MPI_IO_N_MAX. Default 100. */
	int64_t n;
	/** Datasets in the file, all ranks together, 1 to
	 *  #PERFKIT_QUEUE_TASKS_MAX. Default 100. */
	uint64_t files;
	/** A folder every rank sees (one file system), where the one file
	 *  is made; rank 0's value counts. NULL: rank 0 makes a fresh folder
	 *  `perfkit-io-XXXXXX` under `$TMPDIR` (or /tmp); on one node every
	 *  rank sees it. Default NULL. */
	const char *output_dir;
	/** Non-zero: leave the file (and a fresh folder) in place. Default 0:
	 *  removed at the end. */
	int keep_output;
	/** Non-zero: after closing, every rank reopens the file and reads
	 *  its datasets back through HDF5, comparing each value, and rank 0
	 *  checks that the file holds exactly @c files datasets. Default 1. */
	int verify;
};

/** @brief Initialiser for struct perfkit_mpi_io_options with the
 *         defaults. */
#define PERFKIT_MPI_IO_OPTIONS_INIT                                          \
	{ sizeof(struct perfkit_mpi_io_options), 100, 100, NULL, 0, 1 }

/**
 * @brief Fill parallel-I/O options with the defaults.
 * @param opt the options
 * @return 0 on success
 * @retval -EINVAL @p opt is NULL
 */
int perfkit_mpi_io_options_init(struct perfkit_mpi_io_options *opt);

/**
 * @brief `write-hdf5-mpi`: every rank writes its share of the grids into
 *        one HDF5 file shared by all ranks through the MPI-IO driver
 *        (collective; the workshop's h5py `driver='mpio'`).
 * @param comm the communicator (one rank is allowed)
 * @param opt the options; @c n, @c files and @c verify must equal rank
 *        0's
 * @param[out] out on rank 0: one record per rank; NULL elsewhere and on
 *             failure
 * @return 0 on success, on every rank
 * @retval -EINVAL @p comm is unusable, or on some rank @p opt or @p out
 *         is NULL, an option is out of range or differs from rank 0's
 *         (every rank returns it before any file is made)
 * @retval -ENOTSUP libperfkit-mpi was built without parallel HDF5
 *         (Debian's libhdf5-openmpi-dev)
 * @retval -ENOMEM, -ENOSPC, -EFBIG, -EDQUOT, -EIO making or writing the
 *         file failed on some rank: the message names the rank, the file
 *         and HDF5's reason; the file is removed unless @c keep_output
 * @retval -EBADMSG the file did not read back as written
 *
 * The file is `write-hdf5-mpi-<pid of rank 0>.h5` in the folder. Every
 * rank creates each dataset "data00000", "data00001", ... (N x N
 * little-endian doubles, contiguous), as parallel HDF5 requires of
 * metadata; rank r of n writes the data of datasets r F/n to
 * (r+1) F/n − 1 (independent MPI-IO transfers), the grid of dataset i
 * being the `write-hdf5` kernel's grid of file i (the same values). The
 * file is then closed collectively, which flushes it.
 *
 * Each record: name "write-hdf5-mpi", @c rank and @c worker the rank,
 * @c problem_size N, @c repetitions and @c items the datasets this rank
 * wrote, @c bytes their data (8 N² each), @c t_start the file's creation
 * began, @c t_setup it was created (the timed part starts), @c t_end it
 * was closed, @c elapsed = t_end − t_setup: the datasets' creation
 * (every rank takes part in each), this rank's writes and the closing.
 * Timestamps are on rank 0's clock (perfkit_mpi_results_gather()). Extra
 * column "file": the file's path. Metadata: the gather's keys and
 * "io.kernel", "io.file", "io.datasets", "io.n", "io.hdf5" (the library
 * version).
 */
int perfkit_mpi_write_hdf5(MPI_Comm comm, const struct perfkit_mpi_io_options *opt,
			   struct perfkit_results **out);

/** @brief Longest list of cores perfkit_mpi_place() writes, with the NUL. */
#define PERFKIT_MPI_CORES_MAX 256

/** @brief What perfkit_mpi_place() did on this rank. */
enum perfkit_mpi_placement {
	/** The launcher gave the ranks of this node disjoint CPU sets:
	 *  kept. */
	PERFKIT_MPI_PLACE_KEPT = 0,
	/** The ranks of this node could run on the same CPUs: this rank
	 *  now runs on its share of their cores. */
	PERFKIT_MPI_PLACE_SPLIT = 1,
};

/**
 * @brief Give each rank of a node its own share of the node's cores
 *        (collective).
 * @param comm the communicator
 * @param[out] how what was done on this rank (may be NULL)
 * @param[out] cores this rank's CPUs afterwards, as operating-system CPU
 *             numbers ("0-3,8"); at most #PERFKIT_MPI_CORES_MAX bytes
 * @param len size of @p cores, bytes
 * @return 0 on success, on every rank
 * @retval -EINVAL @p comm is unusable, or on some rank @p cores is NULL
 *         or @p len is 0 (every rank returns it, nothing changed)
 * @retval -EIO the operating system refused to report or change a CPU
 *         set on some rank
 *
 * The ranks that share a node (MPI_COMM_TYPE_SHARED) compare the CPU
 * sets they may run on. When no two of them overlap, the launcher has
 * bound them (e.g. `mpirun --bind-to core`) and nothing changes. When
 * some overlap (an oversubscribed or unbound launch), the cores of all
 * their CPUs (hardware threads of one core stay together) are dealt out
 * in order: with n ranks and C cores, local rank i gets cores
 * i·C/n to (i+1)·C/n − 1, or, with more ranks than cores, core i·C/n,
 * and the calling thread is bound to them. Threads started later inherit
 * the set, and so do the harness's workers: call it in the main thread
 * right after MPI_Init, before anything probes the machine
 * (perfkit_machine_probe() caches the CPUs it may use at its first call).
 * Linux only (cores from /sys/devices/system/cpu); elsewhere every CPU
 * counts as a core.
 */
int perfkit_mpi_place(MPI_Comm comm, enum perfkit_mpi_placement *how,
		      char *cores, size_t len);

/** @brief Largest message perfkit_mpi_pingpong() and
 *         perfkit_mpi_collective_run() send: 1 GiB. */
#define PERFKIT_MPI_BYTES_MAX ((int64_t)1 << 30)

/** @brief Point-to-point patterns of perfkit_mpi_pingpong(). */
enum perfkit_mpi_p2p {
	/** Rank 0 sends, rank 1 sends back (NetPIPE, osu_latency): the
	 *  latency is half a round trip. */
	PERFKIT_MPI_PINGPONG = 0,
	/** Rank 0 keeps @c window non-blocking sends in flight, rank 1
	 *  acknowledges each window (osu_bw): the bandwidth of a stream. */
	PERFKIT_MPI_STREAM = 1,
};

/**
 * @brief Options of perfkit_mpi_pingpong().
 *
 * Start from #PERFKIT_MPI_P2P_OPTIONS_INIT or
 * perfkit_mpi_p2p_options_init(); fields are only ever added at the end.
 */
struct perfkit_mpi_p2p_options {
	/** sizeof(struct perfkit_mpi_p2p_options) as the caller knows it. */
	size_t size;
	/** The pattern. Default #PERFKIT_MPI_PINGPONG. */
	enum perfkit_mpi_p2p pattern;
	/** Smallest message, bytes, 0 to @c max_bytes. Default 0. */
	int64_t min_bytes;
	/** Largest message, bytes, up to #PERFKIT_MPI_BYTES_MAX. Default
	 *  4 MiB. */
	int64_t max_bytes;
	/** NetPIPE's perturbation: besides each power of two p, the sizes
	 *  p − @c perturbation and p + @c perturbation (0 to 1024; 0: powers
	 *  of two only). Default 3. */
	int perturbation;
	/** Timed trials per size (1 to 1000): the latency reported is the
	 *  best trial's, as NetPIPE's. Default 5. */
	unsigned trials;
	/** Seconds each trial should last (1e-6 to 60): the repetitions of a
	 *  size are set from timed batches of round trips, at least 1 and at
	 *  most 1000000. Default 0.005. */
	double trial_time;
	/** Untimed round trips (or windows) before each size's trials, 0 to
	 *  1000000. Default 2. */
	uint64_t warmup;
	/** #PERFKIT_MPI_STREAM: messages in flight, 1 to 1024. Default 64. */
	unsigned window;
};

/** @brief Initialiser for struct perfkit_mpi_p2p_options with the
 *         defaults. */
#define PERFKIT_MPI_P2P_OPTIONS_INIT                                        \
	{ sizeof(struct perfkit_mpi_p2p_options), PERFKIT_MPI_PINGPONG, 0,     \
	  (int64_t)4 << 20, 3, 5, 0.005, 2, 64 }

/**
 * @brief Fill ping-pong options with the defaults.
 * @param opt the options
 * @return 0 on success
 * @retval -EINVAL @p opt is NULL
 */
int perfkit_mpi_p2p_options_init(struct perfkit_mpi_p2p_options *opt);

/**
 * @brief Latency and bandwidth between ranks 0 and 1 of a communicator,
 *        per message size (collective).
 * @param comm the communicator: 2 or more ranks; ranks above 1 only take
 *        part in the checks and the context (make a communicator of the
 *        pair you want to measure, e.g. with MPI_Comm_split())
 * @param opt the options, the same on every rank
 * @param[out] out on rank 0: a new set, one record per size in increasing
 *             order; NULL elsewhere and on failure
 * @return 0 on success, on every rank
 * @retval -EINVAL @p comm is unusable or has one rank, or, on some rank,
 *         @p opt or @p out is NULL, an option is out of range, or the
 *         options differ from rank 0's
 * @retval -ENOMEM a buffer could not be allocated on some rank
 *
 * Sizes: @c min_bytes, the powers of two above it with their
 * perturbations, and @c max_bytes, all within [@c min_bytes,
 * @c max_bytes], without repeats. For each size: @c warmup untimed
 * repetitions, timed batches of 1, 2, 4, ... repetitions until one lasts
 * an eighth of @c trial_time, which set the count (so that a trial lasts
 * about @c trial_time), then @c trials timed trials of that many
 * repetitions, timed by rank 0 with the monotonic clock.
 *
 * Each record: name "pingpong" or "stream", @c rank 0, @c problem_size
 * the message bytes, @c repetitions all timed repetitions, @c items the
 * messages they sent, @c bytes the bytes those carried, @c elapsed their
 * seconds, @c t_setup / @c t_end the first and last trial on the set's
 * time axis; a ping-pong's repetition is a round trip (2 messages), a
 * stream's is a window and its acknowledgement. Extra columns:
 * "latency_s" (best trial: half a round trip, or a window's time per
 * message), "latency_median_s", "bandwidth_MBps" (bytes per second / 1e6
 * of the best trial), "trials", "mpi_library" (MPI_Get_library_version(),
 * one line), "host_0", "cores_0", "host_1", "cores_1" (each rank's host
 * and operating-system CPUs) and "same_node" ("yes" or "no"). The
 * metadata has "mpi.library" and per rank "mpi.rank.<r>.host" and
 * "mpi.rank.<r>.cores". Receives of one window share one buffer, as
 * osu_bw's do.
 */
int perfkit_mpi_pingpong(MPI_Comm comm, const struct perfkit_mpi_p2p_options *opt,
			 struct perfkit_results **out);

/** @brief Collective operations perfkit_mpi_collective_run() times. */
enum perfkit_mpi_collective {
	PERFKIT_MPI_BARRIER = 0,   /**< MPI_Barrier (no message) */
	PERFKIT_MPI_BCAST = 1,     /**< MPI_Bcast of the size from the root */
	PERFKIT_MPI_SCATTER = 2,   /**< MPI_Scatter, the size to each rank */
	PERFKIT_MPI_GATHER = 3,    /**< MPI_Gather, the size from each rank */
	PERFKIT_MPI_REDUCE = 4,    /**< MPI_Reduce, MPI_SUM of floats */
	PERFKIT_MPI_ALLREDUCE = 5, /**< MPI_Allreduce, MPI_SUM of floats */
	PERFKIT_MPI_ALLTOALL = 6,  /**< MPI_Alltoall, the size per pair */
};

/** @brief Number of enum perfkit_mpi_collective values. */
#define PERFKIT_MPI_COLLECTIVES 7

/**
 * @brief The name of a collective ("barrier", "bcast", "scatter",
 *        "gather", "reduce", "allreduce", "alltoall").
 * @param op the operation
 * @return the name, or NULL if @p op is not one
 */
const char *perfkit_mpi_collective_name(enum perfkit_mpi_collective op);

/**
 * @brief Options of perfkit_mpi_collective_run().
 *
 * Start from #PERFKIT_MPI_COLLECTIVE_OPTIONS_INIT or
 * perfkit_mpi_collective_options_init(); fields are only ever added at
 * the end.
 */
struct perfkit_mpi_collective_options {
	/** sizeof(struct perfkit_mpi_collective_options) as the caller
	 *  knows it. */
	size_t size;
	/** The operation. Default #PERFKIT_MPI_ALLREDUCE. */
	enum perfkit_mpi_collective op;
	/** Smallest message, bytes per rank, 4 to @c max_bytes (a multiple
	 *  of 4: reductions add floats). Ignored by the barrier. Default 4. */
	int64_t min_bytes;
	/** Largest message, bytes per rank; with scatter, gather and alltoall
	 *  it times the ranks must stay within #PERFKIT_MPI_BYTES_MAX.
	 *  Default 1 MiB. Sizes are @c min_bytes and its doublings up to
	 *  @c max_bytes. */
	int64_t max_bytes;
	/** Seconds each size should last (1e-6 to 60): the iterations are
	 *  set from timed batches of 1, 2, 4, ... iterations (the slowest
	 *  rank's), the first to last a tenth of @c time; at least 1 and at
	 *  most 1000000. Default 0.01. */
	double time;
	/** Untimed iterations before each size, 0 to 1000000. Default 2. */
	uint64_t warmup;
	/** Root of bcast, scatter, gather and reduce. Default 0. */
	int root;
};

/** @brief Initialiser for struct perfkit_mpi_collective_options with the
 *         defaults. */
#define PERFKIT_MPI_COLLECTIVE_OPTIONS_INIT                                  \
	{ sizeof(struct perfkit_mpi_collective_options), PERFKIT_MPI_ALLREDUCE, \
	  4, (int64_t)1 << 20, 0.01, 2, 0 }

/**
 * @brief Fill collective options with the defaults.
 * @param opt the options
 * @return 0 on success
 * @retval -EINVAL @p opt is NULL
 */
int perfkit_mpi_collective_options_init(struct perfkit_mpi_collective_options *opt);

/**
 * @brief Time one collective operation per message size, OSU style
 *        (collective).
 * @param comm the communicator (one rank is allowed: the operations then
 *        copy locally)
 * @param opt the options, the same on every rank
 * @param[out] out on rank 0: a new set, one record per size; NULL
 *             elsewhere and on failure
 * @return 0 on success, on every rank
 * @retval -EINVAL @p comm is unusable, or, on some rank, @p opt or @p out
 *         is NULL, an option is out of range, or the options differ from
 *         rank 0's
 * @retval -ENOMEM a buffer could not be allocated on some rank
 *
 * For each size: @c warmup untimed iterations, a barrier, timed batches
 * of 1, 2, 4, ... iterations that set the count, a barrier, then that many iterations
 * back to back; each rank divides its time by the count. The record holds
 * the minimum, mean and maximum over ranks of these per-rank means (as
 * the OSU micro-benchmarks report them) in the extra columns
 * "latency_min_s", "latency_mean_s" and "latency_max_s"; @c elapsed is
 * the slowest rank's total, @c repetitions the count, @c items the
 * operations all ranks completed, @c problem_size the bytes per rank
 * (0 for the barrier), and @c t_setup / @c t_end the first rank's start
 * and the last rank's end on rank 0's clock (each rank's
 * CLOCK_REALTIME moved by its offset, perfkit_mpi_clock_offset()): their
 * difference shows how far apart the ranks ran. Every record carries
 * "op", "ranks", "nodes", "mpi_library", "rank_hosts" and "rank_cores"
 * (each rank's host and CPUs, separated by ';') and "same_node" ("yes"
 * if all ranks share one node). The metadata has "mpi.library" and per
 * rank "mpi.rank.<r>.host", ".cores" and ".clock_offset_s".
 */
int perfkit_mpi_collective_run(MPI_Comm comm,
			       const struct perfkit_mpi_collective_options *opt,
			       struct perfkit_results **out);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PERFKIT_MPI_H */
