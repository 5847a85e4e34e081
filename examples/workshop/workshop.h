/* SPDX-License-Identifier: MIT */
/* The parts of perfkit-workshop (the HPC Python workshop's studies): the
 * pool beside the queue, the BLAS oversubscription study, the scaling
 * fits with their plot, and the Markdown report. The program is
 * examples/perfkit-workshop.c. */
#ifndef PK_WORKSHOP_H
#define PK_WORKSHOP_H

#include <stddef.h>
#include <stdint.h>

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
	int oversubscribed;
};

#define MAX_IO (3 * 2 * MAX_LIST)
#define MAX_SERIES 4

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

/* Pool: the tasks split evenly over W threads before they start (the
 * workshop's Pool.map with a fixed chunk per worker). Files per second,
 * seconds in *seconds; -1 after saying why. */
double pool_run(const char *kernel, int64_t size, uint64_t tasks,
		unsigned workers, const char *folder, int keep, double *seconds);

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
