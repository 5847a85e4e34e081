/* SPDX-License-Identifier: MIT */
/*
 * The simdjson fast path of the JSON Lines reader (lib/results/json/results-jsonl-fast.cc,
 * built only where simdjson is found). It reads the common shape of record
 * lines exactly as the jansson reader would, and says -EAGAIN ("not sure")
 * for anything else, so that the jansson reader, the reference, decides.
 */
#ifndef PK_RESULTS_JSONL_FAST_H
#define PK_RESULTS_JSONL_FAST_H

#include <stddef.h>

#include "perfkit/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes after a line that simdjson may read (SIMDJSON_PADDING, checked
 * where simdjson is included). */
#define PK_JSONL_PADDING 64

/* The parser and its buffers, kept from one block of lines to the next;
 * NULL when out of memory. */
struct pk_jsonl_fast;
struct pk_jsonl_fast *pk_jsonl_fast_new(void);
void pk_jsonl_fast_free(struct pk_jsonl_fast *f);

/*
 * Append the records of the whole lines in @data (the last one may lack its
 * '\n') to @res, as pk_jsonl_fast_records() does; @padding bytes after
 * @data + @len may be read (their values do not matter).
 */
int pk_jsonl_fast_lines(struct pk_jsonl_fast *f, const char *data,
			size_t len, size_t padding,
			struct perfkit_results *res);

/*
 * Append the records of the JSON Lines in @data (the lines after the
 * header) to @res. 0, or -EAGAIN for anything it does not read exactly like
 * the jansson reader (the set is then half filled: the caller discards it).
 * Sets no error message.
 */
int pk_jsonl_fast_records(const char *data, size_t len,
			  struct perfkit_results *res);

/*
 * The whole reader: the header through jansson, the records through
 * pk_jsonl_fast_records(). 0, -EAGAIN (not sure: use the jansson reader),
 * -ENOMEM, or -ENOTSUP where the fast path is not built.
 */
int pk_results_parse_jsonl_fast(const char *data, size_t len,
				struct perfkit_results **out);

/*
 * The header through jansson: the first line of @data that is not blank,
 * if one ends in @data. 1 when it is read (*@next: the offset after it),
 * 0 when @data holds blank lines only (*@next = @len), -EAGAIN when not
 * sure of it. The lines must be whole (the last one may lack its '\n').
 * @at_start: @data is the start of the input, where a byte order mark is
 * skipped.
 */
int pk_jsonl_fast_header(const char *data, size_t len, int at_start,
			 struct perfkit_results *res, size_t *next);

/*
 * The whole reader on an open regular file, read from its current offset
 * in blocks of @window bytes (grown for a longer line) rather than in one
 * copy: the records are the only big allocation. 0, or -EAGAIN for
 * anything else (not a regular file, a read error, anything the fast path
 * is not sure of, no memory; read the file again from its start), or
 * -ENOTSUP where the fast path is not built. Sets no error message that
 * counts.
 */
int pk_results_read_jsonl_fast(int fd, size_t window,
			       struct perfkit_results **out);
/* The same into the empty set @res (a streaming read's, with a sink). */
int pk_jsonl_fast_read_into(int fd, size_t window, struct perfkit_results *res);

/* The window perfkit_results_read() gives it: stays in the cache. */
#define PK_JSONL_WINDOW ((size_t)256 << 10)

/* The jansson reader alone (the reference the fast path is tested against). */
int pk_results_parse_jsonl_jansson(const char *data, size_t len,
				   struct perfkit_results **out);

#ifdef __cplusplus
}
#endif

#endif /* PK_RESULTS_JSONL_FAST_H */
