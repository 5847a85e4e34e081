/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: the Chrome Trace Event file.
 *
 * With tracing on, each region end appends one event (start, end, name,
 * depth, and its arguments in the slots after it) to the thread's buffer.
 * Buffers grow in chunks of TRACE_CHUNK slots, reserved from one budget
 * for all threads, so memory is bounded; an event that finds the budget
 * spent is dropped and counted. Writing sorts each thread's events by
 * start and emits them as nested "B"/"E" pairs: every event is complete,
 * since it is recorded at its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "perfkit/version.h"
#include "region-private.h"

/* ---- counting ------------------------------------------------------- */

/* Events (not argument slots) in a profile's published slots. */
static size_t profile_events(const struct profile *p, size_t *slots_out)
{
	size_t used = atomic_load_explicit(&p->tused, memory_order_acquire), n = 0;

	for (size_t i = 0; i < used;) {
		const union tslot *s = pk_tslot_at(p, i);

		n += s->ev.entry != TRACE_PAD;
		i += 1 + s->ev.nargs;
	}
	if (slots_out)
		*slots_out = used;
	return n;
}

struct trace_counts {
	uint64_t events, dropped, filtered;
};

static void add_counts(struct trace_counts *c, const struct profile *list)
{
	for (const struct profile *p = list; p; p = p->next) {
		c->events += profile_events(p, NULL);
		c->dropped += atomic_load_explicit(&p->tdropped, memory_order_relaxed);
		c->filtered += atomic_load_explicit(&p->tfiltered, memory_order_relaxed);
	}
}

/* Under the lock. */
static struct trace_counts counts_locked(void)
{
	struct trace_counts c = { 0, 0, 0 };

	add_counts(&c, pk_region_live);
	add_counts(&c, pk_region_exited);
	return c;
}

PERFKIT_EXPORT int perfkit_region_trace_counts(uint64_t *events, uint64_t *dropped,
					       uint64_t *filtered)
{
	struct trace_counts c;

	if (!events && !dropped && !filtered)
		return pk_error(-EINVAL, "perfkit_region_trace_counts: every "
				"argument is NULL");
	pthread_mutex_lock(&pk_region_lock);
	c = counts_locked();
	pthread_mutex_unlock(&pk_region_lock);
	if (events)
		*events = c.events;
	if (dropped)
		*dropped = c.dropped;
	if (filtered)
		*filtered = c.filtered;
	return 0;
}

/* ---- JSON ----------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned min;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, min = 0x80, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, min = 0x800, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A JSON string: quotes and backslashes escaped, invalid UTF-8 replaced
 * (names have no control characters). */
