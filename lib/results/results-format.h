/* SPDX-License-Identifier: MIT */
/*
 * Private contract between the result set (results.c), the file layer
 * (results-io.c) and the serialisers (csv/results-csv.c,
 * json/results-json.c). Serialisers use only the public API of the set
 * plus the field table below, so every format names and converts fields
 * alike.
 */
#ifndef PK_RESULTS_FORMAT_H
#define PK_RESULTS_FORMAT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "perfkit/record.h"

/* How a record field is stored in struct perfkit_record. */
enum pk_field_type {
	PK_FIELD_TEXT,	 /* char[size], NUL-terminated */
	PK_FIELD_I32,	 /* int32_t */
	PK_FIELD_U64,	 /* uint64_t */
	PK_FIELD_I64,	 /* int64_t */
	PK_FIELD_DOUBLE, /* double; NaN and infinities allowed */
};

struct pk_field {
	const char *name; /* column / key name in every format */
	enum pk_field_type type;
	size_t offset;	  /* offsetof(struct perfkit_record, ...) */
	size_t size;	  /* bytes of the member */
	int nonneg;	  /* a double that is never below 0 (NaN allowed) */
};

/* The record fields in file order (params are not in the table). */
extern const struct pk_field pk_record_fields[];
extern const size_t pk_record_field_count;

/* The field named by the first @len bytes of @name, or NULL. */
const struct pk_field *pk_record_field_find(const char *name, size_t len);

/*
 * A field's value as text: integers in decimal, doubles as
 * pk_double_to_text() writes them, text copied. -ERANGE if @buf is small.
 */
int pk_record_field_format(const struct perfkit_record *rec,
			   const struct pk_field *f, char *buf, size_t len);

/*
 * Whether @v may be stored in the double field @f: 0, or -ERANGE for a
 * value below zero in a field that has no sign (elapsed: a duration).
 * The one rule of every reader and of perfkit_results_append().
 */
static inline int pk_field_double_ok(const struct pk_field *f, double v)
{
	return f->nonneg && v < 0 ? -ERANGE : 0;
}

/*
 * Set a field from the first @len bytes of @text (the whole text must be the
 * value). Returns 0, -EBADMSG (not a number of the field's type) or -ERANGE
 * (out of the type's range, or text too long). Sets no error message: the
 * caller knows the line and column.
 */
int pk_record_field_parse(struct perfkit_record *rec, const struct pk_field *f,
			  const char *text, size_t len);

/*
 * Number text of every format (lib/results/results-number*.c*): exact,
 * '.' as the radix whatever LC_NUMERIC says. C++17 <charconv> where the
 * compiler has it, the C library under the "C" locale otherwise.
 */

/*
 * A double as "%.17g" writes it, which strtod() reads back to the same
 * bits, and "nan", "inf", "-inf" for the non-finite values ("-0" for
 * -0.0); NUL-terminated. Needs len >= PK_DOUBLE_TEXT_MAX. Returns the
 * length written (without the NUL), or -ERANGE.
 */
#define PK_DOUBLE_TEXT_MAX 32
int pk_double_to_text(double v, char *buf, size_t len);

/*
 * Parse exactly @len bytes as a double, shorter than PK_DOUBLE_READ_MAX:
 * decimal text as strtod() reads it ([+-]digits[.digits][e[+-]digits], or
 * starting with '.'; no blank, no hexadecimal), or a spelling of
 * pk_text_to_nonfinite(). 0, -EBADMSG, or -ERANGE for decimal text beyond
 * the range of a double (1e400: never infinity; tiny values become 0 or
 * subnormal, as in JSON).
 */
#define PK_DOUBLE_READ_MAX 64
int pk_text_to_double(const char *text, size_t len, double *v);

