/* SPDX-License-Identifier: MIT */
/* The parts of perfkit-workshop (the HPC Python workshop's studies): the
 * pool beside the queue, the BLAS oversubscription study, the scaling
 * fits with their plot, and the Markdown report. The program is
 * examples/perfkit-workshop.c. */
#ifndef PK_WORKSHOP_H
#define PK_WORKSHOP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <perfkit/perfkit.h>

#define MAX_LIST 16

/* One line of the I/O table. */
struct io_row {
	const char *format;
	int64_t n;
	uint64_t files;
	double seconds, files_per_s, mb_per_s, x_text;
};

/* One pattern's points: files/s and seconds at each worker count, and
 * what the fits found (NAN when they did not fit). */
struct series {
	const char *name;           /* "queue threads", "pool threads", ... */
	double workers[MAX_LIST], rate[MAX_LIST], seconds[MAX_LIST];
	size_t n;
	double amdahl_f, usl_alpha, usl_beta, usl_gamma, usl_peak_n;
	int64_t optimal;            /* workers at >= 50 % efficiency, or 0 */
	double cost_per_kfile[MAX_LIST]; /* price per 1,000 files */
	char note[256];             /* why a fit is missing */
};

/* One run of the BLAS study. */
struct blas_row {
	unsigned workers, threads;
	double seconds, gflops;
	double factor;              /* perfkit_harness_oversubscription() */
	int oversubscribed;         /* factor > 1 */
	char warning[512];          /* its words */
};

#define MAX_IO (4 * 2 * MAX_LIST)
#define MAX_SERIES 8

/* Everything measured, for the report. */
struct study_data {
	struct io_row io[MAX_IO];
	size_t nio;
	struct series series[MAX_SERIES];
	size_t nseries;
	struct blas_row blas[2];
	size_t nblas;
	long cores;
	double load[3];
	double price;               /* per worker-hour */
	const char *kernel;
	int64_t size;
	uint64_t tasks;
};

/* Pool: the tasks split evenly over W threads (or W forked processes
 * when @processes) before they start (the workshop's Pool.map with a
 * fixed chunk per worker). Files per second, seconds in *seconds; -1
 * after saying why. */
double pool_run(const char *kernel, int64_t size, uint64_t tasks,
		unsigned workers, int processes, const char *folder, int keep,
		double *seconds);

/* What a queue run's records show (workshop-scaling.c). */
struct queue_figures {
	double files_per_s, mb_per_s, wait_median, wait_max, span;
	size_t failed;
};
void queue_figures_of(const struct perfkit_results *res, struct queue_figures *f);

/* The region profile of the calling thread since its last reset, as
 * cProfile's table (ncalls, tottime, percall, cumtime, percall, name),
 * indented under a title, to @out; then the counts are reset. */
void profile_print(FILE *out, const char *title);

/* ---- MPI (workshop-mpi.c; workshop-nompi.c when built without) ---- */

/* MPI_Init when started by mpirun or srun; the ranks, 0 when not. */
int wmpi_begin(void);
int wmpi_rank(void);
/* Rank 0 ends a part only it ran with @rc; the other ranks wait in it,
 * sleeping. Every rank returns rank 0's @rc (or another rank's
 * failure). */
int wmpi_hold(int rc);
void wmpi_end(void);

/* What the MPI studies run. */
struct mpi_plan {
	const char *kernel, *folder;
	int64_t size;
	uint64_t tasks;
	const int64_t *workers; /* rank counts to try (those above the ranks
				 * are left out; the ranks are added) */
	size_t nworkers;
	int keep;
	const volatile sig_atomic_t *stop;
};

/* Collective: the MPI queue and scatter at each rank count; rank 0 prints
 * the rows, adds the series and appends the records to *keep (may be
 * NULL). 0, or -1 after saying why. */
int wmpi_study_queue(struct study_data *d, const struct mpi_plan *p,
		     struct perfkit_results **keep);

/* Collective: write-hdf5-mpi, F datasets of N x N over all ranks; on rank
 * 0 the I/O row. 0, 1 (not built: the row says so) or -1. */
int wmpi_io_row(struct study_data *d, int64_t n, uint64_t files,
		const char *folder, int keep, double text_seconds);

/* Amdahl, USL, optimal count and cost of s (its points filled in);
 * prints the lines under the table. */
void series_fit(struct series *s, double price, uint64_t tasks);

/* The speedup plot of the series: each pattern, the linear line, and
 * the Amdahl and USL curves of the first series that has them. */
int plot_speedup(const char *path, const struct study_data *d);

/* OMP_NUM_THREADS=1 against an oversubscribed BLAS: W = cores workers of
 * dgemm with 1 thread each and with `cores` threads each, same work. */
int blas_study(struct study_data *d, int64_t n, uint64_t loops);

/* DIR/report.md with DIR/speedup.png and DIR/io.png. 0 or -1. */
int report_write(const char *dir, const struct study_data *d);

#endif /* PK_WORKSHOP_H */
