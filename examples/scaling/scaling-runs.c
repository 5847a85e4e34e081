/* SPDX-License-Identifier: MIT */
/*
 * perfkit-scaling: reading the CosmoFlow benchmark's run folders. Each folder holds
 * history.csv (at least the columns epoch and time, as Keras' CSVLogger
 * writes them) and config.json:
 *   {"data": {"n_train": 64, "n_valid": 16, "shard": false}, "ranks": 4}
 * or, as the benchmark itself writes it, config.pkl: a Python pickle of
 * the same dict, read by perfkit_pickle_to_json() (plain data only;
 * anything that would run code is refused).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "scaling-runs.h"

/* A config file larger than this is not a CosmoFlow configuration. */
#define MAX_CONFIG PERFKIT_PICKLE_MAX_INPUT

static const char utf8_bom[] = "\xef\xbb\xbf";

/* Open @path for reading if it is a regular file: a folder, a FIFO (which
 * would block) or a device is named as such. NULL after a message. */
static FILE *open_regular(const char *path, off_t *size)
{
	struct stat st;
	FILE *f;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: not a regular file (%s)\n", path,
			S_ISDIR(st.st_mode) ? "a folder" : "a FIFO, device or socket");
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	f = fdopen(fd, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (size)
		*size = st.st_size;
	return f;
}

int expand_pattern(const char *pattern, long r, char *out, size_t size)
{
	size_t k = 0;
	int conversions = 0;

	for (const char *p = pattern; *p; p++) {
		char num[32];
		const char *piece = p;
		size_t len = 1;

		if (*p == '%' && p[1] == '%') {
			p++;
		} else if (*p == '%' && (p[1] == 'i' || p[1] == 'd')) {
			snprintf(num, sizeof(num), "%ld", r);
			piece = num;
			len = strlen(num);
			conversions++;
			p++;
		} else if (*p == '%') {
			return -1;
		}
		if (k + len >= size)
			return -1;
		memcpy(out + k, piece, len);
		k += len;
	}
	out[k] = '\0';
	return conversions == 1 ? 0 : -1;
}

/* Split a CSV line in place at commas outside double quotes; strips the
 * quotes and surrounding blanks. Returns the number of fields. */
static size_t split_csv(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		int quoted = 0;
		char *start, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		for (; *p && (quoted || *p != ','); p++)
			if (*p == '"')
				quoted = !quoted;
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end - start >= 2 && *start == '"' && end[-1] == '"') {
			start++;
			end--;
		}
		fields[n++] = start;
		if (*p == '\0') {
			*end = '\0';
			break;
		}
		*end = '\0';
		p++;
	}
	return n;
}

static int find_column(char **fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i], name) == 0)
			return (int)i;
	return -1;
}

static int parse_number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return (end == s || *end != '\0' || errno == ERANGE) ? -1 : 0;
}

struct history {
	double *epoch, *time;
	size_t n, cap;
};

static int history_push(struct history *h, double e, double t)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		double *a = realloc(h->epoch, cap * sizeof(*a));

		if (!a)
			return -1;
		h->epoch = a;
		a = realloc(h->time, cap * sizeof(*a));
		if (!a)
			return -1;
		h->time = a;
		h->cap = cap;
	}
	h->epoch[h->n] = e;
	h->time[h->n] = t;
	h->n++;
	return 0;
}

/* Parse the rows after the header; every problem names file and line. */
static int read_rows(FILE *f, const char *path, int ce, int ct,
		     struct history *h)
{
	char *line = NULL, *fields[256];
	size_t cap = 0;
	int need = (ce > ct ? ce : ct) + 1, rc = -1;