/*
 * The spellings of NaN and the infinities every reader takes, whole text,
 * any case, with an optional '+' or '-': "nan", "inf", "infinity" (so
 * "NaN", "Infinity", "-Infinity" of JSON writers, "nan", "inf", "-inf" of
 * ours). 0, or -EBADMSG for anything else ("nan(1)" included).
 */
int pk_text_to_nonfinite(const char *text, size_t len, double *v);

/*
 * Parse exactly @len bytes as a decimal integer ('-' allowed for the
 * signed one; no '+', no blank), shorter than PK_INT_READ_MAX. 0, -EBADMSG,
 * or -ERANGE outside [@lo, @hi] or the type's range.
 */
#define PK_INT_READ_MAX 32
int pk_text_to_i64(const char *text, size_t len, int64_t lo, int64_t hi,
		   int64_t *v);
int pk_text_to_u64(const char *text, size_t len, uint64_t *v);

/*
 * The same functions through snprintf() and strto*() under the "C" locale:
 * the fallback of the <charconv> ones for the forms they leave to the C
 * library, and the reference the tests hold them to.
 */
int pk_double_to_text_libc(double v, char *buf, size_t len);
int pk_text_to_double_libc(const char *text, size_t len, double *v);
int pk_text_to_i64_libc(const char *text, size_t len, int64_t lo, int64_t hi,
			int64_t *v);
int pk_text_to_u64_libc(const char *text, size_t len, uint64_t *v);

/* Serialisers: memory in, memory out (files are results-io.c's job). */
int pk_results_format_csv(const struct perfkit_results *res, char **data,
			  size_t *len);
int pk_results_parse_csv(const char *data, size_t len,
			 struct perfkit_results **out);
/* Resolve @format from @path (AUTO) and open @path if it is a regular
 * file (results-io.c): 0 or a negative errno with a message. */
int pk_results_open_file(const char *path, enum perfkit_format *format,
			 int *fd);
/*
 * CSV or JSON Lines from the regular file @fd (named @path in messages)
 * into the empty set @res a window at a time, so that a set with a sink
 * never holds more than its batch. -EAGAIN for the other formats, and for
 * JSON Lines the fast reader is not sure of: the set may hold records by
 * then, so read the file again, from its start, into a fresh set.
 */
int pk_results_stream_file(int fd, const char *path,
			   enum perfkit_format format,
			   struct perfkit_results *res);
/* perfkit_results_read() without the fast JSON Lines reader (for when it
 * has said no already). */
int pk_results_read_whole(const char *path, enum perfkit_format format,
			  struct perfkit_results **out);
/* The CSV of the regular file @fd into the empty set @res, a window of
 * rows at a time (csv/results-csv-file.c): 0 or a negative errno. */
int pk_results_read_csv_fd(int fd, struct perfkit_results *res);
/* The same with a first window of @window bytes (tests and fuzzing try
 * windows of a few bytes, where every row crosses one). */
int pk_csv_read_fd_window(int fd, size_t window, struct perfkit_results *res);
int pk_results_format_json(const struct perfkit_results *res, char **data,
			   size_t *len);
int pk_results_parse_json(const char *data, size_t len,
			  struct perfkit_results **out);
int pk_results_format_jsonl(const struct perfkit_results *res, char **data,
			    size_t *len);
int pk_results_parse_jsonl(const char *data, size_t len,
			   struct perfkit_results **out);

/* Other tools' JSON, read only (json/results-gbench.c,
 * json/results-hyperfine.c). */
int pk_results_parse_gbench(const char *data, size_t len,
			    struct perfkit_results **out);
int pk_results_parse_hyperfine(const char *data, size_t len,
			       struct perfkit_results **out);
/* Which JSON a document is, by its top-level keys: "schema" makes it
 * perfkit's, else "benchmarks" Google Benchmark's, else "results"
 * hyperfine's; anything else is left to the perfkit reader to refuse. */
enum perfkit_format pk_json_sniff(const char *data, size_t len);

#endif /* PK_RESULTS_FORMAT_H */
