/* SPDX-License-Identifier: MIT */
/*
 * CSV reader of result sets, one pass over the buffer: cells are pointer +
 * length into the input (quoted cells with doubled quotes are unescaped
 * into one reusable buffer), each record is built on the stack and appended.
 * Lines are physical lines from 1 (a quoted newline starts a new one),
 * columns are cell positions from 1.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "private.h"
#include "results-csv.h"
#include "results-private.h"

/* More columns than any set has; bounds memory on garbage input. */
#define CSV_MAX_COLUMNS (1u << 20)

struct cell {
	const char *p; /* NULL while the text is in the scratch buffer */
	size_t off, len;
	size_t line;   /* where the cell starts */
};

struct reader {
	const char *p, *end;
	const char *nul;   /* the first NUL byte of the input, or NULL */
	size_t line;	   /* physical line of p */
	struct cell *cells;
	size_t ncells, cap;
	char *scratch;	   /* unescaped quoted cells of the current row */
	size_t slen, scap;
	char *tmp;	   /* NUL-terminated copies of values */
	size_t tcap;
};

enum column_kind { COL_FIELD, COL_PARAM, COL_EXTRA };

struct column {
	enum column_kind kind;
	const struct pk_field *field;
	const char *key; /* parameter key or extra name, NUL-terminated */
	size_t keylen;
};

static int vbad(size_t line, size_t col, const char *what, const char *fmt,
		va_list ap)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (what)
		return pk_error(-EBADMSG, "line %zu, column %zu (%s): %s", line,
				col, what, msg);
	return pk_error(-EBADMSG, "line %zu, column %zu: %s", line, col, msg);
}

static int bad(size_t line, size_t col, const char *fmt, ...) PK_PRINTF(3, 4);

