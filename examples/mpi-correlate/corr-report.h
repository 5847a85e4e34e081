/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: rank 0's serial check, report and records. */
#ifndef CORR_REPORT_H
#define CORR_REPORT_H

#include <stdio.h>

#include <perfkit/perfkit.h>

#include "corr-args.h"
#include "corr-data.h"
#include "corr-run.h"

/* Largest difference from the serial r that counts as the same. */
#define CORR_TOLERANCE 1e-10

/* Every pair's r the textbook way, one pair after the other, into @ref;
 * returns the seconds it took. */
double corr_serial(const struct corr_data *d, double *ref);

/* The largest |r - ref| over @n pairs (NaN where exactly one is NaN:
 * one computation found a constant row, the other did not). */
double corr_max_difference(const double *r, const double *ref, size_t n);

void corr_headline(FILE *out, const struct corr_args *a, const struct corr_data *d,
		   int size);
void corr_row(FILE *out, const struct corr_data *d, const struct corr_run *r);
/* The @k pairs with the largest r. */
void corr_top(FILE *out, const double *tri, size_t items, int k);

/* A record of run @r appended to @res. Returns 0, or -1 after saying why. */
int corr_record(struct perfkit_results *res, const struct corr_data *d,
		const struct corr_run *r);

#endif /* CORR_REPORT_H */
