/* SPDX-License-Identifier: MIT */
/* perfkit-mpi-correlate: the rating vectors (see corr-data.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "corr-data.h"

#define GAMMA UINT64_C(0x9e3779b97f4a7c15)
#define TASTES 3
#define FIELD_MAX 63

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A uniform number in [-1, 1) for (seed, a, b): counter-based. */
static double uniform(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t z = mix(mix(seed + a * GAMMA) + (b + 1) * GAMMA);

	return (double)(z >> 11) * 0x1p-52 - 1.0;
}

int corr_generate(struct corr_data *d, size_t items, size_t users, uint64_t seed)
{
	d->items = items;
	d->users = users;
	d->x = malloc(items * users * sizeof(double));
	if (!d->x)
		return cli_error("out of memory for %zu x %zu ratings", items, users);
	for (size_t i = 0; i < items; i++) {
		for (size_t u = 0; u < users; u++) {
			double s = 0, r;

			/* item i's tastes are streams 3i.., user u's 3(items + u).. */
			for (int t = 0; t < TASTES; t++)
				s += uniform(seed, TASTES * i + t, 0) *
				     uniform(seed, TASTES * (items + u) + t, 1);
			r = round(3.0 + 2.5 * s + 0.8 * uniform(seed, i, 2 + u));
			d->x[i * users + u] = fmin(5.0, fmax(1.0, r));
		}
	}
	return 0;
}

void corr_data_free(struct corr_data *d)
{
	free(d->x);
	d->x = NULL;
	d->items = d->users = 0;
}

/* ---- CSV ---- */

struct csv {
	const char *path;
	FILE *f;
	size_t line, col;          /* where the field being read is */
	char field[FIELD_MAX + 1];
	size_t len;
	int too_long;
	double *row;               /* the line's numbers */
	size_t nrow, caprow;
	int row_bad;               /* a field of the line is not a number */
	size_t bad_col;
	char bad_text[FIELD_MAX + 1];
	struct corr_data *d;
	size_t cap;                /* values d->x has room for */
	int header_seen;
};

static int csv_error(const struct csv *c, const char *fmt, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	return cli_error("--input %s: line %zu, column %zu: %s", c->path, c->line, c->col, msg);
}

/* A blank-trimmed field into c->row, or marked as not a number. */
static int end_field(struct csv *c)
{
	char *s = c->field, *end;
	double v;

	if (c->too_long)
		return csv_error(c, "a field longer than %s characters", "63");
	c->field[c->len] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (*s == '\0')
		return csv_error(c, "an empty field%s", "");
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(v)) {
		if (!c->row_bad) {
			c->row_bad = 1;
			c->bad_col = c->col;
			snprintf(c->bad_text, sizeof(c->bad_text), "%s", s);
		}
		v = NAN;
	}
	if (c->nrow == c->caprow) {
		size_t cap = c->caprow ? 2 * c->caprow : 256;
		double *r = cap <= CORR_USERS_MAX + 1 ? realloc(c->row, cap * sizeof(double)) : NULL;

		if (!r)
			return csv_error(c, "more than %s columns", "1000000");
		c->row = r;
		c->caprow = cap;
	}
	c->row[c->nrow++] = v;
	c->len = 0;
	c->too_long = 0;
	c->col++;
	return 0;
}

/* A complete line: the header, or a row of d->x. */
static int end_line(struct csv *c)
{
	struct corr_data *d = c->d;

	if (c->row_bad) {
		c->col = c->bad_col;
		if (d->items == 0 && !c->header_seen) {
			c->header_seen = 1; /* a first line of names */
			return 0;
		}
		return csv_error(c, "'%s' is not a finite number", c->bad_text);
	}
	if (d->items == 0) {
		d->users = c->nrow;
	} else if (c->nrow != d->users) {
		char n[64];

		snprintf(n, sizeof(n), "%zu fields, the first data line %zu", c->nrow, d->users);
		c->col = 1;
		return csv_error(c, "%s", n);
	}
	if (d->items >= CORR_ITEMS_MAX)
		return csv_error(c, "more than %s rows (items)", "20000");
	if ((d->items + 1) * d->users > CORR_VALUES_MAX)
		return csv_error(c, "more than %s values", "2^28");
	if ((d->items + 1) * d->users > c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4096;
		double *x;

		while (cap < (d->items + 1) * d->users)
			cap *= 2;
		x = realloc(d->x, cap * sizeof(double));
		if (!x)
			return csv_error(c, "out of memory%s", "");
		d->x = x;
		c->cap = cap;
	}
	memcpy(d->x + d->items * d->users, c->row, d->users * sizeof(double));
	d->items++;
	return 0;
}

/* Reads the characters; returns 0 at the end of the file, or -1. */
static int csv_scan(struct csv *c)
{
	int ch, in_line = 0;

	c->line = c->col = 1;
	for (;;) {
		ch = getc(c->f);
		if (ch == '\r') {
			ch = getc(c->f);
			if (ch != '\n')
				return csv_error(c, "a carriage return not followed by a "
						 "newline%s", "");
		}
		if (ch == EOF || ch == '\n') {
			if (in_line && (end_field(c) != 0 || end_line(c) != 0))
				return -1;
			if (ch == EOF)
				return ferror(c->f) ? csv_error(c, "%s", strerror(errno)) : 0;
			c->line++;
			c->col = 1;
			c->nrow = 0;
			c->row_bad = 0;
			in_line = 0;
			continue;
		}
		if (ch == '\0')
			return csv_error(c, "a NUL byte (is this a text file?)%s", "");
		in_line = 1;
		if (ch == ',') {
			if (end_field(c) != 0)
				return -1;
		} else if (c->len < FIELD_MAX) {
			c->field[c->len++] = (char)ch;
		} else {
			c->too_long = 1;
		}
	}
}

int corr_read_csv(const char *path, struct corr_data *d)
{
	struct csv c = { .path = path, .d = d };
	struct stat st;
	int rc;

	memset(d, 0, sizeof(*d));
	if (stat(path, &st) != 0)
		return cli_error("--input %s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return cli_error("--input %s: is a folder, not a CSV file", path);
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return cli_error("--input %s: not a regular file or a pipe", path);
	c.f = fopen(path, "r");
	if (!c.f)
		return cli_error("--input %s: %s", path, strerror(errno));
	rc = csv_scan(&c);
	fclose(c.f);
	free(c.row);
	if (rc == 0 && d->items == 0)
		rc = cli_error("--input %s: no data lines (the file is empty or a header only)",
			       path);
	else if (rc == 0 && d->items < 2)
		rc = cli_error("--input %s: one data line; correlations need at least 2 items",
			       path);
	else if (rc == 0 && d->users < 2)
		rc = cli_error("--input %s: one column; correlations need at least 2 users",
			       path);
	if (rc != 0)
		corr_data_free(d);
	return rc;
}
