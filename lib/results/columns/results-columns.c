/* SPDX-License-Identifier: MIT */
/*
 * A result set as columns: the record's fields in the CSV header's order,
 * then a column per parameter key and per extra column as they are first
 * met. Records come in batches (the drain of a streaming read's sink, or
 * a whole set); numbers are copied field by field down the batch, text
 * becomes a code into the column's distinct values, the last one checked
 * first (runs of one name or host are the common case).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"
#include "results-columns.h"
#include "results-format.h"

#define FIRST_ROWS 1024

static enum perfkit_column_type type_of(enum pk_field_type t)
{
	switch (t) {
	case PK_FIELD_I32:
		return PERFKIT_COLUMN_INT32;
	case PK_FIELD_U64:
		return PERFKIT_COLUMN_UINT64;
	case PK_FIELD_I64:
		return PERFKIT_COLUMN_INT64;
	case PK_FIELD_DOUBLE:
		return PERFKIT_COLUMN_DOUBLE;
	default:
		return PERFKIT_COLUMN_TEXT;
	}
}

/*
 * Room for @rows rows in column @c. Columns are mapped, not allocated:
 * mremap() grows one without a copy, and one of 2 MiB or more asks for
 * transparent huge pages (as numpy does for its arrays), a fault per
 * 2 MiB instead of per 4 KiB where the kernel allows it.
 */
static int reserve(struct pk_column *c, size_t rows)
{
	size_t cap = c->cap ? c->cap : FIRST_ROWS, page = 4096, bytes;
	void *p;

	if (rows <= c->cap)
		return 0;
	while (cap < rows) {
		if (cap > SIZE_MAX / 4 / c->width)
			return -ENOMEM;
		cap *= 2;
	}
	bytes = (cap * c->width + page - 1) / page * page;
	p = c->data ? mremap(c->data, c->bytes, bytes, MREMAP_MAYMOVE) :
		      mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
#ifdef MADV_HUGEPAGE
	if (bytes >= ((size_t)2 << 20))
		(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	c->data = p;
	c->bytes = bytes;
	c->cap = bytes / c->width;
	return 0;
}

/* A new column at the end (its rows so far: no value). */
static int add_column(struct perfkit_columns *cs, const char *name,
		      enum perfkit_column_kind kind, enum perfkit_column_type type,
		      size_t *index)
{
	struct pk_column *c;

	if (cs->ncols == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 32;
		void *p = realloc(cs->cols, cap * sizeof(*cs->cols));

		if (!p)
			return -ENOMEM;
		cs->cols = p;
		cs->cap = cap;
	}
	c = &cs->cols[cs->ncols];
	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	if (!c->name)
		return -ENOMEM;
	c->desc.kind = kind;
	c->desc.type = type;
	c->width = type == PERFKIT_COLUMN_TEXT || type == PERFKIT_COLUMN_INT32 ?
			   4 : 8;
	c->last = -1;
	*index = cs->ncols++;
	return 0;
}

/* The code of text @s in column @c, added if new. */
static int text_code(struct pk_column *c, const char *s, size_t len,
		     int32_t *code)
{
	size_t i;
	char *copy;

	if (c->last >= 0 && c->dict.len[c->last] == len &&
	    memcmp(c->dict.keys[c->last], s, len) == 0) {
		*code = c->last;
		return 0;
	}
	i = pk_keyset_find(&c->dict, s, len);
	if (i == SIZE_MAX) {
		if (c->dict.n >= INT32_MAX)
			return pk_error(-ERANGE, "columns: more than %d distinct "
					"values in column '%s'", INT32_MAX,
					c->name);
		copy = strndup(s, len);
		if (!copy || pk_keyset_add(&c->dict, copy, len, &i) < 0) {
			free(copy);
			return -ENOMEM;
		}
	}
	c->last = (int32_t)i;
	*code = c->last;
	return 0;
}

/* What perfkit_columns_at() shows of @c: its arrays move as they grow. */
static void describe(struct pk_column *c)
{
	struct perfkit_column *d = &c->desc;

	d->name = c->name;
	d->data = c->data;
	d->nvalues = d->type == PERFKIT_COLUMN_TEXT ? c->dict.n : 0;
	d->values = d->type == PERFKIT_COLUMN_TEXT ?
			    (const char *const *)c->dict.keys : NULL;
}

/* No value in the rows of @c before @row. */
static void fill_to(struct pk_column *c, size_t row)
{
	for (int32_t *d = (int32_t *)(void *)c->data; c->n < row; c->n++)
		d[c->n] = -1;
}

static void free_column(struct pk_column *c)
{
	for (size_t i = 0; i < c->dict.n; i++)
		free((char *)c->dict.keys[i]);
	pk_keyset_free(&c->dict);
	if (c->data)
		munmap(c->data, c->bytes);
	free(c->name);
}

PERFKIT_EXPORT void perfkit_columns_destroy(struct perfkit_columns *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->ncols; i++)
		free_column(&cs->cols[i]);
	free(cs->cols);
	pk_keyset_free(&cs->params);
	pk_keyset_free(&cs->extras);
	free(cs->param_col);
	free(cs->extra_col);
	perfkit_results_destroy(cs->meta);
	free(cs);
}

