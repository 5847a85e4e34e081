/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-correlate: the rating vectors, one row per item (a movie of
 * the Netflix data in the MPI-on-EC2 talk), one column per user, made by
 * a reproducible generator or read from a CSV file.
 */
#ifndef CORR_DATA_H
#define CORR_DATA_H

#include <stddef.h>
#include <stdint.h>

/* Limits: the correlations of all pairs live on rank 0, and MPI's counts
 * are ints. */
#define CORR_ITEMS_MAX 20000
#define CORR_USERS_MAX 1000000
#define CORR_VALUES_MAX (UINT64_C(1) << 28)

struct corr_data {
	size_t items, users;
	double *x;          /* items x users, row by row */
};

/*
 * Ratings 1 to 5 from a latent-factor model (three tastes per user and
 * per item, plus noise), the same for a seed on any machine. Returns 0,
 * or -1 after saying why.
 */
int corr_generate(struct corr_data *d, size_t items, size_t users, uint64_t seed);

/*
 * Read a CSV file: one line per item, numbers separated by commas, the
 * same count on every line; a first line with a field that is not a
 * number is a header and skipped; blank lines are skipped. Returns 0, or
 * -1 after a message naming the file, line and column of the problem.
 */
int corr_read_csv(const char *path, struct corr_data *d);

void corr_data_free(struct corr_data *d);

#endif /* CORR_DATA_H */
