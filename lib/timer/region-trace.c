/* SPDX-License-Identifier: MIT */
/*
 * Named profiling regions: the Chrome Trace Event file.
 *
 * Each thread's events (recorded when regions end, region-buffer.c) and
 * the frames it still has open are sorted by start and written as nested
 * "B"/"E" pairs; an open frame ends at the time of writing and says so.
 * In the process that started tracing, the events of forked children
 * that have exited follow (region-spool.c).
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
	uint64_t origin, floor;
	double unit_ns;
	bool first;
	uint64_t open;			/* regions written as still open */
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

/* A time as µs since the origin; in a forked child, nothing before the
 * fork (regions it inherited open start where the child does). */
static void put_ts(struct writer *w, uint64_t t)
{
	double us;

	if (t < w->floor)
		t = w->floor;
	us = t > w->origin ? (double)(t - w->origin) * w->unit_ns / 1e3 : 0.0;
	fprintf(w->f, ",\"ts\":%.3f", us);
}

/* A region to write: a recorded event, or a frame still open. */
struct span {
	uint64_t start, end;
	uint32_t entry, depth, nargs;
	bool open;
	const uint32_t *arg_key;
	const double *arg_value;
};

static void put_begin(struct writer *w, const struct profile *p, const struct span *s)
{
	event_head(w, "B", pk_entry_at(p, s->entry)->name, p->tid);
	fputs(",\"cat\":\"region\"", w->f);
	put_ts(w, s->start);
	if (s->nargs) {
		fputs(",\"args\":{", w->f);
		for (unsigned i = 0; i < s->nargs; i++) {
			if (i)
				putc(',', w->f);
			put_string(w->f, pk_entry_at(p, s->arg_key[i])->name);
			putc(':', w->f);
			put_number(w->f, s->arg_value[i]);
		}
		putc('}', w->f);
	}
	putc('}', w->f);
}

/* An open region ends when the file is written (or its thread exited),
 * and says so in its E event's args (viewers merge them with the B's). */
static void put_end(struct writer *w, const struct profile *p, const struct span *s)
{
	event_head(w, "E", pk_entry_at(p, s->entry)->name, p->tid);
	fputs(",\"cat\":\"region\"", w->f);
	put_ts(w, s->end);
	if (s->open) {
		fputs(",\"args\":{\"open\":true}", w->f);
		w->open++;
	}
	putc('}', w->f);
}

/* The frames still open in `p` at `now`, outermost first, with their
 * arguments copied. The owner may be running: each frame is checked, and
 * the first that is being pushed or popped at this moment ends the list
 * (the calling thread's own frames are always exact). */
struct open_frames {
	unsigned n;
	struct frame f[PERFKIT_REGION_MAX_DEPTH];
};

static void read_open(const struct profile *p, uint64_t now, struct open_frames *o)
{
	unsigned depth = __atomic_load_n(&p->depth, __ATOMIC_ACQUIRE);
	size_t names = atomic_load_explicit(&p->nentries, memory_order_acquire);
	uint64_t last = 0;

	o->n = 0;
	if (p->gone || p->no_trace || !atomic_load(&pk_trace_origin))
		return; /* not this process's, or tracing never started */
	if (depth > PERFKIT_REGION_MAX_DEPTH)
		depth = PERFKIT_REGION_MAX_DEPTH;
	for (unsigned i = 0; i < depth; i++) {
		struct frame *f = &o->f[o->n];
		const struct entry *e = __atomic_load_n(&p->frames[i].e, __ATOMIC_RELAXED);

		f->start = __atomic_load_n(&p->frames[i].start, __ATOMIC_RELAXED);
		f->nargs = __atomic_load_n(&p->frames[i].nargs, __ATOMIC_RELAXED);
		if (!e || e->idx >= names || pk_entry_at(p, e->idx) != e ||
		    f->start < last || f->start > now || f->nargs > PERFKIT_REGION_MAX_ARGS)
			break;
		f->e = (struct entry *)e;
		for (uint32_t k = 0; k < f->nargs; k++) {
			f->arg_key[k] = p->frames[i].arg_key[k];
			f->arg_value[k] = p->frames[i].arg_value[k];
			if (f->arg_key[k] >= names)
				f->nargs = k;
		}
		last = f->start;
		o->n++;
	}
}

/* Item i of a thread: slot index i < slots, or open frame i - slots. */
struct items {
	const struct profile *p;
	size_t slots;
	uint64_t now;
	const struct open_frames *open;
};

static struct span item_span(const struct items *it, size_t i)
{
	struct span s;

	if (i < it->slots) {
		const union tslot *t = pk_tslot_at(it->p, i);

		s = (struct span){ t->ev.start, t->ev.end, t->ev.entry, t->ev.depth,
				   t->ev.nargs, false, NULL, NULL };
		return s;
	}
	{
		const struct frame *f = &it->open->f[i - it->slots];

		return (struct span){ f->start, it->now, f->e->idx, (uint32_t)(i - it->slots),
				      f->nargs, true, f->arg_key, f->arg_value };
	}
}

