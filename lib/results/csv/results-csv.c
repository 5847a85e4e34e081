/* SPDX-License-Identifier: MIT */
/*
 * CSV writer of result sets: `# key=value` metadata lines, a header row (the
 * record fields, then `param.<key>` columns, then extra columns), one row
 * per record. The reader is lib/results/csv/results-csv-read.c (its tokenizer
 * results-csv-cells.c, its metadata lines results-csv-meta.c);
 * docs/results.md states the format.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-csv.h"

/* One growing output buffer; a failed allocation sticks until the end. */
struct out {
	char *p;
	size_t len, cap;
	int failed;
};

static int out_grow(struct out *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 4096;
	char *p;

	if (o->failed)
		return -1;
	while (cap - o->len < n) {
		if (cap > SIZE_MAX / 2) {
			o->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	p = realloc(o->p, cap);
	if (!p) {
		o->failed = 1;
		return -1;
	}
	o->p = p;
	o->cap = cap;
	return 0;
}

/* Room for @n more bytes (the common case is one compare). */
static inline int out_room(struct out *o, size_t n)
{
	return o->cap - o->len > n ? 0 : out_grow(o, n + 1);
}

static void out_put(struct out *o, const char *s, size_t n)
{
	if (out_room(o, n) == 0) {
		memcpy(o->p + o->len, s, n);
		o->len += n;
	}
}

static void out_char(struct out *o, char c)
{
	if (out_room(o, 1) == 0)
		o->p[o->len++] = c;
}

/* RFC 4180: quote a cell holding a comma, a quote, CR or LF. */
static void out_cell(struct out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == n) {
		out_put(o, s, n);
		return;
	}
	if (out_room(o, 2 * n + 2) < 0)
		return;
	o->p[o->len++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			o->p[o->len++] = '"';
		o->p[o->len++] = s[i];
	}
	o->p[o->len++] = '"';
}

/* Metadata text: '%', '=', CR and LF percent-encoded, all else as is. */
static void out_meta_text(struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': out_put(o, "%25", 3); break;
		case '=': out_put(o, "%3D", 3); break;
		case '\r': out_put(o, "%0D", 3); break;
		case '\n': out_put(o, "%0A", 3); break;
		default: out_char(o, *s); break;
		}
	}
}

/* A metadata key named as a reserved one (results-csv-meta.c) is written
 * with its first letter encoded, so that the reader tells them apart. */
static int reserved(const char *key)
{
	return !strcmp(key, "schema") || !strcmp(key, "schema_version") ||
	       !strcmp(key, "epoch_ns");
}

static void out_meta(struct out *o, const char *key, const char *value)
{
	char hex[4];

	out_put(o, "# ", 2);
	if (reserved(key)) {
		snprintf(hex, sizeof(hex), "%%%02X", (unsigned)key[0]);
		out_put(o, hex, 3);
		key++;
	}
	out_meta_text(o, key);
	out_char(o, '=');
	out_meta_text(o, value);
	out_char(o, '\n');
}

/* Decimal digits of @v, written backwards from @end; returns the start. */
static char *u64_digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/*
 * A double exactly as pk_double_to_text() writes it. Integral values below
 * 2^53 print as plain integers under "%.17g" too, so they skip snprintf().
 */
static void out_double(struct out *o, double v)
{
	char buf[PK_DOUBLE_TEXT_MAX], *s;
	int n;

	if (v >= -9007199254740992.0 && v <= 9007199254740992.0 &&
	    v == (double)(int64_t)v && !(v == 0 && signbit(v))) {
		int64_t i = (int64_t)v;

		s = u64_digits(i < 0 ? (uint64_t)-i : (uint64_t)i,
			       buf + sizeof(buf));
		if (i < 0)
			*--s = '-';
		out_put(o, s, (size_t)(buf + sizeof(buf) - s));
		return;
	}
	n = pk_double_to_text(v, buf, sizeof(buf));
	if (n > 0)
		out_put(o, buf, (size_t)n);
}

static void out_i64(struct out *o, int64_t v)
{
	char buf[24], *s;

	s = u64_digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, buf + sizeof(buf));
	if (v < 0)
		*--s = '-';
	out_put(o, s, (size_t)(buf + sizeof(buf) - s));
}

static void out_field(struct out *o, const struct perfkit_record *rec,
		      const struct pk_field *f)
{
	const char *p = (const char *)rec + f->offset;

	switch (f->type) {
	case PK_FIELD_TEXT:
		out_cell(o, p, strnlen(p, f->size));
		break;
	case PK_FIELD_I32: {
		int32_t x;
		memcpy(&x, p, sizeof(x));
		out_i64(o, x);
		break;
	}
	case PK_FIELD_U64: {
		uint64_t x;
		char buf[24], *s;
		memcpy(&x, p, sizeof(x));
		s = u64_digits(x, buf + sizeof(buf));
		out_put(o, s, (size_t)(buf + sizeof(buf) - s));
		break;
	}
	case PK_FIELD_I64: {
		int64_t x;
		memcpy(&x, p, sizeof(x));
		out_i64(o, x);
		break;
	}
	case PK_FIELD_DOUBLE: {
		double x;
		memcpy(&x, p, sizeof(x));
		out_double(o, x);
		break;
	}
	}
}

/* The union of the parameter keys and of the extra keys, first seen first. */
struct columns {
	struct pk_keyset params, extras;
	const char **cells; /* one row's param then extra values, NULL = unset */
};

static int collect_columns(const struct perfkit_results *res,
			   struct columns *c)
{
	size_t n = perfkit_results_count(res);

	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *rec;
		size_t ne = perfkit_results_extra_count(res, i);

