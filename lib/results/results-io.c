/* SPDX-License-Identifier: MIT */
/* Files of result sets: the format a name implies, atomic writes (a
 * temporary file beside the destination, fsync, rename, fsync of the
 * folder) and whole-file reads handed to the serialisers. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "results-format.h"
#include "results-jsonl-fast.h"
#include "results-private.h"

PERFKIT_EXPORT int perfkit_format_from_path(const char *path,
					    enum perfkit_format *format)
{
	static const struct {
		const char *ext;
		enum perfkit_format format;
	} exts[] = {
		{ ".csv", PERFKIT_FORMAT_CSV },
		{ ".json", PERFKIT_FORMAT_JSON },
		{ ".jsonl", PERFKIT_FORMAT_JSONL },
		{ ".ndjson", PERFKIT_FORMAT_JSONL },
	};
	const char *base, *dot;

	if (!path || !format)
		return pk_error(-EINVAL, "format_from_path: %s is NULL",
				!path ? "path" : "format");
	base = strrchr(path, '/');
	dot = strrchr(base ? base : path, '.');
	for (size_t i = 0; dot && i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (strcasecmp(dot, exts[i].ext) == 0) {
			*format = exts[i].format;
			return 0;
		}
	}
	return pk_error(-ENOTSUP, "%s: unknown extension (want .csv, .json, "
			".jsonl or .ndjson)", path);
}

/* @format made concrete: AUTO resolved from @path (if given). */
static int resolve(enum perfkit_format *format, const char *path)
{
	switch (*format) {
	case PERFKIT_FORMAT_CSV:
	case PERFKIT_FORMAT_JSON:
	case PERFKIT_FORMAT_JSONL:
	case PERFKIT_FORMAT_GBENCH:
	case PERFKIT_FORMAT_HYPERFINE:
		return 0;
	case PERFKIT_FORMAT_AUTO:
		if (path)
			return perfkit_format_from_path(path, format);
		break;
	}
	return pk_error(-EINVAL, "unknown or not concrete format %d",
			(int)*format);
}

PERFKIT_EXPORT int perfkit_results_format(const struct perfkit_results *res,
					  enum perfkit_format format,
					  char **data, size_t *len)
{
	size_t n;
	int rc;

	if (!res || !data)
		return pk_error(-EINVAL, "results_format: %s is NULL",
				!res ? "res" : "data");
	rc = resolve(&format, NULL);
	if (rc < 0)
		return rc;
	switch (format) {
	case PERFKIT_FORMAT_GBENCH:
	case PERFKIT_FORMAT_HYPERFINE:
		return pk_error(-ENOTSUP, "the %s format is only read, never "
				"written", format == PERFKIT_FORMAT_GBENCH ?
				"Google Benchmark" : "hyperfine");
	case PERFKIT_FORMAT_CSV:
		rc = pk_results_format_csv(res, data, &n);
		break;
	case PERFKIT_FORMAT_JSON:
		rc = pk_results_format_json(res, data, &n);
		break;
	default:
		rc = pk_results_format_jsonl(res, data, &n);
		break;
	}
	if (rc == 0 && len)
		*len = n;
	return rc;
}

PERFKIT_EXPORT int perfkit_results_parse(const char *data, size_t len,
					 enum perfkit_format format,
					 struct perfkit_results **out)
{
	int rc;

	if (!data || !out)
		return pk_error(-EINVAL, "results_parse: %s is NULL",
				!data ? "data" : "out");
	rc = resolve(&format, NULL);
	if (rc < 0)
		return rc;
	switch (format) {
	case PERFKIT_FORMAT_CSV:
		return pk_results_parse_csv(data, len, out);
	case PERFKIT_FORMAT_JSON:
		return pk_results_parse_json(data, len, out);
	case PERFKIT_FORMAT_GBENCH:
		return pk_results_parse_gbench(data, len, out);
	case PERFKIT_FORMAT_HYPERFINE:
		return pk_results_parse_hyperfine(data, len, out);
	default:
		return pk_results_parse_jsonl(data, len, out);
	}
}