/* -EBADMSG with "line L, column C: message". */
static int bad(size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vbad(line, col, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

static int bad_in(size_t line, size_t col, const char *kind, const char *name,
		  const char *fmt, ...) PK_PRINTF(5, 6);

/* -EBADMSG with "line L, column C (field 'flops'): message". */
static int bad_in(size_t line, size_t col, const char *kind, const char *name,
		  const char *fmt, ...)
{
	char what[64];
	va_list ap;
	int rc;

	snprintf(what, sizeof(what), "%s '%s'", kind, name);
	va_start(ap, fmt);
	rc = vbad(line, col, what, fmt, ap);
	va_end(ap);
	return rc;
}

/* Up to 32 bytes of @p for a message: control bytes as '?', no cut
 * UTF-8 sequence, "..." when cut. */
static const char *excerpt(const char *p, size_t len, char buf[48])
{
	size_t n = len > 32 ? 32 : len;

	if (n < len)
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
	strcpy(buf + n, n < len ? "..." : "");
	return buf;
}

static size_t count_newlines(const char *p, const char *end)
{
	size_t n = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static int nul_error(const struct reader *r, const char *start, size_t line,
		     size_t col)
{
	return bad(line + count_newlines(start, r->nul), col,
		   "NUL byte in the input");
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* A NUL-terminated copy of a cell in r->tmp. */
static char *tmp_copy(struct reader *r, const char *p, size_t len)
{
	if (grow((void **)&r->tmp, &r->tcap, len + 1, 1) < 0)
		return NULL;
	memcpy(r->tmp, p, len);
	r->tmp[len] = '\0';
	return r->tmp;
}

/* Copy a quoted cell's text to the scratch buffer, "" becoming ". */
static int unescape(struct reader *r, struct cell *c, const char *p,
		    const char *close)
{
	size_t n = (size_t)(close - p);
	char *d;

	if (grow((void **)&r->scratch, &r->scap, r->slen + n, 1) < 0)
		return -ENOMEM;
	c->p = NULL;
	c->off = r->slen;
	d = r->scratch + r->slen;
	while (p < close) {
		*d++ = *p;
		p += *p == '"' ? 2 : 1;
	}
	c->len = (size_t)(d - (r->scratch + r->slen));
	r->slen += c->len;
	return 0;
}

static int read_quoted(struct reader *r, struct cell *c, size_t col)
{
	const char *open = r->p, *q = open + 1, *close;
	int doubled = 0;

	for (;;) {
		close = memchr(q, '"', (size_t)(r->end - q));
		if (!close)
			return bad(c->line, col, "unterminated quoted cell "
				   "(the quote opens here)");
		if (close + 1 < r->end && close[1] == '"') {
			doubled = 1;
			q = close + 2;
			continue;
		}
		break;
	}
	if (r->nul && r->nul < close)
		return nul_error(r, open, c->line, col);
	r->line += count_newlines(open + 1, close);
	if (doubled) {
		if (unescape(r, c, open + 1, close) < 0)
			return -ENOMEM;
	} else {
		c->p = open + 1;
		c->len = (size_t)(close - open - 1);
	}
	r->p = close + 1;
	if (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
	    !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n'))
		return bad(r->line, col, "text after the closing quote");
	return 0;
}

/* Bytes that end an unquoted cell, or are errors in one. */
static const unsigned char stop[256] = {
	[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1,
};

/* The first byte at or after @p that ends an unquoted cell. */
static const char *scan_plain(const char *p, const char *end)
{
#ifdef __SSE2__
	/* Sixteen bytes at a time: cells are short, rows are not. */
	const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');

	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, lf)),
			_mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, quote)));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#endif
	while (p < end && !stop[(unsigned char)*p])
		p++;
	return p;
}

static int read_plain(struct reader *r, struct cell *c, size_t col)
{
	const char *p = scan_plain(r->p, r->end), *end = r->end;

	if (r->nul && r->nul < p)
		return nul_error(r, r->p, c->line, col);
	if (p < end && *p == '"')
		return bad(c->line, col, "quote inside an unquoted cell "
			   "(quote the whole cell, doubling inner quotes)");
	if (p < end && *p == '\r' && !(p + 1 < end && p[1] == '\n'))
		return bad(c->line, col, "carriage return without a line feed "
			   "in an unquoted cell");
	c->p = r->p;
	c->len = (size_t)(p - r->p);
	r->p = p;
	return 0;
}

/* One cell and its terminator; *last is set when the row ended. */
static int read_cell(struct reader *r, struct cell *c, size_t col, int *last)
{
	int rc;

	c->line = r->line;
	rc = r->p < r->end && *r->p == '"' ? read_quoted(r, c, col)
					   : read_plain(r, c, col);
	if (rc < 0)
		return rc;
	if (r->p == r->end) {
		*last = 1;
	} else if (*r->p == ',') {
		r->p++;
	} else {
		r->p += *r->p == '\r' ? 2 : 1;
		r->line++;
		*last = 1;
	}
	return 0;
}

/* Skip empty lines; 1 when input remains. */
static int skip_empty_lines(struct reader *r)
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

/* The cells of one row; at most @max of them (0: up to CSV_MAX_COLUMNS). */
static int read_row(struct reader *r, size_t max)
{
	size_t limit = max ? max : CSV_MAX_COLUMNS;
	int last = 0, rc;

	r->ncells = 0;
	r->slen = 0;
	while (!last) {
		if (r->ncells == limit)
			return max ? bad(r->line, limit + 1,
					 "more cells than the header's %zu "
					 "columns", max)
				   : bad(r->line, limit + 1,
					 "more than %zu columns", limit);
		if (r->ncells == r->cap &&
		    grow((void **)&r->cells, &r->cap, r->ncells + 1,
			 sizeof(*r->cells)) < 0)
			return -ENOMEM;
		rc = read_cell(r, &r->cells[r->ncells], r->ncells + 1, &last);
		if (rc < 0)
			return rc;
		r->ncells++;
	}
	for (size_t i = 0; i < r->ncells; i++)
		if (!r->cells[i].p)
			r->cells[i].p = r->scratch + r->cells[i].off;
	return 0;
}

/* ---- metadata lines: "# key=value", percent-encoded ---- */

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode [p, e) to @d (room for e - p + 1 bytes), NUL-terminated. */
static int pct_decode(const char *p, const char *e, char *d, size_t line)
{
	char buf[48];

	for (; p < e; p++) {
		if (*p != '%') {
			*d++ = *p;
			continue;
		}
		if (e - p < 3 || hex(p[1]) < 0 || hex(p[2]) < 0 ||
		    (hex(p[1]) | hex(p[2])) == 0)
			return bad(line, 1, "bad percent escape '%s' in "
				   "metadata (%%25 %%3D %%0D %%0A and other "
				   "%%XX but %%00)",
				   excerpt(p, (size_t)(e - p) < 3 ? (size_t)(e - p) : 3, buf));
		*d++ = (char)(hex(p[1]) << 4 | hex(p[2]));
		p += 2;
	}
	*d = '\0';
	return 0;
}

/* Reserved keys are special the first time they appear only: the writer
 * puts them first, and a set's own "schema" key then follows. */
struct reserved {
	int schema, version, epoch;
};

static int parse_nonneg(const char *s, int64_t *v)
{
	int64_t x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || x > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		x = x * 10 + (*s - '0');
	}
	*v = x;
	return 0;
}