		if (perfkit_results_get(res, i, &rec) < 0)
			return pk_error(-EINVAL, "record %zu is missing", i);
		for (uint32_t j = 0; j < rec->nparams; j++) {
			const char *k = rec->params[j].key;

			if (pk_keyset_add(&c->params, k,
					  strnlen(k, PERFKIT_RECORD_PARAM_KEY_MAX),
					  NULL) < 0)
				return -ENOMEM;
		}
		for (size_t j = 0; j < ne; j++) {
			const char *k = NULL;

			/* The set refuses "param.*" extras, which would
			 * read back as parameters. */
			if (perfkit_results_extra_get(res, i, j, &k, NULL) < 0 || !k)
				continue;
			if (pk_keyset_add(&c->extras, k, strlen(k), NULL) < 0)
				return -ENOMEM;
		}
	}
	if (c->params.n + c->extras.n > 0) {
		c->cells = calloc(c->params.n + c->extras.n, sizeof(*c->cells));
		if (!c->cells)
			return -ENOMEM;
	}
	return 0;
}

static void write_header(struct out *o, const struct columns *c)
{
	for (size_t i = 0; i < pk_record_field_count; i++) {
		if (i > 0)
			out_char(o, ',');
		out_cell(o, pk_record_fields[i].name,
			 strlen(pk_record_fields[i].name));
	}
	for (size_t i = 0; i < c->params.n; i++) {
		size_t n = c->params.len[i];

		char key[PERFKIT_RECORD_PARAM_KEY_MAX + 8];

		out_char(o, ',');
		memcpy(key, "param.", 6);
		memcpy(key + 6, c->params.keys[i], n);
		out_cell(o, key, n + 6);
	}
	for (size_t i = 0; i < c->extras.n; i++) {
		out_char(o, ',');
		out_cell(o, c->extras.keys[i], c->extras.len[i]);
	}
	out_char(o, '\n');
}

static void write_row(struct out *o, const struct perfkit_results *res,
		      size_t i, const struct perfkit_record *rec,
		      struct columns *c)
{
	size_t np = c->params.n, nx = c->extras.n, ne;

	for (size_t j = 0; j < pk_record_field_count; j++) {
		if (j > 0)
			out_char(o, ',');
		out_field(o, rec, &pk_record_fields[j]);
	}
	if (np + nx == 0) {
		out_char(o, '\n');
		return;
	}
	memset(c->cells, 0, (np + nx) * sizeof(*c->cells));
	for (uint32_t j = 0; j < rec->nparams; j++) {
		const char *k = rec->params[j].key;
		size_t col = pk_keyset_find(&c->params, k,
					    strnlen(k, PERFKIT_RECORD_PARAM_KEY_MAX));

		if (col < np)
			c->cells[col] = rec->params[j].value;
	}
	ne = perfkit_results_extra_count(res, i);
	for (size_t j = 0; j < ne; j++) {
		const char *k = NULL, *v = NULL;

		size_t col;

		if (perfkit_results_extra_get(res, i, j, &k, &v) < 0 || !k || !v)
			continue;
		col = pk_keyset_find(&c->extras, k, strlen(k));
		if (col < nx)
			c->cells[np + col] = v;
	}
	for (size_t j = 0; j < np + nx; j++) {
		const char *v = c->cells[j];

		out_char(o, ',');
		if (v)
			out_cell(o, v, j < np ? strnlen(v, PERFKIT_RECORD_PARAM_VALUE_MAX)
					      : strlen(v));
	}
	out_char(o, '\n');
}

static void write_meta(struct out *o, const struct perfkit_results *res)
{
	size_t n = perfkit_results_meta_count(res);

	out_put(o, "# schema=" PERFKIT_RESULTS_SCHEMA "\n# schema_version=",
		sizeof("# schema=" PERFKIT_RESULTS_SCHEMA "\n# schema_version=") - 1);
	out_i64(o, PERFKIT_RESULTS_SCHEMA_VERSION);
	out_put(o, "\n# epoch_ns=", 12);
	out_i64(o, perfkit_results_epoch_ns(res));
	out_char(o, '\n');
	for (size_t i = 0; i < n; i++) {
		const char *k = NULL, *v = NULL;

		if (perfkit_results_meta_at(res, i, &k, &v) == 0 && k)
			out_meta(o, k, v ? v : "");
	}
}

int pk_results_format_csv(const struct perfkit_results *res, char **data,
			  size_t *len)
{
	struct out o = { 0 };
	struct columns c = { 0 };
	size_t n = perfkit_results_count(res);
	int rc;

	if (!res || !data)
		return pk_error(-EINVAL, "CSV: result set and output are required");
	rc = collect_columns(res, &c);
	/* A row of numbers is about 200 bytes: start near the final size. */
	if (rc == 0 && out_grow(&o, n < SIZE_MAX / 256 ? 256 * n + 4096 : 4096) < 0)
		rc = -ENOMEM;
	if (rc == 0) {
		write_meta(&o, res);
		write_header(&o, &c);
		for (size_t i = 0; i < n && !o.failed; i++) {
			const struct perfkit_record *rec;

			if (perfkit_results_get(res, i, &rec) == 0)
				write_row(&o, res, i, rec, &c);
		}
		out_char(&o, '\0');
		if (o.failed)
			rc = -ENOMEM;
	}
	pk_keyset_free(&c.params);
	pk_keyset_free(&c.extras);
	free(c.cells);
	if (rc < 0) {
		free(o.p);
		return rc == -ENOMEM ? pk_error(-ENOMEM, "CSV: out of memory") : rc;
	}
	*data = o.p;
	if (len)
		*len = o.len - 1;
	return 0;
}
