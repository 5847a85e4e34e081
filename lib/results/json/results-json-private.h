/* SPDX-License-Identifier: MIT */
/*
 * Shared by the JSON document (results-json.c), JSON Lines (results-jsonl.c)
 * and stream (results-stream.c) code: a growing text buffer with a JSON
 * string escaper (the writers build text themselves: one buffer is much
 * faster than a jansson tree and json_dumps() per record), the record
 * encoding and decoding, and error positions.
 */
#ifndef PK_RESULTS_JSON_PRIVATE_H
#define PK_RESULTS_JSON_PRIVATE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "results-format.h"

/* Text that grows as needed; after a failed allocation every put is a no-op
 * and @failed says so, so writers check once at the end. */
struct pk_buf {
	char *data;
	size_t len, cap;
	int failed;
};

int pk_buf_grow(struct pk_buf *b, size_t more);
void pk_buf_put(struct pk_buf *b, const char *s, size_t n);
void pk_buf_puts(struct pk_buf *b, const char *s);
void pk_buf_put_u64(struct pk_buf *b, uint64_t v);
void pk_buf_put_i64(struct pk_buf *b, int64_t v);
/* @key as a JSON string and ':', after a ',' unless @first. */
void pk_buf_put_key(struct pk_buf *b, const char *key, int first);
/* A JSON string: quoted, escaped per RFC 8259; bytes that are not valid
 * UTF-8 become '?' (the length stays, so a name still fits its field). */
void pk_buf_put_jstring(struct pk_buf *b, const char *s, size_t n);
/* Hand the text over NUL-terminated (buffer freed on failure). */
int pk_buf_finish(struct pk_buf *b, char **data, size_t *len);

/* The JSON Lines header line (with its '\n') for @res; @res may be NULL
 * (epoch @epoch_ns, no metadata). */
void pk_json_put_header(struct pk_buf *b, const struct perfkit_results *res,
			int64_t epoch_ns);
/* One record object, compact, without a newline: the fields in table
 * order, "params" if any, then the extras of record @i of @res (@res may be
 * NULL for none). Text fields are read up to their size even unterminated. */
void pk_json_put_record(struct pk_buf *b, const struct perfkit_record *rec,
			const struct perfkit_results *res, size_t i);

/* Where decoding went wrong: the key (NULL for the object itself) and why. */
struct pk_json_fault {
	const char *key;
	char why[160];
};

/* Fill @fault and return -EBADMSG. */
int pk_json_fail(struct pk_json_fault *fault, const char *key,
		 const char *fmt, ...) PK_PRINTF(3, 4);
/* "an object", "a string", ... for messages. */
const char *pk_json_type_name(const json_t *v);

/*
 * Fill @rec (perfkit_record_init() first) from a record object. Returns 0,
 * or -EBADMSG with @fault filled; sets no error message. *@extras counts the
 * keys that are neither fields nor "params" (pk_json_record_extras() adds
 * them once the record is in the set).
 */
int pk_json_record_decode(json_t *obj, struct perfkit_record *rec,
			  size_t *extras, struct pk_json_fault *fault);
int pk_json_record_extras(json_t *obj, struct perfkit_results *res, size_t i,
			  struct pk_json_fault *fault);

/* Metadata from a "meta" object, or flattened from a "machine" object
 * ("machine." prefixed, nested keys joined by '.'). Non-string values are
 * kept as their compact JSON text. 0, -ENOMEM, or -EBADMSG with @fault. */
int pk_json_meta_read(json_t *meta, struct perfkit_results *res,
		      struct pk_json_fault *fault);
int pk_json_machine_read(json_t *machine, struct perfkit_results *res,
			 struct pk_json_fault *fault);
/* Check "schema" and "schema_version" of a header object. */
int pk_json_schema_check(json_t *root, struct pk_json_fault *fault);
/* Check "schema" and "schema_version", set the epoch from "epoch_ns", and
 * keep top-level keys other than those and @known as meta "json.<key>". */
