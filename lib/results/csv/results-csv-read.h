/* SPDX-License-Identifier: MIT */
/*
 * Private to the CSV reader: the cell tokenizer and its error messages
 * (results-csv-cells.c), the "# key=value" metadata lines
 * (results-csv-meta.c), used by the header and record rows
 * (results-csv-read.c).
 */
#ifndef PK_RESULTS_CSV_READ_H
#define PK_RESULTS_CSV_READ_H

#include <stddef.h>

#include "common.h"

struct perfkit_results;

/* A cell is pointer + length into the input, or into the scratch buffer for
 * a quoted cell with doubled quotes. */
struct pk_csv_cell {
	const char *p; /* NULL while the text is in the scratch buffer */
	size_t off, len;
	size_t line;   /* where the cell starts */
};

struct pk_csv_reader {
	const char *p, *end;
	const char *nul;   /* the first NUL byte or invalid UTF-8, or NULL */
	size_t line;	   /* physical line of p */
	struct pk_csv_cell *cells;
	size_t ncells, cap;
	char *scratch;	   /* unescaped quoted cells of the current row */
	size_t slen, scap;
	char *tmp;	   /* NUL-terminated copies of values */
	size_t tcap;
	/* Reading a file a window at a time (results-csv-file.c): called
	 * when the rows in [p, end) are used up; moves the window on to the
	 * next whole rows. 1 when there are more, 0 at the end, or a
	 * negative errno. NULL for input all in memory. */
	int (*more)(struct pk_csv_reader *r);
	void *src;
};

/* -EBADMSG with "line L, column C: message". */
int pk_csv_bad(size_t line, size_t col, const char *fmt, ...) PK_PRINTF(3, 4);
/* -EBADMSG with "line L, column C (field 'flops'): message". */
int pk_csv_bad_in(size_t line, size_t col, const char *kind, const char *name,
		  const char *fmt, ...) PK_PRINTF(5, 6);
/* Up to 32 bytes of @p for a message: control bytes as '?', no cut
 * UTF-8 sequence, "..." when cut. */
const char *pk_csv_excerpt(const char *p, size_t len, char buf[48]);

/* The first NUL byte or byte of invalid UTF-8 in @data, or NULL. */
const char *pk_csv_first_bad_byte(const char *data, size_t len);
/* What is wrong with the byte r->nul, for a message. */
const char *pk_csv_bad_byte(const struct pk_csv_reader *r, char buf[48]);

/* Make room for @need items of @size bytes: 0 or -ENOMEM. */
int pk_csv_grow(void **p, size_t *cap, size_t need, size_t size);
/* A NUL-terminated copy of a cell in r->tmp, or NULL (out of memory). */
char *pk_csv_tmp_copy(struct pk_csv_reader *r, const char *p, size_t len);

/*
 * The cells of the next row into r->cells and r->ncells; at most @max of
 * them (0: up to the reader's column limit). 0, -EBADMSG or -ENOMEM.
 */
int pk_csv_read_row(struct pk_csv_reader *r, size_t max);

/* Skip empty lines; 1 when input remains. Inline: it runs once per row. */
static inline int pk_csv_skip_empty_lines(struct pk_csv_reader *r)
{
	for (;;) {
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		else if (r->end - r->p >= 2 && r->p[0] == '\r' && r->p[1] == '\n')
			r->p += 2;
		else
			return r->p < r->end;
		r->line++;
	}
}

/*
 * The metadata lines before the header row into @res: 1 when a header row
 * follows, 0 when the input ends first, or a negative errno.
 */
int pk_csv_read_metadata(struct pk_csv_reader *r, struct perfkit_results *res);

/* The metadata, the header row and the records of @r into @res (which
 * holds nothing yet): 0 or a negative errno with a message. */
int pk_csv_parse(struct pk_csv_reader *r, struct perfkit_results *res);
/* Free the reader's buffers (not the input). */
void pk_csv_reader_free(struct pk_csv_reader *r);

#endif /* PK_RESULTS_CSV_READ_H */
