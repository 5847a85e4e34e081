/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: the traces of forked children.
 *
 * A process forked from the one that started tracing (the root) writes
 * its own events when it exits, as a complete trace file <pid>.json, into
 * a spool folder named after the root:
 * ${TMPDIR:-/tmp}/perfkit-trace.<root pid>.<trace origin>. The root's
 * perfkit_region_trace_write() copies their events into its own file,
 * where each keeps its pid (one file, one track per process, as viztracer
 * merges its processes' traces), and the root removes the folder when it
 * exits. The files are ours and written whole (a temporary file renamed),
 * so copying their event lines needs no JSON parser.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "region-private.h"

static pid_t root_pid;
static char spool_dir[PATH_MAX];

void pk_spool_init(void)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	n = snprintf(spool_dir, sizeof(spool_dir), "%s/perfkit-trace.%ld.%" PRIx64,
		     tmp, (long)getpid(), (uint64_t)atomic_load(&pk_trace_origin));
	if (n < 0 || (size_t)n >= sizeof(spool_dir) - 32)
		spool_dir[0] = '\0'; /* no room for the files' names: no spool */
	root_pid = getpid();
}

bool pk_spool_is_child(void)
{
	return root_pid != 0 && getpid() != root_pid;
}

/* The folder exists, is a folder (not a link), and is this user's. */
static bool spool_ours(void)
{
	struct stat st;

	return lstat(spool_dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid();
}

int pk_spool_path(char *buf, size_t size)
{
	if (!spool_dir[0])
		return pk_error(-ENAMETOOLONG, "trace of a forked child: TMPDIR is "
				"too long for the spool folder");
	if (mkdir(spool_dir, 0700) != 0 && errno != EEXIST)
		return pk_error(-errno, "trace of a forked child: cannot make %s: %s",
				spool_dir, strerror(errno));
	/* Someone else's folder, or a link planted under our name: refuse. */
	if (!spool_ours())
		return pk_error(-EPERM, "trace of a forked child: %s is not a folder "
				"of this user", spool_dir);
	snprintf(buf, size, "%s/%ld.json", spool_dir, (long)getpid());
	return 0;
}

/* "<digits>.json": a child's finished file (not a temporary one). */
static bool child_file(const char *name)
{
	size_t d = strspn(name, "0123456789");

	return d > 0 && strcmp(name + d, ".json") == 0;
}

static uint64_t count_after(const char *line, const char *key)
{
	const char *s = strstr(line, key);

	return s ? strtoull(s + strlen(key), NULL, 10) : 0;
}

static void add_counts(struct pk_spool_counts *c, const char *other)
{
	c->events += count_after(other, "\"events\":");
	c->dropped += count_after(other, "\"dropped\":");
	c->filtered += count_after(other, "\"filtered\":");
	c->open += count_after(other, "\"open\":");
	c->processes++;
}

/* Copy one child's event lines (one event per line, as region-trace.c
 * writes them). */
static void merge_file(FILE *out, const char *path, bool *first,
		      struct pk_spool_counts *c)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool head = false;

	if (!f)
		return; /* gone since the listing: nothing to merge */
	while ((n = getline(&line, &cap, f)) > 0) {
		if (!head) {
			head = strcmp(line, "{\"traceEvents\":[\n") == 0;
			if (!head)
				break; /* not one of ours */
			continue;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ','))
			n--;
		if (strncmp(line, "{\"ph\":", 6) == 0 && n > 0 && line[n - 1] == '}') {
			fputs(*first ? "\n" : ",\n", out);
			*first = false;
			fwrite(line, 1, (size_t)n, out);
		} else if (strncmp(line, "\"otherData\":", 12) == 0) {
			line[n] = '\0';
			add_counts(c, line);
		}
	}
	free(line);
	fclose(f);
}

static int spool_file(char *buf, size_t size, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", spool_dir, name);

	return n > 0 && (size_t)n < size;
}

void pk_spool_merge(FILE *out, bool *first, struct pk_spool_counts *c)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (pk_spool_is_child() || !root_pid || !spool_dir[0] || !spool_ours() ||
	    !(d = opendir(spool_dir)))
		return; /* no child wrote anything */
	while ((de = readdir(d)))
		if (child_file(de->d_name) && spool_file(path, sizeof(path), de->d_name))
			merge_file(out, path, first, c);
	closedir(d);
}

void pk_spool_remove(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (pk_spool_is_child() || !root_pid || !spool_dir[0] || !spool_ours() ||
	    !(d = opendir(spool_dir)))
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && spool_file(path, sizeof(path), de->d_name))
			unlink(path);
	closedir(d);
	rmdir(spool_dir);
}
