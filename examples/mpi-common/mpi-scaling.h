/* SPDX-License-Identifier: MIT */
/*
 * The MPI example programs' scaling report, on rank 0: every timed run
 * (rank count, seconds) goes in; out come libperfkit's strong-scaling
 * table (speedup, efficiency, Karp-Flatt), with --price the MPI-on-EC2
 * talk's time-versus-money table and the cheapest rank count that meets
 * --deadline, and with --plot the speedup and efficiency panels.
 */
#ifndef PK_EXAMPLES_MPI_SCALING_H
#define PK_EXAMPLES_MPI_SCALING_H

#include <stddef.h>
#include <stdio.h>

#include <perfkit/perfkit.h>

/* Every timed run, in the order they ran. */
struct mpi_runs {
	double *ranks;
	double *time;
	size_t n, cap;
};

/* Append one run. Returns 0, or -1 after saying why (out of memory). */
int mpi_runs_add(struct mpi_runs *r, int ranks, double seconds);
void mpi_runs_free(struct mpi_runs *r);

/* The strong-scaling rows of @r (room for r->n rows). Returns the number
 * of rows, or 0 after saying why. */
size_t mpi_runs_table(const struct mpi_runs *r, struct perfkit_scaling_strong_row *rows);

/*
 * Print the scaling table and, when @price >= 0, the cost table and the
 * cheapest count within @deadline seconds (INFINITY: none). Returns 0, or
 * -1 after saying why.
 */
int mpi_scaling_report(FILE *out, const struct mpi_runs *r, double price,
		       double deadline);

/* Speedup (with the ideal) and efficiency against rank count, drawn to
 * @path by gnuplot. Returns 0, or -1 after saying why. */
int mpi_scaling_plot(const char *path, const struct mpi_runs *r, const char *title);

#endif /* PK_EXAMPLES_MPI_SCALING_H */