static void put_string(FILE *f, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	putc('"', f);
	while (*s) {
		size_t n = utf8_len(s);

		if (n == 0) {
			fputs("\\ufffd", f);
			s++;
		} else if (*s == '"' || *s == '\\') {
			putc('\\', f);
			putc(*s++, f);
		} else if (*s < 0x20) {
			fprintf(f, "\\u%04x", *s++);
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
	putc('"', f);
}

static void put_number(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

struct writer {
	FILE *f;
	long pid;
	uint64_t origin;
	double unit_ns;
	bool first;
};

static void event_head(struct writer *w, const char *ph, const char *name, long tid)
{
	fputs(w->first ? "\n" : ",\n", w->f);
	w->first = false;
	fputs("{\"ph\":\"", w->f);
	fputs(ph, w->f);
	fputs("\",\"name\":", w->f);
	put_string(w->f, name);
	fprintf(w->f, ",\"pid\":%ld,\"tid\":%ld", w->pid, tid);
}

static void put_meta(struct writer *w, const char *what, long tid, const char *value)
{
	event_head(w, "M", what, tid);
	fputs(",\"args\":{\"name\":", w->f);
	put_string(w->f, value);
	fputs("}}", w->f);
}

static void put_ts(struct writer *w, uint64_t t)
{
	double us = t > w->origin ? (double)(t - w->origin) * w->unit_ns / 1e3 : 0.0;

	fprintf(w->f, ",\"ts\":%.3f", us);
}

static void put_begin(struct writer *w, const struct profile *p, const union tslot *s)
{
	event_head(w, "B", pk_entry_at(p, s->ev.entry)->name, p->tid);
	fputs(",\"cat\":\"region\"", w->f);
	put_ts(w, s->ev.start);
	if (s->ev.nargs) {
		fputs(",\"args\":{", w->f);
		for (unsigned i = 0; i < s->ev.nargs; i++) {
			if (i)
				putc(',', w->f);
			put_string(w->f, pk_entry_at(p, s[1 + i].arg.key)->name);
			putc(':', w->f);
			put_number(w->f, s[1 + i].arg.value);
		}
		putc('}', w->f);
	}
	putc('}', w->f);
}

static void put_end(struct writer *w, const struct profile *p, const union tslot *s)
{
	event_head(w, "E", pk_entry_at(p, s->ev.entry)->name, p->tid);
	fputs(",\"cat\":\"region\"", w->f);
	put_ts(w, s->ev.end);
	putc('}', w->f);
}

static const struct profile *sort_profile;

static int cmp_event(const void *a, const void *b)
{
	const union tslot *x = pk_tslot_at(sort_profile, *(const size_t *)a);
	const union tslot *y = pk_tslot_at(sort_profile, *(const size_t *)b);

	if (x->ev.start != y->ev.start)
		return x->ev.start < y->ev.start ? -1 : 1;
	return (int)x->ev.depth - (int)y->ev.depth;
}

/* One thread's events as nested B/E pairs. Under the lock (which also
 * guards sort_profile). */
static int put_thread(struct writer *w, const struct profile *p)
{
	size_t slots, n = profile_events(p, &slots), k = 0, top = 0;
	size_t *ix = malloc((n ? n : 1) * sizeof(*ix));
	size_t stack[PERFKIT_REGION_MAX_DEPTH + 1];
	char name[32];

	if (!ix)
		return -ENOMEM;
	for (size_t i = 0; i < slots; i += 1 + pk_tslot_at(p, i)->ev.nargs)
		if (pk_tslot_at(p, i)->ev.entry != TRACE_PAD)
			ix[k++] = i;
	sort_profile = p;
	qsort(ix, n, sizeof(*ix), cmp_event);
	if (p->tname[0])
		put_meta(w, "thread_name", p->tid, p->tname);
	else if (pthread_getname_np(p->thread, name, sizeof(name)) == 0 && name[0])
		put_meta(w, "thread_name", p->tid, name);
	for (size_t i = 0; i < n; i++) {
		const union tslot *s = pk_tslot_at(p, ix[i]);

		/* Close what ended before this began, or is not its parent. */
		while (top) {
			const union tslot *t = pk_tslot_at(p, stack[top - 1]);

			if (t->ev.depth < s->ev.depth && t->ev.end >= s->ev.start)
				break;
			put_end(w, p, t);
			top--;
		}
		put_begin(w, p, s);
		stack[top++] = ix[i];
	}
	while (top)
		put_end(w, p, pk_tslot_at(p, stack[--top]));
	free(ix);
	return 0;
}

static int put_trace(FILE *f)
{
	struct writer w = { f, (long)getpid(), atomic_load(&pk_trace_origin),
			    pk_region_unit_ns(), true };
	struct trace_counts c = counts_locked();
	int rc = 0;

	fputs("{\"traceEvents\":[", f);
	put_meta(&w, "process_name", w.pid, program_invocation_short_name);
	for (const struct profile *p = pk_region_live; p && rc == 0; p = p->next)
		rc = put_thread(&w, p);
	for (const struct profile *p = pk_region_exited; p && rc == 0; p = p->next)
		rc = put_thread(&w, p);
	fprintf(f, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{"
		"\"producer\":\"libperfkit %s\",\"clock\":\"%s\","
		"\"events\":%llu,\"dropped\":%llu,\"filtered\":%llu,"
		"\"max_events\":%zu,\"min_duration_ns\":%llu}}\n",
		perfkit_version_string(), perfkit_clock_name(perfkit_region_clock()),
		(unsigned long long)c.events, (unsigned long long)c.dropped,
		(unsigned long long)c.filtered, atomic_load(&pk_trace_cap),
		(unsigned long long)atomic_load(&pk_trace_min_ns));
	return rc;
}

/* ---- the file ------------------------------------------------------- */

static int file_error(const char *what, const char *path)
{
	int code = errno ? -errno : -EIO;

	return pk_error(code, "perfkit_region_trace_write: %s %s: %s", what, path,
			strerror(-code));
}

PERFKIT_EXPORT int perfkit_region_trace_write(const char *path)
{
	char *tmp;
	FILE *f;
	int fd, rc;

	if (!path || !*path)
		return pk_error(-EINVAL, "perfkit_region_trace_write: path is %s",
				path ? "empty" : "NULL");
	tmp = malloc(strlen(path) + sizeof(".tmp.XXXXXX"));
	if (!tmp)
		return pk_error(-ENOMEM, "perfkit_region_trace_write: out of memory");
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	pk_region_setup();
	(void)pk_region_unit_ns(); /* calibrate before taking the lock */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = file_error("cannot create a file beside", path);
		free(tmp);
		return rc;
	}
	(void)fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		rc = file_error("cannot open", tmp);
		close(fd);
		goto out;
	}
	pthread_mutex_lock(&pk_region_lock);
	rc = put_trace(f);
	pthread_mutex_unlock(&pk_region_lock);
	if (rc < 0)
		rc = pk_error(rc, "perfkit_region_trace_write: out of memory");
	errno = 0;
	if (ferror(f) && rc == 0)
		rc = file_error("cannot write", tmp);
	if (fclose(f) != 0 && rc == 0)
		rc = file_error("cannot write", tmp);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = file_error("cannot rename the temporary file to", path);
out:
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* ---- PERFKIT_TRACE -------------------------------------------------- */

static char *env_path;
static char env_problem[160];
static pid_t env_pid;

static int env_count(const char *var, uint64_t lo, uint64_t hi, uint64_t *v)
{
	const char *s = getenv(var);
	char *end;

	if (!s)
		return 0;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || *v < lo || *v > hi) {
		snprintf(env_problem, sizeof(env_problem), "%s='%.40s' is not a "
			 "whole number from %llu to %llu", var, s,
			 (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	return 0;
}

/* The library's only output of its own: the user asked for the file
 * through the environment, and nothing else could tell them it failed. */
static void trace_at_exit(void)
{
	int rc;

	if (getpid() != env_pid) /* a forked child exiting */
		return;
	if (env_problem[0]) {
		fprintf(stderr, "libperfkit: PERFKIT_TRACE: %s; no trace written\n",
			env_problem);
		return;
	}
	rc = perfkit_region_trace_write(env_path);
	if (rc < 0)
		fprintf(stderr, "libperfkit: PERFKIT_TRACE: %s\n", perfkit_last_error());
}

__attribute__((constructor)) static void trace_from_env(void)
{
	const char *path = getenv("PERFKIT_TRACE");
	uint64_t events = PERFKIT_REGION_TRACE_DEFAULT_EVENTS, min_ns = 0;

	if (!path || !*path)
		return;
	env_path = strdup(path);
	env_pid = getpid();
	if (!env_path)
		return;
	if (env_count("PERFKIT_TRACE_EVENTS", 1, PERFKIT_REGION_TRACE_MAX_EVENTS,
		      &events) == 0 &&
	    env_count("PERFKIT_TRACE_MIN_NS", 0, UINT64_C(3600000000000), &min_ns) == 0)
		perfkit_region_trace_start((size_t)events, min_ns);
	atexit(trace_at_exit);
}
