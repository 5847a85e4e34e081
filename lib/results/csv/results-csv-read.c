/* SPDX-License-Identifier: MIT */
/*
 * CSV reader of result sets, one pass over the buffer: after the metadata
 * lines (results-csv-meta.c), the header row names the columns, and each
 * later row of cells (results-csv-cells.c) becomes a record, built on the
 * stack and appended.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-csv.h"
#include "results-csv-read.h"
#include "results-private.h"

enum column_kind { COL_FIELD, COL_PARAM, COL_EXTRA };

struct column {
	enum column_kind kind;
	const struct pk_field *field;
	const char *key; /* parameter key or extra name, NUL-terminated */
	size_t keylen;
};

/* ---- the header row ---- */

struct header {
	struct column *cols;
	size_t ncols;
	char *names; /* every column name, NUL-terminated */
	int extras;  /* any extra columns */
};

static void header_free(struct header *h)
{
	free(h->cols);
	free(h->names);
}

static int classify(struct column *col, const char *name, size_t len,
		    size_t line, size_t c)
{
	char buf[48];

	col->field = pk_record_field_find(name, len);
	if (col->field) {
		col->kind = COL_FIELD;
		return 1;
	}
	if (len >= 6 && memcmp(name, "param.", 6) == 0) {
		col->kind = COL_PARAM;
		col->key = name + 6;
		col->keylen = len - 6;
		if (col->keylen == 0)
			return pk_csv_bad(line, c, "empty parameter key in "
					  "'param.'");
		if (col->keylen > PERFKIT_RECORD_PARAM_KEY_MAX)
			return pk_csv_bad(line, c, "parameter key '%s' too "
					  "long (%zu bytes, at most %d)",
					  pk_csv_excerpt(col->key, col->keylen,
							 buf),
					  col->keylen,
					  PERFKIT_RECORD_PARAM_KEY_MAX);
		if (pk_record_field_find(col->key, col->keylen))
			return pk_csv_bad(line, c, "parameter key '%s' names a "
					  "record field", col->key);
		return 0;
	}
	if (len == 6 && memcmp(name, "params", 6) == 0)
		return pk_csv_bad(line, c, "column 'params' is reserved "
				  "(parameters are 'param.<key>' columns)");
	col->kind = COL_EXTRA;
	col->key = name;
	col->keylen = len;
	return 0;
}

static int read_header(struct pk_csv_reader *r, struct header *h)
{
	struct pk_keyset seen = { 0 };
	size_t line = r->line, total = 0, nfields = 0, first;
	char *d, buf[48];
	int rc;

	rc = pk_csv_read_row(r, 0);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < r->ncells; i++)
		total += r->cells[i].len + 1;
	h->ncols = r->ncells;
	h->cols = calloc(h->ncols, sizeof(*h->cols));
	h->names = malloc(total);
	if (!h->cols || !h->names)
		return -ENOMEM;
	d = h->names;
	for (size_t i = 0; i < h->ncols && rc >= 0; i++) {
		const struct pk_csv_cell *c = &r->cells[i];

		memcpy(d, c->p, c->len);
		d[c->len] = '\0';
		if (c->len == 0)
			rc = pk_csv_bad(c->line, i + 1, "empty column name");
		else if ((rc = pk_keyset_add(&seen, d, c->len, &first)) == 0)
			rc = pk_csv_bad(c->line, i + 1, "column '%s' appears "
					"twice (first as column %zu)",
					pk_csv_excerpt(d, c->len, buf),
					first + 1);
		else if (rc > 0)
			rc = classify(&h->cols[i], d, c->len, c->line, i + 1);
		if (rc > 0)
			nfields++;
		h->extras |= h->cols[i].kind == COL_EXTRA;
		d += c->len + 1;
	}
	pk_keyset_free(&seen);
	if (rc < 0)
		return rc;
	if (nfields == 0)
		return pk_csv_bad(line, 1, "no perfkit columns in the header "
				  "row (expected names such as 'name', "
				  "'worker', 'elapsed')");
	return 0;
}

/* ---- rows ---- */

static int field_error(const struct pk_csv_cell *c, size_t col,
		       const struct pk_field *f, int rc)
{
	char buf[48];
	const char *text = pk_csv_excerpt(c->p, c->len, buf);

	if (f->type == PK_FIELD_TEXT)
		return pk_csv_bad_in(c->line, col, "field", f->name, "text "
				     "too long (%zu bytes, at most %zu)",
				     c->len, f->size - 1);
	if (rc == -ERANGE)
		return pk_csv_bad_in(c->line, col, "field", f->name, "'%s' is "
				     "out of the field's range", text);
	return pk_csv_bad_in(c->line, col, "field", f->name,
			     "expected %s, got '%s'",
			     f->type == PK_FIELD_DOUBLE ? "a number"
			     : f->type == PK_FIELD_U64 ? "a non-negative integer"
						       : "an integer",
			     text);
}

