/* SPDX-License-Identifier: MIT */
/*
 * The CSV reader's tokenizer: the cells of one row as pointer + length into
 * the input (quoted cells with doubled quotes are unescaped into one
 * reusable buffer), and the error messages with line and column. Lines are
 * physical lines from 1 (a quoted newline starts a new one), columns are
 * cell positions from 1. The per-cell functions stay static here, next to
 * their one caller pk_csv_read_row(), so that they are inlined into it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common.h"
#include "results-csv-read.h"

/* More columns than any set has; bounds memory on garbage input. */
#define CSV_MAX_COLUMNS (1u << 20)

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

int pk_csv_bad(size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vbad(line, col, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int pk_csv_bad_in(size_t line, size_t col, const char *kind, const char *name,
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

const char *pk_csv_excerpt(const char *p, size_t len, char buf[48])
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

const char *pk_csv_bad_byte(const struct pk_csv_reader *r, char buf[48])
{
	if (*r->nul == '\0')
		return "NUL byte in the input";
	snprintf(buf, 48, "invalid UTF-8 (byte 0x%02x)",
		 (unsigned)(unsigned char)*r->nul);
	return buf;
}

static int nul_error(const struct pk_csv_reader *r, const char *start,
		     size_t line, size_t col)
{
	char buf[48];

	return pk_csv_bad(line + count_newlines(start, r->nul), col, "%s",
			  pk_csv_bad_byte(r, buf));
}

/* Length of the valid UTF-8 sequence at @p (RFC 3629: no overlong form,
 * no surrogate, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

const char *pk_csv_first_bad_byte(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;

	while (p < end) {
		uint64_t w;

		/* Eight ASCII bytes but NUL at a time: the common case. */
		if (end - p >= 8) {
			memcpy(&w, p, 8);
			if (!(w & 0x8080808080808080u) &&
			    !((w - 0x0101010101010101u) & ~w &
			      0x8080808080808080u)) {
				p += 8;
				continue;
			}
		}
		if (*p == 0)
			return (const char *)p;
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = utf8_seq(p, end);

		if (!n)
			return (const char *)p;
		p += n;
	}
	return NULL;
}

int pk_csv_grow(void **p, size_t *cap, size_t need, size_t size)
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

char *pk_csv_tmp_copy(struct pk_csv_reader *r, const char *p, size_t len)
{
	if (pk_csv_grow((void **)&r->tmp, &r->tcap, len + 1, 1) < 0)
		return NULL;
	memcpy(r->tmp, p, len);
	r->tmp[len] = '\0';
	return r->tmp;
}

/* Copy a quoted cell's text to the scratch buffer, "" becoming ". */
static int unescape(struct pk_csv_reader *r, struct pk_csv_cell *c,
		    const char *p, const char *close)
{
	size_t n = (size_t)(close - p);
	char *d;

	if (pk_csv_grow((void **)&r->scratch, &r->scap, r->slen + n, 1) < 0)
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

static int read_quoted(struct pk_csv_reader *r, struct pk_csv_cell *c,
		       size_t col)
{
	const char *open = r->p, *q = open + 1, *close;
	int doubled = 0;

	for (;;) {
		close = memchr(q, '"', (size_t)(r->end - q));
		if (!close)
			return pk_csv_bad(c->line, col, "unterminated quoted "
					  "cell (the quote opens here)");
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
		return pk_csv_bad(r->line, col, "text after the closing quote");
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

static int read_plain(struct pk_csv_reader *r, struct pk_csv_cell *c,
		      size_t col)
{
	const char *p = scan_plain(r->p, r->end), *end = r->end;

	if (r->nul && r->nul < p)
		return nul_error(r, r->p, c->line, col);
	if (p < end && *p == '"')
		return pk_csv_bad(c->line, col, "quote inside an unquoted cell "
				  "(quote the whole cell, doubling inner "
				  "quotes)");
	if (p < end && *p == '\r' && !(p + 1 < end && p[1] == '\n'))
		return pk_csv_bad(c->line, col, "carriage return without a "
				  "line feed in an unquoted cell");
	c->p = r->p;
	c->len = (size_t)(p - r->p);
	r->p = p;
	return 0;
}

/* One cell and its terminator; *last is set when the row ended. */
static int read_cell(struct pk_csv_reader *r, struct pk_csv_cell *c,
		     size_t col, int *last)
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

int pk_csv_read_row(struct pk_csv_reader *r, size_t max)
{
	size_t limit = max ? max : CSV_MAX_COLUMNS;
	int last = 0, rc;

	r->ncells = 0;
	r->slen = 0;
	while (!last) {
		if (r->ncells == limit)
			return max ? pk_csv_bad(r->line, limit + 1,
						"more cells than the header's "
						"%zu columns", max)
				   : pk_csv_bad(r->line, limit + 1,
						"more than %zu columns", limit);
		if (r->ncells == r->cap &&
		    pk_csv_grow((void **)&r->cells, &r->cap, r->ncells + 1,
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
