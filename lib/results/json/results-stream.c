/* SPDX-License-Identifier: MIT */
/*
 * JSON Lines written as a run goes. Every line is written whole with one
 * write() loop and synced before the call returns, so a crash loses nothing
 * already written: at worst the file ends in part of one line, which the
 * reader reports while saying that all before it is valid.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "results-json-private.h"

struct perfkit_results_stream {
	int fd;
	char *path;
	off_t size;	    /* bytes of whole lines written */
	struct pk_buf line; /* reused for every record */
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -ENOSPC;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write the buffer as whole lines and sync; on failure cut the file back
 * to its last whole line so that later lines do not follow a torn one. */
static int put_lines(struct perfkit_results_stream *s, int full_sync)
{
	int rc = write_all(s->fd, s->line.data, s->line.len);

	if (rc == 0 && (full_sync ? fsync(s->fd) : fdatasync(s->fd)) < 0)
		rc = -errno;
	if (rc < 0) {
		if (ftruncate(s->fd, s->size) == 0)
			lseek(s->fd, s->size, SEEK_SET);
		return pk_error(-EIO, "%s: cannot write: %s", s->path,
				strerror(-rc));
	}
	s->size += (off_t)s->line.len;
	return 0;
}

/* A new file's name lives in its folder: sync that too. */
static void sync_folder(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put_set(struct pk_buf *b, const struct perfkit_results *res)
{
	size_t n = res ? perfkit_results_count(res) : 0;

	pk_json_put_header(b, res, res ? perfkit_results_epoch_ns(res) :
					 realtime_ns());
	for (size_t i = 0; i < n; i++) {
		const struct perfkit_record *rec;

		if (perfkit_results_get(res, i, &rec) < 0)
			continue;
		pk_json_put_record(b, rec, res, i);
		pk_buf_put(b, "\n", 1);
	}
}

/* Created or truncated; *@created says which, so a failure can undo
 * it. */
static int open_output(const char *path, int *created)
{
	const int flags = O_CREAT | O_WRONLY | O_CLOEXEC;
	int fd = open(path, flags | O_EXCL, 0644);

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, flags | O_TRUNC, 0644);
	return fd;
}

static void stream_free(struct perfkit_results_stream *s)
{
	free(s->line.data);
	free(s->path);
	free(s);
}

PERFKIT_EXPORT int perfkit_results_stream_open(const char *path,
					       const struct perfkit_results *res,
					       struct perfkit_results_stream **out)
{
	struct perfkit_results_stream *s;
	int rc, created;

	if (!path || !out)
		return pk_error(-EINVAL, "stream: NULL %s",
				path ? "output pointer" : "path");
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return pk_error(-ENOMEM, "stream %s: out of memory", path);
	}
	put_set(&s->line, res);
	if (s->line.failed) {
		stream_free(s);
		return pk_error(-ENOMEM, "stream %s: out of memory", path);
	}
	s->fd = open_output(path, &created);
	if (s->fd < 0) {
		rc = pk_error(-EIO, "%s: cannot create: %s", path,
			      strerror(errno));
		stream_free(s);
		return rc;
	}
	rc = put_lines(s, 1);
	if (rc < 0) {
		/* Leave no half-written header behind; remove only a file
		 * this call made (never, say, /dev/full). */
		if (created)
			unlink(path);
		else if (ftruncate(s->fd, 0) < 0)
			errno = 0; /* not a regular file: nothing to undo */
		close(s->fd);
		stream_free(s);
		return rc;
	}
	sync_folder(path);
	*out = s;
	return 0;
}

static int check_text(const char *s, size_t size, const char *what)
{
	return memchr(s, '\0', size) ? 0 :
	       pk_error(-EINVAL, "stream: the record's %s lacks its NUL", what);
}

/* What perfkit_results_append() refuses, so every line reads back. */
static int check_params(const struct perfkit_record *r)
{
	if (r->nparams > PERFKIT_RECORD_PARAMS_MAX)
		return pk_error(-EINVAL, "stream: record has %u parameters, at "
				"most %d allowed", (unsigned)r->nparams,
				PERFKIT_RECORD_PARAMS_MAX);
	for (uint32_t i = 0; i < r->nparams; i++) {
		const struct perfkit_record_param *p = &r->params[i];
		int rc = check_text(p->key, sizeof(p->key), "parameter key");

		if (rc == 0)
			rc = check_text(p->value, sizeof(p->value),
					"parameter value");
		if (rc < 0)
			return rc;
		if (p->key[0] == '\0' ||
		    pk_record_field_find(p->key, strlen(p->key)))
			return pk_error(-EINVAL, "stream: parameter key \"%s\" "
					"is empty or a field", p->key);
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(r->params[j].key, p->key) == 0)
				return pk_error(-EINVAL, "stream: parameter "
						"\"%s\" twice", p->key);
	}
	return 0;
}

/* The record as this library knows it: an older, shorter layout is copied
 * over defaults. */
static int copy_record(const struct perfkit_record *rec,
		       struct perfkit_record *copy)
{
	size_t n = rec->size < sizeof(*copy) ? rec->size : sizeof(*copy);
	int rc;

	if (rec->version == 0 || rec->size < 2 * sizeof(uint32_t))
		return pk_error(-EINVAL, "stream: record version %u, size %u: "
				"not initialised (perfkit_record_init)",
				(unsigned)rec->version, (unsigned)rec->size);
	perfkit_record_init(copy);
	memcpy(copy, rec, n);
	copy->size = sizeof(*copy);
	rc = check_text(copy->name, sizeof(copy->name), "name");
	if (rc == 0)
		rc = check_text(copy->host, sizeof(copy->host), "host");
	return rc < 0 ? rc : check_params(copy);
}

PERFKIT_EXPORT int perfkit_results_stream_write(struct perfkit_results_stream *stream,
						const struct perfkit_record *rec)
{
	struct perfkit_record copy;
	int rc;

	if (!stream || !rec)
		return pk_error(-EINVAL, "stream: NULL %s",
				stream ? "record" : "stream");
	rc = copy_record(rec, &copy);
	if (rc < 0)
		return rc;
	stream->line.len = 0;
	pk_json_put_record(&stream->line, &copy, NULL, 0);
	pk_buf_put(&stream->line, "\n", 1);
	if (stream->line.failed) {
		stream->line.failed = 0;
		return pk_error(-ENOMEM, "%s: out of memory", stream->path);
	}
	return put_lines(stream, 0);
}

PERFKIT_EXPORT int perfkit_results_stream_close(struct perfkit_results_stream *stream)
{
	int rc = 0;

	if (!stream)
		return 0;
	if (close(stream->fd) < 0)
		rc = pk_error(-EIO, "%s: close failed: %s", stream->path,
			      strerror(errno));
	stream_free(stream);
	return rc;
}
