/* SPDX-License-Identifier: MIT */
/*
 * The simdjson JSON Lines reader straight from a file, a window of whole
 * lines at a time. Reading the whole file into memory first costs a fresh
 * page per 4 KiB of it, zeroed by the kernel and then copied into (about
 * a sixth of the read's time in bench-records), and 0.76 x the records'
 * size in peak memory; the window stays in the cache instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results-json-private.h"
#include "results-jsonl-fast.h"

#ifdef PK_HAVE_SIMDJSON
/* buf[start, end) is read but not yet parsed; PK_JSONL_PADDING bytes
 * follow buf[cap - 1], all of them always initialised. */
struct window {
	int fd;
	char *buf;
	size_t cap, start, end;
	int eof;
	int begun; /* a header call has seen the start of the file */
};

/* A window of @cap bytes (more than now), keeping its contents. */
static int resize(struct window *w, size_t cap)
{
	size_t old = w->buf ? w->cap + PK_JSONL_PADDING : 0;
	char *p;

	if (cap <= w->cap || cap > SIZE_MAX - PK_JSONL_PADDING)
		return -EAGAIN;
	p = realloc(w->buf, cap + PK_JSONL_PADDING);
	if (!p)
		return -EAGAIN;
	/* simdjson may read past a line's end: never uninitialised bytes. */
	memset(p + old, ' ', cap + PK_JSONL_PADDING - old);
	w->buf = p;
	w->cap = cap;
	return 0;
}

/* Keep what is not parsed, read at least once more: 0 or -EAGAIN. */
static int fill(struct window *w)
{
	ssize_t r;

	memmove(w->buf, w->buf + w->start, w->end - w->start);
	w->end -= w->start;
	w->start = 0;
	if (w->end == w->cap && resize(w, 2 * w->cap) < 0) /* a long line */
		return -EAGAIN;
	do
		r = read(w->fd, w->buf + w->end, w->cap - w->end);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -EAGAIN; /* the reader that follows names the error */
	w->end += (size_t)r;
	w->eof = r == 0;
	return 0;
}

/* The end of the whole lines in the window: after its last '\n', or all
 * of it at the end of the file. */
static size_t whole_lines(const struct window *w)
{
	const char *nl;

	if (w->eof)
		return w->end;
	nl = memrchr(w->buf + w->start, '\n', w->end - w->start);
	return nl ? (size_t)(nl - w->buf) + 1 : w->start;
}

/* The header (until it is read), then records, from the whole lines. */
static int parse(struct window *w, struct pk_jsonl_fast *f, int *header,
		 struct perfkit_results *res)
{
	size_t upto = whole_lines(w), next;
	int rc;

	if (*header && upto > w->start) {
		rc = pk_jsonl_fast_header(w->buf + w->start, upto - w->start,
					  !w->begun, res, &next);
		w->begun = 1;
		if (rc < 0)
			return rc;
		*header = rc == 0;
		w->start += next;
	}
	if (!*header && upto > w->start) {
		rc = pk_jsonl_fast_lines(f, w->buf + w->start, upto - w->start,
					 w->cap + PK_JSONL_PADDING - upto, res);
		if (rc < 0)
			return rc;
	}
	w->start = upto;
	return 0;
}

static int read_all(struct window *w, struct perfkit_results *res)
{
	struct pk_jsonl_fast *f = pk_jsonl_fast_new();
	int header = 1, rc = f ? 0 : -EAGAIN;

	while (rc == 0 && !w->eof) {
		rc = fill(w);
		if (rc == 0)
			rc = parse(w, f, &header, res);
	}
	pk_jsonl_fast_free(f);
	/* No header: the empty input is jansson's to name. */
	return rc < 0 ? rc : header ? -EAGAIN : 0;
}

int pk_jsonl_fast_read_into(int fd, size_t window, struct perfkit_results *res)
{
	struct window w = { .fd = fd };
	struct stat st;
	int rc;

	if (!res || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return -EAGAIN;
	rc = resize(&w, window);
	if (rc == 0)
		rc = read_all(&w, res);
	free(w.buf);
	return rc;
}

int pk_results_read_jsonl_fast(int fd, size_t window,
			       struct perfkit_results **out)
{
	struct perfkit_results *res = NULL;
	int rc;

	if (!out)
		return -EAGAIN;
	rc = pk_json_new_set(&res) < 0 ? -EAGAIN : 0;
	if (rc == 0)
		rc = pk_jsonl_fast_read_into(fd, window, res);
	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc;
	}
	*out = res;
	return 0;
}
#else
int pk_jsonl_fast_read_into(int fd, size_t window, struct perfkit_results *res)
{
	(void)fd;
	(void)window;
	(void)res;
	return -ENOTSUP;
}

int pk_results_read_jsonl_fast(int fd, size_t window,
			       struct perfkit_results **out)
{
	(void)fd;
	(void)window;
	(void)out;
	return -ENOTSUP;
}
#endif
