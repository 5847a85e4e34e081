/* SPDX-License-Identifier: MIT */
/* Shared by the examples that draw with gnuplot. */
#ifndef PK_EXAMPLES_GNUPLOT_CHECK_H
#define PK_EXAMPLES_GNUPLOT_CHECK_H

/*
 * 1 if gnuplot is in PATH; otherwise print to stderr, after @prefix, that it
 * is missing and how to install it, suggest plotting @data_option's output
 * instead, and return 0.
 */
int gnuplot_available(const char *prefix, const char *data_option);

#endif