static const struct items *sort_items;

/* By start, the outer first; ties in the order recorded, events (which
 * ended) before frames still open. */
static int cmp_item(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	struct span x = item_span(sort_items, i), y = item_span(sort_items, j);

	if (x.start != y.start)
		return x.start < y.start ? -1 : 1;
	if (x.depth != y.depth)
		return x.depth < y.depth ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Arguments of a recorded event: copied out of the slots after it. */
struct slot_args {
	uint32_t key[PERFKIT_REGION_MAX_ARGS];
	double value[PERFKIT_REGION_MAX_ARGS];
};

static struct span full_span(const struct items *it, size_t i, struct slot_args *a)
{
	struct span s = item_span(it, i);

	if (!s.open) {
		if (s.nargs > PERFKIT_REGION_MAX_ARGS)
			s.nargs = PERFKIT_REGION_MAX_ARGS;
		for (uint32_t k = 0; k < s.nargs; k++) {
			a->key[k] = pk_tslot_at(it->p, i + 1 + k)->arg.key;
			a->value[k] = pk_tslot_at(it->p, i + 1 + k)->arg.value;
		}
		s.arg_key = a->key;
		s.arg_value = a->value;
	}
	return s;
}

/* One thread's events and open frames as nested B/E pairs. Under the
 * lock (which also guards sort_items). */
static int put_thread(struct writer *w, const struct profile *p)
{
	size_t slots, n, k = 0, top = 0;
	struct open_frames *open;
	struct items it;
	size_t *ix, stack[PERFKIT_REGION_MAX_DEPTH + 1];
	char name[32];

	if (p->gone)
		return 0;
	n = profile_events(p, &slots); /* reads the published count first... */
	open = malloc(sizeof(*open));
	if (!open)
		return -ENOMEM;
	it = (struct items){ p, slots, p->tend ? p->tend : pk_region_clock_now(), open };
	read_open(p, it.now, open); /* ...so that its frames ended after those */
	if (n + open->n == 0) {
		free(open);
		return 0;
	}
	ix = malloc((n + open->n) * sizeof(*ix));
	if (!ix) {
		free(open);
		return -ENOMEM;
	}
	for (size_t i = 0; i < slots; i += 1 + pk_tslot_at(p, i)->ev.nargs)
		if (pk_tslot_at(p, i)->ev.entry != TRACE_PAD)
			ix[k++] = i;
	for (unsigned i = 0; i < open->n; i++)
		ix[k++] = slots + i;
	sort_items = &it;
	qsort(ix, k, sizeof(*ix), cmp_item);
	if (p->tname[0])
		put_meta(w, "thread_name", p->tid, p->tname);
	else if (pthread_getname_np(p->thread, name, sizeof(name)) == 0 && name[0])
		put_meta(w, "thread_name", p->tid, name);
	for (size_t i = 0; i < k; i++) {
		struct slot_args a;
		struct span s = full_span(&it, ix[i], &a);

		/* Close what ended before this began, or is not its parent. */
		while (top) {
			struct span t = item_span(&it, stack[top - 1]);

			if (t.depth < s.depth && t.end >= s.start)
				break;
			put_end(w, p, &t);
			top--;
		}
		put_begin(w, p, &s);
		stack[top++] = ix[i];
	}
	while (top) {
		struct span t = item_span(&it, stack[--top]);

		put_end(w, p, &t);
	}
	free(ix);
	free(open);
	return 0;
}

static int put_trace(FILE *f)
{
	struct writer w = { f, (long)getpid(), atomic_load(&pk_trace_origin),
			    atomic_load(&pk_trace_floor), pk_region_unit_ns(), true, 0 };
	struct trace_counts c = counts_locked();
	struct pk_spool_counts kids = { 0, 0, 0, 0, 0 };
	int rc = 0;

	fputs("{\"traceEvents\":[", f);
	put_meta(&w, "process_name", w.pid, program_invocation_short_name);
	for (const struct profile *p = pk_region_live; p && rc == 0; p = p->next)
		rc = put_thread(&w, p);
	for (const struct profile *p = pk_region_exited; p && rc == 0; p = p->next)
		rc = put_thread(&w, p);
	if (rc == 0)
		pk_spool_merge(f, &w.first, &kids);
	fprintf(f, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{"
		"\"producer\":\"libperfkit %s\",\"clock\":\"%s\","
		"\"events\":%llu,\"dropped\":%llu,\"filtered\":%llu,"
		"\"max_events\":%zu,\"min_duration_ns\":%llu,\"open\":%llu,"
		"\"processes\":%llu}}\n",
		perfkit_version_string(), perfkit_clock_name(perfkit_region_clock()),
		(unsigned long long)(c.events + kids.events),
		(unsigned long long)(c.dropped + kids.dropped),
		(unsigned long long)(c.filtered + kids.filtered), atomic_load(&pk_trace_cap),
		(unsigned long long)atomic_load(&pk_trace_min_ns),
		(unsigned long long)(w.open + kids.open),
		(unsigned long long)(1 + kids.processes));
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