int pk_json_header_read(json_t *root, struct perfkit_results *res,
			const char *const *known, struct pk_json_fault *fault);

/* A JSON value as compact text (strings unquoted); free() it. */
char *pk_json_text(json_t *v);

/*
 * Byte offset of a member in a document jansson has accepted: the root
 * object's member @key, or with @array_key the member @key of element
 * @index of the root's array @array_key (@key NULL: the element itself).
 * Falls back to the nearest enclosing position found. Only used to put a
 * line and column on errors jansson cannot see (wrong types).
 */
size_t pk_json_locate(const char *data, size_t len, const char *array_key,
		      size_t index, const char *key);
/* Line and column (1-based, columns in characters like jansson) of
 * @offset. */
void pk_json_line_col(const char *data, size_t len, size_t offset, int *line,
		      int *column);

/* -EBADMSG for empty input (only blanks) or a NUL byte, with the position;
 * else 0. */
int pk_json_check_input(const char *data, size_t len);
/* -EBADMSG naming jansson's line and column of a failed load of @data,
 * whose first line is line @first_line of the input; @bare (or NULL) maps
 * columns of a copy with bare NaN quoted back to the input's. */
struct pk_json_bare;
int pk_json_load_error(const char *data, size_t len, const json_error_t *err,
		       int first_line, const struct pk_json_bare *bare);
/* An empty set to read into (no metadata of its own). */
int pk_json_new_set(struct perfkit_results **out);

/*
 * Python's bare NaN, Infinity and -Infinity (results-json-bare.c): a copy
 * of @data with each one outside a string quoted, and where they were (in
 * the copy: line, column of the opening quote, length unquoted). 1 when
 * @b->text holds the copy (NUL-terminated), 0 when @data has none (@b is
 * empty), -ENOMEM. pk_json_bare_free() in every case.
 */
struct pk_json_bare_token {
	int line, column, len;
};
struct pk_json_bare {
	char *text;
	size_t len;
	struct pk_json_bare_token *at;
	size_t n, cap;
};
int pk_json_bare_quote(const char *data, size_t len, struct pk_json_bare *b);
/* A column on @line of the copy as a column of the text as given (@b may
 * be NULL or empty: no change). */
int pk_json_bare_column(const struct pk_json_bare *b, int line, int column);
void pk_json_bare_free(struct pk_json_bare *b);

/* Skip a UTF-8 byte order mark at the start of @data (3 bytes). */
static inline size_t pk_json_bom(const char *data, size_t len)
{
	return len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/* Read flags: duplicate keys are errors (which one would win is a guess). */
#define PK_JSON_LOAD_FLAGS JSON_REJECT_DUPLICATES

/* Readers of other tools' JSON (results-json-foreign.c). */
struct pk_foreign {
	const char *tool;  /* "Google Benchmark", "hyperfine" */
	const char *data;
	size_t len;
	const char *array; /* the top-level array of runs */
};
/* Load @data as one object; -EBADMSG "<tool> JSON: line, column: why". */
int pk_foreign_load(const char *tool, const char *data, size_t len,
		    json_t **root);
/* -EBADMSG naming line, column and the path "<array>[index].key" (@key
 * NULL: the element; @index (size_t)-1: the array itself). */
int pk_foreign_fail(const struct pk_foreign *f, size_t index, const char *key,
		    const char *fmt, ...) PK_PRINTF(4, 5);
/* Member @key of element @index as a double: 1 found, 0 absent and not
 * @required, -EBADMSG otherwise. */
int pk_foreign_number(const struct pk_foreign *f, json_t *obj, size_t index,
		      const char *key, int required, double *v);
/* Set the record's name, cut to PERFKIT_RECORD_NAME_MAX bytes at a
 * character boundary when longer. */
int pk_foreign_name(struct perfkit_record *rec, const char *name);

#endif /* PK_RESULTS_JSON_PRIVATE_H */
