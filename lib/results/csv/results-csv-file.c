/* SPDX-License-Identifier: MIT */
/*
 * The CSV reader straight from a file, a window of whole rows at a time:
 * the file is never in memory whole (1,000,000 records are 166 MB of
 * text; the window stays in the cache).
 *
 * A window ends just after a line feed that ends a row, not one in a
 * quoted cell: rows_end() reads quotes as the tokenizer does. The
 * metadata lines before the header ("# key=value", where quotes mean
 * nothing) are stepped over first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "results-csv.h"
#include "results-csv-read.h"
#include "results-private.h"

/* The first window; it doubles while a row does not fit. */
#define CSV_WINDOW ((size_t)256 << 10)
#define NO_ROW SIZE_MAX

struct csv_file {
	int fd;
	size_t window; /* the first buffer's size */
	char *buf;
	size_t cap, len; /* buf holds len bytes of the file */
	int eof;
};

/* Read until the buffer is full or the file ends: 0 or -EIO. */
static int fill(struct csv_file *f)
{
	while (f->len < f->cap && !f->eof) {
		ssize_t n = read(f->fd, f->buf + f->len, f->cap - f->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pk_error(-EIO, "cannot read: %s", strerror(errno));
		f->eof = n == 0;
		f->len += (size_t)n;
	}
	return 0;
}

static int grow(struct csv_file *f)
{
	size_t cap = f->cap ? 2 * f->cap : f->window;
	char *p = cap > f->cap ? realloc(f->buf, cap) : NULL;

	if (!p)
		return pk_error(-ENOMEM, "CSV: out of memory for a row of "
				"more than %zu bytes", f->cap);
	f->buf = p;
	f->cap = cap;
	return 0;
}

/*
 * Just after the last row's line feed in buf[from, len), a row starting
 * at @from; all of it at the end of the file; NO_ROW when no row ends
 * there yet. Quotes are read as the tokenizer reads them: one opens a
 * quoted cell only at a cell's start, and in one a doubled quote is a
 * quote and a single one closes it. Any other quote is an error the
 * parser will report, so its row ends at its next line feed as usual.
 */
static size_t rows_end(const struct csv_file *f, size_t from)
{
	const char *b = f->buf, *nl;
	size_t last = NO_ROW;
	enum { START, PLAIN, QUOTED } st = START;

	if (f->eof)
		return f->len;
	nl = memrchr(b + from, '\n', f->len - from);
	if (!nl)
		return NO_ROW;
	if (!memchr(b + from, '"', (size_t)(nl - (b + from))))
		return (size_t)(nl - b) + 1; /* no quote: the common case */
	for (size_t i = from; i < f->len; i++) {
		char c = b[i];

		if (st == QUOTED) {
			if (c != '"')
				continue;
			if (i + 1 == f->len)
				break; /* a closing or a doubled quote: not yet known */
			if (b[i + 1] == '"')
				i++;
			else
				st = PLAIN; /* what follows it is the parser's to judge */
		} else if (c == '\n') {
			last = i + 1;
			st = START;
		} else {
			st = c == ',' ? START : c == '"' && st == START ? QUOTED : PLAIN;
		}
	}
	return last;
}

/* Where the header row starts after the blank and metadata lines from
 * @from, or NO_ROW when the buffer ends first. */
static size_t header_start(const struct csv_file *f, size_t from)
{
	const char *b = f->buf, *nl;
	size_t i = from;

	for (;;) {
		if (i == f->len)
			return f->eof ? i : NO_ROW;
		if (b[i] == '\n') {
			i++;
		} else if (b[i] == '\r' && i + 1 < f->len && b[i + 1] == '\n') {
			i += 2;
		} else if (b[i] == '\r' && i + 1 == f->len && !f->eof) {
			return NO_ROW;
		} else if (b[i] == '#') {
			nl = memchr(b + i, '\n', f->len - i);
			if (!nl)
				return f->eof ? f->len : NO_ROW;
			i = (size_t)(nl - b) + 1;
		} else {
			return i;
		}
	}
}

/* Point the reader at buf[start, end). */
static void show(struct pk_csv_reader *r, const struct csv_file *f,
		 size_t start, size_t end)
{
	r->p = f->buf + start;
	r->end = f->buf + end;
	r->nul = pk_csv_first_bad_byte(r->p, end - start);
}

/* The first window: the metadata, the header and the rows that follow,
 * up to the end of a row. */
static int first_window(struct pk_csv_reader *r, struct csv_file *f)
{
	size_t from = 0, head, end = NO_ROW;
	int rc;

	for (;;) {
		rc = f->len == f->cap ? grow(f) : 0;
		if (rc == 0)
			rc = fill(f);
		if (rc < 0)
			return rc;
		/* A UTF-8 byte order mark, as spreadsheets write. */
		from = f->len >= 3 && memcmp(f->buf, "\xef\xbb\xbf", 3) == 0;
		from *= 3;
		head = header_start(f, from);
		if (head != NO_ROW)
			end = rows_end(f, head);
		if (end != NO_ROW && (end > head || f->eof))
			break;
	}
	if (f->len == 0)
		return pk_csv_bad(1, 1, "empty input");
	show(r, f, from, end);
	return 0;
}

/* The reader's more(): the rows after the window it used up. */
static int next_window(struct pk_csv_reader *r)
{
	struct csv_file *f = r->src;
	size_t used = (size_t)(r->end - f->buf), end;
	int rc;

	memmove(f->buf, f->buf + used, f->len - used);
	f->len -= used;
	for (;;) {
		rc = fill(f);
		if (rc < 0)
			return rc;
		end = rows_end(f, 0);
		if (end == 0)
			return 0; /* the end of the file */
		if (end != NO_ROW)
			break;
		rc = grow(f);
		if (rc < 0)
			return rc;
	}
	show(r, f, 0, end);
	return 1;
}

int pk_results_read_csv_fd(int fd, struct perfkit_results *res)
{
	return pk_csv_read_fd_window(fd, CSV_WINDOW, res);
}

int pk_csv_read_fd_window(int fd, size_t window, struct perfkit_results *res)
{
	struct csv_file f = { .fd = fd, .window = window ? window : 1 };
	struct pk_csv_reader r = { .line = 1, .more = next_window, .src = &f };
	int rc = first_window(&r, &f);

	if (rc == 0)
		rc = pk_csv_parse(&r, res);
	pk_csv_reader_free(&r);
	free(f.buf);
	return rc == -ENOMEM ? pk_error(-ENOMEM, "CSV: out of memory") : rc;
}