static int reserved_key(struct perfkit_results *res, struct reserved *seen,
			const char *key, const char *value, size_t line)
{
	char buf[48];
	int64_t v;

	if (strcmp(key, "schema") == 0 && !seen->schema++) {
		if (strcmp(value, PERFKIT_RESULTS_SCHEMA) != 0)
			return bad(line, 1, "schema '%s' is not '%s'",
				   excerpt(value, strlen(value), buf),
				   PERFKIT_RESULTS_SCHEMA);
		return 1;
	}
	if (strcmp(key, "schema_version") == 0 && !seen->version++) {
		if (parse_nonneg(value, &v) < 0 || v == 0)
			return bad(line, 1, "schema_version '%s' is not a "
				   "positive integer",
				   excerpt(value, strlen(value), buf));
		if (v > PERFKIT_RESULTS_SCHEMA_VERSION)
			return bad(line, 1, "schema_version %" PRId64 " is newer "
				   "than this reader's %d", v,
				   PERFKIT_RESULTS_SCHEMA_VERSION);
		return 1;
	}
	if (strcmp(key, "epoch_ns") == 0 && !seen->epoch++) {
		if (parse_nonneg(value, &v) < 0)
			return bad(line, 1, "epoch_ns '%s' is not a non-negative "
				   "integer", excerpt(value, strlen(value), buf));
		perfkit_results_set_epoch_ns(res, v);
		return 1;
	}
	return 0;
}

static int read_meta_line(struct reader *r, struct perfkit_results *res,
			  struct reserved *seen)
{
	const char *p = r->p + 1, *eol, *e, *eq;
	size_t line = r->line;
	char *key, *value;
	int rc;

	eol = memchr(p, '\n', (size_t)(r->end - p));
	if (!eol)
		eol = r->end;
	if (r->nul && r->nul < eol)
		return bad(line, 1, "NUL byte in the input");
	r->p = eol < r->end ? eol + 1 : eol;
	r->line++;
	e = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
	if (p < e && *p == ' ')
		p++;
	eq = memchr(p, '=', (size_t)(e - p));
	if (!eq)
		return 0; /* a comment */
	if (eq == p)
		return bad(line, 1, "empty metadata key");
	if (grow((void **)&r->tmp, &r->tcap, (size_t)(e - p) + 2, 1) < 0)
		return -ENOMEM;
	key = r->tmp;
	value = r->tmp + (eq - p) + 1;
	if (pct_decode(p, eq, key, line) < 0 ||
	    pct_decode(eq + 1, e, value, line) < 0)
		return -EBADMSG;
	rc = reserved_key(res, seen, key, value, line);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = perfkit_results_meta_set(res, key, value);
	if (rc == -EINVAL)
		return bad(line, 1, "metadata key not accepted");
	return rc;
}

