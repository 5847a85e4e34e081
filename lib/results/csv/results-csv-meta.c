/* SPDX-License-Identifier: MIT */
/*
 * The metadata lines of a CSV result set: "# key=value" before the header
 * row, key and value percent-encoded; lines without '=' are comments. The
 * reserved keys (schema, schema_version, epoch_ns) are checked, the others
 * become the set's metadata.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "results-csv-read.h"
#include "results-format.h"
#include "results-private.h"

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
		    (hex(p[1]) | hex(p[2])) == 0) {
			size_t n = (size_t)(e - p) < 3 ? (size_t)(e - p) : 3;

			return pk_csv_bad(line, 1, "bad percent escape '%s' in "
					  "metadata (%%25 %%3D %%0D %%0A and "
					  "other %%XX but %%00)",
					  pk_csv_excerpt(p, n, buf));
		}
		*d++ = (char)(hex(p[1]) << 4 | hex(p[2]));
		p += 2;
	}
	*d = '\0';
	return 0;
}

/*
 * The reserved keys (schema, schema_version, epoch_ns) are written as they
 * are, once each, first; a set's own metadata key of the same name is
 * written with its first letter percent-encoded ("# %73chema=mine"), so
 * a reserved key is known by its raw text, and a second one is an error
 * (two files pasted together, or an edit gone wrong).
 */
enum { SCHEMA, VERSION, EPOCH, NRESERVED };
static const char *const reserved_names[NRESERVED] = { "schema",
						       "schema_version",
						       "epoch_ns" };

struct reserved {
	size_t line[NRESERVED]; /* where each was seen; 0: not yet */
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

static int check_version(const char *value, size_t line)
{
	char buf[48];
	double d;
	int64_t v;

	if (parse_nonneg(value, &v) == 0 && v == PERFKIT_RESULTS_SCHEMA_VERSION)
		return 0;
	/* Any other number, 2 or 1.9, is a version this reader lacks. */
	if (parse_nonneg(value, &v) == 0 ||
	    pk_text_to_double(value, strlen(value), &d) == 0)
		return pk_csv_bad(line, 1, "schema \"%s\" version %s is not "
				  "supported (this library reads version %d)",
				  PERFKIT_RESULTS_SCHEMA,
				  pk_csv_excerpt(value, strlen(value), buf),
				  PERFKIT_RESULTS_SCHEMA_VERSION);
	return pk_csv_bad(line, 1, "schema_version '%s' is not a positive "
			  "integer", pk_csv_excerpt(value, strlen(value), buf));
}

/* 1 when @raw (the key as written) is reserved and was handled, 0 when it
 * is a metadata key, or a negative errno. */
static int reserved_key(struct perfkit_results *res, struct reserved *seen,
			const char *raw, size_t rawlen, const char *value,
			size_t line)
{
	char buf[48];
	int64_t v;
	int k = 0;

	while (k < NRESERVED && !(strlen(reserved_names[k]) == rawlen &&
				  memcmp(reserved_names[k], raw, rawlen) == 0))
		k++;
	if (k == NRESERVED)
		return 0;
	if (seen->line[k])
		return pk_csv_bad(line, 1, "a second '%s' line (the first is "
				  "line %zu): one file's header only, please",
				  reserved_names[k], seen->line[k]);
	seen->line[k] = line;
	switch (k) {
	case SCHEMA:
		if (strcmp(value, PERFKIT_RESULTS_SCHEMA) != 0)
			return pk_csv_bad(line, 1, "schema '%s' is not '%s'",
					  pk_csv_excerpt(value, strlen(value),
							 buf),
					  PERFKIT_RESULTS_SCHEMA);
		return 1;
	case VERSION:
		return check_version(value, line) < 0 ? -EBADMSG : 1;
	default:
		if (parse_nonneg(value, &v) < 0)
			return pk_csv_bad(line, 1, "epoch_ns '%s' is not a "
					  "non-negative integer",
					  pk_csv_excerpt(value, strlen(value),
							 buf));
		perfkit_results_set_epoch_ns(res, v);
		return 1;
	}
}

static int read_meta_line(struct pk_csv_reader *r,
			  struct perfkit_results *res, struct reserved *seen)
{
	const char *p = r->p + 1, *eol, *e, *eq;
	size_t line = r->line;
	char *key, *value, buf[48];
	int rc;

	eol = memchr(p, '\n', (size_t)(r->end - p));
	if (!eol)
		eol = r->end;
	if (r->nul && r->nul < eol)
		return pk_csv_bad(line, 1, "%s", pk_csv_bad_byte(r, buf));
	r->p = eol < r->end ? eol + 1 : eol;
	r->line++;
	e = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
	if (p < e && *p == ' ')
		p++;
	eq = memchr(p, '=', (size_t)(e - p));
	if (!eq)
		return 0; /* a comment */
	if (eq == p)
		return pk_csv_bad(line, 1, "empty metadata key");
	if (pk_csv_grow((void **)&r->tmp, &r->tcap, (size_t)(e - p) + 2, 1) < 0)
		return -ENOMEM;
	key = r->tmp;
	value = r->tmp + (eq - p) + 1;
	if (pct_decode(p, eq, key, line) < 0 ||
	    pct_decode(eq + 1, e, value, line) < 0)
		return -EBADMSG;
	/* %XX may spell any byte: the text decoded is UTF-8 too. */
	if (pk_csv_first_bad_byte(key, strlen(key)) ||
	    pk_csv_first_bad_byte(value, strlen(value)))
		return pk_csv_bad(line, 1, "invalid UTF-8 in metadata once "
				  "its %%XX escapes are decoded");
	rc = reserved_key(res, seen, p, (size_t)(eq - p), value, line);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	rc = perfkit_results_meta_set(res, key, value);
	if (rc == -EINVAL)
		return pk_csv_bad(line, 1, "metadata key not accepted");
	return rc;
}

int pk_csv_read_metadata(struct pk_csv_reader *r, struct perfkit_results *res)
{
	struct reserved seen = { 0 };
	int rc;

	while (pk_csv_skip_empty_lines(r)) {
		if (*r->p != '#')
			return 1;
		rc = read_meta_line(r, res, &seen);
		if (rc < 0)
			return rc;
	}
	return 0;
}
