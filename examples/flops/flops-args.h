/* SPDX-License-Identifier: MIT */
/* perfkit-flops and perfkit-flops-mpi: one command line, one report. */
#ifndef FLOPS_ARGS_H
#define FLOPS_ARGS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "flops-report.h"

/* Longest --sweep-workers / --sweep-sizes list. */
#define LIST_MAX 256

struct flops_args {
	struct perfkit_harness_options o;
	const char *outfile, *plot;
	int sweep_workers, sweep_sizes;
	unsigned counts[LIST_MAX];
	int64_t sizes[LIST_MAX];
	size_t ncounts, nsizes;
	int list, help, version;
	int loopcount_set;  /* --loopcount was given */
	double threshold;   /* --threshold: efficiency of the optimal count */
};

/* Parse the command line into @a. Returns -1 when there is work to do,
 * else the exit status: 2 after a bad option (said on stderr), 0 after
 * --help, --version or --list-kernels (printed unless @quiet). */
int flops_command_line(int argc, char **argv, struct flops_args *a, int quiet);

/* Everything that can be refused before any work starts (prints why). */
int flops_check_args(const struct flops_args *a);
int flops_check_outputs(const struct flops_args *a);

/* "<prog>: dgemm, N = 1024, loopcount 10, 4 workers (...)". */
void flops_headline(const struct flops_args *a, const struct perfkit_results *res);

/* Write --outfile and draw --plot (of @shown). Returns -1 if either
 * failed (the message printed). */
int flops_outputs(const struct flops_args *a, struct perfkit_results *res,
		  const struct perfkit_results *shown);

/* While the workers run (flops-stream.c): the progress line, and a JSON
 * Lines --outfile written record by record as they are collected. */
struct flops_stream {
	const char *path; /* the --outfile when it is JSON Lines, else NULL */
	struct perfkit_results_stream *stream; /* opened at the first record */
	int failed;
	/* the progress line: drawn on @bar (NULL: none) by the callback and
	 * by a ticker thread, under @lock */
	FILE *bar;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int ticking, stop, shown;
	unsigned done, total, point, points;
	uint64_t t0, point_t0; /* start of the run and of this point, ns */
};

/* The terminal for the progress line: stderr if it is one, else stdout if
 * it is one, else NULL (no progress line in files and pipes). */
FILE *flops_progress_terminal(void);

/* Stream to @outfile if it is JSON Lines (may be NULL); draw the progress
 * line on @bar (may be NULL) until flops_stream_close(). */
void flops_stream_init(struct flops_stream *fs, const char *outfile, FILE *bar);

/* The harness's progress callback; @userdata is the struct flops_stream. */
void flops_progress(const struct perfkit_harness_progress *p, void *userdata);

/* Close the stream (the final write replaces the file). 0 or -1. */
int flops_stream_close(struct flops_stream *fs);

#endif /* FLOPS_ARGS_H */