/* Metadata lines up to the header row; 1 when a header row follows. */
static int read_metadata(struct reader *r, struct perfkit_results *res)
{
	struct reserved seen = { 0 };
	int rc;

	while (skip_empty_lines(r)) {
		if (*r->p != '#')
			return 1;
		rc = read_meta_line(r, res, &seen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

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
			return bad(line, c, "empty parameter key in 'param.'");
		if (col->keylen > PERFKIT_RECORD_PARAM_KEY_MAX)
			return bad(line, c, "parameter key '%s' too long (%zu "
				   "bytes, at most %d)",
				   excerpt(col->key, col->keylen, buf),
				   col->keylen, PERFKIT_RECORD_PARAM_KEY_MAX);
		if (pk_record_field_find(col->key, col->keylen))
			return bad(line, c, "parameter key '%s' names a record "
				   "field", col->key);
		return 0;
	}
	if (len == 6 && memcmp(name, "params", 6) == 0)
		return bad(line, c, "column 'params' is reserved (parameters "
			   "are 'param.<key>' columns)");
	col->kind = COL_EXTRA;
	col->key = name;
	col->keylen = len;
	return 0;
}

static int read_header(struct reader *r, struct header *h)
{
	struct pk_keyset seen = { 0 };
	size_t line = r->line, total = 0, nfields = 0, first;
	char *d, buf[48];
	int rc;

	rc = read_row(r, 0);
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
		const struct cell *c = &r->cells[i];

		memcpy(d, c->p, c->len);
		d[c->len] = '\0';
		if (c->len == 0)
			rc = bad(c->line, i + 1, "empty column name");
		else if ((rc = pk_keyset_add(&seen, d, c->len, &first)) == 0)
			rc = bad(c->line, i + 1, "column '%s' appears twice "
				 "(first as column %zu)",
				 excerpt(d, c->len, buf), first + 1);
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
		return bad(line, 1, "no perfkit columns in the header row "
			   "(expected names such as 'name', 'worker', "
			   "'elapsed')");
	return 0;
}

/* ---- rows ---- */

static int field_error(const struct cell *c, size_t col,
		       const struct pk_field *f, int rc)
{
	char buf[48];
	const char *text = excerpt(c->p, c->len, buf);

	if (f->type == PK_FIELD_TEXT)
		return bad_in(c->line, col, "field", f->name, "text too long "
			      "(%zu bytes, at most %zu)", c->len, f->size - 1);
	if (rc == -ERANGE)
		return bad_in(c->line, col, "field", f->name, "'%s' is out of "
			      "the field's range", text);
	return bad_in(c->line, col, "field", f->name, "expected %s, got '%s'",
		      f->type == PK_FIELD_DOUBLE ? "a number"
		      : f->type == PK_FIELD_U64 ? "a non-negative integer"
						: "an integer",
		      text);
}

static int set_param(struct perfkit_record *rec, const struct column *col,
		     const struct cell *c, size_t i)
{
	struct perfkit_record_param *p;
	char buf[48];

	if (c->len > PERFKIT_RECORD_PARAM_VALUE_MAX)
		return bad_in(c->line, i + 1, "parameter", col->key, "value "
			      "'%s' too long (%zu bytes, at most %d)",
			      excerpt(c->p, c->len, buf), c->len,
			      PERFKIT_RECORD_PARAM_VALUE_MAX);
	if (rec->nparams == PERFKIT_RECORD_PARAMS_MAX)
		return bad_in(c->line, i + 1, "parameter", col->key, "more "
			      "than %d parameters in one record",
			      PERFKIT_RECORD_PARAMS_MAX);
	p = &rec->params[rec->nparams++];
	memcpy(p->key, col->key, col->keylen + 1);
	memcpy(p->value, c->p, c->len);
	p->value[c->len] = '\0';
	return 0;
}

static int set_extras(struct reader *r, const struct header *h,
		      struct perfkit_results *res, size_t index)
{
	for (size_t i = 0; i < h->ncols; i++) {
		const struct cell *c = &r->cells[i];
		char *v;
		int rc;

		if (h->cols[i].kind != COL_EXTRA || c->len == 0)
			continue;
		v = tmp_copy(r, c->p, c->len);
		if (!v)
			return -ENOMEM;
		rc = perfkit_results_extra_set(res, index, h->cols[i].key, v);
		if (rc == -EINVAL)
			return bad(c->line, i + 1, "column '%s' repeats a "
				   "parameter of the record", h->cols[i].key);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int read_record(struct reader *r, const struct header *h,
		       struct perfkit_results *res)
{
	struct perfkit_record rec;
	int rc = 0;

	perfkit_record_init(&rec);
	for (size_t i = 0; i < h->ncols && rc == 0; i++) {
		const struct column *col = &h->cols[i];
		const struct cell *c = &r->cells[i];

		if (col->kind == COL_FIELD) {
			/* An empty number is the field's default. */
			if (c->len == 0 && col->field->type != PK_FIELD_TEXT)
				continue;
			rc = pk_csv_field_parse(&rec, col->field, c->p, c->len);
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

static int read_rows(struct reader *r, const struct header *h,
		     struct perfkit_results *res)
{
	int rc;

	while (skip_empty_lines(r)) {
		rc = read_row(r, h->ncols);
		if (rc < 0)
			return rc;
		if (r->ncells != h->ncols) {
			const struct cell *c = &r->cells[r->ncells - 1];

			return bad(c->line, r->ncells + 1, "the row has %zu "
				   "cells, the header %zu", r->ncells,
				   h->ncols);
		}
		rc = read_record(r, h, res);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int parse(struct reader *r, struct perfkit_results *res)
{
	struct header h = { 0 };
	int rc = read_metadata(r, res);

	if (rc == 0)
		return bad(r->line, 1, "no header row (the input holds only "
			   "metadata and blank lines)");
	if (rc > 0)
		rc = read_header(r, &h);
	if (rc == 0)
		rc = read_rows(r, &h, res);
	header_free(&h);
	return rc;
}

int pk_results_parse_csv(const char *data, size_t len,
			 struct perfkit_results **out)
{
	struct reader r = { 0 };
	struct perfkit_results *res = NULL;
	int rc;

	if (!out || (!data && len))
		return pk_error(-EINVAL, "CSV: data and output are required");
	*out = NULL;
	if (len == 0)
		return bad(1, 1, "empty input");
	r.p = data;
	r.end = data + len;
	r.line = 1;
	r.nul = memchr(data, '\0', len);
	/* A UTF-8 byte order mark, as spreadsheets write. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;
	/* Not perfkit_results_new(): the file's metadata only, no date or
	 * version of today's reader. */
	res = pk_results_alloc();
	rc = res ? parse(&r, res) : -ENOMEM;
	free(r.cells);
	free(r.scratch);
	free(r.tmp);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc == -ENOMEM ? pk_error(-ENOMEM, "CSV: out of memory")
				     : rc;
	}
	*out = res;
	return 0;
}
