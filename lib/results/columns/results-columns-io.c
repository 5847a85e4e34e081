/* SPDX-License-Identifier: MIT */
/*
 * Columns from a file (a streaming read whose sink is the columns), the
 * records back from columns, and what a caller sees of a column.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "results-columns.h"
#include "results-format.h"

/* CSV or JSON Lines through a batch of records: -EAGAIN when the file
 * must be read whole instead. */
static int stream(struct perfkit_columns *cs, int fd, const char *path,
		  enum perfkit_format format)
{
	int rc;

	cs->meta->sink = &cs->sink;
	rc = pk_results_stream_file(fd, path, format, cs->meta);
	if (rc == 0)
		rc = pk_results_sink_flush(cs->meta);
	cs->meta->sink = NULL;
	return rc;
}

/* The whole-file reader (the fast JSON Lines one said no already). */
static int read_whole(const char *path, enum perfkit_format format,
		      struct perfkit_columns **out)
{
	struct perfkit_results *res;
	int rc = pk_results_read_whole(path, format, &res);

	if (rc == 0)
		rc = perfkit_columns_from_results(res, out);
	perfkit_results_destroy(res);
	return rc;
}

PERFKIT_EXPORT int perfkit_columns_read(const char *path,
					enum perfkit_format format,
					struct perfkit_columns **out)
{
	enum perfkit_format concrete = format;
	struct perfkit_columns *cs = NULL;
	int fd, rc;

	if (!path || !out)
		return pk_error(-EINVAL, "columns_read: %s is NULL",
				!path ? "path" : "out");
	*out = NULL;
	rc = pk_results_open_file(path, &concrete, &fd);
	if (rc < 0)
		return rc;
	cs = pk_columns_new();
	rc = cs ? stream(cs, fd, path, concrete) :
		  pk_error(-ENOMEM, "columns_read: out of memory");
	close(fd);
	if (rc == -EAGAIN) {
		perfkit_columns_destroy(cs);
		return read_whole(path, format, out);
	}
	if (rc < 0) {
		perfkit_columns_destroy(cs);
		return rc;
	}
	*out = cs;
	return 0;
}

PERFKIT_EXPORT size_t perfkit_columns_rows(const struct perfkit_columns *cs)
{
	return cs ? cs->rows : 0;
}

PERFKIT_EXPORT size_t perfkit_columns_count(const struct perfkit_columns *cs)
{
	return cs ? cs->ncols : 0;
}

PERFKIT_EXPORT const struct perfkit_results *
perfkit_columns_meta(const struct perfkit_columns *cs)
{
	return cs ? cs->meta : NULL;
}

PERFKIT_EXPORT int perfkit_columns_at(const struct perfkit_columns *cs,
				      size_t i, const struct perfkit_column **col)
{
	if (!cs || !col)
		return pk_error(-EINVAL, "columns_at: %s is NULL",
				!cs ? "cols" : "col");
	if (i >= cs->ncols)
		return pk_error(-EINVAL, "columns_at: column %zu, there are "
				"%zu", i, cs->ncols);
	*col = &cs->cols[i].desc;
	return 0;
}

PERFKIT_EXPORT int perfkit_columns_find(const struct perfkit_columns *cs,
					enum perfkit_column_kind kind,
					const char *name,
					const struct perfkit_column **col)
{
	if (!cs || !name || !col)
		return pk_error(-EINVAL, "columns_find: %s is NULL",
				!cs ? "cols" : !name ? "name" : "col");
	if (kind != PERFKIT_COLUMN_FIELD && kind != PERFKIT_COLUMN_PARAM &&
	    kind != PERFKIT_COLUMN_EXTRA)
		return pk_error(-EINVAL, "columns_find: unknown kind %d",
				(int)kind);
	for (size_t i = 0; i < cs->ncols; i++) {
		if (cs->cols[i].desc.kind == kind &&
		    strcmp(cs->cols[i].name, name) == 0) {
			*col = &cs->cols[i].desc;
			return 0;
		}
	}
	return pk_error(-ENOENT, "columns_find: no %s column '%s'",
			kind == PERFKIT_COLUMN_FIELD ? "field" :
			kind == PERFKIT_COLUMN_PARAM ? "parameter" : "extra",
			name);
}

/* The text of row @row in column @c, or NULL where it has none. */
static const char *text_at(const struct pk_column *c, size_t row)
{
	int32_t code = ((const int32_t *)(const void *)c->data)[row];

	return code < 0 ? NULL : c->dict.keys[code];
}

/* Record @row from the field and parameter columns. */
static int rebuild(const struct perfkit_columns *cs, size_t row,
		   struct perfkit_record *rec)
{
	int rc = 0;

	perfkit_record_init(rec);
	for (size_t k = 0; k < cs->ncols && rc == 0; k++) {
		const struct pk_column *c = &cs->cols[k];
		const char *v;

		if (c->desc.kind == PERFKIT_COLUMN_FIELD && c->desc.type != PERFKIT_COLUMN_TEXT) {
			memcpy((char *)rec + c->offset, c->data + row * c->width,
			       c->width);
		} else if (c->desc.kind == PERFKIT_COLUMN_FIELD) {
			v = text_at(c, row);
			strcpy((char *)rec + c->offset, v ? v : "");
		} else if (c->desc.kind == PERFKIT_COLUMN_PARAM &&
			   (v = text_at(c, row)) != NULL) {
			rc = perfkit_record_set_param(rec, c->name, v);
		}
	}
	return rc;
}

static int add_row(const struct perfkit_columns *cs, size_t row,
		   struct perfkit_results *res)
{
	struct perfkit_record rec;
	int rc = rebuild(cs, row, &rec);

	if (rc == 0)
		rc = perfkit_results_append(res, &rec);
	for (size_t k = pk_record_field_count; k < cs->ncols && rc == 0; k++) {
		const struct pk_column *c = &cs->cols[k];
		const char *v = c->desc.kind == PERFKIT_COLUMN_EXTRA ?
					text_at(c, row) : NULL;

		if (v)
			rc = perfkit_results_extra_set(res, row, c->name, v);
	}
	return rc;
}

PERFKIT_EXPORT int perfkit_columns_to_results(const struct perfkit_columns *cs,
					      struct perfkit_results **out)
{
	struct perfkit_results *res;
	int rc;

	if (!cs || !out)
		return pk_error(-EINVAL, "columns_to_results: %s is NULL",
				!cs ? "cols" : "out");
	*out = NULL;
	res = pk_results_alloc();
	rc = res ? pk_results_copy_meta(res, cs->meta) : -ENOMEM;
	if (rc == 0) {
		res->epoch_ns = cs->meta->epoch_ns;
		rc = pk_results_reserve(res, cs->rows);
	}
	for (size_t i = 0; rc == 0 && i < cs->rows; i++)
		rc = add_row(cs, i, res);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc == -ENOMEM ? pk_error(rc, "columns_to_results: out "
						"of memory") : rc;
	}
	*out = res;
	return 0;
}