struct perfkit_columns *pk_columns_new(void)
{
	struct perfkit_columns *cs = calloc(1, sizeof(*cs));
	size_t k;
	int rc = cs ? 0 : -ENOMEM;

	if (cs) {
		cs->sink.drain = pk_columns_drain;
		cs->sink.batch = 4096;
		cs->meta = pk_results_alloc();
		rc = cs->meta ? 0 : -ENOMEM;
	}
	for (size_t i = 0; rc == 0 && i < pk_record_field_count; i++) {
		const struct pk_field *f = &pk_record_fields[i];

		rc = add_column(cs, f->name, PERFKIT_COLUMN_FIELD,
				type_of(f->type), &k);
		if (rc == 0) {
			cs->cols[k].offset = f->offset;
			describe(&cs->cols[k]);
		}
	}
	if (rc < 0) {
		perfkit_columns_destroy(cs);
		return NULL;
	}
	return cs;
}

/* The column of parameter or extra @key, made if new. */
static int keyed_column(struct perfkit_columns *cs, enum perfkit_column_kind kind,
			const char *key, size_t rows, size_t *index)
{
	struct pk_keyset *set = kind == PERFKIT_COLUMN_PARAM ? &cs->params :
							       &cs->extras;
	size_t **map = kind == PERFKIT_COLUMN_PARAM ? &cs->param_col :
						      &cs->extra_col;
	size_t len = strlen(key), k = pk_keyset_find(set, key, len), col;
	size_t *p;
	int rc;

	if (k != SIZE_MAX) {
		*index = (*map)[k];
		return 0;
	}
	rc = add_column(cs, key, kind, PERFKIT_COLUMN_TEXT, &col);
	if (rc == 0)
		rc = reserve(&cs->cols[col], rows);
	if (rc < 0)
		return rc;
	p = realloc(*map, (set->n + 1) * sizeof(**map));
	if (!p)
		return -ENOMEM;
	*map = p;
	if (pk_keyset_add(set, cs->cols[col].name, len, &k) < 0)
		return -ENOMEM;
	p[k] = col;
	*index = col;
	return 0;
}

/* Row @row of parameter or extra @key is @value. */
static int set_keyed(struct perfkit_columns *cs, enum perfkit_column_kind kind,
		     const char *key, const char *value, size_t row, size_t rows)
{
	struct pk_column *c;
	size_t col;
	int32_t code = -1;
	int rc = keyed_column(cs, kind, key, rows, &col);

	if (rc < 0)
		return rc;
	c = &cs->cols[col];
	rc = text_code(c, value, strlen(value), &code);
	if (rc < 0)
		return rc;
	fill_to(c, row);
	((int32_t *)(void *)c->data)[row] = code;
	c->n = row + 1;
	return 0;
}

