/* SPDX-License-Identifier: MIT */
/*
 * perfkit-mpi-correlate: Pearson's r of every pair of rows, and how the
 * rows are shared over k ranks. Row i belongs to rank i mod k, so that
 * the triangle of pairs (i, j > i) is shared evenly; the rows travel in
 * rank order (rank 0's rows, then rank 1's, ...).
 */
#ifndef CORR_COMPUTE_H
#define CORR_COMPUTE_H

#include <stddef.h>

/* Subtract the mean and divide by the root of the sum of squares: then
 * r(a, b) is the dot product. A constant row (no spread) becomes NaN:
 * its r is undefined. */
void corr_standardize(double *row, size_t users);

/* The dot product of two standardised rows. */
double corr_dot(const double *a, const double *b, size_t n);

/* Pearson's r the textbook way, two passes over two rows: the serial
 * reference (NaN for a constant row). */
double corr_pearson(const double *a, const double *b, size_t n);

/* The pairs (i, j > i) in row order: pair (i, j)'s index. */
size_t corr_pair_index(size_t items, size_t i, size_t j);
size_t corr_pairs(size_t items);

/* Rank @r of @k: how many rows it owns, where they start in rank order,
 * and how many pairs it correlates. */
size_t corr_rows_of(size_t items, int k, int r);
size_t corr_first_of(size_t items, int k, int r);
size_t corr_pairs_of(size_t items, int k, int r);

#endif /* CORR_COMPUTE_H */
