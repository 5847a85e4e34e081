/* SPDX-License-Identifier: MIT */
/*
 * Bare NaN, Infinity and -Infinity, as Python's json.dump() writes
 * non-finite floats. They are not JSON and jansson (2.14) has no flag for
 * them, so a copy of the text gets them quoted ("NaN" is what our writers
 * put there), and error columns are mapped back to the text as given.
 * Only text with a candidate outside a string is copied: our own files,
 * whose "NaN" is always quoted, pass through untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "results-json-private.h"

static const char *const tokens[] = { "-Infinity", "Infinity", "NaN" };

static int word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == '+' ||
	       c == '-' || c >= 0x80;
}

/* The length of the token at data[i] standing alone, or 0. */
static size_t token_at(const char *data, size_t len, size_t i)
{
	if (i > 0 && word_byte((unsigned char)data[i - 1]))
		return 0;
	for (size_t k = 0; k < sizeof(tokens) / sizeof(tokens[0]); k++) {
		size_t n = strlen(tokens[k]);

		if (len - i >= n && memcmp(data + i, tokens[k], n) == 0 &&
		    (i + n == len || !word_byte((unsigned char)data[i + n])))
			return n;
	}
	return 0;
}

/* Whether a token may stand outside a string: a cheap look first, since
 * quoted "NaN" and "Infinity" are common and bare ones are rare. */
static int maybe_bare(const char *data, size_t len)
{
	static const char *const words[] = { "NaN", "Infinity" };

	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(words[k]);
		const char *p = data, *end = data + len;

		while ((p = memmem(p, (size_t)(end - p), words[k], n))) {
			const char *q = p > data && p[-1] == '-' ? p - 1 : p;

			if (q == data || q[-1] != '"')
				return 1;
			p += n;
		}
	}
	return 0;
}

static int add_token(struct pk_json_bare *b, int line, int column, size_t n)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;
		void *p = realloc(b->at, cap * sizeof(*b->at));

		if (!p)
			return -ENOMEM;
		b->at = p;
		b->cap = cap;
	}
	b->at[b->n].line = line;
	b->at[b->n].column = column;
	b->at[b->n].len = (int)n;
	b->n++;
	return 0;
}

int pk_json_bare_quote(const char *data, size_t len, struct pk_json_bare *b)
{
	struct pk_buf out = { 0 };
	int in_string = 0, line = 1, column = 1;
	size_t i = 0;

	memset(b, 0, sizeof(*b));
	if (!maybe_bare(data, len))
		return 0;
	while (i < len) {
		unsigned char c = (unsigned char)data[i];
		size_t n = in_string ? 0 : token_at(data, len, i);

		if (n) {
			if (add_token(b, line, column, n) < 0)
				break;
			pk_buf_put(&out, "\"", 1);
			pk_buf_put(&out, data + i, n);
			pk_buf_put(&out, "\"", 1);
			column += (int)n + 2;
			i += n;
			continue;
		}
		if (in_string && c == '\\' && i + 1 < len) {
			pk_buf_put(&out, data + i, 2);
			column += 2; /* an escape is ASCII */
			i += 2;
			continue;
		}
		if (c == '"')
			in_string = !in_string;
		if (c == '\n')
			line++, column = 1;
		else if ((c & 0xc0) != 0x80)
			column++;
		pk_buf_put(&out, data + i, 1);
		i++;
	}
	if (i < len || out.failed) {
		free(out.data);
		pk_json_bare_free(b);
		return -ENOMEM;
	}
	if (b->n == 0) {
		free(out.data);
		return 0;
	}
	pk_buf_put(&out, "", 1); /* NUL-terminated, not counted */
	if (out.failed) {
		free(out.data);
		pk_json_bare_free(b);
		return -ENOMEM;
	}
	b->text = out.data;
	b->len = out.len - 1;
	return 1;
}

int pk_json_bare_column(const struct pk_json_bare *b, int line, int column)
{
	int shift = 0;

	for (size_t k = 0; b && k < b->n; k++) {
		const struct pk_json_bare_token *t = &b->at[k];

		if (t->line != line || column <= t->column)
			continue;
		/* After the token's closing quote, or inside it. */
		shift += column > t->column + t->len + 1 ? 2 : 1;
	}
	return column - shift;
}

void pk_json_bare_free(struct pk_json_bare *b)
{
	free(b->text);
	free(b->at);
	memset(b, 0, sizeof(*b));
}