/* Field column @c for records @recs[0, n) at rows from @base. */
static int fill_field(struct pk_column *c, const struct perfkit_record *recs,
		      size_t n, size_t base)
{
	int32_t *codes;
	int rc;

	/* A fixed size per loop: memcpy() becomes one load and one store. */
	if (c->width == 8 && c->desc.type != PERFKIT_COLUMN_TEXT) {
		for (size_t i = 0; i < n; i++)
			memcpy(c->data + (base + i) * 8,
			       (const char *)&recs[i] + c->offset, 8);
	} else if (c->desc.type != PERFKIT_COLUMN_TEXT) {
		for (size_t i = 0; i < n; i++)
			memcpy(c->data + (base + i) * 4,
			       (const char *)&recs[i] + c->offset, 4);
	}
	codes = c->desc.type == PERFKIT_COLUMN_TEXT && n ?
			(int32_t *)(void *)c->data + base : NULL;
	for (size_t i = 0; codes && i < n; i++) {
		const char *s = (const char *)&recs[i] + c->offset;

		rc = text_code(c, s, strlen(s), &codes[i]);
		if (rc < 0)
			return rc;
	}
	c->n = base + n;
	return 0;
}

/* The parameters and extra columns of record @i of @res at row @row. */
static int fill_keyed(struct perfkit_columns *cs,
		      const struct perfkit_results *res, size_t i, size_t row,
		      size_t rows)
{
	const struct perfkit_record *rec = &res->recs[i];
	const struct pk_extras *x = res->extras ? res->extras[i] : NULL;
	int rc = 0;

	for (uint32_t j = 0; rc == 0 && j < rec->nparams; j++)
		rc = set_keyed(cs, PERFKIT_COLUMN_PARAM, rec->params[j].key,
			       rec->params[j].value, row, rows);
	for (size_t j = 0; rc == 0 && x && j < x->n; j++)
		rc = set_keyed(cs, PERFKIT_COLUMN_EXTRA, x->kv[j].key,
			       x->kv[j].value, row, rows);
	return rc;
}

int pk_columns_drain(struct pk_results_sink *sink,
		     const struct perfkit_results *res)
{
	struct perfkit_columns *cs = (struct perfkit_columns *)sink;
	size_t base = cs->rows, rows = base + res->n;
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < cs->ncols; k++)
		rc = reserve(&cs->cols[k], rows);
	for (size_t k = 0; rc == 0 && k < pk_record_field_count; k++)
		rc = fill_field(&cs->cols[k], res->recs, res->n, base);
	for (size_t i = 0; rc == 0 && i < res->n; i++)
		rc = fill_keyed(cs, res, i, base + i, rows);
	if (rc < 0)
		return rc == -ENOMEM ? pk_error(rc, "columns: out of memory") :
				       rc;
	for (size_t k = pk_record_field_count; k < cs->ncols; k++)
		fill_to(&cs->cols[k], rows);
	cs->rows = rows;
	for (size_t k = 0; k < cs->ncols; k++)
		describe(&cs->cols[k]);
	return 0;
}

PERFKIT_EXPORT int perfkit_columns_from_results(const struct perfkit_results *res,
						struct perfkit_columns **out)
{
	struct perfkit_columns *cs;
	int rc;

	if (!res || !out)
		return pk_error(-EINVAL, "columns_from_results: %s is NULL",
				!res ? "res" : "out");
	*out = NULL;
	cs = pk_columns_new();
	rc = cs ? pk_results_copy_meta(cs->meta, res) : -ENOMEM;
	if (rc == 0) {
		cs->meta->epoch_ns = res->epoch_ns;
		rc = pk_columns_drain(&cs->sink, res);
	}
	if (rc < 0) {
		perfkit_columns_destroy(cs);
		return rc == -ENOMEM ? pk_error(rc, "columns: out of memory") :
				       rc;
	}
	*out = cs;
	return 0;
}