/* -EIO naming @path and errno's text. */
static int io_error(const char *what, const char *path)
{
	return pk_error(-EIO, "%s %s: %s", what, path, strerror(errno));
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The mode a new file gets from open(0666): mkstemp() makes 0600. The
 * umask is read from /proc because umask() would change it, racing other
 * threads; an existing destination keeps its mode. */
static mode_t new_mode(const char *path)
{
	struct stat st;
	unsigned mask = 077;
	char line[128];
	FILE *f;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_mode & 07777;
	f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &mask) == 1)
			break;
	if (f)
		fclose(f);
	return 0666 & ~(mode_t)mask;
}

/* fsync the folder holding @path so the rename itself is durable. */
static int sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) :
			    strdup(".");
	int fd, rc = 0;

	if (!dir)
		return pk_error(-ENOMEM, "results_write: out of memory");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Some file systems cannot fsync a folder (EINVAL): nothing lost. */
	if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP))
		rc = io_error("cannot sync the folder", dir);
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* Write @data to a temporary file beside @path, then rename it over. */
static int replace_file(const char *path, const char *data, size_t len)
{
	char *tmp = malloc(strlen(path) + sizeof(".tmp.XXXXXX"));
	int fd, rc = 0;

	if (!tmp)
		return pk_error(-ENOMEM, "results_write: out of memory");
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = io_error("cannot create a temporary file for", path);
		free(tmp);
		return rc;
	}
	if (fchmod(fd, new_mode(path)) != 0 || write_all(fd, data, len) != 0 ||
	    fsync(fd) != 0)
		rc = io_error("cannot write", tmp);
	if (close(fd) != 0 && rc == 0)
		rc = io_error("cannot close", tmp);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = io_error("cannot rename the temporary file to", path);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc < 0 ? rc : sync_dir(path);
}

PERFKIT_EXPORT int perfkit_results_write(const struct perfkit_results *res,
					 const char *path,
					 enum perfkit_format format)
{
	char *data;
	size_t len;
	int rc;

	if (!res || !path)
		return pk_error(-EINVAL, "results_write: %s is NULL",
				!res ? "res" : "path");
	rc = resolve(&format, path);
	if (rc == 0)
		rc = perfkit_results_format(res, format, &data, &len);
	if (rc < 0)
		return rc;
	rc = replace_file(path, data, len);
	free(data);
	return rc;
}

/* What a file that is not a regular one is, for messages. */
static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

/*
 * Open @path for reading if it is a regular file. Anything else is
 * refused before a byte is read: a FIFO without a writer would block for
 * ever and /dev/zero would fill memory (a size cap would only turn that
 * into a truncated read). O_NONBLOCK keeps the open of a FIFO from waiting
 * for a writer; it is cleared again for the reads.
 */
static int open_regular(const char *path, int *out)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc = 0;

	if (fd < 0)
		return errno == ENOENT ?
			       pk_error(-ENOENT, "cannot open %s: %s", path,
					strerror(errno)) :
			       io_error("cannot open", path);
	if (fstat(fd, &st) != 0)
		rc = io_error("cannot stat", path);
	else if (S_ISDIR(st.st_mode))
		rc = pk_error(-EIO, "cannot read %s: it is a folder", path);
	else if (!S_ISREG(st.st_mode))
		rc = pk_error(-ENOTSUP, "cannot read %s: %s, not a regular "
			      "file (read it into memory and call "
			      "perfkit_results_parse())", path,
			      file_kind(st.st_mode));
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
		rc = io_error("cannot read", path);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* The whole of the regular file @fd in memory (NUL-terminated, not
 * counted in @len). */
