/* SPDX-License-Identifier: MIT */
/* Private to the columns of a result set (lib/results/columns/). */
#ifndef PK_RESULTS_COLUMNS_H
#define PK_RESULTS_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include "perfkit/columns.h"
#include "results-keyset.h"
#include "results-private.h"

/* One column: a growing array, and for text its distinct values. */
struct pk_column {
	char *name;	    /* owned; desc.name points to it */
	size_t offset;	    /* a field's offset in the record */
	size_t width;	    /* bytes per row */
	char *data;	    /* mapped: @bytes, a whole number of pages */
	size_t bytes;
	size_t n, cap;	    /* rows filled, rows of room */
	struct pk_keyset dict; /* TEXT: distinct values (owned copies) */
	int32_t last;	    /* TEXT: the code of the last value, or -1 */
	/* kind and type, and what callers see of the arrays (after each
	 * batch: they move as they grow) */
	struct perfkit_column desc;
};

struct perfkit_columns {
	struct pk_results_sink sink; /* first: the drain finds the columns */
	struct perfkit_results *meta; /* metadata and epoch, no records */
	size_t rows;
	struct pk_column *cols;
	size_t ncols, cap;
	/* key -> index in cols, for parameters and for extra columns */
	struct pk_keyset params, extras;
	size_t *param_col, *extra_col;
};

/* Empty columns (the fields, no rows) with an empty set for the
 * metadata: NULL when out of memory. */
struct perfkit_columns *pk_columns_new(void);
/* Append the records of @res as rows (the sink's drain). */
int pk_columns_drain(struct pk_results_sink *sink,
		     const struct perfkit_results *res);

#endif /* PK_RESULTS_COLUMNS_H */