	/* getline(): a line of any length is one row */
	for (long ln = 2; getline(&line, &cap, f) >= 0; ln++) {
		double e, t;

		if (line[strspn(line, " \t\r\n")] == '\0')
			continue; /* blank line */
		size_t nf = split_csv(line, fields, 256);

		if ((int)nf < need) {
			fprintf(stderr, "%s:%ld: %zu fields, but the header has 'epoch' and 'time' in column %d\n",
				path, ln, nf, need);
			goto out;
		}
		if (parse_number(fields[ce], &e) < 0 || !isfinite(e)) {
			fprintf(stderr, "%s:%ld: epoch '%.80s' is not a number\n",
				path, ln, fields[ce]);
			goto out;
		}
		if (parse_number(fields[ct], &t) < 0 || !isfinite(t)) {
			fprintf(stderr, "%s:%ld: time '%.80s' is not a number\n",
				path, ln, fields[ct]);
			goto out;
		}
		if (t <= 0) {
			fprintf(stderr, "%s:%ld: time %g must be > 0\n", path,
				ln, t);
			goto out;
		}
		if (history_push(h, e, t) < 0) {
			fprintf(stderr, "%s: out of memory\n", path);
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(line);
	return rc;
}

/* Mean epoch time of dir/history.csv, epochs below warmup dropped. */
static int read_history(const char *dir, double warmup, double *mean,
			size_t *used)
{
	char path[4200], *line = NULL, *fields[256];
	size_t cap = 0;
	struct history h = { 0 };
	FILE *f;
	int rc = -1, ce, ct;

	snprintf(path, sizeof(path), "%s/history.csv", dir);
	f = open_regular(path, NULL);
	if (!f)
		return -1;
	if (getline(&line, &cap, f) < 0) {
		if (ferror(f))
			fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		else
			fprintf(stderr, "%s: empty file (no header line)\n", path);
		goto out;
	}
	/* a UTF-8 byte order mark, as Excel and PowerShell write it */
	char *header = line;

	if (strncmp(header, utf8_bom, 3) == 0)
		header += 3;
	size_t nf = split_csv(header, fields, 256);

	ce = find_column(fields, nf, "epoch");
	ct = find_column(fields, nf, "time");
	if (ce < 0 || ct < 0) {
		fprintf(stderr, "%s:1: no '%s' column in the header (need 'epoch' and 'time')\n",
			path, ce < 0 ? "epoch" : "time");
		goto out;
	}
	if (read_rows(f, path, ce, ct, &h) < 0)
		goto out;
	if (h.n == 0) {
		fprintf(stderr, "%s: no epochs after the header\n", path);
		goto out;
	}
	if (perfkit_scaling_epoch_mean(h.epoch, h.time, h.n, warmup, mean,
				       used) < 0) {
		fprintf(stderr, "%s: no epoch numbered %g or more: %zu epoch(s), all dropped as warm-up (see --warmup-epochs)\n",
			path, warmup, h.n);
		goto out;
	}
	rc = 0;
out:
	free(line);
	free(h.epoch);
	free(h.time);
	fclose(f);
	return rc;
}

static int json_count(json_t *obj, const char *key, const char *path,
		      double *v)
{
	json_t *j = json_object_get(obj, key);

	if (!json_is_number(j) || json_number_value(j) < 0) {
		fprintf(stderr, "%s: data.%s must be a number >= 0\n", path, key);
		return -1;
	}
	*v = json_number_value(j);
	return 0;
}

/* The whole of @path (a regular file of at most MAX_CONFIG bytes) in
 * *buf, NUL-terminated; -1 after a message. */
static int read_file(const char *path, char **buf, size_t *len)
{
	off_t size;
	FILE *f = open_regular(path, &size);
	size_t n;

	if (!f)
		return -1;
	if (size > (off_t)MAX_CONFIG) {
		fprintf(stderr, "%s: %lld bytes: larger than a configuration (%u bytes at most)\n",
			path, (long long)size, MAX_CONFIG);
		fclose(f);
		return -1;
	}
	*buf = malloc((size_t)size + 1);
	if (!*buf) {
		fprintf(stderr, "%s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	n = fread(*buf, 1, (size_t)size + 1, f);
	if (ferror(f) || n > (size_t)size) {
		fprintf(stderr, "%s: %s\n", path, ferror(f) ? strerror(errno) :
			"changed while being read");
		free(*buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

static json_t *parse_json_config(const char *path, const char *text,
				 size_t len)
{
	json_error_t err;
	json_t *root;
	int bom = len >= 3 && memcmp(text, utf8_bom, 3) == 0;

	root = json_loadb(text + 3 * bom, len - 3 * bom, 0, &err);
	if (!root) {
		if (err.line < 1)
			fprintf(stderr, "%s: %s\n", path, err.text);
		else /* the column counts the BOM, as an editor shows it */
			fprintf(stderr, "%s:%d:%d: %s\n", path, err.line,
				err.column + (bom && err.line == 1), err.text);
	}
	return root;
}

/* config.pkl: turned into JSON by the library, which refuses any pickle
 * that would import or call code. */
static json_t *parse_pickle_config(const char *path, const char *data,
				   size_t len)
{
	json_error_t err;
	json_t *root;
	char *text;

	if (perfkit_pickle_to_json(data, len, &text) < 0) {
		fprintf(stderr, "%s: %s\n", path, perfkit_last_error());
		return NULL;
	}
	root = json_loads(text, JSON_ALLOW_NUL, &err);
	if (!root)
		fprintf(stderr, "%s: as JSON: %s\n", path, err.text);
	free(text);
	return root;
}

/* dir/config.json, or dir/config.pkl when there is no config.json; @path
 * gets the name of the one read. */
static json_t *load_config(const char *dir, char *path, size_t size)
{
	char *buf;
	size_t len;
	json_t *root;
	int pickle = 0;

	snprintf(path, size, "%s/config.json", dir);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		snprintf(path, size, "%s/config.pkl", dir);
		if (access(path, F_OK) != 0 && errno == ENOENT) {
			fprintf(stderr, "%s: no config.json or config.pkl\n", dir);
			return NULL;
		}
		pickle = 1;
	}
	if (read_file(path, &buf, &len) < 0)
		return NULL;
	root = pickle ? parse_pickle_config(path, buf, len)
		      : parse_json_config(path, buf, len);
	free(buf);
	return root;
}

/* Samples per epoch from dir/config.json (or config.pkl), named in
 * @path; *ranks is checked against the file's "ranks" (or taken from it
 * when *ranks is 0). */
static int read_config(const char *dir, char *path, size_t size,
		       double *ranks, double *samples)
{
	json_t *root, *data, *shard, *jr;
	double n_train, n_valid;
	int rc = -1;

	root = load_config(dir, path, size);
	if (!root)
		return -1;
	data = json_object_get(root, "data");
	if (!json_is_object(data)) {
		fprintf(stderr, "%s: no \"data\" object\n", path);
		goto out;
	}
	shard = json_object_get(data, "shard");
	if (json_count(data, "n_train", path, &n_train) < 0 ||
	    json_count(data, "n_valid", path, &n_valid) < 0)
		goto out;
	if (!json_is_boolean(shard)) {
		fprintf(stderr, "%s: data.shard must be true or false\n", path);
		goto out;
	}
	jr = json_object_get(root, "ranks");
	if (jr && !(json_is_integer(jr) && json_integer_value(jr) > 0)) {
		fprintf(stderr, "%s: \"ranks\" must be a positive integer\n", path);
		goto out;
	}
	if (*ranks == 0 && !jr) {
		fprintf(stderr, "%s: no \"ranks\": needed when folders are listed (or use a pattern with --ranks)\n",
			path);
		goto out;
	}
	if (jr && *ranks != 0 && (double)json_integer_value(jr) != *ranks) {
		fprintf(stderr, "%s: \"ranks\" is %lld but the folder is for %g ranks\n",
			path, (long long)json_integer_value(jr), *ranks);
		goto out;
	}
	if (jr)
		*ranks = (double)json_integer_value(jr);
	if (perfkit_scaling_samples(n_train, n_valid, json_is_true(shard),
				    *ranks, samples) < 0) {
		fprintf(stderr, "%s: %s\n", path, perfkit_last_error());
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* The CosmoFlow notebook's words and columns. */
static const struct series_words folder_words = {
	.count = "ranks", .count_one = "rank", .run = "epoch",
	.work = "sample",
	.cols = { "samples", "times", "throughputs", "ideal", "eff" },
	.fmt = { "%*.0f", "%*.6g", "%*.6g", "%*.6g", "%*.4f" },
	.ylabel = "Training throughput [samples/s]",
	.legend = "Real data",
};

int series_load(struct series *s, const char *pattern, const double *ranks,
		char *const *dirs, size_t n, double warmup)
{
	s->kind = SERIES_WEAK;
	s->w = folder_words;
	s->warmup = warmup;
	if (*s->label)
		s->w.legend = strcmp(s->label, "dummy") == 0 ? "Dummy data" :
							      s->label;
	if (series_alloc(s, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char dir[4096], config[4200];

		if (pattern) {
			if (expand_pattern(pattern, (long)ranks[i], dir,
					   sizeof(dir)) < 0) {
				fprintf(stderr, "perfkit-scaling: pattern '%s' needs exactly one %%i or %%d\n",
					pattern);
				return -1;
			}
			s->ranks[i] = ranks[i];
		} else {
			snprintf(dir, sizeof(dir), "%s", dirs[i]);
			s->ranks[i] = 0;
		}
		struct stat st;

		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "%s: no such run folder\n", dir);
			return -1;
		}
		if (read_config(dir, config, sizeof(config), &s->ranks[i],
				&s->samples[i]) < 0 ||
		    read_history(dir, warmup, &s->times[i], &s->epochs[i]) < 0)
			return -1;
		if (i > 0 && s->ranks[i] <= s->ranks[i - 1]) {
			fprintf(stderr, "%s: %g ranks after %g: rank counts must increase\n",
				config, s->ranks[i], s->ranks[i - 1]);
			return -1;
		}
	}
	return series_compute(s);
}