static int set_param(struct perfkit_record *rec, const struct column *col,
		     const struct pk_csv_cell *c, size_t i)
{
	struct perfkit_record_param *p;
	char buf[48];

	if (c->len > PERFKIT_RECORD_PARAM_VALUE_MAX)
		return pk_csv_bad_in(c->line, i + 1, "parameter", col->key,
				     "value '%s' too long (%zu bytes, at most "
				     "%d)", pk_csv_excerpt(c->p, c->len, buf),
				     c->len, PERFKIT_RECORD_PARAM_VALUE_MAX);
	if (rec->nparams == PERFKIT_RECORD_PARAMS_MAX)
		return pk_csv_bad_in(c->line, i + 1, "parameter", col->key,
				     "more than %d parameters in one record",
				     PERFKIT_RECORD_PARAMS_MAX);
	p = &rec->params[rec->nparams++];
	memcpy(p->key, col->key, col->keylen + 1);
	memcpy(p->value, c->p, c->len);
	p->value[c->len] = '\0';
	return 0;
}

static int set_extras(struct pk_csv_reader *r, const struct header *h,
		      struct perfkit_results *res, size_t index)
{
	for (size_t i = 0; i < h->ncols; i++) {
		const struct pk_csv_cell *c = &r->cells[i];
		char *v;
		int rc;

		if (h->cols[i].kind != COL_EXTRA || c->len == 0)
			continue;
		v = pk_csv_tmp_copy(r, c->p, c->len);
		if (!v)
			return -ENOMEM;
		rc = perfkit_results_extra_set(res, index, h->cols[i].key, v);
		if (rc == -EINVAL)
			return pk_csv_bad(c->line, i + 1, "column '%s' repeats "
					  "a parameter of the record",
					  h->cols[i].key);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int read_record(struct pk_csv_reader *r, const struct header *h,
		       struct perfkit_results *res)
{
	struct perfkit_record rec;
	int rc = 0;

	perfkit_record_init(&rec);
	for (size_t i = 0; i < h->ncols && rc == 0; i++) {
		const struct column *col = &h->cols[i];
		const struct pk_csv_cell *c = &r->cells[i];

		if (col->kind == COL_FIELD) {
			/* An empty number is the field's default. */
			if (c->len == 0 && col->field->type != PK_FIELD_TEXT)
				continue;
			rc = pk_record_field_parse(&rec, col->field, c->p, c->len);
			if (rc < 0)
				rc = field_error(c, i + 1, col->field, rc);
		} else if (col->kind == COL_PARAM && c->len > 0) {
			rc = set_param(&rec, col, c, i);
		}
	}
	if (rc == 0)
		rc = perfkit_results_append(res, &rec);
	if (rc == 0 && h->extras)
		rc = set_extras(r, h, res, perfkit_results_count(res) - 1);
	return rc;
}

static int read_rows(struct pk_csv_reader *r, const struct header *h,
		     struct perfkit_results *res)
{
	int rc;

	for (;;) {
		if (!pk_csv_skip_empty_lines(r)) {
			rc = r->more ? r->more(r) : 0;
			if (rc <= 0)
				return rc;
			continue;
		}
		rc = pk_csv_read_row(r, h->ncols);
		if (rc < 0)
			return rc;
		if (r->ncells != h->ncols) {
			const struct pk_csv_cell *c = &r->cells[r->ncells - 1];

			return pk_csv_bad(c->line, r->ncells + 1, "the row has "
					  "%zu cells, the header %zu",
					  r->ncells, h->ncols);
		}
		rc = read_record(r, h, res);
		if (rc < 0)
			return rc;
	}
}

int pk_csv_parse(struct pk_csv_reader *r, struct perfkit_results *res)
{
	struct header h = { 0 };
	int rc = pk_csv_read_metadata(r, res);

	if (rc == 0)
		return pk_csv_bad(r->line, 1, "no header row (the input holds "
				  "only metadata and blank lines)");
	if (rc > 0)
		rc = read_header(r, &h);
	if (rc == 0)
		rc = read_rows(r, &h, res);
	header_free(&h);
	return rc;
}

void pk_csv_reader_free(struct pk_csv_reader *r)
{
	free(r->cells);
	free(r->scratch);
	free(r->tmp);
}

int pk_results_parse_csv(const char *data, size_t len,
			 struct perfkit_results **out)
{
	struct pk_csv_reader r = { 0 };
	struct perfkit_results *res = NULL;
	int rc;

	if (!out || (!data && len))
		return pk_error(-EINVAL, "CSV: data and output are required");
	*out = NULL;
	if (len == 0)
		return pk_csv_bad(1, 1, "empty input");
	r.p = data;
	r.end = data + len;
	r.line = 1;
	/* Text is UTF-8, as JSON's: a bad byte is refused where it is
	 * read, with a NUL's line and column. */
	r.nul = pk_csv_first_bad_byte(data, len);
	/* A UTF-8 byte order mark, as spreadsheets write. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;
	/* Not perfkit_results_new(): the file's metadata only, no date or
	 * version of today's reader. */
	res = pk_results_alloc();
	rc = res ? pk_csv_parse(&r, res) : -ENOMEM;
	pk_csv_reader_free(&r);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc == -ENOMEM ? pk_error(-ENOMEM, "CSV: out of memory")
				     : rc;
	}
	*out = res;
	return 0;
}
