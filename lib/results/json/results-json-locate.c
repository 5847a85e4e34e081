/* SPDX-License-Identifier: MIT */
/*
 * Positions for errors jansson cannot report: it keeps no positions in the
 * values it returns, so a wrong type found after parsing would have no line.
 * This walks text jansson has already accepted (so it is valid JSON) just far
 * enough to find one member. It is not a parser: it never builds values and
 * runs only on the error path.
 */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

static size_t ws(const char *d, size_t n, size_t p)
{
	while (p < n && (d[p] == ' ' || d[p] == '\t' || d[p] == '\n' ||
			 d[p] == '\r'))
		p++;
	return p;
}

/* @p at a '"': just past the closing quote. */
static size_t skip_string(const char *d, size_t n, size_t p)
{
	for (p++; p < n && d[p] != '"'; p++)
		if (d[p] == '\\')
			p++;
	return p < n ? p + 1 : n;
}

static size_t skip_value(const char *d, size_t n, size_t p)
{
	size_t depth = 0;

	if (p < n && d[p] == '"')
		return skip_string(d, n, p);
	if (p < n && (d[p] == '{' || d[p] == '[')) {
		while (p < n) {
			if (d[p] == '"') {
				p = skip_string(d, n, p);
				continue;
			}
			if (d[p] == '{' || d[p] == '[')
				depth++;
			else if ((d[p] == '}' || d[p] == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return n;
	}
	while (p < n && !strchr(",}] \t\r\n", d[p]))
		p++;
	return p;
}

/* After a value: past the ',' that follows it, or n at the container's
 * end. */
static size_t next_item(const char *d, size_t n, size_t p)
{
	p = ws(d, n, skip_value(d, n, p));
	return p < n && d[p] == ',' ? ws(d, n, p + 1) : n;
}

/* @p at a '{': the offset of member @key's value, or 0 (never a value's
 * offset: the object starts before it). Keys with escapes never match. */
static size_t member(const char *d, size_t n, size_t p, const char *key)
{
	size_t klen = strlen(key);

	p = ws(d, n, p + 1);
	while (p < n && d[p] == '"') {
		size_t end = skip_string(d, n, p);
		int match = end - p == klen + 2 &&
			    memcmp(d + p + 1, key, klen) == 0;

		p = ws(d, n, end);
		if (p < n && d[p] == ':')
			p = ws(d, n, p + 1);
		if (match)
			return p;
		p = next_item(d, n, p);
	}
	return 0;
}

/* @p at a '[': the offset of element @index, or 0. */
static size_t element(const char *d, size_t n, size_t p, size_t index)
{
	p = ws(d, n, p + 1);
	for (size_t i = 0; p < n && d[p] != ']'; i++) {
		if (i == index)
			return p;
		p = next_item(d, n, p);
	}
	return 0;
}

size_t pk_json_locate(const char *data, size_t len, const char *array_key,
		      size_t index, const char *key)
{
	size_t obj = ws(data, len, 0), at;

	if (obj >= len || data[obj] != '{')
		return obj < len ? obj : 0;
	if (array_key) {
		at = member(data, len, obj, array_key);
		if (!at || data[at] != '[')
			return at ? at : obj;
		obj = element(data, len, at, index);
		if (!obj)
			return at;
		if (data[obj] != '{')
			return obj;
	}
	if (!key)
		return obj;
	at = member(data, len, obj, key);
	return at ? at : obj;
}

void pk_json_line_col(const char *data, size_t len, size_t offset, int *line,
		      int *column)
{
	int l = 1, c = 1;

	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)data[i] & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*column = c;
}

int pk_json_check_input(const char *data, size_t len)
{
	const char *nul;
	int line, column;

	if (ws(data, len, 0) == len)
		return pk_error(-EBADMSG, "line 1, column 1: empty input");
	/* jansson would reject a NUL too, but this names it plainly. */
	nul = memchr(data, '\0', len);
	if (nul) {
		pk_json_line_col(data, len, (size_t)(nul - data), &line,
				 &column);
		return pk_error(-EBADMSG, "line %d, column %d: NUL byte", line,
				column);
	}
	return 0;
}

int pk_json_load_error(const char *data, size_t len, const json_error_t *err,
		       int first_line, const struct pk_json_bare *bare)
{
	int line = first_line, column = -1;

	if (err->line >= 1 && err->column >= 1) {
		line = first_line + err->line - 1;
		column = err->column;
	} else if (err->position >= 0) {
		/* jansson gives no column at the end of the input. */
		pk_json_line_col(data, len, (size_t)err->position, &line,
				 &column);
		line += first_line - 1;
	}
	if (column >= 1)
		return pk_error(-EBADMSG, "line %d, column %d: %s", line,
				pk_json_bare_column(bare, line - first_line + 1,
						    column),
				err->text);
	return pk_error(-EBADMSG, "line %d: %s", line, err->text);
}

enum perfkit_format pk_json_sniff(const char *data, size_t len)
{
	size_t obj = ws(data, len, 0);

	if (obj >= len || data[obj] != '{' ||
	    member(data, len, obj, "schema"))
		return PERFKIT_FORMAT_JSON;
	if (member(data, len, obj, "benchmarks"))
		return PERFKIT_FORMAT_GBENCH;
	if (member(data, len, obj, "results"))
		return PERFKIT_FORMAT_HYPERFINE;
	return PERFKIT_FORMAT_JSON;
}