static int slurp(int fd, const char *path, char **data, size_t *len)
{
	struct stat st;
	size_t cap, n = 0;
	char *buf;

	if (fstat(fd, &st) != 0)
		return io_error("cannot stat", path);
	/* One spare byte: the read that meets end of file needs no growth. */
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 2 :
						      4096;
	buf = malloc(cap);
	for (;;) {
		ssize_t r;

		if (buf && n + 1 == cap) {
			char *p = cap <= SIZE_MAX / 2 ? realloc(buf, 2 * cap) :
							NULL;
			if (!p)
				free(buf);
			buf = p;
			cap *= 2;
		}
		if (!buf)
			return pk_error(-ENOMEM, "cannot read %s: out of memory",
					path);
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return io_error("cannot read", path);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

/* JSON Lines through the simdjson reader straight from the file (no copy
 * of it in memory); -EAGAIN, the file back at its start, when that reader
 * is not built or not sure: the whole file then goes to the reference. */
static int read_fast(int fd, const char *path, enum perfkit_format format,
		     struct perfkit_results **out)
{
	int rc;

	if (format != PERFKIT_FORMAT_JSONL)
		return -EAGAIN;
	rc = pk_results_read_jsonl_fast(fd, PK_JSONL_WINDOW, out);
	if (rc == 0)
		return 0;
	/* Not moved is left as it is. */
	if (lseek(fd, 0, SEEK_CUR) > 0 && lseek(fd, 0, SEEK_SET) != 0)
		return io_error("cannot read", path);
	return -EAGAIN;
}

/* The parser's message (line and column) with the file's name before. */
static int in_file(int rc, const char *path)
{
	char msg[400];

	snprintf(msg, sizeof(msg), "%s", perfkit_last_error());
	return pk_error(rc, "%s: %s", path, msg);
}

/* CSV a window at a time, straight from the file. */
static int read_csv(int fd, const char *path, struct perfkit_results **out)
{
	struct perfkit_results *res = pk_results_alloc();
	int rc = res ? pk_results_read_csv_fd(fd, res) : -ENOMEM;

	if (rc < 0) {
		perfkit_results_destroy(res);
		return rc == -ENOMEM && !res ?
			       pk_error(rc, "cannot read %s: out of memory",
					path) :
			       in_file(rc, path);
	}
	*out = res;
	return 0;
}

/* The other formats from a copy of the whole file in memory. */
static int read_whole(int fd, const char *path, enum perfkit_format format,
		      int sniff, struct perfkit_results **out)
{
	char *data = NULL;
	size_t len = 0;
	int rc = slurp(fd, path, &data, &len);

	if (rc < 0)
		return rc;
	if (sniff && format == PERFKIT_FORMAT_JSON)
		format = pk_json_sniff(data, len);
	rc = perfkit_results_parse(data, len, format, out);
	free(data);
	return rc < 0 ? in_file(rc, path) : 0;
}

int pk_results_open_file(const char *path, enum perfkit_format *format,
			 int *fd)
{
	int rc = resolve(format, path);

	return rc < 0 ? rc : open_regular(path, fd);
}

int pk_results_stream_file(int fd, const char *path,
			   enum perfkit_format format,
			   struct perfkit_results *res)
{
	int rc;

	if (format == PERFKIT_FORMAT_CSV) {
		rc = pk_results_read_csv_fd(fd, res);
		return rc < 0 ? in_file(rc, path) : 0;
	}
	if (format != PERFKIT_FORMAT_JSONL)
		return -EAGAIN;
	rc = pk_jsonl_fast_read_into(fd, PK_JSONL_WINDOW, res);
	return rc == 0 ? 0 : -EAGAIN;
}

/* perfkit_results_read(), with or without the fast JSON Lines reader. */
static int read_file(const char *path, enum perfkit_format format, int fast,
		     struct perfkit_results **out)
{
	int fd = -1, rc, sniff = format == PERFKIT_FORMAT_AUTO;

	if (!path || !out)
		return pk_error(-EINVAL, "results_read: %s is NULL",
				!path ? "path" : "out");
	*out = NULL;
	rc = pk_results_open_file(path, &format, &fd);
	if (rc < 0)
		return rc;
	rc = fast ? read_fast(fd, path, format, out) : -EAGAIN;
	if (rc == -EAGAIN && format == PERFKIT_FORMAT_CSV)
		rc = read_csv(fd, path, out);
	else if (rc == -EAGAIN)
		rc = read_whole(fd, path, format, sniff, out);
	close(fd);
	return rc;
}

int pk_results_read_whole(const char *path, enum perfkit_format format,
			  struct perfkit_results **out)
{
	return read_file(path, format, 0, out);
}

PERFKIT_EXPORT int perfkit_results_read(const char *path,
					enum perfkit_format format,
					struct perfkit_results **out)
{
	return read_file(path, format, 1, out);
}
